//! Packs: many briefs bound into one PDF behind a cover and a list of the
//! briefs, with a Markdown index beside it.

use super::*;
use crate::pdf::{DrawnPart, GlyphPlace, GlyphUse, PartPlan, PdfError, Plan, Writer};
use crate::typeset::{Binder, Part};

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
    /// How much of the briefs it sets the first pass may keep for the
    /// second ([`Document::weight`]): [`KEPT_WEIGHT`].
    pub kept_weight: usize,
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

/// What a pack keeps of a brief from its reading to its writing: what its
/// order, its front and its metadata take of it. The brief itself is read
/// and set again for each pass, and dropped after each.
struct PackedBrief {
    input: PathBuf,
    /// Its report's place among the reports (the order of the inputs).
    report: usize,
    title: String,
    subtitle: Option<String>,
    language: Language,
    classification: Option<String>,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    issued: Option<chrono::NaiveDate>,
    prepared_by: Option<String>,
    draft: bool,
    /// The brief itself, when it was read from standard input, which
    /// cannot be read again.
    kept: Option<std::sync::Arc<Brief>>,
    /// Its file when it was first read: a brief edited during the pack is
    /// found changed, not packed half old.
    stamp: Option<FileStamp>,
}

/// A file's length, time of change and a hash of its bytes: an edit that
/// keeps the length and restores the time (`cp -p`, `touch -r`, a file
/// system's coarse times) is a change too.
#[derive(PartialEq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    digest: [u8; 32],
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        use sha2::Digest;
        let metadata = std::fs::metadata(path).ok()?;
        // A brief is at most a few megabytes (docs/limits.md).
        let bytes = std::fs::read(path).ok()?;
        Some(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            digest: sha2::Sha256::digest(&bytes).into(),
        })
    }
}

/// The error of a brief, or one of its photos, that changed between the
/// pack's passes: what was planned from it is not what would be drawn.
fn changed_while_packed(input: &Path) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            input,
            "this brief, or a photo it shows, changed while the pack was being made",
        )
        .with_help(Some(
            "nothing was written; pack again once the brief and its photos are saved".into(),
        )),
    )
}

/// What setting a brief in the first pass came to.
enum FirstOutcome {
    Set {
        warnings: Vec<Diagnostic>,
        first: Box<FirstPass>,
    },
    Failed(Box<Diagnostic>),
    /// A bug met on it: its report.
    Panicked(Report),
}

/// What the first pass keeps of a brief's pages: what the writer must know
/// of them, and its headings for the pack's outline; and the pages
/// themselves while the pack's [`KEPT_WEIGHT`] allows.
struct SetBrief {
    plan: PartPlan,
    headings: Vec<crate::typeset::Heading>,
    /// The set brief (its headings taken), drawn as it is in the second
    /// pass rather than set again.
    kept: Option<Document>,
}

/// What a brief's first pass hands on besides [`SetBrief`], merged in the
/// pack's order: the glyphs its pages draw, and its images.
struct FirstPass {
    set: SetBrief,
    /// The set brief, until the pass decides whether to keep it.
    document: Document,
    glyphs: GlyphUse,
    images: Vec<std::sync::Arc<crate::images::Image>>,
}

/// What the first pass gathered of all the briefs, in the pack's order.
struct Gathered {
    briefs: Vec<SetBrief>,
    /// The glyphs of their pages, placed as if these started the document:
    /// the front goes before them once it is set.
    glyphs: GlyphUse,
    images: Vec<std::sync::Arc<crate::images::Image>>,
}

/// Where a brief starts in the pack: its first page, and its title's
/// heading in the pack's outline.
#[derive(Clone, Copy)]
struct PartStart {
    first_page: usize,
    title_heading: usize,
}

/// How many briefs are set at once, on every core, before they are merged
/// or written in order: what the memory of a pack grows with.
const BRIEFS_AT_ONCE: usize = 32;

