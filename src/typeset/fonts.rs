//! The fonts text is set in: shaping (with kerning and ligatures), and what
//! each font can and cannot show.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use unicode_script::{Script, UnicodeScript};

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

/// The fonts a character the theme's fonts lack is taken from, bundled:
/// regular and bold of Noto Sans Arabic (Arabic, Persian, Urdu) and Noto
/// Sans Hebrew.
pub const BUNDLED_FALLBACKS: [(&str, &[u8], Weight); 4] = [
    (
        "NotoSansArabic-Regular",
        include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
        Weight::Regular,
    ),
    (
        "NotoSansArabic-Bold",
        include_bytes!("../../fonts/NotoSansArabic-Bold.ttf"),
        Weight::Bold,
    ),
    (
        "NotoSansHebrew-Regular",
        include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf"),
        Weight::Regular,
    ),
    (
        "NotoSansHebrew-Bold",
        include_bytes!("../../fonts/NotoSansHebrew-Bold.ttf"),
        Weight::Bold,
    ),
];

/// Whether a fallback font is for regular or bold text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Face {
    fn weight(self) -> Weight {
        match self {
            Face::Bold | Face::BoldItalic => Weight::Bold,
            _ => Weight::Regular,
        }
    }
}

/// A font of the document by its place in the font book: the theme's five
/// faces are `0`–`4` (in the order of [`Face::ALL`]), the fallbacks follow in
/// the order they are tried. The PDF names each font by it, so a document
/// whose text needs no fallback is written as it always was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

