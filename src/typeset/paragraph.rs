//! Setting a paragraph: styled text → words shaped with their kerning,
//! break opportunities by the Unicode line-breaking rules (UAX #14),
//! hyphenation points in the brief's language → total-fit line breaks →
//! lines of positioned glyph runs.

use unicode_linebreak::{linebreaks, BreakOpportunity};

use std::sync::Arc;

use super::fonts::{self, Face, Fonts, Glyph};
use super::linebreak::{break_lines, Item, Mode, FILL, INFINITY};
use super::{Color, Warning};

/// How a run of text looks, and where it links to.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Color,
    pub link: Option<String>,
}

/// Text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Justify,
    Center,
    Right,
}

/// A glyph placed on a line: its advance in points (spaces of a justified
/// line are wider than natural). The text it stands for is in its run's:
/// a pointer to a shared text was 16 of a glyph's 24 bytes, and the glyphs
/// about half of a laid-out document's memory (a pack holds every brief's
/// until it is written).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// The font it is drawn from: the style's face, or a fallback.
    pub font: fonts::FontId,
    pub id: u16,
    pub advance: f32,
    /// How many bytes of its run's text it stands for, or [`NO_TEXT`] for
    /// the second and later glyphs of one character.
    text_len: u32,
}

/// A glyph's `text_len` when it stands for no text of its own.
const NO_TEXT: u32 = u32::MAX;

impl PlacedGlyph {
    /// Whether it carries text: the first glyph of a cluster does, marks
    /// or parts after it do not.
    pub fn has_text(&self) -> bool {
        self.text_len != NO_TEXT
    }

    /// How many bytes of its run's text it stands for (none for one that
    /// carries no text).
    pub fn text_bytes(&self) -> usize {
        if self.has_text() {
            self.text_len as usize
        } else {
            0
        }
    }
}

/// Glyphs in one style, starting at `x` from the start of the line.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub x: f32,
    pub style: Style,
    pub glyphs: Vec<PlacedGlyph>,
    /// The texts of its glyphs, one after the other.
    text: String,
}

impl Run {
    /// A run in `style` at `x`, with no glyphs yet.
    pub fn new(x: f32, style: Style) -> Run {
        Run {
            x,
            style,
            glyphs: Vec::new(),
            text: String::new(),
        }
    }

    /// Shaped glyphs as a run in `style`, unbroken.
    pub fn shaped(glyphs: &[Glyph], style: &Style) -> Run {
        let mut run = Run::new(0.0, style.clone());
        run.glyphs.reserve_exact(glyphs.len());
        for glyph in glyphs {
            run.push(glyph, glyph.advance * style.size);
        }
        run
    }

    /// Adds a shaped glyph, `advance` points wide.
    pub fn push(&mut self, glyph: &Glyph, advance: f32) {
        let text_len = match &glyph.text {
            Some(text) => {
                self.text.push_str(text);
                // A glyph's text is one character and its marks, and a
                // brief's texts are megabytes at most.
                text.len() as u32
            }
            None => NO_TEXT,
        };
        self.glyphs.push(PlacedGlyph {
            font: glyph.font,
            id: glyph.id,
            advance,
            text_len,
        });
    }

    /// The text of the run, as a reader would copy it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text each glyph stands for, glyph by glyph (`None` for one that
    /// carries none).
    pub fn glyph_texts(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        let mut at = 0;
        self.glyphs.iter().map(move |glyph| {
            glyph.has_text().then(|| {
                let len = glyph.text_bytes();
                at += len;
                &self.text[at - len..at]
            })
        })
    }

