//! The pipeline: for each brief, load → template → write, and the batch over
//! many files and folders. Every brief is reported on, good or bad; a bad
//! brief writes nothing and does not stop the others.
//!
//! [`batch`] expands the inputs and spreads them over the cores; [`pack`]
//! binds many briefs into one PDF.

mod batch;
mod pack;

use batch::in_parallel;
pub use batch::{batch, clashing_outputs, expand_inputs, run_inputs};
pub use pack::{pack_marking, PackOutcome, PackRequest};

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

/// Loads and checks one brief and every image it names, writing nothing.
/// Its warnings (control
/// characters removed, say) are in the report beside its errors, in the
/// order of their places in the file.
pub fn check(input: &Path, images: &ImageRules) -> (Report, Option<brief::Brief>) {
    check_with_fonts(input, images, bundled_fonts())
}

/// The bundled fonts (and the system's behind them), for checking briefs
/// that are not rendered with a theme of their own.
fn bundled_fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(Fonts::bundled)
}

/// [`check`], with the characters of every value looked for in `fonts`: one
/// that no font has is a warning at its value, as `render` would give.
fn check_with_fonts(
    input: &Path,
    images: &ImageRules,
    fonts: &Fonts,
) -> (Report, Option<brief::Brief>) {
    let (mut report, loaded) = check_only(input, images);
    let Some((brief, spans)) = loaded else {
        return (report, None);
    };
    {
        let missing = missing_characters(input, &brief, &spans, fonts);
        if !missing.is_empty() {
            if report.source.is_none() {
                report.source = crate::files::read_input(input, brief::MAX_BRIEF_BYTES as u64)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok());
            }
            report.diagnostics.extend(missing);
            report.diagnostics.sort_by_key(|d| {
                let span = d.location.span;
                (span.is_none(), span)
            });
        }
    }
    (report, Some(brief))
}

/// A warning for each character of a value that no font has, at the value.
fn missing_characters(
    input: &Path,
    brief: &brief::Brief,
    spans: &brief::Spans,
    fonts: &Fonts,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let Ok(tree) = serde_json::to_value(brief) else {
        return found;
    };
    let mut todo = vec![(String::new(), &tree)];
    while let Some((path, value)) = todo.pop() {
        match value {
            serde_json::Value::String(text) => {
                let mut seen: HashSet<char> = HashSet::new();
                let mut missing: Vec<char> = Vec::new();
                for c in text.chars() {
                    if c.is_ascii() || c.is_control() || !seen.insert(c) {
                        continue;
                    }
                    if !fonts.can_show(crate::typeset::fonts::Face::Regular, c) {
                        missing.push(c);
                    }
                }
                if !missing.is_empty() {
                    let mut diagnostic = Diagnostic::error(input, no_font_has(&missing))
                        .at(Location {
                            span: spans.get(&path).copied(),
                            path: Some(path.clone()),
                        })
                        .with_help(Some(add_a_font(&missing)));
                    diagnostic.severity = Severity::Warning;
                    found.push(diagnostic);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    todo.push((format!("{path}[{i}]"), item));
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, item) in fields.iter().rev() {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    todo.push((path, item));
                }
            }
            _ => {}
        }
    }
    found
}

/// Loads and checks one brief, its images and rules only.
fn check_only(input: &Path, images: &ImageRules) -> (Report, Option<(brief::Brief, brief::Spans)>) {
    let mut report = Report::new(input);
    let warning = |problem| {
        let mut diagnostic = diagnostic_of(input, problem);
        diagnostic.severity = Severity::Warning;
        diagnostic
    };
    match brief::load(input, images) {
        Ok(loaded) => {
            report.source = loaded.source;
            report.diagnostics = loaded.warnings.into_iter().map(warning).collect();
            (report, Some((loaded.brief, loaded.spans)))
        }
        Err(error) => {
            report.source = error.source;
            report.diagnostics = error
                .problems
                .into_iter()
                .map(|problem| diagnostic_of(input, problem))
                .chain(error.warnings.into_iter().map(warning))
                .collect();
            // Stable: at the same place, the error comes before the warning.
            report.diagnostics.sort_by_key(|d| {
                let span = d.location.span;
                (span.is_none(), span)
            });
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

/// A font that cannot be used, as a diagnostic about the theme.
fn font_diagnostic(theme_file: &Path, error: crate::typeset::fonts::FontError) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            theme_file,
            format!(
                "cannot use the font `{}`: {}",
                display_path(&error.path),
                error.reason
            ),
        )
        .with_help(Some(error.help)),
    )
}

