//! The fonts of a document: which glyphs each face draws, the subsets cut
//! to them, and the composite fonts that embed the subsets.

use super::*;

/// The glyphs one face draws, renumbered for its subset.
pub(super) struct FaceGlyphs {
    /// For each glyph of the font, its number in the subset (0 if unused:
    /// glyph 0, the missing-glyph box, is always kept).
    pub(super) new_id: Vec<u16>,
    /// The font's glyph numbers, in subset order.
    pub(super) old_ids: Vec<u16>,
    /// For each subset glyph, the characters it stands for.
    pub(super) text: Vec<Option<Arc<str>>>,
    /// For each subset glyph, whether it is drawn somewhere for other
    /// characters than `text` (a letter alone here, with its mark there):
    /// only the clusters of such glyphs need their text stated in the page.
    pub(super) varies: Vec<bool>,
    /// For each subset glyph, its advance in 1/1000 em as `/W` states it.
    pub(super) widths: Vec<f32>,
    /// The subset number of the font's replacement character �, drawn for
    /// a character no font has (0 if the font has none). Glyph 0, the
    /// font's missing-glyph box, is never drawn: PDF/A and PDF/UA forbid it.
    pub(super) replacement: u16,
}

impl FaceGlyphs {
    /// The subset number a placed glyph is drawn as.
    pub(super) fn subset_id(&self, glyph: &PlacedGlyph) -> u16 {
        if glyph.id == 0 {
            self.replacement
        } else {
            self.new_id.get(glyph.id as usize).copied().unwrap_or(0)
        }
    }
}

/// Where a glyph is drawn, in the order of the document: the page, then
/// what on it (0 its own items, higher: what a pack adds after them). Only
/// compared between the parts of a document whose glyphs are gathered
/// apart (a pack's briefs, its furniture), each part in its own order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct GlyphPlace {
    pub page: u32,
    pub rank: u8,
}

/// How one glyph is drawn across a document.
#[derive(Clone)]
struct GlyphMark {
    /// The text it stands for wherever it is drawn, while that is one.
    text: Option<Arc<str>>,
    /// Drawn for other characters somewhere than elsewhere.
    varies: bool,
    /// The first text it is drawn for (drawn for none, it has none), and
    /// where: this is the text its map gives.
    first: Option<(GlyphPlace, Arc<str>)>,
}

/// The glyphs of one font a document draws.
#[derive(Clone)]
struct FontUse {
    /// The font's number of glyphs: a glyph beyond it is not drawn.
    count: usize,
    /// The font's replacement character �, drawn for a character no font
    /// has (glyph 0); 0 if it has none.
    replacement: u16,
    glyphs: BTreeMap<u16, GlyphMark>,
}

/// Which glyphs of which fonts a document draws, the first text each
/// stands for and whether it stands for others too: what its font subsets
/// and the text of its pages depend on. Gathered in parts (a pack's briefs
/// one by one, then the pages it adds to them) and merged into the same as
/// gathered over the whole at once.
#[derive(Clone, Default)]
pub struct GlyphUse {
    fonts: BTreeMap<FontId, FontUse>,
}

impl GlyphUse {
    /// The glyphs of `pages`, the first of them at page `first_page` of the
    /// document, each page's drawn at `rank`.
    pub fn add_pages(&mut self, pages: &[Page], first_page: usize, rank: u8, fonts: &Fonts) {
        for (i, page) in pages.iter().enumerate() {
            let place = GlyphPlace {
                page: (first_page + i) as u32,
                rank,
            };
            self.add_items(&page.items, place, fonts);
        }
    }

    /// The glyphs of `items`, drawn at `place`.
    pub fn add_items(&mut self, items: &[Item], place: GlyphPlace, fonts: &Fonts) {
        for item in items {
            let (Item::Text { run, .. } | Item::TurnedText { run, .. }) = item else {
                continue;
            };
            for (glyph, text) in run.glyphs.iter().zip(run.glyph_texts()) {
                self.add(glyph, text, place, fonts);
            }
        }
    }