    /// The glyphs in `range` as a run of their own, at `x`.
    pub fn part(&self, range: std::ops::Range<usize>, x: f32) -> Run {
        let text_len =
            |glyphs: &[PlacedGlyph]| -> usize { glyphs.iter().map(PlacedGlyph::text_bytes).sum() };
        let start = text_len(&self.glyphs[..range.start]);
        let end = start + text_len(&self.glyphs[range.clone()]);
        Run {
            x,
            style: self.style.clone(),
            glyphs: self.glyphs[range].to_vec(),
            text: self.text[start..end].to_string(),
        }
    }

    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// One set line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// In the order they are read (each at its place on the line).
    pub runs: Vec<Run>,
    /// The width the line's glyphs take.
    pub width: f32,
}

impl Line {
    /// The line's text, as a reader would copy it.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text()).collect()
    }
}

/// Which way a document's lines run: the direction of its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    LeftToRight,
    /// Arabic: every paragraph's base direction is right to left (UAX #9's
    /// paragraph level 1), and its pages are laid out as mirror images.
    RightToLeft,
}

impl Direction {
    /// The direction a language is written in.
    pub fn of(language: crate::i18n::Language) -> Direction {
        if language.is_right_to_left() {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        }
    }
}

/// What a paragraph is set with.
#[derive(Clone, Copy)]
pub struct Setter<'a> {
    pub fonts: &'a Fonts,
    pub hyphenator: Option<&'a super::Hyphenator>,
    pub direction: Direction,
}

/// Words shorter than this are never hyphenated.
const MIN_HYPHENATED_CHARS: usize = 5;
/// Words longer than this are not hyphenated either: no word of any
/// language is this long (a German compound of a law's name is about 60
/// letters), so the longer ones are codes, blobs or keyboard accidents,
/// broken by force if they must be. It also bounds the hyphenation
/// library's work per word, which is not linear in the word's length.
const MAX_HYPHENATED_CHARS: usize = 100;
/// The cost of breaking at a hyphen (TeX's `\hyphenpenalty`) in justified
/// text, where a hyphen saves a loose line.
const HYPHEN_PENALTY: f32 = 50.0;
/// In ragged text (table cells, narrow columns) a hyphen only saves a
/// shorter line, so it must earn more: names and short titles stay whole.
const RAGGED_HYPHEN_PENALTY: f32 = 1000.0;
/// The cost of breaking a word too long for any line between two of its
/// characters, with no hyphen.
const FORCED_SPLIT_PENALTY: f32 = super::linebreak::LAST_RESORT;
/// A ragged line is judged as if it could stretch by this many ems.
const RAGGED_STRETCH_EM: f32 = 3.0;

/// A word, or the part of one in one style.
struct Word<'t> {
    text: &'t str,
    /// The language of the paragraph's Chinese, Japanese or Korean.
    cjk: Option<&'static str>,
    /// Where it starts in the paragraph's text.
    at: usize,
    span: usize,
    style: &'t Style,
    hyphen_cost: f32,
}

/// A piece of a line being drawn: its span, its glyphs, the width a
/// justified space gains, and where its text starts in the paragraph.
struct LinePiece<'p> {
    span: usize,
    glyphs: &'p Arc<[Glyph]>,
    extra: f32,
    offset: Option<usize>,
}

/// What an item stands for on the page: glyphs and spaces with their span
/// and where their text starts in the paragraph (for its direction).
enum Piece {
    Glyphs(usize, Arc<[Glyph]>, usize),
    Space(usize, Arc<[Glyph]>, usize),
    Hyphen(usize, Arc<[Glyph]>),
    Nothing,
}

