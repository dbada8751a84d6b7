//! The theme: page size, fonts and its errors; links in the PDF.

use std::path::Path;

use crate::support::briefing_in;

const BRIEF: &str = "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\nbackground: See [the programme](https://example.org/programme) for details.\n";

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), BRIEF).unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    dir
}

fn default_theme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/theme.yaml"))
        .unwrap()
}

fn first_page_size(pdf: &Path) -> (f32, f32) {
    let document = lopdf::Document::load(pdf).unwrap();
    let page = *document.get_pages().values().next().unwrap();
    let media = document
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let number = |o: &lopdf::Object| o.as_float().unwrap();
    (number(&media[2]), number(&media[3]))
}

#[test]
fn a_theme_sets_letter_pages_and_its_own_fonts() {
    let dir = folder();
    // A "different" font: the bundled one under another name, as a user
    // would copy a font file beside the theme.
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    std::fs::copy(
        fonts.join("NotoSans-Bold.ttf"),
        dir.path().join("t/HeavyHeadings.ttf"),
    )
    .unwrap();
    let theme = default_theme()
        .replace("size: A4", "size: Letter")
        .replace("  bold: bundled", "  bold: HeavyHeadings.ttf");
    std::fs::write(dir.path().join("t/theme.yaml"), theme).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = dir.path().join("out/visit.pdf");
    let (width, height) = first_page_size(&pdf);
    assert!(
        (width - 612.0).abs() < 0.5 && (height - 792.0).abs() < 0.5,
        "{width} × {height}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("NotoSans-Bold"),
        "the theme's bold font replaces the bundled one"
    );
}

#[test]
fn a_theme_font_that_is_missing_is_named() {
    let dir = folder();
    let theme = default_theme().replace("  mono: bundled", "  mono: fonts/Missing.ttf");
    std::fs::write(dir.path().join("t/theme.yaml"), theme).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot use the font `t/fonts/Missing.ttf`: No such file or directory\n --> t/theme.yaml\n  = help: font paths in the theme are relative to the theme's folder; `bundled` uses Noto Sans\n\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_theme_that_cannot_be_read_is_named() {
    let dir = folder();
    // Unreadable even to root: a folder where the theme file should be.
    std::fs::create_dir(dir.path().join("t/theme.yaml")).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot read the theme: it is a folder, not a file\n --> t/theme.yaml\n  = help: a template folder holds template files (`*.hbs`) and `theme.yaml`; move this one out of it\n\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_theme_with_a_mistake_is_located() {
    let dir = folder();
    let theme = default_theme().replace("line_height: 1.4", "line_hight: 1.4");
    std::fs::write(dir.path().join("t/theme.yaml"), theme).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: the theme is not valid: unknown field `line_hight`, expected one of"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(" --> t/theme.yaml:"), "{}", run.stderr);
}

#[test]
fn links_in_the_brief_are_clickable() {
    let dir = folder();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document = lopdf::Document::load(dir.path().join("out/visit.pdf")).unwrap();
    let uris: Vec<Vec<u8>> = crate::pdf::links(&document)
        .into_iter()
        .filter_map(|(_, action)| {
            action
                .get(b"URI")
                .ok()
                .and_then(|u| u.as_str().ok())
                .map(<[u8]>::to_vec)
        })
        .collect();
    assert_eq!(uris, vec![b"https://example.org/programme".to_vec()]);
}
