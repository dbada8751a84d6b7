//! The look of the PDF: page, fonts, sizes, colours, header and footer.
//! Its default is `templates/theme.yaml`; users override it like a template.

use std::ops::RangeInclusive;

use serde::de::Deserializer;
use serde::Deserialize;

use super::Color;
use crate::brief::yaml::{Kind, Node};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub page: Page,
    pub fonts: FontFiles,
    pub sizes: Sizes,
    pub line_height: f32,
    pub justify: bool,
    pub numbered_headings: bool,
    /// Millimetres.
    pub photo_width: f32,
    /// What a card without a photo shows where the photo would be.
    #[serde(default)]
    pub missing_photo: MissingPhoto,
    pub colours: Colours,
    pub header: String,
    pub footer_left: String,
    pub footer_right: String,
    /// What the PDF is written to: read by the writer, not the typesetter.
    #[serde(default)]
    pub pdf: PdfSettings,
    /// An office's logo or crest, on the cover and perhaps in the header.
    #[serde(default)]
    pub logo: Option<LogoSettings>,
    /// How far spacing may shrink to keep a section's last lines off a
    /// page of their own.
    #[serde(default)]
    pub shrink: Shrink,
}

/// The theme's `logo:`: a file relative to the theme's folder, its size on
/// the cover, its alternative text, and whether the running header shows it.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping such as `logo: { file: crest.svg }`"
)]
pub struct LogoSettings {
    /// SVG, PNG or JPEG.
    pub file: String,
    /// Millimetres on the cover; at most one of `width` and `height`
    /// (neither: [`DEFAULT_LOGO_WIDTH`]).
    #[serde(default)]
    pub width: Option<f32>,
    #[serde(default)]
    pub height: Option<f32>,
    /// What a screen reader says of it; default: the office preparing the
    /// brief, else "Logo".
    #[serde(default)]
    pub alt: Option<String>,
    /// Shown small at the start of the running header as well.
    #[serde(default)]
    pub in_header: bool,
    /// Where the theme writes `logo:`, for what is wrong with the file.
    #[serde(skip)]
    pub key_span: Option<crate::diag::Span>,
}

/// The width of a logo whose theme gives neither width nor height, in
/// millimetres.
pub const DEFAULT_LOGO_WIDTH: f32 = 30.0;

impl LogoSettings {
    /// The logo's width on the cover, in points, for an image of these
    /// proportions (width over height).
    pub fn cover_width(&self, aspect: f32) -> f32 {
        match (self.width, self.height) {
            (Some(width), _) => mm(width),
            (None, Some(height)) => mm(height) * aspect,
            (None, None) => mm(DEFAULT_LOGO_WIDTH),
        }
    }
}

/// The theme's `shrink:`: the share by which the space between blocks and
/// around headings may shrink on a page, so that the one or two last lines
/// of a section still fit on it rather than stand alone on the next page.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Shrink {
    /// The space between paragraphs, lists and tables: 0 never, 0.5 to half.
    pub paragraphs: f32,
    /// The space above headings.
    pub headings: f32,
}

impl Default for Shrink {
    fn default() -> Shrink {
        Shrink {
            paragraphs: 0.4,
            headings: 0.25,
        }
    }
}

/// What stands in a card (`<!-- card -->`) that has no picture, so that
/// the cards of people with and without a photo look alike.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MissingPhoto {
    /// A neutral frame the size of a portrait photo.
    #[default]
    Placeholder,
    /// The photo's place, left empty: the text starts where it would.
    Blank,
    /// Nothing: the text takes the whole width.
    None,
}

/// The theme's `pdf:` section, for a whole office: tags, and a PDF/A level.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PdfSettings {
    /// Tagged for screen readers (PDF/UA-1).
    #[serde(default = "tagged_by_default")]
    pub tagged: bool,
    /// A PDF/A-2 level for archiving, or none.
    #[serde(default)]
    pub standard: Option<PdfStandard>,
}

