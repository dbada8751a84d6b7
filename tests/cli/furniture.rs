//! The letterhead and page furniture: the theme's logo on the cover and in
//! the running header, images a template names, a cover without running
//! header or footer, drafts and their watermark, the markings of a pack,
//! and the pack's cover sentence.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{
    briefing_in, copy_examples, copy_fixture, images_drawn, page_texts, qpdf_check, tool,
};

const THEME: &str = include_str!("../../templates/theme.yaml");
const CREST: &str = "tests/fixtures/crest";

/// A4's width in points.
const PAGE_WIDTH: f32 = 595.276;

/// A folder with the two examples in `briefs/`, and a templates folder
/// `tpl/` holding the crest fixtures and a theme with `theme_extra` added.
fn folder(theme_extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path(), &["moskau-2025.yaml", "valmora-2026.yaml"]);
    let tpl = dir.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    for file in ["crest.svg", "crest.png"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(CREST).join(file);
        std::fs::copy(from, tpl.join(file)).unwrap();
    }
    std::fs::write(tpl.join("theme.yaml"), format!("{THEME}\n{theme_extra}\n")).unwrap();
    dir
}

/// The line of the theme [`folder`] writes `theme_extra` on.
fn logo_line() -> usize {
    THEME.lines().count() + 2
}

/// Renders `brief` in `dir` with `args`; returns the PDF's path, checked
/// with `qpdf --check`.
fn render(dir: &Path, brief: &str, args: &[&str]) -> PathBuf {
    let mut all = vec!["render", brief, "-o", "out"];
    all.extend_from_slice(args);
    let run = briefing_in(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stem = Path::new(brief).file_stem().unwrap().to_str().unwrap();
    let pdf = dir.join("out").join(format!("{stem}.pdf"));
    qpdf_check(&pdf);
    pdf
}

/// The text of each page as poppler's `pdftotext` reads it (`None` where
/// it is not installed).
fn pdftotext_pages(pdf: &Path) -> Option<Vec<String>> {
    tool("pdftotext")?;
    let pages = lopdf::Document::load(pdf).unwrap().get_pages().len();
    Some(
        (1..=pages)
            .map(|n| {
                let n = n.to_string();
                let out = Command::new("pdftotext")
                    .args(["-layout", "-f", &n, "-l", &n])
                    .arg(pdf)
                    .arg("-")
                    .output()
                    .unwrap();
                assert!(out.status.success());
                // A number and its noun are held together by a no-break space.
                String::from_utf8(out.stdout)
                    .unwrap()
                    .replace('\u{a0}', " ")
            })
            .collect(),
    )
}

#[test]
fn the_themes_logo_stands_centred_on_the_cover() {
    let dir = folder("logo: { file: crest.png, width: 30, alt: Nordland crest }");
    let pdf = render(
        dir.path(),
        "briefs/valmora-2026.yaml",
        &["--templates", "tpl"],
    );
    let images = images_drawn(&pdf);
    assert_eq!(images[0].len(), 1, "{images:?}");
    let [x, _, width, height] = images[0][0];
    // 30 mm wide, its centre on the page's.
    assert!((width - 85.04).abs() < 0.1, "{width}");
    assert!((height - 85.04 * 140.0 / 120.0).abs() < 0.2, "{height}");
    assert!((x + width / 2.0 - PAGE_WIDTH / 2.0).abs() < 0.1, "{x}");
    // Not in the running header unless the theme says so (the people's
    // photos are the only other images).
    assert!(
        images[1..].iter().flatten().all(|[_, y, _, _]| *y < 700.0),
        "{images:?}"
    );
}

#[test]
fn an_svg_logo_is_drawn_on_the_cover_and_small_in_the_header() {
    let dir = folder("logo: { file: crest.svg, height: 40, in_header: true }");
    let pdf = render(
        dir.path(),
        "briefs/valmora-2026.yaml",
        &["--templates", "tpl"],
    );
    let images = images_drawn(&pdf);
    let [x, _, width, height] = images[0][0];
    assert!((height - 113.39).abs() < 0.2, "{height}");
    assert!((width - 113.39 * 120.0 / 140.0).abs() < 0.3, "{width}");
    assert!((x + width / 2.0 - PAGE_WIDTH / 2.0).abs() < 0.1, "{x}");
    // Every other page: once, small, at the left of the header.
    for page in &images[1..] {
        let in_header: Vec<_> = page.iter().filter(|[_, y, _, _]| *y > 780.0).collect();
        assert_eq!(in_header.len(), 1, "{images:?}");
        let [x, _, _, height] = *in_header[0];
        assert!((height - 12.8).abs() < 0.1, "{height}");
        assert!((x - 62.36).abs() < 0.1, "{x}");
    }
    // The logo is content on the cover, a figure described by the office
    // that prepared the brief; in the header it is an artifact.
    let document = lopdf::Document::load(&pdf).unwrap();
    let figures: Vec<String> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"Figure"))
        .filter_map(|dict| lopdf::decode_text_string(dict.get(b"Alt").ok()?).ok())
        .collect();
    assert!(
        figures
            .contains(&"Protocol Department, Ministry of Foreign Affairs of Nordland".to_string()),
        "{figures:?}"
    );
}

