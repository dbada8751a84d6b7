//! The laid-out document to PDF bytes. Every position was decided by the
//! typesetter; this module only draws: it subsets the fonts, writes glyphs
//! with the text they stand for (so that copying and searching work),
//! images, links, the nested outline and the metadata, and derives the
//! document id from the content, so that the same input gives the same
//! bytes on every run and every machine.
//!
//! The images come decoded and compressed from [`crate::images`] and are
//! wrapped here; printpdf supplies the ToUnicode maps. The content streams
//! and font dictionaries are written here directly,
//! because printpdf's operator model holds a copy of every glyph with its
//! text as a `String` and formats each one separately: three quarters of
//! the writer's time and most of a pack's memory went there.

mod content;
mod file;
mod fonts;
mod hinting;
mod images;
mod metadata;
mod navigation;
mod tags;

use content::Link;
use content::{digits, draw_pages, number, page_pieces, DrawnPage};
use fonts::FaceGlyphs;
use fonts::{add_font, in_copy_order, resource_name, subset_fonts, used_glyphs, Subset};
use images::embed_images;
use images::Image;
use navigation::{add_outline, annotation, Destinations};
use tags::{
    has_marked_content, place, write_elements, write_tree_top, PartObjects, Tagged, TreeObjects,
};

pub use fonts::{GlyphPlace, GlyphUse};
pub use images::{add_images, images_drawn};
pub use metadata::{Archive, Conformance};

use std::collections::BTreeMap;
use std::io::{self, BufRead, Seek, Write};
use std::path::Path;
use std::sync::Arc;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use crate::typeset::fonts::{FontId, Fonts};
use crate::typeset::{
    Color, Document, Heading, Item, Mark, NodeId, Page, PlacedGlyph, Structure, Style, Target,
};

/// What the PDF says about itself.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub keywords: Vec<String>,
    /// A BCP 47 tag: `de`, `en`, `fr`.
    pub language: String,
    /// Creation and modification date, seconds since 1970 (never the clock).
    pub date: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PdfError {
    Font {
        name: String,
        reason: String,
    },
    /// The file could not be written (a pack's, or the spill beside it).
    Write {
        reason: String,
    },
    /// The pages drawn are not those planned: a pack's brief changed
    /// between the pass that planned it and the one that drew it.
    Unplanned,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Font { name, reason } => write!(f, "cannot embed the font {name}: {reason}"),
            PdfError::Write { reason } => write!(f, "cannot write: {reason}"),
            PdfError::Unplanned => {
                write!(
                    f,
                    "a part drawn is not the part planned: nothing was written"
                )
            }
        }
    }
}

impl From<io::Error> for PdfError {
    fn from(error: io::Error) -> PdfError {
        PdfError::Write {
            reason: crate::io_reason(&error),
        }
    }
}

/// Writes `document` as PDF to the standards of `conformance`. Pages are
/// drawn and compressed one by one as the laid-out ones are dropped, so that
/// a long document is not held twice in memory; the fonts are subset
/// meanwhile on another core.
pub fn write(
    document: Document,
    fonts: &Fonts,
    metadata: &Metadata,
    conformance: Conformance,
) -> Result<Vec<u8>, PdfError> {
    let plan = Plan::of(&document, fonts, conformance.tagged);
    let sink = io::Cursor::new(Vec::with_capacity(64 * 1024));
    let mut writer = Writer::new(sink, plan, fonts, conformance, None)?;
    let drawer = writer.drawer();
    let (subsets, drawn) = rayon::join(
        || subset_fonts(&drawer.glyphs, fonts),
        || drawer.draw(document),
    );
    writer.add_fonts(subsets?)?;
    writer.add_part(drawn)?;
    Ok(writer.finish(metadata)?.into_inner())
}

/// What the writer must know of a document before it draws its first page:
/// the object numbers of everything after a page depend on the counts of
/// everything before, and the glyph numbers its pages are drawn with on
/// the glyphs of every page. A pack gathers it brief by brief, dropping
/// each brief's pages, and then draws them again.
pub struct Plan {
    pub width: f32,
    pub height: f32,
    /// Its parts, in order: a document is one; a pack's front and each
    /// brief one each.
    pub parts: Vec<PartPlan>,
    pub headings: Vec<Heading>,
    pub glyphs: GlyphUse,
    /// Its images, in the order they are first drawn.
    pub images: Vec<Arc<crate::images::Image>>,
}