fn tagged_by_default() -> bool {
    true
}

impl Default for PdfSettings {
    fn default() -> PdfSettings {
        PdfSettings {
            tagged: true,
            standard: None,
        }
    }
}

/// The PDF/A-2 levels a theme may ask for.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum PdfStandard {
    #[serde(rename = "a-2b")]
    A2b,
    #[serde(rename = "a-2u")]
    A2u,
    #[serde(rename = "a-2a")]
    A2a,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub size: PageSize,
    pub margins: Margins,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum PageSize {
    A4,
    Letter,
}

impl PageSize {
    /// Width and height in points.
    pub fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (mm(210.0), mm(297.0)),
            PageSize::Letter => (612.0, 792.0),
        }
    }
}

/// Millimetres to points.
pub fn mm(millimetres: f32) -> f32 {
    millimetres * 72.0 / 25.4
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontFiles {
    pub regular: String,
    pub bold: String,
    pub italic: String,
    pub bold_italic: String,
    pub mono: String,
    /// Fonts for the characters the five faces lack, tried in this order
    /// before the bundled Noto Sans Arabic and Hebrew and the system's
    /// fonts: TTF, OTF or TTC files, relative to the theme's folder.
    #[serde(default)]
    pub fallbacks: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizes {
    pub body: f32,
    pub small: f32,
    pub table: f32,
    pub h1: f32,
    pub h2: f32,
    pub h3: f32,
    pub cover_title: f32,
    pub cover_subtitle: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    #[serde(deserialize_with = "colour")]
    pub text: Color,
    #[serde(deserialize_with = "colour")]
    pub heading: Color,
    #[serde(deserialize_with = "colour")]
    pub marking: Color,
    #[serde(deserialize_with = "colour")]
    pub link: Color,
    #[serde(deserialize_with = "colour")]
    pub rule: Color,
    #[serde(deserialize_with = "colour")]
    pub table_header: Color,
}

impl Colours {
    /// Whether every value under `colours:` was a colour. Destructured, so
    /// that a colour added to the struct cannot be left out here.
    fn are_all_colours(&self) -> bool {
        let Colours {
            text,
            heading,
            marking,
            link,
            rule,
            table_header,
        } = self;
        [text, heading, marking, link, rule, table_header]
            .iter()
            .all(|colour| !colour.r.is_nan())
    }
}

/// A colour, or [`NOT_A_COLOUR`] for anything else: each colour that is
/// not one is reported afterwards at its own line ([`colour_problems`]),
/// all of them together, rather than by serde at the first key of
/// `colours:`, one at a time.
fn colour<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Color, D::Error> {
    let value = serde_yaml::Value::deserialize(deserializer)?;
    Ok(value
        .as_str()
        .and_then(Color::from_hex)
        .unwrap_or(NOT_A_COLOUR))
}

/// What a colour that is not one reads as, until it is reported.
const NOT_A_COLOUR: Color = Color {
    r: f32::NAN,
    g: f32::NAN,
    b: f32::NAN,
};

/// Every value under `colours:` that is not a colour, at its own place.
fn colour_problems(text: &str) -> Vec<ThemeError> {
    let Some(root) = crate::brief::yaml::parse(text).ok().flatten() else {
        return Vec::new();
    };
    let Some(Node {
        kind: Kind::Mapping(entries),
        ..
    }) = find(&root, "colours")
    else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(key, value)| {
            let written = match &value.kind {
                Kind::Scalar(text) => text.clone(),
                _ => value.describe().to_string(),
            };
            if matches!(&value.kind, Kind::Scalar(text) if Color::from_hex(text).is_some()) {
                return None;
            }
            let name = match &key.kind {
                Kind::Scalar(name) => name.clone(),
                _ => String::new(),
            };
            Some(ThemeError {
                message: format!(
                    "`colours.{name}` is `{written}`, which is not a colour like \"#12355b\""
                ),
                line: Some(value.span.line),
                column: Some(value.span.column),
            })
        })
        .collect()
}

/// A theme that cannot be used: what is wrong and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// The values a theme may give. Outside them the PDF is nonsense that no
/// reader would mistake for a briefing: text off the page, photos of no
/// width, coordinates that are not numbers (`.nan`). YAML reads `.nan`,
/// `.inf` and `-5` as numbers like any other, so each is checked here.
pub mod bounds {
    use std::ops::RangeInclusive;

    /// The left and right margins, in millimetres.
    pub const SIDE_MARGINS: RangeInclusive<f32> = 0.0..=100.0;
    /// The top and bottom margins, in millimetres: the running header and
    /// footer stand in them, and a smaller margin puts them off the page.
    pub const TOP_AND_BOTTOM_MARGINS: RangeInclusive<f32> = 10.0..=100.0;
    /// The share of the page's width, and of its height, the margins may
    /// take together: the rest is for text.
    pub const MARGINS_SHARE: f32 = 0.6;
    /// Font sizes, in points.
    pub const FONT_SIZES: RangeInclusive<f32> = 4.0..=72.0;
    /// The line height, in multiples of the font size.
    pub const LINE_HEIGHTS: RangeInclusive<f32> = 1.0..=3.0;
    /// The width of a counterpart's photo, in millimetres (a photo wider
    /// than the text is shrunk to it anyway).
    pub const PHOTO_WIDTHS: RangeInclusive<f32> = 5.0..=100.0;
    /// The width or height of the logo on the cover, in millimetres.
    pub const LOGO_SIZES: RangeInclusive<f32> = 5.0..=150.0;
    /// The share spacing may shrink by: beyond a half, paragraphs run
    /// together.
    pub const SHRINK: RangeInclusive<f32> = 0.0..=0.5;
}

/// A value of the theme outside its bounds: which one (its path in the
/// file, such as `page.margins.left`), and the rule it breaks.
struct Misfit {
    path: String,
    /// The value read, when one value is at fault (else the rule names the
    /// values together).
    value: Option<f32>,
    rule: String,
}

impl Misfit {
    fn value(path: impl Into<String>, value: f32, rule: String) -> Misfit {
        Misfit {
            path: path.into(),
            value: Some(value),
            rule,
        }
    }

    /// The error, located in the theme's text where a YAML pass can find the
    /// value, and quoting the value as it is written there (`.nan`, `-5`).
    fn located(self, text: &str) -> ThemeError {
        let node = crate::brief::yaml::parse(text)
            .ok()
            .flatten()
            .and_then(|root| find(&root, &self.path).cloned());
        let message = match self.value {
            Some(value) => {
                let written = match node.as_ref().map(|n| &n.kind) {
                    Some(Kind::Scalar(text)) => text.clone(),
                    _ => value.to_string(),
                };
                format!("`{}` is `{written}`, but {}", self.path, self.rule)
            }
            None => self.rule,
        };
        ThemeError {
            message,
            line: node.as_ref().map(|n| n.span.line),
            column: node.as_ref().map(|n| n.span.column),
        }
    }
}

/// The node at a dotted path of mapping keys (`page.margins.left`).
fn find<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    path.split('.')
        .try_fold(root, |node, key| match &node.kind {
            Kind::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, Kind::Scalar(name) if name == key))
                .map(|(_, value)| value),
            _ => None,
        })
}