#[test]
fn a_logo_that_is_not_an_image_is_an_error_naming_the_theme() {
    let dir = folder("logo: { file: theme.yaml }");
    let run = briefing_in(
        dir.path(),
        &["render", "briefs/valmora-2026.yaml", "--templates", "tpl"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: the logo `tpl/theme.yaml` is neither an SVG, a PNG nor a JPEG image\n  \
             --> tpl/theme.yaml:{line}:1\n   |\n{line} | logo: {{ file: theme.yaml }}\n   | ^^^^\n   \
             = help: convert the logo to SVG, PNG or JPEG\n\n",
            line = logo_line()
        )
    );
}

#[test]
fn a_missing_logo_is_an_error_saying_where_logos_are_found() {
    let dir = folder("logo: { file: missing.svg }");
    let run = briefing_in(
        dir.path(),
        &["render", "briefs/valmora-2026.yaml", "--templates", "tpl"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot read the logo `tpl/missing.svg`: No such file or directory\n  \
             --> tpl/theme.yaml:{line}:1\n   |\n{line} | logo: {{ file: missing.svg }}\n   | ^^^^\n   \
             = help: logo paths are relative to the theme's folder\n\n",
            line = logo_line()
        )
    );
}

/// The templates in `tpl/`, with `line` added to the cover of the
/// briefing, after its title.
fn template_writing(dir: &Path, line: &str) {
    let run = briefing_in(dir, &["templates", "export", "tpl", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = dir.join("tpl/briefing.md.hbs");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("# {{title}}\n", &format!("# {{{{title}}}}\n\n{line}\n"), 1);
    std::fs::write(&file, text).unwrap();
}

#[test]
fn an_image_a_template_names_is_found_from_the_templates_folder_wherever_the_command_runs() {
    let dir = folder("");
    template_writing(dir.path(), "![Crest](crest.png)");
    // Run from another folder: the same command finds it.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let run = briefing_in(
        &elsewhere,
        &[
            "render",
            "../briefs/valmora-2026.yaml",
            "--templates",
            "../tpl",
            "-o",
            "out",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = elsewhere.join("out/valmora-2026.pdf");
    qpdf_check(&pdf);
    let images = images_drawn(&pdf);
    assert_eq!(images[0].len(), 1, "{images:?}");
    // Centred on the cover, at the theme's photo width (28 mm).
    let [x, _, width, _] = images[0][0];
    assert!((x + width / 2.0 - PAGE_WIDTH / 2.0).abs() < 0.1, "{x}");
}

#[test]
fn an_image_a_template_names_is_found_in_the_briefs_folder_after_the_templates_folder() {
    let dir = folder("");
    template_writing(dir.path(), "![Crest](letterhead.png)");
    std::fs::copy(
        dir.path().join("tpl/crest.png"),
        dir.path().join("briefs/letterhead.png"),
    )
    .unwrap();
    let pdf = render(
        dir.path(),
        "briefs/valmora-2026.yaml",
        &["--templates", "tpl"],
    );
    assert_eq!(images_drawn(&pdf)[0].len(), 1);
}

#[test]
fn an_image_a_template_names_that_cannot_be_read_names_the_template_and_its_line() {
    let dir = folder("");
    template_writing(dir.path(), "![Crest](missing.png)");
    let run = briefing_in(
        dir.path(),
        &["render", "briefs/valmora-2026.yaml", "--templates", "tpl"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot read the image `tpl/missing.png`: No such file or directory\n  \
         --> tpl/briefing.md.hbs:19:1\n   |\n19 | ![Crest](missing.png)\n   | ^^\n   \
         = help: an image of a template is looked for in the templates folder, then in the folder of the brief\n\n\
         0 briefs rendered, 1 failed, 0 warnings (… s)\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_cover_has_no_running_header_or_footer_but_keeps_its_marking() {
    let dir = folder("");
    let pdf = render(dir.path(), "briefs/valmora-2026.yaml", &[]);
    let Some(pages) = pdftotext_pages(&pdf) else {
        return;
    };
    let cover = &pages[0];
    assert!(!cover.contains("Page 1 of"), "{cover}");
    // The reference is on the cover once, as its own line, not again in
    // the footer.
    assert_eq!(cover.matches("NFM/PROT/2026/117").count(), 1, "{cover}");
    assert_eq!(cover.matches("RESTRICTED").count(), 2, "{cover}");
    assert!(pages[1].contains("Page 2 of"), "{}", pages[1]);
}

#[test]
fn the_cover_names_the_event_once() {
    let dir = folder("");
    let pdf = render(dir.path(), "briefs/moskau-2025.yaml", &[]);
    let Some(pages) = pdftotext_pages(&pdf) else {
        return;
    };
    let cover = pages[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        cover
            .matches("13. Internationales Treffen hochrangiger Sicherheitsbeamter")
            .count(),
        1,
        "{cover}"
    );
    assert!(
        cover.contains("Gastgeber: Sicherheitsrat der Russischen Föderation"),
        "{cover}"
    );
    // A subtitle that holds the event's name names it too.
    let pdf = render(dir.path(), "briefs/valmora-2026.yaml", &[]);
    let pages = pdftotext_pages(&pdf).unwrap();
    let cover = pages[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        cover
            .matches("Valmora Regional Water Security Conference")
            .count(),
        1,
        "{cover}"
    );
    assert!(
        cover.contains("Host: Government of the Republic of Valmora"),
        "{cover}"
    );
}

/// Keywords as poppler's `pdfinfo` reads them.
fn keywords(pdf: &Path) -> Option<String> {
    let mut pdfinfo = tool("pdfinfo")?;
    let out = pdfinfo.arg(pdf).output().unwrap();
    let info = String::from_utf8(out.stdout).unwrap();
    Some(
        info.lines()
            .find_map(|line| line.strip_prefix("Keywords:"))
            .unwrap_or_default()
            .trim()
            .to_string(),
    )
}

#[test]
fn draft_puts_a_watermark_on_every_page_and_says_so_in_the_metadata() {
    let dir = folder("");
    let pdf = render(dir.path(), "briefs/valmora-2026.yaml", &["--draft"]);
    // Read with a PDF library: poppler reads turned text letter by letter.
    let pages = page_texts(&pdf);
    assert!(pages.len() > 3);
    for (n, page) in pages.iter().enumerate() {
        assert_eq!(page.matches("DRAFT").count(), 1, "page {}: {page}", n + 1);
    }
    if let Some(keywords) = keywords(&pdf) {
        assert!(keywords.starts_with("Draft, "), "{keywords}");
    }
    // Without it, none.
    let pdf = render(dir.path(), "briefs/valmora-2026.yaml", &[]);
    assert!(page_texts(&pdf).iter().all(|page| !page.contains("DRAFT")));
    if let Some(keywords) = keywords(&pdf) {
        assert!(!keywords.contains("Draft"), "{keywords}");
    }
}

#[test]
fn a_brief_with_status_draft_is_watermarked_in_its_language() {
    let dir = folder("");
    let brief = dir.path().join("briefs/moskau-2025.yaml");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(
        &brief,
        text.replacen("language: de\n", "language: de\nstatus: draft\n", 1),
    )
    .unwrap();
    let pdf = render(dir.path(), "briefs/moskau-2025.yaml", &[]);
    for (n, page) in page_texts(&pdf).iter().enumerate() {
        assert!(page.contains("ENTWURF"), "page {}: {page}", n + 1);
    }
    if let Some(keywords) = keywords(&pdf) {
        assert!(keywords.starts_with("Draft, "), "{keywords}");
    }
}

#[test]
fn an_unknown_status_is_an_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("valid_minimal", dir.path(), "visit.yaml");
    let brief = dir.path().join("visit.yaml");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(&brief, format!("{text}status: drafted\n")).unwrap();
    let run = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: unknown status `drafted`\n --> visit.yaml:5:9\n  |\n5 | status: drafted\n  |         ^^^^^^^\n  = help: did you mean `draft`? a brief is a `draft` (marked as such on every page) or `final`\n"
        ),
        "{}",
        run.stderr
    );
}

/// A pack of the English example (RESTRICTED) and an unclassified brief.
fn mixed_pack(dir: &Path, args: &[&str]) -> PathBuf {
    copy_fixture("valid_minimal", &dir.join("briefs"), "minimal.yaml");
    std::fs::remove_file(dir.join("briefs/moskau-2025.yaml")).unwrap();
    let mut all = vec!["pack", "briefs", "-o", "out/pack.pdf"];
    all.extend_from_slice(args);
    let run = briefing_in(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = dir.join("out/pack.pdf");
    qpdf_check(&pdf);
    pdf
}

#[test]
fn every_page_of_a_pack_carries_the_packs_marking() {
    let dir = folder("");
    let pdf = mixed_pack(dir.path(), &[]);
    let Some(pages) = pdftotext_pages(&pdf) else {
        return;
    };
    assert!(pages.len() > 6);
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.matches("RESTRICTED").count() >= 2,
            "page {}: {page}",
            n + 1
        );
    }
    // The cover says what the pack holds, in a sentence.
    assert!(
        pages[0].contains("This pack holds 2 briefs."),
        "{}",
        pages[0]
    );
    assert!(!pages[0].contains("Pack page"), "{}", pages[0]);
}

#[test]
fn a_german_packs_cover_says_how_many_briefs_it_holds_in_german() {
    let dir = folder("");
    let pdf = mixed_pack(dir.path(), &["--language", "de", "--draft"]);
    let Some(pages) = pdftotext_pages(&pdf) else {
        return;
    };
    assert!(
        pages[0].contains("Diese Mappe enthält 2 Besuchsunterlagen."),
        "{}",
        pages[0]
    );
    // A draft pack: its own pages in its language, each brief's in its own.
    let pages = page_texts(&pdf);
    assert!(pages[0].contains("ENTWURF"), "{}", pages[0]);
    assert!(pages.iter().skip(2).all(|page| page.contains("DRAFT")));
}
