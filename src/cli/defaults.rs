//! The defaults file of the briefs (`briefing.toml`, read by
//! [`briefing::defaults`]) merged into the command line: each value goes
//! where no flag (nor its environment variable) was given.

use std::path::PathBuf;

use briefing::defaults::{self, Defaults};
use briefing::diag::{display_path, Diagnostic};
use clap::parser::ValueSource;
use clap::ArgMatches;

use super::{BatchOptions, Command, InputOptions, OutputFormat, PdfOptions, PdfStandard, Reporter};

/// Puts the defaults of the inputs' `briefing.toml` into `command`;
/// `false`, with the file's problems reported, when it cannot be used.
pub(super) fn apply(command: &mut Command, matches: &ArgMatches) -> bool {
    let Some((_, given)) = matches.subcommand() else {
        return true;
    };
    let unset = |id: &str| {
        !matches!(
            given.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    let (inputs, batch) = match &*command {
        Command::Check { inputs, batch, .. }
        | Command::Render { inputs, batch, .. }
        | Command::Pack { inputs, batch, .. } => (inputs, batch),
        _ => return true,
    };
    let defaults = match read(inputs, batch) {
        Ok(Some(defaults)) => defaults,
        Ok(None) => return true,
        Err(()) => return false,
    };
    match command {
        Command::Check {
            images, templates, ..
        } => {
            sources(images, templates, &defaults, &unset);
        }
        Command::Render {
            images,
            templates,
            pdf,
            out_dir,
            formats,
            ..
        } => {
            sources(images, templates, &defaults, &unset);
            standard(pdf, &defaults, &unset);
            if let Some(out) = defaults.out.clone().filter(|_| unset("out_dir")) {
                *out_dir = out;
            }
            if let Some(names) = defaults.formats.as_ref().filter(|_| unset("formats")) {
                // Checked against the same names when the file was read.
                *formats = names
                    .iter()
                    .filter_map(|name| {
                        <OutputFormat as clap::ValueEnum>::from_str(name, false).ok()
                    })
                    .collect();
            }
        }
        Command::Pack {
            images,
            templates,
            pdf,
            output,
            marking_order,
            ..
        } => {
            sources(images, templates, &defaults, &unset);
            standard(pdf, &defaults, &unset);
            if let Some(pack) = defaults.pack.clone().filter(|_| unset("output")) {
                *output = pack;
            }
            if let Some(order) = defaults.marking_order.clone() {
                if unset("marking_order") {
                    *marking_order = order;
                }
            }
        }
        _ => {}
    }
    true
}

fn sources(
    images: &mut InputOptions,
    templates: &mut Option<PathBuf>,
    defaults: &Defaults,
    unset: &dyn Fn(&str) -> bool,
) {
    if unset("templates") {
        if let Some(folder) = &defaults.templates {
            *templates = Some(folder.clone());
        }
    }
    if unset("font_path") && !defaults.font_path.is_empty() {
        images.font_path = defaults.font_path.clone();
    }
    if unset("allow_path") && !defaults.allow_path.is_empty() {
        images.allow_path = defaults.allow_path.clone();
    }
}

fn standard(pdf: &mut PdfOptions, defaults: &Defaults, unset: &dyn Fn(&str) -> bool) {
    if !unset("pdf_standard") {
        return;
    }
    if let Some(name) = &defaults.pdf_standard {
        // Checked against the same names when the file was read.
        pdf.pdf_standard = <PdfStandard as clap::ValueEnum>::from_str(name, false).ok();
    }
}

/// The one defaults file of all the inputs, read; `Err` once its problems
/// are reported, or when the inputs have different ones.
fn read(inputs: &[PathBuf], batch: &BatchOptions) -> Result<Option<Defaults>, ()> {
    let reporter = Reporter { options: batch };
    let found: Vec<(&PathBuf, Option<PathBuf>)> = inputs
        .iter()
        .map(|input| (input, defaults::find(input)))
        .collect();
    let Some((first, file)) = found.first() else {
        return Ok(None);
    };
    if let Some((other, other_file)) = found.iter().find(|(_, f)| f != file) {
        let shown = |file: &Option<PathBuf>| match file {
            Some(file) => format!("`{}`", display_path(file)),
            None => "none".to_string(),
        };
        reporter.diagnostics(
            &[Diagnostic::error(
                other.as_path(),
                format!(
                    "`{}` and `{}` have different defaults files ({} and {})",
                    display_path(first),
                    display_path(other),
                    shown(file),
                    shown(other_file)
                ),
            )
            .with_help(Some(format!(
                "run the briefs of each {} separately",
                defaults::FILE_NAME
            )))],
            None,
        );
        return Err(());
    }
    let Some(file) = file else {
        return Ok(None);
    };
    defaults::read(file).map(Some).map_err(|problems| {
        reporter.diagnostics(&problems.diagnostics, problems.source.as_deref());
    })
}
