//! The standards a PDF briefing is written to: tagged PDF/UA-1 by default,
//! untagged on request, PDF/A-2b, -2u and -2a from the command line or the
//! theme. Each is read back with a PDF library for what a checker reads:
//! the catalog, the XMP metadata, the output intent, the parent tree.

use std::path::Path;

use lopdf::{Dictionary, Document, Object};

use crate::support::{briefing_in, copy_examples};

/// Renders the German example into `out` with `args`; returns the PDF read
/// back and its bytes.
fn render(dir: &Path, out: &str, args: &[&str]) -> (Document, Vec<u8>) {
    let mut all = vec!["render", "briefs/moskau-2025.yaml", "-o", out];
    all.extend_from_slice(args);
    let run = briefing_in(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(dir.join(out).join("moskau-2025.pdf")).unwrap();
    (Document::load_mem(&bytes).unwrap(), bytes)
}

fn examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path(), &["moskau-2025.yaml"]);
    dir
}

/// The XMP packet, as written: plain UTF-8, no filter.
fn xmp(document: &Document) -> String {
    let id = document
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = document.get_object(id).unwrap().as_stream().unwrap();
    assert!(stream.dict.get(b"Filter").is_err(), "the XMP is filtered");
    assert_eq!(
        stream.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"XML"
    );
    String::from_utf8(stream.content.clone()).unwrap()
}

fn dictionary<'d>(document: &'d Document, object: &'d Object) -> &'d Dictionary {
    match object {
        Object::Reference(id) => document.get_dictionary(*id).unwrap(),
        other => other.as_dict().unwrap(),
    }
}

#[test]
fn a_briefing_is_tagged_pdf_ua_by_default() {
    let dir = examples();
    let (document, _) = render(dir.path(), "out", &[]);
    let catalog = document.catalog().unwrap();
    let mark_info = dictionary(&document, catalog.get(b"MarkInfo").unwrap());
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"de");
    assert!(catalog.get(b"OutputIntents").is_err());
    let xmp = xmp(&document);
    for expected in [
        "<rdf:li xml:lang=\"x-default\">Arbeitsbesuch in Moskau</rdf:li>",
        "<pdf:Producer>briefing ",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:language><rdf:Bag><rdf:li>de</rdf:li></rdf:Bag></dc:language>",
    ] {
        assert!(xmp.contains(expected), "{expected} not in\n{xmp}");
    }
    assert!(!xmp.contains("pdfaid:"), "{xmp}");

    // Every page's marked content and every link lead back, through the
    // parent tree, to an element of the tree: a link to a `Link`.
    let root = dictionary(&document, catalog.get(b"StructTreeRoot").unwrap());
    let parent_tree = dictionary(&document, root.get(b"ParentTree").unwrap());
    let nums = parent_tree.get(b"Nums").unwrap().as_array().unwrap();
    let parent = |key: i64| {
        let at = nums
            .chunks(2)
            .position(|pair| pair[0].as_i64().unwrap() == key)
            .unwrap_or_else(|| panic!("no key {key} in the parent tree"));
        nums[at * 2 + 1].clone()
    };
    let mut links = 0;
    for page in document.get_pages().values() {
        let page = document.get_dictionary(*page).unwrap();
        let key = page.get(b"StructParents").unwrap().as_i64().unwrap();
        let Object::Reference(array) = parent(key) else {
            panic!("a page's parents are an array of its own");
        };
        assert!(!document
            .get_object(array)
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty());
        for annotation in page
            .get(b"Annots")
            .map_or(&vec![], |a| a.as_array().unwrap())
        {
            let Object::Reference(_) = annotation else {
                panic!("an annotation is an object of its own, for the tree to point to");
            };
            let annotation = dictionary(&document, annotation);
            let key = annotation.get(b"StructParent").unwrap().as_i64().unwrap();
            let element = dictionary(&document, &parent(key)).clone();
            assert_eq!(element.get(b"S").unwrap().as_name().unwrap(), b"Link");
            links += 1;
        }
    }
    // The meeting on the page at a glance, the contents' 11, and the
    // programme's row of the meeting (its title on two lines: one link, two
    // annotations).
    assert_eq!(links, 14);
    if let Some(mut pdfinfo) = crate::support::tool("pdfinfo") {
        let output = pdfinfo
            .arg(dir.path().join("out/moskau-2025.pdf"))
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&output.stdout);
        assert!(info.contains("Tagged:          yes"), "{info}");
    }
}

#[test]
fn untagged_on_request_claims_no_accessibility() {
    let dir = examples();
    let (document, bytes) = render(dir.path(), "untagged", &["--no-pdf-tags"]);
    let catalog = document.catalog().unwrap();
    assert!(catalog.get(b"StructTreeRoot").is_err());
    assert!(catalog.get(b"MarkInfo").is_err());
    assert!(!xmp(&document).contains("pdfuaid"));
    let (_, tagged) = render(dir.path(), "tagged", &[]);
    assert!(bytes.len() < tagged.len());
}

