//! Large inputs that are still briefs: a PDF of more than 65,535 objects
//! that every reader opens, and words no line can hold (a pasted blob, a
//! long URL) broken by force across lines, in time linear in their length.
//! The inputs are generated here, at test time.

use std::path::Path;
use std::process::Command;

use crate::support::{briefing_in, files_in, tool};

/// Writes `yaml` as `large.yaml` in `dir` and renders it into `dir/out`;
/// the render must succeed and write the PDF and the Markdown.
fn render(dir: &Path, yaml: &str) {
    std::fs::write(dir.join("large.yaml"), yaml).unwrap();
    let run = briefing_in(dir, &["render", "large.yaml", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_in(&dir.join("out")), ["large.md", "large.pdf"]);
}

/// The text of a PDF as poppler's `pdftotext` reads it, or `None` without
/// poppler. poppler must be able to open the file at all.
fn pdftotext(pdf: &Path) -> Option<String> {
    let output = tool("pdftotext")?.arg(pdf).arg("-").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// The text of the pages without what repeats on each (the running title,
/// `Page 3 of 16`, the table's header), with every space and line break
/// taken out: a word broken across lines and pages reads whole again.
fn joined(text: &str, furniture: &[&str]) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| {
            let page_number = line.starts_with("Page ") && line.contains(" of ");
            !page_number && !furniture.contains(line)
        })
        .flat_map(str::split_whitespace)
        .collect()
}

/// A brief of `sections` sections in the event's description, each with a
/// line of text: each section is an entry of the PDF's outline, an object
/// of its own. The same words in each, so that they are shaped once.
fn brief_of_sections(sections: usize) -> String {
    let mut yaml = String::from(
        "title: A long programme\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\n\
         event:\n  name: Conference\n  description: |\n",
    );
    for _ in 0..sections {
        yaml.push_str("    ## S\n\n    T.\n\n");
    }
    yaml
}

/// Hits no limit: more than 65,535 objects, which one object stream and a
/// cross-reference field of two bytes could not address (the index of the
/// catalog wrapped, and poppler could not open the file, while qpdf and
/// lopdf could). The objects are now spread over object streams of
/// bounded size; qpdf, pdfinfo and pdftotext read the file back (lopdf
/// reads such a file in `pdf::file`'s own test, faster than here).
/// Release-size work: about 40 s in a debug build, 2 s in a release one.
#[test]
fn a_pdf_of_more_than_65535_objects_opens_in_every_reader() {
    const SECTIONS: usize = 62_000;
    let dir = tempfile::tempdir().unwrap();
    render(dir.path(), &brief_of_sections(SECTIONS));
    let pdf = dir.path().join("out/large.pdf");

    let mut pages = None;
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf.arg("--check").arg(&pdf).output().unwrap();
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(check.status.success(), "{said}");
        assert!(
            said.contains("No syntax or stream encoding errors"),
            "{said}"
        );
        let xref = Command::new("qpdf")
            .arg("--show-xref")
            .arg(&pdf)
            .output()
            .unwrap();
        let xref = String::from_utf8_lossy(&xref.stdout);
        let objects = xref.lines().count();
        assert!(
            objects > 65_535,
            "only {objects} objects: the test must cross the 16-bit index"
        );
        let object_streams: std::collections::BTreeSet<&str> = xref
            .lines()
            .filter_map(|l| l.split("compressed; stream = ").nth(1))
            .filter_map(|l| l.split(',').next())
            .collect();
        assert!(
            object_streams.len() > 65,
            "{} object streams",
            object_streams.len()
        );
        let npages = Command::new("qpdf")
            .arg("--show-npages")
            .arg(&pdf)
            .output()
            .unwrap();
        pages = Some(String::from_utf8_lossy(&npages.stdout).trim().to_string());
    }
    if let Some(mut pdfinfo) = tool("pdfinfo") {
        let info = pdfinfo.arg(&pdf).output().unwrap();
        assert!(
            info.status.success(),
            "{}",
            String::from_utf8_lossy(&info.stderr)
        );
        let said = String::from_utf8_lossy(&info.stdout);
        if let Some(pages) = &pages {
            assert!(
                said.lines()
                    .any(|l| l.split_whitespace().eq(["Pages:", pages.as_str()])),
                "{said}"
            );
        }
    }
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("A long programme"), "the cover");
        // Each section twice: in the contents and where it is.
        let last = format!("1.{SECTIONS} S");
        assert_eq!(text.lines().filter(|l| *l == last).count(), 2);
    }
}

