//! What a contact's e-mail address and phone number link to: `mailto:` and
//! `tel:` URIs, or nothing for a value that is not an address or a number
//! (it is then shown as written, and `check` warns about it).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What an address may hold as it is in a `mailto:` URI (RFC 6068: the
/// unreserved characters and its "some-delims"); everything else, `%`, `?`,
/// `#`, `&`, `=`, spaces and letters beyond ASCII among them, is
/// percent-encoded.
const MAILTO_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b':')
    .remove(b'@');

/// Whether `email` is an e-mail address, as RFC 5322 writes one (its
/// `addr-spec`, with letters beyond ASCII as RFC 6531 allows): a local part
/// of dot-separated runs of letters, digits and `` !#$%&'*+-/=?^_`{|}~ ``, or
/// a quoted string (`"a b"`); one `@`; a domain of dot-separated labels of
/// letters, digits and inner hyphens. Nothing else: no `mailto:`, no
/// `?subject=`, no `<…>`, no comments.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    (is_dot_atom(local) || is_quoted_string(local)) && is_domain(domain)
}

/// RFC 5322's `atext`, with any letter beyond ASCII.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && !c.is_control() && !c.is_whitespace())
}

/// `a.b.c`: runs of `atext` joined by single dots.
fn is_dot_atom(text: &str) -> bool {
    text.split('.')
        .all(|run| !run.is_empty() && run.chars().all(is_atext))
}

/// `"…"`: printable characters and spaces in quotes, a `"` or `\` inside
/// escaped with `\`.
fn is_quoted_string(text: &str) -> bool {
    let Some(inner) = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return false;
    };
    let mut chars = inner.chars();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        let c = if c == '\\' {
            match chars.next() {
                Some(escaped) => escaped,
                None => return false,
            }
        } else if c == '"' {
            return false;
        } else {
            c
        };
        if c.is_control() || (c.is_whitespace() && c != ' ') {
            return false;
        }
    }
    any
}

/// `mfa.example`: labels of letters and digits, hyphens inside them, joined
/// by dots.
fn is_domain(domain: &str) -> bool {
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    domain.split('.').all(label)
}

/// The `mailto:` URI of an e-mail address, its characters percent-encoded
/// where a URI needs them to be; `None` for a value that is not an address.
pub fn mailto(email: &str) -> Option<String> {
    is_email(email).then(|| format!("mailto:{}", utf8_percent_encode(email, MAILTO_KEEPS)))
}

/// The characters a phone number may be written with besides its digits
/// (and a leading `+`): spaces and the usual punctuation.
fn is_phone_punctuation(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '-' | '‐' | '–' | '.' | '/' | '(' | ')')
}

/// The `tel:` URI of a phone number: its digits, with a leading `+` kept and
/// spaces and punctuation dropped (`+47 22 55 01 23` → `tel:+4722550123`);
/// `None` for a value with anything else in it (letters, an extension
/// written out) or with fewer than three digits.
pub fn tel(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let (plus, rest) = match phone.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", phone),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !is_phone_punctuation(c) {
            return None;
        }
    }
    (digits.len() >= 3).then(|| format!("tel:{plus}{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_mailto_uris_with_odd_characters_encoded() {
        assert_eq!(
            mailto("maja.solberg@mfa.nordland.example").as_deref(),
            Some("mailto:maja.solberg@mfa.nordland.example")
        );
        assert_eq!(
            mailto("a%b?c#d&e=f@x.example").as_deref(),
            Some("mailto:a%25b%3Fc%23d%26e%3Df@x.example")
        );
        assert_eq!(
            mailto("zoë@bücher.example").as_deref(),
            Some("mailto:zo%C3%AB@b%C3%BCcher.example")
        );
        assert_eq!(
            mailto("o'brien+visits@x.example").as_deref(),
            Some("mailto:o'brien+visits@x.example")
        );
        // A quoted local part is an address too.
        assert_eq!(
            mailto("\"a b\"@x.org").as_deref(),
            Some("mailto:%22a%20b%22@x.org")
        );
        assert_eq!(
            mailto("\"a\\\"b\"@x.org").as_deref(),
            Some("mailto:%22a%5C%22b%22@x.org")
        );
    }

    #[test]
    fn what_is_not_an_address_is_not_linked() {
        for value in [
            "n/a",
            "maja@",
            "@x.example",
            "a@b@c",
            "a b@x.example",
            "a@x..example",
            "a@x.example.",
            "mailto:a@b.example",
            "x@y.example?subject=hi&body=x",
            "<script>@x.org",
            "a@-x.org",
            "a.@x.org",
            ".a@x.org",
            "\"a\"b\"@x.org",
            "\"\"@x.org",
            "a@[192.0.2.1]",
        ] {
            assert_eq!(mailto(value), None, "{value}");
        }
    }

    #[test]
    fn phone_numbers_keep_their_digits_and_leading_plus() {
        assert_eq!(tel("+47 22 55 01 23").as_deref(), Some("tel:+4722550123"));
        assert_eq!(tel("(030) 1234-567").as_deref(), Some("tel:0301234567"));
        assert_eq!(
            tel("+30 210/555.0100").as_deref(),
            Some("tel:+302105550100")
        );
        for value in [
            "ask the switchboard",
            "+47 22 55 01 23 ext. 4",
            "12",
            "+",
            "1+2345",
        ] {
            assert_eq!(tel(value), None, "{value}");
        }
    }
}
