//! The outputs of a brief: what each is, where it goes, and its name.

use super::*;

/// A kind of output: each names its file and is made by
/// [`Renderer::make`]. A new kind is one more case here and there, and
/// every other part of a run (the checks before work, writing them all or
/// none, the reports) takes it as it takes the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The Markdown summary, `<brief>.md`.
    Markdown,
    /// The PDF briefing, `<brief>.pdf`.
    Pdf,
    /// The calendar of the visit, `<brief>.ics`.
    Calendar,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Markdown, Format::Pdf, Format::Calendar];

    /// What `render` makes unless told otherwise.
    pub const DEFAULT: [Format; 2] = [Format::Markdown, Format::Pdf];

    /// The file's extension, which is also the name `--format` takes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Pdf => "pdf",
            Format::Calendar => "ics",
        }
    }

    /// What the output is, in messages: "the summary", "the PDF".
    pub fn what(self) -> &'static str {
        match self {
            Format::Markdown => "summary",
            Format::Pdf => "PDF",
            Format::Calendar => "calendar",
        }
    }

    /// The kind a file name's extension says, if any.
    pub fn of_file(path: &Path) -> Option<Format> {
        let extension = path.extension()?;
        Format::ALL
            .into_iter()
            .find(|format| extension == format.extension())
    }
}

/// Where a brief's outputs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Into a folder, each named after the brief: `out/visit.pdf`.
    Folder(PathBuf),
    /// One brief's, to the file named (`-o visit.pdf`); its other formats
    /// beside it, the same name with their extension (`visit.md`).
    File(PathBuf),
    /// One brief's one output, to standard output (`-o -`).
    Stdout,
}

impl Destination {
    /// The file `input`'s output of `format` is written to; none for
    /// standard output.
    pub fn path(&self, input: &Path, format: Format) -> Option<PathBuf> {
        match self {
            Destination::Folder(dir) => Some(dir.join(output_name(input, format.extension()))),
            Destination::File(file) => Some(file.with_extension(format.extension())),
            Destination::Stdout => None,
        }
    }
}

/// One output made, before it is written.
pub struct Made {
    pub format: Format,
    pub bytes: Vec<u8>,
    /// The PDF's pages, and the characters no font had.
    pub pages: Option<usize>,
    pub warnings: Vec<Warning>,
}

/// `briefs/visit.yaml` → `visit.md`; the brief read from standard input
/// (`-`) → `stdin.md`.
pub fn output_name(input: &Path, extension: &str) -> PathBuf {
    if input == Path::new(crate::files::STDIN) {
        return PathBuf::from("stdin").with_extension(extension);
    }
    let stem = input.file_stem().unwrap_or(input.as_os_str());
    PathBuf::from(stem).with_extension(extension)
}

/// How to write a brief's outputs elsewhere: the end of a help.
pub const OTHER_OUTPUT_FOLDER: &str = "choose another output folder with -o";
