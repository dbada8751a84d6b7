//! The scripts of the people in a visit: Arabic and Hebrew names and text
//! in a German brief are shaped from the bundled fallback fonts, ordered by
//! the bidirectional algorithm line by line, and copied back from the PDF
//! as they were written.

use std::path::Path;
use std::process::Command;

use crate::support::{briefing_in, files_in, tool, words_with_x};

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

/// A folder holding `yaml` as `visit.yaml`.
fn with_brief(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), yaml).unwrap();
    dir
}

fn rendered() -> tempfile::TempDir {
    let dir = with_brief(BRIEF);
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

/// Where `word` starts on the page, each time it is there (at least once).
/// poppler's boxes hold a right-to-left word's letters in the order they
/// are drawn, so the word is looked for reversed too.
fn x_of(words: &[(String, f32)], word: &str) -> Vec<f32> {
    let drawn: String = word.chars().rev().collect();
    let found: Vec<f32> = words
        .iter()
        .filter(|(w, _)| *w == word || *w == drawn)
        .map(|(_, x)| *x)
        .collect();
    assert!(!found.is_empty(), "`{word}` not on the page: {words:?}");
    found
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
    let Some(words) = words_with_x(&dir.path().join("out/visit.pdf"), 4) else {
        return;
    };
    let x = |word: &str| *x_of(&words, word).last().unwrap();
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
    let dir = with_brief(CJK_BRIEF);
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
    let dir = with_brief(CJK_BRIEF);
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
    let dir = with_brief(CJK_BRIEF);
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
    let dir = with_brief("title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ndelegation:\n  - name: \"Erika \u{F0000} Muster\"\n");
    let run = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: no font has the character `\u{F0000}` (U+F0000); it shows as �\n \
         --> visit.yaml:6:11\n  |\n6 |   - name: \"Erika \u{F0000} Muster\"\n  |           ^^^^^^^^^^^^^^^^\n  \
         = help: name a font that has it: in the theme's `fonts.fallbacks`, or a folder of fonts with `--font-path` (`briefing fonts` lists those used)\n\n\
         1 brief checked: 1 valid, 1 warning (… s)\n"
    );
}

#[test]
fn check_looks_for_characters_in_the_font_path_too() {
    let dir = with_brief(CJK_BRIEF);
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
    let dir = with_brief(CJK_BRIEF);
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
    let dir = with_brief(CJK_BRIEF);
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

/// The Arabic example rendered into a fresh folder, checked by qpdf.
fn arabic_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let brief = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/moskau-2025-ar.yaml");
    let out = dir.path().join("out");
    let run = briefing_in(
        dir.path(),
        &[
            "render",
            brief.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("1 brief rendered, 0 failed, 0 warnings (… s)\n"),
        "{}",
        run.stderr
    );
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf
            .arg("--check")
            .arg(out.join("moskau-2025-ar.pdf"))
            .output()
            .unwrap();
        assert!(check.status.success(), "qpdf --check fails");
    }
    dir
}

