//! Characters no font has: one warning at the value that holds them
//! (`check`), or for each section they are in (`render`).

use super::*;

/// A warning for each character of a value that no font has, at the value.
pub(super) fn missing_characters(
    input: &Path,
    brief: &brief::Brief,
    spans: &brief::Spans,
    fonts: &Fonts,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let Ok(tree) = serde_json::to_value(brief) else {
        return found;
    };
    let mut todo = vec![(String::new(), &tree)];
    while let Some((path, value)) = todo.pop() {
        match value {
            serde_json::Value::String(text) => {
                let mut seen: HashSet<char> = HashSet::new();
                let mut missing: Vec<char> = Vec::new();
                for c in text.chars() {
                    if c.is_ascii() || c.is_control() || !seen.insert(c) {
                        continue;
                    }
                    if !fonts.can_show(crate::typeset::fonts::Face::Regular, c) {
                        missing.push(c);
                    }
                }
                if !missing.is_empty() {
                    let mut diagnostic = Diagnostic::error(input, no_font_has(&missing))
                        .at(Location {
                            span: spans.get(&path).copied(),
                            path: Some(path.clone()),
                        })
                        .with_help(Some(add_a_font(&missing)));
                    diagnostic.severity = Severity::Warning;
                    found.push(diagnostic);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    todo.push((format!("{path}[{i}]"), item));
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, item) in fields.iter().rev() {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    todo.push((path, item));
                }
            }
            _ => {}
        }
    }
    found
}

/// How to give text a font for the characters it lacks: the end of a
/// warning.
pub(super) fn add_a_font(missing: &[char]) -> String {
    format!(
        "name a font that has {}: in the theme's `fonts.fallbacks`, or a folder of fonts with `--font-path` (`briefing fonts` lists those used)",
        if missing.len() == 1 { "it" } else { "them" }
    )
}

/// The characters listed in a warning, at most: a name in a script no font
/// has is one warning, not one per letter.
const MISSING_LISTED: usize = 5;

/// `no font has the character …` for characters missing in one place.
pub(super) fn no_font_has(missing: &[char]) -> String {
    let listed: Vec<String> = missing
        .iter()
        .take(MISSING_LISTED)
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    match missing.len() {
        1 => format!("no font has the character {}; it shows as �", listed[0]),
        n if n <= MISSING_LISTED => format!(
            "no font has the characters {} and {}; they show as �",
            listed[..n - 1].join(", "),
            listed[n - 1]
        ),
        n => format!(
            "no font has the characters {} and {} more; they show as �",
            listed.join(", "),
            n - MISSING_LISTED
        ),
    }
}

/// The warnings of a laid-out document as diagnostics: the characters no
/// font has, one warning for each section they are in.
pub(super) fn warning_diagnostics(input: &Path, warnings: &[Warning]) -> Vec<Diagnostic> {
    // In the order met; each character once per section (a set beside each
    // list, so that a section of a thousand missing characters stays cheap).
    let mut by_context: Vec<(&str, Vec<char>)> = Vec::new();
    let mut seen: HashMap<&str, (usize, HashSet<char>)> = HashMap::new();
    for Warning::MissingGlyph { character, context } in warnings {
        let (at, characters) = seen.entry(context).or_insert_with(|| {
            by_context.push((context, Vec::new()));
            (by_context.len() - 1, HashSet::new())
        });
        if characters.insert(*character) {
            by_context[*at].1.push(*character);
        }
    }
    by_context
        .into_iter()
        .map(|(context, missing)| {
            let mut diagnostic =
                Diagnostic::error(input, no_font_has(&missing)).with_help(Some(format!(
                    "{} {}; {}",
                    if missing.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    },
                    // Text before the first heading is the cover's.
                    if context.is_empty() {
                        "on the cover".to_string()
                    } else {
                        format!("in “{context}”")
                    },
                    add_a_font(&missing)
                )));
            diagnostic.severity = Severity::Warning;
            diagnostic
        })
        .collect()
}
