//! What a brief's values cannot do to the document they are set in: a
//! directive in a Markdown value, a line break or `-->` in a label, an
//! e-mail address that is not one.

use std::path::Path;

use crate::support::{briefing_in, page_texts, qpdf_check};

const CONTACTS: &str = r#"title: Contacts test
visit: {start: 2026-02-10, end: 2026-02-11}
contacts:
  - name: Prefixed
    email: "mailto:a@b.example"
  - name: Query
    email: "x@y.example?subject=hi&body=x"
  - name: Markup
    email: "<script>@x.org"
  - name: Quoted
    email: '"a b"@x.org'
"#;

#[test]
fn e_mail_addresses_follow_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), CONTACTS).unwrap();
    let check = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.stderr,
        "\
warning: `contacts[0].email` starts with `mailto:`, which is removed
 --> visit.yaml:5:12
  |
5 |     email: \"mailto:a@b.example\"
  |            ^^^^^^^^^^^^^^^^^^^^
  = help: write the address alone, such as `name@example.org`: the `mailto:` link is made from it

warning: `x@y.example?subject=hi&body=x` is not an e-mail address: it is shown as written, not as a link
 --> visit.yaml:7:12
  |
7 |     email: \"x@y.example?subject=hi&body=x\"
  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: write one address, such as `name@example.org`, or leave `email` out

warning: `<script>@x.org` is not an e-mail address: it is shown as written, not as a link
 --> visit.yaml:9:12
  |
9 |     email: \"<script>@x.org\"
  |            ^^^^^^^^^^^^^^^^
  = help: write one address, such as `name@example.org`, or leave `email` out

1 brief checked: 1 valid, 3 warnings (… s)
"
    );
    let render = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    qpdf_check(&dir.path().join("out/visit.pdf"));
    let summary = std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap();
    assert!(
        summary.ends_with(
            "\
| Prefixed |  |  | [a@b.example](<mailto:a@b.example>) |
| Query |  |  | x@y.example?subject=hi\\&body=x |
| Markup |  |  | \\<script>@x.org |
| Quoted |  |  | [\"a b\"@x.org](<mailto:%22a%20b%22@x.org>) |
"
        ),
        "{summary}"
    );
}

/// `tests/fixtures/valid_minimal.yaml` with `extra` appended.
fn minimal(extra: &str) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::read_to_string(fixtures.join("valid_minimal.yaml")).unwrap() + extra
}

/// Renders `yaml` as `visit.yaml`: its folder, and the PDF's page texts.
fn render(yaml: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), yaml).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = dir.path().join("out/visit.pdf");
    qpdf_check(&pdf);
    let texts = page_texts(&pdf);
    (dir, texts)
}

#[test]
fn a_label_with_a_line_break_or_an_end_of_comment_keeps_the_page_at_a_glance_whole() {
    let mut extra = String::from("labels:\n  objectives: \"Obj\\n\\nX --> Y\"\nobjectives:\n");
    for i in 1..=300 {
        extra.push_str(&format!("  - Objective {i}.\n"));
    }
    let (_dir, texts) = render(&minimal(&extra));
    let glance = &texts[1];
    assert!(glance.contains("At a glance"), "{glance}");
    // The label is on one line, as heading and as the section pointed to;
    // its `-->` ends no directive.
    assert!(glance.contains("Obj X --> Y"), "{glance}");
    assert!(!glance.contains("<!--"), "{glance}");
    let objectives_page = texts
        .iter()
        .skip(3)
        .position(|t| t.contains("Objective 1."))
        .unwrap()
        + 4;
    let pointer = format!("… see 1 Obj X --> Y, page {objectives_page}");
    assert!(glance.contains(&pointer), "no `{pointer}` in:\n{glance}");
    assert!(texts[2].contains("1 Obj X --> Y"), "{}", texts[2]);
}

#[test]
fn a_directive_in_a_markdown_value_is_left_out_with_a_warning() {
    let yaml = minimal(
        "delegation:
  - name: Jane Doe
    title: Minister
    bio: |
      Minister.

      <!-- card -->
  - name: John Roe
    bio: |
      Deputy <b>minister</b>.
      <!-- end card -->
      Still in his card.
background: Some <i>background</i>. <!-- pagebreak -->
objectives:
  - \"An <i>objective</i>.\\n\\n<!-- card -->\\n\\n<div>\"
contacts:
  - name: Desk
    phone: \"+47 22 55 01 23\"
",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), &yaml).unwrap();
    let check = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.stderr,
        "\
warning: `delegation[0].bio` holds `<!-- card -->`, a directive of the templates, which is left out
 --> visit.yaml:9:7
  |
9 |       Minister.
  |       ^
  = help: a brief's Markdown cannot open cards, pages or sections: remove the comment (HTML comments in a value are left out, other HTML is shown as written)

warning: `delegation[1].bio` holds `<!-- end card -->`, a directive of the templates, which is left out
  --> visit.yaml:14:7
   |
14 |       Deputy <b>minister</b>.
   |       ^
   = help: a brief's Markdown cannot open cards, pages or sections: remove the comment (HTML comments in a value are left out, other HTML is shown as written)

warning: `background` holds `<!-- pagebreak -->`, a directive of the templates, which is left out
  --> visit.yaml:17:13
   |
17 | background: Some <i>background</i>. <!-- pagebreak -->
   |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: a brief's Markdown cannot open cards, pages or sections: remove the comment (HTML comments in a value are left out, other HTML is shown as written)

warning: `objectives[0]` holds `<!-- card -->`, a directive of the templates, which is left out
  --> visit.yaml:19:5
   |
19 |   - \"An <i>objective</i>.\\n\\n<!-- card -->\\n\\n<div>\"
   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: a brief's Markdown cannot open cards, pages or sections: remove the comment (HTML comments in a value are left out, other HTML is shown as written)

1 brief checked: 1 valid, 4 warnings (… s)
"
    );
    let (dir, texts) = render(&yaml);
    // Spaces as spaces: a heading's number stands apart from its title by
    // a space of its own width.
    let all: String = texts
        .join("\n")
        .chars()
        .map(|c| {
            if c.is_whitespace() && c != '\n' {
                ' '
            } else {
                c
            }
        })
        .collect();
    // The sections after the people are numbered and in the contents, not
    // set inside Jane Doe's card.
    assert!(all.contains("Contents"), "{all}");
    for section in ["2 Delegation", "3 Background", "4 Contacts"] {
        assert_eq!(all.matches(section).count(), 2, "{section}:\n{all}");
    }
    // Raw HTML is shown as written; the comment is not.
    assert!(all.contains("Deputy <b>minister</b>."), "{all}");
    assert!(all.contains("Some <i>background</i>. \n"), "{all}");
    assert!(!all.contains("<!--"), "{all}");
    let summary = std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap();
    assert!(!summary.contains("<!--"), "{summary}");
    assert!(
        summary.contains("- An \\<i\\>objective\\<\\/i\\>.\n\n  \\<div\\>\n"),
        "{summary}"
    );
}
