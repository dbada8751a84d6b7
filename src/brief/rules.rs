//! The format's rules that look across fields, run once the brief is typed.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use super::read::Spans;
use super::*;
use crate::diag::nearest;

/// How many names the "did you mean" of attendees may compare in all: a
/// real brief needs a few hundred (its delegation times its misspelt
/// attendees); one with tens of thousands of each gets no suggestion past
/// it rather than minutes of comparing.
const SUGGESTION_BUDGET: usize = 20_000;

pub fn check(brief: &Brief, spans: &Spans) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |path: String, message: String, help: Option<String>| {
        problems.push(Problem {
            span: spans.get(&path).copied(),
            message,
            path,
            help,
        });
    };
    let visit = &brief.visit;
    if visit.end < visit.start {
        report(
            "visit.end".into(),
            format!(
                "the visit ends ({}) before it starts ({})",
                visit.end, visit.start
            ),
            Some("`visit.end` is the last day of the visit, on or after `visit.start`".into()),
        );
    }

    let within_visit = |date: NaiveDate| visit.start <= date && date <= visit.end;
    let visit_days = format!("{} to {}", visit.start, visit.end);
    let dated = brief
        .schedule
        .iter()
        .enumerate()
        .map(|(i, item)| {
            (
                format!("schedule[{i}]"),
                item.date,
                item.start,
                item.end,
                &item.attendees,
            )
        })
        .chain(brief.bilaterals.iter().enumerate().map(|(i, meeting)| {
            (
                format!("bilaterals[{i}]"),
                meeting.date,
                meeting.start,
                meeting.end,
                &meeting.attendees,
            )
        }));

    // The delegation's names, in order (for "did you mean"), and where each
    // is first given: looked up for every attendee, so kept in a hash map
    // rather than searched, which with thousands of each would cost the
    // product of the two.
    let names: Vec<&str> = brief
        .delegation
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    let mut first_named: HashMap<&str, usize> = HashMap::new();
    for (i, person) in brief.delegation.iter().enumerate() {
        let Some(name) = &person.name else { continue };
        match first_named.entry(name.as_str()) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(first) => {
                let first = *first.get();
                report(
                    format!("delegation[{i}].name"),
                    format!("two delegation members are called `{name}` (`delegation[{first}]` and `delegation[{i}]`)"),
                    Some("names identify members in `attendees`: tell them apart, e.g. by a middle initial".into()),
                );
            }
        }
    }
    // The nearest member to each name not in the delegation, found once per
    // name and within a budget of comparisons.
    let mut suggestions: HashMap<&str, Option<&str>> = HashMap::new();
    let mut budget = SUGGESTION_BUDGET;
    for (path, date, start, end, attendees) in dated {
        if !within_visit(date) {
            report(
                format!("{path}.date"),
                format!("`{path}.date` ({date}) is outside the visit ({visit_days})"),
                Some("correct the date, or widen `visit.start` and `visit.end`".into()),
            );
        }
        if let (Some(start), Some(end)) = (start, end) {
            if end <= start {
                report(
                    format!("{path}.end"),
                    format!("`{path}` ends at {end}, not after it starts at {start}"),
                    None,
                );
            }
        }
        for (i, attendee) in attendees.iter().enumerate() {
            if first_named.contains_key(attendee.as_str()) {
                continue;
            }
            let near = *suggestions.entry(attendee.as_str()).or_insert_with(|| {
                let cost = names.len();
                if cost > budget {
                    return None;
                }
                budget -= cost;
                nearest(attendee, names.iter().copied())
            });
            let help = match near {
                Some(near) => format!("did you mean `{near}`?"),
                None if names.is_empty() => "the brief lists no `delegation`".into(),
                None => "attendees are named exactly as in `delegation`".into(),
            };
            report(
                format!("{path}.attendees[{i}]"),
                format!("`{attendee}` is not a member of the delegation"),
                Some(help),
            );
        }
    }
    problems
}