#[test]
fn every_word_of_the_arabic_example_copies_back_as_written() {
    let dir = arabic_example();
    let Some(mut pdftotext) = tool("pdftotext") else {
        return;
    };
    let output = pdftotext
        .arg(dir.path().join("out/moskau-2025-ar.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.retain(|c| !('\u{202A}'..='\u{202E}').contains(&c));
    // Words as runs of Arabic letters: poppler moves the spaces around an
    // Arabic comma or a number in Arabic text (`100 دولة` copies as
    // ` 100دولة`), which is its reading, not the order drawn.
    let arabic_words = |text: &str| -> Vec<String> {
        text.split(|c: char| !('\u{0600}'..='\u{06FF}').contains(&c) || c == '،')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let copied: std::collections::BTreeSet<String> = arabic_words(&text).into_iter().collect();
    let brief = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/moskau-2025-ar.yaml"),
    )
    .unwrap();
    let mut words = 0;
    for line in brief.lines().filter(|l| !l.trim_start().starts_with('#')) {
        for word in arabic_words(line) {
            words += 1;
            // A letter with a vowel mark (`أساسًا`) is drawn from a glyph
            // the font's map gives another text: it copies back whole only
            // with its ActualText.
            assert!(
                copied.contains(&word),
                "`{word}` is not copied back as written:\n{text}"
            );
        }
    }
    assert!(words > 300, "{words} words");
    assert!(brief.contains("أساسًا"));
}

#[test]
fn the_arabic_example_runs_right_to_left() {
    let dir = arabic_example();
    let Some(words) = words_with_x(&dir.path().join("out/moskau-2025-ar.pdf"), 4) else {
        return;
    };
    let x = |word: &str| x_of(&words, word)[0];
    // A4 is 595 points wide; the margins are 22 mm (62 points).
    // The section's number stands right of its title, at the margin.
    assert!(x("1") > x("الحدث"), "{words:?}");
    assert!(x("1") > 520.0, "{words:?}");
    // The programme's first column (the item) is right of the attendees.
    assert!(x("البرنامج") > x("المشاركون"), "{words:?}");
    // The footer: the reference on the right, the page number on the left.
    assert!(x("DGSN-2025-013") > 400.0, "{words:?}");
    assert!(x("الصفحة") < 200.0, "{words:?}");
}

#[test]
fn the_arabic_summary_is_set_right_to_left_in_a_markdown_viewer() {
    let dir = arabic_example();
    let summary = std::fs::read_to_string(dir.path().join("out/moskau-2025-ar.md")).unwrap();
    assert!(summary.starts_with("<div dir=\"rtl\">\n\n"), "{summary}");
    assert!(summary.ends_with("\n\n</div>\n"), "{summary}");
    // The Markdown inside the block is still Markdown: CommonMark ends an
    // HTML block at a blank line, so the headings and lists are parsed.
    use pulldown_cmark::{Event, Parser, Tag};
    let events: Vec<Event> = Parser::new(&summary).collect();
    let first_html = events.iter().find_map(|e| match e {
        Event::Html(html) => Some(html.to_string()),
        _ => None,
    });
    assert_eq!(first_html.as_deref(), Some("<div dir=\"rtl\">\n"));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Heading { .. }))));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::List(_)))));
    assert!(
        summary.contains("- **المكان:** موسكو، روسيا\n"),
        "{summary}"
    );
}

#[test]
fn a_pack_in_arabic_is_set_right_to_left() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_examples(dir.path(), &["moskau-2025-ar.yaml", "moskau-2025.yaml"]);
    let run = briefing_in(
        dir.path(),
        &["pack", "briefs", "-o", "pack.pdf", "--language", "ar"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(dir.path().join("pack.md")).unwrap();
    assert!(index.starts_with("<div dir=\"rtl\">\n\n"), "{index}");
    assert!(index.contains("# ملف الإحاطة\n"), "{index}");
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf
            .arg("--check")
            .arg(dir.path().join("pack.pdf"))
            .output()
            .unwrap();
        assert!(check.status.success(), "qpdf --check fails");
    }
    let Some(words) = words_with_x(&dir.path().join("pack.pdf"), 1) else {
        return;
    };
    // The pack's title, on its own right-to-left page, ends at the right
    // margin's side; the German brief's pages keep their direction.
    let title = words
        .iter()
        .find(|(w, _)| w.contains("الإحاطة") || w.contains("ةطاحإلا"));
    assert!(title.is_some(), "{words:?}");
}

#[test]
fn without_system_fonts_a_script_no_bundled_font_has_is_one_warning_per_value() {
    let dir = with_brief("title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ndelegation:\n  - name: \"नमस्ते\"\n");
    let run = briefing_in(
        dir.path(),
        &["check", "visit.yaml", "--ignore-system-fonts"],
    );
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: no font has the characters `न` (U+0928), `म` (U+092E), `स` (U+0938), `्` (U+094D), `त` (U+0924) and 1 more; they show as �\n \
         --> visit.yaml:6:11\n  |\n6 |   - name: \"नमस्ते\"\n  |           ^^^^^^^^\n  \
         = help: name a font that has them: in the theme's `fonts.fallbacks`, or a folder of fonts with `--font-path` (`briefing fonts` lists those used)\n\n\
         1 brief checked: 1 valid, 1 warning (… s)\n"
    );
    let fonts = briefing_in(dir.path(), &["fonts"]);
    let listed = briefing_in(dir.path(), &["fonts", "--ignore-system-fonts"]);
    assert_eq!(
        listed.stdout,
        "Noto Sans         bundled\nNoto Sans Mono    bundled\nNoto Sans Arabic  bundled (fallback)\nNoto Sans Hebrew  bundled (fallback)\n"
    );
    assert!(fonts.stdout.starts_with("Noto Sans"), "{}", fonts.stdout);
}