impl Setter<'_> {
    /// Sets `spans` as a paragraph of lines at most `width` wide. `context`
    /// says where the text stands, for warnings about characters no font has.
    pub fn set(
        &self,
        spans: &[Span],
        width: f32,
        align: Align,
        context: &str,
        warnings: &mut Vec<Warning>,
    ) -> Vec<Line> {
        let styles: Vec<&Style> = spans.iter().map(|s| &s.style).collect();
        let hyphen_cost = if align == Align::Justify {
            HYPHEN_PENALTY
        } else {
            RAGGED_HYPHEN_PENALTY
        };
        let (items, pieces) = self.items(spans, width, hyphen_cost, context, warnings);
        if items.len() <= 2 {
            return Vec::new();
        }
        let size = spans.iter().map(|s| s.style.size).fold(0.0, f32::max);
        let mode = if align == Align::Justify {
            Mode::Justified
        } else {
            Mode::Ragged {
                stretch: RAGGED_STRETCH_EM * size,
            }
        };
        let breaks = break_lines(&items, width, mode);
        let directions = Directions::of(spans, self.direction);
        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        // The line's pieces in the order of the text, then in the order they
        // are drawn: right-to-left stretches turned round by the
        // bidirectional algorithm, for this line alone. One buffer for all
        // the lines.
        let mut placed: Vec<LinePiece> = Vec::new();
        for b in breaks {
            let mut runs: Vec<Run> = Vec::new();
            let mut x = 0.0;
            let mut first = start;
            while first < b.position && !matches!(items[first], Item::Box { .. }) {
                first += 1;
            }
            for i in first..=b.position {
                let (style, glyphs, extra, offset) = match (&pieces[i], items[i]) {
                    (Piece::Glyphs(s, g, at), _) if i < b.position => (*s, g, 0.0, Some(*at)),
                    (
                        Piece::Space(s, g, at),
                        Item::Glue {
                            stretch, shrink, ..
                        },
                    ) if i < b.position => {
                        let extra = if b.ratio > 0.0 {
                            b.ratio * stretch
                        } else {
                            b.ratio * shrink
                        };
                        (*s, g, extra, Some(*at))
                    }
                    (Piece::Hyphen(s, g), _) if i == b.position => (*s, g, 0.0, None),
                    _ => continue,
                };
                placed.push(LinePiece {
                    span: style,
                    glyphs,
                    extra,
                    offset,
                });
            }
            if let Some(directions) = &directions {
                let offsets: Vec<Option<usize>> = placed.iter().map(|p| p.offset).collect();
                let order = directions.visual_order(&offsets);
                let mut logical: Vec<Option<_>> = placed.drain(..).map(Some).collect();
                placed.extend(order.into_iter().filter_map(|i| logical[i].take()));
            }
            // Where in the text each run starts: runs are handed on in the
            // order they are read, whatever the order they stand in.
            let mut run_starts: Vec<usize> = Vec::new();
            for LinePiece {
                span: style,
                glyphs,
                extra,
                offset,
            } in placed.drain(..)
            {
                let size = styles[style].size;
                if !matches!(runs.last(), Some(run) if run.style == *styles[style]) {
                    runs.push(Run::new(x, styles[style].clone()));
                    run_starts.push(usize::MAX);
                }
                if let (Some(offset), Some(start)) = (offset, run_starts.last_mut()) {
                    *start = (*start).min(offset);
                }
                let run = runs.last_mut().expect("a run was just ensured");
                let from = run.glyphs.len();
                run.glyphs.reserve(glyphs.len());
                for glyph in glyphs.iter() {
                    run.push(glyph, glyph.advance * size);
                }
                if let Some(last) = run.glyphs[from..].last_mut() {
                    last.advance += extra;
                }
                let advance: f32 = run.glyphs[from..].iter().map(|g| g.advance).sum();
                x += advance;
            }
            let line_width = x;
            if self.direction == Direction::RightToLeft {
                // A right-to-left page is laid out from the start of its
                // lines and mirrored once set (`layout::mirror`): each run is
                // put where the mirror turns it into its place in the order
                // drawn. Its glyphs stay in their order.
                for run in &mut runs {
                    run.x = line_width - run.x - run.width();
                }
            }
            // Alignment by the line's start: the mirror of a right-to-left
            // page turns "left" into its right.
            let shift = match align {
                Align::Center => ((width - line_width) / 2.0).max(0.0),
                Align::Right => (width - line_width).max(0.0),
                _ => 0.0,
            };
            for run in &mut runs {
                run.x += shift;
            }
            if directions.is_some() && run_starts.windows(2).any(|w| w[0] > w[1]) {
                let mut ordered: Vec<(usize, Run)> = run_starts.into_iter().zip(runs).collect();
                ordered.sort_by_key(|(start, _)| *start);
                runs = ordered.into_iter().map(|(_, run)| run).collect();
            }
            lines.push(Line {
                runs,
                width: line_width,
            });
            start = b.position + 1;
        }
        lines
    }

    fn items(
        &self,
        spans: &[Span],
        width: f32,
        hyphen_cost: f32,
        context: &str,
        warnings: &mut Vec<Warning>,
    ) -> (Vec<Item>, Vec<Piece>) {
        // The whole paragraph as one text, and where each span starts in it.
        let mut text = String::new();
        let mut starts = Vec::with_capacity(spans.len());
        for span in spans {
            starts.push(text.len());
            text.push_str(&span.text);
        }
        let span_at = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
        let cjk = fonts::cjk_language(&text);
        let mut items = Vec::new();
        let mut pieces = Vec::new();
        let mut previous = 0;
        for (end, opportunity) in linebreaks(&text) {
            let segment = &text[previous..end];
            let content_len = segment.trim_end_matches([' ', '\n', '\r', '\t']).len();
            // The segment's word, span by span.
            let mut at = previous;
            let content_end = previous + content_len;
            while at < content_end {
                let s = span_at(at);
                let span_end = (starts.get(s + 1).copied().unwrap_or(text.len())).min(content_end);
                let word = Word {
                    text: &text[at..span_end],
                    cjk,
                    at,
                    span: s,
                    style: &spans[s].style,
                    hyphen_cost,
                };
                self.word(word, width, context, warnings, &mut items, &mut pieces);
                at = span_end;
            }
            // The space after it, in the style of the text it follows.
            if content_end < end && segment[content_len..].contains(' ') {
                let s = span_at(content_end);
                let style = &spans[s].style;
                let glyphs = self.fonts.shape(style.face, " ");
                let w = fonts::width(&glyphs) * style.size;
                items.push(Item::Glue {
                    width: w,
                    stretch: w / 2.0,
                    shrink: w / 3.0,
                });
                pieces.push(Piece::Space(s, glyphs, content_end));
            }
            if opportunity == BreakOpportunity::Mandatory && end < text.len() {
                // A hard line break inside the paragraph.
                end_line(&mut items, &mut pieces);
            } else if end < text.len() && !matches!(items.last(), Some(Item::Glue { .. })) {
                // A break opportunity with no space, e.g. after a hyphen or
                // a slash.
                items.push(Item::Penalty {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                });
                pieces.push(Piece::Nothing);
            }
            previous = end;
        }
        end_line(&mut items, &mut pieces);
        (items, pieces)
    }

    /// Adds one word (or the part of it in one style) as boxes, with its
    /// hyphenation points, or broken by force when no line could hold it.
    fn word(
        &self,
        Word {
            text: word,
            cjk,
            at,
            span,
            style,
            hyphen_cost,
        }: Word,
        width: f32,
        context: &str,
        warnings: &mut Vec<Warning>,
        items: &mut Vec<Item>,
        pieces: &mut Vec<Piece>,
    ) {
        if word.is_empty() {
            return;
        }
        let glyphs = self.fonts.shape_in(style.face, word, cjk);
        if glyphs.iter().any(|g| g.id == 0) {
            for c in self.fonts.missing(style.face, word) {
                warnings.push(Warning::MissingGlyph {
                    character: c,
                    context: context.to_string(),
                });
            }
        }
        let total = fonts::width(&glyphs) * style.size;
        // Where the word may be split: at its hyphenation points, and, for a
        // word wider than the line, between any two characters too (at a
        // high cost, so that a hyphen is used wherever one helps).
        let hyphenation = self.hyphenation_points(word, style, &glyphs);
        let splits: Vec<(usize, bool)> = if total > width {
            with_forced_splits(&hyphenation, &cluster_starts(&glyphs))
        } else {
            hyphenation.iter().map(|&i| (i, true)).collect()
        };
        if splits.is_empty() {
            items.push(Item::Box { width: total });
            pieces.push(Piece::Glyphs(span, glyphs, at));
            return;
        }
        let hyphen = self.fonts.shape(style.face, "-");
        let hyphen_width = fonts::width(&hyphen) * style.size;
        let mut from = 0;
        let mut offset = at;
        for (to, flagged) in splits
            .into_iter()
            .chain(std::iter::once((glyphs.len(), false)))
        {
            let part: Arc<[Glyph]> = glyphs[from..to].into();
            items.push(Item::Box {
                width: fonts::width(&part) * style.size,
            });
            let part_offset = offset;
            offset += part
                .iter()
                .filter_map(|g| g.text.as_deref())
                .map(str::len)
                .sum::<usize>();
            pieces.push(Piece::Glyphs(span, part, part_offset));
            if to < glyphs.len() {
                if flagged {
                    items.push(Item::Penalty {
                        width: hyphen_width,
                        cost: hyphen_cost,
                        flagged: true,
                    });
                    pieces.push(Piece::Hyphen(span, hyphen.clone()));
                } else {
                    items.push(Item::Penalty {
                        width: 0.0,
                        cost: FORCED_SPLIT_PENALTY,
                        flagged: false,
                    });
                    pieces.push(Piece::Nothing);
                }
            }
            from = to;
        }
    }

    /// Glyph indices where the word may be hyphenated: within its letters,
    /// the punctuation around them aside (`Bedrohungen.`, `„Sicherheit“`).
    fn hyphenation_points(&self, word: &str, style: &Style, glyphs: &[Glyph]) -> Vec<usize> {
        let Some(hyphenator) = self.hyphenator else {
            return Vec::new();
        };
        let not_letter = |c: char| !c.is_alphabetic();
        let start = word.len() - word.trim_start_matches(not_letter).len();
        let letters = word[start..].trim_end_matches(not_letter);
        let length = letters.chars().count();
        if style.face == Face::Mono
            || fonts::has_right_to_left(letters)
            || !(MIN_HYPHENATED_CHARS..=MAX_HYPHENATED_CHARS).contains(&length)
            || !letters.chars().all(char::is_alphabetic)
        {
            return Vec::new();
        }
        let breaks = hyphenator.points(letters);
        // Byte offset of each glyph's text, to find the glyph a break falls before.
        let mut offset = 0;
        let mut glyph_at_offset = Vec::new();
        for (i, g) in glyphs.iter().enumerate() {
            if let Some(text) = &g.text {
                glyph_at_offset.push((offset, i));
                offset += text.len();
            }
        }
        // The offsets grow with the glyphs: found by bisection, so that a
        // long word's many breaks do not each search all its glyphs.
        breaks
            .iter()
            .map(|b| b + start)
            .filter_map(|b| {
                let at = glyph_at_offset.partition_point(|(o, _)| *o < b);
                glyph_at_offset
                    .get(at)
                    .filter(|(o, _)| *o == b)
                    .map(|(_, i)| *i)
            })
            .collect()
    }
}

