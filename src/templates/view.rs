//! What a template sees: the brief's own fields, plus what is worth working
//! out once in Rust rather than in every template (the programme grouped by
//! day, meetings in date order, the labels of the brief's language, which
//! table columns have anything in them).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::brief::{Bilateral, Brief, Markdown, Person, Time};

#[derive(Serialize)]
pub struct View<'a> {
    #[serde(flatten)]
    pub brief: &'a Brief,
    /// Every label, in the brief's language, with its overrides applied.
    pub labels: BTreeMap<String, String>,
    /// Whether the brief's language is written from right to left: the
    /// Markdown summary is then wrapped in `<div dir="rtl">`, for viewers
    /// to lay it out that way.
    pub right_to_left: bool,
    /// The schedule and the bilateral meetings by day, each day's items in
    /// time order.
    pub programme: Vec<Day<'a>>,
    /// The bilateral meetings in date and time order.
    pub meetings: Vec<Meeting<'a>>,
    /// Who leads the delegation: its first member, as the brief lists it.
    pub head_of_delegation: Option<&'a Person>,
    /// Whether the subtitle already names the event (it holds the event's
    /// name): the cover then names it once.
    pub subtitle_names_event: bool,
    /// The venue on one line: name, address, city, country, as given.
    pub venue_line: Option<String>,
    pub delegation_columns: Columns,
    pub counterpart_columns: Columns,
    pub programme_columns: ProgrammeColumns,
}

/// Which optional columns of the programme hold anything at all.
#[derive(Serialize, Default)]
pub struct ProgrammeColumns {
    pub time: bool,
    pub location: bool,
    pub attendees: bool,
}

#[derive(Serialize)]
pub struct Day<'a> {
    pub date: NaiveDate,
    pub items: Vec<ProgrammeItem<'a>>,
}

/// One row of a day's programme: an item of the schedule, or a bilateral
/// meeting (then `meeting` is the anchor of its section).
#[derive(Serialize)]
pub struct ProgrammeItem<'a> {
    pub date: NaiveDate,
    pub start: Option<Time>,
    pub end: Option<Time>,
    /// The item's title; for a meeting, whom it is with (the person's name,
    /// else the organisation).
    pub title: &'a str,
    pub location: Option<&'a str>,
    pub attendees: &'a [String],
    /// A schedule item's notes (a meeting's are in its section).
    pub notes: Option<&'a Markdown>,
    /// For a bilateral meeting, the anchor of its section, to link to as
    /// `#{{meeting}}`.
    pub meeting: Option<String>,
}

/// A bilateral meeting, with the anchor of its section in the briefing.
#[derive(Serialize)]
pub struct Meeting<'a> {
    #[serde(flatten)]
    pub bilateral: &'a Bilateral,
    /// `meeting-1`, `meeting-2`, … in date order: what the programme's row
    /// links to (`<!-- anchor: {{anchor}} -->` before the meeting's heading).
    pub anchor: String,
}

/// Whom a meeting is with, as its heading names it.
fn counterpart(meeting: &Bilateral) -> &str {
    meeting
        .with
        .name
        .as_deref()
        .or(meeting.with.organization.as_deref())
        .unwrap_or_default()
}

