//! YAML text to a tree of nodes that know where they stand in the file.
//!
//! serde_yaml is the gatekeeper: it decides whether the text is YAML at all
//! and enforces the limits that keep hostile input cheap (nesting depth,
//! alias expansion, one document only). It does not expose positions, so a
//! second, pure-Rust event parser (saphyr) builds the tree the loader reads,
//! with the line and column of every key and value.

use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};

use crate::diag::Span;

/// One YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// An empty value, `~` or `null`: the key is there but says nothing.
    Null,
    /// Any other scalar, as written (numbers and booleans too: a `reference`
    /// of `007` stays `007`).
    Scalar(String),
    /// Lists and mappings are shared: an alias (`*name`) is a node of its
    /// own (its span is the alias's) over the very items its anchor holds,
    /// so that expanding an alias of a list costs nothing however large the
    /// list, and anchors inside anchors are not copied once per level. (An
    /// alias of a text copies the text, which the limit on expanded bytes
    /// bounds.)
    Sequence(Rc<Vec<Node>>),
    Mapping(Rc<Vec<(Node, Node)>>),
}

impl Node {
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Null => "nothing",
            Kind::Scalar(_) => "a single value",
            Kind::Sequence(_) => "a list",
            Kind::Mapping(_) => "a mapping of keys",
        }
    }
}

/// Why a text is not a YAML document we can read.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
    /// A limit of ours was passed (depth, size, documents), not YAML's rules.
    pub limit: bool,
}

/// How many values a brief may hold once its aliases (`*name`) are expanded:
/// far more than any real brief, far less than an "alias bomb" would make.
pub const MAX_VALUES: usize = 250_000;

/// How much text (the bytes of every key and value) a brief may hold once
/// its aliases are expanded: as much as the file itself may hold, so that
/// aliases never make a brief larger than one written out in full could be.
/// Without aliases a brief cannot reach it, since no value is longer than
/// its YAML spelling.
pub const MAX_EXPANDED_BYTES: usize = super::MAX_BRIEF_BYTES;

/// Parses one YAML document into a tree. `Ok(None)` means the text holds no
/// document at all (empty, or only comments).
pub fn parse(source: &str) -> Result<Option<Node>, SyntaxError> {
    // The tree first: it stops early on the cheap limits (depth, documents,
    // alias expansion), so serde_yaml only ever sees bounded input.
    let root = match build_tree(source) {
        Ok(root) => root,
        // libyaml (behind serde_yaml) words most syntax errors better;
        // saphyr's word stands for the limits, which libyaml would take
        // long to reach.
        Err(error) if error.limit => return Err(error),
        Err(error) => {
            gate(source)?;
            return Err(error);
        }
    };
    gate(source)?;
    Ok(root)
}

/// How deeply a brief may nest: a real one nests five or six levels.
pub const MAX_DEPTH: usize = 64;

fn gate(source: &str) -> Result<(), SyntaxError> {
    let Err(error) = serde_yaml::from_str::<serde::de::IgnoredAny>(source) else {
        return Ok(());
    };
    let full = error.to_string();
    // serde_yaml appends " at line L column C" (and sometimes more context);
    // the position is shown on its own line, so cut it from the message.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    if message.contains("EOF while parsing") {
        return Ok(()); // no document at all: the caller says the brief is empty
    }
    if message.contains("control characters are not allowed") {
        if let Some(error) = raw_control_character(source) {
            return Err(error);
        }
    }
    let help = help_for(&message, source);
    let span = error.location().map(|l| Span {
        line: l.line(),
        column: l.column(),
        len: 1,
    });
    Err(SyntaxError {
        message: format!("this is not valid YAML: {message}"),
        span: span.map(|s| within_source(s, source)),
        help,
        limit: false,
    })
}

/// The first control character written as such in the file (YAML allows
/// them only as escapes): libyaml says where by a character count; this says
/// the line and column, and which character it is.
fn raw_control_character(source: &str) -> Option<SyntaxError> {
    let is_raw_control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    let (line_index, line) = source
        .split('\n')
        .enumerate()
        .find(|(_, line)| line.chars().any(is_raw_control))?;
    let (column, character) = line.chars().enumerate().find(|&(_, c)| is_raw_control(c))?;
    Some(SyntaxError {
        message: format!(
            "this is not valid YAML: the file holds the control character U+{:04X}",
            character as u32
        ),
        span: Some(Span {
            line: line_index + 1,
            column: column + 1,
            len: 1,
        }),
        help: Some(
            "YAML allows control characters only as escapes, and a brief has no use for them: \
             remove it (an editor may show it as `^[`, `^G` or not at all)"
                .into(),
        ),
        limit: false,
    })
}