/// What the writer must know of a part of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct PartPlan {
    pub pages: Vec<PagePlan>,
    /// How many structure elements it has (tagged).
    pub elements: usize,
}

/// What the writer must know of a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PagePlan {
    pub links: u32,
    /// Whether it has marked content (tagged): an array in the parent tree.
    pub marked: bool,
}

impl Plan {
    /// The plan of a document written in one part.
    pub fn of(document: &Document, fonts: &Fonts, tagged: bool) -> Plan {
        let mut images = Vec::new();
        images_drawn(&document.pages, &mut images);
        Plan {
            width: document.width,
            height: document.height,
            parts: vec![PartPlan::of(document, tagged)],
            headings: document.headings.clone(),
            glyphs: used_glyphs(document, fonts),
            images,
        }
    }
}

impl PartPlan {
    /// The plan of `document`'s pages and structure as one part.
    pub fn of(document: &Document, tagged: bool) -> PartPlan {
        let (pages, pieces) = PartPlan::pieces(&document.pages, tagged);
        let elements = if tagged {
            place(&document.structure, &pieces).elements()
        } else {
            0
        };
        PartPlan { pages, elements }
    }

    fn pieces(pages: &[Page], tagged: bool) -> (Vec<PagePlan>, Vec<Vec<Tagged>>) {
        pages
            .iter()
            .map(|page| {
                let (links, pieces) = page_pieces(&page.items, tagged);
                let marked = has_marked_content(&pieces);
                (PagePlan { links, marked }, pieces)
            })
            .unzip()
    }
}

/// The numbers of a document's objects, in the order they are taken:
/// images, the page tree, one per page, four per font, the resources, one
/// per link annotation, the structure tree, one content stream per page;
/// then the outline and the rest.
struct Numbers {
    page_tree: ObjectId,
    first_page: u32,
    first_font: u32,
    resources: ObjectId,
    first_annotation: u32,
    tree: Option<TreeObjects>,
    first_content: u32,
}

/// How far the writer has come through the plan's parts.
#[derive(Default)]
struct Progress {
    part: usize,
    page: usize,
    annotation: u32,
    element: u32,
    parent_array: u32,
}

/// A PDF written part by part as the parts are drawn: only where each
/// object went, and the small objects of the whole (fonts, outline), are
/// kept to the end; the pages go to the file, their annotations and
/// structure elements to a spill (see [`Spill`]) until the packed objects
/// are written.
pub struct Writer<W: Write + Seek> {
    file: file::FileWriter<W>,
    /// The objects of the whole that are kept to the end, and the images
    /// and fonts before they are written.
    pdf: lopdf::Document,
    width: f32,
    height: f32,
    parts: Vec<PartPlan>,
    headings: Vec<Heading>,
    /// Shared with the [`Drawer`].
    glyphs: Arc<BTreeMap<FontId, FaceGlyphs>>,
    images: Arc<BTreeMap<[u8; 32], Image>>,
    conformance: Conformance,
    numbers: Numbers,
    page_ids: Vec<ObjectId>,
    marked_pages: usize,
    progress: Progress,
    annotations: Spill,
    elements: Spill,
    parent_arrays: Spill,
    /// The structure elements at the top, and the element of each link
    /// that has one, in reading order.
    top: Vec<ObjectId>,
    link_parents: Vec<ObjectId>,
    /// The number of the last of `pdf`'s streams in the file.
    streams_written: u32,
}