impl FontId {
    pub fn of_face(face: Face) -> FontId {
        FontId(face.index() as u16)
    }
}

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
    /// The font the glyph is drawn from.
    pub font: FontId,
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
    /// The face's number in its file (a collection, `.ttc`, holds several).
    pub index: u32,
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
        Font::load_face(name, bytes, 0)
    }

    /// Loads face `index` of a font file (or collection).
    pub fn load_face(name: &str, bytes: &'static [u8], index: u32) -> Option<Font> {
        let face = rustybuzz::Face::from_slice(bytes, index)?;
        let units_per_em = face.units_per_em() as f32;
        Some(Font {
            name: name.to_string(),
            bytes,
            index,
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
///
/// Besides the theme's five faces, the book holds the fallback chain a
/// character the face lacks is looked for in, in this order: the bundled
/// Noto Sans Arabic and Hebrew, then the fonts installed on the system
/// (found with `fontdb` the first time a character is in none of the
/// others, so a brief in Latin script never scans the system).
pub struct Fonts {
    fonts: [Font; 5],
    bundled_fallbacks: [OnceLock<Font>; 4],
    /// The fallbacks the user names, tried before the bundled ones: the
    /// theme's `fonts.fallbacks`, then the fonts of each `--font-path` folder.
    chosen: FontList,
    system: OnceLock<FontList>,
    /// Shaped words, by face.
    cache: [Mutex<HashMap<String, Arc<[Glyph]>>>; 5],
    /// Shaped words of Chinese, Japanese or Korean paragraphs, by face and
    /// language.
    cjk_cache: Mutex<HashMap<InLanguage, Arc<[Glyph]>>>,
    /// Shaping plans, by font, script and direction: making one costs more
    /// than shaping a word with it.
    plans: Mutex<HashMap<PlanKey, Arc<rustybuzz::ShapePlan>>>,
}

type PlanKey = (FontId, rustybuzz::Script, bool, Option<&'static str>);

/// A word shaped for a language: its face, the language, the word.
type InLanguage = (Face, &'static str, String);

/// Fonts found in files: those installed on the system, or those the user
/// names, in a fixed order (for the system's, by file and face number, not
/// the order the folders were read in), each loaded when first chosen.
struct FontList {
    database: fontdb::Database,
    faces: Vec<ListedFace>,
    /// For each character looked for, the fonts (by place in `faces`) that
    /// have it, regular and bold: the answer of a scan of every face.
    found: Mutex<HashMap<char, [Option<usize>; 2]>>,
}

struct ListedFace {
    path: PathBuf,
    index: u32,
    family: String,
    bold: bool,
    font: OnceLock<Option<Font>>,
    /// The face's tables, mapped and parsed the first time a character is
    /// looked for in it, so that each further one is a look in its `cmap`,
    /// not a new mapping and parse of the file (`None`: not a font we take).
    tables: OnceLock<Option<ttf_parser::Face<'static>>>,
}

/// The largest system font file loaded as a fallback (the CJK collections
/// are about 20 MB).
const MAX_SYSTEM_FONT_BYTES: u64 = 64 * 1024 * 1024;

impl FontList {
    fn empty() -> FontList {
        FontList::of(fontdb::Database::new(), false)
    }

    fn scan() -> FontList {
        let mut database = fontdb::Database::new();
        database.load_system_fonts();
        FontList::of(database, true)
    }

    /// The faces of `database`, sorted by file if `by_file` (else in the
    /// order they were loaded, which is the order the user gave).
    fn of(database: fontdb::Database, by_file: bool) -> FontList {
        let mut faces: Vec<ListedFace> = database
            .faces()
            .filter_map(|face| {
                let fontdb::Source::File(path) = &face.source else {
                    return None;
                };
                Some(ListedFace {
                    path: path.clone(),
                    index: face.index,
                    family: face
                        .families
                        .first()
                        .map(|(name, _)| name.clone())
                        .unwrap_or_default(),
                    bold: face.weight.0 >= 600,
                    font: OnceLock::new(),
                    tables: OnceLock::new(),
                })
            })
            .collect();
        if by_file {
            faces.sort_by(|a, b| (&a.path, a.index).cmp(&(&b.path, b.index)));
        }
        FontList {
            database,
            faces,
            found: Mutex::new(HashMap::new()),
        }
    }

    /// The first face (by place) that has `c`, of the weight asked for if
    /// one has it.
    fn with_char(&self, c: char, weight: Weight) -> Option<usize> {
        let found = *self
            .found
            .lock()
            .expect("system font lock")
            .entry(c)
            .or_insert_with(|| {
                let mut first = [None, None];
                for (place, face) in self.faces.iter().enumerate() {
                    let slot = usize::from(face.bold);
                    if first[slot].is_some() {
                        continue;
                    }
                    if self.covers(face, c) {
                        first[slot] = Some(place);
                        if first.iter().all(Option::is_some) {
                            break;
                        }
                    }
                }
                first
            });
        let [regular, bold] = found;
        match weight {
            Weight::Bold => bold.or(regular),
            Weight::Regular => regular.or(bold),
        }
    }

    /// Whether `face` has a glyph for `c`.
    fn covers(&self, face: &ListedFace, c: char) -> bool {
        face.tables
            .get_or_init(|| {
                let bytes = crate::files::map_font(&face.path, MAX_SYSTEM_FONT_BYTES).ok()?;
                ttf_parser::Face::parse(bytes, face.index).ok()
            })
            .as_ref()
            .is_some_and(|tables| tables.glyph_index(c).is_some())
    }

    fn font(&self, place: usize) -> Option<&Font> {
        let face = &self.faces[place];
        face.font
            .get_or_init(|| {
                let bytes = crate::files::map_font(&face.path, MAX_SYSTEM_FONT_BYTES).ok()?;
                let name = face.family.replace(' ', "");
                Font::load_face(&name, bytes, face.index)
            })
            .as_ref()
    }
}

/// Where the font a family comes from, for `briefing fonts`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FontSource {
    pub family: String,
    /// `theme`, `bundled` or the system file's path.
    pub origin: String,
}

impl Fonts {
    pub fn new(fonts: [Font; 5]) -> Fonts {
        Fonts {
            fonts,
            bundled_fallbacks: Default::default(),
            chosen: FontList::empty(),
            system: OnceLock::new(),
            cache: Default::default(),
            cjk_cache: Mutex::new(HashMap::new()),
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
            let bytes = crate::files::map_font(&path, MAX_FONT_BYTES).map_err(|error| {
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

    /// Adds fallback fonts the user names, tried before the bundled ones and
    /// after any added before: `files` first (the theme's
    /// `fonts.fallbacks`), in their order, then every font file (`.ttf`,
    /// `.otf`, `.ttc`, `.otc`) in each of `folders`, by file name. Called
    /// before anything is shaped: only their names are read now, each font
    /// itself when a character first needs it.
    pub fn add_fallbacks(
        &mut self,
        files: &[PathBuf],
        folders: &[PathBuf],
    ) -> Result<(), FontError> {
        let mut database = std::mem::take(&mut self.chosen.database);
        for file in files {
            // Bounded like a theme's font: never a pipe or a device.
            crate::files::open_input(file, MAX_FONT_BYTES).map_err(|error| FontError {
                path: file.clone(),
                reason: error.to_string(),
                help: WHERE_FONTS_ARE.into(),
            })?;
            let before = database.len();
            let _ = database.load_font_file(file);
            if database.len() == before {
                return Err(FontError {
                    path: file.clone(),
                    reason: "not a TrueType or OpenType font".into(),
                    help: WHERE_FONTS_ARE.into(),
                });
            }
        }
        for folder in folders {
            let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
                .map_err(|error| FontError {
                    path: folder.clone(),
                    reason: crate::io_reason(&error),
                    help: "`--font-path` names a folder of font files".into(),
                })?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| {
                    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str())
                    })
                })
                .filter(|path| path.is_file())
                .collect();
            found.sort();
            for file in found {
                let _ = database.load_font_file(&file);
            }
        }
        self.chosen = FontList::of(database, false);
        Ok(())
    }

    /// Every family the book can use and where it comes from, in the order
    /// they are tried: the theme's faces, the user's fallbacks, the bundled
    /// fallbacks, the system's fonts.
    pub fn sources(&self) -> Vec<FontSource> {
        let mut sources: Vec<FontSource> = Vec::new();
        let mut add = |family: String, origin: String| {
            if !sources
                .iter()
                .any(|s| s.family == family && s.origin == origin)
            {
                sources.push(FontSource { family, origin });
            }
        };
        for font in &self.fonts {
            let family = family_name(font);
            let origin = if BUNDLED
                .iter()
                .any(|(_, bytes)| bytes.as_ptr() == font.bytes.as_ptr())
            {
                "bundled".to_string()
            } else {
                "theme".to_string()
            };
            add(family, origin);
        }
        for face in &self.chosen.faces {
            add(face.family.clone(), face.path.display().to_string());
        }
        for (place, slot) in self.bundled_fallbacks.iter().enumerate() {
            add(
                family_name(self.bundled_fallback(slot, place)),
                "bundled (fallback)".into(),
            );
        }
        let system = self.system.get_or_init(FontList::scan);
        for face in &system.faces {
            add(face.family.clone(), face.path.display().to_string());
        }
        sources
    }

    /// Leaves the fonts installed on the system out of the chain: text is
    /// then set the same on every machine, from the theme's, the chosen
    /// and the bundled fonts alone.
    pub fn ignore_system_fonts(&mut self) {
        self.system = OnceLock::from(FontList::empty());
    }

    /// A font of the book by its handle.
    pub fn by_id(&self, id: FontId) -> &Font {
        let i = id.0 as usize;
        if i < 5 {
            return &self.fonts[i];
        }
        if let Some(slot) = self.bundled_fallbacks.get(i - 5) {
            return self.bundled_fallback(slot, i - 5);
        }
        let i = i - 5 - BUNDLED_FALLBACKS.len();
        if i < self.chosen.faces.len() {
            return self
                .chosen
                .font(i)
                .expect("a font id is only made for a font that loaded");
        }
        self.system
            .get()
            .and_then(|system| system.font(i - self.chosen.faces.len()))
            .expect("a font id is only made for a font that loaded")
    }

    fn bundled_fallback<'a>(&self, slot: &'a OnceLock<Font>, place: usize) -> &'a Font {
        slot.get_or_init(|| {
            let (name, bytes, _) = BUNDLED_FALLBACKS[place];
            Font::load(name, bytes).expect("bundled fonts parse (tested)")
        })
    }

    /// The font for `c` in text of `face`: the face itself if it has it,
    /// else the first of the fallback chain that does (of the face's weight
    /// where there is one), else the face (which draws its box for it).
    fn font_for(&self, face: Face, c: char) -> FontId {
        let primary = FontId::of_face(face);
        if self.fonts[face.index()].has_char(c) {
            return primary;
        }
        let weight = face.weight();
        let first_chosen = 5 + BUNDLED_FALLBACKS.len();
        if let Some(place) = self
            .chosen
            .with_char(c, weight)
            .filter(|&place| self.chosen.font(place).is_some())
        {
            return FontId((first_chosen + place) as u16);
        }
        let mut any_weight = None;
        for (place, slot) in self.bundled_fallbacks.iter().enumerate() {
            let font = self.bundled_fallback(slot, place);
            if font.has_char(c) {
                let id = FontId((5 + place) as u16);
                if BUNDLED_FALLBACKS[place].2 == weight {
                    return id;
                }
                any_weight.get_or_insert(id);
            }
        }
        if let Some(id) = any_weight {
            return id;
        }
        let system = self.system.get_or_init(FontList::scan);
        system
            .with_char(c, weight)
            .filter(|&place| system.font(place).is_some())
            .map_or(primary, |place| {
                FontId((first_chosen + self.chosen.faces.len() + place) as u16)
            })
    }

    /// Whether any font of the book can show `c`.
    pub fn can_show(&self, face: Face, c: char) -> bool {
        let id = self.font_for(face, c);
        self.by_id(id).has_char(c)
    }

    /// Shapes `text` in `face`: glyphs with kerning and ligatures applied,
    /// each from the face or, for characters it lacks, from the fallback
    /// chain. Right-to-left text (Arabic, Hebrew) comes out in the order it
    /// is drawn, left to right.
    pub fn shape(&self, face: Face, text: &str) -> Arc<[Glyph]> {
        let cache = &self.cache[face.index()];
        if let Some(glyphs) = cache.lock().expect("cache lock").get(text) {
            return glyphs.clone();
        }
        let glyphs: Arc<[Glyph]> = self.shape_uncached(face, text, None).into();
        cache
            .lock()
            .expect("cache lock")
            .insert(text.to_string(), glyphs.clone());
        glyphs
    }

    /// [`Fonts::shape`] for a text met once, not kept for the next time: a
    /// pack's page numbers ("Page 1234 of 50012"), which the cache kept by
    /// the hundred thousand.
    pub fn shape_once(&self, face: Face, text: &str) -> Arc<[Glyph]> {
        self.shape_uncached(face, text, None).into()
    }

    /// [`Fonts::shape`] for a word of a paragraph whose Chinese, Japanese or
    /// Korean is in `language` (see [`cjk_language`]): a paragraph breaks
    /// between such characters, so each is shaped alone, and only the
    /// paragraph tells `直` in Japanese from `直` in Chinese.
    pub fn shape_in(&self, face: Face, text: &str, language: Option<&'static str>) -> Arc<[Glyph]> {
        let Some(language) = language else {
            return self.shape(face, text);
        };
        let key = (face, language, text.to_string());
        if let Some(glyphs) = self.cjk_cache.lock().expect("cache lock").get(&key) {
            return glyphs.clone();
        }
        let glyphs: Arc<[Glyph]> = self.shape_uncached(face, text, Some(language)).into();
        self.cjk_cache
            .lock()
            .expect("cache lock")
            .insert(key, glyphs.clone());
        glyphs
    }

    fn shape_uncached(&self, face: Face, text: &str, language: Option<&'static str>) -> Vec<Glyph> {
        let primary = FontId::of_face(face);
        // The glyphs of Chinese, Japanese or Korean are chosen for the
        // language of the paragraph, or of the whole text (`直` takes its
        // Japanese form beside kana), not of each run of one script.
        let language = language.or_else(|| cjk_language(text));
        if !has_right_to_left(text) {
            let glyphs = self.shape_with(primary, text, None, language);
            if glyphs.iter().all(|g| g.id != 0) {
                return glyphs;
            }
            return self.shape_by_script(face, text, None, language);
        }
        // Right-to-left letters: the text's own direction (its first strong
        // character's) orders its level runs (UAX #9), each shaped in its
        // direction, so that a number in Arabic text reads `2025`, not
        // `5202`, and a bracket is mirrored.
        let info = unicode_bidi::ParagraphBidiInfo::new(text, None);
        let (levels, runs) = info.visual_runs(0..text.len());
        let mut glyphs = Vec::new();
        for run in runs {
            let direction = if levels[run.start].is_rtl() {
                rustybuzz::Direction::RightToLeft
            } else {
                rustybuzz::Direction::LeftToRight
            };
            glyphs.extend(self.shape_by_script(face, &text[run], Some(direction), language));
        }
        glyphs
    }

    /// Shapes `text`, of one direction when `direction` is given, font run
    /// by font run: glyphs in the order they are drawn.
    fn shape_by_script(
        &self,
        face: Face,
        text: &str,
        direction: Option<rustybuzz::Direction>,
        language: Option<&'static str>,
    ) -> Vec<Glyph> {
        let primary = FontId::of_face(face);
        let mut runs: Vec<Vec<Glyph>> = Vec::new();
        // Some character is not in the face: the text is cut into runs of
        // one script (spaces, digits and punctuation go with their
        // neighbours, marks with their letter), and each run is set in the
        // first font of the chain that has all of it, so that an Arabic word
        // is never half in one font and half in another. A run no one font
        // covers is set character by character.
        for run in script_runs(text) {
            let piece = &text[run.clone()];
            let whole = piece
                .chars()
                .find(|c| !is_common(*c))
                .map_or(primary, |c| self.font_for(face, c));
            if piece
                .chars()
                .all(|c| is_invisible(c) || self.by_id(whole).has_char(c))
            {
                runs.push(self.shape_with(whole, piece, direction, language));
                continue;
            }
            for (font, range) in font_runs(piece, |c| self.font_for(face, c)) {
                runs.push(self.shape_with(font, &piece[range], direction, language));
            }
        }
        // Right to left, the first run in the text is drawn last.
        if direction == Some(rustybuzz::Direction::RightToLeft) {
            runs.reverse();
        }
        runs.concat()
    }

    /// Shapes `text` in one font, in `direction` (else the one its script
    /// has).
    fn shape_with(
        &self,
        id: FontId,
        text: &str,
        direction: Option<rustybuzz::Direction>,
        language: Option<&'static str>,
    ) -> Vec<Glyph> {
        let font = self.by_id(id);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        if let Some(direction) = direction {
            buffer.set_direction(direction);
        }
        let tag = language.and_then(|tag| tag.parse::<rustybuzz::Language>().ok());
        if let Some(tag) = &tag {
            buffer.set_language(tag.clone());
        }
        buffer.guess_segment_properties();
        let direction = buffer.direction();
        let key = (
            id,
            buffer.script(),
            direction == rustybuzz::Direction::RightToLeft,
            language,
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
                    tag.as_ref(),
                    &[],
                ))
            })
            .clone();
        let shaped = rustybuzz::shape_with_plan(&font.face, &plan, buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // Where the text of each glyph's cluster ends: at the start of the
        // next cluster in the text. Glyphs of left-to-right text come in the
        // order of their clusters, those of right-to-left text in the
        // reverse order; the starts are sorted once, so either is one pass
        // (searching forward from each glyph took time n² for one character
        // with n combining marks, a cluster of n glyphs).
        let mut starts: Vec<u32> = infos.iter().map(|i| i.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |cluster: u32| {
            let next = starts.partition_point(|&s| s <= cluster);
            starts.get(next).map_or(text.len(), |&s| s as usize)
        };
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, position)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
            let mut advance = position.x_advance as f32 / font.units_per_em;
            if info.glyph_id == 0 && position.x_advance != 0 {
                // A character no font has is drawn as the font's �, not as
                // its missing-glyph box (PDF/A and PDF/UA forbid that one):
                // it takes the room of the �. Its glyph stays 0, the mark of
                // a missing character.
                if let Some(replacement) = font.face.glyph_index('\u{FFFD}') {
                    advance = font.face.glyph_hor_advance(replacement).unwrap_or(0) as f32
                        / font.units_per_em;
                }
            }
            glyphs.push(Glyph {
                font: id,
                id: info.glyph_id as u16,
                advance,
                text: first_of_cluster.then(|| text[start..end_of(info.cluster)].into()),
            });
        }
        glyphs
    }

    /// The characters of `text` that no font of the book can show.
    pub fn missing(&self, face: Face, text: &str) -> Vec<char> {
        let mut missing: Vec<char> = text
            .chars()
            .filter(|&c| !c.is_control() && !is_invisible(c) && !self.can_show(face, c))
            .collect();
        missing.dedup();
        missing
    }
}

