//! YAML text to a tree of nodes that know where they stand in the file.
//!
//! serde_yaml is the gatekeeper: it decides whether the text is YAML at all
//! and enforces the limits that keep hostile input cheap (nesting depth,
//! alias expansion, one document only). It does not expose positions, so a
//! second, pure-Rust event parser (saphyr) builds the tree the loader reads,
//! with the line and column of every key and value.

use std::collections::HashMap;

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
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
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

enum Open {
    Sequence(Span, usize, Vec<Node>),
    Mapping(Span, usize, Vec<(Node, Node)>, Option<Node>),
}

fn build_tree(source: &str) -> Result<Option<Node>, SyntaxError> {
    // Each anchored node, with how many values it holds (itself included).
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    // Values so far, counting every expansion of an alias, and values in each
    // open collection, so that an anchored collection knows its size.
    let mut total = 0usize;
    let mut open_sizes: Vec<usize> = Vec::new();
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
                let kind = if is_null {
                    Kind::Null
                } else {
                    Kind::Scalar(text.into_owned())
                };
                total += 1;
                Some((Node { span, kind }, anchor, 1))
            }
            Event::Alias(id) => {
                let (node, size) = anchors.get(&id).ok_or_else(|| SyntaxError {
                    message: "this is not valid YAML: unknown anchor".into(),
                    span: Some(span),
                    help: None,
                    limit: false,
                })?;
                if total + size > MAX_VALUES {
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
                total += size;
                let mut node = node.clone();
                node.span = span;
                Some((node, 0, *size))
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
                stack.push(Open::Sequence(span, anchor, Vec::new()));
                open_sizes.push(1);
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Mapping(span, anchor, Vec::new(), None));
                open_sizes.push(1);
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                total += 1;
                let size = open_sizes.pop().unwrap_or(1);
                match stack.pop() {
                    Some(Open::Sequence(span, anchor, items)) => Some((
                        Node {
                            span,
                            kind: Kind::Sequence(items),
                        },
                        anchor,
                        size,
                    )),
                    Some(Open::Mapping(span, anchor, entries, _)) => Some((
                        Node {
                            span,
                            kind: Kind::Mapping(entries),
                        },
                        anchor,
                        size,
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
        let Some((node, anchor, size)) = finished else {
            continue;
        };
        if let Some(parent) = open_sizes.last_mut() {
            *parent += size;
        }
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        match stack.last_mut() {
            Some(Open::Sequence(_, _, items)) => items.push(node),
            Some(Open::Mapping(_, _, entries, pending_key)) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => *pending_key = Some(node),
            },
            None => root = Some(node),
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_carry_their_positions() {
        let root = parse("title: Visit\nvisit:\n  start: 2025-05-27\n")
            .unwrap()
            .unwrap();
        let Kind::Mapping(entries) = root.kind else {
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
        let Kind::Mapping(entries) = root.kind else {
            panic!()
        };
        assert_eq!(entries[0].1.kind, Kind::Scalar("007".into()));
    }

    #[test]
    fn several_documents_are_refused() {
        let error = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(error.message, "the file holds more than one YAML document");
        assert_eq!(error.span.map(|s| s.line), Some(2));
    }
}