impl<W: Write + Seek> Writer<W> {
    /// Starts the file of the document `plan` plans in `sink`; `spill` is
    /// the folder for its spill (in memory without).
    pub fn new(
        sink: W,
        plan: Plan,
        fonts: &Fonts,
        conformance: Conformance,
        spill: Option<&Path>,
    ) -> Result<Writer<W>, PdfError> {
        let mut pdf = lopdf::Document::with_version("1.5");
        let images = embed_images(&plan.images, &mut pdf);
        let glyphs = plan.glyphs.faces(fonts);
        let pages: Vec<&PagePlan> = plan.parts.iter().flat_map(|p| &p.pages).collect();
        let mut take = |count: usize| {
            let first = pdf.max_id + 1;
            pdf.max_id += count as u32;
            first
        };
        let page_tree = (take(1), 0);
        let first_page = take(pages.len());
        let first_font = take(4 * glyphs.len());
        let resources = (take(1), 0);
        let first_annotation = take(pages.iter().map(|p| p.links as usize).sum());
        let marked_pages = pages.iter().filter(|p| p.marked).count();
        let tree = conformance.tagged.then(|| TreeObjects {
            root: (take(1), 0),
            document: (take(1), 0),
            first_element: take(plan.parts.iter().map(|p| p.elements).sum()),
            first_parent_array: take(marked_pages),
            parent_tree: (take(1), 0),
        });
        let first_content = take(pages.len());
        // The outline, the metadata, the output intent (a profile and the
        // intent), the catalog and the info: taken when written.
        let outline = if plan.headings.is_empty() {
            0
        } else {
            1 + plan.headings.len()
        };
        let intent = if conformance.archive.is_some() { 2 } else { 0 };
        let first_object_stream = pdf.max_id + 1 + (outline + 1 + intent + 2) as u32;
        let page_ids = (0..pages.len() as u32)
            .map(|i| (first_page + i, 0))
            .collect();
        let new_spill = || match spill {
            Some(folder) => {
                tempfile::tempfile_in(folder).map(|file| {
                    // Deflated as it goes (zlib's fastest level): uncompressed,
                    // a pack's spill took as much room as the pack beside it.
                    Spill::File(flate2::write::DeflateEncoder::new(
                        io::BufWriter::new(file),
                        flate2::Compression::fast(),
                    ))
                })
            }
            None => Ok(Spill::Memory(Vec::new())),
        };
        Ok(Writer {
            file: file::FileWriter::new(sink, first_object_stream)?,
            width: plan.width,
            height: plan.height,
            parts: plan.parts,
            headings: plan.headings,
            glyphs: Arc::new(glyphs),
            images: Arc::new(images),
            conformance,
            numbers: Numbers {
                page_tree,
                first_page,
                first_font,
                resources,
                first_annotation,
                tree,
                first_content,
            },
            page_ids,
            marked_pages,
            progress: Progress::default(),
            annotations: new_spill()?,
            elements: new_spill()?,
            parent_arrays: new_spill()?,
            top: Vec::new(),
            link_parents: Vec::new(),
            streams_written: 0,
            pdf,
        })
    }

    /// Subsets the fonts to the glyphs planned, and writes them.
    pub fn subset_fonts(&mut self, fonts: &Fonts) -> Result<(), PdfError> {
        let subsets = subset_fonts(&self.glyphs, fonts)?;
        self.add_fonts(subsets)
    }

    /// Adds the fonts, and writes them with the images: every stream that
    /// comes before the pages'.
    fn add_fonts(&mut self, subsets: Vec<Subset>) -> Result<(), PdfError> {
        let mut font_names = Dictionary::new();
        for (i, subset) in subsets.iter().enumerate() {
            let first = self.numbers.first_font + 4 * i as u32;
            font_names.set(
                resource_name(subset.font),
                add_font(&mut self.pdf, subset, first),
            );
        }
        let mut xobjects = Dictionary::new();
        for image in self.images.values() {
            xobjects.set(image.name.as_str(), Object::Reference(image.id));
        }
        self.pdf.objects.insert(
            self.numbers.resources,
            Object::Dictionary(Dictionary::from_iter([
                ("Font", Object::Dictionary(font_names)),
                ("XObject", Object::Dictionary(xobjects)),
            ])),
        );
        self.write_streams()
    }

    /// Writes the streams of `pdf` not written yet.
    fn write_streams(&mut self) -> Result<(), PdfError> {
        write_streams(&mut self.file, &mut self.pdf, &mut self.streams_written)
    }