    fn add(&mut self, glyph: &PlacedGlyph, text: Option<&str>, place: GlyphPlace, fonts: &Fonts) {
        let font = self.fonts.entry(glyph.font).or_insert_with(|| {
            let tables = fonts.by_id(glyph.font).tables();
            FontUse {
                count: tables.number_of_glyphs() as usize,
                replacement: tables.glyph_index('\u{FFFD}').map_or(0, |g| g.0),
                glyphs: BTreeMap::new(),
            }
        });
        // A character no font has (glyph 0) is drawn as the font's �.
        let id = if glyph.id == 0 {
            font.replacement
        } else {
            glyph.id
        };
        if id as usize >= font.count {
            return;
        }
        // Most glyphs were drawn before, for the same text: their text is
        // only copied when it is new.
        match font.glyphs.get_mut(&id) {
            Some(mark) => {
                if mark.text.as_deref() != text {
                    mark.varies = true;
                }
                if let Some(text) = text {
                    if mark.first.as_ref().is_none_or(|(ours, _)| place < *ours) {
                        mark.first = Some((place, Arc::from(text)));
                    }
                }
            }
            None => {
                let text: Option<Arc<str>> = text.map(Arc::from);
                let first = text.clone().map(|text| (place, text));
                font.glyphs.insert(
                    id,
                    GlyphMark {
                        text,
                        varies: false,
                        first,
                    },
                );
            }
        }
    }

    /// Takes in the glyphs of `other`, a part of the document gathered
    /// apart whose pages start at `first_page` of the document.
    pub fn merge(&mut self, other: &GlyphUse, first_page: usize) {
        for (&id, theirs) in &other.fonts {
            let ours = self.fonts.entry(id).or_insert_with(|| FontUse {
                count: theirs.count,
                replacement: theirs.replacement,
                glyphs: BTreeMap::new(),
            });
            for (&glyph, mark) in &theirs.glyphs {
                let first = mark.first.clone().map(|(place, text)| {
                    let page = place.page + first_page as u32;
                    (GlyphPlace { page, ..place }, text)
                });
                match ours.glyphs.get_mut(&glyph) {
                    Some(our) => {
                        our.varies |= mark.varies;
                        our.merge_one(first, mark.text.as_deref());
                    }
                    None => {
                        ours.glyphs.insert(
                            glyph,
                            GlyphMark {
                                first,
                                ..mark.clone()
                            },
                        );
                    }
                }
            }
        }
    }

    /// Each font's glyphs renumbered for its subset, with their widths.
    pub(super) fn faces(&self, fonts: &Fonts) -> BTreeMap<FontId, FaceGlyphs> {
        self.fonts
            .iter()
            .map(|(&font, used)| {
                let tables = fonts.by_id(font).tables();
                let per_mille = 1000.0 / tables.units_per_em() as f32;
                let mut glyphs = FaceGlyphs {
                    new_id: vec![0; used.count],
                    old_ids: Vec::new(),
                    text: Vec::new(),
                    varies: Vec::new(),
                    widths: Vec::new(),
                    replacement: 0,
                };
                // Glyph 0 first (always kept), then the glyphs drawn in the
                // order of their numbers: walking the marks, not every glyph
                // of the font (thousands, most unused: that walk was 3 % of
                // a brief's instructions).
                let drawn = used.glyphs.range(1..).map(|(&old, mark)| (old, Some(mark)));
                for (old, mark) in std::iter::once((0, used.glyphs.get(&0))).chain(drawn) {
                    glyphs.new_id[old as usize] = glyphs.old_ids.len() as u16;
                    glyphs.old_ids.push(old);
                    glyphs
                        .text
                        .push(mark.and_then(|m| m.first.as_ref().map(|(_, text)| text.clone())));
                    glyphs.varies.push(mark.is_some_and(|m| m.varies));
                    let advance = tables
                        .glyph_hor_advance(ttf_parser::GlyphId(old))
                        .unwrap_or(0);
                    // Rounded as it is written, so that the offsets drawn
                    // against it add up to exactly the shaped advance.
                    glyphs
                        .widths
                        .push((advance as f32 * per_mille * 100.0).round() / 100.0);
                }
                glyphs.replacement = glyphs.new_id[used.replacement as usize];
                (font, glyphs)
            })
            .collect()
    }
}

