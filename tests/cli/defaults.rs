//! `briefing.toml`: the defaults of a folder of briefs, found beside the
//! briefs or above them, with flags winning and every mistake reported at
//! its line and column.

use crate::support::{briefing_in, briefing_within, copy_fixture, files_in};

/// A folder `briefs/` with one valid brief, and `briefs/briefing.toml`.
fn briefs_with(defaults: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("briefs")).unwrap();
    copy_fixture("valid_minimal", &dir.path().join("briefs"), "visit.yaml");
    std::fs::write(dir.path().join("briefs/briefing.toml"), defaults).unwrap();
    dir
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn the_file_sets_the_output_folder_relative_to_itself_and_a_flag_wins() {
    let dir = briefs_with("out = \"../rendered\"\n");
    let run = briefing_in(dir.path(), &["render", "briefs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "wrote rendered/visit.md\nwrote rendered/visit.pdf\n1 brief rendered, 0 failed, 0 warnings (… s)\n"
    );
    assert_eq!(
        files_in(&dir.path().join("rendered")),
        ["visit.md", "visit.pdf"]
    );
    let run = briefing_in(dir.path(), &["render", "briefs/visit.yaml", "-o", "mine"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_in(&dir.path().join("mine")),
        ["visit.md", "visit.pdf"]
    );
}

#[test]
fn the_file_sets_the_pdf_standard_and_the_packs_file() {
    let dir = briefs_with("pdf-standard = \"a-2b\"\npack = \"../packs/all.pdf\"\nmarking-order = [\"SECRET\", \"RESTRICTED\"]\n");
    let run = briefing_in(dir.path(), &["render", "briefs", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("out/visit.pdf")).unwrap();
    assert!(contains(&pdf, "<pdfaid:part>2</pdfaid:part>"));
    let run = briefing_in(
        dir.path(),
        &["render", "briefs", "-o", "ua", "--pdf-standard", "ua-1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("ua/visit.pdf")).unwrap();
    assert!(!contains(&pdf, "pdfaid:part"));
    let run = briefing_in(dir.path(), &["pack", "briefs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_in(&dir.path().join("packs")), ["all.md", "all.pdf"]);
    if let Some(mut qpdf) = crate::support::tool("qpdf") {
        for pdf in ["out/visit.pdf", "packs/all.pdf"] {
            let checked = qpdf
                .arg("--check")
                .arg(dir.path().join(pdf))
                .output()
                .unwrap();
            assert!(checked.status.success(), "{pdf}");
            qpdf = std::process::Command::new("qpdf");
        }
    }
}

#[test]
fn the_nearest_file_wins_and_the_search_stops_at_the_repository() {
    let dir = briefs_with("out = \"../near\"\n");
    std::fs::write(dir.path().join("briefing.toml"), "out = \"far\"\n").unwrap();
    let run = briefing_in(dir.path(), &["render", "briefs/visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_in(&dir.path().join("near")),
        ["visit.md", "visit.pdf"]
    );

    // A file above the repository's root is another project's.
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("briefing.toml"), "out = \"outside\"\n").unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("briefs")).unwrap();
    copy_fixture("valid_minimal", &repo.join("briefs"), "visit.yaml");
    let run = briefing_in(&repo, &["render", "briefs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_in(&repo.join("out")), ["visit.md", "visit.pdf"]);
    assert!(!outer.path().join("outside").exists());
}

#[test]
fn an_unknown_key_is_refused_with_a_suggestion_by_check_too() {
    let dir = briefs_with("# our office\nout = \"out\"\ntemplate = \"templates\"\n");
    let run = briefing_in(dir.path(), &["check", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown key `template`\n --> briefs/briefing.toml:3:1\n  |\n3 | template = \"templates\"\n  | ^^^^^^^^\n  = help: did you mean `templates`?\n\n"
    );
    let run = briefing_in(dir.path(), &["render", "briefs"]);
    assert_eq!(run.code, 1);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn every_mistake_in_the_file_is_reported_at_once_at_its_place() {
    let dir = briefs_with(
        "formats = [\"pdf\", \"docx\"]\npdf-standard = \"a-2x\"\nfont-path = [\"fonts\"]\nmarking-order = 3\ncolour = 1\n",
    );
    let run = briefing_in(dir.path(), &["check", "briefs", "--message-format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"column":19,"file":"briefs/briefing.toml","help":"use `pdf`, `md` or `ics`","line":1,"message":"unknown format `docx`","path":"formats","severity":"error","type":"diagnostic"}"#,
            "\n",
            r#"{"column":16,"file":"briefs/briefing.toml","help":"did you mean `a-2a`?","line":2,"message":"unknown PDF standard `a-2x`","path":"pdf-standard","severity":"error","type":"diagnostic"}"#,
            "\n",
            r#"{"column":14,"file":"briefs/briefing.toml","help":"paths in briefing.toml are relative to its own folder","line":3,"message":"`briefs/fonts` is not a folder","path":"font-path","severity":"error","type":"diagnostic"}"#,
            "\n",
            r#"{"column":17,"file":"briefs/briefing.toml","help":"for example `marking-order = [\"SECRET\", \"CONFIDENTIAL\"]`","line":4,"message":"`marking-order` should be a list of texts in quotes, but it is a number","path":"marking-order","severity":"error","type":"diagnostic"}"#,
            "\n",
            r#"{"column":1,"file":"briefs/briefing.toml","help":"the keys are `out`, `pack`, `templates`, `formats`, `marking-order`, `font-path`, `allow-path` and `pdf-standard`","line":5,"message":"unknown key `colour`","path":"colour","severity":"error","type":"diagnostic"}"#,
            "\n",
        )
    );
}

#[test]
fn a_file_that_is_not_toml_is_reported_at_its_place() {
    let dir = briefs_with("out = out\n");
    let run = briefing_in(dir.path(), &["check", "briefs/visit.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the defaults file is not TOML: string values must be quoted, expected literal string\n --> briefs/briefing.toml:1:7\n  |\n1 | out = out\n  |       ^^^\n  = help: write one `key = value` a line, e.g. `out = \"out\"`\n\n"
    );
}

#[test]
fn briefs_under_different_defaults_are_not_run_together() {
    let dir = briefs_with("out = \"out\"\n");
    std::fs::create_dir(dir.path().join("other")).unwrap();
    copy_fixture("valid_minimal", &dir.path().join("other"), "b.yaml");
    let run = briefing_in(dir.path(), &["check", "briefs/visit.yaml", "other/b.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `briefs/visit.yaml` and `other/b.yaml` have different defaults files (`briefs/briefing.toml` and none)\n --> other/b.yaml\n  = help: run the briefs of each briefing.toml separately\n\n"
    );
}

#[test]
fn the_file_sets_templates_and_fonts_for_check() {
    let dir = briefs_with("templates = \"../my-templates\"\nallow-path = [\"..\"]\n");
    let run = briefing_in(dir.path(), &["check", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot open the template folder: No such file or directory\n --> my-templates\n  = help: `briefing templates export DIR` writes the defaults to a folder to edit\n\n"
    );
    std::fs::create_dir(dir.path().join("my-templates")).unwrap();
    let run = briefing_in(dir.path(), &["check", "briefs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_defaults_file_too_large_or_not_a_file_is_refused_unread() {
    let dir = briefs_with(&"# x".repeat(30_000));
    let run = briefing_within(20, dir.path(), &["check", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot read the defaults file: it is 88 KB, more than the 64 KB a file may be here\n --> briefs/briefing.toml\n\n"
    );
    std::fs::remove_file(dir.path().join("briefs/briefing.toml")).unwrap();
    std::fs::create_dir(dir.path().join("briefs/briefing.toml")).unwrap();
    let run = briefing_within(20, dir.path(), &["check", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot read the defaults file: it is a folder, not a file\n --> briefs/briefing.toml\n\n"
    );
}

/// `formats = []` would write nothing and say it rendered: refused at its
/// place, by render and check alike.
#[test]
fn an_empty_list_of_formats_is_refused_at_its_place() {
    let dir = briefs_with("out = \"out\"\nformats = []\n");
    let expected = "error: `formats` lists no format\n --> briefs/briefing.toml:2:11\n  |\n2 | formats = []\n  |           ^^\n  = help: list at least one, `pdf`, `md` or `ics` (e.g. `formats = [\"pdf\", \"md\"]`), or leave `formats` out for the default\n\n";
    let run = briefing_in(dir.path(), &["render", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, expected);
    assert!(!dir.path().join("out").exists());
    let run = briefing_in(dir.path(), &["check", "briefs"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, expected);
}
