//! The laid-out document to PDF bytes. Every position was decided by the
//! typesetter; this module only draws: it subsets the fonts, writes glyphs
//! with the text they stand for (so that copying and searching work),
//! images, links, the nested outline and the metadata, and derives the
//! document id from the content, so that the same input gives the same
//! bytes on every run and every machine.
//!
//! printpdf decodes and embeds the images and supplies the ToUnicode maps;
//! the content streams and font dictionaries are written here directly,
//! because printpdf's operator model holds a copy of every glyph with its
//! text as a `String` and formats each one separately: three quarters of
//! the writer's time and most of a pack's memory went there.

mod file;
mod hinting;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use crate::typeset::fonts::{Face, Fonts};
use crate::typeset::{Color, Document, Item, Page, Run, Target};

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
    Font { name: String, reason: String },
    Image { path: PathBuf, reason: String },
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Font { name, reason } => write!(f, "cannot embed the font {name}: {reason}"),
            PdfError::Image { path, reason } => {
                write!(
                    f,
                    "cannot read the image `{}`: {reason}",
                    crate::diag::display_path(path)
                )
            }
        }
    }
}

/// Writes `document` as PDF. Pages are drawn and compressed one by one as
/// the laid-out ones are dropped, so that a long document (a pack) is not
/// held twice in memory; the fonts are subset meanwhile on another core.
pub fn write(
    mut document: Document,
    fonts: &Fonts,
    metadata: &Metadata,
) -> Result<Vec<u8>, PdfError> {
    let glyphs = used_glyphs(&document, fonts);
    let (mut pdf, images) = load_images(&document)?;
    let pages = std::mem::take(&mut document.pages);
    let height = document.height;
    let (subsets, drawn) = rayon::join(
        || subset_fonts(&glyphs, fonts),
        || draw_pages(pages, height, &glyphs, &images),
    );
    let subsets = subsets?;

    let pages_id = pdf.new_object_id();
    let page_ids: Vec<ObjectId> = drawn.iter().map(|_| pdf.new_object_id()).collect();

    let mut font_names = Dictionary::new();
    for subset in &subsets {
        font_names.set(resource_name(subset.face), add_font(&mut pdf, subset));
    }
    let mut xobjects = Dictionary::new();
    for image in images.values() {
        xobjects.set(image.name.as_str(), Object::Reference(image.id));
    }
    let resources = pdf.add_object(Dictionary::from_iter([
        ("Font", Object::Dictionary(font_names)),
        ("XObject", Object::Dictionary(xobjects)),
    ]));
    let media_box = Object::Array(vec![
        0.into(),
        0.into(),
        Object::Real(document.width),
        Object::Real(document.height),
    ]);
    for (page, &page_id) in drawn.into_iter().zip(&page_ids) {
        let content = pdf.add_object(Stream::new(
            Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]),
            page.content,
        ));
        let mut dict = Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            ("MediaBox", media_box.clone()),
            ("Resources", Object::Reference(resources)),
            ("Contents", Object::Reference(content)),
        ]);
        if !page.links.is_empty() {
            let annotations = page
                .links
                .into_iter()
                .map(|link| annotation(link, &page_ids, &document))
                .collect();
            dict.set("Annots", Object::Array(annotations));
        }
        pdf.objects.insert(page_id, Object::Dictionary(dict));
    }
    pdf.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            (
                "Kids",
                Object::Array(page_ids.iter().map(|&p| p.into()).collect()),
            ),
            ("Count", Object::Integer(page_ids.len() as i64)),
        ])),
    );

    let mut catalog = Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        (
            "Lang",
            Object::String(
                metadata.language.clone().into_bytes(),
                StringFormat::Literal,
            ),
        ),
    ]);
    if let Some(outline) = add_outline(&mut pdf, &document, &page_ids) {
        catalog.set("Outlines", Object::Reference(outline));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let catalog = pdf.add_object(catalog);
    let info = pdf.add_object(info(metadata));
    pdf.trailer.set("Root", Object::Reference(catalog));
    pdf.trailer.set("Info", Object::Reference(info));
    compress_the_rest(&mut pdf);
    Ok(file::save(&pdf))
}