/// How much of the briefs the first pass sets ([`Document::weight`]) it
/// keeps for the second, in the pack's order, rather than setting them
/// again: a pack of up to some 200 briefs of the German example's size is
/// set once, as fast as before the two passes, and a larger one holds this
/// much more than its flat floor. Which briefs are kept never changes the
/// bytes: a brief set again is set the same.
pub const KEPT_WEIGHT: usize = 32 * 1024 * 1024;

impl Renderer {
    /// Binds many briefs into one PDF: a cover and a list of the briefs,
    /// then each briefing in the order of its visit, each with its own
    /// marking, header and page numbers, and the pack's page numbers below.
    ///
    /// The pack and its index are made ready to write (their folder, a
    /// temporary file beside each) before any brief is read: a pack that
    /// cannot be written says so at once, not after the work.
    ///
    /// A pack is made in flat memory, in two passes: the first sets each
    /// brief and keeps only what the PDF writer must know of its pages
    /// before it draws the first (how many, their links and structure,
    /// their headings and glyphs); the second sets each brief again, binds
    /// it and draws it, and the writer streams it to the pack's file.
    pub fn pack(&self, inputs: &[PathBuf], request: &PackRequest) -> PackOutcome {
        let mut outcome = PackOutcome {
            reports: Vec::new(),
            written: Vec::new(),
            pages: 0,
            problem: None,
        };
        let index_path = request.index();
        let mut pending = match crate::files::prepare(&[request.output, &index_path]) {
            Ok(pending) => pending,
            Err(diagnostic) => {
                outcome.problem = Some(*diagnostic);
                return outcome;
            }
        };
        self.templates.prepare(&[PACK, PACK_INDEX]);
        let loaded = in_parallel(inputs, |input| {
            // As in a batch, a bug met on one brief fails that brief only.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let stamp = FileStamp::of(input);
                let (report, brief) = self.load_brief(input);
                let packed = brief.map(|brief| self.packed(input, brief, stamp));
                (report, packed)
            }))
            .unwrap_or_else(|payload| (super::batch::internal_error(input, payload.as_ref()), None))
        });
        let mut reports = Vec::with_capacity(loaded.len());
        let mut briefs = Vec::with_capacity(loaded.len());
        for (at, (report, brief)) in loaded.into_iter().enumerate() {
            if let Some(brief) = brief {
                briefs.push(PackedBrief {
                    report: at,
                    ..brief
                });
            }
            reports.push(report);
        }
        briefs.sort_by(|a, b| {
            (a.start, a.end, &a.title, &a.input).cmp(&(b.start, b.end, &b.title, &b.input))
        });
        let first = self.first_pass(&briefs, request.kept_weight, &mut reports);
        outcome.reports = reports;
        if outcome.reports.iter().any(Report::failed) || briefs.is_empty() {
            return outcome;
        }
        match self.bind_pack(request, &briefs, first, pending.file(0)) {
            Ok((index, pages)) => {
                if let Err(diagnostic) = pending.write(&[&[], index.as_bytes()]) {
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

    /// What the pack keeps of `brief`, read from `input` when its file was
    /// as `stamp` says.
    fn packed(&self, input: &Path, brief: Brief, stamp: Option<FileStamp>) -> PackedBrief {
        let from_stdin = input == Path::new(crate::files::STDIN);
        PackedBrief {
            input: input.to_path_buf(),
            report: 0,
            draft: self.is_draft(&brief),
            title: brief.title.clone(),
            subtitle: brief.subtitle.clone(),
            language: brief.language,
            classification: brief.classification.clone(),
            start: brief.visit.start,
            end: brief.visit.end,
            issued: brief.issued,
            prepared_by: brief.prepared_by.clone(),
            kept: from_stdin.then(|| std::sync::Arc::new(brief)),
            stamp,
        }
    }

    /// A brief read again for a pass, as it was first read: from its file,
    /// unless that changed meanwhile, or as kept (standard input).
    fn read_again(&self, brief: &PackedBrief) -> Result<std::sync::Arc<Brief>, Box<Diagnostic>> {
        if let Some(kept) = &brief.kept {
            return Ok(kept.clone());
        }
        let (report, loaded) = self.load_brief(&brief.input);
        // Looked at once the brief is read: unchanged since it was first
        // stamped, before its first reading, it was unchanged while read.
        if FileStamp::of(&brief.input) != brief.stamp {
            return Err(changed_while_packed(&brief.input));
        }
        match loaded {
            Some(loaded) => Ok(std::sync::Arc::new(loaded)),
            // Its text is the same, so what fails now is something it
            // names (a photo half copied): that error, as it is.
            None => Err(Box::new(
                report
                    .diagnostics
                    .into_iter()
                    .find(|d| d.severity == crate::diag::Severity::Error)
                    .unwrap_or_else(|| *changed_while_packed(&brief.input)),
            )),
        }
    }

    /// Sets every brief, in the pack's order, on every core, and keeps what
    /// the writer must know of its pages; their glyphs and images merged.
    /// Each brief's report is its reading's and setting's.
    fn first_pass(
        &self,
        briefs: &[PackedBrief],
        kept_weight: usize,
        reports: &mut [Report],
    ) -> Gathered {
        use rayon::prelude::*;
        let tagged = self.conformance.tagged;
        let mut set = Vec::with_capacity(briefs.len());
        let mut glyphs = GlyphUse::default();
        let mut images = Vec::new();
        let mut pages = 0;
        let mut kept = 0;
        for window in briefs.chunks(BRIEFS_AT_ONCE) {
            let results: Vec<FirstOutcome> = window
                .par_iter()
                .map(|brief| {
                    let input = brief.input.as_path();
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let loaded = match self.read_again(brief) {
                            Ok(loaded) => loaded,
                            Err(diagnostic) => return FirstOutcome::Failed(diagnostic),
                        };
                        let mut document = match self.document(&loaded) {
                            Ok(document) => document,
                            Err(diagnostic) => return FirstOutcome::Failed(diagnostic),
                        };
                        // The part's own element holds the brief's.
                        let mut plan = PartPlan::of(&document, tagged);
                        plan.elements += usize::from(plan.elements > 0);
                        let mut glyphs = GlyphUse::default();
                        glyphs.add_pages(&document.pages, 0, 0, &self.fonts);
                        let mut images = Vec::new();
                        crate::pdf::images_drawn(&document.pages, &mut images);
                        FirstOutcome::Set {
                            warnings: warning_diagnostics(input, &document.warnings),
                            first: Box::new(FirstPass {
                                set: SetBrief {
                                    plan,
                                    headings: std::mem::take(&mut document.headings),
                                    kept: None,
                                },
                                document,
                                glyphs,
                                images,
                            }),
                        }
                    }))
                    .unwrap_or_else(|payload| {
                        FirstOutcome::Panicked(super::batch::internal_error(
                            input,
                            payload.as_ref(),
                        ))
                    })
                })
                .collect();
            for (brief, outcome) in window.iter().zip(results) {
                let report = &mut reports[brief.report];
                let mut first = match outcome {
                    FirstOutcome::Set { warnings, first } => {
                        report.diagnostics.extend(warnings);
                        first
                    }
                    FirstOutcome::Failed(diagnostic) => {
                        let read = std::mem::replace(report, Report::new(&brief.input));
                        *report = self.fail(read, *diagnostic);
                        continue;
                    }
                    FirstOutcome::Panicked(panicked) => {
                        *report = panicked;
                        continue;
                    }
                };
                glyphs.merge(&first.glyphs, pages);
                crate::pdf::add_images(&mut images, first.images);
                pages += first.set.plan.pages.len();
                let weight = first.document.weight();
                if kept + weight <= kept_weight {
                    kept += weight;
                    first.set.kept = Some(first.document);
                }
                set.push(first.set);
            }
        }
        Gathered {
            briefs: set,
            glyphs,
            images,
        }
    }

    /// Sets the pack's front, plans the whole and writes it to `file`,
    /// setting each brief again; returns the index and the number of pages.
    fn bind_pack(
        &self,
        request: &PackRequest,
        briefs: &[PackedBrief],
        first: Gathered,
        file: &mut std::fs::File,
    ) -> Result<(String, usize), Box<Diagnostic>> {
        use rayon::prelude::*;
        let Gathered {
            briefs: set,
            glyphs: brief_glyphs,
            images: brief_images,
        } = first;
        let language = request.language.unwrap_or_else(|| {
            let first = briefs.first().map(|brief| brief.language);
            match first {
                Some(language) if briefs.iter().all(|b| b.language == language) => language,
                _ => Language::default(),
            }
        });
        let labels = crate::i18n::labels(language, &std::collections::BTreeMap::new());
        let title = request
            .title
            .clone()
            .unwrap_or_else(|| labels["pack"].clone());
        let start = briefs
            .iter()
            .map(|b| b.start)
            .min()
            .expect("a pack has briefs");
        let end = briefs
            .iter()
            .map(|b| b.end)
            .max()
            .expect("a pack has briefs");
        let marking = pack_marking(
            briefs.iter().filter_map(|b| b.classification.as_deref()),
            &request.marking_order,
        );
        // The front's length decides where each brief starts, and the
        // list of briefs on it decides its length: set it until it settles.
        let mut front_pages = 1;
        let theme = &self.templates.theme;
        // A pack that holds a draft is one.
        let draft = briefs.iter().any(|brief| brief.draft);
        let office = briefs.iter().find_map(|brief| brief.prepared_by.clone());
        let setup = Setup {
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
        let (view, front) = loop {
            let mut page = front_pages + 1;
            let entries: Vec<PackEntry> = briefs
                .iter()
                .zip(&set)
                .map(|(brief, set)| {
                    let pages = set.plan.pages.len();
                    let entry = PackEntry {
                        title: brief.title.clone(),
                        subtitle: brief.subtitle.clone(),
                        dates: crate::i18n::date_range(language, brief.start, brief.end),
                        classification: brief.classification.clone(),
                        page,
                        pages,
                        file: display_path(&brief.input),
                    };
                    page += pages;
                    entry
                })
                .collect();
            let view = PackView {
                title: title.clone(),
                language,
                right_to_left: language.is_right_to_left(),
                labels: labels.clone(),
                dates: crate::i18n::date_range(language, start, end),
                marking: marking.clone(),
                count: briefs.len(),
                count_text: crate::i18n::brief_count(language, briefs.len()),
                count_sentence: crate::i18n::pack_holds(language, briefs.len()),
                classified: entries.iter().any(|b| b.classification.is_some()),
                briefs: entries,
            };
            let markdown = self
                .templates
                .pack(&view)
                .map_err(|e| Box::new(template_diagnostic(e)))?;
            let front = typeset(&markdown, &setup)
                .map_err(|error| Box::new(self.image_diagnostic(error)))?;
            attempts += 1;
            if front.pages.len() == front_pages || attempts > 3 {
                break (view, front);
            }
            // (Dropped before the next is set: the front of a pack of
            // 10,000 briefs takes some 150 MB.)
            front_pages = front.pages.len();
        };
        let index = self
            .templates
            .pack_index(&view)
            .map_err(|e| Box::new(template_diagnostic(e)))?;
        let mut keywords: Vec<String> = briefs.iter().map(|b| b.title.clone()).collect();
        if draft {
            keywords.insert(0, "Draft".into());
        }
        let date = self.date(briefs.iter().filter_map(|b| b.issued).max());
        let metadata = Metadata {
            title: title.clone(),
            subject: labels["pack"].clone(),
            author: String::new(),
            keywords,
            language: language.code().to_string(),
            date,
        };

        // The plan of the whole: the front's pages, then each brief's, with
        // what the pack adds to them (its page numbers, its marking).
        let front_pages = front.pages.len();
        let total = front_pages + set.iter().map(|s| s.plan.pages.len()).sum::<usize>();
        let binder = Binder::new(&setup, &labels["pack_page_of"], total);
        let front = binder.front(front);
        let tagged = self.conformance.tagged;
        let mut headings = front.headings.clone();
        let mut glyphs = GlyphUse::default();
        glyphs.add_pages(&front.pages, 0, 0, &self.fonts);
        glyphs.merge(&brief_glyphs, front_pages);
        drop(brief_glyphs);
        let mut images = Vec::new();
        crate::pdf::images_drawn(&front.pages, &mut images);
        crate::pdf::add_images(&mut images, brief_images);
        let mut parts = Vec::with_capacity(set.len() + 1);
        parts.push(PartPlan::of(&front, tagged));
        // Where each brief starts: its first page, its title's heading.
        let mut starts = Vec::with_capacity(set.len());
        let mut page = front_pages;
        let mut kept = Vec::with_capacity(set.len());
        for (brief, mut set) in briefs.iter().zip(set) {
            kept.push(set.kept.take());
            starts.push(PartStart {
                first_page: page,
                title_heading: headings.len(),
            });
            headings.extend(binder.part_headings(&brief.title, &set.headings, page));
            let marking = binder.marking(brief.classification.as_deref());
            for at in page..page + set.plan.pages.len() {
                let place = |rank| GlyphPlace {
                    page: at as u32,
                    rank,
                };
                if let Some(marking) = &marking {
                    glyphs.add_items(&binder.marking_items(marking), place(1), &self.fonts);
                }
                glyphs.add_items(&binder.page_number(at), place(2), &self.fonts);
            }
            page += set.plan.pages.len();
            parts.push(set.plan);
        }
        let (width, height) = theme.page.size.points();
        let plan = Plan {
            width,
            height,
            parts,
            headings,
            glyphs,
            images,
        };

        // The file, part by part: the front, then each brief set again,
        // bound and drawn on every core, and written in order.
        let failed = |error: PdfError| {
            let diagnostic = Diagnostic::error(request.output, error.to_string());
            Box::new(match error {
                PdfError::Write { .. } => diagnostic.with_help(Some("nothing was written".into())),
                _ => diagnostic,
            })
        };
        let spill = match request.output.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let sink = std::io::BufWriter::with_capacity(256 * 1024, file);
        let mut writer =
            Writer::new(sink, plan, &self.fonts, self.conformance, Some(spill)).map_err(failed)?;
        writer.subset_fonts(&self.fonts).map_err(failed)?;
        let front = writer.drawer().draw(front);
        writer.add_part(front).map_err(failed)?;
        // Each window of briefs is set and drawn while the one before is
        // written.
        let drawer = writer.drawer();
        type Ready<'a> = Vec<(&'a Path, Result<DrawnPart, Box<Diagnostic>>)>;
        let mut ready: Ready = Vec::new();
        let mut write = |ready: Ready| {
            for (input, part) in ready {
                writer.add_part(part?).map_err(|error| match error {
                    // Named at the brief, not the pack.
                    PdfError::Unplanned => changed_while_packed(input),
                    error => failed(error),
                })?;
            }
            Ok::<(), Box<Diagnostic>>(())
        };
        for ((window, starts), kept) in briefs
            .chunks(BRIEFS_AT_ONCE)
            .zip(starts.chunks(BRIEFS_AT_ONCE))
            .zip(kept.chunks_mut(BRIEFS_AT_ONCE))
        {
            let set_and_draw = || {
                window
                    .par_iter()
                    .zip(starts)
                    .zip(kept)
                    .map(|((brief, start), kept)| {
                        let drawn = (|| {
                            let document = match kept.take() {
                                Some(document) => document,
                                None => self.document(&*self.read_again(brief)?)?,
                            };
                            let part = Part {
                                title: brief.title.clone(),
                                marking: brief.classification.clone(),
                                document,
                            };
                            let part = binder.part(part, start.first_page, start.title_heading);
                            Ok(drawer.draw(part))
                        })();
                        (brief.input.as_path(), drawn)
                    })
                    .collect()
            };
            let before = std::mem::take(&mut ready);
            let (drawn, written) = rayon::join(set_and_draw, || write(before));
            written?;
            ready = drawn;
        }
        write(ready)?;
        let sink = writer.finish(&metadata).map_err(failed)?;
        sink.into_inner()
            .map_err(|error| failed(PdfError::from(error.into_error())))?;
        Ok((index, total))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit that keeps a brief's length and puts its time back (`cp -p`,
    /// `touch -r`) is still a change between the passes.
    #[test]
    fn a_brief_edited_to_the_same_length_and_time_is_changed() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("visit.yaml");
        std::fs::write(&path, "title: Valmora\n").unwrap();
        let before = FileStamp::of(&path).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "title: Valmorb\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified
        );
        assert!(FileStamp::of(&path).unwrap() != before);
        std::fs::write(&path, "title: Valmora\n").unwrap();
        assert!(FileStamp::of(&path).is_some_and(|now| now.digest == before.digest));
    }

    /// A brief edited after it was first read is named, with what to do.
    #[test]
    fn a_brief_changed_between_the_passes_is_named_with_the_fix() {
        let renderer = Renderer::new(Templates::defaults(), Some(1_700_000_000))
            .unwrap()
            .without_system_fonts();
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("visit.yaml");
        let text = "title: Besuch\nvisit:\n  start: 2026-03-28\n  end: 2026-03-30\n";
        std::fs::write(&path, text).unwrap();
        let stamp = FileStamp::of(&path);
        let brief = renderer.load_brief(&path).1.unwrap();
        let packed = renderer.packed(&path, brief, stamp);
        assert!(renderer.read_again(&packed).is_ok());
        std::fs::write(&path, text.replace("Besuch", "Visite")).unwrap();
        let error = renderer.read_again(&packed).unwrap_err();
        assert_eq!(error.file, path);
        assert_eq!(
            error.message,
            "this brief, or a photo it shows, changed while the pack was being made"
        );
        assert_eq!(
            error.help.as_deref(),
            Some("nothing was written; pack again once the brief and its photos are saved")
        );
    }

    /// A brief kept from the first pass and one set again in the second are
    /// drawn alike: a pack is the same, byte for byte, whichever are kept.
    #[test]
    fn a_pack_is_the_same_whichever_briefs_are_set_again() {
        let renderer = Renderer::new(Templates::defaults(), Some(1_700_000_000))
            .unwrap()
            .without_system_fonts();
        let briefs = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
        let inputs: Vec<PathBuf> = [
            "moskau-2025.yaml",
            "valmora-2026.yaml",
            "moskau-2025-ar.yaml",
        ]
        .iter()
        .map(|name| briefs.join(name))
        .collect();
        let folder = tempfile::tempdir().unwrap();
        // None kept, the first only (the German example weighs ~0.14 MB), all.
        let packs: Vec<Vec<u8>> = [0, 150_000, usize::MAX]
            .into_iter()
            .map(|kept_weight| {
                let output = folder.path().join(format!("pack-{kept_weight}.pdf"));
                let outcome = renderer.pack(
                    &inputs,
                    &PackRequest {
                        output: &output,
                        title: None,
                        marking_order: Vec::new(),
                        language: None,
                        kept_weight,
                    },
                );
                assert!(outcome.problem.is_none() && !outcome.reports.iter().any(Report::failed));
                std::fs::read(&output).unwrap()
            })
            .collect();
        assert!(packs[0].starts_with(b"%PDF-1.5"));
        assert!(packs[0] == packs[1], "set again and kept differ");
        assert!(packs[0] == packs[2], "set again and all kept differ");
    }
}
