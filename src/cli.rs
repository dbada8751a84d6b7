//! Command-line arguments and exit codes.
//!
//! Exit codes: 0 when everything asked for was done; 1 when a brief, a
//! template or an output had a problem (each reported on stderr); 2 when the
//! command line itself is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use briefing::diag::{self, display_path, Diagnostic, Severity};
use briefing::files::{self, Output, OutputProblem};
use briefing::i18n::Language;
use briefing::render::{self, PackRequest, Renderer, Report};
use briefing::templates::{self, Templates};
use clap::{Parser, Subcommand};

/// Like `println!` and `eprintln!`, but a closed pipe (`briefing … | head`)
/// ends the output quietly instead of in a panic. Each line goes out in one
/// write, so that a run ended by a signal never leaves half a line.
macro_rules! say_out {
    ($($arg:tt)*) => {{
        let line = format!("{}\n", format_args!($($arg)*));
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    }};
}
macro_rules! say_err {
    ($($arg:tt)*) => {{
        let line = format!("{}\n", format_args!($($arg)*));
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }};
}

// After the macros, which they use.
mod defaults;
mod manual;
mod watch;

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Turns YAML briefs of delegation visits into briefings",
    after_help = "The brief format: `briefing schema --markdown` (its JSON Schema, for editors: `briefing schema`). Exit codes: 0 all good, 1 a brief or template failed, 2 usage error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the messages: `auto` on a terminal unless `NO_COLOR` is set,
    /// `always`, or `never`.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: ColorWhen,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check briefs and report every problem, writing nothing.
    Check {
        /// Brief files, or folders of `*.yaml` briefs; `-` reads one from
        /// standard input.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        batch: BatchOptions,
        #[command(flatten)]
        images: InputOptions,
        /// Folder of templates to check too, with its theme and fonts, and
        /// each brief against them (as `render --templates` would use them).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Render briefs to a PDF briefing and a Markdown summary each
    /// (`OUT/<name>.pdf`, `OUT/<name>.md`), and a calendar on request.
    Render {
        /// Brief files, or folders of `*.yaml` briefs; `-` reads one from
        /// standard input.
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        batch: BatchOptions,
        #[command(flatten)]
        images: InputOptions,
        #[command(flatten)]
        pdf: PdfOptions,
        /// Folder to write into. For one brief, a file name ending in
        /// `.pdf`, `.md` or `.ics` names the file of that format (the
        /// others go beside it with their own extension); `-` writes the
        /// one output to standard output.
        #[arg(short, long = "out", value_name = "DIR", default_value = "out")]
        out_dir: PathBuf,
        /// What to write, comma-separated: `pdf`, `md` (the summary),
        /// `ics` (a calendar of the programme and the meetings).
        #[arg(
            long = "format",
            value_name = "LIST",
            value_delimiter = ',',
            default_value = "pdf,md"
        )]
        formats: Vec<OutputFormat>,
        /// Folder of templates replacing the defaults of the same file name.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Render briefs, then render each again whenever it, one of its
    /// photos, a template or the theme changes, until Ctrl-C. A brief with
    /// errors prints them and keeps its last good PDF.
    Watch {
        /// Brief files, or folders of `*.yaml` briefs (briefs added to a
        /// folder later are rendered too).
        #[arg(required = true, value_name = "FILE")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        images: InputOptions,
        #[command(flatten)]
        pdf: PdfOptions,
        /// Folder to write into.
        #[arg(short, long = "out", value_name = "DIR", default_value = "out")]
        out_dir: PathBuf,
        /// Folder of templates replacing the defaults of the same file name
        /// (watched too).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Open each brief's PDF in the system's viewer, once, after it is
        /// first written.
        #[arg(long)]
        open: bool,
        /// What to write, comma-separated: `pdf`, `md`, `ics`.
        #[arg(
            long = "format",
            value_name = "LIST",
            value_delimiter = ',',
            default_value = "pdf,md"
        )]
        formats: Vec<OutputFormat>,
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
        images: InputOptions,
        #[command(flatten)]
        pdf: PdfOptions,
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
        /// The language of the pack's own pages: en, de, fr or ar (default:
        /// the briefs' language when they all share one, else en).
        #[arg(long, value_parser = language_parser())]
        language: Option<Language>,
        /// Folder of templates replacing the defaults of the same file name.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// List the font families text can be set in, and where each comes
    /// from, in the order a character is looked for in them.
    Fonts {
        /// Folder of templates whose theme names the fonts.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        #[command(flatten)]
        images: InputOptions,
    },
    /// Write a commented starter brief that uses every key of the format.
    New {
        /// Where to write the brief, e.g. `briefs/my-visit.yaml`; `-` prints
        /// it to standard output (and writes no schema).
        file: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the brief format (draft-07), for editors to
    /// check briefs as they are typed: `briefing schema > brief.schema.json`.
    Schema {
        /// Print the documentation of the brief format (Markdown) instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Work with the default templates.
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// Print the completions of `briefing` for a shell, e.g.
    /// `briefing completions bash > ~/.local/share/bash-completion/completions/briefing`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the manual page of `briefing` (roff, for `man -l -`), or with
    /// DIR write one for it and one for each command into DIR
    /// (`briefing.1`, `briefing-render.1`, …).
    Man {
        /// The folder to write the pages into.
        dir: Option<PathBuf>,
    },
}

/// How a batch runs and reports.
#[derive(clap::Args)]
struct BatchOptions {
    /// How many briefs to work on at once (default: one per core; at most
    /// four per core).
    #[arg(short, long, value_name = "N", value_parser = jobs)]
    jobs: Option<usize>,
    /// Print errors only: no warnings, progress or summary.
    #[arg(short, long)]
    quiet: bool,
    /// `human`; `json`: one JSON object per line on stdout for each
    /// diagnostic, each file written and the summary, for CI systems;
    /// `github`: each diagnostic as a GitHub Actions annotation
    /// (`::error file=…,line=…`) on stdout, the rest as `human`.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    message_format: MessageFormat,
}

/// `--jobs N`: from 1 to four times the machine's cores. Each job is a
/// thread; more than a few per core only compete for the same cores, and a
/// pool of thousands takes seconds to build (`-j 4000`: 21 s, `-j 65535`:
/// minutes). Refused by clap, as a usage error (exit 2).
fn jobs(text: &str) -> Result<usize, String> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let most = 4 * cores;
    let too_many = || {
        format!(
            "{text} is more than {most} (four times this machine's {})",
            plural(cores, "core", "cores")
        )
    };
    match text.parse::<usize>() {
        Ok(0) => Err(format!("0 is not in 1..={most}")),
        Ok(jobs) if jobs > most => Err(too_many()),
        Ok(jobs) => Ok(jobs),
        // A number too long for the machine's integers is more than the most.
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Err(too_many()),
        Err(error) => Err(error.to_string()),
    }
}