/// The glyphs one face draws, renumbered for its subset.
struct FaceGlyphs {
    /// For each glyph of the font, its number in the subset (0 if unused:
    /// glyph 0, the missing-glyph box, is always kept).
    new_id: Vec<u16>,
    /// The font's glyph numbers, in subset order.
    old_ids: Vec<u16>,
    /// For each subset glyph, the characters it stands for.
    text: Vec<Option<Arc<str>>>,
    /// For each subset glyph, its advance in 1/1000 em as `/W` states it.
    widths: Vec<f32>,
}

fn used_glyphs(document: &Document, fonts: &Fonts) -> BTreeMap<Face, FaceGlyphs> {
    // For each face, whether each of its glyphs is used, and the first text
    // it was drawn for.
    type Marks = (Vec<bool>, Vec<Option<Arc<str>>>);
    let mut seen: BTreeMap<Face, Marks> = BTreeMap::new();
    for item in document.pages.iter().flat_map(|p| &p.items) {
        let Item::Text { run, .. } = item else {
            continue;
        };
        let face = run.style.face;
        let (used, text) = seen.entry(face).or_insert_with(|| {
            let count = fonts.font(face).tables().number_of_glyphs() as usize;
            (vec![false; count], vec![None; count])
        });
        for glyph in &run.glyphs {
            let id = glyph.id as usize;
            if id < used.len() {
                used[id] = true;
                if text[id].is_none() {
                    text[id].clone_from(&glyph.text);
                }
            }
        }
    }
    seen.into_iter()
        .map(|(face, (used, text))| {
            let tables = fonts.font(face).tables();
            let per_mille = 1000.0 / tables.units_per_em() as f32;
            let mut glyphs = FaceGlyphs {
                new_id: vec![0; used.len()],
                old_ids: Vec::new(),
                text: Vec::new(),
                widths: Vec::new(),
            };
            for (old, (used, text)) in used.into_iter().zip(text).enumerate() {
                if old != 0 && !used {
                    continue;
                }
                glyphs.new_id[old] = glyphs.old_ids.len() as u16;
                glyphs.old_ids.push(old as u16);
                glyphs.text.push(text);
                let advance = tables
                    .glyph_hor_advance(ttf_parser::GlyphId(old as u16))
                    .unwrap_or(0);
                // Rounded as it is written, so that the offsets drawn
                // against it add up to exactly the shaped advance.
                glyphs
                    .widths
                    .push((advance as f32 * per_mille * 100.0).round() / 100.0);
            }
            (face, glyphs)
        })
        .collect()
}

/// A font cut down to the glyphs the document uses.
struct Subset {
    face: Face,
    /// `ABCDEF+Name`: the tag PDF asks of a subset, from the glyphs chosen.
    name: String,
    /// The font program, as cut by `subsetter`.
    program: Vec<u8>,
    kind: Program,
    widths: Vec<f32>,
    to_unicode: String,
    ascent: i64,
    descent: i64,
    cap_height: i64,
    italic_angle: f32,
    stem_v: i64,
    bbox: [i64; 4],
}

/// What a font program is, which decides how PDF embeds it.
#[derive(Clone, Copy, PartialEq)]
enum Program {
    /// TrueType outlines: `CIDFontType2`, `/FontFile2`.
    TrueType,
    /// A whole OpenType font with CFF outlines: `/FontFile3 /OpenType`.
    OpenType,
    /// A bare CID-keyed CFF table: `/FontFile3 /CIDFontType0C`.
    Cff,
}

impl Program {
    fn cid_font_type(self) -> &'static [u8] {
        match self {
            Program::TrueType => b"CIDFontType2",
            Program::OpenType | Program::Cff => b"CIDFontType0",
        }
    }
}

fn resource_name(face: Face) -> String {
    format!("F{}", face.index())
}

