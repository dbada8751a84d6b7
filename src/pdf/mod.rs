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
use content::{digits, draw_pages, number};
use fonts::FaceGlyphs;
use fonts::{add_font, in_copy_order, resource_name, subset_fonts, used_glyphs};
use images::embed_images;
use images::Image;
use navigation::{add_outline, annotation};
use tags::{add_structure, Tagged};

pub use metadata::{Archive, Conformance};

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use crate::typeset::fonts::{FontId, Fonts};
use crate::typeset::{
    Color, Document, Item, Mark, NodeId, Page, PlacedGlyph, Structure, Style, Target,
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
    Font { name: String, reason: String },
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Font { name, reason } => write!(f, "cannot embed the font {name}: {reason}"),
        }
    }
}

/// Writes `document` as PDF to the standards of `conformance`. Pages are
/// drawn and compressed one by one as the laid-out ones are dropped, so that
/// a long document (a pack) is not held twice in memory; the fonts are
/// subset meanwhile on another core.
pub fn write(
    mut document: Document,
    fonts: &Fonts,
    metadata: &Metadata,
    conformance: Conformance,
) -> Result<Vec<u8>, PdfError> {
    let glyphs = used_glyphs(&document, fonts);
    let mut pdf = lopdf::Document::with_version("1.5");
    let images = embed_images(&document, &mut pdf);
    let pages = std::mem::take(&mut document.pages);
    let height = document.height;
    let structure = conformance.tagged.then_some(&document.structure);
    let (subsets, mut drawn) = rayon::join(
        || subset_fonts(&glyphs, fonts),
        || draw_pages(pages, height, &glyphs, &images, structure),
    );
    let subsets = subsets?;

    let pages_id = pdf.new_object_id();
    let page_ids: Vec<ObjectId> = drawn.iter().map(|_| pdf.new_object_id()).collect();

    let mut font_names = Dictionary::new();
    for subset in &subsets {
        font_names.set(resource_name(subset.font), add_font(&mut pdf, subset));
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
    // Link annotations are objects of their own, so that the structure
    // tree can point to each from its link. Their numbers are taken here;
    // they are written once the structure has its keys.
    let links: Vec<Vec<Link>> = drawn
        .iter_mut()
        .map(|page| std::mem::take(&mut page.links))
        .collect();
    let annotations: Vec<Vec<ObjectId>> = links
        .iter()
        .map(|page| page.iter().map(|_| pdf.new_object_id()).collect())
        .collect();
    let mut structure_keys = None;
    let mut annotation_keys = BTreeMap::new();
    let mut written = file::Written::default();
    if conformance.tagged {
        let tagged: Vec<Vec<Tagged>> = drawn
            .iter_mut()
            .map(|page| std::mem::take(&mut page.tagged))
            .collect();
        let (root, keys) = add_structure(
            &mut pdf,
            &mut written,
            &document.structure,
            &tagged,
            &annotations,
            &page_ids,
        );
        annotation_keys = keys.annotations;
        structure_keys = Some((root, keys.pages));
    }
    // Written as PDF at once rather than kept as `lopdf` dictionaries to
    // the end: a pack's page, link and outline dictionaries took a third of
    // the memory of writing it (a pack of 100 German examples: 8 of 27 MB).
    for (page, ids) in links.into_iter().zip(&annotations) {
        for (link, &id) in page.into_iter().zip(ids) {
            let Object::Dictionary(mut dict) = annotation(link, &page_ids, &document) else {
                unreachable!("an annotation is a dictionary")
            };
            if let Some(key) = annotation_keys.get(&id) {
                dict.set("StructParent", Object::Integer(*key));
            }
            written.add(id.0, |out| file::write_dictionary(out, &dict, None));
        }
    }
    for (index, (page, &page_id)) in drawn.into_iter().zip(&page_ids).enumerate() {
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
        if let Some(Some(key)) = structure_keys.as_ref().map(|(_, keys)| keys[index]) {
            dict.set("StructParents", Object::Integer(key));
        }
        if !annotations[index].is_empty() {
            dict.set(
                "Annots",
                Object::Array(annotations[index].iter().map(|&a| a.into()).collect()),
            );
            // Links are reached with the tab key in the order of the page's
            // structure (PDF/UA, 7.18.3).
            dict.set("Tabs", Object::Name(b"S".to_vec()));
        }
        written.add(page_id.0, |out| file::write_dictionary(out, &dict, None));
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
    // A viewer's title bar shows the brief's title, not the file's name
    // (PDF/UA, 7.1).
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter([(
            "DisplayDocTitle",
            Object::Boolean(true),
        )])),
    );
    if let Some(outline) = add_outline(&mut pdf, &mut written, &document, &page_ids) {
        catalog.set("Outlines", Object::Reference(outline));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    if let Some((root, _)) = structure_keys {
        catalog.set("StructTreeRoot", Object::Reference(root));
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
        metadata::xmp(metadata, conformance, &document_id),
    ));
    catalog.set("Metadata", Object::Reference(xmp));
    if conformance.archive.is_some() {
        let intent = metadata::add_output_intent(&mut pdf);
        catalog.set("OutputIntents", Object::Array(vec![intent.into()]));
    }
    let catalog = pdf.add_object(catalog);
    let info = pdf.add_object(metadata::info(metadata));
    pdf.trailer.set("Root", Object::Reference(catalog));
    pdf.trailer.set("Info", Object::Reference(info));
    // Every stream is compressed already: pages and fonts here, images
    // when they were read.
    Ok(file::save(&pdf, &written))
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
