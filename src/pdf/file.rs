//! The objects of a document to the bytes of a PDF file (PDF 1.5): streams
//! as they are, every other object packed into one compressed object
//! stream, and a cross-reference stream whose `/ID` is a hash of all the
//! objects, so that the same document has the same id on every machine and
//! another document another. lopdf's own writer serialises each packed
//! object twice and clones it once; this one writes each once, and was a
//! sixth of the time of writing a brief.

use lopdf::{Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

/// Writes the objects of `pdf` with the trailer entries `Root` and `Info` of
/// its trailer, and an `/ID` of its own.
pub fn save(pdf: &lopdf::Document) -> Vec<u8> {
    use super::deflate;
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n");
    // Where each object is: in the file at an offset, or in the object
    // stream at an index.
    enum Place {
        File(usize),
        Packed(usize),
    }
    let mut places: Vec<(u32, Place)> = Vec::with_capacity(pdf.objects.len() + 2);
    let mut packed_offsets = Vec::new();
    let mut packed = Vec::new();
    for (&(number, _), object) in &pdf.objects {
        if let Object::Stream(stream) = object {
            places.push((number, Place::File(out.len())));
            indirect(&mut out, number, |out| {
                write_dictionary(out, &stream.dict, Some(stream.content.len()));
                out.extend_from_slice(b"\nstream\n");
                out.extend_from_slice(&stream.content);
                out.extend_from_slice(b"\nendstream");
            });
        } else {
            places.push((number, Place::Packed(packed_offsets.len())));
            packed_offsets.push((number, packed.len()));
            write_object(&mut packed, object);
            packed.push(b'\n');
        }
    }
    // The trailer's entries, written once: hashed, then in the xref stream.
    let trailer: Vec<(&[u8], Vec<u8>)> = [&b"Root"[..], b"Info"]
        .into_iter()
        .filter_map(|key| {
            let value = pdf.trailer.get(key).ok()?;
            let mut bytes = Vec::new();
            write_object(&mut bytes, value);
            Some((key, bytes))
        })
        .collect();
    // Every object is in the streams written so far or in `packed`.
    let mut hash = Sha256::new();
    hash.update(&out);
    hash.update(&packed);
    for (_, value) in &trailer {
        hash.update(value);
    }
    let id = Object::String(hash.finalize()[..16].to_vec(), StringFormat::Hexadecimal);
    let next = pdf.max_id + 1;
    let object_stream = next;
    let xref = next + 1;
    if !packed_offsets.is_empty() {
        let mut header = Vec::new();
        for (number, offset) in &packed_offsets {
            integer(&mut header, *number as i64);
            header.push(b' ');
            integer(&mut header, *offset as i64);
            header.push(b' ');
        }
        let mut content = header.clone();
        content.extend_from_slice(&packed);
        let content = deflate(&content);
        places.push((object_stream, Place::File(out.len())));
        indirect(&mut out, object_stream, |out| {
            out.extend_from_slice(b"<</Type/ObjStm/N ");
            integer(out, packed_offsets.len() as i64);
            out.extend_from_slice(b"/First ");
            integer(out, header.len() as i64);
            out.extend_from_slice(b"/Filter/FlateDecode/Length ");
            integer(out, content.len() as i64);
            out.extend_from_slice(b">>\nstream\n");
            out.extend_from_slice(&content);
            out.extend_from_slice(b"\nendstream");
        });
    }
    // The cross-reference stream: for each object number, its type (0 free,
    // 1 in the file, 2 packed), then 4 bytes of offset or object stream
    // number, then 2 of generation or index.
    let xref_offset = out.len();
    places.push((xref, Place::File(xref_offset)));
    places.sort_by_key(|(number, _)| *number);
    let size = xref + 1;
    let mut table = Vec::with_capacity(size as usize * 7);
    let mut places = places.into_iter().peekable();
    for number in 0..size {
        let entry: (u8, u32, u16) = match places.next_if(|(n, _)| *n == number) {
            Some((_, Place::File(offset))) => (1, offset as u32, 0),
            Some((_, Place::Packed(index))) => (2, object_stream, index as u16),
            None => (0, 0, if number == 0 { 65535 } else { 0 }),
        };
        table.push(entry.0);
        table.extend_from_slice(&entry.1.to_be_bytes());
        table.extend_from_slice(&entry.2.to_be_bytes());
    }
    let table = deflate(&table);
    indirect(&mut out, xref, |out| {
        out.extend_from_slice(b"<</Type/XRef/Size ");
        integer(out, size as i64);
        out.extend_from_slice(b"/W[1 4 2]");
        for (key, value) in &trailer {
            name(out, key);
            out.push(b' ');
            out.extend_from_slice(value);
        }
        out.extend_from_slice(b"/ID");
        write_object(out, &Object::Array(vec![id.clone(), id]));
        out.extend_from_slice(b"/Filter/FlateDecode/Length ");
        integer(out, table.len() as i64);
        out.extend_from_slice(b">>\nstream\n");
        out.extend_from_slice(&table);
        out.extend_from_slice(b"\nendstream");
    });
    out.extend_from_slice(b"startxref\n");
    integer(&mut out, xref_offset as i64);
    out.extend_from_slice(b"\n%%EOF\n");
    out
}

fn indirect(out: &mut Vec<u8>, number: u32, body: impl FnOnce(&mut Vec<u8>)) {
    integer(out, number as i64);
    out.extend_from_slice(b" 0 obj\n");
    body(out);
    out.extend_from_slice(b"\nendobj\n");
}

fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => integer(out, *value),
        Object::Real(value) => super::number(out, *value, 3),
        Object::Name(bytes) => name(out, bytes),
        Object::String(bytes, StringFormat::Literal) => literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for byte in bytes {
                out.extend_from_slice(&hex(*byte));
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict, None),
        Object::Reference(id) => reference(out, *id),
        // Streams are never packed: `save` writes them itself.
        Object::Stream(stream) => write_dictionary(out, &stream.dict, None),
    }
}

