//! The images of a document, embedded once however often they are drawn.

use super::*;

/// An image of the document, embedded once however often it is drawn.
pub(super) struct Image {
    pub(super) name: String,
    pub(super) id: ObjectId,
}

/// Starts the PDF with the document's images, which printpdf decodes and
/// embeds.
pub(super) fn load_images(
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
