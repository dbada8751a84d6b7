//! Batches: the briefs a command line names, outputs that would clash, and
//! work spread over every core with reports in the order of the inputs.

use super::*;
use crate::files::{FileId, Inputs};

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
    // A brief named twice is rendered once, however it is named: `briefs/
    // briefs/a.yaml`, `./briefs//a.yaml`, a hard link or a symbolic link to
    // it. The first name given is the one its outputs are named after.
    let mut seen_files = BTreeSet::new();
    let mut seen_paths = BTreeSet::new();
    inputs.retain(|p| match FileId::of(p) {
        Some(file) => seen_files.insert(file),
        None => seen_paths.insert(p.clone()),
    });
    inputs
}

/// The files a run reads, which no output may replace: the briefs, the
/// files of the template folder (`--templates`) and the theme's fonts.
pub fn run_inputs(briefs: &[PathBuf], template_dir: Option<&Path>, renderer: &Renderer) -> Inputs {
    let mut inputs = Inputs::default();
    for brief in briefs {
        inputs.add(brief, "brief");
    }
    if let Some(dir) = template_dir {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let what = if path == renderer.templates.theme_file {
                "theme"
            } else {
                "template"
            };
            inputs.add(&path, what);
        }
    }
    let theme = &renderer.templates.theme;
    let theme_dir = renderer
        .templates
        .theme_file
        .parent()
        .unwrap_or(Path::new("."));
    let fonts = &theme.fonts;
    for name in [
        &fonts.regular,
        &fonts.bold,
        &fonts.italic,
        &fonts.bold_italic,
        &fonts.mono,
    ] {
        if name != "bundled" {
            inputs.add(&theme_dir.join(name), "font");
        }
    }
    inputs
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

/// Runs `work` on every input on the current rayon pool (all cores unless
/// the caller sized it), calling `done` as each finishes. The reports come
/// back in the order of the inputs, whatever the number of threads and
/// whichever finishes first.
pub fn batch<W, D>(inputs: &[PathBuf], work: W, done: D) -> Vec<Report>
where
    W: Fn(&Path) -> Report + Sync,
    D: Fn(&Report) + Sync,
{
    in_parallel(inputs, |input| {
        // A bug met on one brief fails that brief, not the batch: the others
        // are still rendered and reported, and the run ends with its summary
        // and exit 1.
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(input)))
            .unwrap_or_else(|payload| internal_error(input, payload.as_ref()));
        done(&report);
        report
    })
}

/// The report of a brief whose work panicked.
pub(super) fn internal_error(input: &Path, payload: &(dyn std::any::Any + Send)) -> Report {
    let reason = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no reason given".into());
    Report::new(input).fail(
        Diagnostic::error(input, format!("briefing failed on this brief: {reason}")).with_help(
            Some(
                "this is a bug in briefing, not in the brief: please report it with the brief (the other briefs were rendered)"
                    .into(),
            ),
        ),
    )
}

/// `work` on every input, in parallel, results in input order.
pub(super) fn in_parallel<T: Send>(inputs: &[PathBuf], work: impl Fn(&Path) -> T + Sync) -> Vec<T> {
    use rayon::prelude::*;
    inputs.par_iter().map(|input| work(input)).collect()
}

#[cfg(test)]
mod panic_tests {
    use super::*;

    #[test]
    fn a_brief_whose_work_panics_fails_alone() {
        let inputs = [PathBuf::from("a.yaml"), PathBuf::from("b.yaml")];
        let reports = batch(
            &inputs,
            |input| {
                if input == Path::new("a.yaml") {
                    panic!("begin > end (4 > 2) when slicing");
                }
                Report::new(input)
            },
            |_| {},
        );
        assert!(reports[0].failed());
        assert_eq!(
            reports[0].diagnostics[0].message,
            "briefing failed on this brief: begin > end (4 > 2) when slicing"
        );
        assert!(!reports[1].failed());
    }
}
