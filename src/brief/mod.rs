//! The brief: one visit, as its author wrote it in YAML, typed and checked.
//!
//! `load` reads a file into a [`Brief`] (with the warnings about it) or into
//! every [`Problem`] it has. The
//! format is specified in `docs/brief-format.md`; the steps are:
//! [`yaml`] (text to a tree with positions) → [`read`] (tree to typed brief,
//! collecting problems) → [`rules`] (checks across fields).

pub mod contact;
pub mod keys;
mod markup;
mod read;
pub mod schema;
pub use read::Spans;
mod rules;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::diag::Span;
pub use crate::i18n::Language;
use crate::images::{BriefImages, ImageRules};

/// `docs/brief-format.md`, which `briefing schema --markdown` prints:
/// `cargo install` installs the binary alone.
pub const FORMAT_DOCUMENTATION: &str = include_str!("../../docs/brief-format.md");

/// A brief larger than this is refused before parsing: real briefs are tens
/// of kilobytes, and the limit keeps a runaway file from costing seconds.
pub const MAX_BRIEF_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub title: String,
    pub subtitle: Option<String>,
    pub language: Language,
    pub classification: Option<String>,
    pub reference: Option<String>,
    pub issued: Option<NaiveDate>,
    pub prepared_by: Option<String>,
    /// A draft is marked as one on every page and in the PDF's metadata.
    pub status: Status,
    pub event: Option<Event>,
    pub visit: Visit,
    pub venue: Option<Venue>,
    pub delegation: Vec<Person>,
    pub counterparts: Vec<Person>,
    pub organizations: Vec<Organization>,
    pub objectives: Vec<Markdown>,
    pub talking_points: Vec<TalkingPoint>,
    pub schedule: Vec<ScheduleItem>,
    pub bilaterals: Vec<Bilateral>,
    pub background: Option<Markdown>,
    pub logistics: Option<Markdown>,
    pub contacts: Vec<Contact>,
    /// The author's overrides of built-in labels, by label key. Templates see
    /// the labels with these applied, never the overrides alone.
    #[serde(skip)]
    pub labels: BTreeMap<String, String>,
    /// Every image its photos and Markdown fields name, read and decoded
    /// when the brief was loaded.
    #[serde(skip)]
    pub images: BriefImages,
    /// The brief's folder: an image a template names that is not in the
    /// templates folder is looked for here.
    #[serde(skip)]
    pub folder: PathBuf,
}

/// Where a brief stands: a draft, or final (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Final,
    Draft,
}

/// Text that may hold inline Markdown (and, in long fields, paragraphs and
/// lists). Kept apart from plain text so that only plain text is escaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Markdown(pub String);

