//! Hostile and careless themes, theme fonts and `--jobs`: each is refused
//! quickly with a message naming the value and the limit it passes, and
//! nothing is written. Also the count on a pack's cover, in its language.

use std::path::Path;

use crate::support::{briefing_in, briefing_within, files_in, page_texts};

const BRIEF: &str = "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\n";

/// A folder with a brief and a templates folder `t` holding `theme`.
fn folder_with_theme(theme: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), BRIEF).unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/theme.yaml"), theme).unwrap();
    dir
}

/// The committed hostile theme `tests/hostile/<case>.yaml`.
fn hostile(case: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(format!("{case}.yaml"));
    std::fs::read_to_string(path).unwrap()
}

fn default_theme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/theme.yaml"))
        .unwrap()
}

/// Renders `visit.yaml` with the templates in `t`: refused with exit 1 and
/// nothing written; returns what it said.
fn refused(dir: &Path) -> String {
    let run = briefing_within(20, dir, &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!dir.join("out").exists(), "nothing is written");
    run.stderr
}

const COMPARE: &str = "   = help: compare with the default: `briefing templates export DIR`\n\n";

#[test]
fn a_theme_with_nan_margins_is_refused_at_the_value() {
    // Limit: top and bottom margins from 10 to 100 mm.
    let dir = folder_with_theme(&hostile("theme-nan-margins"));
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: `page.margins.top` is `.nan`, but the top and bottom margins are millimetres from 10 to 100, room for the running header and footer\n  --> t/theme.yaml:10:19\n   |\n10 |   margins: {{ top: .nan, bottom: 24, left: 22, right: 22 }}\n   |                   ^\n{COMPARE}"
        )
    );
}

#[test]
fn a_theme_with_negative_margins_is_refused_at_the_value() {
    // Limit: left and right margins from 0 to 100 mm.
    let dir = folder_with_theme(&hostile("theme-negative-margins"));
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: `page.margins.left` is `-40`, but the left and right margins are millimetres from 0 to 100\n  --> t/theme.yaml:10:41\n   |\n10 |   margins: {{ top: 24, bottom: 24, left: -40, right: 22 }}\n   |                                         ^\n{COMPARE}"
        )
    );
}

#[test]
fn a_theme_whose_margins_leave_no_column_is_refused() {
    // Limit: the margins take at most 60 % of the page's width together.
    let dir = folder_with_theme(&hostile("theme-margins-leave-no-column"));
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: the margins leave less than 40 % of the page's width for text: `left` and `right` are 200 mm together, at most 126 mm on A4\n  --> t/theme.yaml:10:12\n   |\n10 |   margins: {{ top: 24, bottom: 24, left: 100, right: 100 }}\n   |            ^\n{COMPARE}"
        )
    );
}

#[test]
fn a_theme_with_photo_width_zero_is_refused_at_the_value() {
    // Limit: photo widths from 5 to 100 mm.
    let dir = folder_with_theme(&hostile("theme-photo-width-zero"));
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: `photo_width` is `0`, but a photo's width is millimetres from 5 to 100\n  --> t/theme.yaml:34:14\n   |\n34 | photo_width: 0             # width of a counterpart's photo\n   |              ^\n{COMPARE}"
        )
    );
}

#[test]
fn a_theme_with_a_negative_or_nan_photo_width_is_refused() {
    for width in ["-28", ".nan", ".inf"] {
        let theme = default_theme().replace("photo_width: 28", &format!("photo_width: {width}"));
        let dir = folder_with_theme(&theme);
        let stderr = refused(dir.path());
        assert!(
            stderr.starts_with(&format!("error: the theme is not valid: `photo_width` is `{width}`, but a photo's width is millimetres from 5 to 100\n  --> t/theme.yaml:32:14\n")),
            "{stderr}"
        );
    }
}

#[test]
fn a_theme_with_a_nan_line_height_is_refused_at_the_value() {
    // Limit: line heights from 1 to 3 times the font size.
    let dir = folder_with_theme(&hostile("theme-nan-line-height"));
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: `line_height` is `.nan`, but the line height is a multiple of the font size from 1 to 3\n  --> t/theme.yaml:31:14\n   |\n31 | line_height: .nan           # times the font size\n   |              ^\n{COMPARE}"
        )
    );
}

