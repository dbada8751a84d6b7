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
//!
//! Whatever a diagnostic quotes (a value, a key, a file name, a line of the
//! file) prints with its control characters escaped (`\n`, `\u{1b}`): a
//! message is one line, in the terminal and in JSON even once decoded (`jq
//! -r`), so no brief can move the cursor, ring the bell, or start a line of
//! its own in a CI log (GitHub reads `::error …` at the start of a line as
//! an annotation).

use std::borrow::Cow;
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
        self.render_quoting(source.map(SourceLines::new).as_ref())
    }

    /// [`render`](Self::render), with the file's lines found beforehand:
    /// for the many diagnostics of one file.
    pub fn render_quoting(&self, source: Option<&SourceLines>) -> String {
        self.render_styled(source, &Palette::PLAIN)
    }

    /// [`render_quoting`](Self::render_quoting) in the colours of
    /// `palette`, as rustc and cargo colour theirs: the label red (an
    /// error) or yellow (a warning) and bold, the message bold, the arrow,
    /// the gutter and the line numbers blue. The colours are ANSI escapes:
    /// print through a stream that drops them where colour is not wanted
    /// (`anstream`). A brief's text cannot add any: its control characters
    /// are escaped.
    pub fn render_styled(&self, source: Option<&SourceLines>, palette: &Palette) -> String {
        let mut out = String::new();
        let (label, label_style) = match self.severity {
            Severity::Error => ("error", palette.error),
            Severity::Warning => ("warning", palette.warning),
        };
        let bold = palette.message;
        let blue = palette.gutter;
        let _ = writeln!(
            out,
            "{label_style}{label}{label_style:#}{bold}: {}{bold:#}",
            escaped(&self.message)
        );
        let file = display_path(&self.file);
        let file = escaped(&file);
        let span = self.location.span;
        let line_text = span.and_then(|s| source.and_then(|lines| lines.line(s.line)));
        let gutter = span.map_or(1, |s| s.line.to_string().len());
        let pad = " ".repeat(gutter);
        match (span, &self.location.path) {
            // The source line below shows the place; the path would only repeat it.
            (Some(s), _) => {
                let _ = writeln!(out, "{pad}{blue}-->{blue:#} {file}:{}:{}", s.line, s.column);
            }
            (None, Some(path)) => {
                let _ = writeln!(
                    out,
                    "{pad}{blue}-->{blue:#} {file} (at `{}`)",
                    escaped(path)
                );
            }
            (None, None) => {
                let _ = writeln!(out, "{pad}{blue}-->{blue:#} {file}");
            }
        }
        if let (Some(s), Some(text)) = (span, line_text) {
            let (shown, caret_at, caret_len) = shown_line(text, s.column, s.len);
            let _ = writeln!(out, "{pad} {blue}|{blue:#}");
            let _ = writeln!(out, "{blue}{} |{blue:#} {}", s.line, shown);
            let _ = writeln!(
                out,
                "{pad} {blue}|{blue:#} {}{label_style}{}{label_style:#}",
                " ".repeat(caret_at),
                "^".repeat(caret_len)
            );
        }
        if let Some(help) = &self.help {
            let _ = writeln!(
                out,
                "{pad} {blue}={blue:#} {bold}help{bold:#}: {}",
                escaped(help)
            );
        }
        out
    }
}

/// The styles of a diagnostic's parts: none, or those of rustc and cargo.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub error: anstyle::Style,
    pub warning: anstyle::Style,
    pub message: anstyle::Style,
    pub gutter: anstyle::Style,
}

impl Palette {
    /// No colour at all: the text as it always printed.
    pub const PLAIN: Palette = Palette {
        error: anstyle::Style::new(),
        warning: anstyle::Style::new(),
        message: anstyle::Style::new(),
        gutter: anstyle::Style::new(),
    };