/// Where a brief's images and its fonts may come from.
#[derive(clap::Args)]
struct InputOptions {
    /// Let photos and images come from this folder too, besides the
    /// brief's own folder (or, for a template's images, the templates
    /// folder). Repeatable.
    #[arg(long = "allow-path", value_name = "DIR", value_parser = allowed_folder)]
    allow_path: Vec<PathBuf>,
    /// Take characters the theme's fonts lack from the fonts in this folder
    /// (TTF, OTF, TTC), before the bundled and the system's. Repeatable;
    /// also `BRIEFING_FONT_PATH`, folders separated by `:`.
    #[arg(
        long = "font-path",
        value_name = "DIR",
        value_parser = font_folder,
        env = "BRIEFING_FONT_PATH",
        value_delimiter = ':'
    )]
    font_path: Vec<PathBuf>,
    /// Do not look for characters in the fonts installed on this machine:
    /// the same bytes everywhere, from the theme's, `--font-path` and the
    /// bundled fonts alone. Also `BRIEFING_IGNORE_SYSTEM_FONTS=1`.
    #[arg(long, env = "BRIEFING_IGNORE_SYSTEM_FONTS", value_parser = clap::builder::BoolishValueParser::new())]
    ignore_system_fonts: bool,
}

/// The languages `--language` takes: those the labels are written in.
fn language_parser() -> impl clap::builder::TypedValueParser<Value = Language> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Language::ALL.map(Language::code))
        .map(|code| Language::from_code(&code).expect("a possible value is a language"))
}

