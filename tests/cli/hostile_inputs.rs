//! What a brief's own text may do: hostile briefs (in `tests/hostile/`, or
//! generated here when large), each refused with a message that names the
//! limit it hits, or put right with a warning, quickly and in bounded
//! memory; and no brief reaches a terminal or a CI log with a control
//! character.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{briefing_in, files_in, Run};

/// `tests/hostile/<name>`.
fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

/// A fresh folder holding `name` with `content`.
fn folder_with(name: &str, content: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    dir
}

/// A fresh folder holding a copy of `tests/hostile/<name>`.
fn folder_with_hostile(name: &str) -> tempfile::TempDir {
    folder_with(name, &std::fs::read(hostile(name)).unwrap())
}

/// Runs the binary in `dir` on one thread, killed past `seconds` and unable
/// to take more than 1 GiB of address space: a brief that costs more time or
/// memory than its size warrants fails the test rather than the machine.
fn briefing_bounded(dir: &Path, args: &[&str], seconds: u64) -> Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
    command.current_dir(dir).args(args).args(["--jobs", "1"]);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only setrlimit, which is async-signal-safe, runs between
        // fork and exec.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 1 << 30,
                    rlim_max: 1 << 30,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let output = assert_cmd::Command::from_std(command)
        .timeout(Duration::from_secs(seconds))
        .output()
        .expect("the binary runs");
    let code = output.status.code().unwrap_or_else(|| {
        panic!(
            "killed: more than {seconds} s or 1 GiB ({})",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Run {
        code,
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The summary line without the time it took.
fn summary(stderr: &str) -> &str {
    let last = stderr.lines().last().unwrap_or_default();
    last.rsplit_once(" (").map_or(last, |(summary, _)| summary)
}

/// A brief whose one 10,000-byte text is aliased `uses` times: 190 KB of
/// YAML for 200 MB of text when `uses` is 20,000.
fn alias_brief(uses: usize) -> Vec<u8> {
    let text = "lorem ipsum dolor sit amet ".repeat(400)[..10_000].to_string();
    let mut brief = format!(
        "title: Alias\nvisit: {{start: 2025-01-01, end: 2025-01-02}}\nbackground: &big \"{text}\"\nobjectives:\n"
    );
    for _ in 0..uses {
        brief.push_str("  - *big\n");
    }
    brief.into_bytes()
}

// The limit: the brief's size after its aliases are expanded, 8 MB (as much
// as the file may be). The text and keys before the list come to 10,063
// bytes, so the 838th use of the alias passes 8 MiB: line 4 + 838.
#[test]
fn alias_expansion_past_8_mb() {
    let dir = folder_with("alias.yaml", &alias_brief(20_000));
    let expected = "error: the brief's aliases expand it to more than the 8 MB a brief may be\n   --> alias.yaml:842:5\n    |\n842 |   - *big\n    |     ^^^^\n    = help: each use of `*big` repeats its 10 KB of text; a brief needs few aliases, if any\n\n";
    // `check` refuses it as `render` does, and as quickly.
    let check = briefing_bounded(dir.path(), &["check", "alias.yaml"], 10);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.starts_with(expected), "{}", check.stderr);
    assert_eq!(
        summary(&check.stderr),
        "1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings"
    );
    let render = briefing_bounded(dir.path(), &["render", "alias.yaml", "-o", "out"], 10);
    assert_eq!(render.code, 1, "{}", render.stderr);
    assert!(render.stderr.starts_with(expected), "{}", render.stderr);
    assert_eq!(files_in(dir.path()), ["alias.yaml"], "nothing is written");
}

#[test]
fn alias_expansion_within_8_mb_is_a_brief() {
    // 800 uses: 8.0 MB of text, under the limit (and 8 MB of objectives is
    // more than anything needs to lay out here: `check` only).
    let dir = folder_with("alias.yaml", &alias_brief(800));
    let check = briefing_bounded(dir.path(), &["check", "alias.yaml"], 20);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

// No limit is hit: anchors inside anchors are shared, not copied once per
// level. 60 anchored lists around one of 240,000 values (480 KB of YAML)
// took 1 GB and 5 s to check when each level held a copy.
#[test]
fn nested_anchors_are_not_copied() {
    let mut nested = format!("[{}]", vec!["a"; 240_000].join(","));
    for level in 0..60 {
        nested = format!("&n{level} [{nested}]");
    }
    let brief =
        format!("title: x\nvisit: {{start: 2025-01-01, end: 2025-01-02}}\nnested: {nested}\n");
    let dir = folder_with("nested.yaml", brief.as_bytes());
    let check = briefing_bounded(dir.path(), &["check", "nested.yaml"], 20);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .starts_with("error: unknown key `nested`\n --> nested.yaml:3:1\n"),
        "{}",
        check.stderr
    );
}

// The limit: a brief is a regular file. A named pipe was waited on forever.
#[cfg(unix)]
#[test]
fn brief_that_is_a_named_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("brief.yaml"))
        .status()
        .unwrap();
    assert!(status.success());
    let expected = "error: the brief is a named pipe (FIFO), not a file\n --> brief.yaml\n  = help: name the brief's YAML file (to check text from a pipe, save it to a file first)\n\n";
    let check = briefing_bounded(dir.path(), &["check", "brief.yaml"], 10);
    assert_eq!(check.code, 1);
    assert!(check.stderr.starts_with(expected), "{}", check.stderr);
    assert_eq!(
        summary(&check.stderr),
        "1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings"
    );
    let render = briefing_bounded(dir.path(), &["render", "brief.yaml", "-o", "out"], 10);
    assert_eq!(render.code, 1);
    assert!(render.stderr.starts_with(expected), "{}", render.stderr);
    assert_eq!(files_in(dir.path()), ["brief.yaml"], "nothing is written");
}

// The limit: a brief is a regular file. `/dev/zero` would be read without end.
#[cfg(unix)]
#[test]
fn brief_that_is_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let check = briefing_bounded(dir.path(), &["check", "/dev/zero"], 10);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.starts_with(
            "error: the brief is a device, not a file\n --> /dev/zero\n  = help: name the brief's YAML file"
        ),
        "{}",
        check.stderr
    );
}

