//! The example PDFs as other tools read them: `qpdf --check` finds them
//! valid, and `pdftotext` (poppler) finds every name, point and date of the
//! brief, in reading order. CI installs both (see `.ci/run`); elsewhere the
//! test says it cannot run rather than pass.

use std::path::Path;
use std::process::Command;

use briefing::brief::{self, Brief};
use briefing::i18n;

use crate::support::briefing_in;

fn tool_available(name: &str) -> bool {
    let found = Command::new(name).arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install {name} (.ci/run)"
        );
        eprintln!("{name} is not installed: skipping (CI installs it)");
    }
    found
}

/// Markdown as a reader sees it: markup characters gone, spaces single.
fn plain(text: &str) -> String {
    text.replace("**", "")
        .replace(['*', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the PDF must say, in the order it must say it.
fn facts_in_order(brief: &Brief) -> Vec<String> {
    let language = brief.language;
    let mut facts = vec![
        brief.title.clone(),
        i18n::date_range(language, brief.visit.start, brief.visit.end),
    ];
    facts.extend(brief.objectives.iter().map(|o| plain(&o.0)));
    for point in &brief.talking_points {
        facts.extend(point.topic.clone());
        facts.extend(point.text.iter().map(|t| plain(&t.0)));
        facts.extend(point.points.iter().map(|p| plain(&p.0)));
    }
    let mut schedule: Vec<_> = brief.schedule.iter().collect();
    schedule.sort_by_key(|i| (i.date, i.start));
    let mut day = None;
    for item in schedule {
        if day != Some(item.date) {
            facts.push(i18n::weekday_date(language, item.date));
            day = Some(item.date);
        }
        facts.push(item.title.clone());
    }
    let mut meetings: Vec<_> = brief.bilaterals.iter().collect();
    meetings.sort_by_key(|m| (m.date, m.start));
    for meeting in meetings {
        facts.extend(
            meeting
                .with
                .name
                .clone()
                .or(meeting.with.organization.clone()),
        );
        facts.extend(meeting.objectives.iter().map(|o| plain(&o.0)));
    }
    facts.extend(brief.delegation.iter().filter_map(|p| p.name.clone()));
    facts.extend(brief.counterparts.iter().filter_map(|p| p.name.clone()));
    facts.extend(brief.organizations.iter().map(|o| o.name.clone()));
    facts.extend(brief.contacts.iter().map(|c| c.name.clone()));
    facts
}

#[test]
fn example_pdfs_are_valid_and_read_in_order() {
    if !tool_available("qpdf") || !tool_available("pdftotext") {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let run = briefing_in(
        repo,
        &["render", "briefs", "-o", out.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["moskau-2025", "valmora-2026"] {
        let pdf = out.path().join(format!("{name}.pdf"));
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(&pdf)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "qpdf --check {name}.pdf:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );

        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        assert!(text.status.success());
        let text = String::from_utf8(text.stdout).unwrap();
        // Lines joined, hyphens at line ends mended, spaces single.
        let joined: String = text
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
            .replace("-\n", "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let brief = brief::load(
            &repo.join(format!("briefs/{name}.yaml")),
            &briefing::images::ImageRules::default(),
        )
        .unwrap()
        .brief;
        // After the contents page: the body, where the order is the brief's.
        let mut at = joined.find(&brief.title).unwrap();
        for fact in facts_in_order(&brief) {
            match joined[at..].find(&fact) {
                Some(found) => at += found,
                None => panic!(
                    "{name}.pdf: {fact:?} is missing, or out of order after {:?}",
                    &joined[at.saturating_sub(80)..at]
                ),
            }
        }
    }
}
