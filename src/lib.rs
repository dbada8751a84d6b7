//! `briefing` turns a YAML brief of a delegation visit into a print-quality
//! PDF briefing and a Markdown summary.
//!
//! The data flows one way, one module a stage:
//!
//! 1. [`brief`]: load — YAML text to a typed [`brief::Brief`], with every
//!    problem located by line and column.
//! 2. [`templates`]: template — the brief to Markdown text through
//!    Handlebars templates the user may override.
//! 3. [`typeset`]: Markdown to pages of positioned glyphs, lines and images.
//! 4. [`pdf`]: those pages to PDF bytes.
//! 5. [`render`]: the pipeline for one brief, for many, and for a pack, and
//!    the files it writes (atomically).
//!
//! [`diag`] is the one format in which each stage's errors reach the user,
//! and [`i18n`] holds labels and date formatting per language.

pub mod brief;
pub mod diag;
pub mod i18n;
pub mod pdf;
pub mod render;
pub mod templates;
pub mod typeset;

use std::io;
use std::path::{Path, PathBuf};

/// An I/O error as a person reads it: "No such file or directory", without
/// the "(os error 2)" that means nothing to them.
pub fn io_reason(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Creates `dir` and the folders above it. Where a file stands in the way,
/// says so: the system's own word for it is "File exists".
pub fn create_folder(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir).map_err(|error| match dir.ancestors().find(|a| a.is_file()) {
        Some(file) => io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("`{}` is a file, not a folder", diag::display_path(file)),
        ),
        None => error,
    })
}

/// Writes `bytes` to `path` so that a reader never sees half a file: into a
/// temporary file in the same folder, then renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_together(&[(path, bytes)]).map_err(|(_, error)| error)
}

/// Writes a set of files that belong together (a summary and its PDF, a pack
/// and its index) all or none: each into a temporary file beside it (its
/// folder made if need be), and only when every one is written are they
/// renamed into place. A full disk,
/// or a folder where a file should go, leaves none of them behind. The error
/// names the file that could not be written.
pub fn write_together(files: &[(&Path, &[u8])]) -> Result<(), (PathBuf, io::Error)> {
    let mut written = Vec::with_capacity(files.len());
    for &(path, bytes) in files {
        let temporary = temporary_file(path, bytes).map_err(|error| (path.to_path_buf(), error))?;
        written.push((temporary, path));
    }
    // A rename over a folder fails: found before any file is renamed.
    if let Some((_, path)) = written.iter().find(|(_, path)| path.is_dir()) {
        return Err((
            path.to_path_buf(),
            io::Error::other("a folder of that name is in the way"),
        ));
    }
    for (temporary, path) in written {
        temporary
            .persist(path)
            .map_err(|error| (path.to_path_buf(), error.error))?;
    }
    Ok(())
}

/// `bytes` in a temporary file in `path`'s folder (made if need be),
/// removed unless persisted.
fn temporary_file(path: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            create_folder(dir)?;
            dir
        }
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".briefing-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    // No fsync: it costs milliseconds per file, and an output lost to a power cut is re-rendered; the rename alone keeps readers from seeing half a file.
    // Temporary files are private (0600); an output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(file)
}
