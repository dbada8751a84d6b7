//! The objects of a document to the bytes of a PDF file (PDF 1.5): streams
//! as they are, every other object packed into compressed object streams of
//! bounded size, and a cross-reference stream whose fields are as wide as
//! this file needs and whose `/ID` is a hash of all the objects, so that the
//! same document has the same id on every machine and another document
//! another. lopdf's own writer serialises each packed object twice and
//! clones it once; this one writes each once, and was a sixth of the time
//! of writing a brief.

use std::io::{self, Seek, SeekFrom, Write};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

/// At most this many objects go into one object stream. A reader that
/// wants one object inflates and parses its whole stream, so a viewer
/// jumping to page 1,500 of a pack should not have to read every object
/// before it; and with one stream for everything, the index of an object in
/// its stream outgrew the cross-reference field it was written to (65,535)
/// and poppler could not open packs of some 2,000 briefs. A briefing has a
/// few dozen packed objects: it stays one stream.
const MAX_OBJECTS_PER_STREAM: usize = 1000;
/// ...and an object stream is closed once its objects take this many bytes
/// (before compression), for the same reason: one large object (an outline
/// of thousands of entries, a font's widths) does not make the next
/// thousand costly to reach.
const MAX_BYTES_PER_STREAM: usize = 256 * 1024;

/// The objects packed so far into the object stream being filled.
#[derive(Default)]
struct Chunk {
    /// Each object's number and offset in `objects`.
    offsets: Vec<(u32, usize)>,
    objects: Vec<u8>,
}

impl Chunk {
    fn is_full(&self) -> bool {
        self.offsets.len() >= MAX_OBJECTS_PER_STREAM || self.objects.len() >= MAX_BYTES_PER_STREAM
    }
}

/// The widths of the cross-reference stream's fields that every file gets
/// at least: a type, an offset of 4 bytes (files up to 4 GiB), an index of
/// 2. These are what this writer always wrote, so that a file that needs no
/// more is the same, byte for byte, as before; a field only grows, and only
/// when a value of this file does not fit it.
const MIN_XREF_WIDTHS: [usize; 3] = [1, 4, 2];

/// Stands in a stream for the file's id, as 32 hexadecimal digits: the
/// writer fills it in once the id, a hash of everything else, is known (the
/// XMP metadata's document id is the trailer's `/ID`).
pub const ID_PLACEHOLDER: &[u8; 32] = b"@@briefing-document-id-to-come@@";

/// Objects written as PDF already, each numbered and packed like the
/// others: a structure tree of a pack has hundreds of thousands of small
/// elements, and as `lopdf` dictionaries they took more memory than all the
/// pages.
#[derive(Default)]
pub struct Written {
    bytes: Vec<u8>,
    /// Each object's number and where its bytes end, in the order added.
    ends: Vec<(u32, usize)>,
}

impl Written {
    /// Adds object `number` (a number not added before, in any order),
    /// written by `write`.
    pub fn add(&mut self, number: u32, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.bytes);
        self.ends.push((number, self.bytes.len()));
    }

    /// The objects, in the order of their numbers: number and bytes.
    pub(super) fn objects(&self) -> Vec<(u32, &[u8])> {
        let mut start = 0;
        let mut objects: Vec<(u32, &[u8])> = self
            .ends
            .iter()
            .map(|&(number, end)| {
                let bytes = &self.bytes[start..end];
                start = end;
                (number, bytes)
            })
            .collect();
        objects.sort_unstable_by_key(|&(number, _)| number);
        objects
    }
}

/// A sink that counts and hashes what goes through it: an object's place
/// is where the file stands, and the id a hash of every object.
struct Counted<W> {
    inner: W,
    at: u64,
    hash: Sha256,
}

impl<W: Write> Counted<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_all(bytes)?;
        self.hash.update(bytes);
        self.at += bytes.len() as u64;
        Ok(())
    }
}

/// Packed objects of consecutive numbers at consecutive indices of one
/// object stream: a pack has millions of objects, and one entry each (24
/// bytes) for the cross-reference stream was more than its pages.
struct PackedRun {
    first: u32,
    len: u32,
    stream: u32,
    index: u32,
}

