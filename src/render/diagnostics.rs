//! The problems of the other stages (fonts, templates, images of
//! templates) as diagnostics.

use super::*;

/// A font that cannot be used, as a diagnostic about the theme.
pub(super) fn font_diagnostic(
    theme_file: &Path,
    error: crate::typeset::fonts::FontError,
) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            theme_file,
            format!(
                "cannot use the font `{}`: {}",
                display_path(&error.path),
                error.reason
            ),
        )
        .with_help(Some(error.help)),
    )
}

/// A template problem as a diagnostic about the template file.
pub fn template_diagnostic(error: TemplateError) -> Diagnostic {
    let span = error.line.map(|line| Span {
        line,
        column: error.column.unwrap_or(1),
        len: 1,
    });
    Diagnostic::error(error.file, error.message)
        .at(Location { span, path: None })
        .with_help(error.help)
}

/// An image of a template that cannot be used, as a diagnostic about it.
pub(super) fn image_diagnostic(error: TypesetError) -> Diagnostic {
    let TypesetError::Image {
        path,
        message,
        help,
    } = error;
    Diagnostic::error(path, message).with_help(Some(help))
}
