//! What a PDF says about itself: the Info dictionary, the same facts as XMP
//! metadata (which PDF/UA and PDF/A read, with the standards the file
//! claims), and for PDF/A the colour space its colours are meant in.

use super::*;

/// The standards a PDF is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conformance {
    /// Tagged: a structure tree in reading order, the furniture marked as
    /// such (PDF/UA-1, claimed in the metadata).
    pub tagged: bool,
    pub archive: Option<Archive>,
}

impl Default for Conformance {
    fn default() -> Conformance {
        Conformance {
            tagged: true,
            archive: None,
        }
    }
}

/// The PDF/A-2 levels (ISO 19005-2): `b` the look kept, `u` the text too
/// (every glyph maps to Unicode), `a` the structure as well (tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    A2b,
    A2u,
    A2a,
}

impl Archive {
    fn conformance(self) -> &'static str {
        match self {
            Archive::A2b => "B",
            Archive::A2u => "U",
            Archive::A2a => "A",
        }
    }
}

pub(super) fn info(metadata: &Metadata) -> Dictionary {
    let mut info = Dictionary::from_iter([
        ("Title", text_string(&metadata.title)),
        ("Subject", text_string(&metadata.subject)),
    ]);
    // No author is no `/Author`, not an empty one (PDF/A wants the XMP's
    // creator to match it, and an empty creator is none).
    if !metadata.author.is_empty() {
        info.set("Author", text_string(&metadata.author));
    }
    info.set("Keywords", text_string(&metadata.keywords.join(", ")));
    info.set("Creator", Object::string_literal("briefing"));
    info.set("Producer", Object::string_literal(PRODUCER));
    let date = pdf_date(metadata.date);
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    info
}

const PRODUCER: &str = concat!("briefing ", env!("CARGO_PKG_VERSION"));

fn pdf_date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .format("D:%Y%m%d%H%M%SZ")
        .to_string()
}

/// The XMP metadata packet: the Info dictionary's facts, the document's id
/// and the standards claimed. Written as plain UTF-8 (PDF/A reads it
/// unfiltered).
pub(super) fn xmp(metadata: &Metadata, conformance: Conformance, document_id: &str) -> Vec<u8> {
    let date = chrono::DateTime::from_timestamp(metadata.date, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut x = String::with_capacity(2048);
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str("<rdf:Description rdf:about=\"\"");
    x.push_str(" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"");
    x.push_str(" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
    x.push_str(" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"");
    x.push_str(" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"");
    if conformance.tagged {
        x.push_str(" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    }
    if conformance.archive.is_some() {
        x.push_str(" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
        if conformance.tagged {
            x.push_str(" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"");
            x.push_str(" xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"");
            x.push_str(" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"");
        }
    }
    x.push_str(">\n");
    x.push_str("<dc:format>application/pdf</dc:format>\n");
    let element = |x: &mut String, name: &str, value: &str| {
        x.push_str(&format!("<{name}>{}</{name}>\n", escape(value)));
    };
    x.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        escape(&metadata.title)
    ));
    if !metadata.subject.is_empty() {
        x.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            escape(&metadata.subject)
        ));
    }
    if !metadata.author.is_empty() {
        x.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            escape(&metadata.author)
        ));
    }
    if !metadata.language.is_empty() {
        x.push_str(&format!(
            "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
            escape(&metadata.language)
        ));
    }
    element(&mut x, "pdf:Keywords", &metadata.keywords.join(", "));
    element(&mut x, "pdf:Producer", PRODUCER);
    element(&mut x, "xmp:CreatorTool", "briefing");
    element(&mut x, "xmp:CreateDate", &date);
    element(&mut x, "xmp:ModifyDate", &date);
    element(&mut x, "xmpMM:DocumentID", document_id);
    element(&mut x, "xmpMM:InstanceID", document_id);
    if conformance.tagged {
        element(&mut x, "pdfuaid:part", "1");
    }
    if let Some(archive) = conformance.archive {
        element(&mut x, "pdfaid:part", "2");
        element(&mut x, "pdfaid:conformance", archive.conformance());
        if conformance.tagged {
            // PDF/A admits only the properties XMP itself defines and those
            // a file describes: PDF/UA's identification is described here.
            x.push_str(concat!(
                "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n",
                "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n",
                "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n",
                "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
                "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n",
                "<pdfaProperty:name>part</pdfaProperty:name>\n",
                "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n",
                "<pdfaProperty:category>internal</pdfaProperty:category>\n",
                "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n",
                "</rdf:li></rdf:Seq></pdfaSchema:property>\n",
                "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n",
            ));
        }
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x.into_bytes()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The sRGB output intent PDF/A asks for: the colours of the file (all
/// `DeviceRGB` and `DeviceGray`) are meant on an sRGB screen.
pub(super) fn add_output_intent(pdf: &mut lopdf::Document) -> ObjectId {
    const SRGB: &[u8] = include_bytes!("icc/sRGB-v2-magic.icc");
    let profile = pdf.add_object(Stream::new(
        Dictionary::from_iter([
            ("N", Object::Integer(3)),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]),
        deflate(SRGB),
    ));
    let name = Object::string_literal("sRGB IEC61966-2.1");
    pdf.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", name.clone()),
        ("Info", name),
        ("DestOutputProfile", Object::Reference(profile)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metadata_says_what_the_info_says_and_the_standards() {
        let metadata = Metadata {
            title: "Visit <Paris> & more".into(),
            subject: String::new(),
            author: String::new(),
            keywords: vec!["a".into(), "b".into()],
            language: "fr".into(),
            date: 86_400,
        };
        let conformance = Conformance {
            tagged: true,
            archive: Some(Archive::A2b),
        };
        let xmp = String::from_utf8(xmp(&metadata, conformance, "uuid:1")).unwrap();
        for expected in [
            "<rdf:li xml:lang=\"x-default\">Visit &lt;Paris&gt; &amp; more</rdf:li>",
            "<pdf:Keywords>a, b</pdf:Keywords>",
            "<xmp:CreateDate>1970-01-02T00:00:00Z</xmp:CreateDate>",
            "<pdfuaid:part>1</pdfuaid:part>",
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>B</pdfaid:conformance>",
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
        ] {
            assert!(xmp.contains(expected), "{expected} not in {xmp}");
        }
        assert!(!xmp.contains("dc:creator"), "{xmp}");
        assert!(!info(&metadata).has(b"Author"));
        let untagged = Conformance {
            tagged: false,
            archive: None,
        };
        let xmp = String::from_utf8(super::xmp(&metadata, untagged, "uuid:1")).unwrap();
        assert!(!xmp.contains("pdfuaid") && !xmp.contains("pdfaid"), "{xmp}");
    }
}
