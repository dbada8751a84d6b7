//! Where outputs may go, and how they are written: no output replaces a
//! file the run reads, another output of the run, or anything but a regular
//! file, and this is said before any work; outputs get the mode the umask
//! gives or keep the one they had; a run ended by a signal, or killed,
//! leaves no temporary file for long; a pair of outputs is replaced both or
//! neither.
//!
//! Some cases need root (a kept owner, an immutable file, a bind mount):
//! CI runs as root, so there they must run; elsewhere they say they cannot.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::generate::large_brief;
use crate::support::{briefing_in, copy_fixture, files_in};

const BINARY: &str = env!("CARGO_BIN_EXE_briefing");

fn folder_with_brief() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("valid_minimal", dir.path(), "visit.yaml");
    dir
}

fn brief_text() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid_minimal.yaml"))
        .unwrap()
}

/// Runs `briefing args` in `dir` under `umask`, through the shell as a user
/// would set it.
fn briefing_with_umask(dir: &Path, umask: &str, args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(BINARY)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// Whether this run may do what only root may. In CI, which runs as root,
/// it must; elsewhere the test says it cannot run rather than pass.
fn running_as_root(case: &str) -> bool {
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    let root = uid == Some(0);
    if !root {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root, and must run `{case}`"
        );
        eprintln!("not root: cannot run `{case}` (CI does)");
    }
    root
}

// No output replaces an input.

#[test]
fn a_pack_written_over_its_own_brief_is_refused() {
    let dir = folder_with_brief();
    let run = briefing_in(dir.path(), &["pack", "visit.yaml", "-o", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the pack `visit.yaml` would replace the brief `visit.yaml`\n --> visit.yaml\n  = help: choose another output file with -o\n\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("visit.yaml")).unwrap(),
        brief_text()
    );
    assert_eq!(
        files_in(dir.path()),
        ["visit.yaml"],
        "nothing else is written"
    );
}

#[test]
fn a_refused_output_is_one_json_diagnostic_for_ci() {
    let dir = folder_with_brief();
    let run = briefing_in(
        dir.path(),
        &[
            "pack",
            "visit.yaml",
            "-o",
            "visit.yaml",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "{\"column\":null,\"file\":\"visit.yaml\",\"help\":\"choose another output file with -o\",\"line\":null,\"message\":\"the pack `visit.yaml` would replace the brief `visit.yaml`\",\"path\":null,\"severity\":\"error\",\"type\":\"diagnostic\"}\n"
    );
}

#[test]
fn a_pack_written_over_its_brief_by_another_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("briefs")).unwrap();
    copy_fixture("valid_minimal", &dir.path().join("briefs"), "visit.yaml");
    std::fs::hard_link(
        dir.path().join("briefs/visit.yaml"),
        dir.path().join("linked.yaml"),
    )
    .unwrap();
    for (output, shown) in [
        ("./briefs//visit.yaml", "briefs//visit.yaml"),
        ("briefs/../briefs/visit.yaml", "briefs/../briefs/visit.yaml"),
        ("linked.yaml", "linked.yaml"),
    ] {
        let run = briefing_in(dir.path(), &["pack", "briefs/visit.yaml", "-o", output]);
        assert_eq!(run.code, 1, "{output}");
        assert_eq!(
            run.stderr,
            format!("error: the pack `{shown}` would replace the brief `briefs/visit.yaml` (they are the same file)\n --> {shown}\n  = help: choose another output file with -o\n\n")
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("briefs/visit.yaml")).unwrap(),
        brief_text()
    );
    assert_eq!(
        std::fs::read(dir.path().join("linked.yaml")).unwrap(),
        brief_text()
    );
    assert_eq!(files_in(&dir.path().join("briefs")), ["visit.yaml"]);
}