fn subset_fonts(
    glyphs: &BTreeMap<Face, FaceGlyphs>,
    fonts: &Fonts,
) -> Result<Vec<Subset>, PdfError> {
    let mut subsets = Vec::new();
    for (&face, used) in glyphs {
        let font = fonts.font(face);
        let fail = |reason: String| PdfError::Font {
            name: font.name.clone(),
            reason,
        };
        let mut remapper = subsetter::GlyphRemapper::new();
        for &old in &used.old_ids {
            remapper.remap(old);
        }
        let program =
            subsetter::subset(font.bytes, 0, &remapper).map_err(|e| fail(format!("{e:?}")))?;
        let program = hinting::without_hinting(&program).unwrap_or(program);
        // A CID-keyed CFF goes in bare, the form every viewer reads the same
        // way (printpdf's finding, see `extract_cid_keyed_cff`).
        let (program, kind) = match printpdf::extract_cid_keyed_cff(&program, 0) {
            Some(cff) => (cff, Program::Cff),
            None if program.starts_with(b"OTTO") => (program, Program::OpenType),
            None => (program, Program::TrueType),
        };
        let digest = Sha256::digest(
            used.old_ids
                .iter()
                .flat_map(|g| g.to_be_bytes())
                .collect::<Vec<u8>>(),
        );
        let tag: String = digest
            .iter()
            .take(6)
            .map(|b| (b'A' + b % 26) as char)
            .collect();
        let to_unicode = printpdf::ToUnicodeCMap {
            mappings: used
                .text
                .iter()
                .enumerate()
                .filter_map(|(new, text)| {
                    // Glyph 0 is the box drawn for every character the font
                    // lacks: it copies as U+FFFD, not as whichever missing
                    // character came first.
                    if new == 0 {
                        return Some((0, vec![0xFFFD]));
                    }
                    let text = text.as_deref()?;
                    Some((new as u32, text.chars().map(u32::from).collect()))
                })
                .collect(),
        }
        .to_cmap_string(&resource_name(face));
        let tables = font.tables();
        let scale = |v: f32| (v * 1000.0 / tables.units_per_em() as f32).round() as i64;
        let bbox = tables.global_bounding_box();
        let italic_angle = tables.italic_angle();
        let weight = tables.weight().to_number() as f32;
        subsets.push(Subset {
            face,
            name: format!("{tag}+{}", font.name),
            program,
            kind,
            widths: used.widths.clone(),
            to_unicode,
            ascent: scale(tables.ascender() as f32),
            descent: scale(tables.descender() as f32),
            cap_height: scale(tables.capital_height().unwrap_or(tables.ascender()) as f32),
            italic_angle,
            // No table states the stem width; this is the usual estimate
            // from the weight class (88 at 400, 166 at 700).
            stem_v: 50 + (weight / 65.0).powi(2).round() as i64,
            bbox: [
                scale(bbox.x_min as f32),
                scale(bbox.y_min as f32),
                scale(bbox.x_max as f32),
                scale(bbox.y_max as f32),
            ],
        });
    }
    Ok(subsets)
}

