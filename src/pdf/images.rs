//! The images of a document, embedded once however often they are drawn.
//! The typesetter hands them over decoded and compressed as a PDF holds
//! them (see [`crate::images`]), so that writing them is only wrapping each
//! in its dictionary.

use super::*;

use crate::images::{Colour, Encoding};

/// An image of the document as the pages name it.
pub(super) struct Image {
    pub(super) name: String,
    pub(super) id: ObjectId,
}

/// The document's images by their digest, each written once as an image
/// XObject (with its soft mask, when it has transparency), named `Im0`,
/// `Im1`, … in the order they are first drawn: the same document gives the
/// same objects whatever the images' files were called or where they were.
pub(super) fn embed_images(
    drawn: &[Arc<crate::images::Image>],
    pdf: &mut lopdf::Document,
) -> BTreeMap<[u8; 32], Image> {
    let mut images = BTreeMap::new();
    for image in drawn {
        if images.contains_key(&image.digest) {
            continue;
        }
        let mut dict = image_dictionary(image.width, image.height, image.colour);
        dict.set(
            "Filter",
            Object::Name(match image.encoding {
                Encoding::Jpeg => b"DCTDecode".to_vec(),
                Encoding::Deflate => b"FlateDecode".to_vec(),
            }),
        );
        if let Some(alpha) = &image.alpha {
            let mut mask = image_dictionary(image.width, image.height, Colour::Grey);
            mask.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            let mask = pdf.add_object(Stream::new(mask, alpha.clone()));
            dict.set("SMask", Object::Reference(mask));
        }
        let id = pdf.add_object(Stream::new(dict, image.data.clone()));
        let name = format!("Im{}", images.len());
        images.insert(image.digest, Image { name, id });
    }
    images
}

/// The images of `pages` in the order they are first drawn, each once, added
/// to `drawn`, which holds those of the pages before.
pub fn images_drawn(pages: &[Page], drawn: &mut Vec<Arc<crate::images::Image>>) {
    let images = pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            Item::Image { image, .. } => Some(image.clone()),
            _ => None,
        });
    add_images(drawn, images);
}

/// Adds to `drawn` those of `more` it does not hold yet, in order: the
/// images of a part drawn after the others.
pub fn add_images(
    drawn: &mut Vec<Arc<crate::images::Image>>,
    more: impl IntoIterator<Item = Arc<crate::images::Image>>,
) {
    for image in more {
        if !drawn.iter().any(|known| known.digest == image.digest) {
            drawn.push(image);
        }
    }
}

fn image_dictionary(width: u32, height: u32, colour: Colour) -> Dictionary {
    Dictionary::from_iter([
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(width.into())),
        ("Height", Object::Integer(height.into())),
        (
            "ColorSpace",
            Object::Name(match colour {
                Colour::Grey => b"DeviceGray".to_vec(),
                Colour::Rgb => b"DeviceRGB".to_vec(),
            }),
        ),
        ("BitsPerComponent", Object::Integer(8)),
    ])
}
