//! The files a run reads and writes.
//!
//! Outputs are written whole or not at all: into a temporary file beside
//! the target, then renamed over it. They go only where nothing but a
//! regular file stands, never over a file the run reads nor over another
//! output of the run ([`check_outputs`], before any work); they get the
//! mode the umask gives, or keep the mode of the file they replace; and a
//! run ended by a signal leaves no temporary file behind ([`stop_writing`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::diag::{self, Diagnostic};

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
    let (file, length) = open_input(path, limit)?;
    let mut bytes = Vec::with_capacity(length as usize);
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

/// The name that stands for standard input or output on the command line.
pub const STDIN: &str = "-";

/// Reads standard input to its end, at most `limit` bytes: more is refused
/// as soon as it is read past, not after reading it all.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(limit + 1)
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

/// Maps a font file into memory for the rest of the run, refusing what
/// [`read_input`] would refuse. A font is read where the shaper and the
/// subsetter look, a few pages of it: a 20 MB Chinese font mapped costs the
/// memory of the glyphs a briefing uses, read whole it costs 20 MB.
pub fn map_font(path: &Path, limit: u64) -> Result<&'static [u8], ReadError> {
    let (file, length) = open_input(path, limit)?;
    if length == 0 {
        // Nothing to map (and mapping nothing is an error): no font either.
        return Ok(&[]);
    }
    // SAFETY: the mapping is read-only and lives to the end of the run. The
    // one risk is another program truncating the font while this one runs,
    // which would fault on the next read of the lost pages: the risk every
    // program that maps fonts takes, fontdb's scan of the system's fonts
    // (which maps each of them) included.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(ReadError::Io)?;
    let map: &'static memmap2::Mmap = Box::leak(Box::new(map));
    Ok(&map[..])
}

/// Opens what [`read_input`] would read, refusing what it would refuse, and
/// reads nothing: the file and its length, for a reader of its own (a font
/// library that maps the file) to be given only a file that passed.
pub fn open_input(path: &Path, limit: u64) -> Result<(std::fs::File, u64), ReadError> {
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
    Ok((file, metadata.len()))
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

// Outputs: where they may go.

/// A file's identity: its device and inode. Two paths name one file when
/// their identities are equal, however they are spelled (`a.yaml`,
/// `./briefs/../a.yaml`, a hard link or a symbolic link to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The file `path` leads to (through symbolic links), if there is one.
    pub fn of(path: &Path) -> Option<FileId> {
        std::fs::metadata(path)
            .ok()
            .and_then(|metadata| FileId::from_metadata(&metadata))
    }

    /// The files standard output and standard error go to, where they are
    /// files: `briefing watch visit.yaml 2> log.txt` beside the brief must
    /// not take its own log's growth for a change (and render, and log,
    /// and render again).
    pub fn of_standard_streams() -> Vec<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            [
                std::io::stdout().as_fd().try_clone_to_owned(),
                std::io::stderr().as_fd().try_clone_to_owned(),
            ]
            .into_iter()
            .flatten()
            .filter_map(|fd| std::fs::File::from(fd).metadata().ok())
            .filter(Metadata::is_file)
            .filter_map(|metadata| FileId::from_metadata(&metadata))
            .collect()
        }
        #[cfg(not(unix))]
        {
            Vec::new()
        }
    }

    fn from_metadata(metadata: &Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            None
        }
    }
}

/// The files a run reads, by identity, each with what it is to the user
/// (`brief`, `template`, `font`): no output of the run may replace one.
#[derive(Debug, Default)]
pub struct Inputs {
    files: BTreeMap<FileId, (PathBuf, &'static str)>,
}

impl Inputs {
    /// Adds the file at `path`, a `what`. A path that leads to no file is no
    /// input of the run (reading it fails, and says so).
    pub fn add(&mut self, path: &Path, what: &'static str) {
        if let Some(id) = FileId::of(path) {
            self.files
                .entry(id)
                .or_insert_with(|| (path.to_path_buf(), what));
        }
    }
}

/// A file a run is to write, and what it is to the user (`summary`, `PDF`,
/// `pack`, `index`).
#[derive(Debug, Clone, Copy)]
pub struct Output<'a> {
    pub path: &'a Path,
    pub what: &'static str,
}

