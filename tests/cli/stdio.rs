//! `-` for standard input and output, and `-o FILE` for one brief's file.

use std::path::Path;

use crate::support::{briefing_in, files_in, tool};

/// A run with `stdin` given, its stdout kept as bytes (a PDF).
struct Piped {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn piped(dir: &Path, args: &[&str], stdin: &[u8]) -> Piped {
    let output = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .current_dir(dir)
        .args(args)
        .write_stdin(stdin)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The summary's time, as `(… s)`.
    let stderr = match stderr.rfind(" (") {
        Some(at) if stderr.ends_with(" s)\n") => format!("{} (… s)\n", &stderr[..at]),
        _ => stderr,
    };
    Piped {
        code: output.status.code().expect("exited"),
        stdout: output.stdout,
        stderr,
    }
}

const BRIEF: &str = "title: Visit\nvisit:\n  start: 2026-03-28\n  end: 2026-03-30\n";

fn usage(message: &str) -> String {
    format!(
        "error: {message}\n\nUsage: briefing render [OPTIONS] <FILE>...\n\nFor more information, try '--help'.\n"
    )
}

#[test]
fn check_reads_the_brief_from_standard_input_and_names_it_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let run = piped(dir.path(), &["check", "-"], BRIEF.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "1 brief checked: 1 valid, 0 warnings (… s)\n");
    let run = piped(dir.path(), &["check", "-"], b"title: [\n");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: this is not valid YAML: did not find expected node content\n --> <stdin>:1:9\n  |\n1 | title: [\n  |         ^\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
    );
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn standard_input_is_read_no_further_than_a_brief_may_be() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![b'a'; 9 * 1024 * 1024];
    let run = piped(dir.path(), &["check", "-"], &big);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the brief is 8.4 MB, more than the 8 MB a brief may be\n --> <stdin>\n  = help: is this the right file? A brief is a YAML text of a few kilobytes\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
    );
}

#[test]
fn render_writes_the_one_output_to_standard_output_with_photos_from_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_examples(dir.path(), &["valmora-2026.yaml"]);
    let briefs = dir.path().join("briefs");
    let brief = std::fs::read(briefs.join("valmora-2026.yaml")).unwrap();
    let run = piped(
        &briefs,
        &["render", "-", "--format", "pdf", "-o", "-"],
        &brief,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "1 brief rendered, 0 failed, 0 warnings (… s)\n");
    assert!(run.stdout.starts_with(b"%PDF-"));
    // Nothing written, no folder called `-`.
    assert_eq!(files_in(&briefs), ["photos", "valmora-2026.yaml"]);
    let pdf = dir.path().join("from-stdout.pdf");
    std::fs::write(&pdf, &run.stdout).unwrap();
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf.arg("--check").arg(&pdf).output().unwrap();
        assert!(check.status.success(), "{check:?}");
    }
    // The same bytes as the file `render` writes.
    let written = briefing_in(&briefs, &["render", "valmora-2026.yaml", "-o", "out"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert_eq!(
        std::fs::read(briefs.join("out/valmora-2026.pdf")).unwrap(),
        run.stdout
    );
    // Its calendar and summary, one at a time.
    let ics = piped(
        &briefs,
        &["render", "-", "--format", "ics", "-o", "-"],
        &brief,
    );
    assert_eq!(ics.code, 0, "{}", ics.stderr);
    assert!(ics.stdout.starts_with(b"BEGIN:VCALENDAR\r\n"));
    // Into a folder, a brief from standard input is `stdin`.
    let run = piped(&briefs, &["render", "-", "-o", "from-stdin"], &brief);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_in(&briefs.join("from-stdin")),
        ["stdin.md", "stdin.pdf"]
    );
}

#[test]
fn standard_output_takes_one_output_of_one_brief() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), BRIEF).unwrap();
    std::fs::write(dir.path().join("b.yaml"), BRIEF).unwrap();
    let run = piped(dir.path(), &["render", "-", "-o", "-"], BRIEF.as_bytes());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        usage("-o - writes one output to standard output, but --format asks for md,pdf: name one, e.g. --format pdf")
    );
    let run = briefing_in(
        dir.path(),
        &["render", "a.yaml", "b.yaml", "--format", "pdf", "-o", "-"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        usage("-o - writes one output to standard output, but 2 briefs would be rendered: name a folder with -o")
    );
    let run = briefing_in(
        dir.path(),
        &[
            "render",
            "a.yaml",
            "--format",
            "pdf",
            "-o",
            "-",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        usage("-o - writes the output to standard output, where --message-format json would print too: use --message-format human or github")
    );
    assert_eq!(files_in(dir.path()), ["a.yaml", "b.yaml"]);
}

#[test]
fn a_file_name_after_o_names_the_file_of_one_brief() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), BRIEF).unwrap();
    std::fs::write(dir.path().join("b.yaml"), BRIEF).unwrap();
    // The PDF named, the summary beside it.
    let run = briefing_in(dir.path(), &["render", "a.yaml", "-o", "final/visit.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "wrote final/visit.md\nwrote final/visit.pdf\n1 brief rendered, 0 failed, 0 warnings (… s)\n"
    );
    assert_eq!(
        files_in(&dir.path().join("final")),
        ["visit.md", "visit.pdf"]
    );
    let run = briefing_in(
        dir.path(),
        &["render", "a.yaml", "--format", "ics", "-o", "visit.ics"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("visit.ics").is_file());
    let run = briefing_in(
        dir.path(),
        &["render", "a.yaml", "b.yaml", "-o", "visit.pdf"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        usage("-o visit.pdf names one file, but 2 briefs would be rendered: name a folder with -o")
    );
    let run = briefing_in(
        dir.path(),
        &["render", "a.yaml", "--format", "pdf", "-o", "visit.md"],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        usage("-o visit.md names a file of format md, but --format asks for pdf: add md to --format, or name the file after one of them")
    );
    // A folder that exists is a folder, whatever its name.
    std::fs::create_dir(dir.path().join("odd.pdf")).unwrap();
    let run = briefing_in(dir.path(), &["render", "a.yaml", "-o", "odd.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files_in(&dir.path().join("odd.pdf")), ["a.md", "a.pdf"]);
}
