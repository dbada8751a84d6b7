//! `briefing pack`: many briefs bound into one PDF.

use std::path::Path;

use crate::generate::large_brief;
use crate::support::{briefing_in, copy_examples, files_in, page_texts};

fn pack_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path(), &["moskau-2025.yaml", "valmora-2026.yaml"]);
    let briefs = dir.path().join("briefs");
    std::fs::write(briefs.join("genf.yaml"), large_brief(4, 12, 2)).unwrap();
    dir
}

#[test]
fn a_pack_lists_its_briefs_in_visit_order_with_both_page_numbers() {
    let dir = pack_folder();
    let run = briefing_in(
        dir.path(),
        &[
            "pack",
            "briefs",
            "-o",
            "out/pack.pdf",
            "--title",
            "Summer travel",
            "--marking-order",
            "SECRET,VS – NUR FÜR DEN DIENSTGEBRAUCH,RESTRICTED",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("wrote out/pack.pdf\nwrote out/pack.md\n3 briefs packed into "),
        "{}",
        run.stderr
    );
    let pages = page_texts(&dir.path().join("out/pack.pdf"));
    let total = pages.len();
    // The cover: the title, the span of the visits, the highest marking.
    assert!(pages[0].contains("Summer travel"));
    assert!(
        pages[0].contains("27 May 2025 – 2 July 2026"),
        "{}",
        pages[0]
    );
    assert_eq!(
        pages[0].matches("VS – NUR FÜR DEN DIENSTGEBRAUCH").count(),
        3,
        "{}",
        pages[0]
    );
    // The list: in the order of the visits, each with the page it starts on.
    let index = std::fs::read_to_string(dir.path().join("out/pack.md")).unwrap();
    let rows: Vec<&str> = index
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("briefs/"))
        .collect();
    assert_eq!(rows.len(), 3, "{index}");
    let order: Vec<&str> = ["moskau-2025", "genf", "valmora-2026"].to_vec();
    for (row, name) in rows.iter().zip(&order) {
        assert!(row.contains(&format!("briefs/{name}.yaml")), "{row}");
    }
    for row in rows {
        let cells: Vec<&str> = row.split(" | ").collect();
        let start: usize = cells[3].trim().parse().unwrap();
        let brief_title = cells[0]
            .trim_start_matches("| ")
            .split(" — ")
            .next()
            .unwrap()
            .replace('\\', "");
        // The brief's cover is on that page, and reads both numberings.
        let page = &pages[start - 1];
        // (The title may run over two lines of the cover.)
        let words = page.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains(&brief_title),
            "{brief_title} is not on pack page {start}"
        );
        assert!(
            page.contains(&format!("Pack page {start} of {total}")),
            "{page}"
        );
    }
    // Each brief keeps its own page numbers (none on its cover) and marking.
    assert!(pages.iter().any(|p| p.contains("Seite 2 von 5")));
    assert!(pages
        .iter()
        .any(|p| p.contains("Page 2 of 8") && p.contains("RESTRICTED")));
}

