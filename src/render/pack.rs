//! Packs: many briefs bound into one PDF behind a cover and a list of the
//! briefs, with a Markdown index beside it.

use super::*;
use crate::typeset::Part;

/// What `briefing pack` is asked to make of its briefs.
pub struct PackRequest<'a> {
    /// The PDF to write; the Markdown index goes beside it (`.md`).
    pub output: &'a Path,
    pub title: Option<String>,
    /// Markings from the highest to the lowest, to pick the pack's marking.
    pub marking_order: Vec<String>,
    /// The language of the pack's own pages; `None`: the briefs' language
    /// when they all share one, else English.
    pub language: Option<Language>,
}

impl PackRequest<'_> {
    /// The Markdown index: beside the PDF, as `.md`.
    pub fn index(&self) -> PathBuf {
        self.output.with_extension("md")
    }

    /// The pack and its index, for [`crate::files::check_outputs`].
    pub fn outputs<'b>(&'b self, index: &'b Path) -> [crate::files::Output<'b>; 2] {
        [
            crate::files::Output {
                path: self.output,
                what: "pack",
            },
            crate::files::Output {
                path: index,
                what: "index",
            },
        ]
    }
}

/// What a pack came to: a report for each brief (its problems and
/// warnings), and the files written, none if any brief failed.
pub struct PackOutcome {
    pub reports: Vec<Report>,
    pub written: Vec<PathBuf>,
    pub pages: usize,
    pub problem: Option<Diagnostic>,
}

