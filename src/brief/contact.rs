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

/// Whether `email` is an e-mail address: one `@` between a name and a
/// domain of dot-separated parts, with no spaces or control characters.
pub fn is_email(email: &str) -> bool {
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match email.split_once('@') {
        Some((name, domain)) => {
            !name.is_empty()
                && !domain.contains('@')
                && !domain.is_empty()
                && domain.split('.').all(|part| !part.is_empty())
        }
        None => false,
    }
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
