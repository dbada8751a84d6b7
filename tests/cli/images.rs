//! Photos and Markdown images: read only as regular files of bounded size,
//! only from the brief's folder (or the templates folder, or a folder
//! given with `--allow-path`), decoded within limits and shrunk to what
//! they print at, so that `check` finds what `render` would refuse and a
//! brief of huge photos runs in bounded memory.

use std::path::{Path, PathBuf};

use crate::support::{briefing_in, files_in, Run};

/// A brief of one counterpart with `person` (YAML lines, indented under
/// the person) added.
fn brief_with(person: &str) -> String {
    format!(
        "title: Visit\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ncounterparts:\n  - name: Erika Example\n{person}"
    )
}

/// A folder with the brief `visit.yaml` in `briefs/`, and the files to go
/// beside it.
fn folder(brief: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("briefs")).unwrap();
    std::fs::write(dir.path().join("briefs/visit.yaml"), brief).unwrap();
    dir
}

fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

/// A small PNG that decodes: `width` × `height`, every pixel `colour`.
fn small_png(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    png(width, height, colour)
}

/// A PNG of one colour, written directly so that a 10,000-pixel square
/// takes milliseconds to make: every row is the same deflate block (each
/// compressed alone, so that they can be repeated), then the final block.
fn png(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let mut row = vec![0u8]; // filter: none
    for _ in 0..width {
        row.extend_from_slice(&colour);
    }
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let mut block = Vec::with_capacity(row.len() + 64);
    compress
        .compress_vec(&row, &mut block, flate2::FlushCompress::Full)
        .unwrap();
    assert_eq!(compress.total_in(), row.len() as u64);
    // Adler-32 of `height` copies of the row, one row at a time.
    let (sum, weighted) = row
        .iter()
        .enumerate()
        .fold((0u64, 0u64), |(s, t), (i, &x)| {
            (s + x as u64, t + (row.len() - i) as u64 * x as u64)
        });
    let (mut a, mut b) = (1u64, 0u64);
    for _ in 0..height {
        b = (b + row.len() as u64 * a + weighted) % 65521;
        a = (a + sum) % 65521;
    }
    let mut zlib = vec![0x78, 0xDA];
    for _ in 0..height {
        zlib.extend_from_slice(&block);
    }
    zlib.extend_from_slice(&[0x03, 0x00]); // an empty final block
    zlib.extend_from_slice(&((b << 16 | a) as u32).to_be_bytes());

    let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut file, b"IHDR", &header);
    chunk(&mut file, b"IDAT", &zlib);
    chunk(&mut file, b"IEND", &[]);
    file
}

fn chunk(file: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    file.extend_from_slice(&(data.len() as u32).to_be_bytes());
    file.extend_from_slice(kind);
    file.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    file.extend_from_slice(&crc.sum().to_be_bytes());
}

/// The size of every image embedded in a PDF, in pixels, sorted (soft
/// masks, the transparency of an image, are not counted apart).
fn embedded_images(pdf: &Path) -> Vec<(i64, i64)> {
    let document = lopdf::Document::load(pdf).unwrap();
    let streams = || {
        document
            .objects
            .iter()
            .filter_map(|(id, o)| Some((id, o.as_stream().ok()?)))
    };
    let masks: Vec<lopdf::ObjectId> = streams()
        .filter_map(|(_, s)| s.dict.get(b"SMask").ok()?.as_reference().ok())
        .collect();
    let mut sizes: Vec<(i64, i64)> = streams()
        .filter(|(id, s)| {
            !masks.contains(id)
                && s.dict
                    .get(b"Subtype")
                    .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Image"))
        })
        .map(|(_, s)| {
            (
                s.dict.get(b"Width").unwrap().as_i64().unwrap(),
                s.dict.get(b"Height").unwrap().as_i64().unwrap(),
            )
        })
        .collect();
    sizes.sort();
    sizes
}

/// What a run said before its summary line: its diagnostics.
fn diagnostics(run: &Run) -> &str {
    let end = run.stderr.trim_end().rfind('\n').map_or(0, |at| at + 1);
    &run.stderr[..end]
}