/// One item of the programme as the clash rules see it.
struct Booked<'b> {
    /// `schedule[3]` or `bilaterals[0]`.
    path: String,
    start: Time,
    /// An item without an end time is taken to last no time at all: it
    /// clashes only with an item it starts during, or one that starts at
    /// the same time.
    end: Time,
    given_end: Option<Time>,
    location: Option<&'b str>,
    bilateral: bool,
}

impl Booked<'_> {
    fn times(&self) -> String {
        match self.given_end {
            Some(end) => format!("{}–{end}", self.start),
            None => self.start.to_string(),
        }
    }
}

/// How two items of one attendee clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Clash {
    /// Their times overlap.
    Overlap,
    /// The first ends as the second starts, at another place.
    Travel,
}

/// Warnings, not errors (the brief still renders): a delegation member in
/// two items whose times overlap, or in an item that ends just as their
/// next one starts at another place. Items without a start time are not
/// compared. Each item is compared with the one before it of the same
/// attendee that ends last, after one sort of all the bookings: the work
/// grows with the number of bookings, not with its square. Two items that
/// clash for several attendees are one warning naming them all.
pub fn clashes(brief: &Brief, spans: &Spans) -> Vec<Problem> {
    // Each member's place in the delegation (its order of precedence): the
    // names of a warning are listed in that order.
    let mut members: HashMap<&str, usize> = HashMap::new();
    for (i, name) in brief
        .delegation
        .iter()
        .filter_map(|p| p.name.as_deref())
        .enumerate()
    {
        members.entry(name).or_insert(i);
    }
    let names: Vec<&str> = brief
        .delegation
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    // The timed items, and one booking per member who attends one: the
    // tuple is the order they are compared in (member, then time).
    let mut items: Vec<Booked> = Vec::new();
    let mut bookings: Vec<(usize, NaiveDate, Time, Time, usize)> = Vec::new();
    let schedule = brief.schedule.iter().enumerate().map(|(i, item)| {
        let path = format!("schedule[{i}]");
        (
            path,
            item.date,
            item.start,
            item.end,
            &item.location,
            &item.attendees,
        )
    });
    let meetings = brief.bilaterals.iter().enumerate().map(|(i, meeting)| {
        let path = format!("bilaterals[{i}]");
        let m = meeting;
        (path, m.date, m.start, m.end, &m.location, &m.attendees)
    });
    for (path, date, start, end, location, attendees) in schedule.chain(meetings) {
        let Some(start) = start else { continue };
        // An end before the start is an error of its own.
        let end = end.filter(|&end| end > start);
        let index = items.len();
        items.push(Booked {
            bilateral: path.starts_with("bilaterals"),
            path,
            start,
            end: end.unwrap_or(start),
            given_end: end,
            location: location.as_deref(),
        });
        for attendee in attendees {
            if let Some(&member) = members.get(attendee.as_str()) {
                bookings.push((member, date, start, items[index].end, index));
            }
        }
    }
    bookings.sort_unstable();
    bookings.dedup();
    // Each clash (first item, second item, kind) with the attendees it
    // concerns, in order.
    let mut found: BTreeMap<(usize, usize, Clash), Vec<&str>> = BTreeMap::new();
    let mut latest: Option<(usize, NaiveDate, usize)> = None;
    for &(attendee, date, start, _, index) in &bookings {
        if let Some((who, day, first)) = latest {
            if who == attendee && day == date && first != index {
                let before = &items[first];
                let clash = if start < before.end || start == before.start {
                    Some(Clash::Overlap)
                } else if start == before.end
                    && matches!((before.location, items[index].location), (Some(a), Some(b)) if a != b)
                {
                    Some(Clash::Travel)
                } else {
                    None
                };
                if let Some(clash) = clash {
                    found
                        .entry((first, index, clash))
                        .or_default()
                        .push(names[attendee]);
                }
            }
        }
        // The item of this attendee that ends last so far.
        let keep = matches!(latest, Some((who, day, first))
            if who == attendee && day == date && items[first].end >= items[index].end);
        if !keep {
            latest = Some((attendee, date, index));
        }
    }
    found
        .into_iter()
        .map(|((first, second, clash), names)| {
            let (a, b) = (&items[first], &items[second]);
            let line = spans
                .get(&format!("{}.start", a.path))
                .map_or_else(String::new, |span| format!(" at line {}", span.line));
            let who = names_of(&names);
            let (verb, has, them) = if names.len() == 1 {
                ("is", "has", "the attendee")
            } else {
                ("are", "have", "the attendees")
            };
            let (message, help) = match clash {
                Clash::Overlap => {
                    let mut help = format!(
                        "the other item is `{}`{line}; move one of them, or take {them} out of one",
                        a.path
                    );
                    if a.bilateral != b.bilateral && a.start == b.start && a.given_end == b.given_end {
                        help.push_str(
                            " (if they are the same meeting, drop the schedule item: a bilateral meeting is in the programme of its day)",
                        );
                    }
                    (
                        format!(
                            "{who} {verb} in two items at once: `{}` ({}) overlaps `{}` ({})",
                            b.path,
                            b.times(),
                            a.path,
                            a.times()
                        ),
                        help,
                    )
                }
                Clash::Travel => (
                    format!(
                        "{who} {has} no time to get from `{}` to `{}`: `{}` ends at {}, when `{}` starts",
                        a.location.unwrap_or_default(),
                        b.location.unwrap_or_default(),
                        a.path,
                        a.end,
                        b.path
                    ),
                    format!(
                        "the other item is `{}`{line}; leave time to travel between the two",
                        a.path
                    ),
                ),
            };
            let path = format!("{}.start", b.path);
            Problem {
                span: spans.get(&path).copied(),
                message,
                path,
                help: Some(help),
            }
        })
        .collect()
}