    /// rustc's: errors red, warnings yellow, the gutter blue, all bold.
    pub const COLOURED: Palette = Palette {
        error: anstyle::AnsiColor::Red.on_default().bold(),
        warning: anstyle::AnsiColor::Yellow.on_default().bold(),
        message: anstyle::Style::new().bold(),
        gutter: anstyle::AnsiColor::Blue.on_default().bold(),
    };
}

/// The lines of a file, found once, so that each of a file's diagnostics
/// finds the line it quotes at once rather than by reading the file up to it
/// (which, for thousands of them, would cost their number times the file).
pub struct SourceLines<'a> {
    text: &'a str,
    /// Where each line starts, in bytes.
    starts: Vec<usize>,
}

impl<'a> SourceLines<'a> {
    pub fn new(text: &'a str) -> SourceLines<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.match_indices('\n')
                .map(|(i, _)| i + 1)
                .filter(|&i| i < text.len()),
        );
        if text.is_empty() {
            starts.clear();
        }
        SourceLines { text, starts }
    }

    /// Line `number` (from 1), without its line break, as `str::lines`
    /// gives it.
    pub fn line(&self, number: usize) -> Option<&'a str> {
        let start = *self.starts.get(number.checked_sub(1)?)?;
        let end = self
            .starts
            .get(number)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        // The last line may end in a line break of its own.
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// A source line as it is safe to print, with where the caret goes under it
/// and how long it is. A tab becomes one space, so the caret stays aligned;
/// any other control character shows as its escape (`\u{1b}`), the caret
/// as wide. A long line is cut to a window around the column, so that a
/// 50 MB line prints as a few dozen characters.
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
        let before = shown.len();
        match c {
            '\t' => shown.push(' '),
            c if c.is_control() => push_escape(&mut shown, c),
            c => shown.push(c),
        }
        let width = if c.is_control() && c != '\t' {
            shown.len() - before
        } else {
            char_width(c)
        };
        if i + skip < column {
            caret_at += width;
        } else if i + skip < column + len.max(1) {
            caret_len += width;
        }
    }
    if chars.next().is_some() {
        shown.push('…');
    }
    (shown, caret_at, caret_len.max(1))
}

/// `text` with each control character (newline and tab too) written as its
/// escape, as Rust writes them: `\n`, `\r`, `\t`, `\0`, `\u{1b}`.
/// Everything else, Unicode's format characters (joiners, bidirectional
/// marks) included, is kept: names in right-to-left scripts need them.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
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
/// Standard input (`-`) prints as `<stdin>`.
pub fn display_path(path: &Path) -> String {
    if path == Path::new(crate::files::STDIN) {
        return "<stdin>".into();
    }
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// The longest text that is compared with the right spellings: a key, a
/// name or a zone longer than this is no misspelling of one, and comparing
/// costs the product of the two lengths.
const MAX_MISSPELT_CHARS: usize = 100;

/// The nearest of `candidates` to `wrong`, if it is near enough to be a likely
/// misspelling. Texts over [`MAX_MISSPELT_CHARS`] are not compared.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let comparable = |text: &str| text.chars().nth(MAX_MISSPELT_CHARS).is_none();
    if !comparable(wrong) {
        return None;
    }
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| comparable(c))
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
        "file": escaped(&display_path(&diagnostic.file)),
        "line": span.map(|s| s.line),
        "column": span.map(|s| s.column),
        "path": diagnostic.location.path.as_deref().map(escaped),
        "message": escaped(&diagnostic.message),
        "help": diagnostic.help.as_deref().map(escaped),
    })
    .to_string()
}

