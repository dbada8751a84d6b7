//! One programme: the bilateral meetings in the programme of their day,
//! linked to their sections, in tables whose columns stand still from day
//! to day; `check` warning of a delegate booked twice at once or with no
//! time to travel; contacts as `mailto:` and `tel:` links.

use std::path::PathBuf;

use crate::pdf::links;
use crate::support::{briefing_in, page_texts, qpdf_check, words_with_x};

/// Two days (Monday 2 March 2026 and the Tuesday); a bilateral meeting at
/// 15:00 on the Monday between a 09:00 and a 16:30 item, given out of
/// order; contacts with an odd address, and values that are no address or
/// number.
const VISIT: &str = r#"title: Programme test
language: en
visit: {start: 2026-03-02, end: 2026-03-03}
delegation:
  - name: Ann Lee
  - name: Bo Dahl
schedule:
  - date: 2026-03-02
    start: "16:30"
    end: "17:00"
    title: Press point
    location: Town hall
    attendees: [Ann Lee]
  - date: 2026-03-02
    start: "09:00"
    end: "10:00"
    title: Opening session
    location: Plenary hall
    attendees: [Ann Lee, Bo Dahl]
  - date: 2026-03-03
    start: "10:00"
    end: "11:00"
    title: A much longer closing session whose title runs over several words
    location: The conference centre's great hall on the river
    attendees: [Bo Dahl]
bilaterals:
  - with: {name: Cy Moss, title: Minister}
    date: 2026-03-02
    start: "15:00"
    end: "15:45"
    location: Room 3
    attendees: [Ann Lee]
contacts:
  - name: Desk
    phone: "+47 22 55 01 23"
    email: "ann%lee?x@mfa.example"
  - name: Switchboard
    phone: ask the operator
    email: not an address
"#;

/// `VISIT` with two more items for Ann Lee on the Monday: an interview
/// during the meeting, then a walk that ends in the park just as the press
/// point starts at the town hall.
fn clashing() -> String {
    VISIT.replace(
        "bilaterals:\n",
        r#"  - date: 2026-03-02
    start: "15:30"
    end: "16:00"
    title: Interview
    location: Room 3
    attendees: [Bo Dahl, Ann Lee]
  - date: 2026-03-02
    start: "16:00"
    end: "16:30"
    title: Walk to the town hall
    location: Park
    attendees: [Ann Lee]
bilaterals:
"#,
    )
}

/// Renders `brief` as `visit.yaml` in a fresh folder; the folder, the PDF
/// (checked by qpdf) and the Markdown summary.
fn render(brief: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), brief).unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = dir.path().join("out/visit.pdf");
    qpdf_check(&pdf);
    let summary = std::fs::read_to_string(dir.path().join("out/visit.md")).unwrap();
    (dir, pdf, summary)
}

/// Where each of `words` first stands in `text`, in the order given.
fn positions(text: &str, words: &[&str]) -> Vec<usize> {
    words
        .iter()
        .map(|w| {
            text.find(w)
                .unwrap_or_else(|| panic!("{w:?} not in {text}"))
        })
        .collect()
}

#[test]
fn a_bilateral_is_in_its_days_programme_in_time_order() {
    let (_dir, pdf, summary) = render(VISIT);
    let pages = page_texts(&pdf);
    // After the cover, the page at a glance and the contents: the programme.
    let body: String = pages[3..].concat();
    let order = positions(
        &body,
        &[
            "Monday, 2 March 2026",
            "09:00–10:00",
            "Opening session",
            "15:00–15:45",
            "Bilateral meeting: Cy Moss",
            "16:30–17:00",
            "Press point",
            "Tuesday, 3 March 2026",
        ],
    );
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?} in {body}");
    // The summary's programme, in the same order.
    assert!(
        summary.contains(
            "### Monday, 2 March 2026\n\n\
             - **09:00–10:00** Opening session — Plenary hall\n\
             - **15:00–15:45** Bilateral meeting: Cy Moss — Room 3\n\
             - **16:30–17:00** Press point — Town hall\n"
        ),
        "{summary}"
    );
}

