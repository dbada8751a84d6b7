//! The laid-out document to PDF bytes. Every position was decided by the
//! typesetter; this module only draws: it subsets the fonts, writes glyphs
//! with the text they stand for (so that copying and searching work),
//! images, links, the nested outline and the metadata, and derives the
//! document id from the content, so that the same input gives the same
//! bytes on every run and every machine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, Destination, FontId, LinkAnnotation, Mm, Op, PaintMode,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, RawImage, Rect, TextItem,
    TextMatrix, XObject, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

use crate::typeset::fonts::{Face, Fonts};
use crate::typeset::{Color, Document, Item, Target};

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

/// Writes `document` as PDF. The document is consumed page by page, so
/// that a long one (a pack) is not held twice in memory.
pub fn write(
    mut document: Document,
    fonts: &Fonts,
    metadata: &Metadata,
) -> Result<Vec<u8>, PdfError> {
    let subsets = subset_fonts(&document, fonts)?;
    let mut pdf = PdfDocument::new(&metadata.title);
    for (face, subset) in &subsets {
        pdf.resources
            .fonts
            .map
            .insert(font_id(*face), subset.font.clone());
    }
    let images = load_images(&document, &mut pdf)?;
    let height = document.height;
    let mut pages = Vec::with_capacity(document.pages.len());
    for page in std::mem::take(&mut document.pages) {
        let mut ops = Vec::new();
        for item in &page.items {
            draw(item, height, &subsets, &images, &mut ops);
        }
        pages.push(PdfPage::new(
            Mm(document.width * 25.4 / 72.0),
            Mm(document.height * 25.4 / 72.0),
            ops,
        ));
    }
    pdf.with_pages(pages);
    let date = printpdf::DateTime::from_unix_timestamp(metadata.date).unwrap_or_else(|_| {
        printpdf::DateTime::from_unix_timestamp(0).expect("the epoch is a date")
    });
    let info = &mut pdf.metadata.info;
    info.document_title = metadata.title.clone();
    info.subject = metadata.subject.clone();
    info.author = metadata.author.clone();
    info.keywords = metadata.keywords.clone();
    info.creator = "briefing".into();
    info.producer = concat!("briefing ", env!("CARGO_PKG_VERSION")).into();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    info.identifier = String::new();

    let options = PdfSaveOptions {
        subset_fonts: false, // done above, by glyph, with `subsetter`
        optimize: false,     // compressed below, at a faster level
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lopdf = pdf.to_lopdf_document(&options, &mut warnings);
    drop(pdf);
    name_subsets(&mut lopdf, &subsets);
    add_outline(&mut lopdf, &document);
    add_heading_links(&mut lopdf, &document);
    if let Ok(catalog) = lopdf.catalog_mut() {
        catalog.set(
            "Lang",
            Object::String(
                metadata.language.clone().into_bytes(),
                StringFormat::Literal,
            ),
        );
    }
    compress(&mut lopdf);
    finish_with_content_id(lopdf)
}

/// A font cut down to the glyphs the document uses, and the new number of
/// each glyph.
struct Subset {
    font: printpdf::PdfFont,
    glyphs: BTreeMap<u16, u16>,
    /// Advance of each new glyph in 1/1000 em, as the PDF's `/W` states it.
    widths: BTreeMap<u16, f32>,
    tag: String,
    name: String,
}

fn font_id(face: Face) -> FontId {
    FontId(format!("F{}", face.index()))
}

fn subset_fonts(document: &Document, fonts: &Fonts) -> Result<BTreeMap<Face, Subset>, PdfError> {
    let mut used: BTreeMap<Face, BTreeSet<u16>> = BTreeMap::new();
    for page in &document.pages {
        for item in &page.items {
            if let Item::Text { run, .. } = item {
                used.entry(run.style.face)
                    .or_default()
                    .extend(run.glyphs.iter().map(|g| g.id));
            }
        }
    }
    let mut subsets = BTreeMap::new();
    for (face, glyphs) in used {
        let font = fonts.font(face);
        let fail = |reason: String| PdfError::Font {
            name: font.name.clone(),
            reason,
        };
        let mut remapper = subsetter::GlyphRemapper::new();
        let mut mapping = BTreeMap::new();
        for &gid in &glyphs {
            mapping.insert(gid, remapper.remap(gid));
        }
        let bytes =
            subsetter::subset(font.bytes, 0, &remapper).map_err(|e| fail(format!("{e:?}")))?;
        let mut parse_warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut parse_warnings)
            .ok_or_else(|| fail("the subset does not parse".into()))?;
        let face_data = ttf_parser::Face::parse(&bytes, 0).map_err(|e| fail(e.to_string()))?;
        let units = face_data.units_per_em() as f32;
        let widths = mapping
            .values()
            .map(|&new| {
                let advance = face_data
                    .glyph_hor_advance(ttf_parser::GlyphId(new))
                    .unwrap_or(0);
                (new, advance as f32 * 1000.0 / units)
            })
            .collect();
        // The six-letter subset tag PDF asks for, from the glyphs chosen, so
        // that it is the same on every run.
        let digest = Sha256::digest(
            glyphs
                .iter()
                .flat_map(|g| g.to_be_bytes())
                .collect::<Vec<u8>>(),
        );
        let tag: String = digest
            .iter()
            .take(6)
            .map(|b| (b'A' + b % 26) as char)
            .collect();
        subsets.insert(
            face,
            Subset {
                font: printpdf::PdfFont::new(parsed),
                glyphs: mapping,
                widths,
                tag,
                name: font.name.clone(),
            },
        );
    }
    Ok(subsets)
}

