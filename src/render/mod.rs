//! The pipeline: for each brief, load → template → write, and the batch over
//! many files and folders. Every brief is reported on, good or bad; a bad
//! brief writes nothing and does not stop the others.
//!
//! By job: [`check`] loads and checks a brief, writing nothing;
//! [`renderer`] holds what a run renders with and makes each brief's
//! outputs; [`outputs`] names them; [`diagnostics`] turns the errors of
//! the other stages into diagnostics, and [`missing`] reports the
//! characters no font has; [`batch`] expands the inputs and spreads them
//! over the cores; [`pack`] binds many briefs into one PDF.

mod batch;
mod check;
mod diagnostics;
mod missing;
mod outputs;
mod pack;
mod renderer;

use batch::in_parallel;
pub use batch::{batch, clashing_outputs, expand_inputs, run_inputs};
pub use check::check;
use check::{check_only, check_with_fonts};
use diagnostics::{font_diagnostic, load_logo};
pub use diagnostics::{template_diagnostic, template_diagnostics};
use missing::{missing_characters, warning_diagnostics};
pub use outputs::{output_name, Destination, Format, Made, OTHER_OUTPUT_FOLDER};
pub use pack::{pack_marking, PackOutcome, PackRequest, KEPT_WEIGHT};
pub use renderer::{image_rules, Pdf, Renderer};

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use std::sync::OnceLock;

use crate::brief::{self, Brief};
use crate::diag::{display_path, Diagnostic, Location, Severity, Span};
use crate::i18n::Language;
use crate::images::{ImageRules, ImageSources, TemplateImages};
use crate::pdf::{Archive, Conformance, Metadata};
use crate::templates::{PackEntry, PackView, TemplateError, Templates, BRIEFING, PACK, PACK_INDEX};
use crate::typeset::fonts::Fonts;
use crate::typeset::theme::{PdfSettings, PdfStandard};
use crate::typeset::{
    typeset, Document, Furniture, Hyphenator, Setup, Theme, TypesetError, Warning,
};

/// What happened to one input.
#[derive(Debug)]
pub struct Report {
    pub input: PathBuf,
    /// The input's text, when it could be read: diagnostics quote from it.
    pub source: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files written, in order.
    pub outputs: Vec<PathBuf>,
    /// How many pages the PDF has, when one was made.
    pub pages: Option<usize>,
}

impl Report {
    fn new(input: &Path) -> Report {
        Report {
            input: input.to_path_buf(),
            source: None,
            diagnostics: Vec::new(),
            outputs: Vec::new(),
            pages: None,
        }
    }

    pub fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
    }

    fn fail(mut self, diagnostic: Diagnostic) -> Report {
        self.diagnostics.push(diagnostic);
        self
    }
}

impl Report {
    /// A report of one file written from the whole batch (a pack).
    pub fn written(output: &Path, pages: usize) -> Report {
        let mut report = Report::new(output);
        report.outputs.push(output.to_path_buf());
        report.pages = Some(pages);
        report
    }

    /// How many warnings it has.
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}