/// `` `A` ``, `` `A` and `B` ``, `` `A`, `B` and `C` ``.
fn names_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Warnings about contacts whose e-mail address or phone number cannot be
/// a link: the value is shown as written, but no one can tap it.
pub fn contact_links(brief: &Brief, spans: &Spans) -> Vec<Problem> {
    let mut warnings = Vec::new();
    for (i, contact) in brief.contacts.iter().enumerate() {
        if let Some(email) = contact.email.as_deref() {
            if contact::mailto(email).is_none() {
                let path = format!("contacts[{i}].email");
                warnings.push(Problem {
                    span: spans.get(&path).copied(),
                    message: format!(
                        "`{email}` is not an e-mail address: it is shown as written, not as a link"
                    ),
                    path,
                    help: Some(
                        "write one address, such as `name@example.org`, or leave `email` out"
                            .into(),
                    ),
                });
            }
        }
        if let Some(phone) = contact.phone.as_deref() {
            if contact::tel(phone).is_none() {
                let path = format!("contacts[{i}].phone");
                warnings.push(Problem {
                    span: spans.get(&path).copied(),
                    message: format!("`{phone}` is not a phone number: it is shown as written, not as a link"),
                    path,
                    help: Some("write the number with digits, spaces, `-./()` and a leading `+` only; put an extension or a note in `role`".into()),
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The warnings of a brief with these schedule and bilaterals (YAML).
    fn warnings_of(programme: &str) -> Vec<Problem> {
        let yaml = format!(
            "title: T\nvisit: {{start: 2026-05-01, end: 2026-05-02}}\ndelegation:\n  - name: Ann\n  - name: Bo\n{programme}"
        );
        let loaded = crate::brief::from_bytes(
            yaml.as_bytes(),
            Path::new("."),
            &crate::images::ImageRules::default(),
        )
        .unwrap_or_else(|e| panic!("{:?}", e.problems));
        loaded.warnings
    }

    fn item(start: &str, end: Option<&str>, location: &str, attendees: &str) -> String {
        let end = end.map_or_else(String::new, |end| format!(", end: \"{end}\""));
        format!("  - {{date: 2026-05-01, title: X, start: \"{start}\"{end}, location: {location}, attendees: [{attendees}]}}\n")
    }

    #[test]
    fn overlapping_items_of_one_member_are_reported_once_with_both_places() {
        let schedule = format!(
            "schedule:\n{}{}",
            item("09:00", Some("10:00"), "Hall", "Ann, Bo"),
            item("09:30", Some("11:00"), "Hall", "Bo, Ann"),
        );
        let warnings = warnings_of(&schedule);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].message,
            "`Ann` and `Bo` are in two items at once: `schedule[1]` (09:30–11:00) overlaps `schedule[0]` (09:00–10:00)"
        );
        assert_eq!(warnings[0].path, "schedule[1].start");
        assert_eq!(warnings[0].span.map(|s| s.line), Some(8));
        assert_eq!(
            warnings[0].help.as_deref(),
            Some("the other item is `schedule[0]` at line 7; move one of them, or take the attendees out of one")
        );
    }

    #[test]
    fn items_without_an_end_last_no_time() {
        // 10:00 without an end, then 10:00–11:00: the same start clashes.
        let same_start = format!(
            "schedule:\n{}{}",
            item("10:00", None, "Hall", "Ann"),
            item("10:00", Some("11:00"), "Hall", "Ann"),
        );
        assert_eq!(warnings_of(&same_start).len(), 1);
        // 10:00 without an end, then 10:30 elsewhere: no clash, no travel.
        let later = format!(
            "schedule:\n{}{}",
            item("10:00", None, "Hall", "Ann"),
            item("10:30", Some("11:00"), "Town", "Ann"),
        );
        assert_eq!(warnings_of(&later), vec![]);
        // An item without a start is not compared at all.
        let untimed = format!(
            "schedule:\n{}  - {{date: 2026-05-01, title: Y, attendees: [Ann]}}\n",
            item("10:00", Some("11:00"), "Hall", "Ann"),
        );
        assert_eq!(warnings_of(&untimed), vec![]);
    }

    #[test]
    fn back_to_back_at_another_place_is_a_travel_conflict() {
        let schedule = format!(
            "schedule:\n{}{}{}",
            item("09:00", Some("10:00"), "Hall", "Ann"),
            item("10:00", Some("11:00"), "Hall", "Ann"),
            item("11:00", Some("12:00"), "Town", "Ann"),
        );
        let warnings = warnings_of(&schedule);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].message,
            "`Ann` has no time to get from `Hall` to `Town`: `schedule[1]` ends at 11:00, when `schedule[2]` starts"
        );
    }

    #[test]
    fn a_bilateral_and_a_schedule_item_clash_too() {
        let programme = format!(
            "schedule:\n{}bilaterals:\n  - {{with: {{name: Cy}}, date: 2026-05-01, start: \"09:00\", end: \"10:00\", attendees: [Ann]}}\n",
            item("09:00", Some("10:00"), "Hall", "Ann"),
        );
        let warnings = warnings_of(&programme);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("drop the schedule item"));
    }

    #[test]
    fn many_items_of_one_member_are_compared_in_one_pass() {
        // 20,000 items back to back at one place, then 2,000 at one time:
        // one warning for each of the second lot but its first.
        let mut schedule = String::from("schedule:\n");
        for i in 0..20_000 {
            let (h, m) = (i / 60 % 24, i % 60);
            let _ = std::fmt::Write::write_fmt(
                &mut schedule,
                format_args!("  - {{date: 2026-05-01, title: X, start: \"{h:02}:{m:02}\", location: Hall, attendees: [Ann]}}\n"),
            );
        }
        for _ in 0..2_000 {
            schedule.push_str(&item("23:59", None, "Hall", "Bo"));
        }
        let warnings = warnings_of(&schedule);
        // Ann's items repeat every 24 hours of minutes (1,440): each repeat
        // starts with another at the same time.
        let ann = warnings
            .iter()
            .filter(|w| w.message.starts_with("`Ann`"))
            .count();
        let bo = warnings
            .iter()
            .filter(|w| w.message.starts_with("`Bo`"))
            .count();
        assert_eq!(ann, 20_000 - 1_440);
        assert_eq!(bo, 1_999);
    }
}
