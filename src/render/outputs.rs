//! The outputs of a brief and their names.

use super::*;

/// `briefs/visit.yaml` → `visit.md`.
pub fn output_name(input: &Path, extension: &str) -> PathBuf {
    let stem = input.file_stem().unwrap_or(input.as_os_str());
    PathBuf::from(stem).with_extension(extension)
}

/// How to write a brief's outputs elsewhere: the end of a help.
pub const OTHER_OUTPUT_FOLDER: &str = "choose another output folder with -o";