/// Why an output may not go where it was asked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputProblem {
    /// Something other than a regular file stands there: a folder, a device
    /// such as `/dev/null`, a named pipe, a socket, or a symbolic link. An
    /// output replaces only a regular file. A link is refused too, whatever
    /// it points to: replacing the link would leave its target silently
    /// stale (a reader of the target never sees the new briefing), and
    /// writing through it would write wherever a link planted in a shared
    /// folder points, outside the folder named.
    NotAFile { output: PathBuf, kind: &'static str },
    /// A folder on the way to the output is a file.
    FolderIsAFile { output: PathBuf, file: PathBuf },
    /// The output is one of the files the run reads.
    ReplacesInput {
        output: PathBuf,
        what: &'static str,
        input: PathBuf,
        input_what: &'static str,
    },
    /// Two outputs of the run would be one file.
    SameAsOutput {
        output: PathBuf,
        what: &'static str,
        other: PathBuf,
        other_what: &'static str,
    },
}

impl OutputProblem {
    /// The output that may not be written.
    pub fn output(&self) -> &Path {
        match self {
            OutputProblem::NotAFile { output, .. }
            | OutputProblem::FolderIsAFile { output, .. }
            | OutputProblem::ReplacesInput { output, .. }
            | OutputProblem::SameAsOutput { output, .. } => output,
        }
    }

    pub fn message(&self) -> String {
        let shown = |path: &Path| diag::display_path(path);
        match self {
            OutputProblem::NotAFile { output, kind } => {
                format!("cannot write: `{}` is {kind}, not a file", shown(output))
            }
            OutputProblem::FolderIsAFile { file, .. } => {
                format!("cannot write: `{}` is a file, not a folder", shown(file))
            }
            OutputProblem::ReplacesInput {
                output,
                what,
                input,
                input_what,
            } => {
                let (output, input) = (shown(output), shown(input));
                let same = if output == input {
                    ""
                } else {
                    " (they are the same file)"
                };
                format!("the {what} `{output}` would replace the {input_what} `{input}`{same}")
            }
            OutputProblem::SameAsOutput {
                output,
                what,
                other,
                other_what,
            } => format!(
                "the {other_what} `{}` and the {what} `{}` would be the same file",
                shown(other),
                shown(output)
            ),
        }
    }

    /// The fix; `elsewhere` says how to write somewhere else, e.g. "choose
    /// another output folder with -o".
    pub fn help(&self, elsewhere: &str) -> String {
        match self {
            OutputProblem::NotAFile { kind, .. } if *kind == SYMBOLIC_LINK => format!(
                "an output only ever replaces a regular file, not a link (nor what it points to): remove the link, or {elsewhere}"
            ),
            OutputProblem::NotAFile { .. } => {
                format!("an output only ever replaces a regular file: {elsewhere}")
            }
            _ => elsewhere.to_string(),
        }
    }

    /// The problem as a diagnostic about the output.
    pub fn diagnostic(&self, elsewhere: &str) -> Diagnostic {
        Diagnostic::error(self.output(), self.message()).with_help(Some(self.help(elsewhere)))
    }
}

const SYMBOLIC_LINK: &str = "a symbolic link";