/// Adds a subset as a composite (Type0) font whose codes are its glyph
/// numbers, and returns a reference to it.
fn add_font(pdf: &mut lopdf::Document, subset: &Subset) -> Object {
    let name = || Object::Name(subset.name.as_bytes().to_vec());
    let (file_key, mut file_dict) = match subset.kind {
        Program::TrueType => (
            "FontFile2",
            Dictionary::from_iter([("Length1", Object::Integer(subset.program.len() as i64))]),
        ),
        Program::OpenType => (
            "FontFile3",
            Dictionary::from_iter([("Subtype", Object::Name(b"OpenType".to_vec()))]),
        ),
        Program::Cff => (
            "FontFile3",
            Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]),
        ),
    };
    file_dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let file = pdf.add_object(Stream::new(file_dict, deflate(&subset.program)));
    let flags = 32 | if subset.italic_angle != 0.0 { 64 } else { 0 };
    let descriptor = pdf.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name()),
        ("Flags", Object::Integer(flags)),
        (
            "FontBBox",
            Object::Array(subset.bbox.iter().map(|&v| v.into()).collect()),
        ),
        ("ItalicAngle", Object::Real(subset.italic_angle)),
        ("Ascent", Object::Integer(subset.ascent)),
        ("Descent", Object::Integer(subset.descent)),
        ("CapHeight", Object::Integer(subset.cap_height)),
        ("StemV", Object::Integer(subset.stem_v)),
        (file_key, Object::Reference(file)),
    ]));
    let widths = Object::Array(vec![
        0.into(),
        Object::Array(
            subset
                .widths
                .iter()
                .map(|&w| {
                    if w.fract() == 0.0 {
                        Object::Integer(w as i64)
                    } else {
                        Object::Real(w)
                    }
                })
                .collect(),
        ),
    ]);
    let mut descendant = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        (
            "Subtype",
            Object::Name(subset.kind.cid_font_type().to_vec()),
        ),
        ("BaseFont", name()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", 0.into()),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", widths),
    ]);
    if subset.kind == Program::TrueType {
        descendant.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let to_unicode = pdf.add_object(Stream::new(
        Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]),
        deflate(subset.to_unicode.as_bytes()),
    ));
    Object::Reference(pdf.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name()),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(descendant)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}

/// An image of the document, embedded once however often it is drawn.
struct Image {
    name: String,
    id: ObjectId,
}