#[test]
fn a_theme_with_a_nan_or_huge_font_size_is_refused_at_the_value() {
    // Limit: font sizes from 4 to 72 points.
    for size in [".nan", "1000", "-10"] {
        let theme = default_theme().replace("h1: 15", &format!("h1: {size}"));
        let dir = folder_with_theme(&theme);
        let stderr = refused(dir.path());
        assert!(
            stderr.starts_with(&format!("error: the theme is not valid: `sizes.h1` is `{size}`, but font sizes are points from 4 to 72\n  --> t/theme.yaml:23:7\n")),
            "{stderr}"
        );
    }
}

#[test]
fn a_theme_font_at_dev_zero_is_refused_without_reading_it() {
    // Limit: a font is a regular file (this one was read until the kernel
    // killed the run at 24 GB).
    let dir = folder_with_theme(&hostile("theme-font-dev-zero"));
    assert_eq!(
        refused(dir.path()),
        "error: cannot use the font `/dev/zero`: it is a device, not a file\n --> t/theme.yaml\n  = help: font paths in the theme are relative to the theme's folder; `bundled` uses Noto Sans\n\n"
    );
}

#[test]
fn a_theme_font_that_is_a_fifo_is_refused_without_waiting() {
    // Limit: a font is a regular file (opening a pipe to read it waited for
    // a writer forever).
    let dir = folder_with_theme(&default_theme().replace("  bold: bundled", "  bold: Pipe.ttf"));
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("t/Pipe.ttf"))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        refused(dir.path()),
        "error: cannot use the font `t/Pipe.ttf`: it is a named pipe (FIFO), not a file\n --> t/theme.yaml\n  = help: font paths in the theme are relative to the theme's folder; `bundled` uses Noto Sans\n\n"
    );
}

#[test]
fn a_theme_font_over_the_size_limit_is_refused_naming_the_limit() {
    // Limit: a font of at most 64 MB. The file is sparse: it takes no disk,
    // and is never read.
    let dir =
        folder_with_theme(&default_theme().replace("  italic: bundled", "  italic: Huge.ttf"));
    let file = std::fs::File::create(dir.path().join("t/Huge.ttf")).unwrap();
    file.set_len(65 * 1024 * 1024).unwrap();
    assert_eq!(
        refused(dir.path()),
        "error: cannot use the font `t/Huge.ttf`: it is 65 MB, more than the 64 MB a file may be here\n --> t/theme.yaml\n  = help: a theme's font may be at most 64 MB (a CJK font is about 20 MB); `bundled` uses Noto Sans\n\n"
    );
}

