//! TrueType hinting taken out of a font program. Hints (the `fpgm`, `prep`
//! and `cvt ` tables and each glyph's instructions) fit outlines to the
//! pixel grid of small screens; PDF viewers and printers draw the outlines
//! unhinted, so hints are dead weight: about half of a subset of Noto Sans,
//! and as much of the time spent compressing it.

/// Tables that only serve hinting.
const HINTING_TABLES: [&[u8; 4]; 6] = [b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX"];

/// `program` without hinting, or `None` when it is not a TrueType font this
/// understands (the caller then embeds it as it is).
pub fn without_hinting(program: &[u8]) -> Option<Vec<u8>> {
    if program.get(..4)? != [0, 1, 0, 0] && program.get(..4)? != b"true" {
        return None;
    }
    let count = u16_at(program, 4)? as usize;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(count);
    for i in 0..count {
        let record = 12 + 16 * i;
        let tag: [u8; 4] = program.get(record..record + 4)?.try_into().ok()?;
        let offset = u32_at(program, record + 8)? as usize;
        let length = u32_at(program, record + 12)? as usize;
        let data = program.get(offset..offset.checked_add(length)?)?;
        if !HINTING_TABLES.contains(&&tag) {
            tables.push((tag, data.to_vec()));
        }
    }
    let find = |tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag);
    let (head, loca, glyf, maxp) = (
        find(b"head")?,
        find(b"loca")?,
        find(b"glyf")?,
        find(b"maxp")?,
    );
    let long_offsets = u16_at(&tables[head].1, 50)? == 1;
    let glyphs = u16_at(&tables[maxp].1, 4)? as usize;
    let offset = |i: usize| -> Option<usize> {
        let loca = &tables[loca].1;
        if long_offsets {
            u32_at(loca, 4 * i).map(|o| o as usize)
        } else {
            u16_at(loca, 2 * i).map(|o| 2 * o as usize)
        }
    };
    let mut new_glyf = Vec::with_capacity(tables[glyf].1.len());
    let mut new_loca = Vec::with_capacity((glyphs + 1) * 4);
    let write_offset = |loca: &mut Vec<u8>, at: usize| {
        if long_offsets {
            loca.extend_from_slice(&(at as u32).to_be_bytes());
        } else {
            loca.extend_from_slice(&((at / 2) as u16).to_be_bytes());
        }
    };
    for i in 0..glyphs {
        write_offset(&mut new_loca, new_glyf.len());
        let glyph = tables[glyf].1.get(offset(i)?..offset(i + 1)?)?;
        glyph_without_instructions(glyph, &mut new_glyf)?;
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    write_offset(&mut new_loca, new_glyf.len());
    if !long_offsets && new_glyf.len() / 2 > u16::MAX as usize {
        return None;
    }
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    // The whole-font checksum is recomputed below.
    tables[head].1.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    Some(assemble(program, tables))
}

/// Appends `glyph` to `out` without its instructions.
fn glyph_without_instructions(glyph: &[u8], out: &mut Vec<u8>) -> Option<()> {
    if glyph.is_empty() {
        return Some(());
    }
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        // Header, end points of the contours, then the instructions.
        let at = 10 + 2 * contours as usize;
        let length = u16_at(glyph, at)? as usize;
        out.extend_from_slice(glyph.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(at + 2 + length..)?);
        return Some(());
    }
    // A composite: components, and instructions after the last one when
    // its flags say so.
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    const INSTRUCTIONS: u16 = 0x0100;
    out.extend_from_slice(glyph.get(..10)?);
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        let mut size = 4 + if flags & WORDS != 0 { 4 } else { 2 };
        size += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        let component = out.len();
        out.extend_from_slice(glyph.get(at..at + size)?);
        if flags & MORE == 0 {
            out[component..component + 2].copy_from_slice(&(flags & !INSTRUCTIONS).to_be_bytes());
            break;
        }
        at += size;
    }
    Some(())
}

/// A font file of `tables`, sorted by tag, with their checksums.
fn assemble(program: &[u8], mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|table| table.0);
    let count = tables.len();
    let mut out = Vec::with_capacity(program.len());
    out.extend_from_slice(&program[..4]);
    let power = count.next_power_of_two() / if count.is_power_of_two() { 1 } else { 2 };
    let search_range = (power * 16) as u16;
    out.extend_from_slice(&(count as u16).to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&(power.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&((count * 16) as u16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * count;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    let mut head_at = None;
    for (tag, data) in &tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(head) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[head + 8..head + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::BUNDLED;

    /// The outline of a glyph, as the commands that draw it.
    #[derive(Default)]
    struct Outline(Vec<String>);

    impl ttf_parser::OutlineBuilder for Outline {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x},{y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x},{y}"));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(format!("Q{x1},{y1},{x},{y}"));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.push(format!("C{x1},{y1},{x2},{y2},{x},{y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    fn outlines(program: &[u8]) -> Vec<Vec<String>> {
        let face = ttf_parser::Face::parse(program, 0).unwrap();
        (0..face.number_of_glyphs())
            .map(|g| {
                let mut outline = Outline::default();
                face.outline_glyph(ttf_parser::GlyphId(g), &mut outline);
                outline.0
            })
            .collect()
    }

    #[test]
    fn same_outlines_without_the_hints() {
        for (name, font) in BUNDLED {
            let stripped = without_hinting(font).unwrap();
            let face = ttf_parser::Face::parse(&stripped, 0).unwrap();
            assert!(
                face.raw_face()
                    .table(ttf_parser::Tag::from_bytes(b"fpgm"))
                    .is_none(),
                "{name}"
            );
            assert!(stripped.len() < font.len(), "{name}");
            assert_eq!(outlines(&stripped), outlines(font), "{name}");
            assert_eq!(
                checksum(&stripped),
                0xB1B0_AFBA,
                "{name}: whole-font checksum"
            );
        }
    }

    #[test]
    fn a_subset_loses_about_half() {
        let (_, font) = BUNDLED[0];
        let mut remapper = subsetter::GlyphRemapper::new();
        for glyph in 0..200 {
            remapper.remap(glyph);
        }
        let subset = subsetter::subset(font, 0, &remapper).unwrap();
        let stripped = without_hinting(&subset).unwrap();
        assert_eq!(outlines(&stripped), outlines(&subset));
        assert!(
            stripped.len() * 10 < subset.len() * 7,
            "{} of {}",
            stripped.len(),
            subset.len()
        );
    }

    #[test]
    fn not_truetype_is_left_alone() {
        assert_eq!(without_hinting(b"OTTO\0\0\0\0"), None);
        assert_eq!(without_hinting(&[0, 1, 0, 0, 0]), None);
        assert_eq!(without_hinting(b""), None);
    }
}