#[test]
fn pdf_a_2b_has_an_srgb_output_intent_and_says_so_in_its_metadata() {
    let dir = examples();
    let (document, bytes) = render(dir.path(), "a2b", &["--pdf-standard", "a-2b"]);
    let catalog = document.catalog().unwrap();
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = dictionary(&document, &intents[0]);
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    assert_eq!(
        intent
            .get(b"OutputConditionIdentifier")
            .unwrap()
            .as_str()
            .unwrap(),
        b"sRGB IEC61966-2.1"
    );
    let profile = document
        .get_object(
            intent
                .get(b"DestOutputProfile")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let icc = profile.decompressed_content().unwrap();
    // An ICC v2 display profile of RGB: what a PDF 1.5 file may carry.
    assert_eq!(icc[8], 2);
    assert_eq!(&icc[12..20], b"mntrRGB ");
    let xmp = xmp(&document);
    for expected in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        // Tagged still, and PDF/UA's identification described for PDF/A.
        "<pdfuaid:part>1</pdfuaid:part>",
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
        "<xmpMM:DocumentID>uuid:",
    ] {
        assert!(xmp.contains(expected), "{expected} not in\n{xmp}");
    }
    // The Info dictionary says what the XMP says, and no empty author.
    let info = dictionary(&document, document.trailer.get(b"Info").unwrap());
    assert_eq!(
        lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap(),
        "Arbeitsbesuch in Moskau"
    );
    assert!(info.get(b"Author").is_err() || xmp.contains("<dc:creator>"));
    // The same bytes again.
    let (_, again) = render(dir.path(), "a2b-again", &["--pdf-standard", "a-2b"]);
    assert_eq!(bytes, again);
}

#[test]
fn the_theme_can_ask_for_pdf_a_for_a_whole_office() {
    let dir = examples();
    let run = briefing_in(dir.path(), &["templates", "export", "office"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let theme = dir.path().join("office/theme.yaml");
    let text = std::fs::read_to_string(&theme).unwrap();
    std::fs::write(
        &theme,
        text.replace("  # standard: a-2b", "  standard: a-2u"),
    )
    .unwrap();
    let (document, _) = render(dir.path(), "u", &["--templates", "office"]);
    assert!(xmp(&document).contains("<pdfaid:conformance>U</pdfaid:conformance>"));
    // The command line has the last word.
    let (document, _) = render(
        dir.path(),
        "ua",
        &["--templates", "office", "--pdf-standard", "ua-1"],
    );
    assert!(!xmp(&document).contains("pdfaid"));
    assert!(document.catalog().unwrap().get(b"OutputIntents").is_err());
}

#[test]
fn pdf_a_2a_is_tagged_or_not_written() {
    let dir = examples();
    let run = briefing_in(
        dir.path(),
        &[
            "render",
            "briefs/moskau-2025.yaml",
            "--pdf-standard",
            "a-2a",
            "--no-pdf-tags",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: --pdf-standard a-2a is a tagged PDF: it cannot be written with --no-pdf-tags (a-2b and a-2u can)\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
    let (document, _) = render(dir.path(), "a2a", &["--pdf-standard", "a-2a"]);
    assert!(document.catalog().unwrap().get(b"StructTreeRoot").is_ok());
    assert!(xmp(&document).contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    // An untagged PDF/A-2b is a PDF/A-2b all the same.
    let (document, _) = render(
        dir.path(),
        "a2b-untagged",
        &["--pdf-standard", "a-2b", "--no-pdf-tags"],
    );
    let xmp = xmp(&document);
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>") && !xmp.contains("pdfuaid"));
}

#[test]
fn a_photo_pdf_a_cannot_carry_as_it_is_is_converted() {
    // A 16-bit RGB photo with transparency: written as 8 bits with an
    // 8-bit soft mask, what every PDF/A-2 reader draws.
    let dir = tempfile::tempdir().unwrap();
    let photo: image::ImageBuffer<image::Rgba<u16>, Vec<u16>> =
        image::ImageBuffer::from_fn(40, 30, |x, y| {
            image::Rgba([
                x as u16 * 1500,
                y as u16 * 2000,
                30000,
                if x < 20 { 65535 } else { 20000 },
            ])
        });
    photo.save(dir.path().join("deep.png")).unwrap();
    std::fs::write(
        dir.path().join("v.yaml"),
        "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ncounterparts:\n  - name: Ada Lovelace\n    photo: deep.png\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "v.yaml", "--pdf-standard", "a-2b"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document = Document::load(dir.path().join("out/v.pdf")).unwrap();
    let mut images = 0;
    for object in document.objects.values() {
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
            continue;
        }
        images += 1;
        assert_eq!(
            stream
                .dict
                .get(b"BitsPerComponent")
                .unwrap()
                .as_i64()
                .unwrap(),
            8
        );
    }
    // The photo and its mask.
    assert_eq!(images, 2);
}
