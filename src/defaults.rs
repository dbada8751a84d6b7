//! `briefing.toml`: the defaults of a folder of briefs, so that a team
//! writes its output folder, templates, fonts and markings once rather than
//! in every CI step. The nearest file wins: in the folder of the briefs, or
//! in a folder above it, up to the root of the git repository (the folder
//! holding `.git`) or of the file system. Flags given on the command line
//! win over the file. Every problem in the file is reported at once, at its
//! line and column.

use std::path::{Component, Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{display_path, nearest, Diagnostic, Location, Span};

/// The file's name.
pub const FILE_NAME: &str = "briefing.toml";

/// A defaults file larger than this is refused unread: real ones are a few
/// lines.
pub const MAX_BYTES: u64 = 64 * 1024;

/// The formats `formats` may list, as `--format` takes them.
pub const FORMATS: &[&str] = &["pdf", "md", "ics"];

/// The standards `pdf-standard` may name, as `--pdf-standard` takes them.
pub const PDF_STANDARDS: &[&str] = &["ua-1", "a-2b", "a-2u", "a-2a"];

/// The keys of the file, each named after the flag it stands for
/// (`pack` is `-o` of `briefing pack`).
const KEYS: &[&str] = &[
    "out",
    "pack",
    "templates",
    "formats",
    "marking-order",
    "font-path",
    "allow-path",
    "pdf-standard",
];

/// What a defaults file sets. Paths are relative to the current folder,
/// resolved from the file's own folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// The file, as it is shown in messages.
    pub file: PathBuf,
    pub out: Option<PathBuf>,
    pub pack: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// Each one of [`FORMATS`].
    pub formats: Option<Vec<String>>,
    pub marking_order: Option<Vec<String>>,
    pub font_path: Vec<PathBuf>,
    /// Resolved (`canonicalize`d), as `--allow-path` resolves its folders.
    pub allow_path: Vec<PathBuf>,
    /// One of [`PDF_STANDARDS`].
    pub pdf_standard: Option<String>,
}

/// A defaults file that cannot be used: every problem in it, and its text
/// to quote the lines from.
#[derive(Debug)]
pub struct Problems {
    pub diagnostics: Vec<Diagnostic>,
    pub source: Option<String>,
}

/// The nearest defaults file for a brief or a folder of briefs: in its
/// folder, or in one above, up to a folder holding `.git` or the root.
pub fn find(input: &Path) -> Option<PathBuf> {
    let start = if input.is_dir() {
        input.to_path_buf()
    } else {
        match input.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let start = start.canonicalize().ok()?;
    let here = std::env::current_dir()
        .and_then(|dir| dir.canonicalize())
        .ok();
    for folder in start.ancestors() {
        let file = folder.join(FILE_NAME);
        // Anything of that name, so that a folder or a pipe is refused, not passed over.
        if std::fs::symlink_metadata(&file).is_ok() {
            // Shown relative to the current folder where it is below it.
            let shown = here
                .as_deref()
                .and_then(|here| file.strip_prefix(here).ok())
                .map_or_else(|| file.clone(), Path::to_path_buf);
            return Some(shown);
        }
        if folder.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Reads and checks a defaults file.
pub fn read(file: &Path) -> Result<Defaults, Problems> {
    let text = crate::files::read_input(file, MAX_BYTES)
        .map_err(|error| Problems {
            diagnostics: vec![Diagnostic::error(
                file,
                format!("cannot read the defaults file: {error}"),
            )],
            source: None,
        })
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| Problems {
                diagnostics: vec![Diagnostic::error(
                    file,
                    "the defaults file is not UTF-8 text",
                )],
                source: None,
            })
        })?;
    let mut reader = Reader {
        file,
        text: &text,
        folder: file.parent().unwrap_or(Path::new("")),
        problems: Vec::new(),
    };
    let defaults = reader.defaults();
    if reader.problems.is_empty() {
        Ok(defaults)
    } else {
        Err(Problems {
            diagnostics: reader.problems,
            source: Some(text),
        })
    }
}