mod any_text {
    //! Whatever text a brief holds, `render` ends cleanly and writes a
    //! valid PDF, or reports what is wrong and writes nothing.

    use std::sync::OnceLock;

    use briefing::render::Renderer;
    use briefing::templates::Templates;
    use proptest::prelude::*;

    /// Pieces of text from every script the bundled fonts cover, digits of
    /// both kinds, marks, joiners, bidirectional controls and isolates,
    /// Markdown's own characters, controls, and characters no font has.
    const PIECES: &[&str] = &[
        "Moskau",
        "Straße",
        "Ωμέγα",
        "Москва",
        "Việt",
        "e\u{301}",
        "عبد",
        "اللطيف",
        "حموشي",
        "لا",
        "ً",
        "ّ",
        "ﷺ",
        "پژوهش",
        "فارسی",
        "ٹڈی",
        "٢٠٢٥",
        "١٢٣",
        "שָׁלוֹם",
        "דוד",
        "בן-גוריון",
        "2025",
        "3.5",
        "(",
        ")",
        "[",
        "]",
        "«",
        "»",
        "—",
        "-",
        "/",
        ":",
        "،",
        "\u{200D}",
        "\u{200C}",
        "\u{200E}",
        "\u{200F}",
        "\u{061C}",
        "\u{202A}",
        "\u{202B}",
        "\u{202C}",
        "\u{202D}",
        "\u{202E}",
        "\u{2066}",
        "\u{2067}",
        "\u{2068}",
        "\u{2069}",
        "\u{FEFF}",
        " ",
        "  ",
        "\u{A0}",
        "中文",
        "日本語",
        "한국어",
        "\u{F0000}",
        "🙂",
        "*",
        "_",
        "`",
        "#",
        "|",
        "\\",
        "<b>",
        "\t",
        "\u{7}",
        "\u{85}",
        "\n",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(0..PIECES.len(), 1..14)
            .prop_map(|picks| picks.into_iter().map(|i| PIECES[i]).collect())
    }

    fn renderer() -> &'static Renderer {
        static RENDERER: OnceLock<Renderer> = OnceLock::new();
        RENDERER.get_or_init(|| {
            // The fonts of any machine alike: the bundled ones, and the
            // fixture's Chinese, Japanese and Korean subset.
            Renderer::new(Templates::defaults(), Some(0))
                .unwrap()
                .without_system_fonts()
                .with_font_folders(&[super::fixture_fonts()])
                .unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_text_in_any_field_renders_or_is_reported(
            language in 0..4usize,
            title in text(),
            subtitle in text(),
            name in text(),
            role in text(),
            point in text(),
            item in text(),
            background in text(),
        ) {
            let language = ["en", "de", "fr", "ar"][language];
            let brief = serde_yaml::to_string(&serde_json::json!({
                "title": title,
                "subtitle": subtitle,
                "language": language,
                "classification": point,
                "visit": { "start": "2026-01-05", "end": "2026-01-06" },
                "delegation": [{ "name": name, "title": role }, { "name": "Erika Muster" }],
                "talking_points": [point, { "topic": title, "points": [role, background] }],
                "schedule": [{ "date": "2026-01-05", "start": "09:00", "title": item, "attendees": [name] }],
                "background": background,
            }))
            .unwrap();
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("visit.yaml");
            std::fs::write(&input, &brief).unwrap();
            let out = dir.path().join("out");
            let report = renderer().render(&input, &briefing::render::Destination::Folder(out.clone()), &briefing::render::Format::DEFAULT);
            for diagnostic in &report.diagnostics {
                prop_assert!(
                    !diagnostic.message.contains("internal error"),
                    "{} in\n{brief}", diagnostic.message
                );
            }
            if report.failed() {
                prop_assert!(report.outputs.is_empty());
                prop_assert!(!out.join("visit.pdf").exists());
            } else {
                let bytes = std::fs::read(out.join("visit.pdf")).unwrap();
                let pdf = lopdf::Document::load_mem(&bytes);
                prop_assert!(pdf.is_ok(), "{brief}");
                prop_assert!(pdf.unwrap().get_pages().len() >= 2);
                if let Some(mut qpdf) = crate::support::tool("qpdf") {
                    let check = qpdf.arg("--check").arg(out.join("visit.pdf")).output().unwrap();
                    prop_assert!(check.status.success(), "qpdf --check fails on\n{brief}");
                }
            }
        }
    }
}