/// Finds every output that may not be written, before any work is done: one
/// that is not a regular file or absent, one that is a file the run reads
/// (compared by identity, so `./a.yaml`, `briefs//../a.yaml` and a hard link
/// are all `a.yaml`), one that is another output of the run. Each problem
/// comes with the index of its output; at most one per output.
pub fn check_outputs(outputs: &[Output], inputs: &Inputs) -> Vec<(usize, OutputProblem)> {
    let mut problems = Vec::new();
    let mut by_entry: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut by_file: BTreeMap<FileId, usize> = BTreeMap::new();
    let mut names: BTreeMap<std::ffi::OsString, usize> = BTreeMap::new();
    for name in outputs.iter().filter_map(|output| output.path.file_name()) {
        *names.entry(name.to_ascii_lowercase()).or_default() += 1;
    }
    for (index, output) in outputs.iter().enumerate() {
        let existing = match standing_file(output.path) {
            Ok(existing) => existing,
            Err(problem) => {
                problems.push((index, problem));
                continue;
            }
        };
        let id = existing.as_ref().and_then(FileId::from_metadata);
        if let Some((input, input_what)) = id.and_then(|id| inputs.files.get(&id)) {
            problems.push((
                index,
                OutputProblem::ReplacesInput {
                    output: output.path.to_path_buf(),
                    what: output.what,
                    input: input.clone(),
                    input_what,
                },
            ));
            continue;
        }
        // The same entry of the same folder, however the path is spelled
        // (`out/pack.pdf`, `./out//pack.pdf`, through a linked folder); or,
        // for a file that exists, the same file (on a file system that
        // ignores case, `Visit.md` is `visit.md`).
        // Only outputs of the same file name can be one entry: the others
        // are not resolved (it costs a system call for each folder above).
        let shares_its_name = output
            .path
            .file_name()
            .is_some_and(|name| names.get(&name.to_ascii_lowercase()) > Some(&1));
        let earlier = shares_its_name
            .then(|| entry_key(output.path))
            .flatten()
            .and_then(|key| match by_entry.entry(key) {
                std::collections::btree_map::Entry::Occupied(first) => Some(*first.get()),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(index);
                    None
                }
            })
            .or_else(|| id.and_then(|id| by_file.insert(id, index)));
        if let Some(other) = earlier {
            problems.push((
                index,
                OutputProblem::SameAsOutput {
                    output: output.path.to_path_buf(),
                    what: output.what,
                    other: outputs[other].path.to_path_buf(),
                    other_what: outputs[other].what,
                },
            ));
        }
    }
    problems
}

/// The regular file standing at `path`, `None` when nothing is there, or why
/// an output may not go there. Symbolic links are not followed: a link is
/// what stands there.
fn standing_file(path: &Path) -> Result<Option<Metadata>, OutputProblem> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => Ok(Some(metadata)),
        Ok(metadata) => Err(OutputProblem::NotAFile {
            output: path.to_path_buf(),
            kind: if metadata.file_type().is_symlink() {
                SYMBOLIC_LINK
            } else {
                file_kind(&metadata)
            },
        }),
        Err(error) if error.kind() == io::ErrorKind::NotADirectory => {
            let file = path
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
                .unwrap_or(path);
            Err(OutputProblem::FolderIsAFile {
                output: path.to_path_buf(),
                file: file.to_path_buf(),
            })
        }
        // Absent, or cannot be looked at: writing says why, if it fails.
        Err(_) => Ok(None),
    }
}

/// What stands where the folder `dir` (or one above it) should be, if
/// anything but a folder does: its path and what it is (`a file`). `None`
/// when `dir` is a folder or can be made.
pub fn folder_in_the_way(dir: &Path) -> Option<(PathBuf, &'static str)> {
    for place in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        if let Ok(metadata) = std::fs::metadata(place) {
            return (!metadata.is_dir()).then(|| (place.to_path_buf(), file_kind(&metadata)));
        }
    }
    None
}

/// The folder entry `path` names, whatever its spelling: the nearest folder
/// above it that exists, resolved (`.`, `..`, links), then the rest as
/// written.
fn entry_key(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let mut rest = Vec::new();
    let mut dir = folder_of(path);
    loop {
        if let Ok(real) = dir.canonicalize() {
            let mut key = real;
            key.extend(rest.iter().rev());
            key.push(name);
            return Some(key);
        }
        rest.push(dir.file_name()?);
        dir = match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
    }
}