/// A hint for the YAML mistakes people make in briefs.
fn help_for(message: &str, source: &str) -> Option<String> {
    let help = match message {
        m if m.contains("more than one document") => {
            "a brief is one YAML document: remove the `---` separators or split the file"
        }
        m if m.contains("recursion limit") => "a brief nests a few levels deep; this file nests far deeper",
        m if m.contains("repetition limit") => "the file's aliases (`*name`) expand to an enormous document",
        m if m.contains("expect ':'")
            || m.contains("expected ':'")
            || m.contains("mapping values are not allowed") =>
        {
            "is there a `: ` (colon and space) in a text, here or on the lines above? Put such text in quotes"
        }
        m if m.contains("tabs") || (m.contains("cannot start any token") && source.contains('\t')) => {
            "YAML does not allow tabs for indentation: indent with spaces"
        }
        _ => return None,
    };
    Some(help.to_string())
}

/// A parser reports an error at the end of the file one line past the last;
/// point at the end of the last line instead, so there is a line to show.
fn within_source(span: Span, source: &str) -> Span {
    let lines = source.lines().count();
    if span.line <= lines || lines == 0 {
        return span;
    }
    let all: Vec<&str> = source.lines().collect();
    let last = all
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .unwrap_or(lines - 1);
    Span {
        line: last + 1,
        column: all[last].chars().count() + 1,
        len: 1,
    }
}

fn span_of(span: &YamlSpan) -> Span {
    let len = if span.end.line() == span.start.line() {
        span.end.col().saturating_sub(span.start.col())
    } else {
        1
    };
    Span {
        line: span.start.line(),
        column: span.start.col() + 1,
        len: len.max(1),
    }
}

/// A collection being read: its span, its anchor, its items so far, and the
/// values and bytes it holds so far (its aliases expanded).
enum Open {
    Sequence(Span, usize, Vec<Node>, Extent),
    Mapping(Span, usize, Vec<(Node, Node)>, Option<Node>, Extent),
}

/// How large a node is once its aliases are expanded: how many values it
/// holds (itself included) and how many bytes of text.
#[derive(Debug, Clone, Copy)]
struct Extent {
    values: usize,
    bytes: usize,
}

impl Extent {
    const ONE: Extent = Extent {
        values: 1,
        bytes: 0,
    };

    fn add(&mut self, other: Extent) {
        self.values += other.values;
        self.bytes += other.bytes;
    }
}

fn build_tree(source: &str) -> Result<Option<Node>, SyntaxError> {
    // Each anchored node, with its extent.
    let mut anchors: HashMap<usize, (Node, Extent)> = HashMap::new();
    // The whole document so far, counting every expansion of an alias.
    let mut total = Extent {
        values: 0,
        bytes: 0,
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    for event in Parser::new_from_str(source) {
        let (event, yaml_span) = event.map_err(|e| SyntaxError {
            message: format!("this is not valid YAML: {}", e.info()),
            span: Some(Span {
                line: e.marker().line(),
                column: e.marker().col() + 1,
                len: 1,
            })
            .map(|s| within_source(s, source)),
            help: help_for(e.info(), source),
            limit: e.info().contains("recursion limit"),
        })?;
        let span = span_of(&yaml_span);
        let finished = match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let is_null = style == ScalarStyle::Plain
                    && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                let extent = Extent {
                    values: 1,
                    bytes: text.len(),
                };
                let kind = if is_null {
                    Kind::Null
                } else {
                    Kind::Scalar(text.into_owned())
                };
                total.add(extent);
                Some((Node { span, kind }, anchor, extent))
            }
            Event::Alias(id) => {
                let (node, extent) = anchors.get(&id).ok_or_else(|| SyntaxError {
                    message: "this is not valid YAML: unknown anchor".into(),
                    span: Some(span),
                    help: None,
                    limit: false,
                })?;
                if total.values + extent.values > MAX_VALUES {
                    return Err(SyntaxError {
                        message: format!(
                            "the brief's aliases expand to more than {MAX_VALUES} values"
                        ),
                        span: Some(span),
                        help: Some(
                            "this looks like an \"alias bomb\"; a brief needs few aliases, if any"
                                .into(),
                        ),
                        limit: true,
                    });
                }
                if total.bytes + extent.bytes > MAX_EXPANDED_BYTES {
                    return Err(SyntaxError {
                        message: format!(
                            "the brief's aliases expand it to more than the {} a brief may be",
                            crate::files::size(MAX_EXPANDED_BYTES as u64)
                        ),
                        span: Some(span),
                        help: Some(format!(
                            "each use of `{}` repeats its {} of text; a brief needs few aliases, if any",
                            written_at(source, span),
                            crate::files::size(extent.bytes as u64)
                        )),
                        limit: true,
                    });
                }
                total.add(*extent);
                let node = Node {
                    span,
                    kind: node.kind.clone(),
                };
                Some((node, 0, *extent))
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(SyntaxError {
                    message: format!("the brief nests more than {MAX_DEPTH} levels deep"),
                    span: Some(span),
                    help: Some("a brief nests a few levels deep; is this the right file?".into()),
                    limit: true,
                });
            }
            Event::DocumentStart(_) if root.is_some() => {
                return Err(SyntaxError {
                    message: "the file holds more than one YAML document".into(),
                    span: Some(span),
                    help: Some(
                        "a brief is one YAML document: remove the `---` separators or split the file".into(),
                    ),
                    limit: true,
                });
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::Sequence(span, anchor, Vec::new(), Extent::ONE));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Mapping(span, anchor, Vec::new(), None, Extent::ONE));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                total.values += 1;
                match stack.pop() {
                    Some(Open::Sequence(span, anchor, items, extent)) => Some((
                        Node {
                            span,
                            kind: Kind::Sequence(Rc::new(items)),
                        },
                        anchor,
                        extent,
                    )),
                    Some(Open::Mapping(span, anchor, entries, _, extent)) => Some((
                        Node {
                            span,
                            kind: Kind::Mapping(Rc::new(entries)),
                        },
                        anchor,
                        extent,
                    )),
                    None => None,
                }
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => None,
        };
        let Some((node, anchor, extent)) = finished else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), extent));
        }
        match stack.last_mut() {
            Some(Open::Sequence(_, _, items, parent)) => {
                parent.add(extent);
                items.push(node);
            }
            Some(Open::Mapping(_, _, entries, pending_key, parent)) => {
                parent.add(extent);
                match pending_key.take() {
                    Some(key) => entries.push((key, node)),
                    None => *pending_key = Some(node),
                }
            }
            None => root = Some(node),
        }
    }
    Ok(root)
}

