//! The pipeline: for each brief, load → template → write, and the batch over
//! many files and folders. Every brief is reported on, good or bad; a bad
//! brief writes nothing and does not stop the others.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::brief;
use crate::diag::{display_path, Diagnostic, Location, Span};
use crate::templates::{TemplateError, Templates};

/// What happened to one input.
#[derive(Debug)]
pub struct Report {
    pub input: PathBuf,
    /// The input's text, when it could be read: diagnostics quote from it.
    pub source: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files written, in order.
    pub outputs: Vec<PathBuf>,
}

impl Report {
    fn new(input: &Path) -> Report {
        Report {
            input: input.to_path_buf(),
            source: None,
            diagnostics: Vec::new(),
            outputs: Vec::new(),
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

/// The briefs named by the user: files as given, and every `*.yaml` and
/// `*.yml` file directly inside a folder, in name order. A path that does not
/// exist is reported as a failed input.
pub fn expand_inputs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|ext| ext == "yaml" || ext == "yml")
                })
                .collect();
            found.sort();
            inputs.extend(found);
        } else {
            inputs.push(path.clone());
        }
    }
    // A brief named twice (`briefs/ briefs/a.yaml`) is rendered once.
    let mut seen = BTreeSet::new();
    inputs.retain(|p| seen.insert(p.clone()));
    inputs
}

/// Loads and checks one brief, writing nothing.
pub fn check(input: &Path) -> (Report, Option<brief::Brief>) {
    let mut report = Report::new(input);
    match brief::load(input) {
        Ok(brief) => (report, Some(brief)),
        Err(error) => {
            report.source = error.source;
            report.diagnostics = error
                .problems
                .into_iter()
                .map(|problem| diagnostic_of(input, problem))
                .collect();
            (report, None)
        }
    }
}

fn diagnostic_of(input: &Path, problem: brief::Problem) -> Diagnostic {
    Diagnostic::error(input, problem.message)
        .at(Location {
            span: problem.span,
            path: Some(problem.path).filter(|p| !p.is_empty()),
        })
        .with_help(problem.help)
}

/// A template problem as a diagnostic about the template file.
pub fn template_diagnostic(error: TemplateError) -> Diagnostic {
    let span = error.line.map(|line| Span {
        line,
        column: error.column.unwrap_or(1),
        len: 1,
    });
    Diagnostic::error(error.file, error.message)
        .at(Location { span, path: None })
        .with_help(error.help)
}

/// Renders one brief into `out_dir`: `<stem>.md`.
pub fn render(input: &Path, templates: &Templates, out_dir: &Path) -> Report {
    let (mut report, brief) = check(input);
    let Some(brief) = brief else {
        return report;
    };
    let markdown = match templates.summary(&brief) {
        Ok(text) => text,
        Err(error) => return report.fail(template_diagnostic(error)),
    };
    let output = out_dir.join(output_name(input, "md"));
    if same_file(&output, input) {
        return report.fail(
            Diagnostic::error(
                input,
                format!(
                    "the summary would overwrite the brief itself ({})",
                    display_path(&output)
                ),
            )
            .with_help(Some("choose another output folder with -o".into())),
        );
    }
    if let Err(error) = std::fs::create_dir_all(out_dir)
        .and_then(|()| crate::write_atomically(&output, markdown.as_bytes()))
    {
        return report.fail(Diagnostic::error(
            &output,
            format!("cannot write the summary: {}", crate::io_reason(&error)),
        ));
    }
    report.outputs.push(output);
    report
}

/// `briefs/visit.yaml` → `visit.md`.
pub fn output_name(input: &Path, extension: &str) -> PathBuf {
    let stem = input.file_stem().unwrap_or(input.as_os_str());
    PathBuf::from(stem).with_extension(extension)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Inputs whose outputs would land on the same file (`a/visit.yaml` and
/// `b/visit.yaml`): each later one with the first, so that no summary
/// silently replaces another.
pub fn clashing_outputs(inputs: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut first_by_output: BTreeMap<PathBuf, &PathBuf> = BTreeMap::new();
    let mut clashes = Vec::new();
    for input in inputs {
        match first_by_output.entry(output_name(input, "md")) {
            Entry::Occupied(first) => clashes.push(((*first.get()).clone(), input.clone())),
            Entry::Vacant(slot) => {
                slot.insert(input);
            }
        }
    }
    clashes
}
