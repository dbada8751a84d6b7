//! Typesetting: Markdown to pages of positioned items.
//!
//! [`markdown`] parses the document into blocks; [`layout`] sets each block
//! ([`paragraph`] breaks lines with [`linebreak`], shaped by [`fonts`]),
//! stacks the results into a flow and cuts the flow into pages, keeping
//! headings with what follows, avoiding lone first and last lines, and
//! repeating table headers. The result, a [`Document`], is plain data: the
//! PDF writer draws it and decides nothing.
//!
//! All lengths are in points (1/72 inch), measured from the top-left corner
//! of the page, y growing downwards.

pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod markdown;
pub mod paragraph;
pub mod structure;
pub mod theme;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hyphenation::{Hyphenator as _, Load, Standard};

use crate::i18n::Language;
pub use layout::{typeset, Binder, Furniture, Logo, PackMarking, Part, Setup};
pub use paragraph::{Direction, PlacedGlyph, Run, Style};
pub use structure::{Mark, Node, NodeId, Role, Structure};
pub use theme::Theme;

/// A length in points.
pub type Pt = f32;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

impl Color {
    pub const BLACK: Color = Color {
        r: 0.0,
        g: 0.0,
        b: 0.0,
    };

    /// `#rrggbb`.
    pub fn from_hex(text: &str) -> Option<Color> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |i: usize| {
            u8::from_str_radix(&hex[i..i + 2], 16)
                .ok()
                .map(|v| v as f32 / 255.0)
        };
        Some(Color {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
        })
    }
}

/// The laid-out document.
#[derive(Debug, Clone)]
pub struct Document {
    pub width: Pt,
    pub height: Pt,
    pub pages: Vec<Page>,
    /// Every heading outside the cover, in order, with where it landed.
    pub headings: Vec<Heading>,
    /// What the pages are made of, for a tagged PDF: the items of each page
    /// say which of its nodes they belong to.
    pub structure: Structure,
    pub warnings: Vec<Warning>,
}

impl Document {
    /// About how much memory its pages and structure hold (their items,
    /// glyphs and the glyphs' text; images are shared, not counted): what a
    /// pack weighs when it keeps a set brief instead of setting it again.
    pub fn weight(&self) -> usize {
        let items: usize = self
            .pages
            .iter()
            .flat_map(|page| &page.items)
            .map(|item| {
                let glyphs = match item {
                    Item::Text { run, .. } | Item::TurnedText { run, .. } => run.glyphs.len(),
                    _ => 0,
                };
                std::mem::size_of::<Item>() + glyphs * (std::mem::size_of::<PlacedGlyph>() + 2)
            })
            .sum();
        items + self.structure.nodes.len() * std::mem::size_of::<Node>()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
    /// A cover: it carries no running header or footer.
    pub cover: bool,
}

/// What a page shows, in reading order. Every item that draws stands
/// between a [`Item::Start`] and an [`Item::End`], which never nest.
#[derive(Debug, Clone)]
pub enum Item {
    /// The items up to the next [`Item::End`] are this.
    Start(Mark),
    End,
    /// A run of glyphs whose baseline starts at (`x`, `baseline`).
    Text {
        x: Pt,
        baseline: Pt,
        run: Run,
    },
    /// A run of glyphs turned `degrees` anticlockwise about the start of
    /// its baseline (a draft's watermark).
    TurnedText {
        x: Pt,
        baseline: Pt,
        degrees: f32,
        run: Run,
    },
    Rect {
        x: Pt,
        y: Pt,
        width: Pt,
        height: Pt,
        color: Color,
    },
    Line {
        x1: Pt,
        y1: Pt,
        x2: Pt,
        y2: Pt,
        width: Pt,
        color: Color,
    },
    /// An image, decoded and ready to embed: the document holds it, so that
    /// drawing reads no file.
    Image {
        image: Arc<crate::images::Image>,
        x: Pt,
        y: Pt,
        width: Pt,
        height: Pt,
    },
    Link {
        x: Pt,
        y: Pt,
        width: Pt,
        height: Pt,
        target: Target,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Uri(String),
    /// The heading of this index in [`Document::headings`].
    Heading(usize),
    /// The top of a page of the document, 0-based.
    Page(usize),
}

impl Target {
    /// Where a link in the Markdown goes: `#page=N` is page N of the
    /// document (a pack's list of briefs links to each), anything else a URI.
    pub fn of_link(uri: &str) -> Target {
        match uri.strip_prefix("#page=").map(str::parse::<usize>) {
            Some(Ok(page)) => Target::Page(page.saturating_sub(1)),
            _ => Target::Uri(uri.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// With its number, when headings are numbered: `2.1 Programme`.
    pub title: String,
    pub level: u8,
    /// 0-based.
    pub page: usize,
    /// The top of the heading's first line.
    pub y: Pt,
}

/// Something the reader should know, that does not stop the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// No font of the theme has this character: it shows as the replacement
    /// character �.
    MissingGlyph { character: char, context: String },
}

/// Why a document could not be laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum TypesetError {
    /// An image written in a template that cannot be used: the file, what
    /// is wrong and how to put it right.
    Image {
        path: PathBuf,
        message: String,
        help: String,
    },
}

/// A language's hyphenation patterns (Knuth–Liang, from TeX), with the
/// points found for each word so far: a briefing repeats its words, and
/// looking a word up in the patterns costs more than setting it.
pub struct Hyphenator {
    patterns: Standard,
    known: Mutex<HashMap<String, Arc<[usize]>>>,
}

impl Hyphenator {
    /// The patterns of a language, if it is hyphenated: Arabic is not
    /// (its lines are justified by other means, and a broken word is not
    /// how Arabic is written).
    pub fn for_language(language: Language) -> Option<Hyphenator> {
        let (lang, bytes): (hyphenation::Language, &[u8]) = match language {
            Language::En => (
                hyphenation::Language::EnglishGB,
                include_bytes!("hyphenation/en-gb.standard.bincode"),
            ),
            Language::De => (
                hyphenation::Language::German1996,
                include_bytes!("hyphenation/de-1996.standard.bincode"),
            ),
            Language::Fr => (
                hyphenation::Language::French,
                include_bytes!("hyphenation/fr.standard.bincode"),
            ),
            Language::Ar => return None,
        };
        Some(Hyphenator {
            patterns: Standard::from_reader(lang, &mut &bytes[..])
                .expect("embedded dictionaries load (tested)"),
            known: Mutex::new(HashMap::new()),
        })
    }

    /// The patterns of a hyphenated language (tests).
    pub fn new(language: Language) -> Hyphenator {
        Hyphenator::for_language(language).expect("a hyphenated language")
    }

    /// Byte offsets in `word` where it may be hyphenated.
    pub fn points(&self, word: &str) -> Arc<[usize]> {
        if let Some(points) = self.known.lock().expect("hyphenation cache").get(word) {
            return points.clone();
        }
        let points: Arc<[usize]> = self.patterns.hyphenate(word).breaks.into();
        self.known
            .lock()
            .expect("hyphenation cache")
            .insert(word.to_string(), points.clone());
        points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dictionary_loads() {
        for language in Language::ALL {
            assert_eq!(
                Hyphenator::for_language(language).is_some(),
                language != Language::Ar
            );
        }
    }
}