/// A folder given to `--font-path`.
fn font_folder(text: &str) -> Result<PathBuf, String> {
    let folder = PathBuf::from(text);
    match std::fs::metadata(&folder) {
        Ok(meta) if meta.is_dir() => Ok(folder),
        Ok(_) => Err("it is not a folder".into()),
        Err(error) => Err(briefing::io_reason(&error)),
    }
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

/// What the PDF is written to.
#[derive(clap::Args)]
struct PdfOptions {
    /// The standard to write the PDF to: `ua-1` (tagged for screen
    /// readers, the default), or PDF/A-2 for archives, `a-2b`, `a-2u` or
    /// `a-2a`, each tagged as well unless `--no-pdf-tags` (which `a-2a`
    /// cannot be). Default: the theme's `pdf.standard`, else `ua-1`.
    #[arg(long, value_name = "STANDARD")]
    pdf_standard: Option<PdfStandard>,
    /// Write the PDF untagged: no structure for screen readers, and no
    /// PDF/UA claim (the theme's `pdf.tagged: false`).
    #[arg(long)]
    no_pdf_tags: bool,
    /// Mark every page as a draft (a diagonal DRAFT in the brief's
    /// language) and say so in the PDF's metadata, as `status: draft` does.
    #[arg(long)]
    draft: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PdfStandard {
    #[value(name = "ua-1")]
    Ua1,
    #[value(name = "a-2b")]
    A2b,
    #[value(name = "a-2u")]
    A2u,
    #[value(name = "a-2a")]
    A2a,
}

impl PdfOptions {
    /// Why the options cannot go together, if they cannot (a usage error).
    fn conflict(&self) -> Option<String> {
        let standard = match self.pdf_standard {
            Some(PdfStandard::Ua1) => "ua-1",
            Some(PdfStandard::A2a) => "a-2a",
            _ => return None,
        };
        self.no_pdf_tags.then(|| {
            format!(
                "--pdf-standard {standard} is a tagged PDF: it cannot be written with \
                 --no-pdf-tags (a-2b and a-2u can)"
            )
        })
    }

    /// The renderer, writing PDFs as the options say.
    fn apply(&self, renderer: Renderer) -> Renderer {
        use briefing::pdf::Archive;
        let archive = self.pdf_standard.map(|standard| match standard {
            PdfStandard::Ua1 => None,
            PdfStandard::A2b => Some(Archive::A2b),
            PdfStandard::A2u => Some(Archive::A2u),
            PdfStandard::A2a => Some(Archive::A2a),
        });
        let tagged = if self.no_pdf_tags {
            Some(false)
        } else {
            self.pdf_standard.map(|_| true)
        };
        renderer.with_pdf(tagged, archive).with_draft(self.draft)
    }
}

/// An output `--format` names.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Pdf,
    Md,
    Ics,
}

impl OutputFormat {
    fn format(self) -> render::Format {
        match self {
            OutputFormat::Pdf => render::Format::Pdf,
            OutputFormat::Md => render::Format::Markdown,
            OutputFormat::Ics => render::Format::Calendar,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
    Github,
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
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let mut cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
        .unwrap_or_else(|error| error.exit());
    // Flags win over `briefing.toml`: its values fill what was not given.
    if !defaults::apply(&mut cli.command, &matches) {
        return ExitCode::from(1);
    }
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    #[cfg(unix)]
    remove_unfinished_files_on_signals();
    if let Command::Check { batch, .. }
    | Command::Render { batch, .. }
    | Command::Pack { batch, .. } = &cli.command
    {
        // One pool for everything: batches, and the parallel parts of
        // setting up and of writing one PDF. A second pool would only add
        // threads that compete for the same cores.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(batch.jobs.unwrap_or(0))
            .build_global();
    }
    if let Command::Render { pdf, .. } | Command::Pack { pdf, .. } | Command::Watch { pdf, .. } =
        &cli.command
    {
        if let Some(conflict) = pdf.conflict() {
            <Cli as clap::CommandFactory>::command()
                .error(clap::error::ErrorKind::ArgumentConflict, conflict)
                .exit();
        }
    }
    let ok = match cli.command {
        Command::Check {
            inputs,
            batch,
            images,
            templates,
        } => check(&inputs, &batch, templates.as_deref(), &images),
        Command::Render {
            inputs,
            batch,
            images,
            pdf,
            out_dir,
            formats,
            templates,
        } => {
            // In one order whatever the order given: the summary, the PDF,
            // the calendar.
            let formats: BTreeSet<render::Format> =
                formats.into_iter().map(OutputFormat::format).collect();
            let formats: Vec<render::Format> = formats.into_iter().collect();
            render(
                &inputs,
                &batch,
                &RenderRequest {
                    out: &out_dir,
                    formats: &formats,
                },
                templates.as_deref(),
                &images,
                &pdf,
            )
        }
        Command::Pack {
            inputs,
            batch,
            images,
            pdf,
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
                language,
                kept_weight: render::KEPT_WEIGHT,
            },
            templates.as_deref(),
            &images,
            &pdf,
        ),
        Command::Watch {
            inputs,
            images,
            pdf,
            out_dir,
            templates,
            open,
            formats,
        } => watch::watch(
            &inputs,
            &watch::WatchRequest {
                out_dir: &out_dir,
                template_dir: templates.as_deref(),
                open,
                formats: formats
                    .into_iter()
                    .map(OutputFormat::format)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            },
            &images,
            &pdf,
        ),
        Command::Fonts { templates, images } => list_fonts(templates.as_deref(), &images),
        Command::New { file, force } => new_brief(&file, force),
        Command::Schema { markdown } => print_schema(markdown),
        Command::Templates {
            command: TemplatesCommand::Export { dir, force },
        } => export_templates(&dir, force),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            // Made whole, then written: a closed pipe ends it quietly.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "briefing", &mut script);
            let _ = std::io::stdout().lock().write_all(&script);
            true
        }
        Command::Man { dir } => manual::manual(dir.as_deref()),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// SIGINT (Ctrl-C) and SIGTERM (a CI job cancelled, `kill`) end the run as
/// they would by default, but first remove its temporary files, waiting for
/// a set of outputs being renamed into place to be complete. The run then
/// dies of the signal itself: the shell reports 130 or 143, and a script
/// that runs `briefing` in a loop stops at Ctrl-C as it should. Nothing more
/// is printed, so no line is left half written or claims what was not done.
#[cfg(unix)]
fn remove_unfinished_files_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    // Without the handler the signals keep their default: the run still
    // ends, only its temporary files stay (and the next run removes them).
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until the process ends: nothing is renamed or created
            // after the clean-up.
            let _stopped = briefing::files::stop_writing();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // Only if the signal could not be raised again.
            std::process::exit(128 + signal);
        }
    });
}