    /// What draws the parts' pages: on many cores, while the writer writes
    /// those drawn before.
    pub fn drawer(&self) -> Drawer {
        Drawer {
            glyphs: self.glyphs.clone(),
            images: self.images.clone(),
            height: self.height,
            tagged: self.conformance.tagged,
        }
    }

    /// Writes the next part of the document, drawn.
    pub fn add_part(&mut self, part: DrawnPart) -> Result<(), PdfError> {
        let DrawnPart {
            pages: mut drawn,
            structure,
            images_planned,
        } = part;
        let structure = &structure;
        let plan = self
            .parts
            .get(self.progress.part)
            .ok_or(PdfError::Unplanned)?;
        let as_planned = drawn.len() == plan.pages.len()
            && drawn.iter().zip(&plan.pages).all(|(page, planned)| {
                page.links.len() == planned.links as usize
                    && has_marked_content(&page.tagged) == planned.marked
            });
        if !as_planned || !images_planned {
            return Err(PdfError::Unplanned);
        }
        let first_page = self.progress.page;
        let pages = &self.page_ids[first_page..first_page + drawn.len()];
        // Link annotations are objects of their own, so that the structure
        // tree can point to each from its link.
        let mut next = self.numbers.first_annotation + self.progress.annotation;
        let annotations: Vec<Vec<ObjectId>> = drawn
            .iter()
            .map(|page| {
                page.links
                    .iter()
                    .map(|_| {
                        next += 1;
                        (next - 1, 0)
                    })
                    .collect()
            })
            .collect();
        let tagged: Vec<Vec<Tagged>> = drawn
            .iter_mut()
            .map(|page| std::mem::take(&mut page.tagged))
            .collect();
        // Each link that belongs to an element is its parent tree's key,
        // after those of the pages.
        let mut link_keys = BTreeMap::new();
        if let Some(tree) = self.numbers.tree {
            let placement = place(structure, &tagged);
            if placement.elements() != plan.elements {
                return Err(PdfError::Unplanned);
            }
            let objects = PartObjects {
                first_element: tree.first_element + self.progress.element,
                document: tree.document,
                pages,
                annotations: &annotations,
            };
            let spill = &mut self.elements;
            let part = write_elements(structure, &tagged, &placement, &objects, &mut |n, b| {
                spill.add(n, b)
            })?;
            for array in &part.parent_arrays {
                let number = tree.first_parent_array + self.progress.parent_array;
                self.parent_arrays.add(number, array)?;
                self.progress.parent_array += 1;
            }
            let mut key = self.marked_pages + self.link_parents.len();
            for (page, pieces) in tagged.iter().enumerate() {
                for piece in pieces {
                    if let Tagged::Link { link, .. } = *piece {
                        link_keys.insert(annotations[page][link], key as i64);
                        key += 1;
                    }
                }
            }
            self.top.extend(part.top);
            self.link_parents.extend(part.link_parents);
            self.progress.element += plan.elements as u32;
        }
        // Written as PDF at once rather than kept as `lopdf` dictionaries:
        // a pack's page, link and outline dictionaries took a third of the
        // memory of writing it.
        let to = Destinations {
            pages: &self.page_ids,
            headings: &self.headings,
            height: self.height,
        };
        let mut bytes = Vec::new();
        for (page, ids) in drawn.iter_mut().zip(&annotations) {
            for (link, &id) in std::mem::take(&mut page.links).into_iter().zip(ids) {
                let Object::Dictionary(mut dict) = annotation(link, &to) else {
                    unreachable!("an annotation is a dictionary")
                };
                if let Some(key) = link_keys.get(&id) {
                    dict.set("StructParent", Object::Integer(*key));
                }
                bytes.clear();
                file::write_dictionary(&mut bytes, &dict, None);
                self.annotations.add(id.0, &bytes)?;
            }
        }
        let filter = Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]);
        for (i, page) in drawn.into_iter().enumerate() {
            let number = self.numbers.first_content + (first_page + i) as u32;
            self.file.stream(number, &filter, &page.content)?;
        }
        self.progress.annotation = next - self.numbers.first_annotation;
        self.progress.page += plan.pages.len();
        self.progress.part += 1;
        Ok(())
    }

    /// Ends the document with its page tree, outline, metadata and
    /// catalog, and writes every object kept aside; returns the sink.
    pub fn finish(mut self, metadata: &Metadata) -> Result<W, PdfError> {
        if self.progress.part != self.parts.len() {
            return Err(PdfError::Unplanned);
        }
        let pdf = &mut self.pdf;
        pdf.objects.insert(
            self.numbers.page_tree,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Pages".to_vec())),
                (
                    "Kids",
                    Object::Array(self.page_ids.iter().map(|&p| p.into()).collect()),
                ),
                ("Count", Object::Integer(self.page_ids.len() as i64)),
            ])),
        );
        let mut catalog = Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(self.numbers.page_tree)),
            (
                "Lang",
                Object::String(
                    metadata.language.clone().into_bytes(),
                    StringFormat::Literal,
                ),
            ),
        ]);
        // A viewer's title bar shows the brief's title, not the file's name
        // (PDF/UA, 7.1).
        catalog.set(
            "ViewerPreferences",
            Object::Dictionary(Dictionary::from_iter([(
                "DisplayDocTitle",
                Object::Boolean(true),
            )])),
        );
        // The top of the structure tree, kept as PDF.
        let mut written = file::Written::default();
        let to = Destinations {
            pages: &self.page_ids,
            headings: &self.headings,
            height: self.height,
        };
        let outline = add_outline(pdf, &to);
        if let Some((outline, _)) = &outline {
            catalog.set("Outlines", Object::Reference(*outline));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if let Some(tree) = self.numbers.tree {
            write_tree_top(
                &mut written,
                tree,
                &self.top,
                self.marked_pages,
                &self.link_parents,
            );
            catalog.set("StructTreeRoot", Object::Reference(tree.root));
            catalog.set(
                "MarkInfo",
                Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))])),
            );
        }
        // The document's id in the metadata is the file's `/ID`, filled in as
        // the file is written.
        let document_id = format!(
            "uuid:{}",
            std::str::from_utf8(file::ID_PLACEHOLDER).expect("ASCII")
        );
        let xmp = pdf.add_object(Stream::new(
            Dictionary::from_iter([
                ("Type", Object::Name(b"Metadata".to_vec())),
                ("Subtype", Object::Name(b"XML".to_vec())),
            ]),
            metadata::xmp(metadata, self.conformance, &document_id),
        ));
        catalog.set("Metadata", Object::Reference(xmp));
        if self.conformance.archive.is_some() {
            let intent = metadata::add_output_intent(pdf);
            catalog.set("OutputIntents", Object::Array(vec![intent.into()]));
        }
        let catalog = pdf.add_object(catalog);
        let info = pdf.add_object(metadata::info(metadata));
        pdf.trailer.set("Root", Object::Reference(catalog));
        pdf.trailer.set("Info", Object::Reference(info));
        write_streams(&mut self.file, pdf, &mut self.streams_written)?;
        self.file.end_of_streams()?;

        // Every other object, in the order of their numbers: the page
        // dictionaries made now from the plan, the rest from where they
        // were kept.
        let annotations = self.annotations.objects()?;
        let elements = self.elements.objects()?;
        let parent_arrays = self.parent_arrays.objects()?;
        let pages = page_dictionaries(&self.parts, &self.numbers, self.width, self.height);
        let kept = self
            .pdf
            .objects
            .iter()
            .filter(|(_, object)| !matches!(object, Object::Stream(_)))
            .map(|(&(number, _), object)| {
                let mut bytes = Vec::new();
                file::write_object(&mut bytes, object);
                Ok((number, bytes))
            });
        let written = written
            .objects()
            .into_iter()
            .map(|(number, bytes)| Ok((number, bytes.to_vec())));
        let outline = outline.into_iter().flat_map(|(_, entries)| entries).map(Ok);
        let mut sources: Vec<PackedObjects> = vec![
            Box::new(kept),
            Box::new(pages),
            Box::new(written),
            Box::new(outline),
            annotations,
            elements,
            parent_arrays,
        ];
        let mut heads = Vec::with_capacity(sources.len());
        for source in &mut sources {
            heads.push(source.next().transpose()?);
        }
        while let Some(at) = (0..heads.len())
            .filter(|&i| heads[i].is_some())
            .min_by_key(|&i| heads[i].as_ref().map(|(number, _)| *number))
        {
            let (number, bytes) = heads[at].take().expect("a head");
            self.file
                .packed(number, |out| out.extend_from_slice(&bytes))?;
            heads[at] = sources[at].next().transpose()?;
        }
        drop(sources);
        Ok(self.file.finish(&self.pdf.trailer)?)
    }
}

