//! Templates: exporting the defaults, overriding them by file name, and the
//! errors a broken template gets.

use std::path::Path;

use crate::support::{briefing_in, files_in};

fn folder_with_brief() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("briefs/valmora-2026.yaml"),
        dir.path().join("visit.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("photos")).unwrap();
    std::fs::copy(
        repo.join("briefs/photos/placeholder-portrait.png"),
        dir.path().join("photos/placeholder-portrait.png"),
    )
    .unwrap();
    dir
}

#[test]
fn export_writes_the_embedded_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefing_in(dir.path(), &["templates", "export", "my-templates"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exported = files_in(&dir.path().join("my-templates"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let defaults: Vec<String> = files_in(&repo)
        .into_iter()
        .filter(|f| f.ends_with(".hbs") || f == "theme.yaml")
        .collect();
    assert_eq!(exported, defaults);
    for name in exported {
        assert_eq!(
            std::fs::read(dir.path().join("my-templates").join(&name)).unwrap(),
            std::fs::read(repo.join(&name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn export_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/summary.md.hbs"), "my edits\n").unwrap();
    let run = briefing_in(dir.path(), &["templates", "export", "t"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the file exists already\n --> t/summary.md.hbs\n  = help: pass --force to overwrite it with the default\n\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t/summary.md.hbs")).unwrap(),
        "my edits\n"
    );
    assert_eq!(
        files_in(&dir.path().join("t")),
        ["summary.md.hbs"],
        "nothing else written"
    );
    let forced = briefing_in(dir.path(), &["templates", "export", "t", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_ne!(
        std::fs::read_to_string(dir.path().join("t/summary.md.hbs")).unwrap(),
        "my edits\n"
    );
}

#[test]
fn an_override_replaces_the_default_of_its_name() {
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    // Only the table of people is overridden; the summary still uses it.
    std::fs::write(
        dir.path().join("t/people.md.hbs"),
        "{{#each people}}\n* {{name}} ({{country}})\n{{/each}}\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap();
    assert!(
        summary.contains(
            "## Delegation\n\n* Ingrid Halvorsen (Nordland)\n* Erik Lindqvist (Nordland)\n"
        ),
        "{summary}"
    );
    assert!(
        summary.starts_with("**RESTRICTED**\n\n# Official Visit"),
        "{summary}"
    );
}

#[test]
fn a_missing_template_folder_is_an_error() {
    let dir = folder_with_brief();
    let run = briefing_in(
        dir.path(),
        &["render", "visit.yaml", "--templates", "nowhere"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot open the template folder: No such file or directory\n --> nowhere\n  = help: `briefing templates export DIR` writes the defaults to a folder to edit\n\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_template_that_does_not_parse_is_named_with_its_line() {
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/summary.md.hbs"),
        "# {{title}}\n\n{{#if subtitle}}\n{{subtitle}}\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: the template does not parse: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" --> t/summary.md.hbs:5:1\n"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_template_that_cannot_be_read_is_named() {
    let dir = folder_with_brief();
    // Unreadable even to root: a folder where the template file should be.
    std::fs::create_dir_all(dir.path().join("t/summary.md.hbs")).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot read the template: it is a folder, not a file\n --> t/summary.md.hbs\n  = help: a template folder holds template files (`*.hbs`) and `theme.yaml`; move this one out of it\n\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_partial_nothing_includes_is_still_checked() {
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/spare.md.hbs"), "{{#each x}}\n").unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: the template does not parse: ")
            && run.stderr.contains(" --> t/spare.md.hbs:2:1\n"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_partial_chosen_by_an_expression_is_found() {
    // `lookup` names the partial at render time: every template is made
    // ready for such a summary, the user's own partial included.
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/summary.md.hbs"),
        "{{> (lookup this \"language\") }}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("t/en.md.hbs"), "Chosen: {{title}}\n").unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap();
    assert!(summary.starts_with("Chosen: "), "{summary}");
}

#[test]
fn a_misspelt_field_is_found_even_where_this_brief_does_not_reach() {
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    // The brief has no `subtitle` problem, and the misspelling sits in a
    // section about bilaterals: it is still found, with its line.
    std::fs::write(
        dir.path().join("t/summary.md.hbs"),
        "# {{title}}\n\n{{#each meetings}}\n## {{with.nmae}}\n{{/each}}\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the template refers to `with.nmae`, which does not exist\n \
         --> t/summary.md.hbs:4:4\n  \
         |\n\
         4 | ## {{with.nmae}}\n  \
         |    ^\n  \
         = help: check the spelling against docs/templates.md\n\n"
    );
}

#[test]
fn a_misspelt_field_in_a_pack_template_is_found_before_packing() {
    // The German example has no marking: only a specimen reaches the
    // misspelling inside `{{#if marking}}`.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/moskau-2025.yaml"),
        dir.path().join("visit.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/pack_index.md.hbs"),
        "# {{title}}\n{{#if marking}}\n**{{markng}}**\n{{/if}}\n",
    )
    .unwrap();
    let run = briefing_in(
        dir.path(),
        &[
            "pack",
            "visit.yaml",
            "-o",
            "out/pack.pdf",
            "--templates",
            "t",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: the template refers to `markng`, which does not exist\n \
             --> t/pack_index.md.hbs:3:3\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn export_says_when_its_folder_cannot_be_made() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine"), "a file\n").unwrap();
    let run = briefing_in(dir.path(), &["templates", "export", "mine/templates"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot create the folder: `mine` is a file, not a folder\n --> mine/templates\n\n"
    );
}

#[test]
fn an_unknown_partial_is_named_with_its_place_and_the_templates_there_are() {
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(
        dir.path().join("mine/summary.md.hbs"),
        "# {{title}}\n\n{{> extra_facts}}\n",
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["check", "visit.yaml", "--templates", "mine"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: there is no partial `extra_facts`\n --> mine/summary.md.hbs:3:1\n  |\n3 | {{> extra_facts}}\n  | ^\n  = help: `{{> extra_facts}}` includes the template `extra_facts.md.hbs` of the folder, or a default; the templates are: `at_a_glance`, `briefing`, `briefing_meeting`, `briefing_people`, `briefing_sections`, `contacts`, `pack`, `pack_index`, `people`, `summary`, `summary_facts`, `summary_meetings`, `summary_programme`, `talking_points`\n\n"
    );
}

/// `check --templates` reads the images a template names as `render` does:
/// one it cannot read, or one outside the templates folder, is the same
/// error from both.
#[test]
fn check_refuses_a_templates_image_as_render_does() {
    for (written, message) in [
        (
            "nothere.png",
            "error: cannot read the image `t/nothere.png`: No such file or directory\n \
             --> t/briefing.md.hbs:3:1\n  |\n3 | ![x](<nothere.png>)\n  | ^^\n  \
             = help: an image of a template is looked for in the templates folder, then in the folder of the brief\n",
        ),
        (
            "../../../../../../../../etc/passwd",
            "error: the image `t/../../../../../../../../etc/passwd` is outside the templates folder: it is `/etc/passwd`\n \
             --> t/briefing.md.hbs:3:1\n  |\n3 | ![x](<../../../../../../../../etc/passwd>)\n  | ^^\n  \
             = help: keep images in the templates folder or a folder below it, or allow the folder with `--allow-path DIR`\n",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        crate::support::copy_fixture("valid_minimal", dir.path(), "visit.yaml");
        std::fs::create_dir(dir.path().join("t")).unwrap();
        std::fs::write(
            dir.path().join("t/briefing.md.hbs"),
            format!("# Hi\n\n![x](<{written}>)\n"),
        )
        .unwrap();
        let check = crate::support::briefing_in(
            dir.path(),
            &["check", "--templates", "t", "visit.yaml"],
        );
        assert_eq!(check.code, 1, "{}", check.stderr);
        assert_eq!(
            check.stderr,
            format!(
                "{message}\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
            )
        );
        let render = crate::support::briefing_in(
            dir.path(),
            &["render", "--templates", "t", "visit.yaml"],
        );
        assert_eq!(render.code, 1, "{}", render.stderr);
        assert_eq!(
            render.stderr,
            format!("{message}\n0 briefs rendered, 1 failed, 0 warnings (… s)\n")
        );
    }
}