/// Hits no limit: one word of 100,000 letters with no hyphenation point
/// (a keyboard accident, a blob), wider than a thousand lines, is broken
/// by force between its letters, line after line, and the PDF holds all of
/// it. The line breaker's last pass kept every node it made, which cost
/// time n² (30,000 letters: 16 s in a release build, this word minutes); it
/// now drops the nodes whose lines overflow, and this takes seconds in a
/// debug build.
#[test]
fn a_word_of_100000_letters_is_broken_across_lines() {
    let word = "x".repeat(100_000);
    let dir = tempfile::tempdir().unwrap();
    render(
        dir.path(),
        &format!(
            "title: Long word\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\n\
             talking_points:\n  - \"{word}\"\n"
        ),
    );
    let pdf = dir.path().join("out/large.pdf");
    if let Some(text) = pdftotext(&pdf) {
        let all = joined(&text, &["Long word"]);
        assert!(all.contains(&word), "the whole word");
        assert_eq!(all.matches('x').count(), word.len(), "and nothing twice");
        // Split into many lines, none longer than a line can hold.
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.len() > 20 && word.contains(l.trim()))
            .collect();
        assert!(lines.len() > 1000, "{} lines", lines.len());
        assert!(lines.iter().all(|l| l.len() < 200), "no line overflows");
    }
}

/// Hits no limit: a run of 40,000 zero-width spaces, each a break
/// opportunity of no width, so that no line from any node ever overflows
/// and every node stays active: without a bound on the open lines, the
/// emergency pass cost time n² here (16 s in a release build); now 0.7 s.
#[test]
fn a_run_of_zero_width_spaces_is_set_in_bounded_time() {
    let run = "\u{200B}".repeat(40_000);
    let dir = tempfile::tempdir().unwrap();
    render(
        dir.path(),
        &format!(
            "title: Zero width\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\n\
             talking_points:\n  - \"Before{run}after\"\n"
        ),
    );
    if let Some(text) = pdftotext(&dir.path().join("out/large.pdf")) {
        assert!(joined(&text.replace('\u{200B}', ""), &["Zero width"]).contains("Beforeafter"));
    }
}

/// Hits no limit: a programme entry whose location is a long URL and whose
/// notes hold a base64 blob, in a table cell. Both are broken by force
/// within their column and read whole, and the other columns keep their
/// words: the time and the title are not squeezed to a letter a line (as
/// they were when all columns shrank in proportion to their longest word).
#[test]
fn a_long_url_and_base64_in_a_table_cell_are_broken_in_their_column() {
    let url = format!(
        "https://example.org/{}",
        (0..2_000)
            .map(|i| format!("segment{i}"))
            .collect::<Vec<_>>()
            .join("/")
    );
    // Letters and digits only: no break opportunity and no hyphenation
    // point in 30,000 characters (34 s before, in a release build).
    let base64: String = (0..30_000)
        .map(|i| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[i * 37 % 62] as char
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    render(
        dir.path(),
        &format!(
            "title: Long cell\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\n\
             schedule:\n  - date: 2026-02-10\n    start: \"09:00\"\n    end: \"10:30\"\n\
             \x20   title: Plenary session\n    location: \"{url} {base64}\"\n"
        ),
    );
    if let Some(text) = pdftotext(&dir.path().join("out/large.pdf")) {
        let all = joined(&text, &["Long cell", "Time", "Programme Location"]);
        assert!(all.contains(&url), "the whole URL, in order");
        assert!(all.contains(&base64), "the whole blob, in order");
        // The other columns keep their words: the time on one line, the
        // title's words whole.
        assert!(text.lines().any(|l| l == "09:00–10:30"), "{text}");
        assert!(text.lines().any(|l| l == "Plenary"), "{text}");
    }
}