impl GlyphMark {
    /// Takes in more drawings of the glyph: all for `text` (while they
    /// vary not), the first with a text `first`.
    fn merge_one(&mut self, first: Option<(GlyphPlace, Arc<str>)>, text: Option<&str>) {
        if self.text.as_deref() != text {
            self.varies = true;
        }
        if let Some((place, text)) = first {
            if self.first.as_ref().is_none_or(|(ours, _)| place < *ours) {
                self.first = Some((place, text));
            }
        }
    }
}

/// The glyphs `document` draws, in its order.
pub(super) fn used_glyphs(document: &Document, fonts: &Fonts) -> GlyphUse {
    let mut used = GlyphUse::default();
    used.add_pages(&document.pages, 0, 0, fonts);
    used
}

/// A font cut down to the glyphs the document uses.
pub(super) struct Subset {
    pub(super) font: FontId,
    /// `ABCDEF+Name`: the tag PDF asks of a subset, from the glyphs chosen.
    pub(super) name: String,
    /// The font program, as cut by `subsetter`.
    pub(super) program: Vec<u8>,
    pub(super) kind: Program,
    pub(super) widths: Vec<f32>,
    pub(super) to_unicode: String,
    pub(super) ascent: i64,
    pub(super) descent: i64,
    pub(super) cap_height: i64,
    pub(super) italic_angle: f32,
    pub(super) stem_v: i64,
    pub(super) bbox: [i64; 4],
}

/// What a font program is, which decides how PDF embeds it.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Program {
    /// TrueType outlines: `CIDFontType2`, `/FontFile2`.
    TrueType,
    /// A whole OpenType font with CFF outlines: `/FontFile3 /OpenType`.
    OpenType,
    /// A bare CID-keyed CFF table: `/FontFile3 /CIDFontType0C`.
    Cff,
}

impl Program {
    fn cid_font_type(self) -> &'static [u8] {
        match self {
            Program::TrueType => b"CIDFontType2",
            Program::OpenType | Program::Cff => b"CIDFontType0",
        }
    }
}

/// The characters of one glyph's text in the order a PDF states them. A
/// glyph of right-to-left text that stands for several characters (a
/// lam-alef ligature, a letter with its vowel mark): readers that put a
/// right-to-left line back in reading order reverse every character they
/// find, the ligature's too, so it is stated reversed.
pub(super) fn in_copy_order(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() > 1 && crate::typeset::fonts::has_right_to_left(text) {
        chars.reverse();
    }
    chars
}

pub(super) fn resource_name(font: FontId) -> String {
    format!("F{}", font.0)
}

pub(super) fn subset_fonts(
    glyphs: &BTreeMap<FontId, FaceGlyphs>,
    fonts: &Fonts,
) -> Result<Vec<Subset>, PdfError> {
    let mut subsets = Vec::new();
    for (&id, used) in glyphs {
        let font = fonts.by_id(id);
        let fail = |reason: String| PdfError::Font {
            name: font.name.clone(),
            reason,
        };
        let mut remapper = subsetter::GlyphRemapper::new();
        for &old in &used.old_ids {
            remapper.remap(old);
        }
        let program = subsetter::subset(font.bytes, font.index, &remapper)
            .map_err(|e| fail(format!("{e:?}")))?;
        let program = hinting::without_hinting(&program).unwrap_or(program);
        // A CID-keyed CFF goes in bare, the form every viewer reads the same
        // way (printpdf's finding, see `extract_cid_keyed_cff`).
        let (program, kind) = match printpdf::extract_cid_keyed_cff(&program, 0) {
            Some(cff) => (cff, Program::Cff),
            None if program.starts_with(b"OTTO") => (program, Program::OpenType),
            None => (program, Program::TrueType),
        };
        let digest = Sha256::digest(
            used.old_ids
                .iter()
                .flat_map(|g| g.to_be_bytes())
                .collect::<Vec<u8>>(),
        );
        let tag: String = digest
            .iter()
            .take(6)
            .map(|b| (b'A' + b % 26) as char)
            .collect();
        let to_unicode = printpdf::ToUnicodeCMap {
            mappings: used
                .text
                .iter()
                .enumerate()
                .filter_map(|(new, text)| {
                    // Glyph 0 is the box drawn for every character the font
                    // lacks: it copies as U+FFFD, not as whichever missing
                    // character came first.
                    if new == 0 {
                        return Some((0, vec![0xFFFD]));
                    }
                    let text = text.as_deref()?;
                    Some((
                        new as u32,
                        in_copy_order(text).into_iter().map(u32::from).collect(),
                    ))
                })
                .collect(),
        }
        .to_cmap_string(&resource_name(id));
        let tables = font.tables();
        let scale = |v: f32| (v * 1000.0 / tables.units_per_em() as f32).round() as i64;
        let bbox = tables.global_bounding_box();
        let italic_angle = tables.italic_angle();
        let weight = tables.weight().to_number() as f32;
        subsets.push(Subset {
            font: id,
            name: format!("{tag}+{}", font.name),
            program,
            kind,
            widths: used.widths.clone(),
            to_unicode,
            ascent: scale(tables.ascender() as f32),
            descent: scale(tables.descender() as f32),
            cap_height: scale(tables.capital_height().unwrap_or(tables.ascender()) as f32),
            italic_angle,
            // No table states the stem width; this is the usual estimate
            // from the weight class (88 at 400, 166 at 700).
            stem_v: 50 + (weight / 65.0).powi(2).round() as i64,
            bbox: [
                scale(bbox.x_min as f32),
                scale(bbox.y_min as f32),
                scale(bbox.x_max as f32),
                scale(bbox.y_max as f32),
            ],
        });
    }
    Ok(subsets)
}