/// A time of day, `HH:MM` in 24-hour form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// An IANA zone name, checked against the zone database.
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Venue {
    pub name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub name: String,
    pub host: Option<String>,
    pub description: Option<Markdown>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Person {
    /// Always present, except for a bilateral meeting with an institution.
    pub name: Option<String>,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub country: Option<String>,
    pub role: Option<String>,
    pub bio: Option<Markdown>,
    /// The photo's path as the brief writes it, relative to the brief's
    /// folder; its image is in [`Brief::images`] under that path.
    pub photo: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub name: String,
    pub acronym: Option<String>,
}

/// A key message: either one point on its own (`text`), or a `topic` with
/// its `points`.
#[derive(Debug, Clone, Serialize)]
pub struct TalkingPoint {
    pub topic: Option<String>,
    pub text: Option<Markdown>,
    pub points: Vec<Markdown>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleItem {
    pub date: NaiveDate,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub title: String,
    pub location: Option<String>,
    pub attendees: Vec<String>,
    pub notes: Option<Markdown>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bilateral {
    pub with: Person,
    pub date: NaiveDate,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub location: Option<String>,
    pub attendees: Vec<String>,
    pub objectives: Vec<Markdown>,
    pub their_objectives: Vec<Markdown>,
    pub talking_points: Vec<TalkingPoint>,
    pub if_raised: Vec<TalkingPoint>,
    pub press_line: Option<Markdown>,
    pub notes: Option<Markdown>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub name: String,
    pub role: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One thing wrong with a brief: what, where (a source span when the YAML
/// parser knows it, and the value's path), and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub span: Option<Span>,
    /// The value's path in the brief, such as `bilaterals[1].date`; empty for
    /// the file as a whole.
    pub path: String,
    pub help: Option<String>,
}

/// A brief that loaded, with the warnings about it (things put right on the
/// way, such as control characters removed from values).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub brief: Brief,
    /// Where each value stands in the file, by its path (`delegation[0].name`).
    pub spans: Spans,
    pub warnings: Vec<Problem>,
    /// The file's text, kept when there are warnings to quote from.
    pub source: Option<String>,
}

/// Why a brief could not be loaded: every problem found, the warnings found
/// beside them, and the file's text when it could be read (to show the
/// offending lines).
#[derive(Debug, Clone)]
pub struct LoadError {
    pub source: Option<String>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Reads and checks the brief at `path`. Only a regular file is read: a
/// named pipe or a device (`/dev/zero`) named as a brief is refused at once,
/// rather than waited on or read without end. Every image it names is read
/// too (within its folder, or a folder `images` allows). `-` is standard
/// input.
pub fn load(path: &Path, images: &ImageRules) -> Result<Loaded, LoadError> {
    use crate::files::ReadError;
    // `-`: standard input, its photos found from the current folder.
    let read = if path == Path::new(crate::files::STDIN) {
        crate::files::read_stdin(MAX_BRIEF_BYTES as u64)
    } else {
        crate::files::read_input(path, MAX_BRIEF_BYTES as u64)
    };
    let bytes = read.map_err(|error| {
        let problem = match error {
            ReadError::TooLarge { bytes, .. } => too_large(bytes as usize),
            ReadError::NotAFile { kind } => file_problem(
                format!("the brief is {kind}, not a file"),
                Some(
                    "name the brief's YAML file (to check text from a pipe, save it to a file first)"
                        .into(),
                ),
            ),
            ReadError::Io(error) => file_problem(
                format!("cannot read the brief: {}", crate::io_reason(&error)),
                None,
            ),
        };
        LoadError {
            source: None,
            problems: vec![problem],
            warnings: Vec::new(),
        }
    })?;
    let base_dir = path.parent().unwrap_or(Path::new(""));
    from_bytes(&bytes, base_dir, images)
}

fn too_large(bytes: usize) -> Problem {
    file_problem(
        format!(
            "the brief is {:.1} MB, more than the {} MB a brief may be",
            bytes as f64 / 1e6,
            MAX_BRIEF_BYTES / (1024 * 1024)
        ),
        Some("is this the right file? A brief is a YAML text of a few kilobytes".into()),
    )
}

/// The byte-order mark some editors put at the start of a UTF-8 file: not
/// part of the text (and, left in, YAML would take it for a second document).
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Checks a brief held in memory; image paths resolve against `base_dir`.
pub fn from_bytes(bytes: &[u8], base_dir: &Path, images: &ImageRules) -> Result<Loaded, LoadError> {
    let fail = |source: Option<String>, problem: Problem| LoadError {
        source,
        problems: vec![problem],
        warnings: Vec::new(),
    };
    if bytes.len() > MAX_BRIEF_BYTES {
        return Err(fail(None, too_large(bytes.len())));
    }
    let bytes = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes);
    let source = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            let binary = bytes.iter().take(8192).any(|&b| b == 0);
            let message = if binary {
                "the brief is a binary file, not YAML text".to_string()
            } else {
                "the brief is not UTF-8 text".to_string()
            };
            let mut problem = file_problem(
                message,
                Some("save the brief as UTF-8 (any editor can: \"Save with encoding\")".into()),
            );
            problem.span = Some(Span {
                line,
                column,
                len: 1,
            });
            return Err(fail(None, problem));
        }
    };
    let source_owned = || Some(source.to_string());
    if source.contains('\0') {
        return Err(fail(
            None,
            file_problem("the brief is a binary file, not YAML text".into(), None),
        ));
    }
    let root = match yaml::parse(source) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(fail(
                source_owned(),
                file_problem(
                    "the brief is empty".into(),
                    Some("run `briefing new FILE` for a starter brief with every key".into()),
                ),
            ))
        }
        Err(error) => {
            return Err(fail(
                source_owned(),
                Problem {
                    message: error.message,
                    span: error.span,
                    path: String::new(),
                    help: error.help,
                },
            ))
        }
    };
    let read::Reading {
        brief,
        spans,
        mut problems,
        mut warnings,
    } = read::read(&root, base_dir, images);
    if let Some(brief) = &brief {
        problems.extend(rules::check(brief, &spans));
        warnings.extend(rules::clashes(brief, &spans));
        warnings.extend(rules::contact_links(brief, &spans));
    }
    let by_place = |a: &Problem, b: &Problem| {
        (a.span.is_none(), a.span, &a.path).cmp(&(b.span.is_none(), b.span, &b.path))
    };
    warnings.sort_by(by_place);
    match brief {
        Some(brief) if problems.is_empty() => Ok(Loaded {
            brief,
            spans,
            source: if warnings.is_empty() {
                None
            } else {
                source_owned()
            },
            warnings,
        }),
        _ => {
            problems.sort_by(by_place);
            Err(LoadError {
                source: source_owned(),
                problems,
                warnings,
            })
        }
    }
}

fn file_problem(message: String, help: Option<String>) -> Problem {
    Problem {
        message,
        span: None,
        path: String::new(),
        help,
    }
}