/// A font's family name as its `name` table gives it (typographic family
/// first), else the name it was loaded by.
fn family_name(font: &Font) -> String {
    let names = font.tables().names();
    let find = |id: u16| {
        names
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    };
    find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| find(ttf_parser::name_id::FAMILY))
        .unwrap_or_else(|| font.name.clone())
}

/// Whether `text` holds a right-to-left letter or an Arabic digit (bidi
/// classes R, AL, AN), checked byte-first: text of Latin, Greek and
/// Cyrillic letters is passed over without decoding a character.
pub fn has_right_to_left(text: &str) -> bool {
    // Hebrew starts at U+0590 (0xD6 0x90 in UTF-8); every character from
    // there on takes a lead byte of 0xD6 or more.
    text.bytes().any(|b| b >= 0xD6)
        && text.chars().any(|c| {
            // A dash or quote lets the bytes through; the table is searched
            // only from Hebrew on.
            c >= '\u{0590}'
                && matches!(
                    unicode_bidi::bidi_class(c),
                    unicode_bidi::BidiClass::R
                        | unicode_bidi::BidiClass::AL
                        | unicode_bidi::BidiClass::AN
                )
        })
}

/// The language whose glyphs Chinese, Japanese or Korean text takes from a
/// font that has several (the OpenType `locl` feature): Japanese with kana
/// in it, Korean with hangul, else Simplified Chinese for Han characters.
/// `None` for text with none of them, tested byte-first (they all start
/// with a lead byte of 0xE1 or more).
pub fn cjk_language(text: &str) -> Option<&'static str> {
    if !text.bytes().any(|b| b >= 0xE1) {
        return None;
    }
    let mut han = false;
    // Hangul, kana and Han all lie above U+1100: a cheaper test than the
    // script table for the Latin letters, dashes and quotes of most text.
    for c in text.chars().filter(|&c| c >= '\u{1100}') {
        match c.script() {
            Script::Hiragana | Script::Katakana => return Some("ja"),
            Script::Hangul => return Some("ko"),
            Script::Han => han = true,
            _ => {}
        }
    }
    han.then_some("zh-Hans")
}

