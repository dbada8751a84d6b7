//! Every rule of the brief format has a fixture that breaks it, named after
//! the rule; each test pins the whole message a user sees, with its place.

use crate::support::briefing;

/// Checks one fixture and compares everything `check` prints.
fn assert_check(fixture: &str, expected: &str) {
    let run = briefing(&["check", &format!("tests/fixtures/{fixture}.yaml")]);
    assert_eq!(run.stderr, expected, "stderr of checking {fixture}");
    assert_eq!(run.code, 1, "exit code of checking {fixture}");
    assert_eq!(run.stdout, "");
}

#[test]
fn attendee_not_in_delegation() {
    assert_check(
        "attendee_not_in_delegation",
        r#"error: `Jane Do` is not a member of the delegation
  --> tests/fixtures/attendee_not_in_delegation.yaml:10:27
   |
10 |     attendees: [Jane Doe, Jane Do]
   |                           ^^^^^^^
   = help: did you mean `Jane Doe`?

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn bilateral_outside_visit() {
    assert_check(
        "bilateral_outside_visit",
        r#"error: `bilaterals[0].date` (2026-02-09) is outside the visit (2026-02-10 to 2026-02-11)
 --> tests/fixtures/bilateral_outside_visit.yaml:8:11
  |
8 |     date: 2026-02-09
  |           ^^^^^^^^^^
  = help: correct the date, or widen `visit.start` and `visit.end`

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn bilateral_with_nobody() {
    assert_check(
        "bilateral_with_nobody",
        r#"error: `bilaterals[0].with` needs a `name` or an `organization`
 --> tests/fixtures/bilateral_with_nobody.yaml:7:7
  |
7 |       title: Minister
  |       ^
  = help: name the person met, or the institution for a meeting with an institution

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn contact_without_name() {
    assert_check(
        "contact_without_name",
        r#"error: missing required key `name` in `contacts[0]`
 --> tests/fixtures/contact_without_name.yaml:6:5
  |
6 |   - phone: "+00 123"
  |     ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn date_not_iso() {
    assert_check(
        "date_not_iso",
        r#"error: `visit.start` is not a date: `10.02.2026`
 --> tests/fixtures/date_not_iso.yaml:3:10
  |
3 |   start: 10.02.2026
  |          ^^^^^^^^^^
  = help: write dates as YYYY-MM-DD, for example 2025-05-27

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn delegation_names_repeat() {
    assert_check(
        "delegation_names_repeat",
        r#"error: two delegation members are called `Jane Doe` (`delegation[0]` and `delegation[2]`)
 --> tests/fixtures/delegation_names_repeat.yaml:8:11
  |
8 |   - name: Jane Doe
  |           ^^^^^^^^
  = help: names identify members in `attendees`: tell them apart, e.g. by a middle initial

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn empty_title() {
    assert_check(
        "empty_title",
        r#"error: `title` is empty
 --> tests/fixtures/empty_title.yaml:1:8
  |
1 | title: "  "
  |        ^^^^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn end_not_after_start() {
    assert_check(
        "end_not_after_start",
        r#"error: `schedule[0]` ends at 09:30, not after it starts at 10:00
 --> tests/fixtures/end_not_after_start.yaml:8:10
  |
8 |     end: "09:30"
  |          ^^^^^^^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn event_without_name() {
    assert_check(
        "event_without_name",
        r#"error: missing required key `name` in `event`
 --> tests/fixtures/event_without_name.yaml:6:3
  |
6 |   host: Ministry of Foreign Affairs
  |   ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn key_repeated() {
    assert_check(
        "key_repeated",
        r#"error: `title` is given twice
 --> tests/fixtures/key_repeated.yaml:5:1
  |
5 | title: Another title
  | ^^^^^
  = help: remove one of them: YAML would silently keep only the last

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn list_expected() {
    assert_check(
        "list_expected",
        r#"error: `delegation` should be a list (lines starting with `- `), but it is a single value
 --> tests/fixtures/list_expected.yaml:5:13
  |
5 | delegation: Jane Doe
  |             ^^^^^^^^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn missing_title() {
    assert_check(
        "missing_title",
        r#"error: missing required key `title`
 --> tests/fixtures/missing_title.yaml:1:1
  |
1 | visit:
  | ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn missing_visit() {
    assert_check(
        "missing_visit",
        r#"error: missing required key `visit`
 --> tests/fixtures/missing_visit.yaml:1:1
  |
1 | title: Visit to Example City
  | ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn missing_visit_end() {
    assert_check(
        "missing_visit_end",
        r#"error: missing required key `end` in `visit`
 --> tests/fixtures/missing_visit_end.yaml:3:3
  |
3 |   start: 2026-02-10
  |   ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn organization_without_name() {
    assert_check(
        "organization_without_name",
        r#"error: missing required key `name` in `organizations[0]`
 --> tests/fixtures/organization_without_name.yaml:6:5
  |
6 |   - acronym: RCC
  |     ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn person_without_name() {
    assert_check(
        "person_without_name",
        r#"error: missing required key `name` in `delegation[0]`
 --> tests/fixtures/person_without_name.yaml:6:5
  |
6 |   - title: Minister
  |     ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn photo_missing() {
    assert_check(
        "photo_missing",
        r#"error: cannot read photo `tests/fixtures/photos/nobody.png`: No such file or directory
 --> tests/fixtures/photo_missing.yaml:7:12
  |
7 |     photo: photos/nobody.png
  |            ^^^^^^^^^^^^^^^^^
  = help: photo paths are relative to the folder of the brief

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn photo_not_an_image() {
    assert_check(
        "photo_not_an_image",
        r#"error: photo `tests/fixtures/photo_not_an_image.yaml` is neither a PNG nor a JPEG image
 --> tests/fixtures/photo_not_an_image.yaml:7:12
  |
7 |     photo: photo_not_an_image.yaml
  |            ^^^^^^^^^^^^^^^^^^^^^^^
  = help: convert the photo to PNG or JPEG

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn schedule_item_without_date_or_title() {
    assert_check(
        "schedule_item_without_date_or_title",
        r#"error: missing required key `date` in `schedule[0]`
 --> tests/fixtures/schedule_item_without_date_or_title.yaml:6:5
  |
6 |   - location: Plenary hall
  |     ^

error: missing required key `title` in `schedule[0]`
 --> tests/fixtures/schedule_item_without_date_or_title.yaml:6:5
  |
6 |   - location: Plenary hall
  |     ^

1 brief checked: 0 valid, 1 with problems (2 errors), 0 warnings (… s)
"#,
    );
}

#[test]
fn schedule_outside_visit() {
    assert_check(
        "schedule_outside_visit",
        r#"error: `schedule[0].date` (2026-02-12) is outside the visit (2026-02-10 to 2026-02-11)
 --> tests/fixtures/schedule_outside_visit.yaml:6:11
  |
6 |   - date: 2026-02-12
  |           ^^^^^^^^^^
  = help: correct the date, or widen `visit.start` and `visit.end`

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn tab_indentation() {
    assert_check(
        "tab_indentation",
        r#"error: this is not valid YAML: found character that cannot start any token
 --> tests/fixtures/tab_indentation.yaml:3:1
  |
3 |  start: 2026-02-10
  | ^
  = help: YAML does not allow tabs for indentation: indent with spaces

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn talking_point_without_topic() {
    assert_check(
        "talking_point_without_topic",
        r#"error: missing required key `topic` in `talking_points[0]`
 --> tests/fixtures/talking_point_without_topic.yaml:6:5
  |
6 |   - points:
  |     ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn text_with_colon_unquoted() {
    assert_check(
        "text_with_colon_unquoted",
        r#"error: this is not valid YAML: could not find expected ':'
 --> tests/fixtures/text_with_colon_unquoted.yaml:7:20
  |
7 |     And on another.
  |                    ^
  = help: is there a `: ` (colon and space) in a text, here or on the lines above? Put such text in quotes

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn three_mistakes() {
    assert_check(
        "three_mistakes",
        r#"error: unknown time zone `Europe/Berln`
 --> tests/fixtures/three_mistakes.yaml:5:13
  |
5 |   timezone: Europe/Berln
  |             ^^^^^^^^^^^^
  = help: did you mean `Europe/Berlin`?

error: unknown key `talkingpoints`
 --> tests/fixtures/three_mistakes.yaml:9:1
  |
9 | talkingpoints:
  | ^^^^^^^^^^^^^
  = help: did you mean `talking_points`?

error: `Jane Do` is not a member of the delegation
  --> tests/fixtures/three_mistakes.yaml:15:17
   |
15 |     attendees: [Jane Do]
   |                 ^^^^^^^
   = help: did you mean `Jane Doe`?

1 brief checked: 0 valid, 1 with problems (3 errors), 0 warnings (… s)
"#,
    );
}

#[test]
fn time_not_24_hour() {
    assert_check(
        "time_not_24_hour",
        r#"error: `schedule[0].start` is not a time: `9.30am`
 --> tests/fixtures/time_not_24_hour.yaml:7:12
  |
7 |     start: 9.30am
  |            ^^^^^^
  = help: write times as "HH:MM" on the 24-hour clock, in quotes, for example "09:30"

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn unknown_key() {
    assert_check(
        "unknown_key",
        r#"error: unknown key `talkingpoints`
 --> tests/fixtures/unknown_key.yaml:5:1
  |
5 | talkingpoints:
  | ^^^^^^^^^^^^^
  = help: did you mean `talking_points`?

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn unknown_label() {
    assert_check(
        "unknown_label",
        r#"error: unknown key `delegaton` in `labels`
 --> tests/fixtures/unknown_label.yaml:6:3
  |
6 |   delegaton: Our team
  |   ^^^^^^^^^
  = help: did you mean `delegation`?

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn unknown_language() {
    assert_check(
        "unknown_language",
        r#"error: unknown language `ru`
 --> tests/fixtures/unknown_language.yaml:5:11
  |
5 | language: ru
  |           ^^
  = help: use one of `en`, `de`, `fr`, `ar`

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn unknown_nested_key() {
    assert_check(
        "unknown_nested_key",
        r#"error: unknown key `nmae` in `delegation[0]`
 --> tests/fixtures/unknown_nested_key.yaml:6:5
  |
6 |   - nmae: Jane Doe
  |     ^^^^
  = help: did you mean `name`?

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn unknown_timezone() {
    assert_check(
        "unknown_timezone",
        r#"error: unknown time zone `Europe/Moskow`
 --> tests/fixtures/unknown_timezone.yaml:5:13
  |
5 |   timezone: Europe/Moskow
  |             ^^^^^^^^^^^^^
  = help: did you mean `Europe/Moscow`?

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn visit_ends_before_it_starts() {
    assert_check(
        "visit_ends_before_it_starts",
        r#"error: the visit ends (2026-02-08) before it starts (2026-02-10)
 --> tests/fixtures/visit_ends_before_it_starts.yaml:4:8
  |
4 |   end: 2026-02-08
  |        ^^^^^^^^^^
  = help: `visit.end` is the last day of the visit, on or after `visit.start`

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"#,
    );
}

#[test]
fn a_valid_brief_passes() {
    let run = briefing(&["check", "tests/fixtures/valid_minimal.yaml"]);
    assert_eq!(run.stderr, "1 brief checked: 1 valid, 0 warnings (… s)\n");
    assert_eq!(run.code, 0);
}

#[test]
fn every_example_brief_passes() {
    let run = briefing(&["check", "briefs"]);
    assert_eq!(run.stderr, "3 briefs checked: 3 valid, 0 warnings (… s)\n");
    assert_eq!(run.code, 0);
}

#[test]
fn problems_of_every_file_are_reported() {
    let run = briefing(&[
        "check",
        "tests/fixtures/unknown_key.yaml",
        "tests/fixtures/valid_minimal.yaml",
        "tests/fixtures/missing_visit.yaml",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown key `talkingpoints`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("missing required key `visit`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("3 briefs checked: 1 valid, 2 with problems (2 errors), 0 warnings (… s)\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_file_is_named() {
    let run = briefing(&["check", "tests/fixtures/no_such_brief.yaml"]);
    assert_eq!(
        run.stderr,
        "error: cannot read the brief: No such file or directory\n --> tests/fixtures/no_such_brief.yaml\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn usage_errors_exit_with_2() {
    let run = briefing(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Usage: briefing check <FILE>..."),
        "{}",
        run.stderr
    );
}
