//! Large inputs that are still briefs: a PDF of more than 65,535 objects
//! that every reader opens. The inputs are generated here, at test time.

use std::path::Path;
use std::process::Command;

use crate::support::{briefing_in, files_in};

/// A reader of PDFs other than ours, or `None` when it is not installed
/// here (CI installs them, and there their absence fails the test).
fn tool(name: &str) -> Option<Command> {
    let found = Command::new(name).arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install {name} (.ci/run)"
        );
        eprintln!("{name} is not installed: skipping it (CI installs it)");
    }
    found.then(|| Command::new(name))
}

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