/// A PDF file written as its objects come, streams in the order of their
/// numbers first, then every other object packed, in the order of its
/// number, into object streams of bounded size; then the cross-reference
/// stream. Nothing of the file is kept but where each object went: a pack
/// streams its pages to the file as they are drawn.
pub struct FileWriter<W: Write + Seek> {
    out: Counted<W>,
    /// The number of the first object stream: the document's own objects
    /// come before it.
    first_object_stream: u32,
    /// The objects written in the file, with their offsets, by number.
    in_file: Vec<(u32, u64)>,
    packed: Vec<PackedRun>,
    chunk: Chunk,
    /// How many object streams were closed.
    object_streams: u32,
    /// Object streams closed while streams were still to come (which go
    /// first): their numbers and bytes, written after the last stream.
    held: Vec<(u32, Vec<u8>)>,
    streams_done: bool,
    id_placeholders: Vec<u64>,
}

impl<W: Write + Seek> FileWriter<W> {
    /// Starts the file of a document whose objects are numbered below
    /// `first_object_stream`.
    pub fn new(sink: W, first_object_stream: u32) -> io::Result<FileWriter<W>> {
        let mut out = Counted {
            inner: sink,
            at: 0,
            hash: Sha256::new(),
        };
        out.put(b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(FileWriter {
            out,
            first_object_stream,
            in_file: Vec::new(),
            packed: Vec::new(),
            chunk: Chunk::default(),
            object_streams: 0,
            held: Vec::new(),
            streams_done: false,
            id_placeholders: Vec::new(),
        })
    }

    /// Writes stream `number` (numbers rising from one stream to the next)
    /// with its dictionary and its content as it is.
    pub fn stream(&mut self, number: u32, dict: &Dictionary, content: &[u8]) -> io::Result<()> {
        debug_assert!(!self.streams_done, "streams come before the packed objects");
        self.in_file.push((number, self.out.at));
        let mut head = Vec::with_capacity(128);
        integer(&mut head, number as i64);
        head.extend_from_slice(b" 0 obj\n");
        write_dictionary(&mut head, dict, Some(content.len()));
        head.extend_from_slice(b"\nstream\n");
        self.out.put(&head)?;
        // Only the XMP metadata, unfiltered, holds the placeholder.
        if dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"XML") {
            let start = self.out.at;
            self.id_placeholders.extend(
                content
                    .windows(ID_PLACEHOLDER.len())
                    .enumerate()
                    .filter(|(_, w)| w == ID_PLACEHOLDER)
                    .map(|(i, _)| start + i as u64),
            );
        }
        self.out.put(content)?;
        self.out.put(b"\nendstream\nendobj\n")
    }

    /// Packs object `number` (numbers rising from one packed object to the
    /// next), written by `write`, into the object stream being filled, or
    /// a new one when that is full.
    pub fn packed(&mut self, number: u32, write: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        if self.chunk.is_full() {
            self.close_chunk()?;
        }
        let stream = self.first_object_stream + self.object_streams;
        let index = self.chunk.offsets.len() as u32;
        match self.packed.last_mut() {
            Some(run)
                if run.first + run.len == number
                    && run.stream == stream
                    && run.index + run.len == index =>
            {
                run.len += 1
            }
            _ => self.packed.push(PackedRun {
                first: number,
                len: 1,
                stream,
                index,
            }),
        }
        self.chunk.offsets.push((number, self.chunk.objects.len()));
        write(&mut self.chunk.objects);
        self.chunk.objects.push(b'\n');
        Ok(())
    }

    /// Says that every stream is written: object streams go to the file
    /// from now on, as they fill.
    pub fn end_of_streams(&mut self) -> io::Result<()> {
        self.streams_done = true;
        for (number, bytes) in std::mem::take(&mut self.held) {
            self.in_file.push((number, self.out.at));
            self.out.put(&bytes)?;
        }
        Ok(())
    }

    /// Deflates the object stream being filled, and writes it, or holds it
    /// until the last stream is written.
    fn close_chunk(&mut self) -> io::Result<()> {
        let chunk = std::mem::take(&mut self.chunk);
        if chunk.offsets.is_empty() {
            return Ok(());
        }
        let number = self.first_object_stream + self.object_streams;
        self.object_streams += 1;
        let mut bytes = Vec::new();
        write_object_stream(&mut bytes, number, &chunk);
        if self.streams_done {
            self.in_file.push((number, self.out.at));
            self.out.put(&bytes)
        } else {
            self.held.push((number, bytes));
            Ok(())
        }
    }

