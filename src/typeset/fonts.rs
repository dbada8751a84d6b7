//! The fonts text is set in: shaping (with kerning and ligatures), and what
//! each font can and cannot show.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::files::ReadError;

/// The five faces a document uses. The bundled defaults are Noto Sans and
/// Noto Sans Mono; a theme may name other TTF/OTF files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
    Mono,
}

impl Face {
    pub const ALL: [Face; 5] = [
        Face::Regular,
        Face::Bold,
        Face::Italic,
        Face::BoldItalic,
        Face::Mono,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn styled(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }
}

/// The bundled fonts, embedded in the binary.
pub const BUNDLED: [(&str, &[u8]); 5] = [
    (
        "NotoSans-Regular",
        include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSans-Bold",
        include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    ),
    (
        "NotoSans-Italic",
        include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    ),
    (
        "NotoSans-BoldItalic",
        include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"),
    ),
    (
        "NotoSansMono-Regular",
        include_bytes!("../../fonts/NotoSansMono-Regular.ttf"),
    ),
];

/// A theme's font that cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct FontError {
    pub path: std::path::PathBuf,
    pub reason: String,
    /// What to do about it.
    pub help: String,
}

/// The largest font file a theme may name. A CJK font, the largest a
/// briefing is likely to need, is about 20 MB; all five faces are held in
/// memory for the whole run.
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

const WHERE_FONTS_ARE: &str =
    "font paths in the theme are relative to the theme's folder; `bundled` uses Noto Sans";

/// One shaped glyph. Advances are in em, so that one shaping serves every
/// size.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub advance: f32,
    /// The characters this glyph stands for (several for a ligature; `None`
    /// for the second and later glyphs of one character).
    pub text: Option<Arc<str>>,
}

/// A loaded font: its bytes (for embedding) and its face (for shaping).
pub struct Font {
    pub name: String,
    pub bytes: &'static [u8],
    face: rustybuzz::Face<'static>,
    units_per_em: f32,
    /// Height above and depth below the baseline, in em.
    pub ascender: f32,
    pub descender: f32,
}

impl Font {
    /// Loads a font from bytes that live as long as the program (the bundled
    /// fonts, or a theme's font read once and kept).
    pub fn load(name: &str, bytes: &'static [u8]) -> Option<Font> {
        let face = rustybuzz::Face::from_slice(bytes, 0)?;
        let units_per_em = face.units_per_em() as f32;
        Some(Font {
            name: name.to_string(),
            bytes,
            ascender: face.ascender() as f32 / units_per_em,
            descender: -(face.descender() as f32) / units_per_em,
            face,
            units_per_em,
        })
    }

    pub fn has_char(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// The font's tables (metrics, advances, names), for embedding it.
    pub fn tables(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }
}

/// The document's fonts, with a cache of shaped words: a briefing repeats
/// its words, and shaping is the dearest step of setting a line.
pub struct Fonts {
    fonts: [Font; 5],
    /// Shaped words, by face.
    cache: [Mutex<HashMap<String, Arc<[Glyph]>>>; 5],
    /// Shaping plans, by face, script and direction: making one costs more
    /// than shaping a word with it.
    plans: Mutex<HashMap<PlanKey, Arc<rustybuzz::ShapePlan>>>,
}

type PlanKey = (Face, rustybuzz::Script, bool);

impl Fonts {
    pub fn new(fonts: [Font; 5]) -> Fonts {
        Fonts {
            fonts,
            cache: Default::default(),
            plans: Mutex::new(HashMap::new()),
        }
    }

    /// The fonts a theme names: `bundled`, or a TrueType/OpenType file whose
    /// path is relative to `dir` (the theme's folder).
    pub fn from_theme(
        files: &super::theme::FontFiles,
        dir: &std::path::Path,
    ) -> Result<Fonts, FontError> {
        let named = [
            &files.regular,
            &files.bold,
            &files.italic,
            &files.bold_italic,
            &files.mono,
        ];
        let mut fonts = Vec::with_capacity(5);
        for (face, name) in Face::ALL.into_iter().zip(named) {
            let (bundled_name, bundled_bytes) = BUNDLED[face.index()];
            if name == "bundled" {
                fonts.push(Font::load(bundled_name, bundled_bytes).expect("bundled fonts parse"));
                continue;
            }
            let path = dir.join(name);
            // Bounded, and never a device or a pipe: `/dev/zero` would be read
            // until memory runs out, a FIFO waited on forever.
            let bytes = crate::files::read_input(&path, MAX_FONT_BYTES).map_err(|error| {
                let help = match error {
                    ReadError::TooLarge { .. } => format!(
                        "a theme's font may be at most {} (a CJK font is about 20 MB); `bundled` uses Noto Sans",
                        crate::files::size(MAX_FONT_BYTES)
                    ),
                    _ => WHERE_FONTS_ARE.into(),
                };
                FontError {
                    path: path.clone(),
                    reason: error.to_string(),
                    help,
                }
            })?;
            // Read once per run and used to its end: the shaper borrows it.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().replace(' ', ""))
                .unwrap_or_default();
            fonts.push(Font::load(&stem, bytes).ok_or_else(|| FontError {
                path: path.clone(),
                reason: "not a TrueType or OpenType font".into(),
                help: WHERE_FONTS_ARE.into(),
            })?);
        }
        let fonts: [Font; 5] = fonts.try_into().ok().expect("five faces");
        Ok(Fonts::new(fonts))
    }