/// The text at `span` as written (an alias's `*name`), for a message.
fn written_at(source: &str, span: Span) -> String {
    source
        .lines()
        .nth(span.line - 1)
        .map(|line| line.chars().skip(span.column - 1).take(span.len).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_carry_their_positions() {
        let root = parse("title: Visit\nvisit:\n  start: 2025-05-27\n")
            .unwrap()
            .unwrap();
        let Kind::Mapping(entries) = &root.kind else {
            panic!("not a mapping")
        };
        let (key, value) = &entries[1];
        assert_eq!(
            key.span,
            Span {
                line: 2,
                column: 1,
                len: 5
            }
        );
        let Kind::Mapping(inner) = &value.kind else {
            panic!("not a mapping")
        };
        assert_eq!(
            inner[0].1.span,
            Span {
                line: 3,
                column: 10,
                len: 10
            }
        );
        assert_eq!(inner[0].1.kind, Kind::Scalar("2025-05-27".into()));
    }

    #[test]
    fn empty_text_is_no_document() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn numbers_keep_their_spelling() {
        let root = parse("reference: 007\n").unwrap().unwrap();
        let Kind::Mapping(entries) = &root.kind else {
            panic!()
        };
        assert_eq!(entries[0].1.kind, Kind::Scalar("007".into()));
    }

    #[test]
    fn aliases_share_their_anchor() {
        let root = parse("a: &x [1, 2]\nb: *x\n").unwrap().unwrap();
        let Kind::Mapping(entries) = &root.kind else {
            panic!()
        };
        let (Kind::Sequence(anchor), Kind::Sequence(alias)) =
            (&entries[0].1.kind, &entries[1].1.kind)
        else {
            panic!()
        };
        assert!(Rc::ptr_eq(anchor, alias), "not copied");
        assert_eq!(entries[1].1.span.line, 2, "the alias has its own place");
    }

    #[test]
    fn expanded_text_is_counted_in_bytes() {
        let big = "x".repeat(1024 * 1024);
        let uses = ["*x"; 8].join(", ");
        let error = parse(&format!("a: &x {big}\nb: [{uses}]\n")).unwrap_err();
        assert_eq!(
            error.message,
            "the brief's aliases expand it to more than the 8 MB a brief may be"
        );
        // The anchor and six uses make 7 MiB and two bytes of keys: the
        // seventh use passes 8 MiB.
        assert_eq!(
            error.span,
            Some(Span {
                line: 2,
                column: 29,
                len: 2
            })
        );
        assert_eq!(
            error.help.as_deref(),
            Some("each use of `*x` repeats its 1 MB of text; a brief needs few aliases, if any")
        );
        assert!(parse(&format!("a: &x {big}\nb: [{}]\n", ["*x"; 6].join(", "))).is_ok());
    }

    #[test]
    fn several_documents_are_refused() {
        let error = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(error.message, "the file holds more than one YAML document");
        assert_eq!(error.span.map(|s| s.line), Some(2));
    }
}
