//! Command-line arguments and exit codes.
//!
//! Exit codes: 0 when everything asked for was done; 1 when a brief, a
//! template or an output had a problem (each reported on stderr); 2 when the
//! command line itself is wrong.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use briefing::diag::{display_path, Diagnostic};
use briefing::render::{self, Renderer, Report};
use briefing::templates::{self, Templates};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Turns YAML briefs of delegation visits into briefings",
    after_help = "The brief format: docs/brief-format.md. Exit codes: 0 all good, 1 a brief or template failed, 2 usage error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check briefs and report every problem, writing nothing.
    Check {
        /// Brief files, or folders of `*.yaml` briefs.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
    },
    /// Render briefs to a Markdown summary each (`OUT/<name>.md`).
    Render {
        /// Brief files, or folders of `*.yaml` briefs.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        /// Folder to write into.
        #[arg(short, long = "out", value_name = "DIR", default_value = "out")]
        out_dir: PathBuf,
        /// Folder of templates replacing the defaults of the same file name.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Write a commented starter brief that uses every key of the format.
    New {
        /// Where to write the brief, e.g. `briefs/my-visit.yaml`.
        file: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Work with the default templates.
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// Write the default templates into a folder, to edit and pass to
    /// `render --templates`.
    Export {
        dir: PathBuf,
        /// Replace files that exist already.
        #[arg(long)]
        force: bool,
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Command::Check { inputs } => check(&inputs),
        Command::Render {
            inputs,
            out_dir,
            templates,
        } => render(&inputs, &out_dir, templates.as_deref()),
        Command::New { file, force } => new_brief(&file, force),
        Command::Templates {
            command: TemplatesCommand::Export { dir, force },
        } => export_templates(&dir, force),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], source: Option<&str>) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "{}", diagnostic.render(source));
    }
}

fn print_report(report: &Report) {
    print_diagnostics(&report.diagnostics, report.source.as_deref());
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reports inputs that do not exist, or folders with no brief in them;
/// returns the briefs to work on.
fn inputs_or_report(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    let mut ok = true;
    for path in paths {
        if path.is_dir() && render::expand_inputs(std::slice::from_ref(path)).is_empty() {
            print_diagnostics(
                &[Diagnostic::error(
                    path,
                    "the folder holds no brief (`*.yaml` or `*.yml` file)",
                )],
                None,
            );
            ok = false;
        }
    }
    (render::expand_inputs(paths), ok)
}

fn check(paths: &[PathBuf]) -> bool {
    let (inputs, mut ok) = inputs_or_report(paths);
    let mut failed = 0;
    let mut errors = 0;
    for input in &inputs {
        let (report, _) = render::check(input);
        print_report(&report);
        if report.failed() {
            failed += 1;
            errors += report.diagnostics.len();
        }
    }
    if failed == 0 {
        eprintln!(
            "{} checked: no problems",
            plural(inputs.len(), "brief", "briefs")
        );
    } else {
        ok = false;
        eprintln!(
            "{} checked: {} with problems ({})",
            plural(inputs.len(), "brief", "briefs"),
            failed,
            plural(errors, "error", "errors")
        );
    }
    ok
}

fn render(paths: &[PathBuf], out_dir: &Path, template_dir: Option<&Path>) -> bool {
    let templates = match template_dir {
        None => Templates::defaults(),
        Some(dir) => match Templates::with_overrides(dir) {
            Ok(templates) => templates,
            Err(error) => {
                let source = std::fs::read_to_string(&error.file).ok();
                print_diagnostics(&[render::template_diagnostic(error)], source.as_deref());
                return false;
            }
        },
    };
    let renderer = match Renderer::new(templates, source_date_epoch()) {
        Ok(renderer) => renderer,
        Err(diagnostic) => {
            print_diagnostics(&[*diagnostic], None);
            return false;
        }
    };
    let (inputs, mut ok) = inputs_or_report(paths);
    let clashes = render::clashing_outputs(&inputs);
    for (first, second) in &clashes {
        print_diagnostics(
            &[Diagnostic::error(
                second,
                format!(
                    "`{}` and `{}` would both be written to `{}`",
                    display_path(first),
                    display_path(second),
                    display_path(&out_dir.join(render::output_name(second, "md")))
                ),
            )
            .with_help(Some(
                "rename one of the briefs, or render them into different folders with -o".into(),
            ))],
            None,
        );
    }
    let mut rendered = 0;
    let mut failed = clashes.len();
    for input in &inputs {
        if clashes.iter().any(|(a, b)| a == input || b == input) {
            continue;
        }
        let report = renderer.render(input, out_dir);
        print_report(&report);
        if report.failed() {
            failed += 1;
        } else {
            rendered += 1;
            for output in &report.outputs {
                eprintln!("wrote {}", display_path(output));
            }
        }
    }
    if failed > 0 {
        ok = false;
    }
    eprintln!(
        "{} rendered, {} failed",
        plural(rendered, "brief", "briefs"),
        failed
    );
    ok
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): the date to write into
/// PDFs instead of any other.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

fn new_brief(file: &Path, force: bool) -> bool {
    if file.exists() && !force {
        print_diagnostics(
            &[
                Diagnostic::error(file, "the file exists already").with_help(Some(
                    "choose another name, or pass --force to replace it".into(),
                )),
            ],
            None,
        );
        return false;
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(error) = std::fs::create_dir_all(dir) {
            print_diagnostics(
                &[Diagnostic::error(
                    dir,
                    format!("cannot create the folder: {}", briefing::io_reason(&error)),
                )],
                None,
            );
            return false;
        }
    }
    match briefing::write_atomically(file, templates::STARTER_BRIEF.as_bytes()) {
        Ok(()) => {
            eprintln!(
                "wrote {}: edit it, then run `briefing check {0}`",
                display_path(file)
            );
            true
        }
        Err(error) => {
            print_diagnostics(
                &[Diagnostic::error(
                    file,
                    format!("cannot write: {}", briefing::io_reason(&error)),
                )],
                None,
            );
            false
        }
    }
}

fn export_templates(dir: &Path, force: bool) -> bool {
    match templates::export(dir, force) {
        Ok(written) => {
            for path in written {
                eprintln!("wrote {}", display_path(&path));
            }
            true
        }
        Err(error) => {
            print_diagnostics(&[render::template_diagnostic(error)], None);
            false
        }
    }
}
