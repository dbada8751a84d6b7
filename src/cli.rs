//! Command-line arguments and exit codes.
//!
//! Exit codes: 0 when everything asked for was done; 1 when a brief, a
//! template or an output had a problem (each reported on stderr); 2 when the
//! command line itself is wrong.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use briefing::diag::{self, display_path, Diagnostic, Severity};
use briefing::i18n::Language;
use briefing::render::{self, PackRequest, Renderer, Report};
use briefing::templates::{self, Templates};
use clap::{Parser, Subcommand};

/// Like `println!` and `eprintln!`, but a closed pipe (`briefing … | head`)
/// ends the output quietly instead of in a panic.
macro_rules! say_out {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
macro_rules! say_err {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

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
        #[command(flatten)]
        batch: BatchOptions,
        #[command(flatten)]
        images: ImageOptions,
    },
    /// Render briefs to a PDF briefing and a Markdown summary each
    /// (`OUT/<name>.pdf`, `OUT/<name>.md`).
    Render {
        /// Brief files, or folders of `*.yaml` briefs.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        batch: BatchOptions,
        #[command(flatten)]
        images: ImageOptions,
        /// Folder to write into.
        #[arg(short, long = "out", value_name = "DIR", default_value = "out")]
        out_dir: PathBuf,
        /// Folder of templates replacing the defaults of the same file name.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Bind many briefs into one PDF briefing pack (and a Markdown index
    /// beside it): a cover, the list of briefs, then each briefing in the
    /// order of its visit.
    Pack {
        /// Brief files, or folders of `*.yaml` briefs.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        batch: BatchOptions,
        #[command(flatten)]
        images: ImageOptions,
        /// The PDF to write; the index goes beside it as `.md`.
        #[arg(
            short,
            long = "out",
            value_name = "FILE",
            default_value = "out/pack.pdf"
        )]
        output: PathBuf,
        /// The pack's title (default: "Briefing pack" in its language).
        #[arg(long)]
        title: Option<String>,
        /// Markings from highest to lowest, comma-separated, e.g.
        /// "SECRET,CONFIDENTIAL,RESTRICTED": the pack is marked with the
        /// highest found. Without it, every marking found is listed.
        #[arg(long, value_name = "LIST", value_delimiter = ',')]
        marking_order: Vec<String>,
        /// The language of the pack's own pages: en, de or fr (default:
        /// the briefs' language when they all share one, else en).
        #[arg(long, value_parser = ["en", "de", "fr"])]
        language: Option<String>,
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

/// How a batch runs and reports.
#[derive(clap::Args)]
struct BatchOptions {
    /// How many briefs to work on at once (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Print errors only: no warnings, progress or summary.
    #[arg(short, long)]
    quiet: bool,
    /// `human`, or `json`: one JSON object per line on stdout for each
    /// diagnostic, each file written and the summary, for CI systems.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    message_format: MessageFormat,
}

/// Where a brief's images may come from.
#[derive(clap::Args)]
struct ImageOptions {
    /// Let photos and images come from this folder too, besides the
    /// brief's own folder (or, for a template's images, the templates
    /// folder). Repeatable.
    #[arg(long = "allow-path", value_name = "DIR", value_parser = allowed_folder)]
    allow_path: Vec<PathBuf>,
}

/// A folder given to `--allow-path`, resolved: images are compared with it
/// once their own paths are resolved.
fn allowed_folder(text: &str) -> Result<PathBuf, String> {
    let folder = Path::new(text)
        .canonicalize()
        .map_err(|error| briefing::io_reason(&error))?;
    if folder.is_dir() {
        Ok(folder)
    } else {
        Err("it is not a folder".into())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
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
    if let Command::Check { batch, .. }
    | Command::Render { batch, .. }
    | Command::Pack { batch, .. } = &cli.command
    {
        // One pool for everything: batches, and the parallel parts of
        // setting up and of writing one PDF. A second pool would only add
        // threads that compete for the same cores.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(batch.jobs.map_or(0, usize::from))
            .build_global();
    }
    let ok = match cli.command {
        Command::Check {
            inputs,
            batch,
            images,
        } => check(&inputs, &batch, &images.allow_path),
        Command::Render {
            inputs,
            batch,
            images,
            out_dir,
            templates,
        } => render(
            &inputs,
            &batch,
            &out_dir,
            templates.as_deref(),
            &images.allow_path,
        ),
        Command::Pack {
            inputs,
            batch,
            images,
            output,
            title,
            marking_order,
            language,
            templates,
        } => pack(
            &inputs,
            &batch,
            &PackRequest {
                output: &output,
                title,
                marking_order: marking_order
                    .into_iter()
                    .map(|m| m.trim().to_string())
                    .filter(|m| !m.is_empty())
                    .collect(),
                language: language.as_deref().and_then(Language::from_code),
            },
            templates.as_deref(),
            &images.allow_path,
        ),
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reports folders with no brief in them; returns the briefs to work on.
fn inputs_or_report(paths: &[PathBuf], reporter: &Reporter) -> (Vec<PathBuf>, bool) {
    let mut ok = true;
    for path in paths {
        if path.is_dir() && render::expand_inputs(std::slice::from_ref(path)).is_empty() {
            reporter.diagnostics(
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

/// Says what a batch did, as the options ask: human text on stderr, or
/// JSON lines on stdout.
struct Reporter<'a> {
    options: &'a BatchOptions,
}

impl Reporter<'_> {
    fn diagnostics(&self, diagnostics: &[Diagnostic], source: Option<&str>) {
        let shown = diagnostics
            .iter()
            .filter(|d| !self.options.quiet || d.severity == Severity::Error);
        match self.options.message_format {
            MessageFormat::Human => {
                let mut stderr = std::io::stderr().lock();
                for diagnostic in shown {
                    let _ = writeln!(stderr, "{}", diagnostic.render(source));
                }
            }
            MessageFormat::Json => {
                let mut stdout = std::io::stdout().lock();
                for diagnostic in shown {
                    let _ = writeln!(stdout, "{}", diag::json(diagnostic));
                }
            }
        }
    }

    fn report(&self, report: &Report) {
        self.diagnostics(&report.diagnostics, report.source.as_deref());
        if self.options.quiet {
            return;
        }
        for output in &report.outputs {
            match self.options.message_format {
                MessageFormat::Human => say_err!("wrote {}", display_path(output)),
                MessageFormat::Json => {
                    let bytes = std::fs::metadata(output).map(|m| m.len()).ok();
                    let pages = output
                        .extension()
                        .is_some_and(|e| e == "pdf")
                        .then_some(report.pages)
                        .flatten();
                    say_out!(
                        "{}",
                        serde_json::json!({
                            "type": "output",
                            "input": display_path(&report.input),
                            "output": display_path(output),
                            "pages": pages,
                            "bytes": bytes,
                        })
                    );
                }
            }
        }
    }

    /// The one line that ends a batch: `human` for people, `counts` for
    /// the JSON summary object.
    fn summary(&self, human: String, mut counts: serde_json::Value, started: Instant) {
        if self.options.quiet {
            return;
        }
        let seconds = started.elapsed().as_secs_f64();
        match self.options.message_format {
            MessageFormat::Human => say_err!("{human} ({seconds:.2} s)"),
            MessageFormat::Json => {
                counts["type"] = "summary".into();
                counts["seconds"] = ((seconds * 1000.0).round() / 1000.0).into();
                say_out!("{counts}");
            }
        }
    }

    /// A bar on stderr while a batch runs, when stderr is a terminal and
    /// the reader asked for human output.
    fn progress(&self, total: usize) -> Option<indicatif::ProgressBar> {
        let wanted = !self.options.quiet
            && self.options.message_format == MessageFormat::Human
            && std::io::stderr().is_terminal()
            && total > 1;
        wanted.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} briefs {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        })
    }
}

fn check(paths: &[PathBuf], options: &BatchOptions, allowed: &[PathBuf]) -> bool {
    let started = Instant::now();
    // Images are checked as the built-in theme prints them.
    let images = render::image_rules(&Templates::defaults().theme, allowed);
    let reporter = Reporter { options };
    let (inputs, mut ok) = inputs_or_report(paths, &reporter);
    let bar = reporter.progress(inputs.len());
    let reports = render::batch(
        &inputs,
        |input| render::check(input, &images).0,
        |_| {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let failed = reports.iter().filter(|r| r.failed()).count();
    for report in &reports {
        reporter.report(report);
    }
    ok &= failed == 0;
    let warnings: usize = reports.iter().map(Report::warnings).sum();
    let errors = reports
        .iter()
        .map(|r| r.diagnostics.len() - r.warnings())
        .sum::<usize>();
    let problems = if failed == 0 {
        String::new()
    } else {
        format!(
            ", {failed} with problems ({})",
            plural(errors, "error", "errors")
        )
    };
    reporter.summary(
        format!(
            "{} checked: {} valid{problems}, {}",
            plural(inputs.len(), "brief", "briefs"),
            inputs.len() - failed,
            plural(warnings, "warning", "warnings")
        ),
        serde_json::json!({ "checked": inputs.len(), "valid": inputs.len() - failed, "failed": failed, "errors": errors, "warnings": warnings }),
        started,
    );
    ok
}

/// The renderer for a run: templates (with the user's overrides), fonts,
/// and where images may come from.
fn renderer(
    template_dir: Option<&Path>,
    allowed: &[PathBuf],
    reporter: &Reporter,
) -> Option<Renderer> {
    let templates = match template_dir {
        None => Templates::defaults(),
        Some(dir) => match Templates::with_overrides(dir) {
            Ok(templates) => templates,
            Err(error) => {
                let source = std::fs::read_to_string(&error.file).ok();
                reporter.diagnostics(&[render::template_diagnostic(error)], source.as_deref());
                return None;
            }
        },
    };
    match Renderer::new(templates, source_date_epoch()) {
        Ok(renderer) => Some(renderer.with_image_folders(template_dir, allowed)),
        Err(diagnostic) => {
            reporter.diagnostics(&[*diagnostic], None);
            None
        }
    }
}

fn render(
    paths: &[PathBuf],
    options: &BatchOptions,
    out_dir: &Path,
    template_dir: Option<&Path>,
    allowed: &[PathBuf],
) -> bool {
    let started = Instant::now();
    let reporter = Reporter { options };
    let Some(renderer) = renderer(template_dir, allowed, &reporter) else {
        return false;
    };
    let (inputs, mut ok) = inputs_or_report(paths, &reporter);
    let clashes = render::clashing_outputs(&inputs);
    for (first, second) in &clashes {
        reporter.diagnostics(
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
    let clashing: BTreeSet<&PathBuf> = clashes.iter().flat_map(|(a, b)| [a, b]).collect();
    let todo: Vec<PathBuf> = inputs
        .iter()
        .filter(|i| !clashing.contains(i))
        .cloned()
        .collect();
    let bar = reporter.progress(todo.len());
    let reports = render::batch(
        &todo,
        |input| renderer.render(input, out_dir),
        |_| {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for report in &reports {
        reporter.report(report);
    }
    // Briefs whose outputs would clash were not rendered: they count as failed.
    let rendered = reports.iter().filter(|r| !r.failed()).count();
    let failed = inputs.len() - rendered;
    ok &= failed == 0;
    let warnings: usize = reports.iter().map(Report::warnings).sum();
    reporter.summary(
        format!(
            "{} rendered, {failed} failed, {}",
            plural(rendered, "brief", "briefs"),
            plural(warnings, "warning", "warnings")
        ),
        serde_json::json!({ "rendered": rendered, "failed": failed, "warnings": warnings }),
        started,
    );
    ok
}

fn pack(
    paths: &[PathBuf],
    options: &BatchOptions,
    request: &PackRequest,
    template_dir: Option<&Path>,
    allowed: &[PathBuf],
) -> bool {
    let started = Instant::now();
    let reporter = Reporter { options };
    let Some(renderer) = renderer(template_dir, allowed, &reporter) else {
        return false;
    };
    let (inputs, ok) = inputs_or_report(paths, &reporter);
    let outcome = renderer.pack(&inputs, request);
    for report in &outcome.reports {
        reporter.report(report);
    }
    if let Some(problem) = &outcome.problem {
        reporter.diagnostics(std::slice::from_ref(problem), None);
    }
    let failed = outcome.reports.iter().filter(|r| r.failed()).count();
    let warnings: usize = outcome.reports.iter().map(Report::warnings).sum();
    if !options.quiet {
        for output in &outcome.written {
            let pack_report = Report::written(output, outcome.pages);
            reporter.report(&pack_report);
        }
    }
    let packed = if outcome.written.is_empty() {
        0
    } else {
        inputs.len()
    };
    reporter.summary(
        format!(
            "{} packed into {} pages, {failed} failed, {}",
            plural(packed, "brief", "briefs"),
            outcome.pages,
            plural(warnings, "warning", "warnings")
        ),
        serde_json::json!({ "packed": packed, "pages": outcome.pages, "failed": failed, "warnings": warnings }),
        started,
    );
    ok && failed == 0 && outcome.problem.is_none() && !outcome.written.is_empty()
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
        if let Err(error) = briefing::files::create_folder(dir) {
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
    match briefing::files::write_atomically(file, templates::STARTER_BRIEF.as_bytes()) {
        Ok(()) => {
            say_err!(
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
                say_err!("wrote {}", display_path(&path));
            }
            true
        }
        Err(error) => {
            print_diagnostics(&[render::template_diagnostic(error)], None);
            false
        }
    }
}
