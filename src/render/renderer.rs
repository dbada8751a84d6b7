//! The renderer: everything a run renders with, loaded once, and the
//! outputs of each brief made with it.

use super::*;

/// Everything a run renders with, loaded once: templates, theme, fonts, and
/// the hyphenation dictionaries (each loaded when a brief first needs it).
pub struct Renderer {
    pub(super) templates: Templates,
    /// The images written in the templates themselves, and the rules every
    /// image of the run is read by.
    pub(super) images: TemplateImages,
    pub(super) fonts: Fonts,
    hyphenators: [OnceLock<Option<Hyphenator>>; 4],
    /// `SOURCE_DATE_EPOCH`, when set: the date written into every PDF.
    source_date_epoch: Option<i64>,
    /// The standards every PDF is written to: the theme's, unless the
    /// command line says otherwise.
    pub(super) conformance: Conformance,
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

/// The theme's logo, if it has one, from the theme's folder or an
/// `allowed` one.
fn load_theme_logo(
    templates: &Templates,
    allowed: &[PathBuf],
) -> Result<Option<LoadedLogo>, Box<Diagnostic>> {
    let Some(settings) = &templates.theme.logo else {
        return Ok(None);
    };
    let theme_dir = templates.theme_file.parent().unwrap_or(Path::new("."));
    Ok(Some(LoadedLogo {
        image: load_logo(theme_dir, settings, &templates.theme_file, allowed)?,
        settings: settings.clone(),
    }))
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
        Ok(Renderer {
            draft: false,
            // Read once the folders it may come from are known.
            logo: None,
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
    pub(super) fn is_draft(&self, brief: &Brief) -> bool {
        self.draft || brief.status == brief::Status::Draft
    }

    /// The theme's logo as the typesetter places it; `office` describes it
    /// when the theme gives no alternative text.
    pub(super) fn logo(&self, office: Option<&str>) -> Option<crate::typeset::Logo> {
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
    /// The theme's logo is read here, held to the theme's folder and
    /// `allowed` as a template's images are.
    pub fn with_image_folders(
        mut self,
        templates_dir: Option<&Path>,
        allowed: &[PathBuf],
    ) -> Result<Renderer, Box<Diagnostic>> {
        let rules = image_rules(&self.templates.theme, allowed);
        self.images = TemplateImages::new(templates_dir, rules);
        self.logo = load_theme_logo(&self.templates, allowed)?;
        Ok(self)
    }

    /// Loads and checks one brief and its images, for this run's theme.
    /// (Setting the brief warns of characters no font has, in the section
    /// they are in, so loading does not look for them.)
    pub(super) fn load_brief(&self, input: &Path) -> (Report, Option<brief::Brief>) {
        let (report, loaded) = check_only(input, self.images.rules());
        (report, loaded.map(|(brief, _)| brief))
    }

    /// The language's hyphenation patterns, `None` for one not hyphenated.
    pub(super) fn hyphenator(&self, language: Language) -> Option<&Hyphenator> {
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
    /// is found by `check --templates` as `render` would find it. The
    /// images the briefing names are looked up as the typesetter looks them
    /// up, so that one a template names and `render` cannot read is the
    /// same error here.
    pub fn check(&self, input: &Path) -> Report {
        let (report, brief) = check_with_fonts(input, self.images.rules(), &self.fonts);
        let Some(brief) = brief else {
            return report;
        };
        // A template's error is quoted from the template, as `render` does.
        if let Err(error) = self.templates.summary(&brief) {
            return self.fail(report, template_diagnostic(error));
        }
        let briefing = match self.templates.briefing(&brief) {
            Ok(markdown) => markdown,
            Err(error) => return self.fail(report, template_diagnostic(error)),
        };
        let sources = ImageSources {
            brief: &brief.images,
            templates: &self.images,
            brief_folder: Some(&brief.folder),
        };
        for written in crate::images::images_in_markdown(&briefing) {
            if let Err(error) = sources.find(&written) {
                let error = TypesetError::Image {
                    path: error.path,
                    message: error.message,
                    help: error.help,
                };
                return self.fail(report, self.image_diagnostic(error));
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
    pub(super) fn date(&self, issued: Option<chrono::NaiveDate>) -> i64 {
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
    pub(super) fn image_diagnostic(&self, error: TypesetError) -> Diagnostic {
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
    pub(super) fn fail(&self, mut report: Report, diagnostic: Diagnostic) -> Report {
        if diagnostic.file != report.input {
            if let Some(text) = self.templates.text_of(&diagnostic.file) {
                // The brief's own diagnostics, if any, then go unquoted.
                report.source = report.diagnostics.is_empty().then(|| text.to_string());
            }
        }
        report.fail(diagnostic)
    }

    /// One output of a brief, made and not written.
    pub fn make(&self, brief: &Brief, format: Format) -> Result<Made, Box<Diagnostic>> {
        let made = |bytes: Vec<u8>| Made {
            format,
            bytes,
            pages: None,
            warnings: Vec::new(),
        };
        match format {
            Format::Markdown => self
                .templates
                .summary(brief)
                .map(|text| made(text.into_bytes()))
                .map_err(|error| Box::new(template_diagnostic(error))),
            Format::Pdf => self.pdf(brief).map(|pdf| Made {
                pages: Some(pdf.pages),
                warnings: pdf.warnings,
                ..made(pdf.bytes)
            }),
            Format::Calendar => Ok(made(
                crate::calendar::calendar(brief, self.date(brief.issued)).into_bytes(),
            )),
        }
    }

    /// Renders one brief to `destination`, in each of `formats`. All are
    /// made before any is written, so a brief that fails leaves no file
    /// behind; then they are written together or not at all.
    pub fn render(&self, input: &Path, destination: &Destination, formats: &[Format]) -> Report {
        let (mut report, brief) = self.load_brief(input);
        let Some(brief) = brief else {
            return report;
        };
        // The outputs are independent: made side by side (the summary's
        // templates compiled, the first time, while the PDF is set; the
        // briefing's were compiled with the renderer).
        use rayon::prelude::*;
        let made: Result<Vec<Made>, Box<Diagnostic>> = formats
            .par_iter()
            .map(|format| self.make(&brief, *format))
            .collect();
        let made = match made {
            Ok(made) => made,
            Err(mut diagnostic) => {
                if diagnostic.file.as_os_str().is_empty() {
                    diagnostic.file = input.to_path_buf();
                }
                return self.fail(report, *diagnostic);
            }
        };
        for output in &made {
            report
                .diagnostics
                .extend(warning_diagnostics(input, &output.warnings));
            report.pages = report.pages.or(output.pages);
        }
        if *destination == Destination::Stdout {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            for output in &made {
                if let Err(error) = stdout
                    .write_all(&output.bytes)
                    .and_then(|()| stdout.flush())
                {
                    return report.fail(Diagnostic::error(
                        input,
                        format!(
                            "cannot write to standard output: {}",
                            crate::io_reason(&error)
                        ),
                    ));
                }
            }
            return report;
        }
        let outputs: Vec<(PathBuf, &Made)> = made
            .iter()
            .filter_map(|output| Some((destination.path(input, output.format)?, output)))
            .collect();
        // `briefing render` checks every output before any work; checked
        // again here for a caller that did not (against this brief only).
        let mut brief_file = crate::files::Inputs::default();
        brief_file.add(input, "brief");
        let named: Vec<crate::files::Output> = outputs
            .iter()
            .map(|(path, output)| crate::files::Output {
                path,
                what: output.format.what(),
            })
            .collect();
        if let Some((_, problem)) = crate::files::check_outputs(&named, &brief_file).first() {
            return report.fail(problem.diagnostic(OTHER_OUTPUT_FOLDER));
        }
        let files: Vec<(&Path, &[u8])> = outputs
            .iter()
            .map(|(path, output)| (path.as_path(), output.bytes.as_slice()))
            .collect();
        if let Err(diagnostic) = crate::files::write_together(&files) {
            return report.fail(*diagnostic);
        }
        report
            .outputs
            .extend(outputs.into_iter().map(|(path, _)| path));
        report
    }
}

/// What a theme's `pdf:` section asks the writer for.
pub(super) fn conformance_of(settings: PdfSettings) -> Conformance {
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

/// The rules images are read by with this theme: kept at 300 dpi of the
/// width the theme prints them at, from their own folder or `allowed`.
pub fn image_rules(theme: &Theme, allowed: &[PathBuf]) -> ImageRules {
    ImageRules {
        allowed: allowed.to_vec(),
        print_width: crate::typeset::theme::mm(theme.photo_width),
    }
}

/// The PDF's keywords: the event, the places and the organisations.
fn keywords(brief: &Brief) -> Vec<String> {
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