#[test]
fn a_pack_written_over_a_template_of_the_run_is_refused() {
    let dir = folder_with_brief();
    let export = briefing_in(dir.path(), &["templates", "export", "t"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let template = std::fs::read(dir.path().join("t/summary.md.hbs")).unwrap();
    let run = briefing_in(
        dir.path(),
        &[
            "pack",
            "visit.yaml",
            "--templates",
            "t",
            "-o",
            "t/summary.md.hbs",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the pack `t/summary.md.hbs` would replace the template `t/summary.md.hbs`\n --> t/summary.md.hbs\n  = help: choose another output file with -o\n\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("t/summary.md.hbs")).unwrap(),
        template
    );
    let run = briefing_in(
        dir.path(),
        &[
            "pack",
            "visit.yaml",
            "--templates",
            "t",
            "-o",
            "t/theme.yaml",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: the pack `t/theme.yaml` would replace the theme `t/theme.yaml`\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_pack_named_like_its_index_is_refused() {
    let dir = folder_with_brief();
    let run = briefing_in(dir.path(), &["pack", "visit.yaml", "-o", "out/pack.md"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the pack `out/pack.md` and the index `out/pack.md` would be the same file\n --> out/pack.md\n  = help: -o names the PDF, and its index goes beside it as `.md`: name the PDF, e.g. `-o out/pack.pdf`\n\n"
    );
    assert_eq!(files_in(dir.path()), ["visit.yaml"], "no folder, no file");
}

#[test]
fn a_render_over_a_hard_link_of_its_brief_is_refused_before_any_work() {
    let dir = folder_with_brief();
    copy_fixture("valid_minimal", dir.path(), "other.yaml");
    std::fs::create_dir(dir.path().join("out")).unwrap();
    // The summary's place is another name of the brief itself.
    std::fs::hard_link(
        dir.path().join("visit.yaml"),
        dir.path().join("out/visit.md"),
    )
    .unwrap();
    let run = briefing_in(dir.path(), &["render", "visit.yaml", "other.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the summary `out/visit.md` would replace the brief `visit.yaml` (they are the same file)\n \
         --> out/visit.md\n  = help: choose another output folder with -o\n\n\
         wrote out/other.md\nwrote out/other.pdf\n\
         1 brief rendered, 1 failed, 0 warnings (… s)\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/visit.md")).unwrap(),
        brief_text()
    );
    // Refused before any work: its PDF was never made.
    assert_eq!(
        files_in(&dir.path().join("out")),
        ["other.md", "other.pdf", "visit.md"]
    );
}

// Nothing but a regular file is replaced.

#[test]
fn a_pack_to_dev_null_is_refused_and_the_device_stays() {
    let dir = folder_with_brief();
    let run = briefing_in(dir.path(), &["pack", "visit.yaml", "-o", "/dev/null"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write: `/dev/null` is a device, not a file\n --> /dev/null\n  = help: an output only ever replaces a regular file: choose another output file with -o\n\n"
    );
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(files_in(dir.path()), ["visit.yaml"]);
}

#[test]
fn a_pack_to_a_named_pipe_a_socket_or_a_folder_is_refused_at_once() {
    let dir = folder_with_brief();
    mkfifo(&dir.path().join("pipe.pdf"));
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("socket.pdf")).unwrap();
    std::fs::create_dir(dir.path().join("folder.pdf")).unwrap();
    for (output, kind) in [
        ("pipe.pdf", "a named pipe (FIFO)"),
        ("socket.pdf", "a socket"),
        ("folder.pdf", "a folder"),
    ] {
        let started = Instant::now();
        let run = briefing_in(dir.path(), &["pack", "visit.yaml", "-o", output]);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never waits on a pipe"
        );
        assert_eq!(run.code, 1, "{output}");
        assert_eq!(
            run.stderr,
            format!("error: cannot write: `{output}` is {kind}, not a file\n --> {output}\n  = help: an output only ever replaces a regular file: choose another output file with -o\n\n")
        );
    }
    assert!(std::fs::metadata(dir.path().join("pipe.pdf"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::metadata(dir.path().join("socket.pdf"))
        .unwrap()
        .file_type()
        .is_socket());
    assert!(dir.path().join("folder.pdf").is_dir());
    // The index (`pipe.md`, …) was not written either.
    assert_eq!(
        files_in(dir.path()),
        ["folder.pdf", "pipe.pdf", "socket.pdf", "visit.yaml"]
    );
}

#[test]
fn an_output_at_a_symbolic_link_is_refused_and_neither_link_nor_target_change() {
    let dir = folder_with_brief();
    std::fs::write(dir.path().join("archive.pdf"), "the archived briefing\n").unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink("../archive.pdf", dir.path().join("out/visit.pdf")).unwrap();
    std::os::unix::fs::symlink("../archive.pdf", dir.path().join("out/pack.pdf")).unwrap();
    let render = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(render.code, 1);
    assert_eq!(
        render.stderr,
        "error: cannot write: `out/visit.pdf` is a symbolic link, not a file\n --> out/visit.pdf\n  = help: an output only ever replaces a regular file, not a link (nor what it points to): remove the link, or choose another output folder with -o\n\n\
         0 briefs rendered, 1 failed, 0 warnings (… s)\n"
    );
    let pack = briefing_in(dir.path(), &["pack", "visit.yaml", "-o", "out/pack.pdf"]);
    assert_eq!(pack.code, 1);
    assert!(
        pack.stderr
            .starts_with("error: cannot write: `out/pack.pdf` is a symbolic link, not a file\n"),
        "{}",
        pack.stderr
    );
    for link in ["out/visit.pdf", "out/pack.pdf"] {
        let link = dir.path().join(link);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("archive.pdf")).unwrap(),
        "the archived briefing\n"
    );
    assert_eq!(files_in(&dir.path().join("out")), ["pack.pdf", "visit.pdf"]);
}

#[test]
fn a_render_beside_a_named_pipe_output_is_refused_before_any_work() {
    let dir = folder_with_brief();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    mkfifo(&dir.path().join("out/visit.pdf"));
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write: `out/visit.pdf` is a named pipe (FIFO), not a file\n --> out/visit.pdf\n  = help: an output only ever replaces a regular file: choose another output folder with -o\n\n\
         0 briefs rendered, 1 failed, 0 warnings (… s)\n"
    );
    assert_eq!(
        files_in(&dir.path().join("out")),
        ["visit.pdf"],
        "no summary"
    );
}

#[test]
fn new_with_force_replaces_only_a_file() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.yaml"));
    std::fs::create_dir(dir.path().join("folder.yaml")).unwrap();
    std::fs::write(dir.path().join("target.yaml"), "mine\n").unwrap();
    std::os::unix::fs::symlink("target.yaml", dir.path().join("link.yaml")).unwrap();
    for (file, kind) in [
        ("/dev/null", "a device"),
        ("pipe.yaml", "a named pipe (FIFO)"),
        ("folder.yaml", "a folder"),
    ] {
        let run = briefing_in(dir.path(), &["new", file, "--force"]);
        assert_eq!(run.code, 1, "{file}");
        assert_eq!(
            run.stderr,
            format!("error: cannot write: `{file}` is {kind}, not a file\n --> {file}\n  = help: an output only ever replaces a regular file: choose another name\n\n")
        );
    }
    let run = briefing_in(dir.path(), &["new", "link.yaml", "--force"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write: `link.yaml` is a symbolic link, not a file\n --> link.yaml\n  = help: an output only ever replaces a regular file, not a link (nor what it points to): remove the link, or choose another name\n\n"
    );
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(std::fs::metadata(dir.path().join("pipe.yaml"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("target.yaml")).unwrap(),
        "mine\n"
    );
    assert_eq!(
        files_in(dir.path()),
        ["folder.yaml", "link.yaml", "pipe.yaml", "target.yaml"]
    );
}

#[test]
fn templates_export_with_force_replaces_only_files_and_all_or_none() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        briefing_in(dir.path(), &["templates", "export", "t"]).code,
        0
    );
    std::fs::write(dir.path().join("t/summary.md.hbs"), "mine\n").unwrap();
    std::fs::remove_file(dir.path().join("t/theme.yaml")).unwrap();
    std::fs::write(dir.path().join("my-theme.yaml"), "mine\n").unwrap();
    std::os::unix::fs::symlink("../my-theme.yaml", dir.path().join("t/theme.yaml")).unwrap();
    let run = briefing_in(dir.path(), &["templates", "export", "t", "--force"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write: `t/theme.yaml` is a symbolic link, not a file\n --> t/theme.yaml\n  = help: an output only ever replaces a regular file, not a link (nor what it points to): remove the link, or export into another folder\n\n"
    );
    // None written: the edited template is as it was, and so is the link.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t/summary.md.hbs")).unwrap(),
        "mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("my-theme.yaml")).unwrap(),
        "mine\n"
    );
    assert!(std::fs::symlink_metadata(dir.path().join("t/theme.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
}

// The same brief named twice.

#[test]
fn the_same_brief_named_by_different_paths_is_rendered_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("briefs")).unwrap();
    copy_fixture("valid_minimal", &dir.path().join("briefs"), "visit.yaml");
    std::fs::hard_link(
        dir.path().join("briefs/visit.yaml"),
        dir.path().join("hard.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("briefs/visit.yaml", dir.path().join("soft.yaml")).unwrap();
    let names = [
        "briefs/visit.yaml",
        "./briefs//visit.yaml",
        "briefs",
        "hard.yaml",
        "soft.yaml",
    ];
    let render = briefing_in(dir.path(), &[&["render"], &names[..]].concat());
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert_eq!(
        render.stderr,
        "wrote out/visit.md\nwrote out/visit.pdf\n1 brief rendered, 0 failed, 0 warnings (… s)\n"
    );
    let pack = briefing_in(dir.path(), &[&["pack"], &names[..]].concat());
    assert_eq!(pack.code, 0, "{}", pack.stderr);
    assert!(
        pack.stderr
            .ends_with("1 brief packed into 5 pages, 0 failed, 0 warnings (… s)\n"),
        "{}",
        pack.stderr
    );
}

// Files keep their privacy.

#[test]
fn new_outputs_get_the_mode_the_umask_gives() {
    for (umask, expected) in [("077", 0o600), ("022", 0o644), ("027", 0o640)] {
        let dir = folder_with_brief();
        for args in [
            &["render", "visit.yaml"][..],
            &["pack", "visit.yaml", "-o", "out/pack.pdf"],
            &["new", "out/new.yaml"],
            &["templates", "export", "out/t"],
        ] {
            let run = briefing_with_umask(dir.path(), umask, args);
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
        for file in [
            "visit.md",
            "visit.pdf",
            "pack.pdf",
            "pack.md",
            "new.yaml",
            "t/theme.yaml",
        ] {
            let path = dir.path().join("out").join(file);
            assert_eq!(mode(&path), expected, "{file} under umask {umask}");
        }
    }
}

#[test]
fn a_rerendered_output_keeps_the_mode_it_had() {
    let dir = folder_with_brief();
    assert_eq!(briefing_in(dir.path(), &["render", "visit.yaml"]).code, 0);
    let out = dir.path().join("out");
    for (file, kept) in [("visit.md", 0o640), ("visit.pdf", 0o600)] {
        std::fs::set_permissions(out.join(file), std::fs::Permissions::from_mode(kept)).unwrap();
    }
    // Under a permissive umask: the old modes win, never the umask's 0644.
    let run = briefing_with_umask(dir.path(), "022", &["render", "visit.yaml"]);
    assert!(run.status.success());
    assert_eq!(mode(&out.join("visit.md")), 0o640);
    assert_eq!(mode(&out.join("visit.pdf")), 0o600);
    assert_eq!(
        files_in(&out),
        ["visit.md", "visit.pdf"],
        "no temporary file"
    );
}

#[test]
fn a_rerendered_output_keeps_its_owner_and_group() {
    if !running_as_root("a_rerendered_output_keeps_its_owner_and_group") {
        return;
    }
    let dir = folder_with_brief();
    assert_eq!(briefing_in(dir.path(), &["render", "visit.yaml"]).code, 0);
    let pdf = dir.path().join("out/visit.pdf");
    std::os::unix::fs::chown(&pdf, Some(4321), Some(8765)).unwrap();
    std::fs::set_permissions(&pdf, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(briefing_in(dir.path(), &["render", "visit.yaml"]).code, 0);
    let metadata = std::fs::metadata(&pdf).unwrap();
    // The group that may read it is the same group as before.
    assert_eq!((metadata.uid(), metadata.gid()), (4321, 8765));
    assert_eq!(metadata.permissions().mode() & 0o777, 0o640);
}

/// A pack large enough to take a second or more: its temporary files stand
/// in its output folder from the start of the work to its end.
fn folder_with_large_briefs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("briefs")).unwrap();
    for n in 0..3 {
        std::fs::write(
            dir.path().join(format!("briefs/large-{n}.yaml")),
            large_brief(40, 600, 40),
        )
        .unwrap();
    }
    dir
}

/// Our temporary files in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    files_in(dir)
        .into_iter()
        .filter(|name| name.starts_with(".briefing-") && name.ends_with(".tmp"))
        .collect()
}

/// Waits until the pack's two temporary files (the PDF's, the index's)
/// stand in `dir`, while `child` is still at work.
fn wait_for_temporaries(dir: &Path, child: &mut Child) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let found = temporaries(dir);
        if found.len() == 2 {
            return found;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the pack ended before its temporary files were seen"
        );
        assert!(
            Instant::now() < deadline,
            "no temporary files after 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn send(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn sigterm_while_a_large_pack_is_written_leaves_nothing() {
    let dir = folder_with_large_briefs();
    // Through a shell, which reports how the run ended, as a CI script sees it.
    let mut shell = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" \"$@\" 2>briefing.err & echo $!; wait $!; echo \"exit status $?\"")
        .arg(BINARY)
        .args(["pack", "briefs", "-o", "out/pack.pdf"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(shell.stdout.take().unwrap());
    let mut pid = String::new();
    stdout.read_line(&mut pid).unwrap();
    let pid: u32 = pid.trim().parse().unwrap();
    let found = wait_for_temporaries(&dir.path().join("out"), &mut shell);
    assert!(
        found
            .iter()
            .all(|name| name.starts_with(&format!(".briefing-{pid}-"))),
        "{found:?}"
    );
    send("TERM", pid);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    shell.wait().unwrap();
    // (The shell itself says "Terminated" on its own stderr.)
    assert_eq!(rest, "exit status 143\n");
    let stderr = std::fs::read_to_string(dir.path().join("briefing.err")).unwrap();
    assert_eq!(stderr, "", "nothing printed, nothing half printed");
    // No temporary file, no pack, and not even the folder made for it.
    assert!(
        !dir.path().join("out").exists(),
        "{:?}",
        files_in(&dir.path().join("out"))
    );
}

#[test]
fn sigint_while_a_large_pack_is_written_leaves_nothing() {
    let dir = folder_with_large_briefs();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/pack.pdf"), "the last pack\n").unwrap();
    let mut child = Command::new(BINARY)
        .args(["pack", "briefs", "-o", "out/pack.pdf"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_temporaries(&dir.path().join("out"), &mut child);
    send("INT", child.id());
    let output = child.wait_with_output().unwrap();
    // Ended by the signal itself, as Ctrl-C ends a program (the shell says 130).
    assert_eq!(output.status.signal(), Some(2));
    assert_eq!(output.stderr, b"");
    assert_eq!(files_in(&dir.path().join("out")), ["pack.pdf"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/pack.pdf")).unwrap(),
        "the last pack\n"
    );
}

#[test]
fn temporary_files_left_by_kill_9_are_removed_by_the_next_run() {
    let dir = folder_with_large_briefs();
    let out = dir.path().join("out");
    let mut child = Command::new(BINARY)
        .args(["pack", "briefs", "-o", "out/pack.pdf"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let left = wait_for_temporaries(&out, &mut child);
    send("KILL", child.id());
    child.wait().unwrap();
    assert_eq!(temporaries(&out), left, "kill -9 leaves them");
    // A file of a run that is still going (this test's own process id) stays,
    // and so does a file that is not ours by its name.
    let live = format!(".briefing-{}-Ab12Cd.tmp", std::process::id());
    std::fs::write(out.join(&live), "being written\n").unwrap();
    std::fs::write(out.join(".briefing-notes.tmp"), "someone's notes\n").unwrap();
    copy_fixture("valid_minimal", dir.path(), "visit.yaml");
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_in(&out),
        [
            live,
            ".briefing-notes.tmp".to_string(),
            "visit.md".into(),
            "visit.pdf".into()
        ]
    );
}

// A pair is replaced both or neither.

/// Marks `path` immutable (`chattr +i`) until dropped.
struct Immutable<'a>(&'a Path);

impl<'a> Immutable<'a> {
    fn mark(path: &'a Path) -> Immutable<'a> {
        let status = Command::new("chattr").arg("+i").arg(path).status().unwrap();
        assert!(
            status.success(),
            "chattr +i: the tests' folder must support it"
        );
        Immutable(path)
    }
}

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(self.0).status();
    }
}

#[test]
fn an_immutable_pdf_leaves_the_old_summary_in_place() {
    if !running_as_root("an_immutable_pdf_leaves_the_old_summary_in_place") {
        return;
    }
    let dir = folder_with_brief();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("visit.md"), "the old summary\n").unwrap();
    std::fs::write(out.join("visit.pdf"), "the old PDF\n").unwrap();
    let pdf = out.join("visit.pdf");
    let immutable = Immutable::mark(&pdf);
    let run = briefing_in(dir.path(), &["render", "visit.yaml"]);
    drop(immutable);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot replace `out/visit.pdf`: Operation not permitted\n --> out/visit.pdf\n  = help: nothing was written; the file may be immutable or append-only (`lsattr` shows it)\n\n\
         0 briefs rendered, 1 failed, 0 warnings (… s)\n"
    );
    // Checked before either was renamed: the summary is the old one too.
    assert_eq!(
        std::fs::read_to_string(out.join("visit.md")).unwrap(),
        "the old summary\n"
    );
    assert_eq!(std::fs::read_to_string(&pdf).unwrap(), "the old PDF\n");
    assert_eq!(files_in(&out), ["visit.md", "visit.pdf"]);
}

/// Runs `briefing args` in `dir` with `source` mounted over `target` (a
/// bind mount, in a mount namespace of its own that ends with the run):
/// renaming a file over a mount point fails (`Device or resource busy`),
/// though the file can be opened, linked elsewhere or copied.
fn briefing_with_mount_over(
    dir: &Path,
    source: &str,
    target: &str,
    args: &[&str],
) -> (i32, String) {
    let output = Command::new("unshare")
        .args(["--mount", "sh", "-c"])
        .arg(format!(
            "mount --bind {source} {target} && exec \"$0\" \"$@\""
        ))
        .arg(BINARY)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let code = output.status.code().unwrap();
    (code, stderr)
}

#[test]
fn a_pdf_that_cannot_be_renamed_puts_the_summary_back() {
    if !running_as_root("a_pdf_that_cannot_be_renamed_puts_the_summary_back") {
        return;
    }
    let dir = folder_with_brief();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("visit.md"), "the old summary\n").unwrap();
    std::fs::write(out.join("visit.pdf"), "the old PDF\n").unwrap();
    std::fs::write(dir.path().join("mounted.pdf"), "the mounted PDF\n").unwrap();
    let (code, stderr) = briefing_with_mount_over(
        dir.path(),
        "mounted.pdf",
        "out/visit.pdf",
        &["render", "visit.yaml"],
    );
    assert_eq!(code, 1, "{stderr}");
    // The summary was renamed first, then the PDF's rename failed: the old
    // summary is back, not a new one beside the old PDF.
    assert!(
        stderr.starts_with(
            "error: cannot replace `out/visit.pdf`: Device or resource busy\n --> out/visit.pdf\n  = help: nothing was written: `out/visit.md` is as it was\n\n"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("visit.md")).unwrap(),
        "the old summary\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("visit.pdf")).unwrap(),
        "the old PDF\n"
    );
    assert_eq!(
        files_in(&out),
        ["visit.md", "visit.pdf"],
        "no temporary file, no copy"
    );
}

#[test]
fn a_pack_whose_index_cannot_be_renamed_leaves_no_new_pdf() {
    if !running_as_root("a_pack_whose_index_cannot_be_renamed_leaves_no_new_pdf") {
        return;
    }
    let dir = folder_with_brief();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("pack.md"), "the old index\n").unwrap();
    std::fs::write(dir.path().join("mounted.md"), "the mounted index\n").unwrap();
    let (code, stderr) = briefing_with_mount_over(
        dir.path(),
        "mounted.md",
        "out/pack.md",
        &["pack", "visit.yaml", "-o", "out/pack.pdf"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: cannot replace `out/pack.md`: Device or resource busy\n --> out/pack.md\n  = help: nothing was written: `out/pack.pdf` is as it was\n\n"
        ),
        "{stderr}"
    );
    // The PDF did not exist before: it is gone again.
    assert_eq!(files_in(&out), ["pack.md"]);
    assert_eq!(
        std::fs::read_to_string(out.join("pack.md")).unwrap(),
        "the old index\n"
    );
}