#[test]
fn the_pack_outline_has_a_top_entry_per_brief_with_its_headings_below() {
    let dir = pack_folder();
    let run = briefing_in(dir.path(), &["pack", "briefs", "-o", "pack.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document = lopdf::Document::load(dir.path().join("pack.pdf")).unwrap();
    let catalog = document.catalog().unwrap();
    let outlines = document
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut top = Vec::new();
    let mut next = outlines
        .get(b"First")
        .ok()
        .and_then(|o| o.as_reference().ok());
    while let Some(id) = next {
        let item = document.get_dictionary(id).unwrap();
        let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
        let children = item.get(b"Count").map(|c| c.as_i64().unwrap()).unwrap_or(0);
        top.push((title, children));
        next = item.get(b"Next").ok().and_then(|o| o.as_reference().ok());
    }
    assert_eq!(
        top.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        [
            "Arbeitsbesuch in Moskau",
            "Arbeitsbesuch in Genf",
            "Official Visit of the Foreign Minister to Valmora"
        ]
    );
    assert_eq!(
        top[0].1, 9,
        "the German example's nine sections below its title"
    );
    assert!(top.iter().all(|(_, children)| *children > 0));
}

#[test]
fn a_bad_brief_stops_the_pack_and_writes_nothing() {
    let dir = pack_folder();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unknown_key.yaml"),
        dir.path().join("briefs/bad.yaml"),
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["pack", "briefs", "-o", "out/pack.pdf"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: unknown key `talkingpoints`\n --> briefs/bad.yaml:5:1\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("0 briefs packed into 0 pages, 1 failed, 0 warnings (… s)\n"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn without_an_order_every_marking_is_listed() {
    let markings =
        briefing::render::pack_marking(["RESTRICTED", "VS – NfD", "RESTRICTED"].into_iter(), &[]);
    assert_eq!(markings.as_deref(), Some("RESTRICTED / VS – NfD"));
    let order = vec![
        "SECRET".to_string(),
        "VS – NfD".to_string(),
        "RESTRICTED".to_string(),
    ];
    let highest = briefing::render::pack_marking(["RESTRICTED", "VS – NfD"].into_iter(), &order);
    assert_eq!(highest.as_deref(), Some("VS – NfD"));
}

#[test]
fn a_pack_is_not_left_without_its_index() {
    let dir = pack_folder();
    // The index cannot be written: a folder has its name.
    std::fs::create_dir_all(dir.path().join("packs/pack.md")).unwrap();
    let run = briefing_in(dir.path(), &["pack", "briefs", "-o", "packs/pack.pdf"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: cannot write: `packs/pack.md` is a folder, not a file\n --> packs/pack.md\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        files_in(&dir.path().join("packs")),
        ["pack.md"],
        "no pack, no temporary file"
    );
}

#[test]
fn a_pack_that_cannot_be_written_is_an_error_naming_it() {
    let dir = pack_folder();
    // `-o` puts the pack inside a file, not a folder.
    std::fs::write(dir.path().join("taken"), "a file\n").unwrap();
    let run = briefing_in(dir.path(), &["pack", "briefs", "-o", "taken/pack.pdf"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: cannot write: `taken` is a file, not a folder\n --> taken/pack.pdf\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken")).unwrap(),
        "a file\n"
    );
}

#[test]
fn a_pack_of_german_briefs_speaks_german_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path(), &["moskau-2025.yaml"]);
    std::fs::copy(
        dir.path().join("briefs/moskau-2025.yaml"),
        dir.path().join("briefs/moskau-2026.yaml"),
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["pack", "briefs", "-o", "de/pack.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cover = &page_texts(&dir.path().join("de/pack.pdf"))[0];
    assert!(cover.contains("2\u{a0}Besuchsunterlagen"), "{cover}");
    // No brief is classified: the list has no column for it.
    let index = std::fs::read_to_string(dir.path().join("de/pack.md")).unwrap();
    assert!(
        index.contains("\n| Besuch | Zeitraum | Seite | Datei |\n|---|---|--:|---|\n"),
        "{index}"
    );
    let run = briefing_in(
        dir.path(),
        &["pack", "briefs", "-o", "en/pack.pdf", "--language", "en"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cover = &page_texts(&dir.path().join("en/pack.pdf"))[0];
    assert!(cover.contains("2\u{a0}briefs"), "{cover}");
}

#[test]
fn a_packs_json_lines_name_no_one_input_and_one_bad_brief_stops_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    let briefs = dir.path().join("briefs");
    std::fs::create_dir(&briefs).unwrap();
    crate::support::copy_fixture("valid_minimal", &briefs, "a.yaml");
    let run = briefing_in(dir.path(), &["pack", "briefs", "--message-format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0]["type"], "output");
    assert_eq!(lines[0]["output"], "out/pack.pdf");
    assert_eq!(lines[0]["input"], serde_json::Value::Null);
    let mut keys: Vec<&String> = lines[2].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["failed", "packed", "pages", "seconds", "type", "warnings"]
    );

    // One brief with an error: every brief is still read, nothing written.
    crate::support::copy_fixture("missing_title", &briefs, "b.yaml");
    std::fs::remove_dir_all(dir.path().join("out")).unwrap();
    let run = briefing_in(dir.path(), &["pack", "briefs"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .ends_with("0 briefs packed into 0 pages, 1 failed, 0 warnings (… s)\n"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out/pack.pdf").exists());
}