/// Ends a line here: glue that fills the rest of it, and a forced break.
fn end_line(items: &mut Vec<Item>, pieces: &mut Vec<Piece>) {
    items.push(Item::Glue {
        width: 0.0,
        stretch: FILL,
        shrink: 0.0,
    });
    pieces.push(Piece::Nothing);
    items.push(Item::Penalty {
        width: 0.0,
        cost: -INFINITY,
        flagged: false,
    });
    pieces.push(Piece::Nothing);
}

/// The embedding level of every byte of a paragraph with right-to-left
/// text in it, by the Unicode Bidirectional Algorithm (UAX #9): what orders
/// the pieces of each of its lines.
struct Directions {
    base: unicode_bidi::Level,
    levels: Vec<unicode_bidi::Level>,
}

impl Directions {
    /// `None` for a left-to-right paragraph with no right-to-left text: it
    /// is drawn in the order it is written, at no cost.
    fn of(spans: &[Span], direction: Direction) -> Option<Directions> {
        let base = match direction {
            Direction::LeftToRight => {
                if !spans.iter().any(|s| fonts::has_right_to_left(&s.text)) {
                    return None;
                }
                unicode_bidi::Level::ltr()
            }
            Direction::RightToLeft => unicode_bidi::Level::rtl(),
        };
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        let info = unicode_bidi::ParagraphBidiInfo::new(&text, Some(base));
        Some(Directions {
            base,
            levels: info.levels,
        })
    }