#[test]
fn a_theme_font_that_is_not_a_font_keeps_its_message() {
    let dir = folder_with_theme(&default_theme().replace("  mono: bundled", "  mono: Notes.ttf"));
    std::fs::write(dir.path().join("t/Notes.ttf"), "not a font\n").unwrap();
    assert_eq!(
        refused(dir.path()),
        "error: cannot use the font `t/Notes.ttf`: not a TrueType or OpenType font\n --> t/theme.yaml\n  = help: font paths in the theme are relative to the theme's folder; `bundled` uses Noto Sans\n\n"
    );
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn cores_in_words(cores: usize) -> String {
    if cores == 1 {
        "1 core".into()
    } else {
        format!("{cores} cores")
    }
}

#[test]
fn jobs_above_four_per_core_are_a_usage_error_naming_the_limit() {
    // Limit: --jobs at most 4 × the cores (`-j 65535` built a pool of that
    // many threads and ran for minutes).
    let dir = folder_with_theme(&default_theme());
    let most = 4 * cores();
    for jobs in [
        (most + 1).to_string(),
        "65535".into(),
        "99999999999999999999".into(),
    ] {
        for command in ["check", "render", "pack"] {
            let run = briefing_within(10, dir.path(), &[command, "visit.yaml", "-j", &jobs]);
            assert_eq!(run.code, 2, "{}", run.stderr);
            assert_eq!(
                run.stderr,
                format!(
                    "error: invalid value '{jobs}' for '--jobs <N>': {jobs} is more than {most} (four times this machine's {})\n\nFor more information, try '--help'.\n",
                    cores_in_words(cores())
                )
            );
        }
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn jobs_at_four_per_core_run_and_zero_jobs_is_refused() {
    let dir = folder_with_theme(&default_theme());
    let most = 4 * cores();
    let run = briefing_within(
        60,
        dir.path(),
        &["check", "visit.yaml", "--jobs", &most.to_string()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = briefing_within(10, dir.path(), &["render", "visit.yaml", "-j", "0"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!("error: invalid value '0' for '--jobs <N>': 0 is not in 1..={most}\n\nFor more information, try '--help'.\n")
    );
}

/// The text of the cover of a pack of `briefs` copies of the brief, in
/// `language`.
fn pack_cover(briefs: usize, language: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("briefs")).unwrap();
    for n in 0..briefs {
        std::fs::write(dir.path().join(format!("briefs/visit-{n}.yaml")), BRIEF).unwrap();
    }
    let run = briefing_in(
        dir.path(),
        &["pack", "briefs", "-o", "pack.pdf", "--language", language],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_in(dir.path()), ["briefs", "pack.md", "pack.pdf"]);
    // Spaces as a reader sees them: the count is held to its noun by a
    // no-break space.
    page_texts(&dir.path().join("pack.pdf"))[0].replace('\u{a0}', " ")
}

#[test]
fn the_pack_cover_counts_its_briefs_in_the_singular_and_plural_of_its_language() {
    for (language, briefs, count) in [
        ("en", 1, "1 brief"),
        ("en", 3, "3 briefs"),
        ("de", 1, "1 Besuchsunterlage"),
        ("de", 3, "3 Besuchsunterlagen"),
        ("fr", 1, "1 note de visite"),
        ("fr", 3, "3 notes de visite"),
    ] {
        let cover = pack_cover(briefs, language);
        assert!(cover.contains(count), "{language}, {briefs}: {cover}");
        assert!(!cover.contains('×'), "{language}, {briefs}: {cover}");
    }
}

#[test]
fn every_problem_of_a_theme_is_reported_at_once_each_colour_at_its_own_line() {
    let theme = default_theme()
        .replace("\"#b3001b\"", "\"red\"")
        .replace("photo_width: 28 ", "photo_width: 0  ")
        .replace("justify: true", "justfy: true");
    let dir = folder_with_theme(&theme);
    // A key serde cannot read stops the reading of numbers, not of colours.
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: unknown field `justfy`, expected one of `page`, `fonts`, `sizes`, `line_height`, `justify`, `numbered_headings`, `photo_width`, `missing_photo`, `colours`, `header`, `footer_left`, `footer_right`, `pdf`, `logo`, `shrink`\n  --> t/theme.yaml:30:1\n   |\n30 | justfy: true              # justified body text, hyphenated in the brief's language\n   | ^\n{COMPARE}\
             error: the theme is not valid: `colours.marking` is `red`, which is not a colour like \"#12355b\"\n  --> t/theme.yaml:38:12\n   |\n38 |   marking: \"red\"       # the classification marking\n   |            ^\n{COMPARE}"
        )
    );
    let dir = folder_with_theme(&theme.replace("justfy: true", "justify: true"));
    assert_eq!(
        refused(dir.path()),
        format!(
            "error: the theme is not valid: `photo_width` is `0`, but a photo's width is millimetres from 5 to 100\n  --> t/theme.yaml:32:14\n   |\n32 | photo_width: 0             # width of a counterpart's photo\n   |              ^\n{COMPARE}\
             error: the theme is not valid: `colours.marking` is `red`, which is not a colour like \"#12355b\"\n  --> t/theme.yaml:38:12\n   |\n38 |   marking: \"red\"       # the classification marking\n   |            ^\n{COMPARE}"
        )
    );
}