/// The theme's logo, read from the theme's folder, at 300 dpi of the size
/// the theme prints it at.
fn load_logo(
    theme_dir: &Path,
    settings: &crate::typeset::theme::LogoSettings,
    theme_file: &Path,
) -> Result<std::sync::Arc<crate::images::Image>, Box<Diagnostic>> {
    use crate::images::PrintSize;
    use crate::typeset::theme::{mm, DEFAULT_LOGO_WIDTH};
    let file = theme_dir.join(&settings.file);
    let size = match (settings.width, settings.height) {
        (Some(width), _) => PrintSize::Width(mm(width)),
        (None, Some(height)) => PrintSize::Height(mm(height)),
        (None, None) => PrintSize::Width(mm(DEFAULT_LOGO_WIDTH)),
    };
    crate::images::load_logo(&file, size)
        .map(std::sync::Arc::new)
        .map_err(|error| {
            let rules = ImageRules {
                allowed: Vec::new(),
                // Said of the side the theme gives.
                print_width: match size {
                    PrintSize::Width(length) | PrintSize::Height(length) => length,
                },
            };
            Box::new(
                Diagnostic::error(theme_file, error.message("the logo", &display_path(&file)))
                    .with_help(Some(error.help("the logo", &rules, "the theme's folder"))),
            )
        })
}

/// A template problem as a diagnostic about the template file.
/// A template error and those found with it ([`TemplateError::more`]).
pub fn template_diagnostics(mut error: TemplateError) -> Vec<Diagnostic> {
    let more = std::mem::take(&mut error.more);
    std::iter::once(error)
        .chain(more.into_vec())
        .map(template_diagnostic)
        .collect()
}

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

/// Everything a run renders with, loaded once: templates, theme, fonts, and
/// the hyphenation dictionaries (each loaded when a brief first needs it).
pub struct Renderer {
    templates: Templates,
    /// The images written in the templates themselves, and the rules every
    /// image of the run is read by.
    images: TemplateImages,
    fonts: Fonts,
    hyphenators: [OnceLock<Option<Hyphenator>>; 4],
    /// `SOURCE_DATE_EPOCH`, when set: the date written into every PDF.
    source_date_epoch: Option<i64>,
    /// The standards every PDF is written to: the theme's, unless the
    /// command line says otherwise.
    conformance: Conformance,
    /// Every brief marked as a draft (`--draft`), whatever its `status`.
    draft: bool,
    /// The theme's logo, decoded once for the run.
    logo: Option<LoadedLogo>,
}

/// The theme's logo, decoded, with how the theme shows it.
struct LoadedLogo {
    image: std::sync::Arc<crate::images::Image>,
    settings: crate::typeset::theme::LogoSettings,
}

/// A rendered PDF, with what the reader should know about it.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<Warning>,
}