// The limit: 8 MB, checked before a byte is read.
#[test]
fn brief_over_8_mb_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    // A sparse file: 9 GB that take no room, and would take minutes to read.
    file.set_len(9_000_000_000).unwrap();
    let check = briefing_bounded(dir.path(), &["check", "huge.yaml"], 10);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.starts_with(
            "error: the brief is 9000.0 MB, more than the 8 MB a brief may be\n --> huge.yaml\n"
        ),
        "{}",
        check.stderr
    );
}

const CONTROL_CHARACTER_HELP: &str = "control characters do not print, and can disturb a terminal or a CI log; remove them from the brief (YAML escapes such as `\\e`, `\\a`, `\\0` or `\\x1b` write them)";

#[test]
fn control_characters_in_values_are_removed_with_a_warning() {
    let dir = folder_with_hostile("control-characters.yaml");
    let check = briefing_in(dir.path(), &["check", "control-characters.yaml"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.stderr,
        format!(
            "warning: `title` holds the control characters U+001B (escape) and U+0007 (bell), which are removed
 --> control-characters.yaml:4:8
  |
4 | title: \"Visit \\e[31mred\\e[0m\\a\"
  |        ^^^^^^^^^^^^^^^^^^^^^^^^
  = help: {CONTROL_CHARACTER_HELP}

warning: `delegation[0].name` holds the control character U+0000 (null), which is removed
 --> control-characters.yaml:9:11
  |
9 |   - name: \"Nadia\\0 Haddad\"
  |           ^^^^^^^^^^^^^^^^
  = help: {CONTROL_CHARACTER_HELP}

warning: `objectives[0]` holds the control characters U+007F (delete), U+000D (carriage return), U+0085 (next line) and U+009B, which are removed
  --> control-characters.yaml:12:5
   |
12 |   - \"over\\x7fwrite\\r and \\x85next line and \\x9b2J\"
   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: {CONTROL_CHARACTER_HELP}

1 brief checked: 1 valid, 3 warnings (… s)
"
        )
    );

    let render = briefing_in(
        dir.path(),
        &["render", "control-characters.yaml", "-o", "out"],
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert_eq!(
        summary(&render.stderr),
        "1 brief rendered, 0 failed, 3 warnings"
    );
    let markdown = std::fs::read_to_string(dir.path().join("out/control-characters.md")).unwrap();
    let controls: Vec<char> = markdown
        .chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect();
    assert_eq!(controls, [], "{markdown:?}");
    assert!(
        markdown.starts_with("# Visit \\[31mred\\[0m\n"),
        "{markdown}"
    );
    assert!(markdown.contains("Nadia Haddad"), "{markdown}");
    assert!(
        markdown.contains("- overwrite and next line and 2J\n- tab\tand\n  newline stay\n"),
        "{markdown:?}"
    );
    // Format characters are text: right-to-left names need them.
    assert!(
        markdown
            .contains("envoy \u{2067}(acting)\u{2069}, \u{202B}deputy\u{202C}, co\u{200D}chair"),
        "{markdown:?}"
    );

    let pack = briefing_in(
        dir.path(),
        &["pack", "control-characters.yaml", "-o", "pack/pack.pdf"],
    );
    assert_eq!(pack.code, 0, "{}", pack.stderr);
    assert!(
        summary(&pack.stderr).ends_with(", 0 failed, 3 warnings"),
        "{}",
        pack.stderr
    );

    let json = briefing_in(
        dir.path(),
        &[
            "check",
            "control-characters.yaml",
            "--message-format",
            "json",
        ],
    );
    let last: serde_json::Value =
        serde_json::from_str(json.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["warnings"], 3);
    assert_eq!(last["valid"], 1);
}

#[test]
fn control_characters_beside_errors_are_warned_of_in_place() {
    let brief =
        "title: \"a\\ab\"\nvisit:\n  start: 2025-05-27\n  end: 2025-05-2\nsubtitle: \"c\\ed\"\n";
    let dir = folder_with("brief.yaml", brief.as_bytes());
    let check = briefing_in(dir.path(), &["check", "brief.yaml"]);
    assert_eq!(check.code, 1);
    let headlines: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.contains("-->"))
        .collect();
    assert_eq!(
        headlines,
        [
            "warning: `title` holds the control character U+0007 (bell), which is removed",
            " --> brief.yaml:1:8",
            "error: `visit.end` is not a date: `2025-05-2`",
            " --> brief.yaml:4:8",
            "warning: `subtitle` holds the control character U+001B (escape), which is removed",
            " --> brief.yaml:5:11",
        ]
    );
    assert_eq!(
        summary(&check.stderr),
        "1 brief checked: 0 valid, 1 with problems (1 error), 2 warnings"
    );
}

// A newline is text in a value, so it stays; where a diagnostic quotes it,
// it prints as `\n`, and no line of the output, decoded or not, starts with
// a GitHub workflow command.
#[test]
fn github_annotation_injection() {
    let dir = folder_with_hostile("github-annotation.yaml");
    let starts_a_command = |text: &str| text.lines().any(|l| l.trim_start().starts_with("::"));

    let human = briefing_in(dir.path(), &["check", "github-annotation.yaml"]);
    assert_eq!(human.code, 1);
    assert!(!starts_a_command(&human.stderr), "{}", human.stderr);
    assert!(
        human.stderr.starts_with(
            "error: `visit.start` is not a date: `2025-05-27\\n::error file=README.md::pwned`\n --> github-annotation.yaml:5:10\n"
        ),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains(
            "\nerror: unknown key `key\\n::error::pwned`\n --> github-annotation.yaml:7:1\n"
        ),
        "{}",
        human.stderr
    );

    let json = briefing_in(
        dir.path(),
        &[
            "check",
            "github-annotation.yaml",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(json.code, 1);
    // What `jq -r .message` (and `.help`, `.path`, `.file`) would print.
    let mut messages = Vec::new();
    for line in json.stdout.lines() {
        let object: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in ["message", "help", "path", "file"] {
            if let Some(text) = object[field].as_str() {
                assert!(!starts_a_command(text), "{field}: {text:?}");
                assert!(!text.contains('\n'), "{field}: {text:?}");
            }
        }
        if let Some(message) = object["message"].as_str() {
            messages.push(message.to_string());
        }
    }
    assert_eq!(
        messages,
        [
            "`visit.start` is not a date: `2025-05-27\\n::error file=README.md::pwned`",
            "unknown key `key\\n::error::pwned`",
        ]
    );
    assert!(!starts_a_command(&json.stderr), "{}", json.stderr);

    let render = briefing_in(
        dir.path(),
        &["render", "github-annotation.yaml", "-o", "out"],
    );
    assert_eq!(render.code, 1);
    assert!(!starts_a_command(&render.stderr), "{}", render.stderr);
}

// A control character written as such (not as an escape) is not YAML: the
// error says which and where, and the quoted line shows it escaped.
#[test]
fn raw_control_character_in_the_file() {
    let dir = folder_with_hostile("raw-control-character.yaml");
    let check = briefing_in(dir.path(), &["check", "raw-control-character.yaml"]);
    assert_eq!(check.code, 1);
    assert_eq!(
        check.stderr,
        "error: this is not valid YAML: the file holds the control character U+001B
 --> raw-control-character.yaml:2:14
  |
2 | title: Visit \\u{1b}[2J
  |              ^^^^^^
  = help: YAML allows control characters only as escapes, and a brief has no use for them: remove it (an editor may show it as `^[`, `^G` or not at all)

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"
    );
}

// Every diagnostic prints a control character escaped, wherever it comes
// from: here the name of the brief itself.
#[cfg(unix)]
#[test]
fn control_characters_in_a_file_name_print_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let check = briefing_in(dir.path(), &["check", "x\n::error::pwned\u{1b}[2J.yaml"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.starts_with(
            "error: cannot read the brief: No such file or directory\n --> x\\n::error::pwned\\u{1b}[2J.yaml\n"
        ),
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains('\u{1b}'), "{}", check.stderr);
}

#[test]
fn byte_order_mark_is_accepted() {
    let dir = folder_with_hostile("byte-order-mark.yaml");
    let check = briefing_in(dir.path(), &["check", "byte-order-mark.yaml"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let render = briefing_in(dir.path(), &["render", "byte-order-mark.yaml", "-o", "out"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    let markdown = std::fs::read_to_string(dir.path().join("out/byte-order-mark.md")).unwrap();
    assert!(
        markdown.starts_with("# Visit with a byte-order mark\n"),
        "{markdown:?}"
    );
}

// Positions on the first line do not count the mark.
#[test]
fn byte_order_mark_keeps_positions_right() {
    let dir = folder_with_hostile("byte-order-mark-mistake.yaml");
    let check = briefing_in(dir.path(), &["check", "byte-order-mark-mistake.yaml"]);
    assert_eq!(check.code, 1);
    assert_eq!(
        check.stderr,
        "error: `title` should be text, but it is a list
 --> byte-order-mark-mistake.yaml:1:8
  |
1 | title: [a list]
  |        ^

1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)
"
    );
}

// No limit is hit, but each of these took the square of its size: printing
// each diagnostic read the file up to its line (40,000 members of one name:
// 55 s), every attendee was compared with every member (20,000 of each:
// 126 s), and a 4 MB zone with every zone name (57 s).
#[test]
fn thousands_of_problems_cost_their_number() {
    let mut members =
        String::from("title: x\nvisit: {start: 2025-01-01, end: 2025-01-02}\ndelegation:\n");
    for _ in 0..40_000 {
        members.push_str("  - {name: Same}\n");
    }
    let dir = folder_with("members.yaml", members.as_bytes());
    let check = briefing_bounded(dir.path(), &["check", "members.yaml"], 30);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.starts_with("error: two delegation members are called `Same` (`delegation[0]` and `delegation[1]`)\n --> members.yaml:5:12\n"),
        "{}",
        &check.stderr[..200]
    );
    assert_eq!(
        summary(&check.stderr),
        "1 brief checked: 0 valid, 1 with problems (39999 errors), 0 warnings"
    );

    let mut attendees =
        String::from("title: x\nvisit: {start: 2025-01-01, end: 2025-01-02}\ndelegation:\n");
    for i in 0..20_000 {
        attendees.push_str(&format!("  - {{name: Member {i}}}\n"));
    }
    attendees.push_str("schedule:\n  - date: 2025-01-01\n    title: t\n    attendees:\n");
    for i in 0..20_000 {
        attendees.push_str(&format!("      - Guest {i}\n"));
    }
    let dir = folder_with("attendees.yaml", attendees.as_bytes());
    let check = briefing_bounded(dir.path(), &["check", "attendees.yaml"], 30);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stderr
            .starts_with("error: `Guest 0` is not a member of the delegation\n"),
        "{}",
        &check.stderr[..200]
    );
    assert_eq!(
        summary(&check.stderr),
        "1 brief checked: 0 valid, 1 with problems (20000 errors), 0 warnings"
    );

    let zone = format!(
        "title: x\nvisit: {{start: 2025-01-01, end: 2025-01-02, timezone: {}}}\n",
        "Europe/Berlinx".repeat(300_000)
    );
    let dir = folder_with("zone.yaml", zone.as_bytes());
    let check = briefing_bounded(dir.path(), &["check", "zone.yaml"], 30);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("\n  = help: use an IANA time-zone name such as `Europe/Berlin` or `America/New_York`\n"),
        "no suggestion for a zone of 4 MB"
    );
}

// A brief saved on Windows is no hostile input: YAML reads its CRLF line
// breaks as newlines, so no carriage return reaches a value to be warned of.
#[test]
fn windows_line_endings_are_not_control_characters() {
    let brief = "title: Visit\r\nvisit:\r\n  start: 2025-05-27\r\n  end: 2025-05-28\r\nobjectives:\r\n  - |\r\n    line one\r\n    line two\r\n  - \"folded\r\n    text\"\r\n";
    let dir = folder_with("windows.yaml", brief.as_bytes());
    let render = briefing_in(dir.path(), &["render", "windows.yaml", "-o", "out"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert_eq!(
        summary(&render.stderr),
        "1 brief rendered, 0 failed, 0 warnings"
    );
    let markdown = std::fs::read_to_string(dir.path().join("out/windows.md")).unwrap();
    assert!(!markdown.contains('\r'), "{markdown:?}");
    assert!(
        markdown.contains("- line one\n  line two\n- folded text\n"),
        "{markdown:?}"
    );
}
