//! Files that are not briefs at all: each gets a clear error and exit 1,
//! quickly and with bounded memory, and nothing is written.

use std::path::Path;

use crate::support::{briefing_in, files_in};

fn alias_bomb() -> Vec<u8> {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10u8 {
        let (previous, this) = ((b'a' + level - 1) as char, (b'a' + level) as char);
        let refs = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{this}: &{this} [{refs}]\n"));
    }
    text.into_bytes()
}

/// Writes `content` as `hostile.yaml` in a fresh folder, then checks and
/// renders it; returns what `check` printed.
fn refuse(content: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.yaml"), content).unwrap();
    let check = briefing_in(dir.path(), &["check", "hostile.yaml"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let render = briefing_in(dir.path(), &["render", "hostile.yaml", "-o", "out"]);
    assert_eq!(render.code, 1, "{}", render.stderr);
    assert_eq!(files_in(&dir.path().join("out")), Vec::<String>::new());
    assert_eq!(
        files_in(dir.path()),
        ["hostile.yaml"],
        "nothing else appears"
    );
    assert!(
        !Path::new(&dir.path().join("out")).exists()
            || files_in(&dir.path().join("out")).is_empty()
    );
    check.stderr
}

#[test]
fn empty_file() {
    assert_eq!(
        refuse(b""),
        "error: the brief is empty\n --> hostile.yaml\n  = help: run `briefing new FILE` for a starter brief with every key\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
    );
}

#[test]
fn comments_only() {
    assert!(refuse(b"# nothing here\n").starts_with("error: the brief is empty\n"));
}

#[test]
fn binary_file() {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13];
    bytes.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    assert!(refuse(&bytes).starts_with("error: the brief is a binary file, not YAML text\n"));
}

#[test]
fn not_utf8() {
    assert_eq!(
        refuse(b"title: Caf\xe9\n"),
        "error: the brief is not UTF-8 text\n --> hostile.yaml:1:11\n  = help: save the brief as UTF-8 (any editor can: \"Save with encoding\")\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
    );
}

#[test]
fn several_documents() {
    let stderr = refuse(b"title: One\n---\ntitle: Two\n");
    assert!(
        stderr.starts_with(
            "error: the file holds more than one YAML document\n --> hostile.yaml:2:1\n"
        ),
        "{stderr}"
    );
}

#[test]
fn alias_bomb_is_stopped() {
    let stderr = refuse(&alias_bomb());
    assert!(
        stderr.starts_with("error: the brief's aliases expand to more than 250000 values\n"),
        "{stderr}"
    );
}

#[test]
fn nesting_100_000_levels() {
    let mut text = "[".repeat(100_000);
    text.push_str(&"]".repeat(100_000));
    let stderr = refuse(text.as_bytes());
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("hostile.yaml:1:"), "{stderr}");
    let deep_block: String = (0..200)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    let stderr = refuse(deep_block.as_bytes());
    assert!(
        stderr.starts_with("error: the brief nests more than 64 levels deep\n"),
        "{stderr}"
    );
}

#[test]
fn string_of_50_megabytes() {
    let mut text = b"title: \"".to_vec();
    text.resize(text.len() + 50_000_000, b'x');
    text.extend_from_slice(b"\"\n");
    assert_eq!(
        refuse(&text),
        "error: the brief is 50.0 MB, more than the 8 MB a brief may be\n --> hostile.yaml\n  = help: is this the right file? A brief is a YAML text of a few kilobytes\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
    );
}

#[test]
fn long_line_is_shown_as_a_window() {
    let mut text = format!("title: {}\nvisit: [", "x".repeat(5_000));
    text.push_str(&"]".repeat(3));
    let stderr = refuse(text.as_bytes());
    for line in stderr.lines() {
        assert!(
            line.chars().count() < 200,
            "a line of {} characters",
            line.len()
        );
    }
}
