//! `briefing render`: the Markdown summary, byte for byte, and how batches
//! of good and bad briefs behave.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::support::{briefing, briefing_in, copy_fixture, files_in};

/// Renders a brief of the repository into a fresh folder; returns the text
/// of its summary.
fn summary_of(brief: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let run = briefing(&["render", brief, "-o", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stem = Path::new(brief).file_stem().unwrap().to_str().unwrap();
    std::fs::read_to_string(out.path().join(format!("{stem}.md"))).unwrap()
}

#[test]
fn german_example_summary() {
    insta::assert_snapshot!("moskau-2025.md", summary_of("briefs/moskau-2025.yaml"));
}

#[test]
fn english_example_summary() {
    insta::assert_snapshot!("valmora-2026.md", summary_of("briefs/valmora-2026.yaml"));
}

#[test]
fn arabic_example_summary() {
    insta::assert_snapshot!(
        "moskau-2025-ar.md",
        summary_of("briefs/moskau-2025-ar.yaml")
    );
}

#[test]
fn same_brief_same_bytes() {
    assert_eq!(
        summary_of("briefs/valmora-2026.yaml"),
        summary_of("briefs/valmora-2026.yaml")
    );
}

const HOSTILE_NAMES: &str = r##"title: "Visit | *not emphasis* <b>not html</b>"
visit:
  start: 2026-02-10
  end: 2026-02-11
delegation:
  - name: "Anna | Bell *Star* #1"
    title: "<b>Director</b> [of](http://x) _Things_"
    organization: "1. Not numbered & `code` &amp;"
  - name: "# Not a heading"
    title: "Line one\nline two"
    organization: "- Not a list"
  - name: "> Not a quote ~~struck~~"
    title: "|"
    organization: "\\ backslash [link]"
"##;

/// The plain text of every table cell, row by row.
fn table_cells(markdown: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.push(cell.take().unwrap()),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => rows.push(std::mem::take(&mut row)),
            Event::Text(text) if cell.is_some() => cell.as_mut().unwrap().push_str(&text),
            Event::SoftBreak if cell.is_some() => cell.as_mut().unwrap().push(' '),
            Event::Html(_) | Event::InlineHtml(_) => panic!("raw HTML came through: {event:?}"),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. } | Tag::Strikethrough)
                if cell.is_some() =>
            {
                panic!("markup inside a cell: {event:?}")
            }
            _ => {}
        }
    }
    rows
}

#[test]
fn text_from_a_brief_never_becomes_markup() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("names.yaml"), HOSTILE_NAMES).unwrap();
    let run = briefing_in(dir.path(), &["render", "names.yaml", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let markdown = std::fs::read_to_string(dir.path().join("out/names.md")).unwrap();

    assert_eq!(
        table_cells(&markdown),
        [
            vec!["Name", "Title", "Organisation"],
            vec![
                "Anna | Bell *Star* #1",
                "<b>Director</b> [of](http://x) _Things_",
                "1. Not numbered & `code` &amp;"
            ],
            // A line break in a name becomes a space: a cell cannot hold one.
            vec!["# Not a heading", "Line one line two", "- Not a list"],
            vec!["> Not a quote ~~struck~~", "|", "\\ backslash [link]"],
        ]
    );

    // The title is the one heading of level 1, and reads back unchanged.
    let mut in_title = false;
    let mut title = String::new();
    let mut level_one_headings = 0;
    for event in Parser::new_ext(&markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_title = level == pulldown_cmark::HeadingLevel::H1;
                level_one_headings += usize::from(in_title);
            }
            Event::End(TagEnd::Heading(_)) => in_title = false,
            Event::Text(text) if in_title => title.push_str(&text),
            Event::Html(_) | Event::InlineHtml(_) => panic!("raw HTML came through: {event:?}"),
            _ => {}
        }
    }
    assert_eq!(level_one_headings, 1);
    assert_eq!(title, "Visit | *not emphasis* <b>not html</b>");
}

#[test]
fn a_folder_renders_its_good_briefs_and_reports_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    let briefs = dir.path().join("briefs");
    std::fs::create_dir(&briefs).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (from, to) in [
        ("valid_minimal.yaml", "a-good.yaml"),
        ("unknown_key.yaml", "b-bad.yaml"),
        ("valid_minimal.yaml", "c-good.yml"),
    ] {
        std::fs::copy(fixtures.join(from), briefs.join(to)).unwrap();
    }
    std::fs::write(briefs.join("notes.txt"), "not a brief").unwrap();

    let run = briefing_in(dir.path(), &["render", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        files_in(&dir.path().join("out")),
        ["a-good.md", "a-good.pdf", "c-good.md", "c-good.pdf"]
    );
    assert_eq!(
        run.stderr,
        "wrote out/a-good.md\n\
         wrote out/a-good.pdf\n\
         error: unknown key `talkingpoints`\n \
         --> briefs/b-bad.yaml:5:1\n  \
         |\n\
         5 | talkingpoints:\n  \
         | ^^^^^^^^^^^^^\n  \
         = help: did you mean `talking_points`?\n\n\
         wrote out/c-good.md\n\
         wrote out/c-good.pdf\n\
         2 briefs rendered, 1 failed, 0 warnings (… s)\n"
    );
}

