//! Checking: a brief loaded and checked, with its images and the characters
//! of its values, writing nothing.

use super::*;

/// Loads and checks one brief and every image it names, writing nothing.
/// Its warnings (control
/// characters removed, say) are in the report beside its errors, in the
/// order of their places in the file.
pub fn check(input: &Path, images: &ImageRules) -> (Report, Option<brief::Brief>) {
    check_with_fonts(input, images, bundled_fonts())
}

/// The bundled fonts (and the system's behind them), for checking briefs
/// that are not rendered with a theme of their own.
pub(super) fn bundled_fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(Fonts::bundled)
}

/// [`check`], with the characters of every value looked for in `fonts`: one
/// that no font has is a warning at its value, as `render` would give.
pub(super) fn check_with_fonts(
    input: &Path,
    images: &ImageRules,
    fonts: &Fonts,
) -> (Report, Option<brief::Brief>) {
    let (mut report, loaded) = check_only(input, images);
    let Some((brief, spans)) = loaded else {
        return (report, None);
    };
    {
        let missing = missing_characters(input, &brief, &spans, fonts);
        if !missing.is_empty() {
            if report.source.is_none() {
                report.source = crate::files::read_input(input, brief::MAX_BRIEF_BYTES as u64)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok());
            }
            report.diagnostics.extend(missing);
            report.diagnostics.sort_by_key(|d| {
                let span = d.location.span;
                (span.is_none(), span)
            });
        }
    }
    (report, Some(brief))
}

/// Loads and checks one brief, its images and rules only.
pub(super) fn check_only(
    input: &Path,
    images: &ImageRules,
) -> (Report, Option<(brief::Brief, brief::Spans)>) {
    let mut report = Report::new(input);
    let warning = |problem| {
        let mut diagnostic = diagnostic_of(input, problem);
        diagnostic.severity = Severity::Warning;
        diagnostic
    };
    match brief::load(input, images) {
        Ok(loaded) => {
            report.source = loaded.source;
            report.diagnostics = loaded.warnings.into_iter().map(warning).collect();
            (report, Some((loaded.brief, loaded.spans)))
        }
        Err(error) => {
            report.source = error.source;
            report.diagnostics = error
                .problems
                .into_iter()
                .map(|problem| diagnostic_of(input, problem))
                .chain(error.warnings.into_iter().map(warning))
                .collect();
            // Stable: at the same place, the error comes before the warning.
            report.diagnostics.sort_by_key(|d| {
                let span = d.location.span;
                (span.is_none(), span)
            });
            (report, None)
        }
    }
}

pub(super) fn diagnostic_of(input: &Path, problem: brief::Problem) -> Diagnostic {
    Diagnostic::error(input, problem.message)
        .at(Location {
            span: problem.span,
            path: Some(problem.path).filter(|p| !p.is_empty()),
        })
        .with_help(problem.help)
}
