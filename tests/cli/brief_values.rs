//! What a brief's values cannot do to the document they are set in: a
//! directive in a Markdown value, a line break or `-->` in a label, an
//! e-mail address that is not one.

use std::path::Path;

use crate::support::{briefing_in, tool};

fn qpdf_check(pdf: &Path) {
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf.arg("--check").arg(pdf).output().unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

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