fn load_images(
    document: &Document,
    pdf: &mut PdfDocument,
) -> Result<BTreeMap<PathBuf, (XObjectId, u32, u32)>, PdfError> {
    let mut images = BTreeMap::new();
    for page in &document.pages {
        for item in &page.items {
            let Item::Image { path, .. } = item else {
                continue;
            };
            if images.contains_key(path) {
                continue;
            }
            let fail = |reason: String| PdfError::Image {
                path: path.clone(),
                reason,
            };
            let bytes = std::fs::read(path).map_err(|e| fail(crate::io_reason(&e)))?;
            let mut warnings = Vec::new();
            let image = RawImage::decode_from_bytes(&bytes, &mut warnings).map_err(fail)?;
            let (width, height) = (image.width as u32, image.height as u32);
            let id = XObjectId(format!("Im{}", images.len()));
            pdf.resources
                .xobjects
                .map
                .insert(id.clone(), XObject::Image(image));
            images.insert(path.clone(), (id, width, height));
        }
    }
    Ok(images)
}

fn rgb(color: Color) -> printpdf::Color {
    printpdf::Color::Rgb(printpdf::Rgb {
        r: color.r,
        g: color.g,
        b: color.b,
        icc_profile: None,
    })
}

/// Draws one item; `height` turns the typesetter's top-down y into PDF's
/// bottom-up y.
fn draw(
    item: &Item,
    height: f32,
    subsets: &BTreeMap<Face, Subset>,
    images: &BTreeMap<PathBuf, (XObjectId, u32, u32)>,
    ops: &mut Vec<Op>,
) {
    match item {
        Item::Text { x, baseline, run } => {
            let Some(subset) = subsets.get(&run.style.face) else {
                return;
            };
            let size = run.style.size;
            let glyphs = run
                .glyphs
                .iter()
                .map(|g| {
                    let id = subset.glyphs.get(&g.id).copied().unwrap_or(0);
                    let natural = subset.widths.get(&id).copied().unwrap_or(0.0);
                    Codepoint {
                        gid: id,
                        // TJ moves left by this much after the glyph, in 1/1000 em:
                        // the font's width less the shaped (kerned, justified)
                        // advance. Rounded to 1/10000 em, so that the float noise
                        // of unkerned glyphs becomes no number at all in the TJ
                        // array (printpdf writes only offsets that are not 0).
                        offset: ((natural - g.advance * 1000.0 / size) * 10.0).round() / 10.0,
                        cid: g.text.as_deref().map(str::to_string),
                    }
                })
                .collect();
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(run.style.face)),
                size: Pt(size),
            });
            ops.push(Op::SetFillColor {
                col: rgb(run.style.color),
            });
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(*x), Pt(height - baseline)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(glyphs)],
            });
            ops.push(Op::EndTextSection);
        }
        Item::Rect {
            x,
            y,
            width,
            height: h,
            color,
        } => {
            ops.push(Op::SetFillColor { col: rgb(*color) });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(height - y - h),
                    width: Pt(*width),
                    height: Pt(*h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
        } => {
            ops.push(Op::SetOutlineColor { col: rgb(*color) });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            let point = |x: f32, y: f32| printpdf::LinePoint {
                p: Point {
                    x: Pt(x),
                    y: Pt(height - y),
                },
                bezier: false,
            };
            ops.push(Op::DrawLine {
                line: printpdf::Line {
                    points: vec![point(*x1, *y1), point(*x2, *y2)],
                    is_closed: false,
                },
            });
        }
        Item::Image {
            path,
            x,
            y,
            width,
            height: h,
        } => {
            let Some((id, px_w, px_h)) = images.get(path) else {
                return;
            };
            ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    translate_x: Some(Pt(*x)),
                    translate_y: Some(Pt(height - y - h)),
                    scale_x: Some(width / *px_w as f32),
                    scale_y: Some(h / *px_h as f32),
                    dpi: Some(72.0),
                    ..XObjectTransform::default()
                },
            });
        }
        Item::Link {
            x,
            y,
            width,
            height: h,
            target,
        } => {
            let rect = Rect {
                x: Pt(*x),
                y: Pt(height - y - h),
                width: Pt(*width),
                height: Pt(*h),
                mode: None,
                winding_order: None,
            };
            let actions = match target {
                // `#page=N`: page N of this document (a pack's list of briefs).
                Target::Uri(uri) if uri.starts_with("#page=") => Actions::Goto(Destination::Xyz {
                    page: uri[6..].parse::<usize>().unwrap_or(1).saturating_sub(1),
                    left: None,
                    top: None,
                    zoom: None,
                }),
                Target::Uri(uri) => Actions::Uri(uri.clone()),
                // Filled in with an exact destination once pages have ids
                // (see `add_heading_links`); marked here by a page-less goto.
                Target::Heading(index) => Actions::Goto(Destination::Xyz {
                    page: 0,
                    left: Some(-1.0),
                    top: Some(*index as f32),
                    zoom: None,
                }),
            };
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    rect,
                    actions,
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
        }
    }
}