/// The folder a file is written in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

// Outputs: writing them.

/// Held, shared, while a temporary file is created and entered in
/// [`UNFINISHED`] (so that none escapes the list) and while a set of outputs
/// is renamed into place or put back (so that a signal never ends the run
/// halfway through a set); held alone by [`stop_writing`]. Shared, so that
/// the threads of a batch never wait for each other.
static WRITING: RwLock<()> = RwLock::new(());
/// The temporary files of this process that are not yet in place: removed
/// by [`stop_writing`] when a signal ends the run. Locked only to change
/// the list, never during a system call.
static UNFINISHED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
/// The folders this run made for outputs not yet written: removed again by
/// [`stop_writing`] when empty, as a failed run removes them.
static FOLDERS_MADE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// The folders whose stale temporary files this run has removed already.
static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// A lock that a panicking thread did not leave unusable: what it guards is
/// a set of names, never half changed.
fn lock<T>(mutex: &'static Mutex<T>) -> MutexGuard<'static, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writing under way: no signal ends the run until it is dropped. Never
/// taken twice by one thread (a waiting signal handler would deadlock it):
/// functions that need it take it as an argument.
type Writing = RwLockReadGuard<'static, ()>;

fn writing() -> Writing {
    WRITING.read().unwrap_or_else(PoisonError::into_inner)
}

/// The end of all writing: every temporary file of this process is removed,
/// and, for as long as the value is held, no file is renamed into place or
/// created. A set of outputs being renamed is finished first (it takes
/// microseconds). For a signal handler, which holds it until the process
/// ends.
pub struct WritingStopped {
    _writing: RwLockWriteGuard<'static, ()>,
    _unfinished: MutexGuard<'static, BTreeSet<PathBuf>>,
}

pub fn stop_writing() -> WritingStopped {
    let writing = WRITING.write().unwrap_or_else(PoisonError::into_inner);
    let unfinished = lock(&UNFINISHED);
    for path in unfinished.iter() {
        let _ = std::fs::remove_file(path);
    }
    remove_empty_folders(&mut lock(&FOLDERS_MADE));
    WritingStopped {
        _writing: writing,
        _unfinished: unfinished,
    }
}

/// The start of our temporary files' names: `.briefing-<process id>-`. The
/// process id tells a stale file (its process has gone, killed before it
/// could clean up) from the live file of a run still writing.
fn temporary_prefix() -> String {
    format!(".briefing-{}-", std::process::id())
}

/// The process that made the temporary file `name`, if `name` is one of
/// ours: `.briefing-<process id>-<random letters and digits>.tmp`.
fn temporary_owner(name: &str) -> Option<u32> {
    let middle = name.strip_prefix(".briefing-")?.strip_suffix(".tmp")?;
    let (pid, random) = middle.split_once('-')?;
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    let letters = !random.is_empty() && random.bytes().all(|b| b.is_ascii_alphanumeric());
    if !(digits && letters) {
        return None;
    }
    pid.parse().ok().filter(|&pid| pid > 0)
}

/// Whether a process `pid` runs on this machine (whoever's it is).
fn process_is_running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        // Signal 0 is sent to no one: it only asks whether `pid` exists.
        match rustix::process::test_kill_process(pid) {
            Ok(()) => true,
            Err(error) => error != rustix::io::Errno::SRCH,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes the temporary files that runs killed outright (`kill -9`, a power
/// cut) left in `dir`: ours by their name, stale because the process that
/// made them has gone. Once per folder per run.
fn remove_stale_temporaries(dir: &Path) {
    // By the path as given: a folder named two ways is swept twice, which
    // is harmless and cheaper than resolving every path.
    if !lock(&SWEPT).insert(dir.to_path_buf()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let ours = std::process::id();
    for entry in entries.flatten() {
        let Some(owner) = entry.file_name().to_str().and_then(temporary_owner) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if is_file && owner != ours && !process_is_running(owner) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A temporary file of ours beside an output, removed unless renamed into
/// place: when dropped, or by [`stop_writing`].
struct Temporary {
    path: PathBuf,
    file: File,
    /// Renamed into place: nothing left to remove.
    done: bool,
}

impl Temporary {
    fn builder(prefix: &str) -> tempfile::Builder<'_, 'static> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix).suffix(".tmp");
        builder
    }

    /// A new, empty temporary file in `dir`, created with `mode` (less what
    /// the umask takes away): it is never readable by more people than the
    /// output will be.
    fn create(dir: &Path, mode: u32, _writing: &Writing) -> io::Result<Temporary> {
        let prefix = temporary_prefix();
        let mut builder = Temporary::builder(&prefix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = mode;
        let (file, path) = builder
            .tempfile_in(dir)?
            .keep()
            .map_err(|error| error.error)?;
        lock(&UNFINISHED).insert(path.clone());
        Ok(Temporary {
            path,
            file,
            done: false,
        })
    }

    /// The old version of an output, kept under a second name beside it
    /// while the new one is put in place: a hard link, or, where the file
    /// system has none, a copy.
    fn keep_old(target: &Path, old: &Metadata, writing: &Writing) -> io::Result<Temporary> {
        let dir = folder_of(target);
        let prefix = temporary_prefix();
        let linked = Temporary::builder(&prefix)
            .make_in(dir, |path| std::fs::hard_link(target, path))
            .and_then(|made| made.keep().map_err(|error| error.error))
            .map(|((), path)| {
                lock(&UNFINISHED).insert(path.clone());
                path
            });
        if let Ok(path) = linked {
            match File::open(&path) {
                Ok(file) => {
                    return Ok(Temporary {
                        path,
                        file,
                        done: false,
                    })
                }
                Err(_) => Temporary::forget_path(path),
            }
        }
        let mut copy = Temporary::create(dir, 0o600, writing)?;
        let mut from = File::open(target)?;
        io::copy(&mut from, &mut copy.file)?;
        keep_owner_and_mode(&copy.file, old)?;
        Ok(copy)
    }

    /// Removes a temporary file known only by its path: the file first,
    /// then its name from the list (a signal between the two finds the
    /// file gone, which is no harm).
    fn forget_path(path: PathBuf) {
        let _ = std::fs::remove_file(&path);
        lock(&UNFINISHED).remove(&path);
    }

    /// Renames the file over `target`.
    fn rename_to(&mut self, target: &Path, _writing: &Writing) -> io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.done = true;
        lock(&UNFINISHED).remove(&self.path);
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.done {
            Temporary::forget_path(std::mem::take(&mut self.path));
        }
    }
}

/// Gives the new version of a file the mode and owner of the old one: a
/// briefing kept private (0600, or 0640 for a group) stays so. Where the
/// owner or group cannot be kept (only root may give a file away), the
/// group's rights are dropped rather than handed to another group.
fn keep_owner_and_mode(file: &File, old: &Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{fchown, MetadataExt, PermissionsExt};
        let mut mode = old.mode() & 0o777;
        let new = file.metadata()?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid())
            && fchown(file, Some(old.uid()), Some(old.gid())).is_err()
        {
            let group_kept = new.gid() == old.gid() || fchown(file, None, Some(old.gid())).is_ok();
            if !group_kept {
                mode &= !0o070;
            }
        }
        file.set_permissions(std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, old);
        Ok(())
    }
}

/// Whether the file at `target` may be replaced: a file marked immutable or
/// append-only (`chattr +i`, `chattr +a`) may not, even by root, and the
/// system says so when it is opened for writing. Opening it changes nothing.
fn may_be_replaced(target: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(target);
        match opened {
            Err(error) if error.raw_os_error() == Some(libc::EPERM) => Err(error),
            // A file we may not write to (0444) may still be replaced:
            // renaming over it needs only the folder.
            _ => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = target;
        Ok(())
    }
}

/// Outputs that belong together (a summary and its PDF, a pack and its
/// index), their temporary files made and waiting for their contents: see
/// [`prepare`].
pub struct Pending {
    files: Vec<PendingFile>,
    /// The folders made for the outputs, deepest first: removed again (when
    /// empty) if the outputs are never written, so that a pack that fails
    /// leaves no trace.
    folders_made: Vec<PathBuf>,
    written: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        // The temporary files go first, then the folders they were in.
        self.files.clear();
        if !self.written {
            remove_empty_folders(&mut self.folders_made);
        }
        lock(&FOLDERS_MADE).retain(|folder| !self.folders_made.contains(folder));
    }
}

/// Removes `folders` that are empty, deepest first (a folder that holds
/// anything stays).
fn remove_empty_folders(folders: &mut [PathBuf]) {
    folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
    for folder in folders.iter() {
        let _ = std::fs::remove_dir(folder);
    }
}

/// Makes the folder `dir` and those above it; returns the ones it made,
/// deepest first.
fn make_folder(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .take_while(|a| std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    create_folder(dir)?;
    Ok(missing)
}

struct PendingFile {
    target: PathBuf,
    temporary: Temporary,
}

fn cannot_write(path: &Path, error: &io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(
        path,
        format!("cannot write: {}", crate::io_reason(error)),
    ))
}

const NOTHING_WRITTEN: &str = "nothing was written";

/// Makes ready to write `targets`, before the work that makes their
/// contents: each one's folder (made if need be; stale temporary files of
/// ours in it removed), and a temporary file beside it. A folder that
/// cannot be written, or a target that is not a regular file, is found now,
/// not after minutes of work.
pub fn prepare(targets: &[&Path]) -> Result<Pending, Box<Diagnostic>> {
    let mut pending = Pending {
        files: Vec::with_capacity(targets.len()),
        folders_made: Vec::new(),
        written: false,
    };
    for &target in targets {
        let dir = folder_of(target);
        let made = make_folder(dir).map_err(|error| cannot_write(target, &error))?;
        lock(&FOLDERS_MADE).extend(made.iter().cloned());
        pending.folders_made.extend(made);
        remove_stale_temporaries(dir);
        let old = standing_file(target)
            .map_err(|problem| Box::new(problem.diagnostic(NOTHING_WRITTEN)))?;
        #[cfg(unix)]
        let mode = old.map_or(0o666, |old| {
            use std::os::unix::fs::PermissionsExt;
            old.permissions().mode() & 0o777
        });
        #[cfg(not(unix))]
        let mode = 0o666;
        let temporary = Temporary::create(dir, mode, &writing())
            .map_err(|error| cannot_write(target, &error))?;
        pending.files.push(PendingFile {
            target: target.to_path_buf(),
            temporary,
        });
    }
    Ok(pending)
}

impl Pending {
    /// The temporary file of target `index`: what is written into it here
    /// is its beginning, followed by what [`Pending::write`] gives it.
    pub fn file(&mut self, index: usize) -> &mut File {
        &mut self.files[index].temporary.file
    }

    /// Writes `contents` (one for each target, in order) and puts them all in
    /// place, or none. Each new file keeps the mode and owner of the one it
    /// replaces. Every target is checked replaceable before any is renamed;
    /// if a rename still fails, the targets renamed before it are put back
    /// as they were (their old versions were kept under a second name), so
    /// that a new summary is never left beside a stale PDF.
    pub fn write(mut self, contents: &[&[u8]]) -> Result<(), Box<Diagnostic>> {
        assert_eq!(contents.len(), self.files.len(), "one content per output");
        for (file, bytes) in self.files.iter_mut().zip(contents) {
            // No fsync: it costs milliseconds per file, and an output lost
            // to a power cut is rendered again; the rename alone keeps
            // readers from seeing half a file.
            file.temporary
                .file
                .write_all(bytes)
                .map_err(|error| nothing_written(cannot_write(&file.target, &error)))?;
        }
        let mut old_versions = Vec::with_capacity(self.files.len());
        for file in &self.files {
            let old = standing_file(&file.target)
                .map_err(|problem| Box::new(problem.diagnostic(NOTHING_WRITTEN)))?;
            if let Some(old) = &old {
                keep_owner_and_mode(&file.temporary.file, old)
                    .map_err(|error| nothing_written(cannot_write(&file.target, &error)))?;
                may_be_replaced(&file.target).map_err(|error| {
                    Box::new(
                        Diagnostic::error(
                            &file.target,
                            format!(
                                "cannot replace `{}`: {}",
                                diag::display_path(&file.target),
                                crate::io_reason(&error)
                            ),
                        )
                        .with_help(Some(
                            "nothing was written; the file may be immutable or append-only (`lsattr` shows it)".into(),
                        )),
                    )
                })?;
            }
            old_versions.push(old);
        }
        let writing = writing();
        let kept: Vec<Option<Temporary>> = self
            .files
            .iter()
            .zip(&old_versions)
            .map(|(file, old)| {
                old.as_ref()
                    .and_then(|old| Temporary::keep_old(&file.target, old, &writing).ok())
            })
            .collect();
        // A target whose old version could not be kept goes last: if its
        // rename fails, the ones before it can still be put back.
        let mut order: Vec<usize> = (0..self.files.len()).collect();
        order.sort_by_key(|&i| old_versions[i].is_some() && kept[i].is_none());
        let mut kept = kept;
        let mut renamed: Vec<usize> = Vec::new();
        for &i in &order {
            let file = &mut self.files[i];
            if let Err(error) = file.temporary.rename_to(&file.target, &writing) {
                let failed = file.target.clone();
                let existed: Vec<bool> = old_versions.iter().map(Option::is_some).collect();
                let renamed = Renamed {
                    renamed: &renamed,
                    existed: &existed,
                    writing: &writing,
                };
                return Err(self.put_back(renamed, &mut kept, &failed, &error));
            }
            renamed.push(i);
        }
        self.written = true;
        Ok(())
    }

    /// After the rename of `failed` failed: the targets `renamed` before it
    /// back as they were (`existed` says which were there before), and the
    /// error that says so.
    fn put_back(
        &self,
        done: Renamed,
        kept: &mut [Option<Temporary>],
        failed: &Path,
        error: &io::Error,
    ) -> Box<Diagnostic> {
        let Renamed {
            renamed,
            existed,
            writing,
        } = done;
        let mut not_restored = Vec::new();
        for &i in renamed {
            let target = &self.files[i].target;
            let restored = match (&mut kept[i], existed[i]) {
                (Some(old), _) => old.rename_to(target, writing),
                // It did not exist before: it goes again.
                (None, false) => std::fs::remove_file(target),
                (None, true) => Err(io::Error::other("no copy of it could be kept")),
            };
            if let Err(error) = restored {
                not_restored.push(format!(
                    "the new `{}` stays, as the old one could not be put back ({})",
                    diag::display_path(target),
                    crate::io_reason(&error)
                ));
            }
        }
        let names: Vec<String> = renamed
            .iter()
            .map(|&i| format!("`{}`", diag::display_path(&self.files[i].target)))
            .collect();
        let help = if !not_restored.is_empty() {
            not_restored.join("; ")
        } else if names.is_empty() {
            NOTHING_WRITTEN.to_string()
        } else if names.len() == 1 {
            format!("{NOTHING_WRITTEN}: {} is as it was", names[0])
        } else {
            format!(
                "{NOTHING_WRITTEN}: {} are as they were",
                names.join(" and ")
            )
        };
        Box::new(
            Diagnostic::error(
                failed,
                format!(
                    "cannot replace `{}`: {}",
                    diag::display_path(failed),
                    crate::io_reason(error)
                ),
            )
            .with_help(Some(help)),
        )
    }
}

/// The outputs renamed into place before one failed: their indices, which
/// of all the outputs existed before, and the writing under way.
struct Renamed<'a> {
    renamed: &'a [usize],
    existed: &'a [bool],
    writing: &'a Writing,
}