impl Renderer {
    /// Binds many briefs into one PDF: a cover and a list of the briefs,
    /// then each briefing in the order of its visit, each with its own
    /// marking, header and page numbers, and the pack's page numbers below.
    ///
    /// The pack and its index are made ready to write (their folder, a
    /// temporary file beside each) before any brief is read: a pack that
    /// cannot be written says so at once, not after the work.
    pub fn pack(&self, inputs: &[PathBuf], request: &PackRequest) -> PackOutcome {
        let mut outcome = PackOutcome {
            reports: Vec::new(),
            written: Vec::new(),
            pages: 0,
            problem: None,
        };
        let index_path = request.index();
        let pending = match crate::files::prepare(&[request.output, &index_path]) {
            Ok(pending) => pending,
            Err(diagnostic) => {
                outcome.problem = Some(*diagnostic);
                return outcome;
            }
        };
        self.templates.prepare(&[PACK, PACK_INDEX]);
        let results = in_parallel(inputs, |input| {
            // As in a batch, a bug met on one brief fails that brief only.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let (mut report, brief) = self.load_brief(input);
                let Some(brief) = brief else {
                    return (report, None);
                };
                match self.document(&brief) {
                    Ok(document) => {
                        report
                            .diagnostics
                            .extend(warning_diagnostics(input, &document.warnings));
                        (report, Some((brief, document)))
                    }
                    Err(diagnostic) => (self.fail(report, *diagnostic), None),
                }
            }))
            .unwrap_or_else(|payload| (super::batch::internal_error(input, payload.as_ref()), None))
        });
        let mut reports = Vec::with_capacity(results.len());
        let mut parts = Vec::with_capacity(results.len());
        for (report, part) in results {
            if let Some((brief, document)) = part {
                parts.push((report.input.clone(), brief, document));
            }
            reports.push(report);
        }
        outcome.reports = reports;
        if outcome.reports.iter().any(Report::failed) || parts.is_empty() {
            return outcome;
        }
        parts.sort_by(|a, b| {
            (a.1.visit.start, a.1.visit.end, &a.1.title, &a.0).cmp(&(
                b.1.visit.start,
                b.1.visit.end,
                &b.1.title,
                &b.0,
            ))
        });
        match self.bind_pack(request, parts) {
            Ok((pdf, index, pages)) => {
                if let Err(diagnostic) = pending.write(&[&pdf, index.as_bytes()]) {
                    outcome.problem = Some(*diagnostic);
                    return outcome;
                }
                outcome.written = vec![request.output.to_path_buf(), index_path];
                outcome.pages = pages;
            }
            Err(diagnostic) => outcome.problem = Some(*diagnostic),
        }
        outcome
    }

    fn bind_pack(
        &self,
        request: &PackRequest,
        parts: Vec<(PathBuf, Brief, Document)>,
    ) -> Result<(Vec<u8>, String, usize), Box<Diagnostic>> {
        let language = request.language.unwrap_or_else(|| {
            let first = parts.first().map(|(_, brief, _)| brief.language);
            match first {
                Some(language) if parts.iter().all(|(_, b, _)| b.language == language) => language,
                _ => Language::default(),
            }
        });
        let labels = crate::i18n::labels(language, &std::collections::BTreeMap::new());
        let title = request
            .title
            .clone()
            .unwrap_or_else(|| labels["pack"].clone());
        let start = parts
            .iter()
            .map(|p| p.1.visit.start)
            .min()
            .expect("a pack has briefs");
        let end = parts
            .iter()
            .map(|p| p.1.visit.end)
            .max()
            .expect("a pack has briefs");
        let marking = pack_marking(
            parts.iter().filter_map(|p| p.1.classification.as_deref()),
            &request.marking_order,
        );
        // The front's length decides where each brief starts, and the
        // list of briefs on it decides its length: set it until it settles.
        let mut front_pages = 1;
        let mut view;
        let mut front;
        let theme = &self.templates.theme;
        // A pack that holds a draft is one.
        let draft = parts.iter().any(|(_, brief, _)| self.is_draft(brief));
        let office = parts
            .iter()
            .find_map(|(_, brief, _)| brief.prepared_by.clone());
        let setup = |marking: &Option<String>| Setup {
            theme,
            fonts: &self.fonts,
            hyphenator: self.hyphenator(language),
            language,
            furniture: Furniture {
                marking: marking.clone(),
                header: title.clone(),
                footer_left: String::new(),
                footer_right: String::new(),
                watermark: draft.then(|| labels["draft"].clone()),
                logo: self.logo(office.as_deref()),
            },
            // The pack's own pages show no brief's images.
            images: ImageSources {
                brief: ImageSources::none().brief,
                templates: &self.images,
                brief_folder: None,
            },
        };
        let mut attempts = 0;
        loop {
            let mut page = front_pages + 1;
            let briefs: Vec<PackEntry> = parts
                .iter()
                .map(|(file, brief, document)| {
                    let entry = PackEntry {
                        title: brief.title.clone(),
                        subtitle: brief.subtitle.clone(),
                        dates: crate::i18n::date_range(
                            language,
                            brief.visit.start,
                            brief.visit.end,
                        ),
                        classification: brief.classification.clone(),
                        page,
                        pages: document.pages.len(),
                        file: display_path(file),
                    };
                    page += document.pages.len();
                    entry
                })
                .collect();
            view = PackView {
                title: title.clone(),
                language,
                right_to_left: language.is_right_to_left(),
                labels: labels.clone(),
                dates: crate::i18n::date_range(language, start, end),
                marking: marking.clone(),
                count: parts.len(),
                count_text: crate::i18n::brief_count(language, parts.len()),
                count_sentence: crate::i18n::pack_holds(language, parts.len()),
                classified: briefs.iter().any(|b| b.classification.is_some()),
                briefs,
            };
            let markdown = self
                .templates
                .pack(&view)
                .map_err(|e| Box::new(template_diagnostic(e)))?;
            front = typeset(&markdown, &setup(&marking))
                .map_err(|error| Box::new(self.image_diagnostic(error)))?;
            attempts += 1;
            if front.pages.len() == front_pages || attempts > 3 {
                break;
            }
            front_pages = front.pages.len();
        }
        let index = self
            .templates
            .pack_index(&view)
            .map_err(|e| Box::new(template_diagnostic(e)))?;
        let mut keywords: Vec<String> = parts.iter().map(|p| p.1.title.clone()).collect();
        if draft {
            keywords.insert(0, "Draft".into());
        }
        let date = self.date(parts.iter().filter_map(|p| p.1.issued).max());
        let titled: Vec<Part> = parts
            .into_iter()
            .map(|(_, brief, document)| Part {
                title: brief.title,
                marking: brief.classification,
                document,
            })
            .collect();
        let document =
            crate::typeset::bind(front, titled, &labels["pack_page_of"], &setup(&marking));
        let metadata = Metadata {
            title: title.clone(),
            subject: labels["pack"].clone(),
            author: String::new(),
            keywords,
            language: language.code().to_string(),
            date,
        };
        let pages = document.pages.len();
        let bytes = crate::pdf::write(document, &self.fonts, &metadata, self.conformance)
            .map_err(|error| Box::new(Diagnostic::error(request.output, error.to_string())))?;
        Ok((bytes, index, pages))
    }
}

/// The marking of a pack: the highest of its briefs' markings in `order`
/// (highest first); without an order, or when none is in it, every marking
/// found, in the order found.
pub fn pack_marking<'a>(found: impl Iterator<Item = &'a str>, order: &[String]) -> Option<String> {
    let mut markings: Vec<&str> = Vec::new();
    for marking in found {
        if !markings.contains(&marking) {
            markings.push(marking);
        }
    }
    if let Some(highest) = order.iter().find(|o| markings.contains(&o.as_str())) {
        return Some(highest.clone());
    }
    (!markings.is_empty()).then(|| markings.join(" / "))
}