/// Gives each embedded font the `ABCDEF+Name` form PDF uses for subsets.
fn name_subsets(pdf: &mut lopdf::Document, subsets: &BTreeMap<Face, Subset>) {
    let names: BTreeMap<String, String> = subsets
        .iter()
        .map(|(face, s)| (font_id(*face).0, format!("{}+{}", s.tag, s.name)))
        .collect();
    let page_ids: Vec<ObjectId> = pdf.get_pages().values().copied().collect();
    let mut fonts: BTreeMap<ObjectId, String> = BTreeMap::new();
    for page in page_ids {
        let Ok(resources) = pdf.get_page_resources(page) else {
            continue;
        };
        let dict = match resources {
            (Some(dict), _) => Some(dict.clone()),
            (None, ids) => ids
                .first()
                .and_then(|id| pdf.get_dictionary(*id).ok())
                .cloned(),
        };
        let Some(font_dict) = dict.and_then(|d| d.get(b"Font").ok().cloned()) else {
            continue;
        };
        let font_dict = match font_dict {
            Object::Reference(id) => pdf.get_dictionary(id).ok().cloned(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        };
        for (key, value) in font_dict.iter().flat_map(|d| d.iter()) {
            if let (Ok(id), Some(name)) = (
                value.as_reference(),
                names.get(&String::from_utf8_lossy(key).to_string()),
            ) {
                fonts.insert(id, name.clone());
            }
        }
    }
    for (id, name) in fonts {
        rename_font(pdf, id, &name);
    }
}

fn rename_font(pdf: &mut lopdf::Document, id: ObjectId, name: &str) {
    let mut descendants = Vec::new();
    if let Ok(dict) = pdf.get_dictionary_mut(id) {
        dict.set("BaseFont", Object::Name(name.as_bytes().to_vec()));
        if let Ok(Object::Array(list)) = dict.get(b"DescendantFonts") {
            descendants.extend(list.iter().filter_map(|o| o.as_reference().ok()));
        }
    }
    for descendant in descendants {
        let mut descriptor = None;
        if let Ok(dict) = pdf.get_dictionary_mut(descendant) {
            dict.set("BaseFont", Object::Name(name.as_bytes().to_vec()));
            descriptor = dict
                .get(b"FontDescriptor")
                .ok()
                .and_then(|o| o.as_reference().ok());
        }
        if let Some(descriptor) = descriptor {
            if let Ok(dict) = pdf.get_dictionary_mut(descriptor) {
                dict.set("FontName", Object::Name(name.as_bytes().to_vec()));
            }
        }
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
/// each jumping to its heading.
fn add_outline(pdf: &mut lopdf::Document, document: &Document) {
    if document.headings.is_empty() {
        return;
    }
    let pages: Vec<ObjectId> = pdf.get_pages().values().copied().collect();
    let outlines_id = pdf.new_object_id();
    // Each heading's id and parent (an index into headings, or the root).
    let ids: Vec<ObjectId> = document
        .headings
        .iter()
        .map(|_| pdf.new_object_id())
        .collect();
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, heading) in document.headings.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| document.headings[o].level >= heading.level)
        {
            open.pop();
        }
        parent.push(open.last().copied());
        open.push(i);
    }
    let children =
        |p: Option<usize>| -> Vec<usize> { (0..ids.len()).filter(|&i| parent[i] == p).collect() };
    for i in 0..ids.len() {
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&document.headings[i].title));
        dict.set(
            "Parent",
            Object::Reference(parent[i].map_or(outlines_id, |p| ids[p])),
        );
        let siblings = children(parent[i]);
        let at = siblings.iter().position(|&s| s == i).unwrap_or(0);
        if at > 0 {
            dict.set("Prev", Object::Reference(ids[siblings[at - 1]]));
        }
        if let Some(&next) = siblings.get(at + 1) {
            dict.set("Next", Object::Reference(ids[next]));
        }
        let kids = children(Some(i));
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            dict.set("First", Object::Reference(ids[first]));
            dict.set("Last", Object::Reference(ids[last]));
            dict.set("Count", Object::Integer(kids.len() as i64));
        }
        if let Some(dest) = destination(&pages, document, i) {
            dict.set("Dest", dest);
        }
        pdf.objects.insert(ids[i], Object::Dictionary(dict));
    }
    let top = children(None);
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        outlines.set("First", Object::Reference(ids[first]));
        outlines.set("Last", Object::Reference(ids[last]));
    }
    outlines.set("Count", Object::Integer(ids.len() as i64));
    pdf.objects
        .insert(outlines_id, Object::Dictionary(outlines));
    if let Ok(catalog) = pdf.catalog_mut() {
        catalog.set("Outlines", Object::Reference(outlines_id));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

/// Points the contents' links at their headings' exact places. printpdf
/// writes annotations inline in each page's `/Annots`.
fn add_heading_links(pdf: &mut lopdf::Document, document: &Document) {
    let pages: Vec<ObjectId> = pdf.get_pages().values().copied().collect();
    for &page in &pages {
        let Ok(page_dict) = pdf.get_dictionary_mut(page) else {
            continue;
        };
        let Ok(Object::Array(annotations)) = page_dict.get_mut(b"Annots") else {
            continue;
        };
        for annotation in annotations.iter_mut() {
            let Object::Dictionary(link) = annotation else {
                continue;
            };
            let Some(heading) = heading_marker(link) else {
                continue;
            };
            if let Some(dest) = destination(&pages, document, heading) {
                let mut action = Dictionary::new();
                action.set("S", Object::Name(b"GoTo".to_vec()));
                action.set("D", dest);
                link.set("A", Object::Dictionary(action));
            }
        }
    }
}

/// The heading a link was marked for in `draw`: a go-to `[page /XYZ -1 index null]`.
fn heading_marker(link: &Dictionary) -> Option<usize> {
    let Ok(Object::Dictionary(action)) = link.get(b"A") else {
        return None;
    };
    let Ok(Object::Array(dest)) = action.get(b"D") else {
        return None;
    };
    match dest.as_slice() {
        [_, Object::Name(kind), left, top, ..] if kind == b"XYZ" => {
            let (left, top) = (left.as_float().ok()?, top.as_float().ok()?);
            (left < 0.0).then_some(top as usize)
        }
        _ => None,
    }
}

/// Deflates every stream at the default level: lopdf's own `compress` uses
/// the best level, which took a third of the time for a few hundred bytes.
fn compress(pdf: &mut lopdf::Document) {
    use std::io::Write;
    for object in pdf.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(compressed) = encoder.finish() else {
            continue;
        };
        if compressed.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
}

/// Saves the document with a trailer `/ID` derived from its own bytes.
fn finish_with_content_id(mut pdf: lopdf::Document) -> Result<Vec<u8>, PdfError> {
    const PLACEHOLDER: [u8; 16] = [0xAB; 16];
    let id = Object::Array(vec![
        Object::String(PLACEHOLDER.to_vec(), StringFormat::Hexadecimal),
        Object::String(PLACEHOLDER.to_vec(), StringFormat::Hexadecimal),
    ]);
    pdf.trailer.set("ID", id);
    // Object streams (PDF 1.5) pack the many small dictionaries together.
    pdf.version = "1.5".into();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(6)
        .build();
    let mut bytes = Vec::new();
    pdf.save_with_options(&mut bytes, options)
        .expect("writing to memory does not fail");
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let placeholder: String = PLACEHOLDER.iter().map(|b| format!("{b:02X}")).collect();
    let placeholder_lower = placeholder.to_lowercase();
    let text = bytes;
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with(placeholder.as_bytes())
            || rest.starts_with(placeholder_lower.as_bytes())
        {
            out.extend_from_slice(hex.as_bytes());
            i += placeholder.len();
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    Ok(out)
}
