//! Shell conventions: completions, manual pages and colour on request.

use crate::support::{briefing, briefing_in, files_in};

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, mark) in [
        ("bash", "_briefing() {"),
        ("zsh", "#compdef briefing"),
        ("fish", "complete -c briefing"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'briefing'",
        ),
        ("elvish", "set edit:completion:arg-completer[briefing]"),
    ] {
        let run = briefing(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(mark), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("render"), "{shell}");
        assert!(run.stdout.contains("format"), "{shell}");
    }
    let run = briefing(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: invalid value 'tcsh' for '<SHELL>'"),
        "{}",
        run.stderr
    );
}

#[test]
fn man_prints_the_main_page_or_writes_one_for_each_command() {
    let run = briefing(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH briefing 1"), "{}", run.stdout);
    assert!(
        run.stdout.contains("briefing\\-render(1)"),
        "{}",
        run.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    let run = briefing_in(dir.path(), &["man", "man1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = files_in(&dir.path().join("man1"));
    assert_eq!(
        pages,
        [
            "briefing-check.1",
            "briefing-completions.1",
            "briefing-fonts.1",
            "briefing-man.1",
            "briefing-new.1",
            "briefing-pack.1",
            "briefing-render.1",
            "briefing-schema.1",
            "briefing-templates-export.1",
            "briefing-templates.1",
            "briefing-watch.1",
            "briefing.1"
        ]
    );
    let render = std::fs::read_to_string(dir.path().join("man1/briefing-render.1")).unwrap();
    assert!(render.contains("\\-\\-format"), "{render}");
    std::fs::write(dir.path().join("file"), "").unwrap();
    let run = briefing_in(dir.path(), &["man", "file/man1"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write the manual pages: `file` is a file, not a folder\n --> file/man1\n\n"
    );
}

/// `man DIR` checks every page's place before it writes any: a link is not
/// written through, a folder where a page goes is named, nothing is left
/// half written; a device is not a folder.
#[cfg(unix)]
#[test]
fn man_refuses_links_and_folders_where_pages_go_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.txt"), "precious\n").unwrap();
    std::fs::create_dir(dir.path().join("mm")).unwrap();
    std::os::unix::fs::symlink("../p.txt", dir.path().join("mm/briefing.1")).unwrap();
    let run = briefing_in(dir.path(), &["man", "mm"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write the manual pages: `mm/briefing.1` is a symbolic link, not a file\n --> mm/briefing.1\n  = help: an output only ever replaces a regular file, not a link (nor what it points to): remove the link, or write the pages into another folder\n\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.txt")).unwrap(),
        "precious\n"
    );
    assert_eq!(files_in(&dir.path().join("mm")), ["briefing.1"]);

    std::fs::create_dir_all(dir.path().join("mm2/briefing-render.1")).unwrap();
    let run = briefing_in(dir.path(), &["man", "mm2"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write the manual pages: `mm2/briefing-render.1` is a folder, not a file\n --> mm2/briefing-render.1\n  = help: an output only ever replaces a regular file: write the pages into another folder\n\n"
    );
    assert_eq!(files_in(&dir.path().join("mm2")), ["briefing-render.1"]);

    let run = briefing_in(dir.path(), &["man", "/dev/null"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot write the manual pages: `/dev/null` is a device, not a folder\n --> /dev/null\n\n"
    );
}

#[test]
fn diagnostics_are_coloured_when_asked_and_plain_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "title: Visit\nvisit:\n  start: 2026-03-28\n  end: 2026-03-30\ntitel: x\n",
    )
    .unwrap();
    let plain = "error: unknown key `titel`\n --> bad.yaml:5:1\n  |\n5 | titel: x\n  | ^^^^^\n  = help: did you mean `title`?\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n";
    // Not a terminal: plain, as with --color never.
    let run = briefing_in(dir.path(), &["check", "bad.yaml"]);
    assert_eq!(run.stderr, plain);
    let run = briefing_in(dir.path(), &["check", "bad.yaml", "--color", "never"]);
    assert_eq!(run.stderr, plain);
    let run = briefing_in(dir.path(), &["check", "bad.yaml", "--color", "always"]);
    let red = "\u{1b}[1m\u{1b}[31m";
    let blue = "\u{1b}[1m\u{1b}[34m";
    let bold = "\u{1b}[1m";
    let reset = "\u{1b}[0m";
    assert_eq!(
        run.stderr,
        format!(
            "{red}error{reset}{bold}: unknown key `titel`{reset}\n {blue}-->{reset} bad.yaml:5:1\n  {blue}|{reset}\n{blue}5 |{reset} titel: x\n  {blue}|{reset} {red}^^^^^{reset}\n  {blue}={reset} {bold}help{reset}: did you mean `title`?\n\n1 brief checked: 0 valid, 1 with problems (1 error), 0 warnings (… s)\n"
        )
    );
}

/// On a terminal (a pseudo-terminal made by util-linux's `script`),
/// diagnostics are coloured unless `NO_COLOR` is set.
#[cfg(unix)]
#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let Some(_) = crate::support::tool("script") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "title: Visit\nvisit:\n  start: 2026-03-28\n  end: 2026-03-30\ntitel: x\n",
    )
    .unwrap();
    let on_terminal = |no_color: bool| {
        let mut script = std::process::Command::new("script");
        script
            .current_dir(dir.path())
            .args(["-qec"])
            .arg(format!("{} check bad.yaml", env!("CARGO_BIN_EXE_briefing")))
            .arg("/dev/null")
            .env_remove("NO_COLOR")
            .stdin(std::process::Stdio::null());
        if no_color {
            script.env("NO_COLOR", "1");
        }
        String::from_utf8(script.output().unwrap().stdout).unwrap()
    };
    let coloured = on_terminal(false);
    assert!(
        coloured.starts_with("\u{1b}[1m\u{1b}[31merror\u{1b}[0m\u{1b}[1m: unknown key `titel`"),
        "{coloured:?}"
    );
    let plain = on_terminal(true);
    assert!(
        plain.starts_with("error: unknown key `titel`\r\n --> bad.yaml:5:1"),
        "{plain:?}"
    );
}
