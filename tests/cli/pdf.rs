//! The PDF briefing, read back with a PDF library: its text, contents,
//! outline, page furniture and bytes.

use std::path::{Path, PathBuf};

use crate::generate::large_brief;
use crate::support::{briefing_in, files_in};

/// Renders `brief` (YAML text) as `name.yaml` in a fresh folder; returns the
/// folder and the PDF's path.
fn render(name: &str, brief: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_photos(dir.path());
    std::fs::write(dir.path().join(format!("{name}.yaml")), brief).unwrap();
    let run = briefing_in(dir.path(), &["render", &format!("{name}.yaml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = dir.path().join(format!("out/{name}.pdf"));
    (dir, pdf)
}

/// The example briefs' photos, beside a brief copied into `dir`.
fn copy_photos(dir: &Path) {
    let photos = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/photos");
    std::fs::create_dir_all(dir.join("photos")).unwrap();
    for name in files_in(&photos) {
        std::fs::copy(photos.join(&name), dir.join("photos").join(&name)).unwrap();
    }
}

fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("briefs")
            .join(name),
    )
    .unwrap()
}

use crate::support::page_texts as pages;

/// A page's lines, trimmed, with the wide space after heading numbers read
/// as a space.
fn lines(page: &str) -> Vec<String> {
    page.lines()
        .map(|l| l.trim().replace('\u{2002}', " "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// All pages as one text, hyphenated line ends joined.
fn running_text(pages: &[String]) -> String {
    let lines: Vec<String> = pages.iter().flat_map(|p| lines(p)).collect();
    lines.join("\n").replace("-\n", "").replace('\n', " ")
}

/// Each outline entry: its title, depth and the page (0-based) it jumps to.
fn outline(pdf: &Path) -> Vec<(String, usize, usize)> {
    let document = lopdf::Document::load(pdf).unwrap();
    let pages: Vec<lopdf::ObjectId> = document.get_pages().values().copied().collect();
    let catalog = document.catalog().unwrap();
    let root = document
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut entries = Vec::new();
    fn walk(
        document: &lopdf::Document,
        pages: &[lopdf::ObjectId],
        first: Option<&lopdf::Object>,
        depth: usize,
        entries: &mut Vec<(String, usize, usize)>,
    ) {
        let mut next = first.and_then(|o| o.as_reference().ok());
        while let Some(id) = next {
            let item = document.get_dictionary(id).unwrap();
            let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
            let dest = item.get(b"Dest").unwrap().as_array().unwrap();
            let page = pages
                .iter()
                .position(|p| *p == dest[0].as_reference().unwrap())
                .unwrap();
            assert_eq!(
                dest[1].as_name().unwrap(),
                b"XYZ",
                "an exact destination, not just a page"
            );
            entries.push((title, depth, page));
            walk(document, pages, item.get(b"First").ok(), depth + 1, entries);
            next = item.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    walk(&document, &pages, root.get(b"First").ok(), 0, &mut entries);
    entries
}

#[test]
fn german_example_has_every_fact_of_the_brief() {
    let (_dir, pdf) = render("moskau", &example("moskau-2025.yaml"));
    let text = running_text(&pages(&pdf));
    for fact in [
        "Arbeitsbesuch in Moskau",
        "13. Internationales Treffen hochrangiger Sicherheitsbeamter",
        "Sicherheitsrat der Russischen Föderation",
        "27.–29. Mai 2025",
        "Europe/Moscow",
        "Abdellatif Hammouchi",
        "Generaldirektor für nationale Sicherheit und Territorialüberwachung",
        "Wladimir Putin",
        "Für eine kollektive und unteilbare Sicherheit",
        "Win-Win-Prinzip",
        "Dienstag, 27. Mai 2025",
        "Föderaler Sicherheitsdienst der Russischen Föderation (FSB)",
        "OVKS",
        "Shanghai Cooperation Organisation",
    ] {
        assert!(text.contains(fact), "the PDF lacks {fact:?}");
    }
}

#[test]
fn every_page_has_its_marking_and_page_of_pages() {
    let (_dir, pdf) = render("genf", &large_brief(40, 120, 6));
    let pages = pages(&pdf);
    assert!(pages.len() > 5, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let lines = lines(page);
        let markings = lines
            .iter()
            .filter(|l| *l == "VS – NUR FÜR DEN DIENSTGEBRAUCH")
            .count();
        assert_eq!(
            markings,
            2,
            "page {}: marking at top and bottom\n{page}",
            i + 1
        );
        let footer = format!("Seite {} von {}", i + 1, pages.len());
        if i == 0 {
            // The cover: its marking, but no running header or footer.
            assert!(!lines.contains(&footer), "the cover has {footer:?}");
            assert!(!lines.iter().any(|l| l == "GEN-2026-001"), "{page}");
            continue;
        }
        assert!(lines.contains(&footer), "page {} lacks {footer:?}", i + 1);
        assert!(
            lines.iter().any(|l| l == "Arbeitsbesuch in Genf"),
            "page {} lacks the running header",
            i + 1
        );
        assert!(
            lines.iter().any(|l| l == "GEN-2026-001"),
            "page {} lacks the reference",
            i + 1
        );
    }
}

#[test]
fn contents_page_numbers_match_where_headings_land() {
    let (_dir, pdf) = render("genf", &large_brief(40, 120, 6));
    let pages = pages(&pdf);
    // The cover, the at-a-glance page, then the contents.
    let contents = lines(&pages[2]);
    assert_eq!(contents[0], "Inhalt");
    let titles: Vec<&String> = contents
        .iter()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()) && l.contains(' '))
        .collect();
    let numbers: Vec<usize> = contents.iter().filter_map(|l| l.parse().ok()).collect();
    assert!(titles.len() >= 8, "{contents:?}");
    assert_eq!(titles.len(), numbers.len(), "{contents:?}");
    for (title, number) in titles.iter().zip(&numbers) {
        let landed = pages
            .iter()
            .enumerate()
            .skip(3)
            .find(|(_, page)| lines(page).contains(*title))
            .map(|(i, _)| i + 1);
        assert_eq!(
            landed,
            Some(*number),
            "{title:?} is listed on page {number}"
        );
    }
}

#[test]
fn the_outline_has_every_heading_nested_and_exact() {
    let (_dir, pdf) = render("valmora", &example("valmora-2026.yaml"));
    let outline = outline(&pdf);
    let pages = pages(&pdf);
    let sections: Vec<&(String, usize, usize)> =
        outline.iter().filter(|(_, depth, _)| *depth == 0).collect();
    assert_eq!(
        sections
            .iter()
            .map(|(t, ..)| t.as_str())
            .collect::<Vec<_>>(),
        [
            "1 Event",
            "2 Objectives",
            "3 Talking points",
            "4 Programme",
            "5 Bilateral meetings",
            "6 Delegation",
            "7 Valmoran and regional counterparts",
            "8 Organisations",
            "9 Background",
            "10 Logistics",
            "11 Contacts",
        ]
    );
    assert!(
        outline
            .iter()
            .any(|(t, d, _)| t == "4.2 Wednesday, 1 July 2026" && *d == 1),
        "{outline:?}"
    );
    assert!(
        outline.iter().any(|(t, d, _)| t == "Press line" && *d == 2),
        "{outline:?}"
    );
    for (title, _, page) in &outline {
        let first_line_of_title = title.split_whitespace().last().unwrap();
        assert!(
            pages[*page].contains(first_line_of_title),
            "{title:?} jumps to page {}",
            page + 1
        );
    }
}

/// Every link annotation: the page (0-based) it is on, and its action.
pub fn links(document: &lopdf::Document) -> Vec<(usize, lopdf::Dictionary)> {
    let mut links = Vec::new();
    for (index, page) in document.get_pages().values().enumerate() {
        let page = document.get_dictionary(*page).unwrap();
        let Ok(annotations) = page.get(b"Annots").and_then(|a| a.as_array()) else {
            continue;
        };
        for annotation in annotations {
            let annotation = match annotation {
                lopdf::Object::Reference(id) => document.get_dictionary(*id).unwrap(),
                other => other.as_dict().unwrap(),
            };
            if let Ok(lopdf::Object::Dictionary(action)) = annotation.get(b"A") {
                links.push((index, action.clone()));
            }
        }
    }
    links
}

#[test]
fn contents_entries_link_to_their_headings() {
    let (_dir, pdf) = render("valmora", &example("valmora-2026.yaml"));
    let document = lopdf::Document::load(&pdf).unwrap();
    let pages: Vec<lopdf::ObjectId> = document.get_pages().values().copied().collect();
    let texts = self::pages(&pdf);
    // The cover, the at-a-glance page, then the contents.
    let contents: Vec<String> = lines(&texts[2])
        .into_iter()
        .filter(|l| l.contains(' ') && l.chars().next().unwrap().is_ascii_digit())
        .collect();
    let goto: Vec<usize> = links(&document)
        .into_iter()
        .filter(|(page, action)| {
            *page == 2 && action.get(b"S").unwrap().as_name().unwrap() == b"GoTo"
        })
        .map(|(_, action)| {
            let dest = action.get(b"D").unwrap().as_array().unwrap();
            pages
                .iter()
                .position(|p| *p == dest[0].as_reference().unwrap())
                .unwrap()
        })
        .collect();
    assert_eq!(
        goto.len(),
        contents.len(),
        "one link per entry: {contents:?}"
    );
    for (entry, target) in contents.iter().zip(goto) {
        assert!(
            lines(&texts[target]).contains(entry),
            "{entry:?} links to page {}",
            target + 1
        );
    }
}

#[test]
fn table_headers_repeat_on_every_page_a_table_runs_onto() {
    let (_dir, pdf) = render("genf", &large_brief(10, 200, 0));
    let pages = pages(&pdf);
    let mut continued = 0;
    for page in &pages[2..] {
        let lines = lines(page);
        let rows = lines
            .iter()
            .filter(|l| l.starts_with("Programmpunkt"))
            .count();
        if rows > 0
            && !lines
                .iter()
                .any(|l| l.ends_with("2026") && l.contains(", "))
        {
            // A page of programme rows with no day heading: a table run on.
            continued += 1;
            assert!(
                lines.iter().any(|l| l == "Uhrzeit"),
                "a continued table without its header:\n{page}"
            );
        }
    }
    assert!(continued >= 2, "the test needs tables that run over pages");
}

#[test]
fn a_table_run_on_repeats_its_own_header() {
    // The programme's tables come first; the delegation's, far longer,
    // later in the document (the body is set in parts on every core, each
    // numbering its tables from zero).
    let (_dir, pdf) = render("genf", &large_brief(150, 20, 0));
    let pages = pages(&pdf);
    let mut continued = 0;
    for page in &pages[2..] {
        let lines = lines(page);
        let members = lines.iter().filter(|l| l.starts_with("Referent")).count();
        // The section's heading ("2 Delegation"), not a row's role.
        let heading = lines
            .iter()
            .any(|l| l.ends_with(" Delegation") && l.starts_with(|c: char| c.is_ascii_digit()));
        if members > 3 && !heading {
            continued += 1;
            assert!(
                lines.iter().any(|l| l == "Name") && !lines.iter().any(|l| l == "Uhrzeit"),
                "a delegation page without the delegation's header:\n{page}"
            );
        }
    }
    assert!(continued >= 2, "the test needs a delegation over pages");
}

#[test]
fn german_compounds_are_hyphenated_in_narrow_columns() {
    // Five columns of long words leave each about a fifth of the page.
    let brief = "title: Besuch\nlanguage: de\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ncounterparts:\n  - name: Verbindungsbeamtin Mustermann\n    title: Sicherheitszusammenarbeitsbeauftragte\n    organization: Bundesinnenministerium Grenzschutzdirektion\n    country: Bundesrepublik Deutschland\n    role: Territorialüberwachungskoordinatorin\n";
    let (_dir, pdf) = render("besuch", brief);
    let pages = pages(&pdf);
    let lines: Vec<String> = pages.iter().flat_map(|p| lines(p)).collect();
    let broken: Vec<&String> = lines
        .iter()
        .filter(|l| l.ends_with('-') && l.len() > 2)
        .collect();
    assert!(
        broken
            .iter()
            .any(|l| "Sicherheitszusammenarbeitsbeauftragte".starts_with(l.trim_end_matches('-'))),
        "no hyphenated Sicherheitszusammenarbeitsbeauftragte: {lines:?}"
    );
    // Joined again, every word is whole.
    let text = running_text(&pages);
    for word in [
        "Sicherheitszusammenarbeitsbeauftragte",
        "Territorialüberwachungskoordinatorin",
    ] {
        assert!(text.contains(word), "{word} is not whole again in {text:?}");
    }
}

#[test]
fn the_same_brief_gives_the_same_bytes() {
    let brief = example("moskau-2025.yaml");
    let (_a, first) = render("moskau", &brief);
    let (_b, second) = render("moskau", &brief);
    assert_eq!(
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap()
    );
}

#[test]
fn the_date_comes_from_source_date_epoch_or_the_brief() {
    let dir = tempfile::tempdir().unwrap();
    copy_photos(dir.path());
    std::fs::write(dir.path().join("a.yaml"), example("valmora-2026.yaml")).unwrap();
    let run = briefing_in(dir.path(), &["render", "a.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let info = |pdf: &Path| {
        let document = lopdf::Document::load(pdf).unwrap();
        let info = document
            .trailer
            .get(b"Info")
            .unwrap()
            .as_reference()
            .unwrap();
        let date = document
            .get_dictionary(info)
            .unwrap()
            .get(b"CreationDate")
            .unwrap()
            .as_str()
            .unwrap()
            .to_vec();
        String::from_utf8(date).unwrap()
    };
    // The brief's `issued: 2026-06-15`.
    assert!(
        info(&dir.path().join("out/a.pdf")).starts_with("D:20260615"),
        "{}",
        info(&dir.path().join("out/a.pdf"))
    );
    let output = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["render", "a.yaml", "-o", "epoch"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(info(&dir.path().join("epoch/a.pdf")).starts_with("D:20231114"));
}

#[test]
fn a_character_no_font_has_is_a_warning_not_a_loss() {
    let (dir, pdf) = render(
        "tokyo",
        // Private-use characters: in no font, bundled or on any system.
        "title: Visit to \u{F0000}\u{F0001}\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\n",
    );
    let run = briefing_in(dir.path(), &["render", "tokyo.yaml", "-o", "again"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("warning: no font has the characters `\u{F0000}` (U+F0000) and `\u{F0001}` (U+F0001); they show as �\n --> tokyo.yaml\n  = help: they are on the cover; name a font that has them: in the theme's `fonts.fallbacks`, or a folder of fonts with `--font-path` (`briefing fonts` lists those used)\n"),
        "{}",
        run.stderr
    );
    // They are drawn as �, never as glyph 0, the font's missing-glyph box
    // (PDF/UA and PDF/A forbid it): no glyph number of the page is 0000.
    let document = lopdf::Document::load(&pdf).unwrap();
    let page = *document.get_pages().values().next().unwrap();
    let content = lopdf::content::Content::decode(&document.get_page_content(page)).unwrap();
    let mut glyphs = 0;
    for operation in content.operations.iter().filter(|o| o.operator == "TJ") {
        for part in operation.operands[0].as_array().unwrap() {
            if let Ok(bytes) = part.as_str() {
                for glyph in bytes.chunks(2) {
                    assert_ne!(glyph, [0, 0], "glyph 0 drawn");
                    glyphs += 1;
                }
            }
        }
    }
    assert!(glyphs > 10);
    // The rest of the title is there, and the missing characters copy as
    // themselves (not as the first of them twice): as poppler, which reads
    // /ActualText, copies them.
    if let Some(mut pdftotext) = crate::support::tool("pdftotext") {
        let output = pdftotext.arg(&pdf).arg("-").output().unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("Visit to \u{F0000}\u{F0001}\n"), "{text}");
    }
}

#[test]
fn an_image_that_cannot_be_read_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // A PNG signature and nothing a decoder can use.
    std::fs::write(
        dir.path().join("broken.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("visit.yaml"),
        "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ncounterparts:\n  - name: Erika Example\n    photo: broken.png\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: cannot decode photo `broken.png`: "),
        "{}",
        run.stderr
    );
    assert_eq!(
        files_in(&dir.path().join("out")),
        Vec::<String>::new(),
        "no half output"
    );
}

#[test]
fn the_same_brief_in_another_folder_gives_the_same_bytes() {
    // The English example has a photo; one copy is rendered by a relative
    // path, the other by its absolute path from elsewhere.
    let (_a, first) = render("valmora", &example("valmora-2026.yaml"));
    let other = tempfile::tempdir().unwrap();
    copy_photos(other.path());
    let brief = other.path().join("valmora.yaml");
    std::fs::write(&brief, example("valmora-2026.yaml")).unwrap();
    let out = other.path().join("elsewhere");
    let run = briefing_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "render",
            brief.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(out.join("valmora.pdf")).unwrap(),
        "the PDFs differ"
    );
}

#[test]
fn a_screen_reader_is_told_the_title_and_where_each_link_leads() {
    let (_dir, pdf) = render("moskau", &example("moskau-2025.yaml"));
    let document = lopdf::Document::load(&pdf).unwrap();
    let catalog = document.catalog().unwrap();
    let preferences = catalog
        .get(b"ViewerPreferences")
        .unwrap()
        .as_dict()
        .unwrap();
    assert!(preferences
        .get(b"DisplayDocTitle")
        .unwrap()
        .as_bool()
        .unwrap());
    let mut descriptions = Vec::new();
    for page in document.get_pages().values() {
        let page = document.get_dictionary(*page).unwrap();
        let Ok(annotations) = page.get(b"Annots").and_then(|a| a.as_array()) else {
            continue;
        };
        // Links are reached with the tab key in the structure's order.
        assert_eq!(page.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
        for annotation in annotations {
            let annotation = match annotation {
                lopdf::Object::Reference(id) => document.get_dictionary(*id).unwrap(),
                other => other.as_dict().unwrap(),
            };
            // Printed, and described.
            assert_eq!(annotation.get(b"F").unwrap().as_i64().unwrap(), 4);
            descriptions
                .push(lopdf::decode_text_string(annotation.get(b"Contents").unwrap()).unwrap());
        }
    }
    assert_eq!(
        descriptions,
        [
            // The meeting on the page at a glance.
            "5.1 Föderaler Sicherheitsdienst der Russischen Föderation (FSB)",
            "1 Veranstaltung",
            "2 Ziele",
            "3 Kernbotschaften",
            "4 Programm",
            "4.1 Dienstag, 27. Mai 2025",
            "5 Bilaterale Gespräche",
            "5.1 Föderaler Sicherheitsdienst der Russischen Föderation (FSB)",
            "6 Delegation",
            "7 Gesprächspartner",
            "8 Organisationen",
            "9 Hintergrund",
            // The meeting's row in the programme, its title on two lines.
            "5.1 Föderaler Sicherheitsdienst der Russischen Föderation (FSB)",
            "5.1 Föderaler Sicherheitsdienst der Russischen Föderation (FSB)",
        ]
    );
}