fn print_diagnostics(diagnostics: &[Diagnostic], source: Option<&str>) {
    let lines = source.map(diag::SourceLines::new);
    let mut stderr = anstream::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(
            stderr,
            "{}",
            diagnostic.render_styled(lines.as_ref(), &diag::Palette::COLOURED)
        );
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
                    format!("no briefs (`*.yaml`, `*.yml`) in `{}`", display_path(path)),
                )
                .with_help(skipped_in(path))],
                None,
            );
            ok = false;
        }
    }
    (render::expand_inputs(paths), ok)
}

/// What a folder without briefs holds that is not read: files ending in
/// `.YAML` (extensions are matched as written), or subfolders (folders are
/// not searched below their own files).
fn skipped_in(folder: &Path) -> Option<String> {
    let mut names: Vec<(String, bool)> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| {
            let is_dir = entry.path().is_dir();
            (entry.file_name().to_string_lossy().into_owned(), is_dir)
        })
        .collect();
    names.sort();
    let written_otherwise = names.iter().find(|(name, is_dir)| {
        !is_dir
            && Path::new(name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
    });
    if let Some((name, _)) = written_otherwise {
        return Some(format!(
            "`{name}` is not read: briefs end in `.yaml` or `.yml`, in lower case"
        ));
    }
    names.iter().find(|(_, is_dir)| *is_dir).map(|(name, _)| {
        format!(
            "folders are not searched below their own files: name `{}` too",
            display_path(&folder.join(name))
        )
    })
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
                // Found once for all of the file's diagnostics.
                let lines = source.map(diag::SourceLines::new);
                // Coloured on a terminal only (`--color`, `NO_COLOR`).
                let mut stderr = anstream::stderr().lock();
                for diagnostic in shown {
                    let _ = writeln!(
                        stderr,
                        "{}",
                        diagnostic.render_styled(lines.as_ref(), &diag::Palette::COLOURED)
                    );
                }
            }
            MessageFormat::Json => {
                let mut stdout = std::io::stdout().lock();
                for diagnostic in shown {
                    let _ = writeln!(stdout, "{}", diag::json(diagnostic));
                }
            }
            MessageFormat::Github => {
                let mut stdout = std::io::stdout().lock();
                for diagnostic in shown {
                    let _ = writeln!(stdout, "{}", diag::github(diagnostic));
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
                MessageFormat::Human | MessageFormat::Github => {
                    say_err!("wrote {}", display_path(output))
                }
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
                            // A pack is made of many briefs: no one input.
                            "input": (report.input != *output).then(|| display_path(&report.input)),
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
            MessageFormat::Human | MessageFormat::Github => say_err!("{human} ({seconds:.2} s)"),
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

fn check(
    paths: &[PathBuf],
    options: &BatchOptions,
    template_dir: Option<&Path>,
    sources: &InputOptions,
) -> bool {
    let started = Instant::now();
    // Without templates, images are checked as the built-in theme prints
    // them; with them, as their theme does.
    let images = render::image_rules(&Templates::defaults().theme, &sources.allow_path);
    let reporter = Reporter { options };
    // Templates given are checked whole first: a folder that cannot be used
    // is one error, not one per brief.
    // Fonts given are the fonts characters are looked for in, as `render`
    // would set them.
    let renderer =
        if template_dir.is_some() || !sources.font_path.is_empty() || sources.ignore_system_fonts {
            match renderer(template_dir, sources, &reporter) {
                Some(renderer) => Some(renderer),
                None => return false,
            }
        } else {
            None
        };
    let (inputs, mut ok) = inputs_or_report(paths, &reporter);
    let bar = reporter.progress(inputs.len());
    let reports = render::batch(
        &inputs,
        |input| match &renderer {
            Some(renderer) => renderer.check(input),
            None => render::check(input, &images).0,
        },
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
/// `briefing fonts`: every family, with `bundled`, `theme`, `bundled
/// (fallback)` or the file it comes from.
fn list_fonts(template_dir: Option<&Path>, sources: &InputOptions) -> bool {
    let options = BatchOptions {
        jobs: None,
        quiet: false,
        message_format: MessageFormat::Human,
    };
    let reporter = Reporter { options: &options };
    let Some(renderer) = renderer(template_dir, sources, &reporter) else {
        return false;
    };
    let sources = renderer.fonts().sources();
    let width = sources
        .iter()
        .map(|s| s.family.chars().count())
        .max()
        .unwrap_or(0);
    for source in sources {
        say_out!("{:width$}  {}", source.family, source.origin);
    }
    true
}

fn renderer(
    template_dir: Option<&Path>,
    sources: &InputOptions,
    reporter: &Reporter,
) -> Option<Renderer> {
    let templates = match template_dir {
        None => Templates::defaults(),
        Some(dir) => match Templates::with_overrides(dir) {
            Ok(templates) => templates,
            Err(error) => {
                // Quoted from only if it is a template file that could be
                // read: never a pipe, never a large file.
                let source =
                    briefing::files::read_input(&error.file, templates::TEMPLATE_FILE_LIMIT)
                        .ok()
                        .and_then(|bytes| String::from_utf8(bytes).ok());
                reporter.diagnostics(&render::template_diagnostics(error), source.as_deref());
                return None;
            }
        },
    };
    let made = Renderer::new(templates, source_date_epoch()).and_then(|renderer| {
        let renderer = if sources.ignore_system_fonts {
            renderer.without_system_fonts()
        } else {
            renderer
        };
        renderer
            .with_image_folders(template_dir, &sources.allow_path)?
            .with_font_folders(&sources.font_path)
    });
    match made {
        Ok(renderer) => Some(renderer),
        Err(diagnostic) => {
            // The theme's line is quoted where the diagnostic has one.
            let source = diagnostic
                .location
                .span
                .and_then(|_| {
                    briefing::files::read_input(&diagnostic.file, templates::TEMPLATE_FILE_LIMIT)
                        .ok()
                })
                .and_then(|bytes| String::from_utf8(bytes).ok());
            reporter.diagnostics(&[*diagnostic], source.as_deref());
            None
        }
    }
}

/// What `render` is asked to write, and where.
struct RenderRequest<'a> {
    /// `-o`: a folder, a file, or `-`.
    out: &'a Path,
    formats: &'a [render::Format],
}

/// A usage error of `render` (exit 2), said as clap says its own.
fn usage_error(message: String) -> ! {
    usage_error_of("render", message)
}

/// A usage error of the command `name` (exit 2), said as clap says its own.
fn usage_error_of(name: &str, message: String) -> ! {
    let mut command = <Cli as clap::CommandFactory>::command();
    command.build();
    match command.find_subcommand_mut(name) {
        Some(render) => render.error(clap::error::ErrorKind::ArgumentConflict, message),
        None => command.error(clap::error::ErrorKind::ArgumentConflict, message),
    }
    .exit()
}

/// Where `-o` sends the outputs of `briefs` briefs: a usage error when it
/// names one file or standard output and more than that would go there.
fn destination(
    request: &RenderRequest,
    briefs: usize,
    message_format: MessageFormat,
) -> render::Destination {
    let out = request.out;
    let formats = request.formats;
    let names: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
    if out == Path::new(files::STDIN) {
        if briefs != 1 {
            usage_error(format!(
                "-o - writes one output to standard output, but {} would be rendered: name a folder with -o",
                plural(briefs, "brief", "briefs")
            ));
        }
        if formats.len() != 1 {
            usage_error(format!(
                "-o - writes one output to standard output, but --format asks for {}: name one, e.g. --format pdf",
                names.join(",")
            ));
        }
        if message_format == MessageFormat::Json {
            usage_error(
                "-o - writes the output to standard output, where --message-format json would print too: use --message-format human or github".into(),
            );
        }
        return render::Destination::Stdout;
    }
    let Some(named) = render::Format::of_file(out).filter(|_| !out.is_dir()) else {
        return render::Destination::Folder(out.to_path_buf());
    };
    if briefs != 1 {
        usage_error(format!(
            "-o {} names one file, but {} would be rendered: name a folder with -o",
            display_path(out),
            plural(briefs, "brief", "briefs")
        ));
    }
    if !formats.contains(&named) {
        usage_error(format!(
            "-o {} names a file of format {}, but --format asks for {}: add {} to --format, or name the file after one of them",
            display_path(out),
            named.extension(),
            names.join(","),
            named.extension(),
        ));
    }
    render::Destination::File(out.to_path_buf())
}

fn render(
    paths: &[PathBuf],
    options: &BatchOptions,
    request: &RenderRequest,
    template_dir: Option<&Path>,
    sources: &InputOptions,
    pdf: &PdfOptions,
) -> bool {
    let started = Instant::now();
    let reporter = Reporter { options };
    let formats = request.formats;
    // Said before the templates and fonts are loaded: a usage error.
    let destination = destination(
        request,
        render::expand_inputs(paths).len(),
        options.message_format,
    );
    let Some(renderer) = renderer(template_dir, sources, &reporter) else {
        return false;
    };
    let renderer = pdf.apply(renderer);
    let out_dir = match &destination {
        render::Destination::Folder(dir) => dir.as_path(),
        _ => request.out.parent().unwrap_or(Path::new("")),
    };
    // `-o` names a folder: one that is something else is said once, not once
    // for each brief.
    if let Some((in_the_way, kind)) =
        files::folder_in_the_way(out_dir).filter(|_| destination != render::Destination::Stdout)
    {
        let what = if in_the_way == out_dir {
            format!("it is {kind}")
        } else {
            format!("`{}` is {kind}", display_path(&in_the_way))
        };
        reporter.diagnostics(
            &[Diagnostic::error(
                out_dir,
                format!(
                    "cannot write into `{}`: {what}, not a folder",
                    display_path(out_dir)
                ),
            )
            .with_help(Some("-o names the folder to write into".into()))],
            None,
        );
        return false;
    }
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
                    display_path(
                        &out_dir.join(render::output_name(second, formats[0].extension()))
                    )
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
    // Every output is checked before any brief is rendered: none may
    // replace a file the run reads, another output, or anything but a file.
    let run_inputs = render::run_inputs(&inputs, template_dir, &renderer);
    let output_paths: Vec<(PathBuf, render::Format)> = todo
        .iter()
        .flat_map(|input| {
            formats
                .iter()
                .filter_map(|format| Some((destination.path(input, *format)?, *format)))
        })
        .collect();
    let outputs: Vec<Output> = output_paths
        .iter()
        .map(|(path, format)| Output {
            path,
            what: format.what(),
        })
        .collect();
    let mut refused = BTreeSet::new();
    for (output, problem) in files::check_outputs(&outputs, &run_inputs) {
        reporter.diagnostics(&[problem.diagnostic(render::OTHER_OUTPUT_FOLDER)], None);
        refused.insert(output / formats.len());
    }
    let todo: Vec<PathBuf> = todo
        .into_iter()
        .enumerate()
        .filter(|(brief, _)| !refused.contains(brief))
        .map(|(_, input)| input)
        .collect();
    let bar = reporter.progress(todo.len());
    let reports = render::batch(
        &todo,
        |input| renderer.render(input, &destination, formats),
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
    leave_for_exit(renderer);
    ok
}

/// The process ends with the command: the renderer's fonts, shaped words and
/// templates are left for the system to reclaim at once, which freeing them
/// piece by piece would only delay (0.66 M instructions of the German
/// example's 43 M, BENCHMARKS.md, issue 14).
fn leave_for_exit(renderer: render::Renderer) {
    std::mem::forget(renderer);
}

fn pack(
    paths: &[PathBuf],
    options: &BatchOptions,
    request: &PackRequest,
    template_dir: Option<&Path>,
    sources: &InputOptions,
    pdf: &PdfOptions,
) -> bool {
    let started = Instant::now();
    let reporter = Reporter { options };
    let Some(renderer) = renderer(template_dir, sources, &reporter) else {
        return false;
    };
    let renderer = pdf.apply(renderer);
    let (inputs, ok) = inputs_or_report(paths, &reporter);
    // The pack and its index are checked before any brief is read.
    let index = request.index();
    let run_inputs = render::run_inputs(&inputs, template_dir, &renderer);
    let problems = files::check_outputs(&request.outputs(&index), &run_inputs);
    for (_, problem) in &problems {
        let help = match problem {
            OutputProblem::SameAsOutput { .. } => format!(
                "-o names the PDF, and its index goes beside it as `.md`: name the PDF, e.g. `-o {}`",
                display_path(&request.output.with_extension("pdf"))
            ),
            _ => problem.help("choose another output file with -o"),
        };
        reporter.diagnostics(
            &[Diagnostic::error(problem.output(), problem.message()).with_help(Some(help))],
            None,
        );
    }
    if !problems.is_empty() {
        return false;
    }
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
    leave_for_exit(renderer);
    ok && failed == 0 && outcome.problem.is_none() && !outcome.written.is_empty()
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): the date to write into
/// PDFs instead of any other.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

fn new_brief(file: &Path, force: bool) -> bool {
    // `-`: standard output, as `-o -` is (`briefing new - > visit.yaml`);
    // no schema file then, as there is no folder to put it in.
    if file == Path::new(files::STDIN) {
        let _ = std::io::stdout()
            .lock()
            .write_all(templates::STARTER_BRIEF.as_bytes());
        return true;
    }
    // A folder, device, pipe or link is refused even with --force: `new`
    // replaces files only.
    let output = [Output {
        path: file,
        what: "brief",
    }];
    let problem = files::check_outputs(&output, &files::Inputs::default())
        .into_iter()
        .map(|(_, problem)| problem)
        .find(|problem| !matches!(problem, OutputProblem::FolderIsAFile { .. }));
    if let Some(problem) = problem {
        print_diagnostics(&[problem.diagnostic("choose another name")], None);
        return false;
    }
    if std::fs::symlink_metadata(file).is_ok() && !force {
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
        if let Err(error) = files::create_folder(dir) {
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
    // The schema the starter brief's first line names, beside it, unless
    // one is there already: an editor then checks the brief as it is typed.
    let schema = file
        .parent()
        .unwrap_or(Path::new(""))
        .join(briefing::brief::schema::FILE_NAME);
    if std::fs::symlink_metadata(&schema).is_err() {
        let text = format!("{}\n", briefing::brief::schema::json_text());
        match files::write_atomically(&schema, text.as_bytes()) {
            Ok(()) => say_err!(
                "wrote {}, the JSON Schema editors check briefs with",
                display_path(&schema)
            ),
            Err(diagnostic) => {
                print_diagnostics(&[*diagnostic], None);
                return false;
            }
        }
    }
    match files::write_atomically(file, templates::STARTER_BRIEF.as_bytes()) {
        Ok(()) => {
            say_err!(
                "wrote {}: edit it, then run `briefing check {0}`",
                display_path(file)
            );
            true
        }
        Err(diagnostic) => {
            print_diagnostics(&[*diagnostic], None);
            false
        }
    }
}

/// `briefing schema`: the JSON Schema, or the format's documentation,
/// which `cargo install` does not install as a file.
fn print_schema(markdown: bool) -> bool {
    if markdown {
        say_out!("{}", briefing::brief::FORMAT_DOCUMENTATION.trim_end());
    } else {
        say_out!("{}", briefing::brief::schema::json_text());
    }
    true
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