#[test]
fn the_programme_row_links_to_the_meeting() {
    let (_dir, pdf, _) = render(VISIT);
    let document = lopdf::Document::load(&pdf).unwrap();
    let pages: Vec<lopdf::ObjectId> = document.get_pages().values().copied().collect();
    let texts = page_texts(&pdf);
    // Past the contents page, one link goes within the document: the row.
    let jumps: Vec<(usize, lopdf::Dictionary)> = links(&document)
        .into_iter()
        .filter(|(page, action)| {
            *page > 2 && action.get(b"S").unwrap().as_name().unwrap() == b"GoTo"
        })
        .collect();
    assert_eq!(jumps.len(), 1, "{jumps:?}");
    let (on, action) = &jumps[0];
    assert!(texts[*on].contains("Bilateral meeting: Cy Moss"));
    let dest = action.get(b"D").unwrap().as_array().unwrap();
    let target = pages
        .iter()
        .position(|p| *p == dest[0].as_reference().unwrap())
        .unwrap();
    assert!(texts[target].contains("2.1\u{2002}Cy Moss") || texts[target].contains("2.1 Cy Moss"));
    // It jumps to where the bookmark of the meeting's heading does.
    let catalog = document.catalog().unwrap();
    let outlines = document
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut entry = document
        .get_dictionary(outlines.get(b"First").unwrap().as_reference().unwrap())
        .unwrap();
    let meeting = loop {
        let title = lopdf::decode_text_string(entry.get(b"Title").unwrap()).unwrap();
        if title == "2 Bilateral meetings" {
            break document
                .get_dictionary(entry.get(b"First").unwrap().as_reference().unwrap())
                .unwrap();
        }
        entry = document
            .get_dictionary(entry.get(b"Next").unwrap().as_reference().unwrap())
            .unwrap();
    };
    assert_eq!(meeting.get(b"Dest").unwrap().as_array().unwrap(), dest);
    // A screen reader is told where it leads, and finds it in the structure.
    let annotation = annotation_with(&document, |a| {
        a.get(b"A").ok() == Some(&lopdf::Object::Dictionary(action.clone()))
    });
    assert_eq!(
        lopdf::decode_text_string(annotation.get(b"Contents").unwrap()).unwrap(),
        "2.1 Cy Moss"
    );
    assert!(annotation.get(b"StructParent").is_ok());
}

/// The first link annotation `matches` accepts.
fn annotation_with(
    document: &lopdf::Document,
    matches: impl Fn(&lopdf::Dictionary) -> bool,
) -> lopdf::Dictionary {
    for page in document.get_pages().values() {
        let page = document.get_dictionary(*page).unwrap();
        let Ok(annotations) = page.get(b"Annots").and_then(|a| a.as_array()) else {
            continue;
        };
        for annotation in annotations {
            let annotation = document
                .get_dictionary(annotation.as_reference().unwrap())
                .unwrap();
            if matches(annotation) {
                return annotation.clone();
            }
        }
    }
    panic!("no such link annotation")
}

#[test]
fn every_day_of_the_programme_has_the_same_columns() {
    let (_dir, pdf, _) = render(VISIT);
    // Both days are on page 4; the second day's long title and place would
    // have moved its columns.
    let Some(words) = words_with_x(&pdf, 4) else {
        return;
    };
    for header in ["Time", "Location", "Attendees"] {
        let xs: Vec<f32> = words
            .iter()
            .filter(|(w, _)| w == header)
            .map(|(_, x)| *x)
            .collect();
        assert_eq!(xs.len(), 2, "{header}: {words:?}");
        assert_eq!(xs[0], xs[1], "{header} moves from day to day");
    }
    // The times of both days line up under their header too.
    let x_of = |word: &str| words.iter().find(|(w, _)| w == word).unwrap().1;
    assert_eq!(x_of("09:00–10:00"), x_of("10:00–11:00"));
}

#[test]
fn check_warns_of_a_delegate_in_two_items_at_once_or_with_no_time_to_travel() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), clashing()).unwrap();
    let check = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(check.code, 0, "warnings do not fail the check");
    let expected = "\
warning: `Ann Lee` has no time to get from `Park` to `Town hall`: `schedule[4]` ends at 16:30, when `schedule[0]` starts
 --> visit.yaml:9:12
  |
9 |     start: \"16:30\"
  |            ^^^^^^^
  = help: the other item is `schedule[4]` at line 33; leave time to travel between the two

warning: `Ann Lee` is in two items at once: `schedule[3]` (15:30–16:00) overlaps `bilaterals[0]` (15:00–15:45)
  --> visit.yaml:27:12
   |
