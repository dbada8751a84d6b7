//! Batches as CI runs them: many briefs at once, on any number of cores,
//! with results a machine can read.

use std::collections::BTreeMap;
use std::path::Path;

use crate::generate::large_brief;
use crate::support::{briefing_in, copy_examples};

/// A folder `briefs/` with the two examples (and their photos), three
/// generated briefs and one broken brief.
fn briefs_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path(), &["moskau-2025.yaml", "valmora-2026.yaml"]);
    let briefs = dir.path().join("briefs");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for n in 1..=3 {
        std::fs::write(
            briefs.join(format!("generated-{n}.yaml")),
            large_brief(3 * n, 10 * n, n),
        )
        .unwrap();
    }
    std::fs::copy(
        repo.join("tests/fixtures/three_mistakes.yaml"),
        briefs.join("broken.yaml"),
    )
    .unwrap();
    dir
}

/// Every file under `dir`, by path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        files.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read(&path).unwrap(),
        );
    }
    files
}

#[test]
fn output_is_the_same_with_one_job_or_four() {
    let dir = briefs_folder();
    let mut runs = Vec::new();
    for (jobs, out) in [
        ("1", "one"),
        ("4", "four"),
        ("1", "one-again"),
        ("4", "four-again"),
    ] {
        let run = briefing_in(dir.path(), &["render", "briefs", "--jobs", jobs, "-o", out]);
        assert_eq!(run.code, 1, "the broken brief fails: {}", run.stderr);
        let stderr = run.stderr.replace(&format!("wrote {out}/"), "wrote OUT/");
        runs.push((stderr, tree(&dir.path().join(out))));
    }
    let (first_stderr, first_files) = &runs[0];
    assert_eq!(
        first_files.len(),
        10,
        "five briefs rendered, two files each: {:?}",
        first_files.keys()
    );
    for (stderr, files) in &runs[1..] {
        assert_eq!(stderr, first_stderr, "messages come in the same order");
        assert_eq!(files, first_files, "the same bytes");
    }
}

#[test]
fn json_messages_say_what_failed_where_and_what_was_written() {
    let dir = briefs_folder();
    let run = briefing_in(
        dir.path(),
        &["render", "briefs", "--message-format", "json"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "", "JSON output keeps stderr clean");
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let diagnostics: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["type"] == "diagnostic").collect();
    assert_eq!(diagnostics.len(), 3, "{:#?}", diagnostics);
    assert_eq!(
        diagnostics[1],
        &serde_json::json!({
            "type": "diagnostic",
            "severity": "error",
            "file": "briefs/broken.yaml",
            "line": 9,
            "column": 1,
            "path": "talkingpoints",
            "message": "unknown key `talkingpoints`",
            "help": "did you mean `talking_points`?",
        })
    );
    let outputs: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "output").collect();
    assert_eq!(outputs.len(), 10);
    let moskau_pdf = outputs
        .iter()
        .find(|o| o["output"] == "out/moskau-2025.pdf")
        .unwrap();
    assert_eq!(moskau_pdf["input"], "briefs/moskau-2025.yaml");
    assert_eq!(moskau_pdf["pages"], 5);
    let bytes = std::fs::metadata(dir.path().join("out/moskau-2025.pdf"))
        .unwrap()
        .len();
    assert_eq!(moskau_pdf["bytes"], bytes);
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(
        (summary["rendered"].as_u64(), summary["failed"].as_u64()),
        (Some(5), Some(1))
    );
}

#[test]
fn quiet_prints_errors_only() {
    let dir = briefs_folder();
    let run = briefing_in(dir.path(), &["render", "briefs", "--quiet"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: unknown time zone `Europe/Berln`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("wrote "), "{}", run.stderr);
    assert!(!run.stderr.contains("rendered"), "{}", run.stderr);
    let valid = briefing_in(dir.path(), &["check", "briefs/moskau-2025.yaml", "--quiet"]);
    assert_eq!((valid.code, valid.stderr.as_str()), (0, ""));
}

#[test]
fn a_wrong_command_line_exits_with_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["render", "x.yaml", "--jobs", "0"][..],
        &["check", "x.yaml", "--message-format", "xml"],
        &["frobnicate"],
    ] {
        let run = briefing_in(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_json_diagnostic_about_a_whole_file_has_no_path() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefing_in(
        dir.path(),
        &["check", "missing.yaml", "--message-format", "json"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        r#"{"column":null,"file":"missing.yaml","help":null,"line":null,"message":"cannot read the brief: No such file or directory","path":null,"severity":"error","type":"diagnostic"}"#
    );
}
