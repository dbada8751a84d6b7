//! The theme's logo as hostile input: an SVG that names other files, nests
//! without end or blurs at great cost, a logo from outside the templates
//! folder, and what each error says.

use std::path::Path;

use crate::support::briefing_in;

const THEME: &str = include_str!("../../templates/theme.yaml");
const BRIEF: &str = include_str!("../fixtures/valid_minimal.yaml");

/// A folder with `min.yaml` and a templates folder `T/` whose theme ends
/// with `logo_line`, and the line it stands on.
fn folder(logo_line: &str) -> (tempfile::TempDir, usize) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("min.yaml"), BRIEF).unwrap();
    std::fs::create_dir_all(dir.path().join("T")).unwrap();
    std::fs::write(
        dir.path().join("T/theme.yaml"),
        format!("{THEME}{logo_line}\n"),
    )
    .unwrap();
    (dir, THEME.lines().count() + 1)
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

/// `check --templates T min.yaml` in `dir`: the exit code and stderr.
fn check(dir: &Path) -> (i32, String) {
    let run = briefing_in(dir, &["check", "--templates", "T", "min.yaml"]);
    (run.code, run.stderr)
}

/// The error as printed at the theme's `logo:` line.
fn at_logo(message: &str, line: usize, written: &str, help: &str) -> String {
    let gutter = " ".repeat(line.to_string().len());
    format!(
        "error: {message}\n{gutter}--> T/theme.yaml:{line}:1\n{gutter} |\n{line} | {written}\n{gutter} | ^^^^\n{gutter} = help: {help}\n\n"
    )
}

const SVG_OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">"#;

