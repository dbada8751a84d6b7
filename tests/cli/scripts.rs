//! The scripts of the people in a visit: Arabic and Hebrew names and text
//! in a German brief are shaped from the bundled fallback fonts, ordered by
//! the bidirectional algorithm line by line, and copied back from the PDF
//! as they were written.

use std::path::Path;
use std::process::Command;

use crate::support::{briefing_in, files_in, tool};

const BRIEF: &str = "\
title: Besuch von عبد اللطيف حموشي
language: de
visit:
  start: 2026-01-05
  end: 2026-01-06
delegation:
  - name: عبد اللطيف حموشي
    title: المدير العام للأمن الوطني
  - name: דוד לוי
background: |
  Der Gast heißt عبد اللطيف حموشي und kam 2025 nach Moskau.
";

fn rendered() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), BRIEF).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("1 brief rendered, 0 failed, 0 warnings (… s)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(files_in(&dir.path().join("out")), ["visit.md", "visit.pdf"]);
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(dir.path().join("out/visit.pdf"))
        .output();
    if let Ok(check) = check {
        assert!(check.status.success(), "qpdf --check fails");
    }
    dir
}

/// The words of page `page` with the left edge of each, as poppler reads
/// them (`pdftotext -bbox`).
fn words_with_x(pdf: &Path, page: usize) -> Option<Vec<(String, f32)>> {
    let output = tool("pdftotext")?
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    Some(
        html.lines()
            .filter_map(|line| {
                let line = line.trim();
                let x = line.split("xMin=\"").nth(1)?.split('"').next()?;
                let word = line.split('>').nth(1)?.split('<').next()?;
                Some((word.to_string(), x.parse().ok()?))
            })
            .collect(),
    )
}

#[test]
fn arabic_and_hebrew_names_render_and_copy_back_as_written() {
    // An Arabic name made `render` panic ("begin > end when slicing").
    let dir = rendered();
    let Some(mut text) = tool("pdftotext").map(|mut pdftotext| {
        let output = pdftotext
            .arg(dir.path().join("out/visit.pdf"))
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    }) else {
        return;
    };
    // poppler marks the direction of what it copies; the words are what
    // counts. (It takes a hyphen between Hebrew letters for a left-to-right
    // break, so `בן-גוריון` copies as two words in the wrong order: a
    // limitation of its reading, with the glyphs drawn as UAX #9 orders
    // them.)
    text.retain(|c| !('\u{202A}'..='\u{202E}').contains(&c));
    for word in [
        "عبد",
        "اللطيف",
        "حموشي",
        "المدير",
        "للأمن",
        "الوطني",
        "דוד",
        "לוי",
        "Besuch",
    ] {
        assert!(
            text.split_whitespace().any(|w| w == word),
            "`{word}` is not copied back as written:\n{text}"
        );
    }
}

#[test]
fn a_name_in_arabic_inside_a_german_sentence_reads_right_to_left() {
    let dir = rendered();
    let Some(words) = words_with_x(&dir.path().join("out/visit.pdf"), 3) else {
        return;
    };
    // poppler's boxes hold a right-to-left word's letters in the order they
    // are drawn, so each word is looked for reversed too.
    let x = |word: &str| {
        let drawn: String = word.chars().rev().collect();
        let found: Vec<f32> = words
            .iter()
            .filter(|(w, _)| *w == word || *w == drawn)
            .map(|(_, x)| *x)
            .collect();
        *found
            .last()
            .unwrap_or_else(|| panic!("`{word}` not on page 3: {words:?}"))
    };
    // German left to right, then the name as an Arabic reader reads it:
    // its first word rightmost.
    assert!(x("heißt") < x("حموشي"), "{words:?}");
    assert!(x("حموشي") < x("اللطيف"), "{words:?}");
    assert!(x("اللطيف") < x("عبد"), "{words:?}");
    assert!(x("عبد") < x("und"), "{words:?}");
}

#[test]
fn the_fallback_fonts_are_embedded_as_subsets() {
    let dir = rendered();
    let names = embedded_fonts(&dir.path().join("out/visit.pdf"));
    for family in ["NotoSansArabic-Regular", "NotoSansHebrew-Regular"] {
        assert!(names.iter().any(|n| n == family), "{names:?}");
    }
}

const CJK_BRIEF: &str = "\
title: 上海合作组织
language: de
visit:
  start: 2026-01-05
  end: 2026-01-06
delegation:
  - name: 王毅
    title: 中华人民共和国外交部
background: |
  上海合作组织成员国中华人民共和国习近平王毅外交部北京東京日本語直骨角判決国际關係会議大韓民国上海合作组织成员国中华人民共和国习近平王毅外交部北京東京日本語直骨角判決国际關係会議大韓民国。
";

fn fixture_fonts() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts")
}

