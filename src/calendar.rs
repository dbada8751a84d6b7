//! The calendar of a visit (`--format ics`): one event for each programme
//! item and each bilateral meeting, for the delegation's phones.
//!
//! Written with the `icalendar` crate (RFC 5545: escaping, lines folded at
//! 75 octets, properties in a fixed order). Nothing depends on the clock:
//!
//! - A time is the instant it means in the visit's zone (`visit.timezone`),
//!   written in UTC (`…Z`), so every calendar shows it at the right hour
//!   wherever the phone is; a brief without a zone gives floating times
//!   (the same hour on the clock wherever the reader is). A time that a
//!   change to summer time skips is moved on by the change (02:30 on the
//!   last Sunday of March in Berlin is 03:30), and one that the change
//!   back repeats is the first of the two.
//! - An item without a start time is an all-day event on its date; one
//!   without an end has no length (`check` refuses an end that is not
//!   after the start). An end that would come before a start the change
//!   to summer time moved on (02:30 to 03:15) is moved on by the hour too
//!   (03:30 to 04:15): no event ends before it starts.
//! - Each event's UID is a hash of the brief's reference (its title when it
//!   has none), the kind of item, its date, its start time and its title:
//!   calendars that import the file again update the events rather than
//!   add them twice. Editing one of those changes that event's UID (the
//!   calendar then holds the old event and the new one); editing its
//!   place, end, attendees or notes, or any other item, does not.
//! - The description: the attendees' names, then the notes as plain text.
//! - DTSTAMP is the date the PDF carries: `SOURCE_DATE_EPOCH`, else the
//!   day of issue, else 1970-01-01.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};
use sha2::{Digest, Sha256};

use crate::brief::{Brief, Markdown, Time};

/// One event of the calendar, from a programme item or a bilateral.
struct Item<'a> {
    /// `programme` or `bilateral`: a meeting and a programme item of the
    /// same title at the same time are two events.
    kind: &'static str,
    date: NaiveDate,
    start: Option<Time>,
    end: Option<Time>,
    title: String,
    location: Option<&'a str>,
    attendees: &'a [String],
    notes: Option<&'a Markdown>,
}

/// The calendar of `brief`, stamped with `stamp` (seconds since 1970).
pub fn calendar(brief: &Brief, stamp: i64) -> String {
    let labels = crate::i18n::labels(brief.language, &brief.labels);
    let zone: Option<chrono_tz::Tz> = brief.visit.timezone.as_deref().and_then(|z| z.parse().ok());
    let stamp = DateTime::<Utc>::from_timestamp(stamp, 0).unwrap_or_default();
    let mut items: Vec<Item> = brief
        .schedule
        .iter()
        .map(|item| Item {
            kind: "programme",
            date: item.date,
            start: item.start,
            end: item.end,
            title: item.title.clone(),
            location: item.location.as_deref(),
            attendees: &item.attendees,
            notes: item.notes.as_ref(),
        })
        .collect();
    items.extend(brief.bilaterals.iter().map(|meeting| {
        let with = &meeting.with;
        let whom = with
            .name
            .as_deref()
            .or(with.organization.as_deref())
            .unwrap_or_default();
        Item {
            kind: "bilateral",
            date: meeting.date,
            start: meeting.start,
            end: meeting.end,
            title: format!("{}: {whom}", labels["bilaterals"]),
            location: meeting.location.as_deref(),
            attendees: &meeting.attendees,
            notes: meeting.notes.as_ref(),
        }
    }));
    let identity = brief.reference.as_deref().unwrap_or(&brief.title);
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//briefing//briefing//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&brief.title);
    // Items the same in every part of their UID are told apart by their
    // order among them.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for item in &items {
        let mut uid = uid(identity, item);
        let count = seen.entry(uid.clone()).or_default();
        *count += 1;
        if *count > 1 {
            uid = format!("{uid}-{count}");
        }
        calendar.push(event(item, &uid, stamp, zone, &labels));
    }
    let mut text = calendar.done().to_string();
    // Every line ends in CRLF, the last too (the crate leaves it off).
    if !text.ends_with("\r\n") {
        text.push_str("\r\n");
    }
    text
}