    /// Ends the file: the last object stream, the id (a hash of every
    /// object written, in the order of their numbers, and of `trailer`'s
    /// `Root` and `Info`) filled in where the metadata holds its
    /// placeholder, and the cross-reference stream. Returns the sink.
    pub fn finish(mut self, trailer: &Dictionary) -> io::Result<W> {
        self.end_of_streams()?;
        self.close_chunk()?;
        // The trailer's entries, written once: hashed, then in the xref stream.
        let trailer: Vec<(&[u8], Vec<u8>)> = [&b"Root"[..], b"Info"]
            .into_iter()
            .filter_map(|key| {
                let value = trailer.get(key).ok()?;
                let mut bytes = Vec::new();
                write_object(&mut bytes, value);
                Some((key, bytes))
            })
            .collect();
        // Every object is in the file written so far, in the order of their
        // numbers (the packed ones compressed: hashing them as they are took
        // as long as compressing them): the same bytes for the same objects.
        let Counted {
            inner: mut out,
            at: xref_offset,
            mut hash,
        } = self.out;
        for (_, value) in &trailer {
            hash.update(value);
        }
        let digest = hash.finalize();
        if !self.id_placeholders.is_empty() {
            let mut id = [0u8; 32];
            for (i, byte) in digest[..16].iter().enumerate() {
                id[2 * i..2 * i + 2].copy_from_slice(&hex(*byte));
            }
            for &at in &self.id_placeholders {
                out.seek(SeekFrom::Start(at))?;
                out.write_all(&id)?;
            }
            out.seek(SeekFrom::Start(xref_offset))?;
        }
        let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
        let xref = self.first_object_stream + self.object_streams;
        self.in_file.push((xref, xref_offset));
        // The cross-reference stream: for each object number, its type (0 free,
        // 1 in the file, 2 packed), then its offset or object stream number,
        // then its generation or index, each field as wide as its widest value
        // needs (and at least `MIN_XREF_WIDTHS`). Fixed widths of 4 and 2
        // bytes, the index written `as u16`, wrapped past 65,535 objects.
        let size = xref + 1;
        let places = Places {
            in_file: &self.in_file,
            packed: &self.packed,
        };
        let widths = places.widths(size);
        let mut table = Vec::with_capacity(size as usize * widths.iter().sum::<usize>());
        places.each(size, |entry| {
            for (value, width) in entry.iter().zip(widths) {
                table.extend_from_slice(&value.to_be_bytes()[8 - width..]);
            }
        });
        let table = super::deflate(&table);
        let mut tail = Vec::with_capacity(table.len() + 512);
        indirect(&mut tail, xref, |out| {
            out.extend_from_slice(b"<</Type/XRef/Size ");
            integer(out, size as i64);
            out.extend_from_slice(b"/W[");
            for (i, width) in widths.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                integer(out, *width as i64);
            }
            out.push(b']');
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
        tail.extend_from_slice(b"startxref\n");
        integer(&mut tail, xref_offset as i64);
        tail.extend_from_slice(b"\n%%EOF\n");
        out.write_all(&tail)?;
        out.flush()?;
        Ok(out)
    }
}

/// Where each object of a file went, as cross-reference entries.
struct Places<'a> {
    /// By number.
    in_file: &'a [(u32, u64)],
    /// By number.
    packed: &'a [PackedRun],
}

impl Places<'_> {
    /// Calls `entry` with the entry of each object number below `size`, in
    /// order: type, offset or object stream, generation or index.
    fn each(&self, size: u32, mut entry: impl FnMut([u64; 3])) {
        let mut in_file = self.in_file.iter().peekable();
        let mut runs = self.packed.iter().peekable();
        for number in 0..size {
            while runs.next_if(|run| run.first + run.len <= number).is_some() {}
            if let Some(&&(_, offset)) = in_file.peek().filter(|(n, _)| *n == number) {
                in_file.next();
                entry([1, offset, 0]);
            } else if let Some(run) = runs.peek().filter(|run| run.first <= number) {
                let index = run.index + (number - run.first);
                entry([2, run.stream.into(), index.into()]);
            } else {
                // The head of the list of free objects, as in every PDF.
                entry([0, 0, if number == 0 { 65535 } else { 0 }]);
            }
        }
    }

    fn widths(&self, size: u32) -> [usize; 3] {
        let mut widest = [0u64; 3];
        self.each(size, |entry| {
            for (w, value) in widest.iter_mut().zip(entry) {
                *w = (*w).max(value);
            }
        });
        field_widths(&[widest])
    }
}