impl Renderer {
    pub fn new(
        templates: Templates,
        source_date_epoch: Option<i64>,
    ) -> Result<Renderer, Box<Diagnostic>> {
        let theme_dir = templates
            .theme_file
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf();
        // Whatever the run, it sets briefings: their templates are compiled
        // while the fonts are read.
        let (fonts, ()) = rayon::join(
            || Fonts::from_theme(&templates.theme.fonts, &theme_dir),
            || templates.prepare(&[BRIEFING]),
        );
        let fallbacks: Vec<PathBuf> = templates
            .theme
            .fonts
            .fallbacks
            .iter()
            .map(|file| theme_dir.join(file))
            .collect();
        let fonts = fonts
            .and_then(|mut fonts| fonts.add_fallbacks(&fallbacks, &[]).map(|()| fonts))
            .map_err(|error| font_diagnostic(&templates.theme_file, error))?;
        let templates_pdf = templates.theme.pdf;
        let logo = match &templates.theme.logo {
            Some(settings) => Some(LoadedLogo {
                image: load_logo(&theme_dir, settings, &templates.theme_file)?,
                settings: settings.clone(),
            }),
            None => None,
        };
        Ok(Renderer {
            draft: false,
            logo,
            images: TemplateImages::new(None, image_rules(&templates.theme, &[])),
            templates,
            fonts,
            hyphenators: Default::default(),
            source_date_epoch,
            conformance: conformance_of(templates_pdf),
        })
    }

    /// Writes the PDFs untagged (`tagged: false`), or to a PDF/A level
    /// (`Some`), rather than as the theme says. PDF/A-2a is tagged
    /// whatever else is asked: its level is the tags.
    pub fn with_pdf(mut self, tagged: Option<bool>, archive: Option<Option<Archive>>) -> Renderer {
        if let Some(archive) = archive {
            self.conformance.archive = archive;
        }
        if let Some(tagged) = tagged {
            self.conformance.tagged = tagged;
        }
        if self.conformance.archive == Some(Archive::A2a) {
            self.conformance.tagged = true;
        }
        self
    }

    /// Marks every brief as a draft (`--draft`).
    pub fn with_draft(mut self, draft: bool) -> Renderer {
        self.draft = draft;
        self
    }

    /// Whether a brief is rendered as a draft: by its `status`, or because
    /// the run says so.
    fn is_draft(&self, brief: &Brief) -> bool {
        self.draft || brief.status == brief::Status::Draft
    }

    /// The theme's logo as the typesetter places it; `office` describes it
    /// when the theme gives no alternative text.
    fn logo(&self, office: Option<&str>) -> Option<crate::typeset::Logo> {
        let logo = self.logo.as_ref()?;
        let aspect = logo.image.source_width as f32 / logo.image.source_height.max(1) as f32;
        Some(crate::typeset::Logo {
            image: logo.image.clone(),
            alt: logo
                .settings
                .alt
                .clone()
                .or_else(|| office.map(str::to_string))
                .unwrap_or_else(|| "Logo".into()),
            width: logo.settings.cover_width(aspect),
            in_header: logo.settings.in_header,
        })
    }

    /// The standards the PDFs are written to.
    pub fn conformance(&self) -> Conformance {
        self.conformance
    }

    /// Adds the fonts of `folders` (`--font-path`) to the fallback chain,
    /// after the theme's own fallbacks.
    pub fn with_font_folders(mut self, folders: &[PathBuf]) -> Result<Renderer, Box<Diagnostic>> {
        self.fonts
            .add_fallbacks(&[], folders)
            .map_err(|error| font_diagnostic(&self.templates.theme_file, error))?;
        Ok(self)
    }

    /// Sets text without the fonts installed on the system.
    pub fn without_system_fonts(mut self) -> Renderer {
        self.fonts.ignore_system_fonts();
        self
    }

    /// The document's fonts, for `briefing fonts`.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Where images may come from: a template's own from `templates_dir`
    /// (none with the built-in templates), and any image from the `allowed`
    /// folders (`--allow-path`, resolved) besides its own folder.
    pub fn with_image_folders(
        mut self,
        templates_dir: Option<&Path>,
        allowed: &[PathBuf],
    ) -> Renderer {
        let rules = image_rules(&self.templates.theme, allowed);
        self.images = TemplateImages::new(templates_dir, rules);
        self
    }

    /// Loads and checks one brief and its images, for this run's theme.
    /// (Setting the brief warns of characters no font has, in the section
    /// they are in, so loading does not look for them.)
    fn load_brief(&self, input: &Path) -> (Report, Option<brief::Brief>) {
        let (report, loaded) = check_only(input, self.images.rules());
        (report, loaded.map(|(brief, _)| brief))
    }

