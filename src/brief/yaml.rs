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
}

/// Parses one YAML document into a tree. `Ok(None)` means the text holds no
/// document at all (empty, or only comments).
pub fn parse(source: &str) -> Result<Option<Node>, SyntaxError> {
    gate(source)?;
    build_tree(source)
}

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
    let help = match message.as_str() {
        m if m.contains("more than one document") => {
            Some("a brief is one YAML document: remove the `---` separators or split the file".into())
        }
        m if m.contains("recursion limit") => {
            Some("a brief nests a few levels deep; this file nests far deeper".into())
        }
        m if m.contains("repetition limit") => {
            Some("the file's aliases (`*name`) expand to an enormous document".into())
        }
        m if m.contains("EOF while parsing") => return Ok(()), // empty: reported by the caller
        m if m.contains("expected ':'") || m.contains("mapping values are not allowed") => Some(
            "is there a `: ` (colon and space) in a text, here or on the lines above? Put such text in quotes".into(),
        ),
        m if m.contains("cannot start any token") && source.contains('\t') => {
            Some("YAML does not allow tabs for indentation: indent with spaces".into())
        }
        _ => None,
    };
    let span = error.location().map(|l| Span {
        line: l.line(),
        column: l.column(),
        len: 1,
    });
    Err(SyntaxError {
        message: format!("this is not valid YAML: {message}"),
        span,
        help,
    })
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
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    for event in Parser::new_from_str(source) {
        let (event, yaml_span) = event.map_err(|e| SyntaxError {
            message: format!("this is not valid YAML: {}", e.info()),
            span: Some(Span {
                line: e.marker().line(),
                column: e.marker().col() + 1,
                len: 1,
            }),
            help: None,
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
                Some((Node { span, kind }, anchor))
            }
            Event::Alias(id) => {
                // The gate has already bounded how far aliases expand.
                let mut node = anchors.get(&id).cloned().ok_or_else(|| SyntaxError {
                    message: "this is not valid YAML: unknown anchor".into(),
                    span: Some(span),
                    help: None,
                })?;
                node.span = span;
                Some((node, 0))
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::Sequence(span, anchor, Vec::new()));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Mapping(span, anchor, Vec::new(), None));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Sequence(span, anchor, items)) => Some((
                    Node {
                        span,
                        kind: Kind::Sequence(items),
                    },
                    anchor,
                )),
                Some(Open::Mapping(span, anchor, entries, _)) => Some((
                    Node {
                        span,
                        kind: Kind::Mapping(entries),
                    },
                    anchor,
                )),
                None => None,
            },
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => None,
        };
        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
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
        assert!(
            error.message.contains("more than one document"),
            "{error:?}"
        );
    }
}