/// Writes the objects of `pdf` and those `written` already with the trailer
/// entries `Root` and `Info` of its trailer, and an `/ID` of its own.
#[cfg(test)]
pub fn save(pdf: &lopdf::Document, written: &Written) -> Vec<u8> {
    let sink = std::io::Cursor::new(Vec::with_capacity(64 * 1024));
    let in_memory = "writing to memory does not fail";
    let mut file = FileWriter::new(sink, pdf.max_id + 1).expect(in_memory);
    let mut written = written.objects().into_iter().peekable();
    for (&(number, _), object) in &pdf.objects {
        while let Some((packed, bytes)) = written.next_if(|(n, _)| *n < number) {
            file.packed(packed, |out| out.extend_from_slice(bytes))
                .expect(in_memory);
        }
        match object {
            Object::Stream(stream) => file.stream(number, &stream.dict, &stream.content),
            object => file.packed(number, |out| write_object(out, object)),
        }
        .expect(in_memory);
    }
    for (packed, bytes) in written {
        file.packed(packed, |out| out.extend_from_slice(bytes))
            .expect(in_memory);
    }
    file.finish(&pdf.trailer).expect(in_memory).into_inner()
}

/// The object stream `number` of the objects in `chunk`: a header of each
/// one's number and offset, then the objects, deflated.
fn write_object_stream(out: &mut Vec<u8>, number: u32, chunk: &Chunk) {
    let mut content = Vec::with_capacity(chunk.offsets.len() * 12 + chunk.objects.len());
    for (number, offset) in &chunk.offsets {
        integer(&mut content, *number as i64);
        content.push(b' ');
        integer(&mut content, *offset as i64);
        content.push(b' ');
    }
    let first = content.len();
    content.extend_from_slice(&chunk.objects);
    let content = super::deflate(&content);
    indirect(out, number, |out| {
        out.extend_from_slice(b"<</Type/ObjStm/N ");
        integer(out, chunk.offsets.len() as i64);
        out.extend_from_slice(b"/First ");
        integer(out, first as i64);
        out.extend_from_slice(b"/Filter/FlateDecode/Length ");
        integer(out, content.len() as i64);
        out.extend_from_slice(b">>\nstream\n");
        out.extend_from_slice(&content);
        out.extend_from_slice(b"\nendstream");
    });
}

/// How many bytes each field of the cross-reference `entries` takes.
fn field_widths(entries: &[[u64; 3]]) -> [usize; 3] {
    std::array::from_fn(|field| {
        let widest = entries.iter().map(|e| e[field]).max().unwrap_or(0);
        bytes_for(widest).max(MIN_XREF_WIDTHS[field])
    })
}

/// How many bytes a cross-reference field needs to hold `max` (at least one).
fn bytes_for(max: u64) -> usize {
    (8 - max.leading_zeros() as usize / 8).max(1)
}

fn indirect(out: &mut Vec<u8>, number: u32, body: impl FnOnce(&mut Vec<u8>)) {
    integer(out, number as i64);
    out.extend_from_slice(b" 0 obj\n");
    body(out);
    out.extend_from_slice(b"\nendobj\n");
}