    /// The language's hyphenation patterns, `None` for one not hyphenated.
    fn hyphenator(&self, language: Language) -> Option<&Hyphenator> {
        let slot = match language {
            Language::En => &self.hyphenators[0],
            Language::De => &self.hyphenators[1],
            Language::Fr => &self.hyphenators[2],
            Language::Ar => &self.hyphenators[3],
        };
        slot.get_or_init(|| Hyphenator::for_language(language))
            .as_ref()
    }

    /// Checks one brief and, against it, the templates: both of its outputs'
    /// Markdown is made (and dropped), so a template that refers to a key
    /// the brief does not have, or includes itself through a computed name,
    /// is found by `check --templates` as `render` would find it.
    pub fn check(&self, input: &Path) -> Report {
        let (mut report, brief) = check_with_fonts(input, self.images.rules(), &self.fonts);
        let Some(brief) = brief else {
            return report;
        };
        for made in [
            self.templates.summary(&brief),
            self.templates.briefing(&brief),
        ] {
            if let Err(error) = made {
                report.diagnostics.push(template_diagnostic(error));
                break;
            }
        }
        report
    }

    /// The PDF briefing of a brief.
    pub fn pdf(&self, brief: &Brief) -> Result<Pdf, Box<Diagnostic>> {
        let mut document = self.document(brief)?;
        let pages = document.pages.len();
        let warnings = std::mem::take(&mut document.warnings);
        let bytes = crate::pdf::write(
            document,
            &self.fonts,
            &self.metadata(brief),
            self.conformance,
        )
        .map_err(|error| Box::new(Diagnostic::error("", error.to_string())))?;
        Ok(Pdf {
            bytes,
            pages,
            warnings,
        })
    }

    /// The PDF's date: `SOURCE_DATE_EPOCH`, else the day of issue, else 1970.
    fn date(&self, issued: Option<chrono::NaiveDate>) -> i64 {
        self.source_date_epoch.unwrap_or_else(|| {
            issued
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map_or(0, |t| t.and_utc().timestamp())
        })
    }

    fn metadata(&self, brief: &Brief) -> Metadata {
        let mut keywords = keywords(brief);
        if self.is_draft(brief) {
            // Said in English, as search and records systems look for it.
            keywords.insert(0, "Draft".into());
        }
        Metadata {
            title: brief.title.clone(),
            subject: brief
                .subtitle
                .clone()
                .or_else(|| brief.event.as_ref().map(|e| e.name.clone()))
                .unwrap_or_default(),
            author: brief.prepared_by.clone().unwrap_or_default(),
            keywords,
            language: brief.language.code().to_string(),
            date: self.date(brief.issued),
        }
    }

    /// A brief laid out as the pages of its PDF briefing.
    pub fn document(&self, brief: &Brief) -> Result<Document, Box<Diagnostic>> {
        let markdown = self
            .templates
            .briefing(brief)
            .map_err(|e| Box::new(template_diagnostic(e)))?;
        let theme = &self.templates.theme;
        let labels = crate::i18n::labels(brief.language, &brief.labels);
        let fill = |text: &str| {
            text.replace("{title}", &brief.title)
                .replace("{reference}", brief.reference.as_deref().unwrap_or(""))
                .replace(
                    "{classification}",
                    brief.classification.as_deref().unwrap_or(""),
                )
                .replace("{page_of}", &labels["page_of"])
        };
        let setup = Setup {
            theme,
            fonts: &self.fonts,
            hyphenator: self.hyphenator(brief.language),
            language: brief.language,
            furniture: Furniture {
                marking: brief.classification.clone(),
                header: fill(&theme.header),
                footer_left: fill(&theme.footer_left),
                footer_right: fill(&theme.footer_right),
                watermark: self.is_draft(brief).then(|| labels["draft"].clone()),
                logo: self.logo(brief.prepared_by.as_deref()),
            },
            images: ImageSources {
                brief: &brief.images,
                templates: &self.images,
                brief_folder: Some(&brief.folder),
            },
        };
        typeset(&markdown, &setup).map_err(|error| Box::new(self.image_diagnostic(error)))
    }

