//! Pages drawn as content streams: text as glyph numbers with their
//! offsets, rules, boxes and images, in as few bytes as the state allows.

use super::*;

/// A page drawn: its compressed content stream, its links, and (in a
/// tagged PDF) what its marked content and links belong to.
pub(super) struct DrawnPage {
    pub(super) content: Vec<u8>,
    pub(super) links: Vec<Link>,
    pub(super) tagged: Vec<Tagged>,
}

pub(super) struct Link {
    /// Left, bottom, right, top, in PDF's bottom-up points.
    pub(super) rect: [f32; 4],
    pub(super) target: Target,
}

/// Draws the pages; with `structure`, as tagged content: what the
/// typesetter marked as a node's is marked content numbered on its page,
/// the rest an artifact.
pub(super) fn draw_pages(
    pages: Vec<Page>,
    height: f32,
    glyphs: &BTreeMap<FontId, FaceGlyphs>,
    images: &BTreeMap<[u8; 32], Image>,
    structure: Option<&Structure>,
) -> Vec<DrawnPage> {
    use rayon::prelude::*;
    // Pages are independent: drawn and deflated on every core, in order, in
    // runs of eight (a short document is not worth a second deflate state).
    pages
        .into_par_iter()
        .with_min_len(8)
        .map_init(Content::default, |content, page| {
            content.clear();
            let mut links = Vec::new();
            let mut tagged = Vec::new();
            for item in page.items {
                match (item, structure) {
                    (Item::Start(mark), Some(structure)) => {
                        content.start(mark, structure, &mut tagged)
                    }
                    (Item::End, Some(_)) => {
                        content.open = None;
                        content.bytes.extend_from_slice(b"EMC\n");
                    }
                    (Item::Start(_) | Item::End, None) => {}
                    (
                        Item::Link {
                            x,
                            y,
                            width,
                            height: h,
                            target,
                        },
                        _,
                    ) => {
                        if let Some(node) = content.open {
                            tagged.push(Tagged::Link {
                                node,
                                link: links.len(),
                            });
                        }
                        links.push(Link {
                            rect: [x, height - y - h, x + width, height - y],
                            target,
                        });
                    }
                    (item, _) => content.draw(item, height, glyphs, images),
                }
            }
            DrawnPage {
                content: deflate(&content.bytes),
                links,
                tagged,
            }
        })
        .collect()
}

/// What drawing a page's `items` finds besides the drawing (as
/// [`draw_pages`] does): how many links it has, and in a tagged PDF what its
/// marked content and links belong to.
pub(super) fn page_pieces(items: &[Item], tagged: bool) -> (u32, Vec<Tagged>) {
    let mut links = 0;
    let mut pieces = Vec::new();
    let mut open = None;
    let mut next_mcid = 0;
    for item in items {
        match item {
            Item::Start(Mark::Content(node)) if tagged => {
                pieces.push(Tagged::Content {
                    node: *node,
                    mcid: next_mcid,
                });
                next_mcid += 1;
                open = Some(*node);
            }
            Item::End if tagged => open = None,
            Item::Link { .. } => {
                if let Some(node) = open {
                    pieces.push(Tagged::Link {
                        node,
                        link: links as usize,
                    });
                }
                links += 1;
            }
            _ => {}
        }
    }
    (links, pieces)
}

/// Glyphs of one font, and the text they stand for, one after the other.
pub(super) struct Glyphs<'a> {
    pub(super) placed: &'a [PlacedGlyph],
    pub(super) text: &'a str,
}

/// A page's content stream being written, with the graphics state it has
/// set, so that a colour or font is only stated when it changes.
#[derive(Default)]
pub(super) struct Content {
    pub(super) bytes: Vec<u8>,
    pub(super) font: Option<(FontId, f32)>,
    pub(super) fill: Option<Color>,
    pub(super) stroke: Option<(Color, f32)>,
    /// The node whose marked content is open.
    pub(super) open: Option<NodeId>,
    /// The number of the page's next marked content.
    pub(super) next_mcid: u32,
}

impl Content {
    fn clear(&mut self) {
        self.bytes.clear();
        self.font = None;
        self.fill = None;
        self.stroke = None;
        self.open = None;
        self.next_mcid = 0;
    }