/// Where the top-level key `key` is written.
fn key_span(text: &str, key: &str) -> Option<crate::diag::Span> {
    let root = crate::brief::yaml::parse(text).ok().flatten()?;
    let Kind::Mapping(entries) = &root.kind else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, Kind::Scalar(name) if name == key))
        .map(|(k, _)| k.span)
}

/// `126`, `129.5`: millimetres as a person writes them.
fn millimetres(value: f32) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    format!("{rounded}")
}

impl Theme {
    /// The theme, or every problem found in it, in the order of the file.
    /// A key serde cannot read (unknown, missing, of the wrong type) stops
    /// the reading: it is reported with the colours that are not colours,
    /// and the numbers are checked once it is put right.
    pub fn from_yaml(text: &str) -> Result<Theme, Vec<ThemeError>> {
        let read = serde_yaml::from_str::<Theme>(text);
        // Finding each colour's place means reading the text a second time,
        // with positions: done only when a colour is wrong, or when serde
        // stopped before it could tell.
        let mut problems = match &read {
            Ok(theme) if theme.colours.are_all_colours() => Vec::new(),
            _ => colour_problems(text),
        };
        match read {
            Ok(mut theme) => {
                if let Some(logo) = &mut theme.logo {
                    logo.key_span = key_span(text, "logo");
                }
                problems.extend(theme.check().into_iter().map(|misfit| misfit.located(text)));
                if problems.is_empty() {
                    return Ok(theme);
                }
            }
            Err(error) => {
                let full = error.to_string();
                let message = match full.find(" at line ") {
                    Some(i) => full[..i].to_string(),
                    None => full,
                };
                problems.push(ThemeError {
                    message,
                    line: error.location().map(|l| l.line()),
                    column: error.location().map(|l| l.column()),
                });
            }
        }
        // Stable: problems on one line stay in the order they were found.
        problems.sort_by_key(|problem| (problem.line.is_none(), problem.line, problem.column));
        Err(problems)
    }

