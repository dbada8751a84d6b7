//! `--message-format github`: diagnostics as GitHub Actions annotations,
//! with no script between `briefing` and the job's log.

use crate::support::briefing_in;

#[test]
fn check_prints_each_problem_as_an_annotation_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "title: Visit\nvisit:\n  start: 2026-13-28\n  end: 2026-03-30\ntitel: x\n",
    )
    .unwrap();
    let run = briefing_in(
        dir.path(),
        &["check", "bad.yaml", "--message-format", "github"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=bad.yaml,line=3,col=10,title=briefing%3A visit.start::`visit.start` is not a date: `2026-13-28`%0Ahelp: write dates as YYYY-MM-DD, for example 2025-05-27\n\
         ::error file=bad.yaml,line=5,col=1,title=briefing%3A titel::unknown key `titel`%0Ahelp: did you mean `title`?\n"
    );
    // The summary stays for people reading the log.
    assert_eq!(
        run.stderr,
        "1 brief checked: 0 valid, 1 with problems (2 errors), 0 warnings (… s)\n"
    );
}

#[test]
fn check_with_templates_annotates_the_template_that_render_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("visit.yaml"),
        "title: Visit\nvisit:\n  start: 2026-03-28\n  end: 2026-03-30\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/summary.md.hbs"), "# {{title}\n").unwrap();
    let run = briefing_in(
        dir.path(),
        &[
            "check",
            "visit.yaml",
            "--templates",
            "t",
            "--message-format",
            "github",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=t/summary.md.hbs,line=1,col=10,title=briefing::the template does not parse: invalid handlebars syntax: expected identifier, helper_parameter, or trailing_tilde_to_omit_whitespace\n"
    );
    let render = briefing_in(
        dir.path(),
        &[
            "render",
            "visit.yaml",
            "--templates",
            "t",
            "--message-format",
            "github",
        ],
    );
    assert_eq!(render.code, 1);
    assert_eq!(render.stdout, run.stdout);
}
