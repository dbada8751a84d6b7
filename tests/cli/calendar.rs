//! `--format ics`: the calendar of a visit, read back with a parser other
//! than the writer's (the `ical` crate), as a phone's calendar would read it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{briefing_in, files_in};

/// A visit in Berlin over the last Sunday of March 2026, when the clocks
/// go from 02:00 CET to 03:00 CEST.
const BERLIN: &str = r#"title: Arbeitsbesuch in Berlin
reference: "AB-12, Nr. 3"
language: de
issued: 2026-03-20
visit:
  start: 2026-03-28
  end: 2026-03-30
  timezone: Europe/Berlin
delegation:
  - name: Anna Schmidt
  - name: Jean Dupont
schedule:
  - date: 2026-03-28
    start: "09:30"
    end: "11:00"
    title: Empfang im Auswärtigen Amt; Begrüßung, Fotos
    location: Werderscher Markt 1, Berlin
    attendees: [Anna Schmidt, Jean Dupont]
    notes: |
      Ein langer Hinweis, der *sicher* länger als fünfundsiebzig Oktette ist,
      damit die Zeile gefaltet wird.

      - Fotos
  - date: 2026-03-29
    start: "09:30"
    title: Arbeitsfrühstück
  - date: 2026-03-30
    title: Abreise
bilaterals:
  - with:
      name: Dr. Maria Muster
    date: 2026-03-29
    start: "14:00"
    end: "15:00"
    location: Kanzleramt
    attendees: [Anna Schmidt]
"#;

/// An event as the parser gives it: each property's value, unescaped, by
/// name (`DTSTART;VALUE=DATE` for a date).
type Event = BTreeMap<String, String>;

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn events(ics: &Path) -> Vec<Event> {
    // Unfolded here as RFC 5545 (3.1) says, a line break and the one space
    // after it removed: `ical` 0.11 also drops the spaces before a fold
    // ("Russischen␣|␣Föderation" would read "RussischenFöderation").
    let text = std::fs::read_to_string(ics).unwrap().replace("\r\n ", "");
    let reader = std::io::BufReader::new(text.as_bytes());
    let calendars: Vec<_> = ical::IcalParser::new(reader)
        .collect::<Result<_, _>>()
        .expect("the calendar parses");
    assert_eq!(calendars.len(), 1);
    calendars[0]
        .events
        .iter()
        .map(|event| {
            event
                .properties
                .iter()
                .map(|property| {
                    let params: String = property
                        .params
                        .iter()
                        .flatten()
                        .map(|(name, values)| format!(";{name}={}", values.join(",")))
                        .collect();
                    (
                        format!("{}{params}", property.name),
                        unescape(property.value.as_deref().unwrap_or("")),
                    )
                })
                .collect()
        })
        .collect()
}

fn render_calendar(dir: &Path, brief: &str, out: &str) -> Vec<Event> {
    std::fs::write(dir.join("berlin.yaml"), brief).unwrap();
    let run = briefing_in(
        dir,
        &["render", "berlin.yaml", "--format", "ics", "-o", out],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("wrote {out}/berlin.ics\n1 brief rendered, 0 failed, 0 warnings (… s)\n")
    );
    assert_eq!(files_in(&dir.join(out)), ["berlin.ics"]);
    events(&dir.join(out).join("berlin.ics"))
}

fn by_summary<'a>(events: &'a [Event], summary: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e["SUMMARY"] == summary)
        .unwrap_or_else(|| panic!("no event {summary}: {events:#?}"))
}

#[test]
fn each_programme_item_and_meeting_is_an_event_at_its_instant_across_the_change_to_summer_time() {
    let dir = tempfile::tempdir().unwrap();
    let events = render_calendar(dir.path(), BERLIN, "out");
    assert_eq!(events.len(), 4);
    // Saturday, winter time: 09:30 in Berlin is 08:30 UTC.
    let reception = by_summary(&events, "Empfang im Auswärtigen Amt; Begrüßung, Fotos");
    assert_eq!(reception["DTSTART"], "20260328T083000Z");
    assert_eq!(reception["DTEND"], "20260328T100000Z");
    assert_eq!(reception["LOCATION"], "Werderscher Markt 1, Berlin");
    assert_eq!(
        reception["DESCRIPTION"],
        "Teilnehmende: Anna Schmidt, Jean Dupont\n\nEin langer Hinweis, der sicher länger als fünfundsiebzig Oktette ist, damit die Zeile gefaltet wird.\n\n- Fotos"
    );
    assert_eq!(reception["DTSTAMP"], "20260320T000000Z");
    // Sunday, summer time: the same 09:30 is 07:30 UTC.
    let breakfast = by_summary(&events, "Arbeitsfrühstück");
    assert_eq!(breakfast["DTSTART"], "20260329T073000Z");
    let meeting = by_summary(&events, "Bilaterale Gespräche: Dr. Maria Muster");
    assert_eq!(meeting["DTSTART"], "20260329T120000Z");
    assert_eq!(meeting["DTEND"], "20260329T130000Z");
    assert_eq!(meeting["LOCATION"], "Kanzleramt");
    assert_eq!(meeting["DESCRIPTION"], "Teilnehmende: Anna Schmidt");
    // No time: a day's event, ending the next day.
    let departure = by_summary(&events, "Abreise");
    assert_eq!(departure["DTSTART;VALUE=DATE"], "20260330");
    assert_eq!(departure["DTEND;VALUE=DATE"], "20260331");
    // RFC 5545: lines of at most 75 octets, each ending in CRLF.
    let bytes = std::fs::read(dir.path().join("out/berlin.ics")).unwrap();
    assert!(bytes.ends_with(b"END:VCALENDAR\r\n"));
    for line in bytes.split(|&b| b == b'\n') {
        assert!(line.is_empty() || line.ends_with(b"\r"), "{line:?}");
        assert!(line.len() <= 76, "{}", String::from_utf8_lossy(line));
    }
}