/// Writes the streams of `pdf` after `written` (the number of the last
/// written) to `file`, and drops their content.
fn write_streams<W: Write + Seek>(
    file: &mut file::FileWriter<W>,
    pdf: &mut lopdf::Document,
    written: &mut u32,
) -> Result<(), PdfError> {
    for (&(number, _), object) in pdf.objects.range_mut((*written + 1, 0)..) {
        if let Object::Stream(stream) = object {
            file.stream(number, &stream.dict, &stream.content)?;
            stream.content = Vec::new();
            *written = number;
        }
    }
    Ok(())
}

/// The page dictionaries of `parts`, as PDF, in the order of their numbers.
fn page_dictionaries<'a>(
    parts: &'a [PartPlan],
    numbers: &'a Numbers,
    width: f32,
    height: f32,
) -> impl Iterator<Item = io::Result<(u32, Vec<u8>)>> + 'a {
    let media_box = Object::Array(vec![
        0.into(),
        0.into(),
        Object::Real(width),
        Object::Real(height),
    ]);
    let mut annotation = numbers.first_annotation;
    let mut key = 0;
    let tagged = numbers.tree.is_some();
    parts
        .iter()
        .flat_map(|part| &part.pages)
        .enumerate()
        .map(move |(index, page)| {
            let mut dict = Dictionary::from_iter([
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(numbers.page_tree)),
                ("MediaBox", media_box.clone()),
                ("Resources", Object::Reference(numbers.resources)),
                (
                    "Contents",
                    Object::Reference((numbers.first_content + index as u32, 0)),
                ),
            ]);
            if tagged && page.marked {
                dict.set("StructParents", Object::Integer(key));
                key += 1;
            }
            if page.links > 0 {
                dict.set(
                    "Annots",
                    Object::Array(
                        (annotation..annotation + page.links)
                            .map(|a| Object::Reference((a, 0)))
                            .collect(),
                    ),
                );
                annotation += page.links;
                // Links are reached with the tab key in the order of the page's
                // structure (PDF/UA, 7.18.3).
                dict.set("Tabs", Object::Name(b"S".to_vec()));
            }
            let mut bytes = Vec::new();
            file::write_dictionary(&mut bytes, &dict, None);
            Ok((numbers.first_page + index as u32, bytes))
        })
}