    /// Opens marked content: a node's, numbered, or an artifact.
    fn start(&mut self, mark: Mark, structure: &Structure, tagged: &mut Vec<Tagged>) {
        match mark {
            Mark::Content(node) => {
                let mcid = self.next_mcid;
                self.next_mcid += 1;
                self.open = Some(node);
                tagged.push(Tagged::Content { node, mcid });
                self.bytes.push(b'/');
                let role = structure.nodes.get(node).map_or("Span", |n| n.role.name());
                self.bytes.extend_from_slice(role.as_bytes());
                self.bytes.extend_from_slice(b"<</MCID ");
                digits(&mut self.bytes, mcid.into());
                self.bytes.extend_from_slice(b">>BDC\n");
            }
            Mark::Pagination => self
                .bytes
                .extend_from_slice(b"/Artifact<</Type/Pagination>>BDC\n"),
            Mark::Layout => self.bytes.extend_from_slice(b"/Artifact BMC\n"),
            Mark::Watermark => self
                .bytes
                .extend_from_slice(b"/Artifact<</Type/Pagination/Subtype/Watermark>>BDC\n"),
        }
    }

    /// Draws one item; `height` turns the typesetter's top-down y into
    /// PDF's bottom-up y.
    fn draw(
        &mut self,
        item: Item,
        height: f32,
        glyphs: &BTreeMap<FontId, FaceGlyphs>,
        images: &BTreeMap<[u8; 32], Image>,
    ) {
        match item {
            Item::Text { x, baseline, run } => {
                // A run is drawn font by font: a word the style's face lacks
                // a letter of has glyphs from a fallback font too.
                let mut at = x;
                let mut rest = run.glyphs.as_slice();
                let mut text = run.text();
                while let Some(first) = rest.first() {
                    let same = rest
                        .iter()
                        .position(|g| g.font != first.font)
                        .unwrap_or(rest.len());
                    let (part, after) = rest.split_at(same);
                    let (part_text, text_after) =
                        text.split_at(part.iter().map(PlacedGlyph::text_bytes).sum());
                    if let Some(font_glyphs) = glyphs.get(&first.font) {
                        self.text(
                            at,
                            height - baseline,
                            &run.style,
                            first.font,
                            Glyphs {
                                placed: part,
                                text: part_text,
                            },
                            font_glyphs,
                        );
                    }
                    text = text_after;
                    at += part.iter().map(|g| g.advance).sum::<f32>();
                    rest = after;
                }
            }
            Item::TurnedText {
                x,
                baseline,
                degrees,
                run,
            } => {
                // Drawn at the origin of a turned coordinate system; the
                // font and colour it sets end with it.
                let (sin, cos) = degrees.to_radians().sin_cos();
                let (font, fill) = (self.font, self.fill);
                self.bytes.extend_from_slice(b"q ");
                self.numbers(&[(cos, 4), (sin, 4), (-sin, 4), (cos, 4)]);
                self.numbers(&[(x, 2), (height - baseline, 2)]);
                self.bytes.extend_from_slice(b"cm\n");
                self.draw(
                    Item::Text {
                        x: 0.0,
                        baseline: height,
                        run,
                    },
                    height,
                    glyphs,
                    images,
                );
                self.bytes.extend_from_slice(b"Q\n");
                (self.font, self.fill) = (font, fill);
            }
            Item::Rect {
                x,
                y,
                width,
                height: h,
                color,
            } => {
                self.fill(color);
                self.numbers(&[(x, 2), (height - y - h, 2), (width, 2), (h, 2)]);
                self.bytes.extend_from_slice(b"re f\n");
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                if self.stroke != Some((color, width)) {
                    self.stroke = Some((color, width));
                    self.numbers(&[(color.r, 3), (color.g, 3), (color.b, 3)]);
                    self.bytes.extend_from_slice(b"RG ");
                    self.numbers(&[(width, 2)]);
                    self.bytes.extend_from_slice(b"w\n");
                }
                self.numbers(&[(x1, 2), (height - y1, 2)]);
                self.bytes.extend_from_slice(b"m ");
                self.numbers(&[(x2, 2), (height - y2, 2)]);
                self.bytes.extend_from_slice(b"l S\n");
            }
            Item::Image {
                image,
                x,
                y,
                width,
                height: h,
            } => {
                let Some(image) = images.get(&image.digest) else {
                    return;
                };
                self.bytes.extend_from_slice(b"q ");
                self.numbers(&[(width, 2), (0.0, 0), (0.0, 0), (h, 2)]);
                self.numbers(&[(x, 2), (height - y - h, 2)]);
                self.bytes.extend_from_slice(b"cm /");
                self.bytes.extend_from_slice(image.name.as_bytes());
                self.bytes.extend_from_slice(b" Do Q\n");
            }
            Item::Link { .. } | Item::Start(_) | Item::End => {}
        }
    }