/// `check` and `render` both refuse the brief with exit 1 and the same
/// diagnostics, and nothing is written; returns them.
fn refused_alike(dir: &Path, args: &[&str]) -> String {
    let mut check_args = vec!["check", "briefs/visit.yaml"];
    check_args.extend_from_slice(args);
    let check = briefing_in(dir, &check_args);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let mut render_args = vec!["render", "briefs/visit.yaml", "-o", "out"];
    render_args.extend_from_slice(args);
    let render = briefing_in(dir, &render_args);
    assert_eq!(render.code, 1, "{}", render.stderr);
    assert_eq!(diagnostics(&check), diagnostics(&render));
    assert_eq!(files_in(&dir.join("out")), Vec::<String>::new());
    diagnostics(&check).to_string()
}

#[test]
fn a_truncated_photo_fails_check_as_it_fails_render() {
    // Hits: the image must decode whole (the file ends inside its pixels).
    let dir = folder(&brief_with("    photo: cut.png\n"));
    std::fs::copy(
        hostile("photo-truncated.png"),
        dir.path().join("briefs/cut.png"),
    )
    .unwrap();
    assert_eq!(
        refused_alike(dir.path(), &[]),
        "error: photo `briefs/cut.png` is cut short: the file ends before the image does
 --> briefs/visit.yaml:7:12
  |
7 |     photo: cut.png
  |            ^^^^^^^
  = help: the file is damaged or was not copied whole: export or copy it again

"
    );
}

#[test]
fn a_photo_over_the_pixel_limit_is_refused_from_its_header_naming_the_limit() {
    // Hits: at most 20,000 pixels a side (20,001 × 1, 138 bytes).
    let dir = folder(&brief_with("    photo: wide.png\n"));
    std::fs::copy(
        hostile("photo-over-pixel-limit.png"),
        dir.path().join("briefs/wide.png"),
    )
    .unwrap();
    assert_eq!(
        refused_alike(dir.path(), &[]),
        "error: photo `briefs/wide.png` is 20001 × 1 pixels, more than the 20000 pixels a side an image may have
 --> briefs/visit.yaml:7:12
  |
7 |     photo: wide.png
  |            ^^^^^^^^
  = help: scale the photo down: it is printed 28 mm wide, for which 331 pixels across are enough at 300 dpi

"
    );
}

#[test]
fn a_photo_over_the_decoded_size_limit_is_refused_before_it_is_decoded() {
    // Hits: at most 512 MB of decoded pixels (14,000² RGB is 561 MB); only
    // the header is read, so the file's 3 MB of pixels are never inflated.
    let dir = folder(&brief_with("    photo: huge.png\n"));
    std::fs::write(
        dir.path().join("briefs/huge.png"),
        png(14_000, 14_000, [9, 9, 9]),
    )
    .unwrap();
    assert_eq!(
        refused_alike(dir.path(), &[]),
        "error: photo `briefs/huge.png` would take 560.8 MB to decode (14000 × 14000 pixels), more than the 512 MB an image may take
 --> briefs/visit.yaml:7:12
  |
7 |     photo: huge.png
  |            ^^^^^^^^
  = help: scale the photo down: it is printed 28 mm wide, for which 331 pixels across are enough at 300 dpi

"
    );
}

#[test]
fn a_photo_file_over_the_size_limit_is_refused_unread() {
    // Hits: an image file is at most 64 MB (a sparse file of 65 MB).
    let dir = folder(&brief_with("    photo: big.png\n"));
    let file = std::fs::File::create(dir.path().join("briefs/big.png")).unwrap();
    file.set_len(65 * 1024 * 1024).unwrap();
    assert_eq!(
        refused_alike(dir.path(), &[]),
        "error: cannot read photo `briefs/big.png`: it is 65 MB, more than the 64 MB a file may be here
 --> briefs/visit.yaml:7:12
  |
7 |     photo: big.png
  |            ^^^^^^^
  = help: a photo is a PNG or JPEG file of at most 64 MB

"
    );
}