/// The schedule and the meetings, day by day. A day's items are in order of
/// their start time; items without one come first (in the order given:
/// arrivals, all-day items), and at the same time a schedule item comes
/// before a meeting, each in the order given.
fn programme<'a>(brief: &'a Brief, meetings: &[Meeting<'a>]) -> Vec<Day<'a>> {
    let items = brief.schedule.iter().map(|item| ProgrammeItem {
        date: item.date,
        start: item.start,
        end: item.end,
        title: &item.title,
        location: item.location.as_deref(),
        attendees: &item.attendees,
        notes: item.notes.as_ref(),
        meeting: None,
    });
    let meetings = meetings.iter().map(|m| ProgrammeItem {
        date: m.bilateral.date,
        start: m.bilateral.start,
        end: m.bilateral.end,
        title: counterpart(m.bilateral),
        location: m.bilateral.location.as_deref(),
        attendees: &m.bilateral.attendees,
        notes: None,
        meeting: Some(m.anchor.clone()),
    });
    let mut all: Vec<ProgrammeItem> = items.chain(meetings).collect();
    // Stable: schedule items before meetings, each in the author's order.
    all.sort_by_key(|item| (item.date, item.start));
    let mut days: Vec<Day> = Vec::new();
    for item in all {
        match days.last_mut() {
            Some(day) if day.date == item.date => day.items.push(item),
            _ => days.push(Day {
                date: item.date,
                items: vec![item],
            }),
        }
    }
    days
}

/// Which optional columns of a table of people hold anything at all.
#[derive(Serialize, Default)]
pub struct Columns {
    pub title: bool,
    pub organization: bool,
    pub country: bool,
    pub role: bool,
}

impl Columns {
    fn of(people: &[Person]) -> Columns {
        Columns {
            title: people.iter().any(|p| p.title.is_some()),
            organization: people.iter().any(|p| p.organization.is_some()),
            country: people.iter().any(|p| p.country.is_some()),
            role: people.iter().any(|p| p.role.is_some()),
        }
    }
}

impl<'a> View<'a> {
    pub fn new(brief: &'a Brief) -> View<'a> {
        let mut sorted: Vec<&Bilateral> = brief.bilaterals.iter().collect();
        sorted.sort_by_key(|m| (m.date, m.start));
        let meetings: Vec<Meeting> = sorted
            .into_iter()
            .enumerate()
            .map(|(i, bilateral)| Meeting {
                bilateral,
                anchor: format!("meeting-{}", i + 1),
            })
            .collect();
        let programme = programme(brief, &meetings);
        let labels = crate::i18n::labels(brief.language, &brief.labels);
        View {
            brief,
            right_to_left: brief.language.is_right_to_left(),
            meetings,
            head_of_delegation: brief.delegation.first(),
            subtitle_names_event: match (&brief.subtitle, &brief.event) {
                (Some(subtitle), Some(event)) => subtitle.contains(event.name.as_str()),
                _ => false,
            },
            venue_line: brief.venue.as_ref().and_then(|v| {
                let parts: Vec<&str> = [&v.name, &v.address, &v.city, &v.country]
                    .into_iter()
                    .filter_map(|p| p.as_deref())
                    .collect();
                (!parts.is_empty()).then(|| parts.join(&labels["separator"]))
            }),
            labels,
            delegation_columns: Columns::of(&brief.delegation),
            counterpart_columns: Columns::of(&brief.counterparts),
            programme_columns: ProgrammeColumns::of(&programme),
            programme,
        }
    }
}

impl ProgrammeColumns {
    fn of(days: &[Day]) -> ProgrammeColumns {
        let items = || days.iter().flat_map(|day| &day.items);
        ProgrammeColumns {
            time: items().any(|i| i.start.is_some() || i.end.is_some()),
            location: items().any(|i| i.location.is_some()),
            attendees: items().any(|i| !i.attendees.is_empty()),
        }
    }
}

/// What the pack templates see.
#[derive(Serialize)]
pub struct PackView {
    pub title: String,
    pub language: crate::i18n::Language,
    /// Whether the pack's language is written from right to left (its
    /// Markdown index is then wrapped in `<div dir="rtl">`).
    pub right_to_left: bool,
    pub labels: BTreeMap<String, String>,
    /// The span of all the visits, as `27 May – 2 June 2025`.
    pub dates: String,
    /// The highest classification of the briefs (or all of them, listed).
    pub marking: Option<String>,
    /// How many briefs the pack holds.
    pub count: usize,
    /// The same in words of the pack's language: `3 briefs`, `1 Besuchsunterlage`.
    pub count_text: String,
    /// The sentence on the cover: `This pack holds 3 briefs.`
    pub count_sentence: String,
    /// Whether any brief has a classification (else the list has no such
    /// column).
    pub classified: bool,
    pub briefs: Vec<PackEntry>,
}

impl PackView {
    /// A pack of one brief with every field filled, to try the user's pack
    /// templates on before any real pack needs them.
    pub fn specimen() -> PackView {
        let language = crate::i18n::Language::default();
        PackView {
            title: "Specimen pack".into(),
            language,
            right_to_left: false,
            labels: crate::i18n::labels(language, &BTreeMap::new()),
            dates: "1–3 May 2026".into(),
            marking: Some("RESTRICTED".into()),
            count: 1,
            count_text: crate::i18n::brief_count(language, 1),
            count_sentence: crate::i18n::pack_holds(language, 1),
            classified: true,
            briefs: vec![PackEntry {
                title: "Specimen visit".into(),
                subtitle: Some("Its subtitle".into()),
                dates: "1–3 May 2026".into(),
                classification: Some("RESTRICTED".into()),
                page: 3,
                pages: 4,
                file: "briefs/specimen.yaml".into(),
            }],
        }
    }
}

/// One brief of a pack, in chronological order.
#[derive(Serialize, Clone)]
pub struct PackEntry {
    pub title: String,
    pub subtitle: Option<String>,
    pub dates: String,
    pub classification: Option<String>,
    /// The pack page its briefing starts on.
    pub page: usize,
    /// How many pages its briefing has.
    pub pages: usize,
    /// The brief's file.
    pub file: String,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_days_programme_holds_its_meetings_in_time_order() {
        let yaml = r#"title: T
visit: {start: 2026-03-02, end: 2026-03-03}
schedule:
  - {date: 2026-03-02, start: "16:30", title: Press point}
  - {date: 2026-03-03, start: "09:00", title: Breakfast}
  - {date: 2026-03-02, title: All day}
  - {date: 2026-03-02, start: "15:00", title: Tour}
bilaterals:
  - {with: {name: Late}, date: 2026-03-02, start: "17:00"}
  - {with: {organization: Untimed}, date: 2026-03-02}
  - {with: {name: Same time}, date: 2026-03-02, start: "15:00"}
"#;
        let brief = crate::brief::from_bytes(
            yaml.as_bytes(),
            Path::new("."),
            &crate::images::ImageRules::default(),
        )
        .unwrap()
        .brief;
        let view = View::new(&brief);
        let days: Vec<Vec<(&str, Option<&str>)>> = view
            .programme
            .iter()
            .map(|day| {
                day.items
                    .iter()
                    .map(|i| (i.title, i.meeting.as_deref()))
                    .collect()
            })
            .collect();
        // Untimed first (the schedule's, then the meetings'); at the same
        // time, the schedule item before the meeting.
        assert_eq!(
            days,
            [
                vec![
                    ("All day", None),
                    ("Untimed", Some("meeting-1")),
                    ("Tour", None),
                    ("Same time", Some("meeting-2")),
                    ("Press point", None),
                    ("Late", Some("meeting-3")),
                ],
                vec![("Breakfast", None)],
            ]
        );
        let anchors: Vec<&str> = view.meetings.iter().map(|m| m.anchor.as_str()).collect();
        assert_eq!(anchors, ["meeting-1", "meeting-2", "meeting-3"]);
    }
}