/// Draws the pages of a document's parts with its fonts and images.
pub struct Drawer {
    glyphs: Arc<BTreeMap<FontId, FaceGlyphs>>,
    images: Arc<BTreeMap<[u8; 32], Image>>,
    height: f32,
    tagged: bool,
}

/// A part of a document drawn: its pages' content streams, links and
/// marked content, and the structure they belong to.
pub struct DrawnPart {
    pages: Vec<DrawnPage>,
    structure: Structure,
    /// Whether every image it draws was planned: a photo replaced between
    /// a pack's passes is not, and would be left out of the page.
    images_planned: bool,
}

impl Drawer {
    /// Draws `part`: its pages, with their node numbers its structure's,
    /// their links' targets the whole document's pages and headings.
    pub fn draw(&self, part: Document) -> DrawnPart {
        let images_planned =
            part.pages
                .iter()
                .flat_map(|page| &page.items)
                .all(|item| match item {
                    Item::Image { image, .. } => self.images.contains_key(&image.digest),
                    _ => true,
                });
        let structure = self.tagged.then_some(&part.structure);
        let pages = draw_pages(
            part.pages,
            self.height,
            &self.glyphs,
            &self.images,
            structure,
        );
        DrawnPart {
            pages,
            structure: part.structure,
            images_planned,
        }
    }
}