#[test]
fn uids_stay_the_same_across_renders_and_when_another_item_changes() {
    let dir = tempfile::tempdir().unwrap();
    let uids = |events: &[Event]| -> BTreeMap<String, String> {
        events
            .iter()
            .map(|e| (e["SUMMARY"].clone(), e["UID"].clone()))
            .collect()
    };
    let first = uids(&render_calendar(dir.path(), BERLIN, "a"));
    let again = uids(&render_calendar(dir.path(), BERLIN, "b"));
    assert_eq!(first, again);
    assert_eq!(
        std::fs::read(dir.path().join("a/berlin.ics")).unwrap(),
        std::fs::read(dir.path().join("b/berlin.ics")).unwrap()
    );
    let unique: std::collections::BTreeSet<&String> = first.values().collect();
    assert_eq!(unique.len(), 4);
    // The departure renamed and the reception moved: the others keep their
    // UIDs, the reception too (its place is not part of it).
    let edited = BERLIN
        .replace("title: Abreise", "title: Rückflug")
        .replace("Werderscher Markt 1, Berlin", "Unter den Linden");
    let after = uids(&render_calendar(dir.path(), &edited, "c"));
    for summary in [
        "Empfang im Auswärtigen Amt; Begrüßung, Fotos",
        "Arbeitsfrühstück",
        "Bilaterale Gespräche: Dr. Maria Muster",
    ] {
        assert_eq!(after[summary], first[summary], "{summary}");
    }
    assert_ne!(after["Rückflug"], first["Abreise"]);
}

#[test]
fn the_examples_calendar_has_their_programme_and_meetings() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_examples(dir.path(), &["moskau-2025.yaml"]);
    let run = briefing_in(
        dir.path(),
        &["render", "briefs", "--format", "pdf,md,ics", "-o", "out"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_in(&dir.path().join("out")),
        ["moskau-2025.ics", "moskau-2025.md", "moskau-2025.pdf"]
    );
    let events = events(&dir.path().join("out/moskau-2025.ics"));
    let summaries: Vec<&str> = events.iter().map(|e| e["SUMMARY"].as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Eröffnung der Arbeiten",
            "Diskussionen des Forums",
            "Bilaterale Gespräche: Föderaler Sicherheitsdienst der Russischen Föderation (FSB)"
        ]
    );
    // No times in the brief: days' events.
    assert!(events.iter().all(|e| e["DTSTART;VALUE=DATE"] == "20250527"));
}

/// An item in the hour the change to summer time skips (02:00 to 03:00 on
/// 2026-03-29 in Berlin): its start is moved on by the hour, and an end it
/// would then come after is moved the same way; no event ends before it
/// starts.
#[test]
fn no_event_ends_before_it_starts_across_the_change_to_summer_time() {
    let dir = tempfile::tempdir().unwrap();
    let brief = BERLIN.replace(
        "  - date: 2026-03-30\n    title: Abreise\n",
        "  - date: 2026-03-29\n    start: \"02:30\"\n    end: \"03:15\"\n    title: Nachtflug\n  - date: 2026-03-29\n    start: \"02:30\"\n    end: \"03:45\"\n    title: Nachtzug\n  - date: 2026-03-29\n    start: \"01:30\"\n    end: \"02:30\"\n    title: Nachtwache\n",
    );
    let events = render_calendar(dir.path(), &brief, "out");
    // 02:30 is 03:30 CEST (01:30 UTC); 03:15 would be before it: 04:15 CEST.
    let flight = by_summary(&events, "Nachtflug");
    assert_eq!(flight["DTSTART"], "20260329T013000Z");
    assert_eq!(flight["DTEND"], "20260329T021500Z");
    // 03:45 is after 03:30: it stays.
    let train = by_summary(&events, "Nachtzug");
    assert_eq!(train["DTSTART"], "20260329T013000Z");
    assert_eq!(train["DTEND"], "20260329T014500Z");
    // 01:30 CET is 00:30 UTC; 02:30 is 03:30 CEST, 01:30 UTC.
    let watch = by_summary(&events, "Nachtwache");
    assert_eq!(watch["DTSTART"], "20260329T003000Z");
    assert_eq!(watch["DTEND"], "20260329T013000Z");
}