pub(super) fn write_object(out: &mut Vec<u8>, object: &Object) {
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
pub(super) fn write_dictionary(out: &mut Vec<u8>, dict: &lopdf::Dictionary, length: Option<usize>) {
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

pub(super) fn reference(out: &mut Vec<u8>, (number, generation): ObjectId) {
    integer(out, number as i64);
    out.push(b' ');
    integer(out, generation as i64);
    out.extend_from_slice(b" R");
}

pub(super) fn integer(out: &mut Vec<u8>, value: i64) {
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
        let bytes = save(&pdf, &Written::default());
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
        assert_eq!(id(&bytes), id(&save(&pdf, &Written::default())));
        assert_eq!(id(&bytes).len(), 16);
        // The widths this writer always wrote.
        assert_eq!(xref_widths(&bytes), [1, 4, 2]);
        pdf.objects.insert(
            content,
            Object::Stream(Stream::new(Dictionary::new(), b"BT ET ".to_vec())),
        );
        assert_ne!(id(&bytes), id(&save(&pdf, &Written::default())));
    }

    #[test]
    fn cross_reference_fields_are_as_wide_as_the_file_needs() {
        assert_eq!(bytes_for(0), 1);
        assert_eq!(bytes_for(255), 1);
        assert_eq!(bytes_for(256), 2);
        assert_eq!(bytes_for(65_535), 2);
        assert_eq!(bytes_for(65_536), 3);
        assert_eq!(bytes_for(u32::MAX as u64 + 1), 5);
        // Never narrower than before; wider when a value needs it: an
        // offset past 4 GiB, an index past 65,535.
        assert_eq!(field_widths(&[[0, 0, 65535], [1, 17, 0]]), [1, 4, 2]);
        assert_eq!(field_widths(&[[1, 5 << 30, 0]]), [1, 5, 2]);
        assert_eq!(field_widths(&[[2, 7, 70_000]]), [1, 4, 3]);
    }

    /// The `/W` of the cross-reference stream of a file we wrote.
    fn xref_widths(bytes: &[u8]) -> Vec<usize> {
        let text = String::from_utf8_lossy(bytes);
        let xref = text.rfind("/Type/XRef").unwrap();
        let widths = &text[xref..];
        let widths = &widths[widths.find("/W[").unwrap() + 3..];
        widths[..widths.find(']').unwrap()]
            .split(' ')
            .map(|w| w.parse().unwrap())
            .collect()
    }

    /// An external reader, or `None` when it is not installed here (CI
    /// installs it, and there its absence fails the test, as in
    /// `tests/cli/tools.rs`).
    fn tool(name: &str) -> Option<std::process::Command> {
        let found = std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok();
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install {name} (.ci/run)"
            );
            eprintln!("{name} is not installed: skipping it (CI installs it)");
        }
        found.then(|| std::process::Command::new(name))
    }

    /// A document of more than 65,535 packed objects (a pack of some 2,000
    /// briefs has as many) whose catalog, page tree, page and font come
    /// after the 65,536th: with one object stream for all, their index in
    /// it wrapped in the cross-reference stream, and poppler could not open
    /// the file (qpdf and lopdf could). Read back by lopdf, `qpdf --check`,
    /// `pdfinfo` and `pdftotext`.
    #[test]
    fn a_file_of_more_than_65535_objects_reads_back_everywhere() {
        let mut pdf = lopdf::Document::new();
        // Outline-like entries that nothing refers to, before what matters.
        for i in 0..70_000 {
            pdf.add_object(Dictionary::from_iter([
                ("Title", Object::string_literal(format!("Entry {i}"))),
                ("Count", Object::Integer(0)),
            ]));
        }
        let font = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type1".to_vec())),
            ("BaseFont", Object::Name(b"Helvetica".to_vec())),
            ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
        ]));
        let content = pdf.add_object(Stream::new(
            Dictionary::new(),
            b"BT /F1 12 Tf 72 720 Td (Found beyond the wrap) Tj ET".to_vec(),
        ));
        let pages_id = pdf.new_object_id();
        let page = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            (
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
            ),
            ("Contents", Object::Reference(content)),
            (
                "Resources",
                Object::Dictionary(Dictionary::from_iter([(
                    "Font",
                    Object::Dictionary(Dictionary::from_iter([("F1", Object::Reference(font))])),
                )])),
            ),
        ]));
        pdf.objects.insert(
            pages_id,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(vec![Object::Reference(page)])),
                ("Count", Object::Integer(1)),
            ])),
        );
        let catalog = pdf.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages_id)),
        ]));
        pdf.trailer.set("Root", Object::Reference(catalog));
        let bytes = save(&pdf, &Written::default());

        // Bounded object streams, and fields wide enough for this file.
        let object_streams = bytes.windows(12).filter(|w| w == b"/Type/ObjStm").count();
        assert_eq!(
            object_streams,
            70_000_usize.div_ceil(MAX_OBJECTS_PER_STREAM) + 1
        );
        assert_eq!(xref_widths(&bytes), [1, 4, 2]);
        let back = lopdf::Document::load_mem(&bytes).unwrap();
        let root = back.trailer.get(b"Root").unwrap().as_reference().unwrap();
        assert_eq!(root, catalog);
        let pages = back.get_pages();
        assert_eq!(pages.len(), 1);
        assert_eq!(
            back.extract_text(&[1]).unwrap().trim(),
            "Found beyond the wrap"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.pdf");
        std::fs::write(&path, &bytes).unwrap();
        if let Some(mut qpdf) = tool("qpdf") {
            let check = qpdf.arg("--check").arg(&path).output().unwrap();
            let said = String::from_utf8_lossy(&check.stdout);
            assert!(check.status.success(), "{said}");
            assert!(
                said.contains("No syntax or stream encoding errors"),
                "{said}"
            );
        }
        if let Some(mut pdfinfo) = tool("pdfinfo") {
            let info = pdfinfo.arg(&path).output().unwrap();
            assert!(
                info.status.success(),
                "{}",
                String::from_utf8_lossy(&info.stderr)
            );
            let said = String::from_utf8_lossy(&info.stdout);
            assert!(
                said.lines()
                    .any(|l| l.split_whitespace().eq(["Pages:", "1"])),
                "{said}"
            );
        }
        if let Some(mut pdftotext) = tool("pdftotext") {
            let text = pdftotext.arg(&path).arg("-").output().unwrap();
            assert!(
                text.status.success(),
                "{}",
                String::from_utf8_lossy(&text.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&text.stdout).trim(),
                "Found beyond the wrap"
            );
        }
    }
}