/// Objects written as PDF, in the order of their numbers: number and bytes.
type PackedObjects<'a> = Box<dyn Iterator<Item = io::Result<(u32, Vec<u8>)>> + 'a>;

/// Objects written as PDF, numbers rising, kept aside until the packed
/// objects are written (after every stream): in memory for a brief, in a
/// temporary file for a pack, whose annotations and structure elements
/// took more memory than anything else once its pages were streamed.
enum Spill {
    Memory(Vec<u8>),
    File(flate2::write::DeflateEncoder<io::BufWriter<std::fs::File>>),
}

impl Spill {
    fn add(&mut self, number: u32, bytes: &[u8]) -> io::Result<()> {
        let mut head = [0u8; 8];
        head[..4].copy_from_slice(&number.to_le_bytes());
        head[4..].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
        match self {
            Spill::Memory(kept) => {
                kept.extend_from_slice(&head);
                kept.extend_from_slice(bytes);
                Ok(())
            }
            Spill::File(file) => {
                file.write_all(&head)?;
                file.write_all(bytes)
            }
        }
    }

    /// The objects kept, read back in the order added.
    fn objects(&mut self) -> io::Result<PackedObjects<'static>> {
        let mut reader: Box<dyn BufRead> = match std::mem::replace(self, Spill::Memory(Vec::new()))
        {
            Spill::Memory(kept) => Box::new(io::Cursor::new(kept)),
            Spill::File(deflated) => {
                let mut file = deflated
                    .finish()?
                    .into_inner()
                    .map_err(|error| error.into_error())?;
                file.seek(io::SeekFrom::Start(0))?;
                Box::new(io::BufReader::with_capacity(
                    256 * 1024,
                    flate2::read::DeflateDecoder::new(io::BufReader::new(file)),
                ))
            }
        };
        Ok(Box::new(std::iter::from_fn(move || {
            Spill::read(&mut reader).transpose()
        })))
    }

    fn read(reader: &mut dyn BufRead) -> io::Result<Option<(u32, Vec<u8>)>> {
        if reader.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let mut head = [0u8; 8];
        reader.read_exact(&mut head)?;
        let number = u32::from_le_bytes(head[..4].try_into().expect("4 bytes"));
        let len = u32::from_le_bytes(head[4..].try_into().expect("4 bytes"));
        let mut bytes = vec![0; len as usize];
        reader.read_exact(&mut bytes)?;
        Ok(Some((number, bytes)))
    }
}

/// A text string as PDF wants it: UTF-16BE with a byte-order mark.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A deflate state used for many streams: making one costs more than
/// compressing a page, so each thread keeps one for every document it writes.
struct Deflater(flate2::Compress);

thread_local! {
    static DEFLATER: std::cell::RefCell<Deflater> = std::cell::RefCell::new(Deflater::new());
}

/// Deflates `data` with this thread's deflate state.
fn deflate(data: &[u8]) -> Vec<u8> {
    DEFLATER.with(|deflater| deflater.borrow_mut().deflate(data))
}

impl Deflater {
    fn new() -> Deflater {
        // Level 2 of zlib-rs: for a brief, 8 % less time than the default
        // level 6 for 8 % more bytes (German example: 19.4 -> 21.1 KB).
        Deflater(flate2::Compress::new(flate2::Compression::new(2), true))
    }

    fn deflate(&mut self, data: &[u8]) -> Vec<u8> {
        self.0.reset();
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        loop {
            let read = self.0.total_in() as usize;
            let status = self
                .0
                .compress_vec(&data[read..], &mut out, flate2::FlushCompress::Finish)
                .expect("deflating in memory does not fail");
            if status == flate2::Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(256));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deflater_serves_many_streams() {
        let mut deflate = Deflater::new();
        for text in [&b"first stream"[..], &[b'x'; 100_000][..], b""] {
            let compressed = deflate.deflate(text);
            let mut decoder = flate2::read::ZlibDecoder::new(&compressed[..]);
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut decoder, &mut back).unwrap();
            assert_eq!(back, text);
        }
    }
}