struct Reader<'a> {
    file: &'a Path,
    text: &'a str,
    folder: &'a Path,
    problems: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn defaults(&mut self) -> Defaults {
        let mut defaults = Defaults {
            file: self.file.to_path_buf(),
            ..Defaults::default()
        };
        let table = match DeTable::parse(self.text) {
            Ok(table) => table.into_inner(),
            Err(error) => {
                let span = error.span();
                self.problem(
                    span,
                    None,
                    format!(
                        "the defaults file is not TOML: {}",
                        error.message().trim_end()
                    ),
                    Some("write one `key = value` a line, e.g. `out = \"out\"`".into()),
                );
                return defaults;
            }
        };
        // In the order of the file, not of the keys.
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let name = key.get_ref().as_ref();
            match name {
                "out" => defaults.out = self.path(name, value),
                "pack" => defaults.pack = self.path(name, value),
                "templates" => defaults.templates = self.path(name, value),
                "formats" => {
                    defaults.formats = self.choices(
                        name,
                        value,
                        FORMATS,
                        "format",
                        "formats = [\"pdf\", \"md\"]",
                    )
                }
                "marking-order" => {
                    defaults.marking_order = self.texts(
                        name,
                        value,
                        "marking-order = [\"SECRET\", \"CONFIDENTIAL\"]",
                    )
                }
                "font-path" => defaults.font_path = self.folders(name, value, false),
                "allow-path" => defaults.allow_path = self.folders(name, value, true),
                "pdf-standard" => {
                    defaults.pdf_standard = self
                        .choices(
                            name,
                            value,
                            PDF_STANDARDS,
                            "PDF standard",
                            "pdf-standard = \"ua-1\"",
                        )
                        .and_then(|mut one| one.pop())
                }
                _ => {
                    let help = match nearest(name, KEYS.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("the keys are {}", listed(KEYS, "and")),
                    };
                    self.problem(
                        Some(key.span()),
                        Some(name),
                        format!("unknown key `{name}`"),
                        Some(help),
                    );
                }
            }
        }
        defaults
    }

    fn problem(
        &mut self,
        bytes: Option<std::ops::Range<usize>>,
        path: Option<&str>,
        message: String,
        help: Option<String>,
    ) {
        let span = bytes.map(|bytes| span_of(self.text, bytes));
        self.problems.push(
            Diagnostic::error(self.file, message)
                .at(Location {
                    span,
                    path: path.map(str::to_string),
                })
                .with_help(help),
        );
    }

    fn expected(&mut self, name: &str, value: &Spanned<DeValue>, what: &str, example: &str) {
        self.problem(
            Some(value.span()),
            Some(name),
            format!(
                "`{name}` should be {what}, but it is {}",
                describe(value.get_ref())
            ),
            Some(format!("for example `{example}`")),
        );
    }

    /// A folder or file, relative to the defaults file's folder.
    fn path(&mut self, name: &str, value: &Spanned<DeValue>) -> Option<PathBuf> {
        match value.get_ref() {
            DeValue::String(text) if !text.is_empty() => Some(self.resolved(text)),
            _ => {
                self.expected(
                    name,
                    value,
                    "a path in quotes",
                    &format!("{name} = \"out\""),
                );
                None
            }
        }
    }

    fn resolved(&self, written: &str) -> PathBuf {
        normalised(&self.folder.join(written))
    }

    /// A text, or a list of texts: `x = "a"` or `x = ["a", "b"]`.
    fn texts(
        &mut self,
        name: &str,
        value: &Spanned<DeValue>,
        example: &str,
    ) -> Option<Vec<String>> {
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => {
                self.expected(name, value, "a list of texts in quotes", example);
                return None;
            }
        };
        let mut texts = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => texts.push(text.trim().to_string()),
                _ => {
                    self.expected(name, item, "a list of texts in quotes", example);
                    return None;
                }
            }
        }
        Some(texts)
    }

    /// Texts each one of `allowed`.
    fn choices(
        &mut self,
        name: &str,
        value: &Spanned<DeValue>,
        allowed: &[&str],
        what: &str,
        example: &str,
    ) -> Option<Vec<String>> {
        let texts = self.texts(name, value, example)?;
        if texts.is_empty() {
            // An empty list would have nothing written, and say it did.
            self.problem(
                Some(value.span()),
                Some(name),
                format!("`{name}` lists no {what}"),
                Some(format!(
                    "list at least one, {} (e.g. `{example}`), or leave `{name}` out for the default",
                    listed(allowed, "or")
                )),
            );
            return None;
        }
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            _ => vec![value],
        };
        let mut ok = true;
        for (text, item) in texts.iter().zip(items) {
            if !allowed.contains(&text.as_str()) {
                let help = match nearest(text, allowed.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("use {}", listed(allowed, "or")),
                };
                self.problem(
                    Some(item.span()),
                    Some(name),
                    format!("unknown {what} `{text}`"),
                    Some(help),
                );
                ok = false;
            }
        }
        ok.then_some(texts)
    }

    /// Folders, each of which must exist; `resolve` as `--allow-path` does.
    fn folders(&mut self, name: &str, value: &Spanned<DeValue>, resolve: bool) -> Vec<PathBuf> {
        let example = format!("{name} = [\"fonts\"]");
        let Some(texts) = self.texts(name, value, &example) else {
            return Vec::new();
        };
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            _ => vec![value],
        };
        let mut folders = Vec::new();
        for (text, item) in texts.iter().zip(items) {
            let folder = self.resolved(text);
            if !folder.is_dir() {
                self.problem(
                    Some(item.span()),
                    Some(name),
                    format!("`{}` is not a folder", display_path(&folder)),
                    Some(format!(
                        "paths in {FILE_NAME} are relative to its own folder"
                    )),
                );
                continue;
            }
            folders.push(if resolve {
                folder.canonicalize().unwrap_or(folder)
            } else {
                folder
            });
        }
        folders
    }
}

/// "`a`, `b` or `c`".
fn listed(items: &[&str], last: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        Some((one, [])) => one.clone(),
        Some((final_item, first)) => format!("{} {last} {final_item}", first.join(", ")),
        None => String::new(),
    }
}

/// What a TOML value is, in words.
fn describe(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a text",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// `a/b/../c` as `a/c`, and without `./`: paths of the file as a person
/// would write them from the current folder.
fn normalised(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The line and column (in characters, from 1) of a byte range of `text`.
fn span_of(text: &str, bytes: std::ops::Range<usize>) -> Span {
    let start = bytes.start.min(text.len());
    let before = &text[..floor_char_boundary(text, start)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let end = floor_char_boundary(text, bytes.end.min(text.len()).max(start));
    let len = text[floor_char_boundary(text, start)..end]
        .split('\n')
        .next()
        .map_or(1, |first| first.chars().count().max(1));
    Span { line, column, len }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_written_from_the_current_folder() {
        assert_eq!(normalised(Path::new("briefs/../out")), PathBuf::from("out"));
        assert_eq!(normalised(Path::new("./out")), PathBuf::from("out"));
        assert_eq!(normalised(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalised(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn places_are_lines_and_columns_of_characters() {
        let text = "out = \"x\"\nführer = 1\n";
        let at = text.find("= 1").unwrap();
        assert_eq!(
            span_of(text, at..at + 1),
            Span {
                line: 2,
                column: 8,
                len: 1
            }
        );
    }
}