    /// One run of glyphs as a `TJ` array: glyph numbers in hexadecimal,
    /// broken only where the shaped advance differs from the font's.
    fn text(
        &mut self,
        x: f32,
        y: f32,
        style: &Style,
        font: FontId,
        part: Glyphs,
        glyphs: &FaceGlyphs,
    ) {
        let Glyphs { placed, text } = part;
        if placed.is_empty() {
            return;
        }
        self.bytes.extend_from_slice(b"BT\n");
        if self.font != Some((font, style.size)) {
            self.font = Some((font, style.size));
            self.bytes.push(b'/');
            self.bytes.extend_from_slice(resource_name(font).as_bytes());
            self.bytes.push(b' ');
            self.numbers(&[(style.size, 2)]);
            self.bytes.extend_from_slice(b"Tf\n");
        }
        self.fill(style.color);
        self.numbers(&[(x, 2), (y, 2)]);
        self.bytes.extend_from_slice(b"Td\n[<");
        // Where the open `TJ` array's glyphs start: an array with none is
        // taken back rather than written empty.
        let mut array_start = self.bytes.len();
        let last = placed.len() - 1;
        let mut i = 0;
        // Where the text of glyph `i` starts in `text`.
        let mut text_at = 0;
        while i < placed.len() {
            // A cluster: the glyph that carries its text, and the marks or
            // parts after it that carry none.
            let end = i + 1 + placed[i + 1..].iter().take_while(|g| !g.has_text()).count();
            let cluster = &placed[i..end];
            let cluster_text = cluster[0]
                .has_text()
                .then(|| &text[text_at..text_at + cluster[0].text_bytes()]);
            text_at += cluster[0].text_bytes();
            let actual = unmapped_text(cluster, cluster_text, glyphs);
            if let Some(text) = actual {
                // The font's map gives another text for one of these glyphs
                // (a letter drawn alone elsewhere, here with its vowel mark):
                // the cluster is marked with the text it stands for.
                if self.bytes.len() == array_start {
                    self.bytes.truncate(array_start - 2);
                } else {
                    self.bytes.extend_from_slice(b">] TJ\n");
                }
                self.bytes.extend_from_slice(b"/Span <</ActualText <FEFF");
                let mut units = [0u16; 2];
                for c in in_copy_order(text) {
                    for unit in c.encode_utf16(&mut units) {
                        hex4(&mut self.bytes, *unit);
                    }
                }
                self.bytes.extend_from_slice(b">>> BDC\n[<");
            }
            for (j, glyph) in cluster.iter().enumerate() {
                let new = glyphs.subset_id(glyph);
                if new == 0 {
                    // A character no font has, in a font without �: its
                    // place is left empty rather than drawn as the font's
                    // "missing" glyph, which PDF/A and PDF/UA forbid (the
                    // reader was warned).
                    if i + j != last {
                        let offset = (-glyph.advance * 1000.0 / style.size * 10.0).round();
                        self.bytes.push(b'>');
                        number(&mut self.bytes, offset / 10.0, 1);
                        self.bytes.push(b'<');
                    }
                    continue;
                }
                hex4(&mut self.bytes, new);
                if i + j == last {
                    break;
                }
                // TJ moves left by this much after the glyph, in 1/1000 em:
                // the font's width less the shaped (kerned, justified)
                // advance. Tenths of a unit, so that unkerned glyphs need no
                // number.
                let natural = glyphs.widths.get(new as usize).copied().unwrap_or(0.0);
                let offset = ((natural - glyph.advance * 1000.0 / style.size) * 10.0).round();
                if offset != 0.0 {
                    self.bytes.push(b'>');
                    number(&mut self.bytes, offset / 10.0, 1);
                    self.bytes.push(b'<');
                }
            }
            if actual.is_some() {
                self.bytes.extend_from_slice(b">] TJ\nEMC\n[<");
                array_start = self.bytes.len();
            }
            i = end;
        }
        if self.bytes.len() == array_start {
            self.bytes.truncate(array_start - 2);
            self.bytes.extend_from_slice(b"ET\n");
        } else {
            self.bytes.extend_from_slice(b">] TJ\nET\n");
        }
    }