    /// An image of a template that cannot be used, as a diagnostic about
    /// the template that writes it, at its line, when one writes it as it is.
    fn image_diagnostic(&self, error: TypesetError) -> Diagnostic {
        let TypesetError::Image {
            path,
            message,
            help,
        } = error;
        let written = self
            .images
            .folder_given()
            .and_then(|folder| path.strip_prefix(folder).ok())
            .and_then(Path::to_str);
        match written.and_then(|w| self.templates.image_origin(w)) {
            Some(origin) => Diagnostic::error(origin.file, message)
                .at(Location {
                    span: Some(Span {
                        line: origin.line,
                        column: origin.column,
                        len: 2,
                    }),
                    path: None,
                })
                .with_help(Some(help)),
            None => Diagnostic::error(path, message).with_help(Some(help)),
        }
    }

    /// `report` failed with `diagnostic`; one about a template quotes the
    /// template's line rather than the brief's.
    fn fail(&self, mut report: Report, diagnostic: Diagnostic) -> Report {
        if diagnostic.file != report.input {
            if let Some(text) = self.templates.text_of(&diagnostic.file) {
                // The brief's own diagnostics, if any, then go unquoted.
                report.source = report.diagnostics.is_empty().then(|| text.to_string());
            }
        }
        report.fail(diagnostic)
    }

    /// Renders one brief into `out_dir`: `<stem>.md` and `<stem>.pdf`. Both
    /// are made before either is written, so a brief that fails leaves no
    /// file behind.
    pub fn render(&self, input: &Path, out_dir: &Path) -> Report {
        let (mut report, brief) = self.load_brief(input);
        let Some(brief) = brief else {
            return report;
        };
        // The summary and the PDF are independent: made side by side (the
        // summary's templates compiled, the first time, while the PDF is set;
        // the briefing's were compiled with the renderer).
        let (markdown, pdf) = rayon::join(|| self.templates.summary(&brief), || self.pdf(&brief));
        let markdown = match markdown {
            Ok(text) => text,
            Err(error) => return report.fail(template_diagnostic(error)),
        };
        let pdf = match pdf {
            Ok(pdf) => pdf,
            Err(mut diagnostic) => {
                if diagnostic.file.as_os_str().is_empty() {
                    diagnostic.file = input.to_path_buf();
                }
                return self.fail(report, *diagnostic);
            }
        };
        report
            .diagnostics
            .extend(warning_diagnostics(input, &pdf.warnings));
        report.pages = Some(pdf.pages);
        let outputs = [("md", markdown.as_bytes()), ("pdf", pdf.bytes.as_slice())]
            .map(|(extension, bytes)| (out_dir.join(output_name(input, extension)), bytes));
        // `briefing render` checks every output before any work; checked
        // again here for a caller that did not (against this brief only).
        let mut brief_file = crate::files::Inputs::default();
        brief_file.add(input, "brief");
        let named = [("summary", 0), ("PDF", 1)].map(|(what, i)| crate::files::Output {
            path: &outputs[i].0,
            what,
        });
        if let Some((_, problem)) = crate::files::check_outputs(&named, &brief_file).first() {
            return report.fail(problem.diagnostic(OTHER_OUTPUT_FOLDER));
        }
        let files = outputs
            .each_ref()
            .map(|(path, bytes)| (path.as_path(), *bytes));
        if let Err(diagnostic) = crate::files::write_together(&files) {
            return report.fail(*diagnostic);
        }
        report.outputs.extend(outputs.map(|(path, _)| path));
        report
    }
}