    /// The visual order of a line's pieces, each given by where its text
    /// starts (`None` for a hyphen, which takes the level of the piece
    /// before it). The line's own rule (L1: whitespace at its end goes back
    /// to the paragraph's level) needs nothing here, since a line's pieces
    /// end before the space it breaks at.
    fn visual_order(&self, offsets: &[Option<usize>]) -> Vec<usize> {
        let mut previous = self.base;
        let levels: Vec<unicode_bidi::Level> = offsets
            .iter()
            .map(|offset| {
                if let Some(level) = offset.and_then(|at| self.levels.get(at)) {
                    previous = *level;
                }
                previous
            })
            .collect();
        unicode_bidi::BidiInfo::reorder_visual(&levels)
    }
}

/// Where a word too wide for the line may be split: at each of its
/// `hyphenation` points (flagged: a hyphen is shown) and between any two
/// characters (`cluster_starts`), in order. Both lists are in order, so one
/// merge does it, in time linear in the word's length.
fn with_forced_splits(hyphenation: &[usize], cluster_starts: &[usize]) -> Vec<(usize, bool)> {
    let mut splits = Vec::with_capacity(hyphenation.len() + cluster_starts.len());
    let (mut h, mut c) = (0, 0);
    loop {
        match (hyphenation.get(h), cluster_starts.get(c)) {
            (Some(&hyphen), Some(&cluster)) if hyphen <= cluster => {
                splits.push((hyphen, true));
                h += 1;
                if hyphen == cluster {
                    c += 1;
                }
            }
            (_, Some(&cluster)) => {
                splits.push((cluster, false));
                c += 1;
            }
            (Some(&hyphen), None) => {
                splits.push((hyphen, true));
                h += 1;
            }
            (None, None) => return splits,
        }
    }
}