#[test]
fn briefs_that_would_write_the_same_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::copy(
            fixtures.join("valid_minimal.yaml"),
            dir.path().join(sub).join("visit.yaml"),
        )
        .unwrap();
    }
    let run = briefing_in(dir.path(), &["render", "a", "b"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `a/visit.yaml` and `b/visit.yaml` would both be written to `out/visit.md`\n \
         --> b/visit.yaml\n  \
         = help: rename one of the briefs, or render them into different folders with -o\n\n\
         0 briefs rendered, 2 failed, 0 warnings (… s)\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_existing_summary_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("valid_minimal", dir.path(), "visit.yaml");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/visit.md"), "x".repeat(100_000)).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap(),
        "# Visit to Example City\n\n- **Dates:** 10–11 February 2026\n"
    );
    // No temporary file is left behind.
    assert_eq!(files_in(&dir.path().join("out")), ["visit.md", "visit.pdf"]);
}

#[test]
fn an_invalid_brief_leaves_its_old_summary_alone() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("unknown_key", dir.path(), "visit.yaml");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/visit.md"), "earlier summary\n").unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap(),
        "earlier summary\n"
    );
}

#[test]
fn french_dates_and_labels() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("visite.yaml"),
        "title: Visite à Lyon\nlanguage: fr\nvisit:\n  start: 2026-05-01\n  end: 2026-05-03\n\
         schedule:\n  - date: 2026-05-01\n    start: \"09:00\"\n    title: Accueil\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "visite.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/visite.md")).unwrap(),
        "# Visite à Lyon\n\n- **Dates:** 1er–3 mai 2026\n\n## Programme\n\n### Vendredi 1er mai 2026\n\n- **09:00** Accueil\n"
    );
}

#[test]
fn a_summary_is_not_left_without_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("valid_minimal", dir.path(), "visit.yaml");
    // The PDF cannot be written: a folder has its name.
    std::fs::create_dir_all(dir.path().join("out/visit.pdf")).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: cannot write: `out/visit.pdf` is a folder, not a file\n --> out/visit.pdf\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        files_in(&dir.path().join("out")),
        ["visit.pdf"],
        "no summary, no temporary file"
    );
}

#[test]
fn an_output_that_cannot_be_written_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("valid_minimal", dir.path(), "visit.yaml");
    // `-o` names a file, not a folder.
    std::fs::write(dir.path().join("taken"), "a file\n").unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "-o", "taken"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write into `taken`: it is a file, not a folder\n --> taken\n  = help: -o names the folder to write into\n\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken")).unwrap(),
        "a file\n"
    );
}

#[test]
fn a_brief_is_never_overwritten_by_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    // A brief saved as `out/visit.md`: its summary would be that very file.
    std::fs::copy(
        fixtures.join("valid_minimal.yaml"),
        dir.path().join("out/visit.md"),
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "out/visit.md"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the summary `out/visit.md` would replace the brief `out/visit.md`\n --> out/visit.md\n  = help: choose another output folder with -o\n\n0 briefs rendered, 1 failed, 0 warnings (… s)\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/visit.md")).unwrap(),
        std::fs::read(fixtures.join("valid_minimal.yaml")).unwrap()
    );
}

#[test]
fn a_folder_without_briefs_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let run = briefing_in(dir.path(), &["check", "empty"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: no briefs (`*.yaml`, `*.yml`) in `empty`\n --> empty\n\n0 briefs checked: 0 valid, 0 warnings (… s)\n"
    );
    // What is there and not read is named.
    std::fs::write(dir.path().join("empty/VISIT.YAML"), "title: x\n").unwrap();
    let run = briefing_in(dir.path(), &["render", "empty"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: no briefs (`*.yaml`, `*.yml`) in `empty`\n --> empty\n  = help: `VISIT.YAML` is not read: briefs end in `.yaml` or `.yml`, in lower case\n\n0 briefs rendered, 0 failed, 0 warnings (… s)\n"
    );
    std::fs::remove_file(dir.path().join("empty/VISIT.YAML")).unwrap();
    std::fs::create_dir(dir.path().join("empty/2026")).unwrap();
    let run = briefing_in(dir.path(), &["pack", "empty"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: no briefs (`*.yaml`, `*.yml`) in `empty`\n --> empty\n  = help: folders are not searched below their own files: name `empty/2026` too\n\n0 briefs packed into 0 pages, 0 failed, 0 warnings (… s)\n"
    );
}