/// The rules images are read by with this theme: kept at 300 dpi of the
/// width the theme prints them at, from their own folder or `allowed`.
/// What a theme's `pdf:` section asks the writer for.
fn conformance_of(settings: PdfSettings) -> Conformance {
    let archive = settings.standard.map(|standard| match standard {
        PdfStandard::A2b => Archive::A2b,
        PdfStandard::A2u => Archive::A2u,
        PdfStandard::A2a => Archive::A2a,
    });
    Conformance {
        tagged: settings.tagged || archive == Some(Archive::A2a),
        archive,
    }
}

pub fn image_rules(theme: &Theme, allowed: &[PathBuf]) -> ImageRules {
    ImageRules {
        allowed: allowed.to_vec(),
        print_width: crate::typeset::theme::mm(theme.photo_width),
    }
}

/// The PDF's keywords: the event, the places and the organisations.
pub(super) fn keywords(brief: &Brief) -> Vec<String> {
    let mut words = Vec::new();
    words.extend(brief.event.as_ref().map(|e| e.name.clone()));
    if let Some(venue) = &brief.venue {
        words.extend(venue.city.clone());
        words.extend(venue.country.clone());
    }
    words.extend(
        brief
            .organizations
            .iter()
            .map(|o| o.acronym.clone().unwrap_or_else(|| o.name.clone())),
    );
    words
}

/// `briefs/visit.yaml` → `visit.md`.
pub fn output_name(input: &Path, extension: &str) -> PathBuf {
    let stem = input.file_stem().unwrap_or(input.as_os_str());
    PathBuf::from(stem).with_extension(extension)
}

/// How to write a brief's outputs elsewhere: the end of a help.
pub const OTHER_OUTPUT_FOLDER: &str = "choose another output folder with -o";

/// How to give text a font for the characters it lacks: the end of a
/// warning.
fn add_a_font(missing: &[char]) -> String {
    format!(
        "name a font that has {}: in the theme's `fonts.fallbacks`, or a folder of fonts with `--font-path` (`briefing fonts` lists those used)",
        if missing.len() == 1 { "it" } else { "them" }
    )
}

/// The characters listed in a warning, at most: a name in a script no font
/// has is one warning, not one per letter.
const MISSING_LISTED: usize = 5;

/// `no font has the character …` for characters missing in one place.
fn no_font_has(missing: &[char]) -> String {
    let listed: Vec<String> = missing
        .iter()
        .take(MISSING_LISTED)
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    match missing.len() {
        1 => format!("no font has the character {}; it shows as �", listed[0]),
        n if n <= MISSING_LISTED => format!(
            "no font has the characters {} and {}; they show as �",
            listed[..n - 1].join(", "),
            listed[n - 1]
        ),
        n => format!(
            "no font has the characters {} and {} more; they show as �",
            listed.join(", "),
            n - MISSING_LISTED
        ),
    }
}

/// The warnings of a laid-out document as diagnostics: the characters no
/// font has, one warning for each section they are in.
pub(super) fn warning_diagnostics(input: &Path, warnings: &[Warning]) -> Vec<Diagnostic> {
    // In the order met; each character once per section (a set beside each
    // list, so that a section of a thousand missing characters stays cheap).
    let mut by_context: Vec<(&str, Vec<char>)> = Vec::new();
    let mut seen: HashMap<&str, (usize, HashSet<char>)> = HashMap::new();
    for Warning::MissingGlyph { character, context } in warnings {
        let (at, characters) = seen.entry(context).or_insert_with(|| {
            by_context.push((context, Vec::new()));
            (by_context.len() - 1, HashSet::new())
        });
        if characters.insert(*character) {
            by_context[*at].1.push(*character);
        }
    }
    by_context
        .into_iter()
        .map(|(context, missing)| {
            let mut diagnostic =
                Diagnostic::error(input, no_font_has(&missing)).with_help(Some(format!(
                    "{} {}; {}",
                    if missing.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    },
                    // Text before the first heading is the cover's.
                    if context.is_empty() {
                        "on the cover".to_string()
                    } else {
                        format!("in “{context}”")
                    },
                    add_a_font(&missing)
                )));
            diagnostic.severity = Severity::Warning;
            diagnostic
        })
        .collect()
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
