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

pub(super) fn used_glyphs(document: &Document, fonts: &Fonts) -> BTreeMap<FontId, FaceGlyphs> {
    // For each font, whether each of its glyphs is used, the first text it
    // was drawn for, and whether it was drawn for another text too.
    // A character no font has (glyph 0) is drawn as the font's �.
    type Marks = (Vec<bool>, Vec<Option<Arc<str>>>, Vec<bool>, u16);
    let mut seen: BTreeMap<FontId, Marks> = BTreeMap::new();
    for item in document.pages.iter().flat_map(|p| &p.items) {
        let (Item::Text { run, .. } | Item::TurnedText { run, .. }) = item else {
            continue;
        };
        for (glyph, glyph_text) in run.glyphs.iter().zip(run.glyph_texts()) {
            let (used, text, varies, replacement) = seen.entry(glyph.font).or_insert_with(|| {
                let tables = fonts.by_id(glyph.font).tables();
                let count = tables.number_of_glyphs() as usize;
                let replacement = tables.glyph_index('\u{FFFD}').map_or(0, |g| g.0);
                (
                    vec![false; count],
                    vec![None; count],
                    vec![false; count],
                    replacement,
                )
            });
            let id = if glyph.id == 0 {
                *replacement
            } else {
                glyph.id
            } as usize;
            if id >= used.len() {
                continue;
            }
            if !used[id] {
                used[id] = true;
                text[id] = glyph_text.map(Arc::from);
            } else if text[id].as_deref() != glyph_text {
                varies[id] = true;
                if text[id].is_none() {
                    text[id] = glyph_text.map(Arc::from);
                }
            }
        }
    }
    seen.into_iter()
        .map(|(font, (used, text, varies, replacement))| {
            let tables = fonts.by_id(font).tables();
            let per_mille = 1000.0 / tables.units_per_em() as f32;
            let mut glyphs = FaceGlyphs {
                new_id: vec![0; used.len()],
                old_ids: Vec::new(),
                text: Vec::new(),
                varies: Vec::new(),
                widths: Vec::new(),
                replacement: 0,
            };
            for (old, ((used, text), varies)) in used.into_iter().zip(text).zip(varies).enumerate()
            {
                if old != 0 && !used {
                    continue;
                }
                glyphs.new_id[old] = glyphs.old_ids.len() as u16;
                glyphs.old_ids.push(old as u16);
                glyphs.text.push(text);
                glyphs.varies.push(varies);
                let advance = tables
                    .glyph_hor_advance(ttf_parser::GlyphId(old as u16))
                    .unwrap_or(0);
                // Rounded as it is written, so that the offsets drawn
                // against it add up to exactly the shaped advance.
                glyphs
                    .widths
                    .push((advance as f32 * per_mille * 100.0).round() / 100.0);
            }
            glyphs.replacement = glyphs.new_id[replacement as usize];
            (font, glyphs)
        })
        .collect()
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
/// numbers, and returns a reference to it.
pub(super) fn add_font(pdf: &mut lopdf::Document, subset: &Subset) -> Object {
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
    let file = pdf.add_object(Stream::new(file_dict, deflate(&subset.program)));
    let flags = 32 | if subset.italic_angle != 0.0 { 64 } else { 0 };
    let descriptor = pdf.add_object(Dictionary::from_iter([
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
    ]));
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
    let to_unicode = pdf.add_object(Stream::new(
        Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]),
        deflate(subset.to_unicode.as_bytes()),
    ));
    Object::Reference(pdf.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name()),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(descendant)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}
