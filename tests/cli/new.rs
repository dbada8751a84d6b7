//! `briefing new`: a starter brief that passes `check` as written.

use crate::support::briefing_in;

#[test]
fn the_starter_brief_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefing_in(dir.path(), &["new", "briefs/my-visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "wrote briefs/brief.schema.json, the JSON Schema editors check briefs with\n\
         wrote briefs/my-visit.yaml: edit it, then run `briefing check briefs/my-visit.yaml`\n"
    );
    let check = briefing_in(dir.path(), &["check", "briefs/my-visit.yaml"]);
    assert_eq!(check.stderr, "1 brief checked: 1 valid, 0 warnings (… s)\n");
    assert_eq!(check.code, 0);
}

#[test]
fn new_does_not_overwrite_a_brief() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), "mine\n").unwrap();
    let run = briefing_in(dir.path(), &["new", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the file exists already\n --> visit.yaml\n  = help: choose another name, or pass --force to replace it\n\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("visit.yaml")).unwrap(),
        "mine\n"
    );
    let forced = briefing_in(dir.path(), &["new", "visit.yaml", "--force"]);
    assert_eq!(forced.code, 0);
    assert!(std::fs::read_to_string(dir.path().join("visit.yaml"))
        .unwrap()
        .contains("talking_points:"));
}

#[test]
fn new_says_when_its_folder_cannot_be_made() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("briefs"), "a file\n").unwrap();
    let run = briefing_in(dir.path(), &["new", "briefs/visit.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot create the folder: `briefs` is a file, not a folder\n --> briefs\n\n"
    );
}

/// `new -`: the starter brief on standard output, as `-o -` writes to it;
/// no file named `-`, no schema file.
#[test]
fn new_dash_prints_the_starter_brief() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefing_in(dir.path(), &["new", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.contains("talking_points:"), "{}", run.stdout);
    assert!(crate::support::files_in(dir.path()).is_empty());
    std::fs::write(dir.path().join("visit.yaml"), &run.stdout).unwrap();
    let check = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(check.stderr, "1 brief checked: 1 valid, 0 warnings (… s)\n");
}