27 |     start: \"15:30\"
   |            ^^^^^^^
   = help: the other item is `bilaterals[0]` at line 41; move one of them, or take the attendee out of one

warning: `Ann Lee` has no time to get from `Room 3` to `Park`: `schedule[3]` ends at 16:00, when `schedule[4]` starts
  --> visit.yaml:33:12
   |
33 |     start: \"16:00\"
   |            ^^^^^^^
   = help: the other item is `schedule[3]` at line 27; leave time to travel between the two
";
    assert!(check.stderr.starts_with(expected), "{}", check.stderr);

    let json = briefing_in(
        dir.path(),
        &["check", "visit.yaml", "--message-format", "json"],
    );
    let overlap: serde_json::Value = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|l| l["path"] == "schedule[3].start")
        .unwrap();
    assert_eq!(
        overlap,
        serde_json::json!({
            "type": "diagnostic",
            "severity": "warning",
            "file": "visit.yaml",
            "line": 27,
            "column": 12,
            "path": "schedule[3].start",
            "message": "`Ann Lee` is in two items at once: `schedule[3]` (15:30–16:00) overlaps `bilaterals[0]` (15:00–15:45)",
            "help": "the other item is `bilaterals[0]` at line 41; move one of them, or take the attendee out of one",
        })
    );
    // The brief still renders, with the same warnings.
    let render = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert!(render.stderr.starts_with(expected), "{}", render.stderr);
    qpdf_check(&dir.path().join("out/visit.pdf"));
}

#[test]
fn contacts_are_mailto_and_tel_links_in_the_pdf_and_the_summary() {
    let (_dir, pdf, summary) = render(VISIT);
    let document = lopdf::Document::load(&pdf).unwrap();
    let uris: Vec<String> = links(&document)
        .into_iter()
        .filter_map(|(_, action)| {
            let uri = action.get(b"URI").ok()?.as_str().ok()?;
            Some(String::from_utf8(uri.to_vec()).unwrap())
        })
        .collect();
    // The address's `%` and `?` are percent-encoded; the values that are
    // no number or address are not links.
    assert_eq!(
        uris,
        ["tel:+4722550123", "mailto:ann%25lee%3Fx@mfa.example"]
    );
    // Each link says what it dials or writes to, as written.
    for (uri, said) in [
        ("tel:+4722550123", "+4722550123"),
        ("mailto:ann%25lee%3Fx@mfa.example", "ann%lee?x@mfa.example"),
    ] {
        let annotation = annotation_with(&document, |a| {
            a.get(b"A")
                .and_then(|a| a.as_dict())
                .and_then(|a| a.get(b"URI"))
                .and_then(|u| u.as_str())
                .is_ok_and(|u| u == uri.as_bytes())
        });
        assert_eq!(
            lopdf::decode_text_string(annotation.get(b"Contents").unwrap()).unwrap(),
            said
        );
        assert!(annotation.get(b"StructParent").is_ok());
    }
    assert!(
        summary.ends_with(
            "| Name | Role | Phone | E-mail |\n\
             |---|---|---|---|\n\
             | Desk |  | [+47 22 55 01 23](<tel:+4722550123>) | [ann%lee?x@mfa.example](<mailto:ann%25lee%3Fx@mfa.example>) |\n\
             | Switchboard |  | ask the operator | not an address |\n"
        ),
        "{summary}"
    );
}

#[test]
fn check_warns_of_contacts_that_cannot_be_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), VISIT).unwrap();
    let check = briefing_in(dir.path(), &["check", "visit.yaml"]);
    assert_eq!(check.code, 0);
    assert_eq!(
        check.stderr,
        "\
warning: `ask the operator` is not a phone number: it is shown as written, not as a link
  --> visit.yaml:38:12
   |
38 |     phone: ask the operator
   |            ^^^^^^^^^^^^^^^^
   = help: write the number with digits, spaces, `-./()` and a leading `+` only; put an extension or a note in `role`

warning: `not an address` is not an e-mail address: it is shown as written, not as a link
  --> visit.yaml:39:12
   |
39 |     email: not an address
   |            ^^^^^^^^^^^^^^
   = help: write one address, such as `name@example.org`, or leave `email` out

1 brief checked: 1 valid, 2 warnings (… s)
"
    );
}