    /// The bundled Noto fonts.
    pub fn bundled() -> Fonts {
        Fonts::new(
            BUNDLED.map(|(name, bytes)| Font::load(name, bytes).expect("bundled fonts parse")),
        )
    }

    pub fn font(&self, face: Face) -> &Font {
        &self.fonts[face.index()]
    }

    /// Shapes `text` in `face`: glyphs with kerning and ligatures applied.
    pub fn shape(&self, face: Face, text: &str) -> Arc<[Glyph]> {
        let cache = &self.cache[face.index()];
        if let Some(glyphs) = cache.lock().expect("cache lock").get(text) {
            return glyphs.clone();
        }
        let glyphs: Arc<[Glyph]> = self.shape_uncached(face, text).into();
        cache
            .lock()
            .expect("cache lock")
            .insert(text.to_string(), glyphs.clone());
        glyphs
    }

    fn shape_uncached(&self, face: Face, text: &str) -> Vec<Glyph> {
        let font = self.font(face);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let direction = buffer.direction();
        let key = (
            face,
            buffer.script(),
            direction == rustybuzz::Direction::RightToLeft,
        );
        let plan = self
            .plans
            .lock()
            .expect("plan lock")
            .entry(key)
            .or_insert_with(|| {
                Arc::new(rustybuzz::ShapePlan::new(
                    &font.face,
                    direction,
                    Some(key.1),
                    None,
                    &[],
                ))
            })
            .clone();
        let shaped = rustybuzz::shape_with_plan(&font.face, &plan, buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // Where the text of each glyph's cluster ends: at the start of the
        // next glyph's cluster, found from the end in one pass (searching
        // forward from each glyph took time n² for one character with n
        // combining marks, a cluster of n glyphs).
        let mut ends = vec![text.len(); infos.len()];
        for i in (0..infos.len().saturating_sub(1)).rev() {
            ends[i] = if infos[i + 1].cluster != infos[i].cluster {
                infos[i + 1].cluster as usize
            } else {
                ends[i + 1]
            };
        }
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, position)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
            let end = ends[i];
            glyphs.push(Glyph {
                id: info.glyph_id as u16,
                advance: position.x_advance as f32 / font.units_per_em,
                text: first_of_cluster.then(|| text[start..end].into()),
            });
        }
        glyphs
    }

    /// The characters of `text` that no glyph of `face` can show.
    pub fn missing(&self, face: Face, text: &str) -> Vec<char> {
        let font = self.font(face);
        let mut missing: Vec<char> = text
            .chars()
            .filter(|&c| !c.is_control() && !font.has_char(c))
            .collect();
        missing.dedup();
        missing
    }
}

/// The width of shaped glyphs, in em.
pub fn width(glyphs: &[Glyph]) -> f32 {
    glyphs.iter().map(|g| g.advance).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_narrows_av() {
        let fonts = Fonts::bundled();
        let pair = width(&fonts.shape(Face::Regular, "AV"));
        let apart =
            width(&fonts.shape(Face::Regular, "A")) + width(&fonts.shape(Face::Regular, "V"));
        assert!(
            pair < apart,
            "AV {pair} should be narrower than A + V {apart}"
        );
    }

    #[test]
    fn every_glyph_knows_its_text() {
        let fonts = Fonts::bundled();
        let glyphs = fonts.shape(Face::Regular, "Straße Москва Αθήνα Việt");
        let text: String = glyphs.iter().filter_map(|g| g.text.as_deref()).collect();
        assert_eq!(text, "Straße Москва Αθήνα Việt");
        assert!(glyphs.iter().all(|g| g.id != 0));
    }

    #[test]
    fn missing_characters_are_named() {
        let fonts = Fonts::bundled();
        assert_eq!(fonts.missing(Face::Regular, "Tokyo 東京"), vec!['東', '京']);
    }
}
