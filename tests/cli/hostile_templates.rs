//! Hostile and careless template folders: includes in a circle, includes
//! without end, templates that multiply their text, very long templates,
//! and template files that are not files. Each is refused quickly, with a
//! message naming the template, the place and the limit, and nothing is
//! written; `check --templates` finds what `render --templates` would.

use std::path::Path;

use crate::support::{briefing_within, files_in};

const BRIEF: &str = "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\n";

/// A folder with the brief `visit.yaml` and a templates folder `t` holding
/// the given files.
fn folder(brief: &str, templates: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), brief).unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    for (name, text) in templates {
        std::fs::write(dir.path().join("t").join(name), text).unwrap();
    }
    dir
}

/// `render` and `check` with the templates in `t` both refuse, with exit 1,
/// writing nothing; returns what `render` said (and checks `check` says the
/// same error).
fn refused(dir: &Path) -> String {
    let render = briefing_within(300, dir, &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(render.code, 1, "{}", render.stderr);
    assert!(!dir.join("out").exists(), "nothing is written");
    let check = briefing_within(300, dir, &["check", "visit.yaml", "--templates", "t"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let first_error = |text: &str| text.split("\n\n").next().unwrap_or_default().to_string();
    assert_eq!(first_error(&check.stderr), first_error(&render.stderr));
    render.stderr
}

#[test]
fn templates_that_include_one_another_in_a_circle_are_refused_at_the_include() {
    // Handlebars recursed until the stack overflowed: exit 134, no message.
    let dir = folder(
        BRIEF,
        &[
            ("summary.md.hbs", "# {{title}}\n{{> a}}\n"),
            ("a.hbs", "{{> b}}\n"),
            ("b.hbs", "text\n{{#if title}}\n  {{> a}}\n{{/if}}\n"),
        ],
    );
    assert_eq!(
        refused(dir.path()),
        "error: the templates include one another in a circle: `a` → `b` → `a`\n \
         --> t/b.hbs:3:3\n  |\n3 |   {{> a}}\n  |   ^\n  \
         = help: rendering would never end: remove one of these includes\n\n"
    );
}

#[test]
fn a_template_that_includes_itself_is_refused() {
    let dir = folder(BRIEF, &[("summary.md.hbs", "# {{title}}\n{{> summary}}\n")]);
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with(
            "error: the template `summary` includes itself\n --> t/summary.md.hbs:2:1\n"
        ),
        "{stderr}"
    );
}

#[test]
fn includes_by_a_computed_name_stop_at_the_depth_limit() {
    // No reading of the text can follow `(lookup …)`: the brief's
    // `reference` names the partial, and this brief's names one that
    // includes the first again. The specimen brief that every override is tried on first
    // does not, so only the real brief finds it, in `check` too.
    let dir = folder(
        &format!("{BRIEF}reference: back\n"),
        &[
            (
                "summary.md.hbs",
                "# {{title}}\n{{#if (eq reference \"back\")}}{{> loop}}{{/if}}\n",
            ),
            ("loop.hbs", "again\n{{> (lookup this \"reference\")}}\n"),
            ("back.hbs", "{{> loop}}\n"),
        ],
    );
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with(
            "error: templates include one another more than 16 deep here\n --> t/back.hbs:1:1\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "= help: a template that includes itself, directly or through others, never ends"
        ),
        "{stderr}"
    );
    // Without the templates, the brief itself is valid.
    let plain = briefing_within(300, dir.path(), &["check", "visit.yaml"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
}

#[test]
fn a_template_that_multiplies_its_text_stops_at_the_markdown_limit() {
    // Three lists of ten inside one another repeat a 240 KB title 1,000
    // times: 240 MB, refused when the Markdown passes 64 MB.
    let brief = format!(
        "title: {}\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ndelegation:\n{}",
        "Visit ".repeat(40_000),
        (0..10)
            .map(|i| format!("  - name: Person {i}\n"))
            .collect::<String>()
    );
    let each = "{{#each @root.delegation}}";
    let dir = folder(
        &brief,
        &[(
            "summary.md.hbs",
            &format!("{each}{each}{each}{{{{@root.title}}}} {{{{name}}}}\n{{{{/each}}}}{{{{/each}}}}{{{{/each}}}}\n"),
        )],
    );
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with(
            "error: the template `summary` makes more than the 64 MB of Markdown an output may have\n \
             --> t/summary.md.hbs:1:79\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_template_with_the_title_thirty_thousand_times_compiles_in_linear_time() {
    // Handlebars alone takes time with the square of the number of
    // expressions (20,000 `{{title}}`: 9.5 s in a release build; 30,000 in
    // this debug build would take minutes). Compiled in pieces: seconds.
    let dir = folder(BRIEF, &[("summary.md.hbs", &"{{title}}\n".repeat(30_000))]);
    let run = briefing_within(
        60,
        dir.path(),
        &["render", "visit.yaml", "--templates", "t"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap();
    assert_eq!(summary.lines().filter(|l| *l == "Visit").count(), 30_000);
}

#[test]
fn a_template_file_over_one_megabyte_is_refused_before_it_is_read() {
    let dir = folder(BRIEF, &[("summary.md.hbs", &"x".repeat(1024 * 1024 + 1))]);
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with("error: cannot read the template: "),
        "{stderr}"
    );
    assert!(stderr.contains("1 MB"), "the limit is named: {stderr}");
    assert!(stderr.contains("--> t/summary.md.hbs"), "{stderr}");
}

#[test]
fn a_template_that_is_not_utf8_is_refused_at_the_first_bad_byte() {
    let dir = folder(BRIEF, &[]);
    std::fs::write(
        dir.path().join("t/summary.md.hbs"),
        b"# {{title}}\nOrt: M\xfcnchen\n",
    )
    .unwrap();
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with("error: the template is not UTF-8 text\n --> t/summary.md.hbs:2:7\n"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_in_the_template_folder_is_refused_at_once() {
    // Reading it would wait for a writer for ever, in `check` too.
    let dir = folder(BRIEF, &[]);
    let fifo = dir.path().join("t/summary.md.hbs");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with("error: cannot read the template: "),
        "{stderr}"
    );
    assert!(stderr.contains("pipe"), "says what it is: {stderr}");
    assert!(stderr.contains("--> t/summary.md.hbs"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_the_theme_is_refused_at_once() {
    let dir = folder(BRIEF, &[]);
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("t/theme.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with("error: cannot read the theme: "),
        "{stderr}"
    );
    assert!(stderr.contains("--> t/theme.yaml"), "{stderr}");
}

#[test]
fn check_with_templates_finds_a_key_only_the_real_brief_lacks() {
    // The specimen brief has every key; this brief has no venue. `check`
    // without the templates passes it; with them, it fails as `render` does,
    // at the template's place.
    let dir = folder(
        BRIEF,
        &[("summary.md.hbs", "# {{title}}\n\nIn {{venue.city}}\n")],
    );
    let plain = briefing_within(300, dir.path(), &["check", "visit.yaml"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let stderr = refused(dir.path());
    assert!(
        stderr.starts_with(
            "error: the template refers to `venue.city`, which does not exist\n --> t/summary.md.hbs:3:4\n"
        ),
        "{stderr}"
    );
    let check = briefing_within(
        300,
        dir.path(),
        &["check", "visit.yaml", "--templates", "t"],
    );
    assert!(
        check
            .stderr
            .contains("1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings"),
        "{}",
        check.stderr
    );
}

#[test]
fn check_with_good_templates_passes_and_writes_nothing() {
    let dir = folder(BRIEF, &[("summary.md.hbs", "# {{title}}\n")]);
    let run = briefing_within(
        300,
        dir.path(),
        &["check", "visit.yaml", "--templates", "t"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_in(dir.path()), ["t", "visit.yaml"]);
}