#[cfg(unix)]
#[test]
fn an_svg_logo_reads_no_file_its_images_name() {
    let (dir, _) = folder("logo: { file: l.svg }");
    let fifo = dir.path().join("T/pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // A pipe no one writes to (opened, it would wait forever), the
    // password file, a device without end, and a relative path.
    write(
        dir.path(),
        "T/l.svg",
        &format!(
            r#"{SVG_OPEN}<image href="{}" width="10" height="10"/><image href="/etc/passwd" width="10" height="10"/><image href="/dev/zero" width="10" height="10"/><image href="pipe" width="10" height="10"/><rect width="5" height="5"/></svg>"#,
            fifo.display()
        ),
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(
        (code, stderr.as_str()),
        (0, "1 brief checked: 1 valid, 0 warnings (… s)\n")
    );
}

#[test]
fn a_deeply_nested_svg_logo_is_refused_before_it_is_parsed() {
    let (dir, line) = folder("logo: { file: deep.svg }");
    let deep = format!(
        "{SVG_OPEN}{}{}</svg>",
        "<g>".repeat(20_000),
        "</g>".repeat(20_000)
    );
    write(dir.path(), "T/deep.svg", &deep);
    assert_eq!(
        check(dir.path()),
        (
            1,
            at_logo(
                "the logo `T/deep.svg` nests its elements more than 256 deep, more than an SVG drawing may",
                line,
                "logo: { file: deep.svg }",
                "simplify the logo (flatten its groups), or export it as PNG"
            )
        )
    );
    // 256 levels, the `<svg>` counted, are drawn.
    let within = format!(
        "{SVG_OPEN}{}<rect width=\"5\" height=\"5\"/>{}</svg>",
        "<g>".repeat(254),
        "</g>".repeat(254)
    );
    write(dir.path(), "T/deep.svg", &within);
    assert_eq!(check(dir.path()).0, 0);
}

#[test]
fn an_svg_logo_with_filters_is_refused() {
    let (dir, line) = folder("logo: { file: blur.svg }");
    let blur = format!(
        r#"{SVG_OPEN}<filter id="f"><feGaussianBlur stdDeviation="100000"/></filter>{}</svg>"#,
        r#"<rect width="10" height="10" filter="url(#f)"/>"#.repeat(2000)
    );
    write(dir.path(), "T/blur.svg", &blur);
    let refused = at_logo(
        "the logo `T/blur.svg` uses an SVG filter (a blur, a shadow), which is not drawn here",
        line,
        "logo: { file: blur.svg }",
        "remove the filters from the logo (in Inkscape: Filters > Remove Filters), or export it as PNG",
    );
    assert_eq!(check(dir.path()), (1, refused.clone()));
    // A filter function in a style, without a `<filter>` element.
    write(
        dir.path(),
        "T/blur.svg",
        &format!(r#"{SVG_OPEN}<rect width="10" height="10" style="filter: blur(9)"/></svg>"#),
    );
    assert_eq!(check(dir.path()), (1, refused));
}

#[test]
fn a_logo_outside_the_templates_folder_is_refused_unless_allowed() {
    for written in ["../secret.png", "link.png"] {
        let line_text = format!("logo: {{ file: {written} }}");
        let (dir, line) = folder(&line_text);
        let crest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crest/crest.png");
        std::fs::copy(crest, dir.path().join("secret.png")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("../secret.png", dir.path().join("T/link.png")).unwrap();
        #[cfg(not(unix))]
        if written == "link.png" {
            continue;
        }
        let secret = dir.path().join("secret.png").canonicalize().unwrap();
        assert_eq!(
            check(dir.path()),
            (
                1,
                at_logo(
                    &format!(
                        "the logo `T/{written}` is outside the templates folder: it is `{}`",
                        secret.display()
                    ),
                    line,
                    &line_text,
                    "keep logos in the templates folder or a folder below it, or allow the folder with `--allow-path DIR`"
                )
            )
        );
        let run = briefing_in(
            dir.path(),
            &["check", "--templates", "T", "--allow-path", ".", "min.yaml"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
}

#[test]
fn an_svg_logo_whose_uses_copy_ten_million_elements_is_refused() {
    let (dir, line) = folder("logo: { file: use.svg }");
    let mut svg = format!(r#"{SVG_OPEN}<defs><rect id="l0" width="1" height="1"/>"#);
    for level in 1..8 {
        svg += &format!(r#"<g id="l{level}">"#);
        svg += &format!(r##"<use href="#l{}"/>"##, level - 1).repeat(10);
        svg += "</g>";
    }
    svg += r##"</defs><use href="#l7"/></svg>"##;
    write(dir.path(), "T/use.svg", &svg);
    assert_eq!(
        check(dir.path()),
        (
            1,
            at_logo(
                "the logo `T/use.svg` has more than 10000 elements (with the copies `<use>` makes), more than an SVG drawing may",
                line,
                "logo: { file: use.svg }",
                "simplify the logo (flatten its groups), or export it as PNG"
            )
        )
    );
    // A `<use>` of what it is inside of adds nothing (usvg leaves it out).
    write(
        dir.path(),
        "T/use.svg",
        &format!(r##"{SVG_OPEN}<g id="g"><rect width="5" height="5"/><use href="#g"/></g></svg>"##),
    );
    assert_eq!(check(dir.path()).0, 0);
}

#[test]
fn a_png_logo_claiming_four_billion_pixels_a_side_is_refused_by_the_side_limit() {
    let (dir, line) = folder("logo: { file: huge.png }");
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        // The checksum is not what is refused.
        out.extend_from_slice(&[0; 4]);
        out
    };
    let mut header = 4_000_000_000u32.to_be_bytes().repeat(2);
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"IEND", &[]));
    std::fs::write(dir.path().join("T/huge.png"), png).unwrap();
    assert_eq!(
        check(dir.path()),
        (
            1,
            at_logo(
                "the logo `T/huge.png` is 4000000000 × 4000000000 pixels, more than the 20000 pixels a side an image may have",
                line,
                "logo: { file: huge.png }",
                "scale the logo down: it is printed 30 mm wide, for which 355 pixels across are enough at 300 dpi"
            )
        )
    );
}

#[test]
fn an_svg_logo_far_taller_than_wide_says_its_size() {
    let (dir, line) = folder("logo: { file: tall.svg }");
    write(
        dir.path(),
        "T/tall.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="100000000"><rect width="5" height="5"/></svg>"#,
    );
    assert_eq!(
        check(dir.path()),
        (
            1,
            at_logo(
                "the logo `T/tall.svg` is 10 × 100000000 (its `width` and `height`): drawn 355 pixels across, it would be 3550000000 pixels tall, more than the 20000 pixels a side an image may have",
                line,
                "logo: { file: tall.svg }",
                "a logo is about as wide as it is tall: check the `width`, `height` and `viewBox` of the SVG"
            )
        )
    );
}

#[test]
fn a_folder_as_logo_is_said_to_be_no_logo_file() {
    let (dir, line) = folder("logo: { file: dir }");
    std::fs::create_dir_all(dir.path().join("T/dir")).unwrap();
    assert_eq!(
        check(dir.path()),
        (
            1,
            at_logo(
                "cannot read the logo `T/dir`: it is a folder, not a file",
                line,
                "logo: { file: dir }",
                "a logo is an SVG, PNG or JPEG file of at most 64 MB"
            )
        )
    );
}

#[test]
fn a_logo_written_as_a_file_name_alone_says_what_is_expected() {
    let (dir, line) = folder("logo: ok.png");
    assert_eq!(
        check(dir.path()),
        (
            1,
            format!(
                "error: the theme is not valid: logo: invalid type: string \"ok.png\", expected a mapping such as `logo: {{ file: crest.svg }}`\n  --> T/theme.yaml:{line}:7\n   |\n{line} | logo: ok.png\n   |       ^\n   = help: compare with the default: `briefing templates export DIR`\n\n"
            )
        )
    );
}
