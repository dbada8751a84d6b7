//! The files a run reads and writes. Outputs are written whole or not at
//! all: into a temporary file beside the target, then renamed over it.

use std::io;
use std::path::{Path, PathBuf};

use crate::diag;

/// Why an input file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The path names something other than a regular file: a folder, a
    /// named pipe, a device (reading `/dev/zero` or a FIFO would never end).
    NotAFile {
        kind: &'static str,
    },
    /// The file is larger than `limit` bytes.
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotAFile { kind } => write!(f, "it is {kind}, not a file"),
            ReadError::TooLarge { bytes, limit } => write!(
                f,
                "it is {}, more than the {} a file may be here",
                size(*bytes),
                size(*limit)
            ),
            ReadError::Io(error) => f.write_str(&crate::io_reason(error)),
        }
    }
}

/// A size as a person reads it: `512 bytes`, `8 MB`, `1.5 MB`.
pub fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const KB: u64 = 1024;
    if bytes >= MB {
        let mb = bytes as f64 / MB as f64;
        if bytes % MB == 0 {
            format!("{} MB", bytes / MB)
        } else {
            format!("{mb:.1} MB")
        }
    } else if bytes >= KB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads a regular file of at most `limit` bytes. Anything else is refused
/// before a byte is read: a folder, a named pipe (opening one to read would
/// wait for a writer forever, so it is opened without waiting), a device
/// such as `/dev/zero` (endless), or a file over the limit. The size is
/// checked again while reading, for a file that grows meanwhile.
pub fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile {
            kind: file_kind(&metadata),
        });
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            bytes: metadata.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// What a path that is not a regular file is, in a person's words.
pub fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_file() {
        "a file"
    } else {
        "not a regular file"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_regular_files_of_bounded_size() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("brief.yaml");
        std::fs::write(&file, b"title: x\n").unwrap();
        assert_eq!(read_input(&file, 100).unwrap(), b"title: x\n");
        let error = read_input(&file, 4).unwrap_err();
        assert_eq!(
            error.to_string(),
            "it is 9 bytes, more than the 4 bytes a file may be here"
        );
        assert_eq!(
            read_input(dir.path(), 100).unwrap_err().to_string(),
            "it is a folder, not a file"
        );
        #[cfg(unix)]
        {
            assert_eq!(
                read_input(Path::new("/dev/zero"), 100)
                    .unwrap_err()
                    .to_string(),
                "it is a device, not a file"
            );
            let fifo = dir.path().join("fifo");
            let status = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(status.success());
            // Returns at once: a pipe is never waited on.
            assert_eq!(
                read_input(&fifo, 100).unwrap_err().to_string(),
                "it is a named pipe (FIFO), not a file"
            );
        }
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(1500), "2 KB");
        assert_eq!(size(8 * 1024 * 1024), "8 MB");
        assert_eq!(size(1024 * 1024 * 3 / 2), "1.5 MB");
    }
}