/// Adds a subset as a composite (Type0) font whose codes are its glyph
/// numbers, as the four objects numbered from `first` (taken before the
/// fonts were cut, so that pages can be drawn meanwhile), and returns a
/// reference to it.
pub(super) fn add_font(pdf: &mut lopdf::Document, subset: &Subset, first: u32) -> Object {
    let mut next = first;
    let mut add_object = |object: Object| {
        let id = (next, 0);
        next += 1;
        pdf.objects.insert(id, object);
        id
    };
    let name = || Object::Name(subset.name.as_bytes().to_vec());
    let (file_key, mut file_dict) = match subset.kind {
        Program::TrueType => (
            "FontFile2",
            Dictionary::from_iter([("Length1", Object::Integer(subset.program.len() as i64))]),
        ),
        Program::OpenType => (
            "FontFile3",
            Dictionary::from_iter([("Subtype", Object::Name(b"OpenType".to_vec()))]),
        ),
        Program::Cff => (
            "FontFile3",
            Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]),
        ),
    };
    file_dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let file = add_object(Object::Stream(Stream::new(
        file_dict,
        deflate(&subset.program),
    )));
    let flags = 32 | if subset.italic_angle != 0.0 { 64 } else { 0 };
    let descriptor = add_object(Object::Dictionary(Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name()),
        ("Flags", Object::Integer(flags)),
        (
            "FontBBox",
            Object::Array(subset.bbox.iter().map(|&v| v.into()).collect()),
        ),
        ("ItalicAngle", Object::Real(subset.italic_angle)),
        ("Ascent", Object::Integer(subset.ascent)),
        ("Descent", Object::Integer(subset.descent)),
        ("CapHeight", Object::Integer(subset.cap_height)),
        ("StemV", Object::Integer(subset.stem_v)),
        (file_key, Object::Reference(file)),
    ])));
    let widths = Object::Array(vec![
        0.into(),
        Object::Array(
            subset
                .widths
                .iter()
                .map(|&w| {
                    if w.fract() == 0.0 {
                        Object::Integer(w as i64)
                    } else {
                        Object::Real(w)
                    }
                })
                .collect(),
        ),
    ]);
    let mut descendant = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        (
            "Subtype",
            Object::Name(subset.kind.cid_font_type().to_vec()),
        ),
        ("BaseFont", name()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", 0.into()),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", widths),
    ]);
    if subset.kind == Program::TrueType {
        descendant.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let to_unicode = add_object(Object::Stream(Stream::new(
        Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]),
        deflate(subset.to_unicode.as_bytes()),
    )));
    Object::Reference(add_object(Object::Dictionary(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name()),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(descendant)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ]))))
}