    fn fill(&mut self, color: Color) {
        if self.fill != Some(color) {
            self.fill = Some(color);
            self.numbers(&[(color.r, 3), (color.g, 3), (color.b, 3)]);
            self.bytes.extend_from_slice(b"rg\n");
        }
    }

    /// Numbers, each followed by a space, with at most so many decimals.
    fn numbers(&mut self, values: &[(f32, u32)]) {
        for &(value, decimals) in values {
            number(&mut self.bytes, value, decimals);
            self.bytes.push(b' ');
        }
    }
}

/// The text of a cluster of glyphs, when the font's ToUnicode map (one
/// text per glyph, the first it was drawn for) would copy it as something
/// else; `None` when the map gives it back as it is.
fn unmapped_text<'g>(
    cluster: &[PlacedGlyph],
    text: Option<&'g str>,
    glyphs: &FaceGlyphs,
) -> Option<&'g str> {
    let mapped = |glyph: &PlacedGlyph| {
        let new = glyphs.subset_id(glyph);
        glyphs.text.get(new as usize).and_then(Option::as_deref)
    };
    let (first, rest) = cluster.split_first()?;
    let text = text?;
    // Most glyphs are drawn for one text only, which their map gives back.
    let varies = |glyph: &PlacedGlyph| {
        let new = glyphs.subset_id(glyph);
        glyphs.varies.get(new as usize).copied().unwrap_or(true)
    };
    if !cluster.iter().any(varies) {
        return None;
    }
    let faithful = mapped(first) == Some(text) && rest.iter().all(|g| mapped(g).is_none());
    (!faithful).then_some(text)
}

/// Writes `value` with at most `decimals` decimals and no trailing zeros:
/// PDF readers take `12.5`, not `1.25e1`.
pub(super) fn number(out: &mut Vec<u8>, value: f32, decimals: u32) {
    let scale = 10u64.pow(decimals);
    let scaled = (f64::from(value) * scale as f64).round();
    if scaled < 0.0 {
        out.push(b'-');
    }
    let scaled = scaled.abs() as u64;
    digits(out, scaled / scale);
    let mut fraction = scaled % scale;
    if fraction != 0 {
        let mut places = decimals;
        while fraction % 10 == 0 {
            fraction /= 10;
            places -= 1;
        }
        out.push(b'.');
        for place in (0..places).rev() {
            out.push(b'0' + (fraction / 10u64.pow(place) % 10) as u8);
        }
    }
}

pub(super) fn digits(out: &mut Vec<u8>, mut value: u64) {
    let mut buffer = [0u8; 20];
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&buffer[at..]);
}

pub(super) fn hex4(out: &mut Vec<u8>, value: u16) {
    for byte in value.to_be_bytes() {
        out.extend_from_slice(&file::hex(byte));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: f32, decimals: u32) -> String {
        let mut out = Vec::new();
        number(&mut out, value, decimals);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_plain() {
        assert_eq!(written(62.362206, 2), "62.36");
        assert_eq!(written(10.0, 2), "10");
        assert_eq!(written(0.5, 2), "0.5");
        assert_eq!(written(-6.8, 1), "-6.8");
        assert_eq!(written(-0.001, 2), "0");
        assert_eq!(written(0.105882354, 3), "0.106");
        assert_eq!(written(1e7, 2), "10000000");
        assert_eq!(written(0.07, 2), "0.07");
    }
}
