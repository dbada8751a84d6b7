//! `briefing` turns a YAML brief of a delegation visit into a print-quality
//! PDF briefing and a Markdown summary.
//!
//! The data flows one way, one module a stage:
//!
//! 1. [`brief`]: load — YAML text to a typed [`brief::Brief`], with every
//!    problem located by line and column.
//! 2. [`templates`]: template — the brief to Markdown text through
//!    Handlebars templates the user may override.
//! 3. [`typeset`]: Markdown to pages of positioned glyphs, lines and images.
//! 4. [`pdf`]: those pages to PDF bytes.
//! 5. [`render`]: the pipeline for one brief, for many, and for a pack, and
//!    the files it writes (atomically).
//!
//! [`calendar`] writes the visit's programme as an iCalendar file.
//! [`images`] reads, checks and shrinks the images a briefing shows.
//! [`files`] reads what a run is given and writes what it makes, whole or
//! not at all. [`diag`] is the one format in which each stage's errors reach the user,
//! and [`i18n`] holds labels and date formatting per language.

pub mod brief;
pub mod calendar;
pub mod defaults;
pub mod diag;
pub mod files;
pub mod i18n;
pub mod images;
pub mod pdf;
pub mod render;
pub mod templates;
pub mod typeset;

use std::io;

/// An I/O error as a person reads it: "No such file or directory", without
/// the "(os error 2)" that means nothing to them.
pub fn io_reason(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