/// Indices of the glyphs that start a character, after the first.
fn cluster_starts(glyphs: &[Glyph]) -> Vec<usize> {
    glyphs
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, g)| g.text.is_some())
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::Hyphenator;

    #[test]
    fn a_run_and_its_parts_give_each_glyph_its_text() {
        let fonts = Fonts::bundled();
        // A ligature (one glyph, two letters), letters with combining
        // marks (glyphs without text of their own) and plain letters.
        let run = Run::shaped(
            &fonts.shape(Face::Regular, "office a\u{301}b"),
            &style(10.0),
        );
        let texts: Vec<Option<&str>> = run.glyph_texts().collect();
        assert_eq!(texts.len(), run.glyphs.len());
        assert_eq!(
            texts.iter().flatten().copied().collect::<String>(),
            run.text()
        );
        assert_eq!(run.text(), "office a\u{301}b");
        for start in 0..run.glyphs.len() {
            for end in start..=run.glyphs.len() {
                let part = run.part(start..end, 1.0);
                assert_eq!(part.glyphs, run.glyphs[start..end]);
                assert_eq!(part.glyph_texts().collect::<Vec<_>>(), texts[start..end]);
            }
        }
    }

    fn style(size: f32) -> Style {
        Style {
            face: Face::Regular,
            size,
            color: Color::BLACK,
            link: None,
        }
    }

    fn set(text: &str, width: f32, align: Align, language: crate::i18n::Language) -> Vec<String> {
        let fonts = Fonts::bundled();
        let hyphenator = Hyphenator::new(language);
        let setter = Setter {
            fonts: &fonts,
            hyphenator: Some(&hyphenator),
            direction: Direction::LeftToRight,
        };
        let spans = [Span {
            text: text.to_string(),
            style: style(10.0),
        }];
        let mut warnings = Vec::new();
        setter
            .set(&spans, width, align, "test", &mut warnings)
            .iter()
            .map(Line::text)
            .collect()
    }

    #[test]
    fn german_compounds_hyphenate_in_a_narrow_column() {
        let lines = set(
            "Die Sicherheitszusammenarbeit stärkt die Territorialüberwachung.",
            90.0,
            Align::Left,
            crate::i18n::Language::De,
        );
        assert!(lines.iter().any(|l| l.ends_with('-')), "{lines:?}");
        let joined: String = lines
            .iter()
            .map(|l| l.strip_suffix('-').unwrap_or(l).trim_end().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            joined
                .replace(' ', "")
                .contains("Sicherheitszusammenarbeit"),
            "{lines:?}"
        );
    }

    #[test]
    fn words_with_punctuation_hyphenate_within_their_letters() {
        let fonts = Fonts::bundled();
        let hyphenator = Hyphenator::new(crate::i18n::Language::De);
        let setter = Setter {
            fonts: &fonts,
            hyphenator: Some(&hyphenator),
            direction: Direction::LeftToRight,
        };
        let points = |word: &str| {
            let glyphs = fonts.shape(Face::Regular, word);
            setter.hyphenation_points(word, &style(10.0), &glyphs)
        };
        let bare = points("Bedrohungen");
        assert!(!bare.is_empty());
        assert_eq!(points("Bedrohungen."), bare);
        assert_eq!(points("Bedrohungen“,"), bare);
        // After an opening quote, each point is one glyph further on.
        let quoted: Vec<usize> = bare.iter().map(|p| p + 1).collect();
        assert_eq!(points("„Bedrohungen“"), quoted);
        // Letters with a hyphen or digit inside stay whole.
        assert!(points("Win-Win-Prinzip.").is_empty());
        assert!(points("G20-Gipfel").is_empty());
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_by_force() {
        let fonts = Fonts::bundled();
        let word = "Donaudampfschifffahrtsgesellschaftskapitän".repeat(2);
        let lines = set(
            &format!("Ein {word} fährt."),
            60.0,
            Align::Justify,
            crate::i18n::Language::En,
        );
        assert!(lines.len() > 3, "{lines:?}");
        // Every character is there, in order (hyphens added at line ends aside).
        let all: String = lines
            .iter()
            .map(|l| l.strip_suffix('-').unwrap_or(l))
            .collect();
        assert_eq!(all.replace(' ', ""), format!("Ein{word}fährt."));
        // No line is wider than the column.
        let setter = Setter {
            fonts: &fonts,
            hyphenator: None,
            direction: Direction::LeftToRight,
        };
        let spans = [Span {
            text: word.clone(),
            style: style(10.0),
        }];
        for line in setter.set(&spans, 60.0, Align::Left, "test", &mut Vec::new()) {
            assert!(line.width <= 60.0 + 0.01, "{}", line.width);
        }
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let text = "The delegation will arrive on Tuesday and meet the minister of foreign affairs before the opening session of the conference in the afternoon, then travel on to the capital for consultations with the parliamentary committee on international cooperation.";
        let fonts = Fonts::bundled();
        let hyphenator = Hyphenator::new(crate::i18n::Language::En);
        let setter = Setter {
            fonts: &fonts,
            hyphenator: Some(&hyphenator),
            direction: Direction::LeftToRight,
        };
        let spans = [Span {
            text: text.into(),
            style: style(10.0),
        }];
        let lines = setter.set(&spans, 250.0, Align::Justify, "test", &mut Vec::new());
        let texts: Vec<String> = lines.iter().map(Line::text).collect();
        assert!(lines.len() >= 4, "{texts:?}");
        for line in &lines[..lines.len() - 1] {
            assert!(
                (line.width - 250.0).abs() < 0.5,
                "{} is not justified: {texts:?}",
                line.width
            );
        }
        let joined: String = texts
            .iter()
            .map(|t| match t.strip_suffix('-') {
                Some(part) => part.to_string(),
                None => format!("{} ", t.trim_end()),
            })
            .collect();
        assert_eq!(joined.trim_end(), text);
    }

    #[test]
    fn missing_characters_are_warned_about() {
        let fonts = Fonts::bundled();
        let setter = Setter {
            fonts: &fonts,
            hyphenator: None,
            direction: Direction::LeftToRight,
        };
        let spans = [Span {
            // Private-use characters: in no font, on any system.
            text: "Visit to \u{F0000}\u{F0001}".into(),
            style: style(10.0),
        }];
        let mut warnings = Vec::new();
        let lines = setter.set(&spans, 200.0, Align::Left, "the title", &mut warnings);
        assert_eq!(lines[0].text(), "Visit to \u{F0000}\u{F0001}");
        assert_eq!(
            warnings,
            vec![
                Warning::MissingGlyph {
                    character: '\u{F0000}',
                    context: "the title".into()
                },
                Warning::MissingGlyph {
                    character: '\u{F0001}',
                    context: "the title".into()
                },
            ]
        );
    }
}

