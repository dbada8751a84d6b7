//! The files a run reads and writes. Outputs are written whole or not at
//! all: into a temporary file beside the target, then renamed over it.

use std::io;
use std::path::{Path, PathBuf};

use crate::diag;

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