/// Starts the PDF with the document's images, which printpdf decodes and
/// embeds.
fn load_images(
    document: &Document,
) -> Result<(lopdf::Document, BTreeMap<PathBuf, Image>), PdfError> {
    let mut pdf = printpdf::PdfDocument::new("");
    let mut names = BTreeMap::new();
    for item in document.pages.iter().flat_map(|p| &p.items) {
        let Item::Image { path, .. } = item else {
            continue;
        };
        if names.contains_key(path) {
            continue;
        }
        let fail = |reason: String| PdfError::Image {
            path: path.clone(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| fail(crate::io_reason(&e)))?;
        let image = printpdf::RawImage::decode_from_bytes(&bytes, &mut Vec::new()).map_err(fail)?;
        let name = format!("Im{}", names.len());
        pdf.resources.xobjects.map.insert(
            printpdf::XObjectId(name.clone()),
            printpdf::XObject::Image(image),
        );
        names.insert(path.clone(), name);
    }
    let options = printpdf::PdfSaveOptions {
        subset_fonts: false,
        optimize: false,
        ..printpdf::PdfSaveOptions::default()
    };
    let (document, xobjects) = printpdf::init_doc_and_resources(&pdf, &options);
    let images = names
        .into_iter()
        .filter_map(|(path, name)| {
            let id = xobjects.get(name.as_bytes()).ok()?.as_reference().ok()?;
            Some((path, Image { name, id }))
        })
        .collect();
    Ok((document, images))
}

/// A page drawn: its compressed content stream and its links.
struct DrawnPage {
    content: Vec<u8>,
    links: Vec<Link>,
}

struct Link {
    /// Left, bottom, right, top, in PDF's bottom-up points.
    rect: [f32; 4],
    target: Target,
}

fn draw_pages(
    pages: Vec<Page>,
    height: f32,
    glyphs: &BTreeMap<Face, FaceGlyphs>,
    images: &BTreeMap<PathBuf, Image>,
) -> Vec<DrawnPage> {
    use rayon::prelude::*;
    // Pages are independent: drawn and deflated on every core, in order, in
    // runs of eight (a short document is not worth a second deflate state).
    pages
        .into_par_iter()
        .with_min_len(8)
        .map_init(Content::default, |content, page| {
            content.clear();
            let mut links = Vec::new();
            for item in page.items {
                content.draw(item, height, glyphs, images, &mut links);
            }
            DrawnPage {
                content: deflate(&content.bytes),
                links,
            }
        })
        .collect()
}

/// A page's content stream being written, with the graphics state it has
/// set, so that a colour or font is only stated when it changes.
#[derive(Default)]
struct Content {
    bytes: Vec<u8>,
    font: Option<(Face, f32)>,
    fill: Option<Color>,
    stroke: Option<(Color, f32)>,
}

impl Content {
    fn clear(&mut self) {
        self.bytes.clear();
        self.font = None;
        self.fill = None;
        self.stroke = None;
    }

    /// Draws one item; `height` turns the typesetter's top-down y into
    /// PDF's bottom-up y.
    fn draw(
        &mut self,
        item: Item,
        height: f32,
        glyphs: &BTreeMap<Face, FaceGlyphs>,
        images: &BTreeMap<PathBuf, Image>,
        links: &mut Vec<Link>,
    ) {
        match item {
            Item::Text { x, baseline, run } => {
                if let Some(glyphs) = glyphs.get(&run.style.face) {
                    self.text(x, height - baseline, &run, glyphs);
                }
            }
            Item::Rect {
                x,
                y,
                width,
                height: h,
                color,
            } => {
                self.fill(color);
                self.numbers(&[(x, 2), (height - y - h, 2), (width, 2), (h, 2)]);
                self.bytes.extend_from_slice(b"re f\n");
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                if self.stroke != Some((color, width)) {
                    self.stroke = Some((color, width));
                    self.numbers(&[(color.r, 3), (color.g, 3), (color.b, 3)]);
                    self.bytes.extend_from_slice(b"RG ");
                    self.numbers(&[(width, 2)]);
                    self.bytes.extend_from_slice(b"w\n");
                }
                self.numbers(&[(x1, 2), (height - y1, 2)]);
                self.bytes.extend_from_slice(b"m ");
                self.numbers(&[(x2, 2), (height - y2, 2)]);
                self.bytes.extend_from_slice(b"l S\n");
            }
            Item::Image {
                path,
                x,
                y,
                width,
                height: h,
            } => {
                let Some(image) = images.get(&path) else {
                    return;
                };
                self.bytes.extend_from_slice(b"q ");
                self.numbers(&[(width, 2), (0.0, 0), (0.0, 0), (h, 2)]);
                self.numbers(&[(x, 2), (height - y - h, 2)]);
                self.bytes.extend_from_slice(b"cm /");
                self.bytes.extend_from_slice(image.name.as_bytes());
                self.bytes.extend_from_slice(b" Do Q\n");
            }
            Item::Link {
                x,
                y,
                width,
                height: h,
                target,
            } => links.push(Link {
                rect: [x, height - y - h, x + width, height - y],
                target,
            }),
        }
    }

    /// One run of glyphs as a `TJ` array: glyph numbers in hexadecimal,
    /// broken only where the shaped advance differs from the font's.
    fn text(&mut self, x: f32, y: f32, run: &Run, glyphs: &FaceGlyphs) {
        if run.glyphs.is_empty() {
            return;
        }
        let style = &run.style;
        self.bytes.extend_from_slice(b"BT\n");
        if self.font != Some((style.face, style.size)) {
            self.font = Some((style.face, style.size));
            self.bytes.push(b'/');
            self.bytes
                .extend_from_slice(resource_name(style.face).as_bytes());
            self.bytes.push(b' ');
            self.numbers(&[(style.size, 2)]);
            self.bytes.extend_from_slice(b"Tf\n");
        }
        self.fill(style.color);
        self.numbers(&[(x, 2), (y, 2)]);
        self.bytes.extend_from_slice(b"Td\n[<");
        let last = run.glyphs.len() - 1;
        for (i, glyph) in run.glyphs.iter().enumerate() {
            let new = glyphs.new_id.get(glyph.id as usize).copied().unwrap_or(0);
            hex4(&mut self.bytes, new);
            if i == last {
                break;
            }
            // TJ moves left by this much after the glyph, in 1/1000 em: the
            // font's width less the shaped (kerned, justified) advance.
            // Tenths of a unit, so that unkerned glyphs need no number.
            let natural = glyphs.widths.get(new as usize).copied().unwrap_or(0.0);
            let offset = ((natural - glyph.advance * 1000.0 / style.size) * 10.0).round();
            if offset != 0.0 {
                self.bytes.push(b'>');
                number(&mut self.bytes, offset / 10.0, 1);
                self.bytes.push(b'<');
            }
        }
        self.bytes.extend_from_slice(b">] TJ\nET\n");
    }

    fn fill(&mut self, color: Color) {
        if self.fill != Some(color) {
            self.fill = Some(color);
            self.numbers(&[(color.r, 3), (color.g, 3), (color.b, 3)]);
            self.bytes.extend_from_slice(b"rg\n");
        }
    }

    /// Numbers, each followed by a space, with at most so many decimals.
    fn numbers(&mut self, values: &[(f32, u32)]) {
        for &(value, decimals) in values {
            number(&mut self.bytes, value, decimals);
            self.bytes.push(b' ');
        }
    }
}

/// Writes `value` with at most `decimals` decimals and no trailing zeros:
/// PDF readers take `12.5`, not `1.25e1`.
fn number(out: &mut Vec<u8>, value: f32, decimals: u32) {
    let scale = 10u64.pow(decimals);
    let scaled = (f64::from(value) * scale as f64).round();
    if scaled < 0.0 {
        out.push(b'-');
    }
    let scaled = scaled.abs() as u64;
    digits(out, scaled / scale);
    let mut fraction = scaled % scale;
    if fraction != 0 {
        let mut places = decimals;
        while fraction % 10 == 0 {
            fraction /= 10;
            places -= 1;
        }
        out.push(b'.');
        for place in (0..places).rev() {
            out.push(b'0' + (fraction / 10u64.pow(place) % 10) as u8);
        }
    }
}

fn digits(out: &mut Vec<u8>, mut value: u64) {
    let mut buffer = [0u8; 20];
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&buffer[at..]);
}

