//! The format's rules that look across fields, run once the brief is typed.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

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