    /// Every number within its [`bounds`]; each that is not is a misfit.
    fn check(&self) -> Vec<Misfit> {
        let mut misfits: Vec<Misfit> = Vec::new();
        let m = &self.page.margins;
        let top_and_bottom = "the top and bottom margins are millimetres";
        let header_and_footer = ", room for the running header and footer";
        let sides = "the left and right margins are millimetres";
        let mut margins_fit = true;
        for (path, value, range, what, why) in [
            (
                "page.margins.top",
                m.top,
                bounds::TOP_AND_BOTTOM_MARGINS,
                top_and_bottom,
                header_and_footer,
            ),
            (
                "page.margins.bottom",
                m.bottom,
                bounds::TOP_AND_BOTTOM_MARGINS,
                top_and_bottom,
                header_and_footer,
            ),
            ("page.margins.left", m.left, bounds::SIDE_MARGINS, sides, ""),
            (
                "page.margins.right",
                m.right,
                bounds::SIDE_MARGINS,
                sides,
                "",
            ),
        ] {
            if let Err(misfit) = within(path, value, range, what, why) {
                misfits.push(misfit);
                margins_fit = false;
            }
        }
        let (width, height) = self.page.size.points();
        let page = match self.page.size {
            PageSize::A4 => "A4",
            PageSize::Letter => "Letter",
        };
        let share = bounds::MARGINS_SHARE;
        // Margins each out of bounds are not also said to be too wide together.
        let dimensions = [
            ("width", [("left", m.left), ("right", m.right)], width),
            ("height", [("top", m.top), ("bottom", m.bottom)], height),
        ];
        for (dimension, [first, second], length) in dimensions.into_iter().filter(|_| margins_fit) {
            let most = length * share * 25.4 / 72.0;
            if first.1 + second.1 > most {
                misfits.push(Misfit {
                    path: "page.margins".into(),
                    value: None,
                    rule: format!(
                        "the margins leave less than {} % of the page's {dimension} for text: \
                         `{}` and `{}` are {} mm together, at most {} mm on {page}",
                        ((1.0 - share) * 100.0).round(),
                        first.0,
                        second.0,
                        millimetres(first.1 + second.1),
                        millimetres(most)
                    ),
                });
            }
        }
        let s = &self.sizes;
        for (name, size) in [
            ("body", s.body),
            ("small", s.small),
            ("table", s.table),
            ("h1", s.h1),
            ("h2", s.h2),
            ("h3", s.h3),
            ("cover_title", s.cover_title),
            ("cover_subtitle", s.cover_subtitle),
        ] {
            let path = format!("sizes.{name}");
            misfits
                .extend(within(&path, size, bounds::FONT_SIZES, "font sizes are points", "").err());
        }
        misfits.extend(
            within(
                "line_height",
                self.line_height,
                bounds::LINE_HEIGHTS,
                "the line height is a multiple of the font size",
                "",
            )
            .err(),
        );
        misfits.extend(
            within(
                "photo_width",
                self.photo_width,
                bounds::PHOTO_WIDTHS,
                "a photo's width is millimetres",
                "",
            )
            .err(),
        );
        if let Some(logo) = &self.logo {
            if logo.width.is_some() && logo.height.is_some() {
                misfits.push(Misfit {
                    path: "logo.height".into(),
                    value: None,
                    rule: "the logo takes a `width` or a `height`, not both: the other follows from its proportions".into(),
                });
            }
            for (path, value) in [("logo.width", logo.width), ("logo.height", logo.height)] {
                if let Some(value) = value {
                    misfits.extend(
                        within(
                            path,
                            value,
                            bounds::LOGO_SIZES,
                            "the logo's size is millimetres",
                            "",
                        )
                        .err(),
                    );
                }
            }
        }
        for (path, value) in [
            ("shrink.paragraphs", self.shrink.paragraphs),
            ("shrink.headings", self.shrink.headings),
        ] {
            misfits.extend(
                within(
                    path,
                    value,
                    bounds::SHRINK,
                    "spacing may shrink by a share",
                    "",
                )
                .err(),
            );
        }
        misfits
    }
}