/// A dictionary; `length` replaces any `/Length` it has (a stream's).
fn write_dictionary(out: &mut Vec<u8>, dict: &lopdf::Dictionary, length: Option<usize>) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        if length.is_some() && key == b"Length" {
            continue;
        }
        name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    if let Some(length) = length {
        out.extend_from_slice(b"/Length ");
        integer(out, length as i64);
    }
    out.extend_from_slice(b">>");
}

fn reference(out: &mut Vec<u8>, (number, generation): ObjectId) {
    integer(out, number as i64);
    out.push(b' ');
    integer(out, generation as i64);
    out.extend_from_slice(b" R");
}

fn integer(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    super::digits(out, value.unsigned_abs());
}

/// `/Name`, with `#xx` for bytes a name cannot hold as they are.
fn name(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'/');
    for &byte in bytes {
        if byte.is_ascii_graphic() && !b"#()<>[]{}/%".contains(&byte) {
            out.push(byte);
        } else {
            out.push(b'#');
            out.extend_from_slice(&hex(byte));
        }
    }
}

/// `(text)`, with backslashes before the bytes a literal string cannot
/// hold as they are.
fn literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &byte in bytes {
        match byte {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(byte),
        }
    }
    out.push(b')');
}

pub(super) fn hex(byte: u8) -> [u8; 2] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [HEX[(byte >> 4) as usize], HEX[(byte & 15) as usize]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Stream};

    fn written(object: &Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, object);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_as_pdf_writes_them() {
        assert_eq!(written(&Object::Name(b"Type".to_vec())), "/Type");
        assert_eq!(
            written(&Object::Name(b"A B#(x)".to_vec())),
            "/A#20B#23#28x#29"
        );
        assert_eq!(
            written(&Object::string_literal("a (b) c\\d\n")),
            "(a \\(b\\) c\\\\d\\n)"
        );
        assert_eq!(
            written(&Object::String(
                vec![0xFE, 0xFF, 0, 0x41],
                StringFormat::Hexadecimal
            )),
            "<FEFF0041>"
        );
        assert_eq!(
            written(&Object::Array(vec![
                Object::Integer(-3),
                Object::Real(595.2756),
                Object::Reference((12, 0)),
                Object::Null,
                Object::Boolean(true),
            ])),
            "[-3 595.276 12 0 R null true]"
        );
        let dict = Dictionary::from_iter([("A", Object::Integer(1)), ("B", Object::Null)]);
        assert_eq!(written(&Object::Dictionary(dict)), "<</A 1/B null>>");
    }

    /// A document of a catalog, a page tree with no pages and one stream,
    /// written and read back by lopdf.
    #[test]
    fn a_file_lopdf_reads_back() {
        let mut pdf = lopdf::Document::new();
        let content = pdf.add_object(Stream::new(Dictionary::new(), b"BT ET".to_vec()));
        let pages = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(vec![])),
            ("Count", Object::Integer(0)),
            ("Extra", Object::Reference(content)),
        ]));
        let catalog = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
        ]));
        pdf.trailer.set("Root", Object::Reference(catalog));
        let bytes = save(&pdf);
        let back = lopdf::Document::load_mem(&bytes).unwrap();
        let root = back.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let pages = back
            .get_dictionary(root)
            .unwrap()
            .get(b"Pages")
            .unwrap()
            .as_reference()
            .unwrap();
        let pages = back.get_dictionary(pages).unwrap();
        assert_eq!(pages.get(b"Count").unwrap().as_i64().unwrap(), 0);
        let stream = pages.get(b"Extra").unwrap().as_reference().unwrap();
        let stream = back.get_object(stream).unwrap().as_stream().unwrap();
        assert_eq!(stream.content, b"BT ET");
        // The id: the same for the same objects, another for others.
        let id = |bytes: &[u8]| {
            let document = lopdf::Document::load_mem(bytes).unwrap();
            document.trailer.get(b"ID").unwrap().as_array().unwrap()[0]
                .as_str()
                .unwrap()
                .to_vec()
        };
        assert_eq!(id(&bytes), id(&save(&pdf)));
        assert_eq!(id(&bytes).len(), 16);
        pdf.objects.insert(
            content,
            Object::Stream(Stream::new(Dictionary::new(), b"BT ET ".to_vec())),
        );
        assert_ne!(id(&bytes), id(&save(&pdf)));
    }
}