fn hex4(out: &mut Vec<u8>, value: u16) {
    for byte in value.to_be_bytes() {
        out.extend_from_slice(&file::hex(byte));
    }
}

fn annotation(link: Link, pages: &[ObjectId], document: &Document) -> Object {
    let action = match link.target {
        // `#page=N`: page N of this document (a pack's list of briefs).
        Target::Uri(uri) if uri.starts_with("#page=") => {
            let page = uri[6..].parse::<usize>().unwrap_or(1).saturating_sub(1);
            pages.get(page).map(|&page| {
                go_to(Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Null,
                    Object::Null,
                ]))
            })
        }
        Target::Uri(uri) => Some(Dictionary::from_iter([
            ("S", Object::Name(b"URI".to_vec())),
            (
                "URI",
                Object::String(uri.into_bytes(), StringFormat::Literal),
            ),
        ])),
        Target::Heading(index) => destination(pages, document, index).map(go_to),
    };
    let mut dict = Dictionary::from_iter([
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Link".to_vec())),
        (
            "Rect",
            Object::Array(link.rect.iter().map(|&v| Object::Real(v)).collect()),
        ),
        ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
    ]);
    if let Some(action) = action {
        dict.set("A", Object::Dictionary(action));
    }
    Object::Dictionary(dict)
}

fn go_to(destination: Object) -> Dictionary {
    Dictionary::from_iter([("S", Object::Name(b"GoTo".to_vec())), ("D", destination)])
}

/// A text string as PDF wants it: UTF-16BE with a byte-order mark.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// An exact destination: the page, scrolled to `y` (top-down) of the heading.
fn destination(pages: &[ObjectId], document: &Document, heading: usize) -> Option<Object> {
    let h = document.headings.get(heading)?;
    let page = *pages.get(h.page)?;
    Some(Object::Array(vec![
        Object::Reference(page),
        Object::Name(b"XYZ".to_vec()),
        Object::Null,
        Object::Real(document.height - h.y + 2.0),
        Object::Null,
    ]))
}

