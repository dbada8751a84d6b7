//! `briefing watch`: a change to a brief is a new PDF; a broken brief keeps
//! the last good one; Ctrl-C leaves no temporary file. Every wait is
//! bounded (20 s) and polls; nothing here is timed.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{files_in, page_texts, tool};

const WAIT: Duration = Duration::from_secs(20);

fn brief(title: &str) -> String {
    format!("title: {title}\nvisit:\n  start: 2026-03-28\n  end: 2026-03-30\n")
}

/// Starts `briefing watch` with `args` in `dir`, its messages to `log`.
fn start_watch(dir: &Path, args: &[&str], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Polls `done` until it holds, failing the test after [`WAIT`].
fn wait_for(what: &str, child: &mut Child, log: &Path, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "watch ended ({status}) before {what}: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        if started.elapsed() > WAIT {
            let _ = child.kill();
            panic!(
                "no {what} after {WAIT:?}: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The PDF's text, once it is there and whole.
fn pdf_text(pdf: &Path) -> String {
    if !pdf.is_file() {
        return String::new();
    }
    std::panic::catch_unwind(|| page_texts(pdf).join("\n")).unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn watch_renders_each_change_keeps_the_last_good_pdf_and_stops_cleanly_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let brief_file = dir.path().join("visit.yaml");
    std::fs::write(&brief_file, brief("Erster Titel")).unwrap();
    let log = logs.path().join("stderr.txt");
    let mut child = start_watch(dir.path(), &["watch", "visit.yaml", "-o", "out"], &log);
    let pdf = dir.path().join("out/visit.pdf");
    wait_for("first PDF", &mut child, &log, || {
        pdf_text(&pdf).contains("Erster Titel")
    });

    std::fs::write(&brief_file, brief("Zweiter Titel")).unwrap();
    wait_for("PDF of the new title", &mut child, &log, || {
        pdf_text(&pdf).contains("Zweiter Titel")
    });
    if let Some(mut pdftotext) = tool("pdftotext") {
        let text = pdftotext.arg(&pdf).arg("-").output().unwrap();
        assert!(String::from_utf8_lossy(&text.stdout).contains("Zweiter Titel"));
    }

    // Broken: the error is printed, the last good PDF stays.
    std::fs::write(&brief_file, "title: [\n").unwrap();
    wait_for("error", &mut child, &log, || {
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("error: this is not valid YAML: did not find expected node content\n --> visit.yaml:1:9\n")
    });
    assert!(pdf_text(&pdf).contains("Zweiter Titel"));

    // Fixed: rendered again.
    std::fs::write(&brief_file, brief("Dritter Titel")).unwrap();
    wait_for("PDF of the fixed brief", &mut child, &log, || {
        pdf_text(&pdf).contains("Dritter Titel")
    });
    if let Some(mut qpdf) = tool("qpdf") {
        assert!(qpdf
            .arg("--check")
            .arg(&pdf)
            .output()
            .unwrap()
            .status
            .success());
    }

    // Ctrl-C: the run dies of the signal, as it would by default, and
    // leaves only its outputs.
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < WAIT, "watch did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(2), "{status}");
    assert_eq!(files_in(&dir.path().join("out")), ["visit.md", "visit.pdf"]);
    assert_eq!(files_in(dir.path()), ["out", "visit.yaml"]);
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(
        said.starts_with("wrote out/visit.md\nwrote out/visit.pdf\n1 brief rendered, 0 failed ("),
        "{said}"
    );
}

#[test]
fn standard_input_cannot_be_watched() {
    let run = crate::support::briefing(&["watch", "-"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: standard input (`-`) cannot be watched: name the brief's file\n\nUsage: briefing watch [OPTIONS] <FILE>...\n\nFor more information, try '--help'.\n"
    );
}

/// A template changed is every brief rendered again with it; a template
/// broken is its error, and the last good outputs stay.
#[cfg(unix)]
#[test]
fn watch_renders_again_when_a_template_changes() {
    let dir = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), brief("Besuch")).unwrap();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    let template = dir.path().join("t/summary.md.hbs");
    std::fs::write(&template, "# Erste Fassung: {{title}}\n").unwrap();
    let log = logs.path().join("stderr.txt");
    let mut child = start_watch(
        dir.path(),
        &["watch", "visit.yaml", "-o", "out", "--templates", "t"],
        &log,
    );
    let summary = dir.path().join("out/visit.md");
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    wait_for("first summary", &mut child, &log, || {
        read(&summary) == "# Erste Fassung: Besuch\n"
    });
    std::fs::write(&template, "# Zweite Fassung: {{title}}\n").unwrap();
    wait_for("summary of the new template", &mut child, &log, || {
        read(&summary) == "# Zweite Fassung: Besuch\n"
    });
    std::fs::write(&template, "# {{title}\n").unwrap();
    wait_for("template error", &mut child, &log, || {
        read(&log).contains("error: the template does not parse")
    });
    assert_eq!(read(&summary), "# Zweite Fassung: Besuch\n");
    let _ = child.kill();
    let _ = child.wait();
}

/// `--open` with no viewer to be found: a warning, and the watch goes on.
#[cfg(unix)]
#[test]
fn no_viewer_for_open_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("visit.yaml"), brief("Besuch")).unwrap();
    let log = logs.path().join("stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .current_dir(dir.path())
        .args([
            "watch",
            "visit.yaml",
            "-o",
            "out",
            "--open",
            "--format",
            "pdf,ics",
        ])
        // No program at all to open it with.
        .env("PATH", logs.path().join("nothing"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let read = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_for("round", &mut child, &log, || {
        read().contains("watching for changes")
    });
    let said = read();
    assert!(
        said.starts_with(
            "wrote out/visit.pdf\nwrote out/visit.ics\nwarning: cannot open the PDF in a viewer: "
        ),
        "{said}"
    );
    assert!(
        said.contains(
            " --> out/visit.pdf\n  = help: open it yourself: it is written all the same\n"
        ),
        "{said}"
    );
    assert!(child.try_wait().unwrap().is_none(), "watch goes on");
    let _ = child.kill();
    let _ = child.wait();
}

/// How many rounds (`… rendered, … failed`) the log shows.
fn rounds(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .matches(" failed (")
        .count()
}

/// After a round, the watch stays still: a second on, no further round.
/// (This only waits; it passes however slow the machine.)
fn still_after(rounds_now: usize, log: &Path) {
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        rounds(log),
        rounds_now,
        "{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// A brief watched by its file name, with the watch's own log beside it:
/// one round per save (an append, an editor's write-and-rename), one error
/// when the brief is deleted, one round when it comes back. The log's own
/// growth once made every round start the next.
#[cfg(unix)]
#[test]
fn watching_a_file_renders_once_per_save_and_once_per_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let brief_file = dir.path().join("visit.yaml");
    std::fs::write(&brief_file, brief("Besuch")).unwrap();
    let log = dir.path().join("watch.log");
    let mut child = start_watch(dir.path(), &["watch", "visit.yaml", "-o", "out"], &log);
    wait_for("first round", &mut child, &log, || rounds(&log) == 1);

    let mut appended = std::fs::OpenOptions::new()
        .append(true)
        .open(&brief_file)
        .unwrap();
    std::io::Write::write_all(&mut appended, b"# a comment\n").unwrap();
    drop(appended);
    wait_for("round of the append", &mut child, &log, || {
        rounds(&log) == 2
    });
    still_after(2, &log);

    // An editor's save: a scratch file beside it, renamed over the brief.
    let scratch = dir.path().join(".visit.yaml.tmp");
    std::fs::write(&scratch, brief("Neuer Besuch")).unwrap();
    std::fs::rename(&scratch, &brief_file).unwrap();
    wait_for("round of the editor's save", &mut child, &log, || {
        rounds(&log) == 3
    });
    still_after(3, &log);

    std::fs::remove_file(&brief_file).unwrap();
    wait_for("round of the deletion", &mut child, &log, || {
        rounds(&log) == 4
    });
    still_after(4, &log);
    let said = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        said.matches("error: cannot read the brief: No such file or directory\n --> visit.yaml\n")
            .count(),
        1,
        "{said}"
    );
    assert!(said.contains("\n0 briefs rendered, 1 failed ("), "{said}");

    // Back whole (written beside it, then renamed), never half written.
    let back = dir.path().join(".visit.yaml.back");
    std::fs::write(&back, brief("Wieder da")).unwrap();
    std::fs::rename(&back, &brief_file).unwrap();
    wait_for("round of its return", &mut child, &log, || {
        rounds(&log) == 5
    });
    still_after(5, &log);
    assert!(pdf_text(&dir.path().join("out/visit.pdf")).contains("Wieder da"));
    let said = std::fs::read_to_string(&log).unwrap();
    assert_eq!(said.matches("wrote out/visit.pdf\n").count(), 4, "{said}");
    let _ = child.kill();
    let _ = child.wait();
}

/// A save in steps, as editors and the shell make them: the brief emptied
/// and written in two parts with a pause between (one open file, as
/// `cat > visit.yaml` typed in), then emptied and closed before it is
/// written again (`: > visit.yaml; cat new.yaml > visit.yaml`), then moved
/// away before its new version is renamed in. The watch renders each save
/// once it is whole: no error is ever printed, one round a save, and the
/// PDF is the last version.
#[cfg(target_os = "linux")]
#[test]
fn a_save_in_steps_is_rendered_whole_without_an_error() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let brief_file = dir.path().join("visit.yaml");
    std::fs::write(&brief_file, brief("Erster Titel")).unwrap();
    let log = logs.path().join("stderr.txt");
    let mut child = start_watch(dir.path(), &["watch", "visit.yaml", "-o", "out"], &log);
    let pdf = dir.path().join("out/visit.pdf");
    wait_for("first round", &mut child, &log, || rounds(&log) == 1);

    // Emptied, half written (not valid YAML: `visit:` cut in its
    // middle), a pause, the rest, closed.
    let whole = brief("Zweiter Titel");
    let (first, rest) = whole.split_at(whole.find("visit:").unwrap() + 3);
    let mut file = std::fs::File::create(&brief_file).unwrap();
    file.write_all(first.as_bytes()).unwrap();
    file.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    file.write_all(rest.as_bytes()).unwrap();
    drop(file);
    wait_for("round of the save in two parts", &mut child, &log, || {
        rounds(&log) == 2
    });
    still_after(2, &log);
    assert!(pdf_text(&pdf).contains("Zweiter Titel"));

    // Emptied and closed, then written whole.
    std::fs::File::create(&brief_file).unwrap();
    std::fs::write(&brief_file, brief("Dritter Titel")).unwrap();
    wait_for(
        "PDF of the brief emptied, then written",
        &mut child,
        &log,
        || pdf_text(&pdf).contains("Dritter Titel"),
    );
    still_after(rounds(&log), &log);

    // Moved away, then its new version renamed in.
    let scratch = dir.path().join(".visit.yaml.new");
    std::fs::write(&scratch, brief("Vierter Titel")).unwrap();
    std::fs::rename(&brief_file, dir.path().join("visit.yaml~")).unwrap();
    std::fs::rename(&scratch, &brief_file).unwrap();
    wait_for("PDF of the brief renamed in", &mut child, &log, || {
        pdf_text(&pdf).contains("Vierter Titel")
    });
    still_after(rounds(&log), &log);

    let said = std::fs::read_to_string(&log).unwrap();
    assert!(!said.contains("error"), "{said}");
    assert!(!said.contains(" 1 failed ("), "{said}");
    if let Some(mut qpdf) = tool("qpdf") {
        assert!(qpdf
            .arg("--check")
            .arg(&pdf)
            .output()
            .unwrap()
            .status
            .success());
    }
    let _ = child.kill();
    let _ = child.wait();
}