/// The UID of an item: what identifies it in the brief, hashed.
fn uid(identity: &str, item: &Item) -> String {
    let start = item.start.map(|t| t.to_string()).unwrap_or_default();
    let key = [
        identity,
        item.kind,
        &item.date.to_string(),
        &start,
        &item.title,
    ]
    .join("\n");
    let hash = Sha256::digest(key.as_bytes());
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}@briefing")
}

fn event(
    item: &Item,
    uid: &str,
    stamp: DateTime<Utc>,
    zone: Option<chrono_tz::Tz>,
    labels: &BTreeMap<String, String>,
) -> Event {
    let mut event = Event::new();
    event.uid(uid).timestamp(stamp).summary(&item.title);
    match item.start {
        None => {
            // The end of a day's event is the next day (RFC 5545, 3.6.1).
            event
                .starts(item.date)
                .ends(item.date.succ_opt().unwrap_or(item.date));
        }
        Some(start) => {
            // `check` has made sure the end is after the start, on the clock.
            let start_at = at(item.date, start);
            event.starts(instant(start_at, zone));
            if let Some(end) = item.end {
                let end_at = at(item.date, end);
                let end = match zone {
                    // A start the change to summer time skipped is moved on
                    // by the hour; an end it would then come before (02:30
                    // to 03:15 is 03:30 to 03:15) moves the same way, so no
                    // event ends before it starts.
                    Some(zone) => {
                        let start_utc = utc(start_at, zone);
                        match (start_utc, utc(end_at, zone)) {
                            (Some(start_utc), Some(end_utc)) if end_utc < start_utc => {
                                let moved = utc(end_at + chrono::Duration::hours(1), zone);
                                CalendarDateTime::Utc(
                                    moved.map_or(start_utc, |moved| moved.max(start_utc)),
                                )
                            }
                            _ => instant(end_at, Some(zone)),
                        }
                    }
                    None => instant(end_at, None),
                };
                event.ends(end);
            }
        }
    }
    if let Some(location) = item.location {
        event.location(location);
    }
    let mut description = Vec::new();
    if !item.attendees.is_empty() {
        description.push(format!(
            "{}: {}",
            labels["attendees"],
            item.attendees.join(", ")
        ));
    }
    if let Some(notes) = item.notes {
        description.push(plain_text(&notes.0));
    }
    if !description.is_empty() {
        event.description(&description.join("\n\n"));
    }
    event.done()
}

/// Markdown as a calendar shows it, as text: the words without their
/// markup, a paragraph's lines joined, paragraphs and list items on lines
/// of their own.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event as Markup, Parser, Tag, TagEnd};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Markup::Text(words) | Markup::Code(words) => text.push_str(&words),
            Markup::SoftBreak => text.push(' '),
            Markup::HardBreak | Markup::End(TagEnd::Item) => text.push('\n'),
            Markup::End(TagEnd::Paragraph) => text.push_str("\n\n"),
            Markup::Start(Tag::Item) => text.push_str("- "),
            _ => {}
        }
    }
    text.trim_end().to_string()
}

fn at(date: NaiveDate, time: Time) -> NaiveDateTime {
    date.and_hms_opt(u32::from(time.hour), u32::from(time.minute), 0)
        .unwrap_or_else(|| date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// A wall-clock time in the visit's zone as an instant (UTC), or floating
/// without a zone.
fn instant(local: NaiveDateTime, zone: Option<chrono_tz::Tz>) -> CalendarDateTime {
    let Some(zone) = zone else {
        return CalendarDateTime::Floating(local);
    };
    match utc(local, zone) {
        Some(time) => CalendarDateTime::Utc(time),
        None => CalendarDateTime::Floating(local),
    }
}

/// A wall-clock time in `zone` as an instant: one that a change to summer
/// time skips is the hour after it; one that the change back repeats is
/// the first of the two.
fn utc(local: NaiveDateTime, zone: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|time| time.with_timezone(&Utc))
}