/// The outline (bookmarks): sections, with their subsections below them,
/// each jumping to its heading. Returns its root.
fn add_outline(
    pdf: &mut lopdf::Document,
    document: &Document,
    pages: &[ObjectId],
) -> Option<ObjectId> {
    let headings = &document.headings;
    if headings.is_empty() {
        return None;
    }
    let root = pdf.new_object_id();
    let ids: Vec<ObjectId> = headings.iter().map(|_| pdf.new_object_id()).collect();
    // Each heading's parent, and each heading's children (the last list:
    // the top level), in one pass.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); ids.len() + 1];
    let mut open: Vec<usize> = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| headings[o].level >= heading.level)
        {
            open.pop();
        }
        parent.push(open.last().copied());
        children[open.last().copied().unwrap_or(ids.len())].push(i);
        open.push(i);
    }
    for siblings in &children {
        for (at, &i) in siblings.iter().enumerate() {
            let mut dict = Dictionary::new();
            dict.set("Title", text_string(&headings[i].title));
            dict.set(
                "Parent",
                Object::Reference(parent[i].map_or(root, |p| ids[p])),
            );
            if at > 0 {
                dict.set("Prev", Object::Reference(ids[siblings[at - 1]]));
            }
            if let Some(&next) = siblings.get(at + 1) {
                dict.set("Next", Object::Reference(ids[next]));
            }
            let kids = &children[i];
            if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
                dict.set("First", Object::Reference(ids[first]));
                dict.set("Last", Object::Reference(ids[last]));
                dict.set("Count", Object::Integer(kids.len() as i64));
            }
            if let Some(dest) = destination(pages, document, i) {
                dict.set("Dest", dest);
            }
            pdf.objects.insert(ids[i], Object::Dictionary(dict));
        }
    }
    let top = &children[ids.len()];
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        outlines.set("First", Object::Reference(ids[first]));
        outlines.set("Last", Object::Reference(ids[last]));
    }
    outlines.set("Count", Object::Integer(ids.len() as i64));
    pdf.objects.insert(root, Object::Dictionary(outlines));
    Some(root)
}

fn info(metadata: &Metadata) -> Dictionary {
    let date = chrono::DateTime::from_timestamp(metadata.date, 0)
        .unwrap_or_default()
        .format("D:%Y%m%d%H%M%SZ")
        .to_string();
    Dictionary::from_iter([
        ("Title", text_string(&metadata.title)),
        ("Subject", text_string(&metadata.subject)),
        ("Author", text_string(&metadata.author)),
        ("Keywords", text_string(&metadata.keywords.join(", "))),
        ("Creator", Object::string_literal("briefing")),
        (
            "Producer",
            Object::string_literal(concat!("briefing ", env!("CARGO_PKG_VERSION"))),
        ),
        ("CreationDate", Object::string_literal(date.clone())),
        ("ModDate", Object::string_literal(date)),
    ])
}

/// Deflates the streams not compressed yet (the images).
fn compress_the_rest(pdf: &mut lopdf::Document) {
    for object in pdf.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Filter").is_err() {
            let compressed = deflate(&stream.content);
            if compressed.len() < stream.content.len() {
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(compressed);
            }
        }
    }
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

    fn written(value: f32, decimals: u32) -> String {
        let mut out = Vec::new();
        number(&mut out, value, decimals);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_plain() {
        assert_eq!(written(62.362206, 2), "62.36");
        assert_eq!(written(10.0, 2), "10");
        assert_eq!(written(0.5, 2), "0.5");
        assert_eq!(written(-6.8, 1), "-6.8");
        assert_eq!(written(-0.001, 2), "0");
        assert_eq!(written(0.105882354, 3), "0.106");
        assert_eq!(written(1e7, 2), "10000000");
        assert_eq!(written(0.07, 2), "0.07");
    }

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