/// Runs the binary in `dir`, failing the test if it takes longer than ten
/// seconds (a run that waits on a pipe would take forever).
#[cfg(unix)]
fn briefing_within_ten_seconds(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("briefing")
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .expect("the binary runs");
    let code = output.status.code().expect("finished within ten seconds");
    (code, String::from_utf8(output.stderr).unwrap())
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_photo_is_refused_at_once_by_check_and_render() {
    // Hits: images are read only from regular files (no writer ever comes).
    let dir = folder(&brief_with("    photo: pipe.png\n"));
    mkfifo(&dir.path().join("briefs/pipe.png"));
    for args in [
        &["check", "briefs/visit.yaml"][..],
        &["render", "briefs/visit.yaml", "-o", "out"],
    ] {
        let (code, stderr) = briefing_within_ten_seconds(dir.path(), args);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.starts_with(
                "error: cannot read photo `briefs/pipe.png`: it is a named pipe (FIFO), not a file
 --> briefs/visit.yaml:7:12
  |
7 |     photo: pipe.png
  |            ^^^^^^^^
  = help: a photo is a PNG or JPEG file of at most 64 MB
"
            ),
            "{stderr}"
        );
    }
    assert_eq!(files_in(&dir.path().join("out")), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_markdown_image_is_refused_at_once_by_check_and_render() {
    // Hits: images are read only from regular files.
    let dir = folder(&brief_with("    bio: \"Here: ![x](pipe.png)\"\n"));
    mkfifo(&dir.path().join("briefs/pipe.png"));
    for args in [
        &["check", "briefs/visit.yaml"][..],
        &["render", "briefs/visit.yaml", "-o", "out"],
    ] {
        let (code, stderr) = briefing_within_ten_seconds(dir.path(), args);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.starts_with(
                "error: cannot read the image `briefs/pipe.png`: it is a named pipe (FIFO), not a file
 --> briefs/visit.yaml:7:10
"
            ),
            "{stderr}"
        );
        assert!(
            stderr.contains("= help: an image is a PNG or JPEG file of at most 64 MB\n"),
            "{stderr}"
        );
    }
}

#[test]
fn a_markdown_image_that_cannot_be_read_fails_check_as_it_fails_render() {
    let dir = folder(&brief_with(
        "    bio: |\n      Erika in 2020:\n\n      ![Erika](photos/erika.png)\n",
    ));
    assert_eq!(
        refused_alike(dir.path(), &[]),
        "error: cannot read the image `briefs/photos/erika.png`: No such file or directory
 --> briefs/visit.yaml:8:7
  |
8 |       Erika in 2020:
  |       ^
  = help: image paths are relative to the folder of the brief

"
    );
}

#[test]
fn a_markdown_image_outside_the_briefs_folder_is_refused_naming_allow_path() {
    // An absolute path and a `../` path to images that exist: neither is
    // embedded, and `check` says so at the field.
    let dir = folder(&brief_with(
        "    bio: \"![a](../secret.png)\"\n  - name: Max Muster\n    bio: \"![b](<SECRET>)\"\n",
    ));
    std::fs::write(dir.path().join("secret.png"), small_png(4, 4, [200, 0, 0])).unwrap();
    let secret = dir.path().join("secret.png").canonicalize().unwrap();
    let brief = std::fs::read_to_string(dir.path().join("briefs/visit.yaml"))
        .unwrap()
        .replace("SECRET", secret.to_str().unwrap());
    std::fs::write(dir.path().join("briefs/visit.yaml"), brief).unwrap();
    let shown = secret.display();
    assert_eq!(
        refused_alike(dir.path(), &[]),
        format!(
            "error: the image `briefs/../secret.png` is outside the folder of the brief: it is `{shown}`
 --> briefs/visit.yaml:7:10
  |
7 |     bio: \"![a](../secret.png)\"
  |          ^^^^^^^^^^^^^^^^^^^^^
  = help: keep images in the folder of the brief or a folder below it, or allow the folder with `--allow-path DIR`

error: the image `{shown}` is outside the folder of the brief: it is `{shown}`
 --> briefs/visit.yaml:9:10
  |
9 |     bio: \"![b](<{shown}>)\"
  |          {marks}
  = help: keep images in the folder of the brief or a folder below it, or allow the folder with `--allow-path DIR`

",
            marks = "^".repeat(format!("\"![b](<{shown}>)\"").chars().count())
        )
    );
}

#[test]
fn allow_path_lets_images_come_from_another_folder_in_check_render_and_pack() {
    let dir = folder(&brief_with(
        "    photo: ../shared/erika.png\n    bio: \"![map](../shared/map.png)\"\n",
    ));
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(
        dir.path().join("shared/erika.png"),
        small_png(60, 80, [10, 20, 30]),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("shared/map.png"),
        small_png(40, 20, [1, 2, 3]),
    )
    .unwrap();
    let without = briefing_in(dir.path(), &["check", "briefs/visit.yaml"]);
    assert_eq!(without.code, 1);
    assert!(
        without.stderr.starts_with(
            "error: photo `briefs/../shared/erika.png` is outside the folder of the brief: it is `"
        ),
        "{}",
        without.stderr
    );
    let allow = ["--allow-path", "shared"];
    let check = briefing_in(
        dir.path(),
        &["check", "briefs/visit.yaml", allow[0], allow[1]],
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    let render = briefing_in(
        dir.path(),
        &[
            "render",
            "briefs/visit.yaml",
            "-o",
            "out",
            allow[0],
            allow[1],
        ],
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert_eq!(
        embedded_images(&dir.path().join("out/visit.pdf")),
        [(40, 20), (60, 80)]
    );
    let pack = briefing_in(
        dir.path(),
        &[
            "pack",
            "briefs/visit.yaml",
            "-o",
            "pack.pdf",
            allow[0],
            allow[1],
        ],
    );
    assert_eq!(pack.code, 0, "{}", pack.stderr);
    assert_eq!(
        embedded_images(&dir.path().join("pack.pdf")),
        [(40, 20), (60, 80)]
    );
}

#[test]
fn allow_path_must_name_a_folder() {
    let dir = folder(&brief_with(""));
    std::fs::write(dir.path().join("file.txt"), "").unwrap();
    let run = briefing_in(
        dir.path(),
        &["check", "briefs/visit.yaml", "--allow-path", "file.txt"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'file.txt' for '--allow-path <DIR>': it is not a folder\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn markdown_images_resolve_against_the_briefs_folder_not_the_working_directory() {
    // The run starts in `elsewhere`, which has a `map.png` of its own: the
    // brief's `map.png` (4 × 2) is the one embedded.
    let dir = folder(&brief_with("    bio: \"![map](map.png)\"\n"));
    std::fs::write(
        dir.path().join("briefs/map.png"),
        small_png(4, 2, [0, 90, 0]),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    std::fs::write(
        dir.path().join("elsewhere/map.png"),
        small_png(7, 7, [90, 0, 0]),
    )
    .unwrap();
    let run = briefing_in(
        &dir.path().join("elsewhere"),
        &["render", "../briefs/visit.yaml", "-o", "out"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        embedded_images(&dir.path().join("elsewhere/out/visit.pdf")),
        [(4, 2)]
    );
    // Without the brief's own, the working directory's is not taken.
    std::fs::remove_file(dir.path().join("briefs/map.png")).unwrap();
    let run = briefing_in(
        &dir.path().join("elsewhere"),
        &["check", "../briefs/visit.yaml"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: cannot read the image `../briefs/map.png`: No such file or directory\n"
        ),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_link_in_the_briefs_folder_to_an_image_outside_it_is_refused() {
    let dir = folder(&brief_with("    photo: erika.png\n"));
    std::fs::write(dir.path().join("outside.png"), small_png(4, 4, [1, 1, 1])).unwrap();
    std::os::unix::fs::symlink("../outside.png", dir.path().join("briefs/erika.png")).unwrap();
    let outside = dir.path().join("outside.png").canonicalize().unwrap();
    let diagnostics = refused_alike(dir.path(), &[]);
    assert!(
        diagnostics.starts_with(&format!(
            "error: photo `briefs/erika.png` is outside the folder of the brief: it is `{}`\n",
            outside.display()
        )),
        "{diagnostics}"
    );
}

#[test]
fn a_templates_own_images_come_from_the_templates_folder() {
    let dir = folder(&brief_with(""));
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    let briefing = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/briefing.md.hbs"),
    )
    .unwrap();
    let with_logo = format!("![logo](logo.png)\n\n{briefing}");
    std::fs::write(dir.path().join("templates/briefing.md.hbs"), &with_logo).unwrap();
    std::fs::write(
        dir.path().join("templates/logo.png"),
        small_png(30, 10, [0, 0, 99]),
    )
    .unwrap();
    // A `logo.png` beside the brief is not the template's.
    std::fs::write(
        dir.path().join("briefs/logo.png"),
        small_png(5, 5, [0, 0, 0]),
    )
    .unwrap();
    let run = briefing_in(
        dir.path(),
        &[
            "render",
            "briefs/visit.yaml",
            "-o",
            "out",
            "--templates",
            "templates",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        embedded_images(&dir.path().join("out/visit.pdf")),
        [(30, 10)]
    );

    // Out of the templates folder: refused, as a brief's image would be.
    let out_of_it = format!("![logo](../briefs/logo.png)\n\n{briefing}");
    std::fs::write(dir.path().join("templates/briefing.md.hbs"), &out_of_it).unwrap();
    let run = briefing_in(
        dir.path(),
        &[
            "render",
            "briefs/visit.yaml",
            "-o",
            "out2",
            "--templates",
            "templates",
        ],
    );
    assert_eq!(run.code, 1);
    let logo = dir.path().join("briefs/logo.png").canonicalize().unwrap();
    assert_eq!(
        diagnostics(&run),
        format!(
            "error: the image `templates/../briefs/logo.png` is outside the templates folder: it is `{}`
 --> templates/briefing.md.hbs:1:1
  |
1 | ![logo](../briefs/logo.png)
  | ^^
  = help: keep images in the templates folder or a folder below it, or allow the folder with `--allow-path DIR`

",
            logo.display()
        )
    );
    assert_eq!(files_in(&dir.path().join("out2")), Vec::<String>::new());
}

#[test]
fn a_large_photo_is_embedded_at_300_dpi_of_its_printed_width_and_the_same_each_run() {
    // Printed 28 mm wide: 331 pixels at 300 dpi, proportions kept.
    let dir = folder(&brief_with("    photo: erika.png\n"));
    std::fs::write(
        dir.path().join("briefs/erika.png"),
        png(1200, 1500, [40, 80, 120]),
    )
    .unwrap();
    for out in ["a", "b"] {
        let run = briefing_in(dir.path(), &["render", "briefs/visit.yaml", "-o", out]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(
        embedded_images(&dir.path().join("a/visit.pdf")),
        [(331, 414)]
    );
    assert!(
        std::fs::read(dir.path().join("a/visit.pdf")).unwrap()
            == std::fs::read(dir.path().join("b/visit.pdf")).unwrap(),
        "the same brief gives the same bytes"
    );
}

/// Runs the binary in `dir` and waits for it with `wait4`, which reports
/// the peak memory of that one process: returns its exit code, what it
/// said, and its peak resident size in megabytes.
#[cfg(target_os = "linux")]
fn briefing_measured(dir: &Path, args: &[&str]) -> (i32, String, i64) {
    let said = dir.join("stderr.txt");
    // Waited for below with `wait4`, which `Child::wait` does not offer.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&said).unwrap())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    assert!(libc::WIFEXITED(status), "exited, not killed");
    let stderr = std::fs::read_to_string(&said).unwrap();
    (libc::WEXITSTATUS(status), stderr, usage.ru_maxrss / 1024)
}

#[cfg(target_os = "linux")]
#[test]
fn eight_photos_of_10000_pixels_a_side_render_in_bounded_memory() {
    // Hits: one full-size decode at a time, each shrunk at once to what it
    // prints at (331 pixels across). Eight 10,000² RGB photos are 2.4 GB
    // decoded; held at once they took 2.8 GB. Each is shrunk before the
    // next is decoded, and a second brief rendered beside it (`-j 2`) waits
    // for the decoding budget (512 MB: one such photo) before decoding.
    let dir = tempfile::tempdir().unwrap();
    let mut people = String::new();
    for n in 0..8u8 {
        std::fs::write(
            dir.path().join(format!("p{n}.png")),
            png(10_000, 10_000, [n * 30, 100, 200 - n * 20]),
        )
        .unwrap();
        people.push_str(&format!("  - name: Person {n}\n    photo: p{n}.png\n"));
    }
    let brief = format!(
        "title: Eight photos\nvisit:\n  start: 2026-01-05\n  end: 2026-01-06\ncounterparts:\n{people}"
    );
    std::fs::write(dir.path().join("eight.yaml"), &brief).unwrap();
    std::fs::write(
        dir.path().join("two.yaml"),
        brief.lines().take(9).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    let (code, stderr, peak_mb) = briefing_measured(
        dir.path(),
        &["render", "eight.yaml", "two.yaml", "-o", "out", "-j", "2"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        embedded_images(&dir.path().join("out/eight.pdf")),
        [(331, 331); 8]
    );
    assert_eq!(
        embedded_images(&dir.path().join("out/two.pdf")),
        [(331, 331); 2]
    );
    assert!(peak_mb < 500, "the run took {peak_mb} MB");
}