/// One line of `--message-format github`: a diagnostic as a GitHub Actions
/// workflow command, which the job's log shows as an annotation on the
/// file, at its line and column. The help follows the message on a line
/// of its own. Data is escaped as GitHub's runner unescapes it (`%`, CR,
/// LF), and property values besides (`,` and `:` too), so that no brief
/// can end a property or start a command of its own.
pub fn github(diagnostic: &Diagnostic) -> String {
    fn data(text: &str) -> String {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(text: &str) -> String {
        data(text).replace(',', "%2C").replace(':', "%3A")
    }
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = vec![format!(
        "file={}",
        property(&escaped(&display_path(&diagnostic.file)))
    )];
    if let Some(span) = diagnostic.location.span {
        properties.push(format!("line={}", span.line));
        properties.push(format!("col={}", span.column));
    }
    let title = match &diagnostic.location.path {
        Some(path) => format!("briefing: {}", escaped(path)),
        None => "briefing".to_string(),
    };
    properties.push(format!("title={}", property(&title)));
    let mut message = escaped(&diagnostic.message).into_owned();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(&escaped(help));
    }
    format!("::{command} {}::{}", properties.join(","), data(&message))
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
    fn github_commands_escape_data_and_properties() {
        let d = Diagnostic::error("briefs/a,b:c.yaml", "100% wrong\n::error::x")
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
            github(&d),
            "::error file=briefs/a%2Cb%3Ac.yaml,line=3,col=9,title=briefing%3A visit.start::100%25 wrong\\n::error::x%0Ahelp: write YYYY-MM-DD"
        );
        let mut d = Diagnostic::error("t/theme.yaml", "bad");
        d.severity = Severity::Warning;
        assert_eq!(
            github(&d),
            "::warning file=t/theme.yaml,title=briefing::bad"
        );
    }

    #[test]
    fn source_lines_are_the_lines_of_the_text() {
        for text in ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nc\n", "x\n\n"] {
            let lines = SourceLines::new(text);
            let expected: Vec<&str> = text.lines().collect();
            let found: Vec<&str> = (1..=expected.len() + 1)
                .map_while(|n| lines.line(n))
                .collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(lines.line(0), None);
        }
    }

    #[test]
    fn control_characters_print_escaped() {
        assert_eq!(
            escaped("a\n::error::x\u{1b}[31m\t\0\r\u{85}\u{7f}"),
            "a\\n::error::x\\u{1b}[31m\\t\\0\\r\\u{85}\\u{7f}"
        );
        // Format characters are text: joiners and bidirectional marks stay.
        let arabic = "\u{202B}محمد\u{202C} \u{2067}x\u{2069} 👩\u{200D}💻";
        assert_eq!(escaped(arabic), arabic);
        let d = Diagnostic::error("b.yaml", "`title` is `a\n::error::pwned`")
            .with_help(Some("ring\u{7}".into()));
        assert_eq!(
            d.render(None),
            "error: `title` is `a\\n::error::pwned`\n --> b.yaml\n  = help: ring\\u{7}\n"
        );
        // Decoded (as `jq -r` does), the message is still one line.
        let decoded: serde_json::Value = serde_json::from_str(&json(&d)).unwrap();
        assert_eq!(decoded["message"], "`title` is `a\\n::error::pwned`");
    }

    #[test]
    fn quoted_lines_show_control_characters_escaped_with_the_caret_below() {
        let d = Diagnostic::error("b.yaml", "bad").at(Location {
            span: Some(Span {
                line: 1,
                column: 4,
                len: 1,
            }),
            path: None,
        });
        assert_eq!(
            d.render(Some("a\u{1b}\tb: c\n")),
            "error: bad\n --> b.yaml:1:4\n  |\n1 | a\\u{1b} b: c\n  |         ^\n"
        );
    }

    #[test]
    fn nearest_finds_misspellings_only() {
        let keys = ["talking_points", "title", "subtitle"];
        assert_eq!(nearest("talkingpoints", keys), Some("talking_points"));
        assert_eq!(nearest("zzz", keys), None);
        // Past the length of any misspelling, nothing is compared.
        let long = format!("talking_points{}", "s".repeat(100));
        assert_eq!(nearest(&long, keys), None);
        assert_eq!(nearest("titl", [long.as_str(), "title"]), Some("title"));
    }
}
