//! The look of the PDF: page, fonts, sizes, colours, header and footer.
//! Its default is `templates/theme.yaml`; users override it like a template.

use serde::de::{self, Deserializer};
use serde::Deserialize;

use super::Color;

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
    pub colours: Colours,
    pub header: String,
    pub footer_left: String,
    pub footer_right: String,
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

fn colour<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Color, D::Error> {
    let text = String::deserialize(deserializer)?;
    Color::from_hex(&text)
        .ok_or_else(|| de::Error::custom(format!("`{text}` is not a colour like \"#12355b\"")))
}

/// A theme that cannot be used: what is wrong and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Theme {
    pub fn from_yaml(text: &str) -> Result<Theme, ThemeError> {
        let theme: Theme = serde_yaml::from_str(text).map_err(|error| {
            let full = error.to_string();
            let message = match full.find(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            ThemeError {
                message,
                line: error.location().map(|l| l.line()),
                column: error.location().map(|l| l.column()),
            }
        })?;
        theme.check()?;
        Ok(theme)
    }

    fn check(&self) -> Result<(), ThemeError> {
        let fail = |message: String| {
            Err(ThemeError {
                message,
                line: None,
                column: None,
            })
        };
        let (width, height) = self.page.size.points();
        let m = &self.page.margins;
        if mm(m.left + m.right) > width * 0.6 || mm(m.top + m.bottom) > height * 0.6 {
            return fail("the margins leave less than 40 % of the page for text".into());
        }
        let sizes = [
            self.sizes.body,
            self.sizes.small,
            self.sizes.table,
            self.sizes.h1,
            self.sizes.h2,
            self.sizes.h3,
            self.sizes.cover_title,
            self.sizes.cover_subtitle,
        ];
        if sizes.iter().any(|&s| !(4.0..=72.0).contains(&s)) {
            return fail("font sizes must lie between 4 and 72 points".into());
        }
        if !(1.0..=3.0).contains(&self.line_height) {
            return fail("`line_height` must lie between 1 and 3".into());
        }
        Ok(())
    }
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
    fn a_bad_colour_is_located() {
        let text = include_str!("../../templates/theme.yaml").replace("\"#b3001b\"", "\"red\"");
        let error = Theme::from_yaml(&text).unwrap_err();
        assert!(error.message.contains("`red` is not a colour"), "{error:?}");
        assert!(error.line.is_some());
    }
}
