//! What a template sees: the brief's own fields, plus what is worth working
//! out once in Rust rather than in every template (the programme grouped by
//! day, meetings in date order, the labels of the brief's language, which
//! table columns have anything in them).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::brief::{Bilateral, Brief, Person, ScheduleItem};

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
    /// The schedule by day, each day's items in time order.
    pub programme: Vec<Day<'a>>,
    /// The bilateral meetings in date and time order.
    pub meetings: Vec<&'a Bilateral>,
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
    pub items: Vec<&'a ScheduleItem>,
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
        let mut items: Vec<&ScheduleItem> = brief.schedule.iter().collect();
        // Stable: items at the same time keep the order the author gave.
        items.sort_by_key(|item| (item.date, item.start));
        let mut programme: Vec<Day> = Vec::new();
        for item in items {
            match programme.last_mut() {
                Some(day) if day.date == item.date => day.items.push(item),
                _ => programme.push(Day {
                    date: item.date,
                    items: vec![item],
                }),
            }
        }
        let mut meetings: Vec<&Bilateral> = brief.bilaterals.iter().collect();
        meetings.sort_by_key(|m| (m.date, m.start));
        let labels = crate::i18n::labels(brief.language, &brief.labels);
        View {
            brief,
            right_to_left: brief.language.is_right_to_left(),
            programme,
            meetings,
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
            programme_columns: ProgrammeColumns {
                time: brief
                    .schedule
                    .iter()
                    .any(|i| i.start.is_some() || i.end.is_some()),
                location: brief.schedule.iter().any(|i| i.location.is_some()),
                attendees: brief.schedule.iter().any(|i| !i.attendees.is_empty()),
            },
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