/// The base names of the fonts a PDF embeds.
fn embedded_fonts(pdf: &Path) -> Vec<String> {
    let document = lopdf::Document::load(pdf).unwrap();
    let mut names: Vec<String> = document
        .objects
        .values()
        .filter_map(|object| {
            let dict = object.as_dict().ok()?;
            if dict.get(b"Type").ok()?.as_name().ok()? != b"Font" {
                return None;
            }
            let name = dict.get(b"BaseFont").ok()?.as_name().ok()?;
            let name = String::from_utf8_lossy(name).into_owned();
            Some(name.split('+').nth(1).unwrap_or(&name).to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn chinese_is_set_from_a_font_path_folder_and_broken_between_characters() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CJK_BRIEF).unwrap();
    let fonts = fixture_fonts();
    let run = briefing_in(
        dir.path(),
        &[
            "render",
            "visit.yaml",
            "-o",
            "out",
            "--font-path",
            fonts.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(" 0 warnings"), "{}", run.stderr);
    let pdf = dir.path().join("out/visit.pdf");
    // The folder's font comes before any the system has.
    assert!(embedded_fonts(&pdf).contains(&"BriefingTestCJK".to_string()));
    let texts = crate::support::page_texts(&pdf);
    let body = texts.last().unwrap();
    assert!(body.contains("王毅"), "{body}");
    // The paragraph has no spaces: it is broken between characters
    // (UAX #14), into full lines.
    let lines: Vec<&str> = body
        .lines()
        .filter(|l| l.starts_with("上海合作") || l.contains("国际關係"))
        .collect();
    assert!(lines.len() >= 2, "{body}");
}

#[test]
fn the_font_path_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CJK_BRIEF).unwrap();
    let output = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .current_dir(dir.path())
        .env("BRIEFING_FONT_PATH", fixture_fonts())
        .args(["render", "visit.yaml", "-o", "out"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        embedded_fonts(&dir.path().join("out/visit.pdf")).contains(&"BriefingTestCJK".to_string())
    );
}

#[test]
fn a_theme_names_its_own_fallback_fonts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CJK_BRIEF).unwrap();
    let templates = dir.path().join("t");
    std::fs::create_dir(&templates).unwrap();
    std::fs::copy(
        fixture_fonts().join("BriefingTestCJK-Regular.otf"),
        templates.join("cjk.otf"),
    )
    .unwrap();
    let theme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/theme.yaml"))
            .unwrap()
            .replace("  mono: bundled", "  fallbacks: [cjk.otf]\n  mono: bundled");
    std::fs::write(templates.join("theme.yaml"), theme).unwrap();
    let run = briefing_in(
        dir.path(),
        &["render", "visit.yaml", "-o", "out", "--templates", "t"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        embedded_fonts(&dir.path().join("out/visit.pdf")).contains(&"BriefingTestCJK".to_string())
    );
    // A fallback that is missing is an error naming it.
    let theme = std::fs::read_to_string(templates.join("theme.yaml"))
        .unwrap()
        .replace("[cjk.otf]", "[nowhere.otf]");
    std::fs::write(templates.join("theme.yaml"), theme).unwrap();
    let run = briefing_in(
        dir.path(),
        &["render", "visit.yaml", "-o", "out2", "--templates", "t"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: cannot use the font `t/nowhere.otf`: "),
        "{}",
        run.stderr
    );
}

#[test]
fn fonts_lists_each_family_with_where_it_comes_from_in_the_order_tried() {
    let fonts = fixture_fonts();
    let run = crate::support::briefing(&["fonts", "--font-path", fonts.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let families: Vec<(&str, &str)> = run
        .stdout
        .lines()
        .map(|l| {
            let (family, origin) = l.split_once("  ").unwrap();
            (family.trim(), origin.trim())
        })
        .collect();
    assert_eq!(
        &families[..5],
        [
            ("Noto Sans", "bundled"),
            ("Noto Sans Mono", "bundled"),
            (
                "Briefing Test CJK",
                &*format!("{}/BriefingTestCJK-Regular.otf", fonts.display())
            ),
            ("Noto Sans Arabic", "bundled (fallback)"),
            ("Noto Sans Hebrew", "bundled (fallback)"),
        ]
    );
    let missing = crate::support::briefing(&["fonts", "--font-path", "/no/such/folder"]);
    assert_eq!(missing.code, 2, "a usage error: {}", missing.stderr);
}

#[test]
fn check_warns_of_a_character_no_font_has_at_its_value() {
    // A private-use character: in no font, bundled or on any system.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("visit.yaml"),
        "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ndelegation:\n  - name: \"Erika \u{F0000} Muster\"\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: no font has the character `\u{F0000}` (U+F0000); it shows as an empty box\n \
         --> visit.yaml:6:11\n  |\n6 |   - name: \"Erika \u{F0000} Muster\"\n  |           ^^^^^^^^^^^^^^^^\n  \
         = help: name a font that has it: in the theme's `fonts.fallbacks`, or a folder of fonts with `--font-path` (`briefing fonts` lists those used)\n\n\
         1 brief checked: 1 valid, 1 warning (… s)\n"
    );
}

#[test]
fn check_looks_for_characters_in_the_font_path_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CJK_BRIEF).unwrap();
    let fonts = fixture_fonts();
    let run = briefing_in(
        dir.path(),
        &[
            "check",
            "visit.yaml",
            "--font-path",
            fonts.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "1 brief checked: 1 valid, 0 warnings (… s)\n");
}

#[test]
fn a_font_path_that_is_not_a_folder_is_a_usage_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CJK_BRIEF).unwrap();
    let run = briefing_in(
        dir.path(),
        &["render", "visit.yaml", "--font-path", "visit.yaml"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'visit.yaml' for '--font-path <DIR>': it is not a folder\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_theme_fallback_that_is_not_a_font_is_an_error_at_the_theme() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CJK_BRIEF).unwrap();
    let templates = dir.path().join("t");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join("notes.ttf"), "not a font").unwrap();
    let theme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/theme.yaml"))
            .unwrap()
            .replace(
                "  mono: bundled",
                "  fallbacks: [notes.ttf]\n  mono: bundled",
            );
    std::fs::write(templates.join("theme.yaml"), theme).unwrap();
    let run = briefing_in(
        dir.path(),
        &["render", "visit.yaml", "-o", "out", "--templates", "t"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot use the font `t/notes.ttf`: not a TrueType or OpenType font\n \
         --> t/theme.yaml\n  \
         = help: font paths in the theme are relative to the theme's folder; `bundled` uses Noto Sans\n\n"
    );
    assert!(!dir.path().join("out").exists());
}