fn nothing_written(mut diagnostic: Box<Diagnostic>) -> Box<Diagnostic> {
    diagnostic.help = Some(NOTHING_WRITTEN.into());
    diagnostic
}

/// Writes `bytes` to `path` so that a reader never sees half a file: into a
/// temporary file in the same folder, then renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Box<Diagnostic>> {
    write_together(&[(path, bytes)])
}

/// Writes a set of files that belong together (a summary and its PDF, a pack
/// and its index) all or none: see [`prepare`] and [`Pending::write`]. The
/// error names the file that could not be written.
pub fn write_together(files: &[(&Path, &[u8])]) -> Result<(), Box<Diagnostic>> {
    let targets: Vec<&Path> = files.iter().map(|(path, _)| *path).collect();
    let contents: Vec<&[u8]> = files.iter().map(|(_, bytes)| *bytes).collect();
    prepare(&targets)?.write(&contents)
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
    fn our_temporary_files_are_known_by_name_with_the_process_that_made_them() {
        assert_eq!(temporary_owner(".briefing-4242-aZ09bc.tmp"), Some(4242));
        // Not ours: another shape, no process, process 0 (`kill` would
        // signal a whole group), or not ours at all.
        for name in [
            ".briefing-aZ09bc.tmp",
            ".briefing--aZ09bc.tmp",
            ".briefing-0-aZ09bc.tmp",
            ".briefing-42-a.b.tmp",
            ".briefing-42-abc.pdf",
            "briefing-42-abc.tmp",
            ".briefing-notes.tmp",
        ] {
            assert_eq!(temporary_owner(name), None, "{name}");
        }
        assert!(process_is_running(std::process::id()));
        assert!(temporary_prefix().starts_with(&format!(".briefing-{}-", std::process::id())));
    }

    #[test]
    fn outputs_are_compared_by_folder_entry_however_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let plain = entry_key(&out.join("pack.pdf")).unwrap();
        assert_eq!(
            entry_key(&dir.path().join("out//./pack.pdf")),
            Some(plain.clone())
        );
        assert_eq!(
            entry_key(&dir.path().join("out/../out/pack.pdf")),
            Some(plain)
        );
        // A folder still to be made: the rest as written.
        assert_eq!(
            entry_key(&out.join("new/sub/pack.pdf")),
            Some(out.canonicalize().unwrap().join("new/sub/pack.pdf"))
        );
        let (pdf, index) = (out.join("pack.md"), dir.path().join("out/./pack.md"));
        let outputs = [
            Output {
                path: &pdf,
                what: "pack",
            },
            Output {
                path: &index,
                what: "index",
            },
        ];
        let problems = check_outputs(&outputs, &Inputs::default());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 1);
        assert!(matches!(problems[0].1, OutputProblem::SameAsOutput { .. }));
    }

    #[test]
    fn a_pending_output_that_is_never_written_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new/folder/pack.pdf");
        let pending = prepare(&[&target]).unwrap();
        assert_eq!(
            std::fs::read_dir(target.parent().unwrap()).unwrap().count(),
            1
        );
        drop(pending);
        assert!(!dir.path().join("new").exists());
        assert!(lock(&UNFINISHED).iter().all(|p| !p.starts_with(dir.path())));
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(512), "512 bytes");
        assert_eq!(size(1500), "2 KB");
        assert_eq!(size(8 * 1024 * 1024), "8 MB");
        assert_eq!(size(1024 * 1024 * 3 / 2), "1.5 MB");
    }
}
