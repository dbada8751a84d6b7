//! Escaping plain text for Markdown, so that text from a brief never changes
//! the structure of the document: a name holding `|`, `*`, `#`, `<` or `[`
//! stays those characters, not a table cell break, emphasis, a heading or
//! markup. This replaces handlebars' HTML escaping, which is wrong for
//! Markdown (`&amp;` would show as such).

/// Escapes `text` so that CommonMark (with GitHub tables) reads it back as
/// exactly this text. Line breaks become spaces: a Markdown table cell or
/// list line cannot hold one, and a name never needs one.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if c == '\n' || c == '\r' {
            pending_space = true;
            continue;
        }
        if pending_space {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            // A line break read as a space must not trail into a hard break.
            if c == ' ' {
                continue;
            }
        }
        match c {
            // Always markup, wherever they stand.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Entity references such as `&amp;` or `&#42;`.
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            _ if at_start && starts_a_block(text) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        at_start = false;
    }
    escape_ordered_list_marker(out)
}

/// Whether `text`, standing at the start of a line, would open a heading,
/// block quote, list item, thematic break or setext underline.
fn starts_a_block(text: &str) -> bool {
    let spaced = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    let first = text.chars().next();
    match first {
        Some('>') => true,
        Some('#') => hashes <= 6 && spaced(&text[hashes..]),
        Some('-' | '+') if spaced(&text[1..]) => true,
        Some(c @ ('-' | '=')) => text.chars().all(|x| x == c || x == ' '),
        _ => false,
    }
}

/// `27. Mai 2025` at the start of a line would be item 27 of a numbered
/// list: escape the dot (or parenthesis) that makes it one.
fn escape_ordered_list_marker(text: String) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return text;
    }
    let rest = &text[digits..];
    let marker = rest.as_bytes().first().copied();
    let after = rest.as_bytes().get(1).copied();
    if matches!(marker, Some(b'.' | b')')) && matches!(after, None | Some(b' ' | b'\t')) {
        format!("{}\\{}", &text[..digits], &rest)
    } else {
        text
    }
}

/// Markdown from a brief's Markdown field, made to fit in one table cell:
/// line breaks become spaces and a `|` no longer ends the cell.
pub fn table_cell(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut previous = ' ';
    for c in markdown.chars() {
        match c {
            '\n' | '\r' => {
                if previous != ' ' {
                    out.push(' ');
                }
                previous = ' ';
                continue;
            }
            '|' if previous != '\\' => out.push_str("\\|"),
            _ => out.push(c),
        }
        previous = c;
    }
    out.trim_end().to_string()
}

/// Markdown from a brief's long field, indented so that its second and later
/// lines stay inside the list item or block it is placed in.
pub fn indented(markdown: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(markdown.len());
    for (i, line) in markdown.trim_end().lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(if line.trim().is_empty() { "" } else { line });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            markdown("A | B *c* [d] <e> `f` _g_"),
            r"A \| B \*c\* \[d\] \<e> \`f\` \_g\_"
        );
        assert_eq!(markdown("# Not a heading"), r"\# Not a heading");
        assert_eq!(markdown("Tom & Jerry &amp;"), r"Tom & Jerry \&amp;");
        assert_eq!(markdown("- not a list"), r"\- not a list");
        assert_eq!(markdown("---"), r"\---");
        assert_eq!(markdown("> not a quote"), r"\> not a quote");
        assert_eq!(markdown("+49 30 1234"), "+49 30 1234");
        assert_eq!(markdown("#hashtag"), "#hashtag");
    }

    #[test]
    fn ordinary_punctuation_is_left_alone() {
        assert_eq!(
            markdown("Dr. Anna Smith-Jones (Ret.)"),
            "Dr. Anna Smith-Jones (Ret.)"
        );
        assert_eq!(markdown("27.–29. Mai 2025"), "27.–29. Mai 2025");
    }

    #[test]
    fn numbers_that_would_start_a_list_are_escaped() {
        assert_eq!(markdown("27. Mai 2025"), r"27\. Mai 2025");
        assert_eq!(markdown("3) point"), r"3\) point");
        assert_eq!(markdown("2025"), "2025");
    }

    #[test]
    fn line_breaks_become_one_space() {
        assert_eq!(markdown("Anna\nSmith"), "Anna Smith");
        assert_eq!(markdown("Anna \r\n Smith"), "Anna Smith");
    }

    #[test]
    fn cells_and_indents() {
        assert_eq!(table_cell("a | b\nc \\| d"), r"a \| b c \| d");
        assert_eq!(
            indented("one\n\n- two\n- three\n", 2),
            "one\n\n  - two\n  - three"
        );
    }
}