#[cfg(test)]
mod mixed_script_properties {
    use super::*;
    use proptest::prelude::*;

    /// Words from the scripts a visit brings, digits and punctuation, to be
    /// strung together at random.
    const WORDS: &[&str] = &[
        "Moskau",
        "Straße",
        "Москва",
        "عبد",
        "اللطيف",
        "حموشي",
        "للأمن",
        "2025",
        "(SCO)",
        "דוד",
        "בן-גוריון",
        "فارسی",
        "پژوهش",
        "٢٠٢٥",
        "—",
        "«",
        "»",
        "Việt",
        "e\u{301}",
        "\u{200F}",
        "\u{202B}",
        "\u{F0000}",
    ];

    fn fonts() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(Fonts::bundled)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Whatever the mix and the width, setting a paragraph ends, and
        /// every character of it is drawn exactly once, in some line.
        #[test]
        fn any_mix_of_scripts_is_set_whole(
            picks in proptest::collection::vec(0..WORDS.len(), 1..40),
            width in 20.0f32..400.0,
            justify in any::<bool>(),
            right_to_left in any::<bool>(),
        ) {
            let direction = if right_to_left { Direction::RightToLeft } else { Direction::LeftToRight };
            let text = picks.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            let setter = Setter { fonts: fonts(), hyphenator: None, direction };
            let spans = [Span {
                text: text.clone(),
                style: Style { face: Face::Regular, size: 10.0, color: crate::typeset::Color::BLACK, link: None },
            }];
            let align = if justify { Align::Justify } else { Align::Left };
            let mut warnings = Vec::new();
            let lines = setter.set(&spans, width, align, "a test", &mut warnings);
            let mut drawn: Vec<char> = lines
                .iter()
                .flat_map(|l| l.text().chars().collect::<Vec<_>>())
                .filter(|c| !c.is_whitespace())
                .collect();
            let mut written: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
            drawn.sort_unstable();
            written.sort_unstable();
            prop_assert_eq!(drawn, written);
        }
    }
}
