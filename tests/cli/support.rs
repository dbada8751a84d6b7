//! Runs the real `briefing` binary from the repository root, the way a user
//! would, and captures what it says.

use std::path::Path;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn briefing(args: &[&str]) -> Run {
    briefing_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn briefing_in(dir: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: without_elapsed_time(&String::from_utf8(output.stderr).expect("stderr is UTF-8")),
    }
}

/// Runs the binary in `dir`, killed if it takes longer than `seconds`: a
/// run that recurses, loops or waits on a pipe fails the test instead of
/// hanging it.
pub fn briefing_within(seconds: u64, dir: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(seconds))
        .output()
        .expect("the binary runs");
    Run {
        code: output
            .status
            .code()
            .unwrap_or_else(|| panic!("killed after {seconds} s (or by a signal): {args:?}")),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A PDF tool (qpdf, poppler's pdfinfo and pdftotext) to read output back
/// with, when installed. CI installs them (`.ci/run`), and there (`CI` set)
/// their absence fails the test instead of skipping it.
pub fn tool(name: &str) -> Option<std::process::Command> {
    let found = std::process::Command::new(name).arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install {name} (.ci/run)"
        );
        eprintln!("{name} is not installed: skipping it (CI installs it)");
    }
    found.then(|| std::process::Command::new(name))
}

/// The summary line ends with the time the batch took, `(0.12 s)`: read as
/// `(… s)`, so that tests compare everything else.
fn without_elapsed_time(stderr: &str) -> String {
    let Some(open) = stderr.rfind(" (") else {
        return stderr.to_string();
    };
    let tail = &stderr[open + 2..];
    let is_time = tail
        .strip_suffix(" s)\n")
        .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if is_time {
        format!("{} (… s)\n", &stderr[..open])
    } else {
        stderr.to_string()
    }
}

/// The files in a folder, by name, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The example briefs (or those named) and their photos, copied into
/// `dir/briefs`, as a user's folder of briefs.
pub fn copy_examples(dir: &Path, names: &[&str]) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
    let briefs = dir.join("briefs");
    std::fs::create_dir_all(briefs.join("photos")).unwrap();
    for name in names {
        std::fs::copy(repo.join(name), briefs.join(name)).unwrap();
    }
    for photo in files_in(&repo.join("photos")) {
        std::fs::copy(
            repo.join("photos").join(&photo),
            briefs.join("photos").join(&photo),
        )
        .unwrap();
    }
}

/// The text of each page of a PDF, as a PDF library extracts it.
pub fn page_texts(pdf: &Path) -> Vec<String> {
    let document = lopdf::Document::load(pdf).unwrap();
    document
        .get_pages()
        .keys()
        .map(|&n| document.extract_text(&[n]).unwrap())
        .collect()
}

/// Copies the fixture `tests/fixtures/<fixture>.yaml` to `dir/<as_name>`.
pub fn copy_fixture(fixture: &str, dir: &Path, as_name: &str) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(fixtures.join(format!("{fixture}.yaml")), dir.join(as_name)).unwrap();
}

/// The words of page `page` with the left edge of each, as poppler reads
/// them (`pdftotext -bbox`); `None` where poppler is not installed.
pub fn words_with_x(pdf: &Path, page: usize) -> Option<Vec<(String, f32)>> {
    let output = tool("pdftotext")?
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    Some(
        html.lines()
            .filter_map(|line| {
                let line = line.trim();
                let x = line.split("xMin=\"").nth(1)?.split('"').next()?;
                let word = line.split('>').nth(1)?.split('<').next()?;
                Some((word.to_string(), x.parse().ok()?))
            })
            .collect(),
    )
}

/// Where each image is drawn on each page: (x, y, width, height) in PDF
/// points, from the `cm` before each `Do`.
pub fn images_drawn(pdf: &Path) -> Vec<Vec<[f32; 4]>> {
    let document = lopdf::Document::load(pdf).unwrap();
    document
        .get_pages()
        .values()
        .map(|&page| {
            let content = document.get_and_decode_page_content(page).unwrap();
            let mut matrix = [0.0; 6];
            let mut drawn = Vec::new();
            for op in content.operations {
                match op.operator.as_str() {
                    "cm" => {
                        for (i, operand) in op.operands.iter().enumerate().take(6) {
                            matrix[i] = operand.as_float().unwrap();
                        }
                    }
                    "Do" => drawn.push([matrix[4], matrix[5], matrix[0], matrix[3]]),
                    _ => {}
                }
            }
            drawn
        })
        .collect()
}

/// `qpdf --check` accepts the PDF, where qpdf is installed (always in CI).
pub fn qpdf_check(pdf: &Path) {
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf.arg("--check").arg(pdf).output().unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}
