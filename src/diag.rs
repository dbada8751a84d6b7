//! Diagnostics: the one format in which every stage's problems reach the user.
//!
//! Each stage has its own error type; at the edge they become [`Diagnostic`]s,
//! which print in the style of rustc:
//!
//! ```text
//! error: unknown key `talkingpoints`
//!  --> briefs/visit.yaml:12:1
//!    |
//! 12 | talkingpoints:
//!    | ^^^^^^^^^^^^^
//!    = help: did you mean `talking_points`?
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a brief from rendering, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a source file: 1-based line and column (in characters), and
/// how many characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// Where in a file a problem is: a source span when the parser knows it,
/// and the path of the value in the brief (`bilaterals[1].date`) when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub span: Option<Span>,
    pub path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: Location::default(),
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Renders the diagnostic for a terminal. `source` is the text of the file,
    /// used to show the offending line; pass `None` when it is not text.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}: {}", self.message);
        let file = display_path(&self.file);
        let span = self.location.span;
        let line_text = span.and_then(|s| source.and_then(|text| text.lines().nth(s.line - 1)));
        let gutter = span.map_or(1, |s| s.line.to_string().len());
        let pad = " ".repeat(gutter);
        match (span, &self.location.path) {
            // The source line below shows the place; the path would only repeat it.
            (Some(s), _) => {
                let _ = writeln!(out, "{pad}--> {file}:{}:{}", s.line, s.column);
            }
            (None, Some(path)) => {
                let _ = writeln!(out, "{pad}--> {file} (at `{path}`)");
            }
            (None, None) => {
                let _ = writeln!(out, "{pad}--> {file}");
            }
        }
        if let (Some(s), Some(text)) = (span, line_text) {
            let (shown, caret_at, caret_len) = shown_line(text, s.column, s.len);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {}", s.line, shown);
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(caret_at),
                "^".repeat(caret_len)
            );
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }
}

/// A source line as it is safe to print, with where the caret goes under it
/// and how long it is. Control characters (tabs too) become one space each,
/// so the caret stays aligned; a long line is cut to a window around the
/// column, so that a 50 MB line prints as a few dozen characters.
fn shown_line(text: &str, column: usize, len: usize) -> (String, usize, usize) {
    const BEFORE: usize = 60;
    const WIDTH: usize = 120;
    let column = column.saturating_sub(1);
    let skip = column.saturating_sub(BEFORE);
    let mut shown = String::new();
    if skip > 0 {
        shown.push('…');
    }
    let mut caret_at = usize::from(skip > 0);
    let mut caret_len = 0;
    let mut chars = text.chars().skip(skip).enumerate();
    for (i, c) in chars.by_ref().take(WIDTH) {
        let width = char_width(c);
        if i + skip < column {
            caret_at += width;
        } else if i + skip < column + len.max(1) {
            caret_len += width;
        }
        shown.push(if c.is_control() { ' ' } else { c });
    }
    if chars.next().is_some() {
        shown.push('…');
    }
    (shown, caret_at, caret_len.max(1))
}

fn char_width(c: char) -> usize {
    // Wide East Asian characters take two cells; a rough test is enough to
    // keep the caret under the right character in a brief's names.
    if ('\u{1100}'..='\u{115F}').contains(&c)
        || ('\u{2E80}'..='\u{A4CF}').contains(&c)
        || ('\u{AC00}'..='\u{D7A3}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || ('\u{FF00}'..='\u{FF60}').contains(&c)
    {
        2
    } else {
        1
    }
}

/// Paths print with forward slashes and without a leading `./`, so messages
/// read the same on every machine and in every test.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// The nearest of `candidates` to `wrong`, if it is near enough to be a likely
/// misspelling.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// One line of `--message-format json`: a diagnostic as CI systems read it.
pub fn json(diagnostic: &Diagnostic) -> String {
    let span = diagnostic.location.span;
    serde_json::json!({
        "type": "diagnostic",
        "severity": match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "file": display_path(&diagnostic.file),
        "line": span.map(|s| s.line),
        "column": span.map(|s| s.column),
        "path": diagnostic.location.path,
        "message": diagnostic.message,
        "help": diagnostic.help,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_the_span() {
        let d = Diagnostic::error("b.yaml", "unknown key `titel`")
            .at(Location {
                span: Some(Span {
                    line: 2,
                    column: 3,
                    len: 5,
                }),
                path: None,
            })
            .with_help(Some("did you mean `title`?".into()));
        let text = d.render(Some("a: 1\n  titel: x\n"));
        assert_eq!(
            text,
            "error: unknown key `titel`\n --> b.yaml:2:3\n  |\n2 |   titel: x\n  |   ^^^^^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn path_only_when_no_span() {
        let d = Diagnostic::error("b.yaml", "bad").at(Location {
            span: None,
            path: Some("bilaterals[1].date".into()),
        });
        assert_eq!(
            d.render(None),
            "error: bad\n --> b.yaml (at `bilaterals[1].date`)\n"
        );
    }

    #[test]
    fn json_lines_carry_every_field() {
        let d = Diagnostic::error("b.yaml", "bad date")
            .at(Location {
                span: Some(Span {
                    line: 3,
                    column: 9,
                    len: 4,
                }),
                path: Some("visit.start".into()),
            })
            .with_help(Some("write YYYY-MM-DD".into()));
        assert_eq!(
            json(&d),
            r#"{"column":9,"file":"b.yaml","help":"write YYYY-MM-DD","line":3,"message":"bad date","path":"visit.start","severity":"error","type":"diagnostic"}"#
        );
    }

    #[test]
    fn nearest_finds_misspellings_only() {
        let keys = ["talking_points", "title", "subtitle"];
        assert_eq!(nearest("talkingpoints", keys), Some("talking_points"));
        assert_eq!(nearest("zzz", keys), None);
    }
}