/// Characters of no script of their own: spaces, digits, punctuation
/// (`Common`), and marks and joiners that take their letter's (`Inherited`).
fn is_common(c: char) -> bool {
    matches!(c.script(), Script::Common | Script::Inherited)
}

/// Format characters no font needs to draw (joiners, direction marks).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// `text` cut where its script changes, with characters of no script in the
/// run they stand in.
fn script_runs(text: &str) -> Vec<Range<usize>> {
    let mut runs: Vec<(Script, Range<usize>)> = Vec::new();
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        let script = c.script();
        match runs.last_mut() {
            Some((current, range))
                if is_common(c) || *current == script || *current == Script::Common =>
            {
                if *current == Script::Common && !is_common(c) {
                    *current = script;
                }
                range.end = end;
            }
            _ => runs.push((if is_common(c) { Script::Common } else { script }, at..end)),
        }
    }
    runs.into_iter().map(|(_, range)| range).collect()
}

/// `text` cut where the font `font_of` gives changes; marks and joiners stay
/// with the character before them.
fn font_runs(text: &str, font_of: impl Fn(char) -> FontId) -> Vec<(FontId, Range<usize>)> {
    let mut runs: Vec<(FontId, Range<usize>)> = Vec::new();
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        let keeps_with_previous = c.script() == Script::Inherited || is_invisible(c);
        match runs.last_mut() {
            Some((_, range)) if keeps_with_previous => range.end = end,
            Some((font, range)) if *font == font_of(c) => range.end = end,
            _ => runs.push((font_of(c), at..end)),
        }
    }
    runs
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
        // Private-use characters: in no font of the chain, on any system.
        let fonts = Fonts::bundled();
        assert_eq!(
            fonts.missing(Face::Regular, "Tokyo \u{F0000}\u{F0001}"),
            vec!['\u{F0000}', '\u{F0001}']
        );
    }

    /// The bundled fonts with the committed CJK subset as a fallback.
    fn with_test_cjk() -> Fonts {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fonts/BriefingTestCJK-Regular.otf");
        let mut fonts = Fonts::bundled();
        fonts.add_fallbacks(&[fixture], &[]).unwrap();
        fonts
    }

    #[test]
    fn han_characters_take_the_glyphs_of_their_language() {
        let fonts = with_test_cjk();
        let id = |glyphs: Arc<[Glyph]>| {
            assert!(glyphs.iter().all(|g| g.font == FontId(9) && g.id != 0));
            glyphs[0].id
        };
        // `直` is drawn differently in Chinese and Japanese: Chinese by
        // default, Japanese beside kana or in a Japanese paragraph.
        let chinese = id(fonts.shape(Face::Regular, "直"));
        let japanese = id(fonts.shape(Face::Regular, "直に"));
        assert_ne!(chinese, japanese);
        assert_eq!(
            id(fonts.shape_in(Face::Regular, "直", Some("ja"))),
            japanese
        );
        assert_eq!(
            id(fonts.shape_in(Face::Regular, "直", Some("zh-Hans"))),
            chinese
        );
        assert_eq!(cjk_language("한국어 直"), Some("ko"));
        assert_eq!(cjk_language("Moskau Москва"), None);
    }

    #[test]
    fn a_number_in_arabic_text_reads_left_to_right() {
        let fonts = Fonts::bundled();
        let glyphs = fonts.shape(Face::Regular, "زيارة 2025 (موسكو)");
        let drawn: String = glyphs.iter().filter_map(|g| g.text.as_deref()).collect();
        // Drawn from the left: the last word first, then the number in its
        // own order, then the first word, reversed letter by letter.
        assert_eq!(drawn, ")وكسوم( 2025 ةرايز");
    }

    #[test]
    fn arabic_and_hebrew_come_from_the_bundled_fallbacks_whole() {
        let fonts = Fonts::bundled();
        let glyphs = fonts.shape(Face::Regular, "عبد");
        assert!(glyphs.iter().all(|g| g.font == FontId(5) && g.id != 0));
        // Drawn right to left: the last letter first.
        let drawn: Vec<&str> = glyphs.iter().filter_map(|g| g.text.as_deref()).collect();
        assert_eq!(drawn, ["د", "ب", "ع"]);
        let bold = fonts.shape(Face::Bold, "עברית");
        assert!(bold.iter().all(|g| g.font == FontId(8) && g.id != 0));
        // A Latin word with an Arabic one: each from its own font.
        let mixed = fonts.shape(Face::Regular, "Gast:عبد");
        let used: Vec<u16> = mixed.iter().map(|g| g.font.0).collect();
        assert_eq!(used, [0, 0, 0, 0, 0, 5, 5, 5]);
    }
}
