//! A brief's Markdown values hold Markdown, not HTML. The templates place
//! them among their own lines, where an HTML comment on a line of its own
//! is a directive of the typesetter (`<!-- card -->`, `<!-- pagebreak -->`)
//! and an HTML block can run on past the value (an unclosed `<pre>` to the
//! end of the document): a value could open a card that swallows the
//! sections after it, or close the template's card early. So HTML comments
//! in a value are left out, as Markdown renderers hide them, and any other
//! HTML is shown as written, in the PDF and the Markdown summary alike.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A value without its HTML, and the directives that were left out of it
/// (as written, `<!-- card -->`), for `check` to warn about.
pub struct Cleaned {
    pub text: String,
    pub directives: Vec<String>,
}

/// What the typesetter reads as a directive (`typeset::markdown`): a
/// comment starting with one of these words is one.
const DIRECTIVES: [&str; 10] = [
    "cover",
    "pagebreak",
    "contents",
    "anchor",
    "columns",
    "card",
    "one-page",
    "see",
    "end",
    "logo",
];

/// `text` with its HTML comments left out and its other HTML made literal
/// text. Twice: what the first pass turns into text can let a line after it
/// be read anew (an indented line joining the paragraph before it).
pub fn without_html(text: &str) -> Cleaned {
    let first = pass(text);
    if first.text == text {
        return first;
    }
    let mut second = pass(&first.text);
    let mut directives = first.directives;
    directives.append(&mut second.directives);
    Cleaned {
        text: second.text,
        directives,
    }
}

fn pass(text: &str) -> Cleaned {
    // The typesetter's options: what it reads as HTML is read here.
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut directives = Vec::new();
    let mut block: Option<Vec<Range<usize>>> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => block = Some(Vec::new()),
            Event::Html(_) => {
                if let Some(lines) = &mut block {
                    lines.push(range);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(lines) = block.take() {
                    html_block(text, &lines, &mut edits, &mut directives);
                }
            }
            Event::InlineHtml(html) => {
                if html.starts_with("<!--") {
                    note_directive(&html, &mut directives);
                    edits.push((range, String::new()));
                } else {
                    edits.push((range, literal(&html)));
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return Cleaned {
            text: text.to_string(),
            directives,
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cleaned {
        // A value is trimmed when read: so it stays, lines left empty at
        // either end dropped.
        text: out.trim_start_matches(['\n', '\r']).trim_end().to_string(),
        directives,
    }
}

/// An HTML block, by the ranges of its lines (without the `> ` or list
/// indent before them): its comments left out, every other character of it
/// made literal, each line in its place.
fn html_block(
    text: &str,
    lines: &[Range<usize>],
    edits: &mut Vec<(Range<usize>, String)>,
    directives: &mut Vec<String>,
) {
    // The lines' contents without their line breaks, joined with `\n`.
    let contents: Vec<Range<usize>> = lines
        .iter()
        .map(|line| {
            let content = text[line.clone()].trim_end_matches(['\n', '\r']);
            line.start..line.start + content.len()
        })
        .collect();
    let joined: String = contents
        .iter()
        .map(|c| &text[c.clone()])
        .collect::<Vec<_>>()
        .join("\n");
    // Which bytes of `joined` are in a comment. One never closed is text.
    let mut in_comment = vec![false; joined.len()];
    let mut from = 0;
    while let Some(open) = joined[from..].find("<!--").map(|i| from + i) {
        // `<!-->` and `<!--->` are whole comments, as they end an HTML block.
        let Some(close) = joined[open + 2..].find("-->").map(|i| open + 2 + i + 3) else {
            break;
        };
        note_directive(&joined[open..close], directives);
        in_comment[open..close].fill(true);
        from = close;
    }
    let mut start = 0;
    for content in contents {
        let end = start + content.len();
        let kept: String = joined[start..end]
            .char_indices()
            .filter(|(i, _)| !in_comment[start + i])
            .map(|(_, c)| c)
            .collect();
        edits.push((content, literal(kept.trim())));
        start = end + 1;
    }
}

/// Text that Markdown reads back as exactly this: every ASCII punctuation
/// character backslash-escaped, so that nothing in it is markup.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Notes `comment` (`<!-- … -->`) when the typesetter would read it as a
/// directive.
fn note_directive(comment: &str, directives: &mut Vec<String>) {
    let inner = comment
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim();
    let word: String = inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    if DIRECTIVES.contains(&word.as_str()) {
        directives.push(comment.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(text: &str) -> (String, Vec<String>) {
        let c = without_html(text);
        (c.text, c.directives)
    }

    #[test]
    fn comments_are_left_out_and_directives_noted() {
        assert_eq!(
            cleaned("Minister.\n\n<!-- card -->"),
            ("Minister.".into(), vec!["<!-- card -->".into()])
        );
        assert_eq!(
            cleaned("Minister.\n<!-- end card -->\nMore."),
            (
                "Minister.\n\nMore.".into(),
                vec!["<!-- end card -->".into()]
            )
        );
        assert_eq!(cleaned("a <!-- note --> b"), ("a  b".into(), vec![]));
        assert_eq!(
            cleaned("- a\n\n  <!-- one-page: x -->\n  b"),
            ("- a\n\n  \n  b".into(), vec!["<!-- one-page: x -->".into()])
        );
        assert_eq!(
            cleaned("<!--\nnote\n\nmore\n--> after"),
            ("after".into(), vec![])
        );
        assert_eq!(cleaned("<!-->x"), ("x".into(), vec![]));
    }

    #[test]
    fn other_html_is_shown_as_written() {
        assert_eq!(cleaned("<pre>\nx").0, "\\<pre\\>\nx");
        assert_eq!(cleaned("a <b>bold</b>").0, "a \\<b\\>bold\\<\\/b\\>");
        assert_eq!(
            cleaned("> <div>\n> <!-- card -->\n> x"),
            ("> \\<div\\>\n> \n> x".into(), vec!["<!-- card -->".into()])
        );
        // An unclosed comment is text.
        assert_eq!(cleaned("<!-- card").0, "\\<\\!\\-\\- card");
    }

    #[test]
    fn markdown_without_html_is_unchanged() {
        let text =
            "**Bold** and `<!-- code -->`\n\n    <!-- indented code -->\n\n- item <https://x.org>";
        assert_eq!(cleaned(text), (text.into(), vec![]));
    }
}