/// `value` within `range`, or a misfit whose rule says "`what` from `start`
/// to `end``why`". A NaN lies in no range, so the test is "inside", never
/// "not outside".
fn within(
    path: &str,
    value: f32,
    range: RangeInclusive<f32>,
    what: &str,
    why: &str,
) -> Result<(), Misfit> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(Misfit::value(
        path,
        value,
        format!("{what} from {} to {}{why}", range.start(), range.end()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_reads() {
        let theme = Theme::from_yaml(include_str!("../../templates/theme.yaml")).unwrap();
        assert_eq!(theme.page.size, PageSize::A4);
        assert_eq!(theme.colours.heading, Color::from_hex("#12355b").unwrap());
    }

    #[test]
    fn every_bad_colour_is_located_at_its_own_line_with_the_other_problems() {
        let text = include_str!("../../templates/theme.yaml")
            .replace("\"#b3001b\"", "\"red\"")
            .replace("table_header: \"#e6ebf1\"", "table_header: 12")
            .replace("photo_width: 28", "photo_width: 0");
        let problems = Theme::from_yaml(&text).unwrap_err();
        let found: Vec<(&str, Option<usize>, Option<usize>)> = problems
            .iter()
            .map(|p| (p.message.as_str(), p.line, p.column))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "`photo_width` is `0`, but a photo's width is millimetres from 5 to 100",
                    Some(32),
                    Some(14)
                ),
                (
                    "`colours.marking` is `red`, which is not a colour like \"#12355b\"",
                    Some(38),
                    Some(12)
                ),
                (
                    "`colours.table_header` is `12`, which is not a colour like \"#12355b\"",
                    Some(41),
                    Some(17)
                ),
            ]
        );
    }

    /// The default theme with `from` replaced by `to`: its one problem.
    fn with(from: &str, to: &str) -> Result<Theme, ThemeError> {
        let text = include_str!("../../templates/theme.yaml");
        assert!(text.contains(from), "{from}");
        Theme::from_yaml(&text.replace(from, to)).map_err(|mut problems| {
            assert_eq!(problems.len(), 1, "{problems:?}");
            problems.remove(0)
        })
    }

    #[test]
    fn a_margin_that_is_not_a_number_is_located_as_written() {
        let error = with("left: 22", "left: .nan").unwrap_err();
        assert_eq!(
            error.message,
            "`page.margins.left` is `.nan`, but the left and right margins are millimetres from 0 to 100"
        );
        assert_eq!((error.line, error.column), (Some(8), Some(41)));
    }

    #[test]
    fn top_and_bottom_margins_leave_room_for_header_and_footer() {
        let error = with("bottom: 24", "bottom: 5").unwrap_err();
        assert_eq!(
            error.message,
            "`page.margins.bottom` is `5`, but the top and bottom margins are millimetres from 10 to 100, room for the running header and footer"
        );
    }

    #[test]
    fn margins_that_leave_no_column_are_refused() {
        let error = with("left: 22, right: 22", "left: 70, right: 70").unwrap_err();
        assert_eq!(
            error.message,
            "the margins leave less than 40 % of the page's width for text: `left` and `right` are 140 mm together, at most 126 mm on A4"
        );
        assert_eq!((error.line, error.column), (Some(8), Some(12)));
    }

    #[test]
    fn infinite_and_nan_sizes_and_line_heights_are_refused() {
        let error = with("h2: 12", "h2: .inf").unwrap_err();
        assert_eq!(
            error.message,
            "`sizes.h2` is `.inf`, but font sizes are points from 4 to 72"
        );
        assert_eq!((error.line, error.column), (Some(24), Some(7)));
        let error = with("line_height: 1.4", "line_height: .NaN").unwrap_err();
        assert_eq!(
            error.message,
            "`line_height` is `.NaN`, but the line height is a multiple of the font size from 1 to 3"
        );
    }

    #[test]
    fn a_photo_of_no_width_is_refused() {
        for width in ["0", "-28", ".nan"] {
            let error = with("photo_width: 28", &format!("photo_width: {width}")).unwrap_err();
            assert_eq!(
                error.message,
                format!(
                    "`photo_width` is `{width}`, but a photo's width is millimetres from 5 to 100"
                )
            );
        }
    }

    #[test]
    fn a_logo_takes_a_width_or_a_height_within_bounds() {
        let error = with(
            "shrink: { paragraphs: 0.4, headings: 0.25 }",
            "logo: { file: crest.svg, width: 30, height: 20 }",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "the logo takes a `width` or a `height`, not both: the other follows from its proportions"
        );
        let error = with(
            "shrink: { paragraphs: 0.4, headings: 0.25 }",
            "logo: { file: crest.svg, height: 400 }",
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "`logo.height` is `400`, but the logo's size is millimetres from 5 to 150"
        );
        let theme = with(
            "shrink: { paragraphs: 0.4, headings: 0.25 }",
            "logo: { file: crest.svg, height: 40, in_header: true }",
        )
        .unwrap();
        let logo = theme.logo.unwrap();
        assert!((logo.cover_width(0.5) - mm(20.0)).abs() < 0.01);
        assert!(logo.in_header);
    }

    #[test]
    fn spacing_shrinks_by_at_most_a_half() {
        let error = with("paragraphs: 0.4", "paragraphs: 0.6").unwrap_err();
        assert_eq!(
            error.message,
            "`shrink.paragraphs` is `0.6`, but spacing may shrink by a share from 0 to 0.5"
        );
        // A theme written before `shrink` existed reads, with the defaults.
        let theme = with("shrink: { paragraphs: 0.4, headings: 0.25 }", "").unwrap();
        assert_eq!(theme.shrink, Shrink::default());
    }

    #[test]
    fn values_at_their_bounds_are_accepted() {
        let theme = include_str!("../../templates/theme.yaml")
            .replace(
                "{ top: 24, bottom: 24, left: 22, right: 22 }",
                "{ top: 10, bottom: 100, left: 0, right: 100 }",
            )
            .replace("photo_width: 28", "photo_width: 5")
            .replace("body: 10", "body: 72")
            .replace("small: 8", "small: 4")
            .replace("line_height: 1.4", "line_height: 3");
        Theme::from_yaml(&theme).unwrap();
    }
}
