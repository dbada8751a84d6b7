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

/// The theme's logo, read from the theme's folder (or an `allowed` one),
/// at 300 dpi of the size the theme prints it at. What is wrong with it is
/// said at the theme's `logo` key.
pub(super) fn load_logo(
    theme_dir: &Path,
    settings: &crate::typeset::theme::LogoSettings,
    theme_file: &Path,
    allowed: &[PathBuf],
) -> Result<std::sync::Arc<crate::images::Image>, Box<Diagnostic>> {
    use crate::images::PrintSize;
    use crate::typeset::theme::{mm, DEFAULT_LOGO_WIDTH};
    let file = theme_dir.join(&settings.file);
    let size = match (settings.width, settings.height) {
        (Some(width), _) => PrintSize::Width(mm(width)),
        (None, Some(height)) => PrintSize::Height(mm(height)),
        (None, None) => PrintSize::Width(mm(DEFAULT_LOGO_WIDTH)),
    };
    crate::images::load_logo(theme_dir, &settings.file, allowed, size)
        .map(std::sync::Arc::new)
        .map_err(|error| {
            let rules = ImageRules {
                allowed: allowed.to_vec(),
                // Said of the side the theme gives.
                print_width: match size {
                    PrintSize::Width(length) | PrintSize::Height(length) => length,
                },
            };
            Box::new(
                Diagnostic::error(theme_file, error.message("the logo", &display_path(&file)))
                    .at(Location {
                        span: settings.key_span,
                        path: None,
                    })
                    .with_help(Some(error.help("the logo", &rules, "the theme's folder"))),
            )
        })
}

/// A template error and those found with it ([`TemplateError::more`]).
pub fn template_diagnostics(mut error: TemplateError) -> Vec<Diagnostic> {
    let more = std::mem::take(&mut error.more);
    std::iter::once(error)
        .chain(more.into_vec())
        .map(template_diagnostic)
        .collect()
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
