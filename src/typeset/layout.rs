//! Blocks to pages. First every block is set into *elements* (a line, a
//! table row, an image) of known height, stacked into a flow; then the flow
//! is cut into pages. Measuring comes first and drawing never decides
//! anything, so that "page X of Y" and the contents' page numbers are filled
//! in once every page is known.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::Alignment;

use super::fonts::{self, Face, Fonts};
use super::markdown::{self, Block, Inline};
use super::paragraph::{Align, Line, Setter, Span, Style};
use super::theme::{mm, Theme};
use super::{Document, Heading, Item, Page, Pt, Target, TypesetError, Warning};

/// What a document is set with.
pub struct Setup<'a> {
    pub theme: &'a Theme,
    pub fonts: &'a Fonts,
    pub hyphenator: Option<&'a super::Hyphenator>,
    pub furniture: Furniture,
    /// Image paths that are not absolute are read from this folder.
    pub base_dir: &'a Path,
}

/// What every page carries besides its content. `{page}` and `{pages}` in
/// these texts become the page's number and the number of pages.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// The classification marking, centred at the top and the bottom.
    pub marking: Option<String>,
    pub header: String,
    pub footer_left: String,
    pub footer_right: String,
}

/// Lays out a Markdown document.
pub fn typeset(markdown: &str, setup: &Setup) -> Result<Document, TypesetError> {
    let blocks = markdown::parse(markdown);
    let mut layout = Layout::new(setup, &blocks);
    let flow = layout.body(&blocks)?;
    let (pages, anchors) = layout.paginate(flow);
    Ok(layout.finish(pages, anchors))
}

/// One unit of the flow: everything in it moves to the next page together.
#[derive(Debug, Clone, Default)]
struct Element {
    height: Pt,
    /// Positioned with y measured from the element's top.
    items: Vec<Item>,
    page_refs: Vec<PageRef>,
    /// No page break between this element and the next.
    keep_with_next: bool,
    table: Option<usize>,
    /// The header row of its table, repeated on every page the table runs onto.
    is_table_header: bool,
    /// The heading whose first line this is.
    anchor: Option<usize>,
    first_baseline: Option<Pt>,
}

/// A page number not known until the flow is cut into pages.
#[derive(Debug, Clone)]
struct PageRef {
    heading: usize,
    right: Pt,
    baseline: Pt,
    style: Style,
}

/// A page being filled: its items, and its page numbers still to fill in.
type PageBuild = (Vec<Item>, Vec<PageRef>);
/// Where each heading landed: page index and top.
type Anchors = Vec<Option<(usize, Pt)>>;

#[derive(Debug, Clone)]
enum Flow {
    Element(Element),
    /// Vertical space, dropped at the top of a page.
    Space(Pt),
    /// Vertical space kept even at the top of a page.
    Skip(Pt),
    PageBreak,
}

struct Layout<'a> {
    setup: &'a Setup<'a>,
    theme: &'a Theme,
    setter: Setter<'a>,
    page_width: Pt,
    page_height: Pt,
    top: Pt,
    bottom: Pt,
    left: Pt,
    width: Pt,
    /// The headings outside the cover, in order: (title with number, level).
    headings: Arc<[(String, u8)]>,
    next_heading: usize,
    cover: bool,
    tables: Vec<Vec<Element>>,
    /// The heading of the section being set, for warnings.
    section: String,
    warnings: Vec<Warning>,
}

/// Where the footer sits below the text area: its rule, then its text.
const FOOTER_RULE_BELOW: Pt = 8.0;
const FOOTER_TEXT_BELOW_RULE: Pt = 11.0;

/// Space between blocks, in multiples of the body size.
const BLOCK_GAP: f32 = 0.6;
/// Space inside a table cell.
const CELL_PADDING_X: Pt = 4.0;
const CELL_PADDING_Y: Pt = 3.0;

impl<'a> Layout<'a> {
    fn new(setup: &'a Setup<'a>, blocks: &[Block]) -> Layout<'a> {
        let theme = setup.theme;
        let (page_width, page_height) = theme.page.size.points();
        let margins = &theme.page.margins;
        let mut layout = Layout {
            setup,
            theme,
            setter: Setter {
                fonts: setup.fonts,
                hyphenator: setup.hyphenator,
            },
            page_width,
            page_height,
            top: mm(margins.top),
            bottom: page_height - mm(margins.bottom),
            left: mm(margins.left),
            width: page_width - mm(margins.left) - mm(margins.right),
            headings: Arc::new([]),
            next_heading: 0,
            cover: false,
            tables: Vec::new(),
            section: String::new(),
            warnings: Vec::new(),
        };
        layout.headings = layout.number_headings(blocks).into();
        layout
    }

    /// The headings that get an anchor, numbered when the theme says so.
    fn number_headings(&self, blocks: &[Block]) -> Vec<(String, u8)> {
        let mut counters = [0usize; 3];
        let mut cover = false;
        let mut headings = Vec::new();
        for block in blocks {
            match block {
                Block::Cover => cover = true,
                Block::PageBreak => cover = false,
                Block::Heading { level, text } if !cover => {
                    let title = plain_text(text);
                    let level = *level;
                    let numbered = if self.theme.numbered_headings && level <= 2 {
                        let l = level as usize;
                        counters[l - 1] += 1;
                        counters[l..].iter_mut().for_each(|c| *c = 0);
                        let number: Vec<String> =
                            counters[..l].iter().map(|c| c.to_string()).collect();
                        format!("{} {title}", number.join("."))
                    } else {
                        title
                    };
                    headings.push((numbered, level));
                }
                _ => {}
            }
        }
        headings
    }

    fn body_style(&self) -> Style {
        Style {
            face: Face::Regular,
            size: self.theme.sizes.body,
            color: self.theme.colours.text,
            link: None,
        }
    }

    fn spans(&self, inlines: &[Inline], base: &Style) -> Vec<Span> {
        inlines
            .iter()
            .map(|inline| Span {
                text: inline.text.clone(),
                style: Style {
                    face: if inline.code {
                        Face::Mono
                    } else {
                        let bold =
                            inline.bold || matches!(base.face, Face::Bold | Face::BoldItalic);
                        let italic =
                            inline.italic || matches!(base.face, Face::Italic | Face::BoldItalic);
                        Face::styled(bold, italic)
                    },
                    size: base.size,
                    color: if inline.link.is_some() {
                        self.theme.colours.link
                    } else {
                        base.color
                    },
                    link: inline.link.clone(),
                },
            })
            .collect()
    }

    fn line_height(&self, size: Pt) -> Pt {
        size * self.theme.line_height
    }

    /// Where the baseline of a line of this size sits below its top.
    fn baseline(&self, size: Pt) -> Pt {
        let font = self.setup.fonts.font(Face::Regular);
        let height = self.line_height(size);
        (height - (font.ascender + font.descender) * size) / 2.0 + font.ascender * size
    }

    /// Set lines as elements, with links, keeping a paragraph's first and
    /// last lines from standing alone on a page.
    fn line_elements(&self, lines: Vec<Line>, x: Pt, size: Pt) -> Vec<Element> {
        let height = self.line_height(size);
        let baseline = self.baseline(size);
        let count = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let mut items = Vec::with_capacity(line.runs.len());
                for run in line.runs {
                    if let Some(uri) = &run.style.link {
                        items.push(Item::Link {
                            x: x + run.x,
                            y: 0.0,
                            width: run.width(),
                            height,
                            target: Target::Uri(uri.clone()),
                        });
                    }
                    items.push(Item::Text {
                        x: x + run.x,
                        baseline,
                        run,
                    });
                }
                Element {
                    height,
                    items,
                    keep_with_next: count >= 2 && (i == 0 || i == count - 2),
                    first_baseline: Some(baseline),
                    ..Element::default()
                }
            })
            .collect()
    }

    fn paragraph(&mut self, spans: &[Span], x: Pt, width: Pt, align: Align) -> Vec<Element> {
        let size = spans.iter().map(|s| s.style.size).fold(0.0, f32::max);
        let lines = self
            .setter
            .set(spans, width, align, &self.section, &mut self.warnings);
        self.line_elements(lines, x, size)
    }

    /// The body: its parts (each from one top-level heading to the next) set
    /// on every core, then joined in order. Setting a part depends only on
    /// where it starts — on the cover or not, after how many headings — and
    /// its tables are numbered from zero, then renumbered here.
    fn body(&mut self, blocks: &[Block]) -> Result<Vec<Flow>, TypesetError> {
        use rayon::prelude::*;
        let mut parts = Vec::new();
        let (mut start, mut start_state) = (0, (false, 0));
        let (mut cover, mut headings) = (false, 0);
        for (i, block) in blocks.iter().enumerate() {
            if matches!(block, Block::Heading { .. }) && !cover && i > start {
                parts.push((start..i, start_state));
                (start, start_state) = (i, (cover, headings));
            }
            match block {
                Block::Cover => cover = true,
                Block::PageBreak => cover = false,
                Block::Heading { .. } if !cover => headings += 1,
                _ => {}
            }
        }
        parts.push((start..blocks.len(), start_state));
        let set: Vec<_> = parts
            .into_par_iter()
            .map(|(range, (cover, next_heading))| {
                let mut part = Layout {
                    headings: self.headings.clone(),
                    next_heading,
                    cover,
                    tables: Vec::new(),
                    section: next_heading
                        .checked_sub(1)
                        .map_or_else(String::new, |h| self.headings[h].0.clone()),
                    warnings: Vec::new(),
                    ..*self
                };
                let started = range.start > 0;
                let flow = part.blocks(&blocks[range], self.left, self.width, 0, true, started)?;
                Ok((flow, part.tables, part.warnings))
            })
            .collect();
        let mut flow = Vec::new();
        for (i, part) in set.into_iter().enumerate() {
            let (part_flow, tables, warnings) = part?;
            let mut part_flow = part_flow.into_iter();
            if i > 0 && flow.is_empty() {
                // The gap before the part's first block: nothing came before
                // it after all.
                part_flow.next();
            }
            let offset = self.tables.len();
            flow.extend(part_flow.map(|item| match item {
                Flow::Element(mut element) => {
                    element.table = element.table.map(|t| t + offset);
                    Flow::Element(element)
                }
                other => other,
            }));
            self.tables.extend(tables);
            self.warnings.extend(warnings);
        }
        Ok(flow)
    }

    /// Blocks as flow; `started` when flow came before them (each block but
    /// the first is set a gap below the one before).
    fn blocks(
        &mut self,
        blocks: &[Block],
        x: Pt,
        width: Pt,
        depth: usize,
        top_level: bool,
        started: bool,
    ) -> Result<Vec<Flow>, TypesetError> {
        let mut flow = Vec::new();
        let gap = self.theme.sizes.body * BLOCK_GAP;
        for block in blocks {
            match block {
                Block::PageBreak => {
                    self.cover = false;
                    flow.push(Flow::PageBreak);
                    continue;
                }
                Block::Cover => {
                    self.cover = true;
                    // The cover's title stands a little below the top.
                    flow.push(Flow::Skip(self.page_height * 0.15));
                    continue;
                }
                _ => {}
            }
            if started || !flow.is_empty() {
                flow.push(Flow::Space(gap));
            }
            match block {
                Block::Heading { level, text } => {
                    flow.extend(self.heading(*level, text, x, width, top_level))
                }
                Block::Paragraph(inlines) => {
                    let align = if self.cover {
                        Align::Center
                    } else if self.theme.justify {
                        Align::Justify
                    } else {
                        Align::Left
                    };
                    let spans = self.spans(inlines, &self.body_style());
                    flow.extend(
                        self.paragraph(&spans, x, width, align)
                            .into_iter()
                            .map(Flow::Element),
                    );
                }
                Block::List { start, items } => {
                    flow.extend(self.list(*start, items, x, width, depth)?)
                }
                Block::Table { align, head, rows } => {
                    flow.extend(self.table(align, head, rows, x, width))
                }
                Block::Quote(blocks) => {
                    let inner = self.blocks(blocks, x + 12.0, width - 12.0, depth, false, false)?;
                    let bar = self.theme.colours.rule;
                    flow.extend(inner.into_iter().map(|f| match f {
                        Flow::Element(mut e) => {
                            e.items.push(Item::Rect {
                                x: x + 2.0,
                                y: 0.0,
                                width: 2.0,
                                height: e.height,
                                color: bar,
                            });
                            Flow::Element(e)
                        }
                        other => other,
                    }));
                }
                Block::Code(code) => {
                    let style = Style {
                        face: Face::Mono,
                        size: self.theme.sizes.body * 0.9,
                        ..self.body_style()
                    };
                    for line in code.lines() {
                        let spans = [Span {
                            text: line.to_string(),
                            style: style.clone(),
                        }];
                        let mut elements =
                            self.paragraph(&spans, x + 8.0, width - 8.0, Align::Left);
                        if elements.is_empty() {
                            elements.push(Element {
                                height: self.line_height(style.size),
                                ..Element::default()
                            });
                        }
                        flow.extend(elements.into_iter().map(Flow::Element));
                    }
                }
                Block::Rule => flow.push(Flow::Element(Element {
                    height: 8.0,
                    items: vec![Item::Line {
                        x1: x,
                        y1: 4.0,
                        x2: x + width,
                        y2: 4.0,
                        width: 0.5,
                        color: self.theme.colours.rule,
                    }],
                    ..Element::default()
                })),
                Block::Image { path, .. } => flow.push(Flow::Element(self.image(path, x, width)?)),
                Block::Contents { title } => flow.extend(self.contents(title, x, width)),
                Block::PageBreak | Block::Cover => {}
            }
        }
        Ok(flow)
    }

    fn heading(
        &mut self,
        level: u8,
        text: &[Inline],
        x: Pt,
        width: Pt,
        top_level: bool,
    ) -> Vec<Flow> {
        let sizes = &self.theme.sizes;
        let size = match (self.cover, level) {
            (true, 1) => sizes.cover_title,
            (true, _) => sizes.cover_subtitle,
            (false, 1) => sizes.h1,
            (false, 2) => sizes.h2,
            (false, _) => sizes.h3,
        };
        let mut inlines = text.to_vec();
        let mut anchor = None;
        if !self.cover && top_level {
            if let Some((title, _)) = self.headings.get(self.next_heading) {
                // The number, if any, stands before the heading's own text.
                let own = plain_text(text);
                if let Some(number) = title
                    .strip_suffix(&own)
                    .map(str::trim_end)
                    .filter(|n| !n.is_empty())
                {
                    inlines.insert(
                        0,
                        Inline {
                            text: format!("{number}\u{2002}"),
                            ..Inline::default()
                        },
                    );
                }
                self.section = title.clone();
                anchor = Some(self.next_heading);
                self.next_heading += 1;
            }
        }
        let base = Style {
            face: if self.cover && level > 1 {
                Face::Regular
            } else {
                Face::Bold
            },
            size,
            color: self.theme.colours.heading,
            link: None,
        };
        let spans = self.spans(&inlines, &base);
        let align = if self.cover {
            Align::Center
        } else {
            Align::Left
        };
        // Headings are not hyphenated.
        let setter = Setter {
            fonts: self.setup.fonts,
            hyphenator: None,
        };
        let lines = setter.set(&spans, width, align, &self.section, &mut self.warnings);
        let mut elements = self.line_elements(lines, x, size);
        for element in &mut elements {
            element.keep_with_next = true;
        }
        if let Some(first) = elements.first_mut() {
            first.anchor = anchor;
        }
        let mut flow = vec![Flow::Space(if self.cover {
            size * 0.5
        } else {
            size * 0.8
        })];
        flow.extend(elements.into_iter().map(Flow::Element));
        flow
    }

    fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        x: Pt,
        width: Pt,
        depth: usize,
    ) -> Result<Vec<Flow>, TypesetError> {
        let style = self.body_style();
        let markers: Vec<String> = (0..items.len())
            .map(|i| match start {
                Some(n) => format!("{}.", n + i as u64),
                None => ["•", "–", "◦"][depth.min(2)].to_string(),
            })
            .collect();
        let fonts = self.setup.fonts;
        let widest = markers
            .iter()
            .map(|m| fonts::width(&fonts.shape(style.face, m)) * style.size)
            .fold(0.0, f32::max);
        let indent = (widest + style.size * 0.6).max(style.size * 1.4);
        let mut flow = Vec::new();
        for (item, marker) in items.iter().zip(markers) {
            if !flow.is_empty() {
                flow.push(Flow::Space(style.size * 0.2));
            }
            let mut item_flow =
                self.blocks(item, x + indent, width - indent, depth + 1, false, false)?;
            // The blocks of an item are spaced more tightly than top-level ones.
            for f in &mut item_flow {
                if let Flow::Space(h) = f {
                    *h *= 0.5;
                }
            }
            if let Some(Flow::Element(first)) =
                item_flow.iter_mut().find(|f| matches!(f, Flow::Element(_)))
            {
                let run = self.single_line(&marker, &style);
                let marker_width = run.width();
                // Numbers are set flush right against the text; bullets flush left.
                let marker_x = if start.is_some() {
                    x + indent - style.size * 0.4 - marker_width
                } else {
                    x
                };
                first.items.push(Item::Text {
                    x: marker_x,
                    baseline: first.first_baseline.unwrap_or(self.baseline(style.size)),
                    run,
                });
            }
            flow.extend(item_flow);
        }
        Ok(flow)
    }

    fn table(
        &mut self,
        align: &[Alignment],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        x: Pt,
        width: Pt,
    ) -> Vec<Flow> {
        let size = self.theme.sizes.table;
        let body = Style {
            size,
            ..self.body_style()
        };
        let bold = Style {
            face: Face::Bold,
            ..body.clone()
        };
        let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            return Vec::new();
        }
        // Each column's narrowest (its longest word) and widest (its longest
        // cell on one line) widths.
        let fonts = self.setup.fonts;
        let mut min = vec![0.0f32; columns];
        let mut max = vec![0.0f32; columns];
        let all_rows =
            std::iter::once((head, &bold)).chain(rows.iter().map(|r| (r.as_slice(), &body)));
        for (row, style) in all_rows {
            for (c, cell) in row.iter().enumerate() {
                let spans = self.spans(cell, style);
                let (mut line, mut longest_word) = (0.0f32, 0.0f32);
                for span in &spans {
                    // Word by word, from the cache of shaped words: shaping
                    // each whole cell took a fifth of the time of a long
                    // programme, and filled the cache with one-off texts.
                    let space = fonts::width(&fonts.shape(span.style.face, " ")) * span.style.size;
                    let mut spaces = span.text.split_whitespace().count().saturating_sub(1) as f32;
                    if span.text.starts_with(char::is_whitespace) {
                        spaces += 1.0;
                    }
                    if span.text.ends_with(char::is_whitespace) {
                        spaces += 1.0;
                    }
                    line += spaces * space;
                    for word in span.text.split_whitespace() {
                        let w = fonts::width(&fonts.shape(span.style.face, word)) * span.style.size;
                        longest_word = longest_word.max(w);
                        line += w;
                    }
                }
                // A point to spare, so that rounding never pushes a word that
                // fits exactly into being hyphenated.
                min[c] = min[c].max(longest_word + 2.0 * CELL_PADDING_X + 1.0);
                max[c] = max[c].max(line + 2.0 * CELL_PADDING_X + 1.0).max(min[c]);
            }
        }
        let widths = column_widths(&min, &max, width);
        let table_id = self.tables.len();
        let header = self.table_row(head, &widths, align, x, &bold, true, table_id);
        self.tables.push(header.clone());
        let mut flow: Vec<Flow> = header.into_iter().map(Flow::Element).collect();
        for row in rows {
            flow.extend(
                self.table_row(row, &widths, align, x, &body, false, table_id)
                    .into_iter()
                    .map(Flow::Element),
            );
        }
        flow
    }

    /// A table row as one element; a row taller than a page, as one element
    /// per line, so that it can run on.
    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[Vec<Inline>],
        widths: &[Pt],
        align: &[Alignment],
        x: Pt,
        style: &Style,
        header: bool,
        table: usize,
    ) -> Vec<Element> {
        let line_height = self.line_height(style.size);
        let baseline = self.baseline(style.size);
        let mut cell_lines = Vec::with_capacity(widths.len());
        for (c, width) in widths.iter().enumerate() {
            let spans = cells
                .get(c)
                .map(|cell| self.spans(cell, style))
                .unwrap_or_default();
            let cell_align = match align.get(c) {
                Some(Alignment::Right) => Align::Right,
                Some(Alignment::Center) => Align::Center,
                _ => Align::Left,
            };
            let lines = self.setter.set(
                &spans,
                width - 2.0 * CELL_PADDING_X,
                cell_align,
                &self.section,
                &mut self.warnings,
            );
            cell_lines.push(lines);
        }
        let line_count = cell_lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let total_width: Pt = widths.iter().sum();
        let row_height = line_count as Pt * line_height + 2.0 * CELL_PADDING_Y;
        let slices: Vec<(usize, usize)> = if row_height <= self.bottom - self.top {
            vec![(0, line_count)]
        } else {
            (0..line_count).map(|i| (i, i + 1)).collect()
        };
        let last_slice = slices.len() - 1;
        let mut elements = Vec::with_capacity(slices.len());
        for (s, (from, to)) in slices.into_iter().enumerate() {
            let pad_top = if s == 0 { CELL_PADDING_Y } else { 0.0 };
            let pad_bottom = if s == last_slice { CELL_PADDING_Y } else { 0.0 };
            let height = (to - from) as Pt * line_height + pad_top + pad_bottom;
            let mut items = Vec::new();
            if header {
                items.push(Item::Rect {
                    x,
                    y: 0.0,
                    width: total_width,
                    height,
                    color: self.theme.colours.table_header,
                });
            }
            let mut cell_x = x;
            for (c, lines) in cell_lines.iter().enumerate() {
                for (l, line) in lines
                    .iter()
                    .enumerate()
                    .filter(|(l, _)| (from..to).contains(l))
                {
                    let top = pad_top + (l - from) as Pt * line_height;
                    for run in &line.runs {
                        let run_x = cell_x + CELL_PADDING_X + run.x;
                        if let Some(uri) = &run.style.link {
                            items.push(Item::Link {
                                x: run_x,
                                y: top,
                                width: run.width(),
                                height: line_height,
                                target: Target::Uri(uri.clone()),
                            });
                        }
                        items.push(Item::Text {
                            x: run_x,
                            baseline: top + baseline,
                            run: run.clone(),
                        });
                    }
                }
                cell_x += widths[c];
            }
            if s == last_slice {
                items.push(Item::Line {
                    x1: x,
                    y1: height,
                    x2: x + total_width,
                    y2: height,
                    width: if header { 0.8 } else { 0.4 },
                    color: self.theme.colours.rule,
                });
            }
            elements.push(Element {
                height,
                items,
                keep_with_next: header || s != last_slice,
                table: Some(table),
                is_table_header: header,
                ..Element::default()
            });
        }
        elements
    }

    fn image(&self, path: &str, x: Pt, width: Pt) -> Result<Element, TypesetError> {
        let file = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            self.setup.base_dir.join(path)
        };
        let fail = |reason: String| TypesetError::Image {
            path: file.clone(),
            reason,
        };
        let (w, h) = image::ImageReader::open(&file)
            .map_err(|e| fail(crate::io_reason(&e)))?
            .with_guessed_format()
            .map_err(|e| fail(crate::io_reason(&e)))?
            .into_dimensions()
            .map_err(|e| fail(e.to_string()))?;
        let shown_width = mm(self.theme.photo_width).min(width);
        let shown_height = shown_width * h as Pt / w.max(1) as Pt;
        Ok(Element {
            height: shown_height,
            items: vec![Item::Image {
                path: file.clone(),
                x,
                y: 0.0,
                width: shown_width,
                height: shown_height,
            }],
            keep_with_next: true,
            ..Element::default()
        })
    }

    /// The table of contents: every heading of the first two levels, with
    /// its page number (filled in after pagination) and a link to it.
    fn contents(&mut self, title: &str, x: Pt, width: Pt) -> Vec<Flow> {
        let mut flow = Vec::new();
        if !title.is_empty() {
            // The contents' own title: styled as a section, but neither
            // numbered nor listed.
            let style = Style {
                face: Face::Bold,
                size: self.theme.sizes.h1,
                color: self.theme.colours.heading,
                link: None,
            };
            let spans = [Span {
                text: title.to_string(),
                style,
            }];
            let mut elements = self.paragraph(&spans, x, width, Align::Left);
            elements.iter_mut().for_each(|e| e.keep_with_next = true);
            flow.extend(elements.into_iter().map(Flow::Element));
            flow.push(Flow::Space(self.theme.sizes.body));
        }
        let number_width = self.theme.sizes.body * 3.0;
        let entries: Vec<(usize, String, u8)> = self
            .headings
            .iter()
            .enumerate()
            .filter(|(_, (_, level))| *level <= 2)
            .map(|(i, (title, level))| (i, title.clone(), *level))
            .collect();
        for (heading, title, level) in entries {
            let indent = (level as Pt - 1.0) * self.theme.sizes.body * 1.5;
            let style = Style {
                face: if level == 1 {
                    Face::Bold
                } else {
                    Face::Regular
                },
                ..self.body_style()
            };
            let spans = [Span {
                text: title,
                style: style.clone(),
            }];
            let mut elements = self.paragraph(
                &spans,
                x + indent,
                width - indent - number_width,
                Align::Left,
            );
            let count = elements.len();
            for (i, element) in elements.iter_mut().enumerate() {
                element.keep_with_next = i + 1 < count;
                element.items.push(Item::Link {
                    x,
                    y: 0.0,
                    width,
                    height: element.height,
                    target: Target::Heading(heading),
                });
                if i + 1 == count {
                    element.page_refs.push(PageRef {
                        heading,
                        right: x + width,
                        baseline: element.first_baseline.unwrap_or(0.0),
                        style: style.clone(),
                    });
                }
            }
            if level == 1 && !flow.is_empty() {
                flow.push(Flow::Space(self.theme.sizes.body * 0.4));
            }
            flow.extend(elements.into_iter().map(Flow::Element));
        }
        flow
    }

    /// Cuts the flow into pages. Returns the pages (items and unresolved
    /// page numbers) and where each heading landed.
    fn paginate(&mut self, flow: Vec<Flow>) -> (Vec<PageBuild>, Anchors) {
        let mut pages: Vec<PageBuild> = vec![(Vec::new(), Vec::new())];
        let mut anchors = vec![None; self.headings.len()];
        let mut y = self.top;
        let mut empty = true;
        let content_height = self.bottom - self.top;
        let mut i = 0;
        while i < flow.len() {
            match &flow[i] {
                Flow::PageBreak => {
                    if !empty {
                        pages.push((Vec::new(), Vec::new()));
                        y = self.top;
                        empty = true;
                    }
                }
                Flow::Space(h) => {
                    if !empty {
                        y += h;
                    }
                }
                Flow::Skip(h) => y += h,
                Flow::Element(element) => {
                    let chain = chain_height(&flow[i..]);
                    let must_break = y + element.height > self.bottom
                        || (y + chain > self.bottom && chain <= content_height);
                    if must_break && !empty {
                        pages.push((Vec::new(), Vec::new()));
                        y = self.top;
                        // A table that runs on repeats its header row.
                        if let (Some(table), false) = (element.table, element.is_table_header) {
                            for header in self.tables[table].clone() {
                                place(&mut pages, &header, y, &mut anchors);
                                y += header.height;
                            }
                        }
                    }
                    place(&mut pages, element, y, &mut anchors);
                    y += element.height;
                    empty = false;
                }
            }
            i += 1;
        }
        if empty && pages.len() > 1 {
            pages.pop();
        }
        (pages, anchors)
    }

    /// Fills in page numbers and adds the marking, header and footer.
    fn finish(self, pages: Vec<PageBuild>, anchors: Anchors) -> Document {
        let total = pages.len();
        let theme = self.theme;
        let furniture = &self.setup.furniture;
        let small = Style {
            size: theme.sizes.small,
            ..self.body_style()
        };
        let marking_style = Style {
            face: Face::Bold,
            size: theme.sizes.small + 1.0,
            color: theme.colours.marking,
            link: None,
        };
        let right = self.left + self.width;
        let mut out = Vec::with_capacity(total);
        for (index, (mut items, refs)) in pages.into_iter().enumerate() {
            for r in refs {
                if let Some(Some((page, _))) = anchors.get(r.heading) {
                    let run = self.single_line(&(page + 1).to_string(), &r.style);
                    let x = r.right - run.width();
                    items.push(Item::Text {
                        x,
                        baseline: r.baseline,
                        run,
                    });
                }
            }
            let fill = |text: &str| {
                text.replace("{page}", &(index + 1).to_string())
                    .replace("{pages}", &total.to_string())
            };
            if let Some(marking) = &furniture.marking {
                for baseline in [
                    self.top * 0.42,
                    self.page_height - (self.page_height - self.bottom) * 0.3,
                ] {
                    let run = self.single_line(marking, &marking_style);
                    let x = (self.page_width - run.width()) / 2.0;
                    items.push(Item::Text { x, baseline, run });
                }
            }
            let header_baseline = self.top - 12.0;
            let header = fill(&furniture.header);
            if !header.is_empty() {
                let run = self.single_line(&header, &small);
                items.push(Item::Text {
                    x: self.left,
                    baseline: header_baseline,
                    run,
                });
            }
            items.push(Item::Line {
                x1: self.left,
                y1: header_baseline + 4.0,
                x2: right,
                y2: header_baseline + 4.0,
                width: 0.4,
                color: theme.colours.rule,
            });
            let footer_rule = self.bottom + FOOTER_RULE_BELOW;
            items.push(Item::Line {
                x1: self.left,
                y1: footer_rule,
                x2: right,
                y2: footer_rule,
                width: 0.4,
                color: theme.colours.rule,
            });
            let footer_baseline = footer_rule + FOOTER_TEXT_BELOW_RULE;
            let left_text = fill(&furniture.footer_left);
            if !left_text.is_empty() {
                items.push(Item::Text {
                    x: self.left,
                    baseline: footer_baseline,
                    run: self.single_line(&left_text, &small),
                });
            }
            let right_text = fill(&furniture.footer_right);
            if !right_text.is_empty() {
                let run = self.single_line(&right_text, &small);
                items.push(Item::Text {
                    x: right - run.width(),
                    baseline: footer_baseline,
                    run,
                });
            }
            out.push(Page { items });
        }
        let headings = self
            .headings
            .iter()
            .zip(&anchors)
            .map(|((title, level), anchor)| {
                let (page, y) = anchor.unwrap_or((0, self.top));
                Heading {
                    title: title.clone(),
                    level: *level,
                    page,
                    y,
                }
            })
            .collect();
        let mut warnings = self.warnings;
        warnings.dedup();
        Document {
            width: self.page_width,
            height: self.page_height,
            pages: out,
            headings,
            warnings,
        }
    }

    /// Text on one line, unbroken.
    fn single_line(&self, text: &str, style: &Style) -> super::Run {
        super::Run::shaped(&self.setup.fonts.shape(style.face, text), style)
    }
}

/// Binds laid-out documents into one: `front` (a pack's cover and contents),
/// then each part, titled. Every page keeps its own furniture and gets
/// `footer` (`{page}` and `{pages}` counting the whole) centred in its
/// footer; the outline has one entry per part, the part's headings below it.
pub fn bind(
    front: Document,
    parts: Vec<(String, Document)>,
    footer: &str,
    setup: &Setup,
) -> Document {
    let theme = setup.theme;
    let total: usize = front.pages.len() + parts.iter().map(|(_, d)| d.pages.len()).sum::<usize>();
    let mut pages = front.pages;
    let mut headings = front.headings;
    let mut warnings = front.warnings;
    let top = mm(theme.page.margins.top);
    for (title, part) in parts {
        let page_offset = pages.len();
        headings.push(Heading {
            title,
            level: 1,
            page: page_offset,
            y: top,
        });
        let heading_offset = headings.len();
        headings.extend(part.headings.into_iter().map(|h| Heading {
            level: h.level + 1,
            page: h.page + page_offset,
            ..h
        }));
        for mut page in part.pages {
            for item in &mut page.items {
                if let Item::Link {
                    target: Target::Heading(i),
                    ..
                } = item
                {
                    *i += heading_offset;
                }
            }
            pages.push(page);
        }
        warnings.extend(part.warnings);
    }
    let style = Style {
        face: Face::Bold,
        size: theme.sizes.small,
        color: theme.colours.text,
        link: None,
    };
    let (width, height) = theme.page.size.points();
    let baseline =
        height - mm(theme.page.margins.bottom) + FOOTER_RULE_BELOW + FOOTER_TEXT_BELOW_RULE;
    for (index, page) in pages.iter_mut().enumerate() {
        let text = footer
            .replace("{page}", &(index + 1).to_string())
            .replace("{pages}", &total.to_string());
        let run = super::Run::shaped(&setup.fonts.shape(style.face, &text), &style);
        let x = (width - run.width()) / 2.0;
        page.items.push(Item::Text { x, baseline, run });
    }
    warnings.dedup();
    Document {
        width,
        height,
        pages,
        headings,
        warnings,
    }
}

/// The height of an element and of those it must stay with.
fn chain_height(flow: &[Flow]) -> Pt {
    let mut height = 0.0;
    for f in flow {
        match f {
            Flow::Element(e) => {
                height += e.height;
                if !e.keep_with_next {
                    break;
                }
            }
            Flow::Space(h) | Flow::Skip(h) => height += h,
            Flow::PageBreak => break,
        }
    }
    height
}

fn place(pages: &mut [PageBuild], element: &Element, y: Pt, anchors: &mut [Option<(usize, Pt)>]) {
    let page = pages.len() - 1;
    let (items, refs) = &mut pages[page];
    if let Some(a) = element.anchor {
        anchors[a] = Some((page, y));
    }
    for item in &element.items {
        let mut item = item.clone();
        match &mut item {
            Item::Text { baseline, .. } => *baseline += y,
            Item::Rect { y: top, .. } | Item::Image { y: top, .. } | Item::Link { y: top, .. } => {
                *top += y
            }
            Item::Line { y1, y2, .. } => {
                *y1 += y;
                *y2 += y;
            }
        }
        items.push(item);
    }
    for r in &element.page_refs {
        refs.push(PageRef {
            baseline: r.baseline + y,
            ..r.clone()
        });
    }
}

fn plain_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| i.text.as_str())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Column widths for a table `available` wide, from each column's narrowest
/// (`min`: its longest word) and widest (`max`: its longest cell unbroken)
/// width: every column gets its minimum, then the rest is shared out.
pub fn column_widths(min: &[Pt], max: &[Pt], available: Pt) -> Vec<Pt> {
    let min_total: Pt = min.iter().sum();
    let max_total: Pt = max.iter().sum();
    if max_total <= available {
        // Everything fits on one line: share the spare width in proportion.
        let scale = if max_total > 0.0 {
            available / max_total
        } else {
            1.0
        };
        return max.iter().map(|m| m * scale).collect();
    }
    if min_total >= available {
        // Not even the longest words fit: shrink in proportion (they will be
        // broken by force).
        return min.iter().map(|m| m * available / min_total).collect();
    }
    // Columns that want no more than an equal share get all they want (a
    // name, a date, a time stays on one line); the long columns then share
    // what is left in proportion to how much more than their minimum they
    // want.
    let mut widths = vec![0.0; min.len()];
    let mut long: Vec<usize> = (0..min.len()).collect();
    let mut left = available;
    loop {
        let fair = left / long.len().max(1) as Pt;
        let (short, rest): (Vec<usize>, Vec<usize>) = long.iter().partition(|&&i| max[i] <= fair);
        if short.is_empty() {
            break;
        }
        for i in short {
            widths[i] = max[i];
            left -= max[i];
        }
        long = rest;
    }
    let min_long: Pt = long.iter().map(|&i| min[i]).sum();
    let wants: Pt = long.iter().map(|&i| max[i] - min[i]).sum();
    for &i in &long {
        widths[i] = if min_long >= left {
            min[i] * left / min_long
        } else if wants > 0.0 {
            min[i] + (left - min_long) * (max[i] - min[i]) / wants
        } else {
            min[i]
        };
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_that_fit_share_the_spare_width() {
        assert_eq!(
            column_widths(&[10.0, 10.0], &[50.0, 150.0], 400.0),
            vec![100.0, 300.0]
        );
    }

    #[test]
    fn short_columns_are_satisfied_before_long_ones() {
        // The first two columns want less than a third of 200: they get it,
        // and the long third column the remaining 130.
        let widths = column_widths(&[10.0, 10.0, 10.0], &[30.0, 40.0, 300.0], 200.0);
        assert_eq!(widths, vec![30.0, 40.0, 130.0]);
        // Two long columns share the 40 left over their minimums 90 : 130.
        let widths = column_widths(&[20.0, 40.0], &[110.0, 170.0], 100.0);
        assert!(
            (widths[0] - (20.0 + 40.0 * 90.0 / 220.0)).abs() < 1e-3,
            "{widths:?}"
        );
        assert!((widths[0] + widths[1] - 100.0).abs() < 1e-3, "{widths:?}");
    }

    #[test]
    fn columns_narrower_than_their_words_shrink_in_proportion() {
        assert_eq!(
            column_widths(&[100.0, 300.0], &[200.0, 600.0], 200.0),
            vec![50.0, 150.0]
        );
    }
}

#[cfg(test)]
mod pagination_tests {
    use super::*;
    use crate::typeset::fonts::Fonts;

    fn set(markdown: &str) -> Document {
        let theme = Theme::from_yaml(include_str!("../../templates/theme.yaml")).unwrap();
        let fonts = Fonts::bundled();
        let setup = Setup {
            theme: &theme,
            fonts: &fonts,
            hyphenator: None,
            furniture: Furniture::default(),
            base_dir: Path::new(""),
        };
        typeset(markdown, &setup).unwrap()
    }

    /// Body lines of a page: text items other than the header and footer,
    /// as (baseline, text).
    fn body_lines(document: &Document, page: usize) -> Vec<(Pt, String)> {
        let top = mm(24.0);
        let bottom = document.height - mm(24.0);
        let mut lines: Vec<(Pt, String)> = document.pages[page]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text { baseline, run, .. } if *baseline > top && *baseline < bottom => {
                    Some((
                        *baseline,
                        run.glyphs
                            .iter()
                            .filter_map(|g| g.text.as_deref())
                            .collect(),
                    ))
                }
                _ => None,
            })
            .collect();
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        lines.dedup_by(|a, b| (a.0 - b.0).abs() < 0.5);
        lines
    }

    fn sections(count: usize) -> String {
        (0..count)
            .map(|i| {
                let words = "The delegation meets its counterparts to discuss cooperation. "
                    .repeat(1 + i % 7);
                format!("# Section {i}\n\n{words}\n\n")
            })
            .collect()
    }

    #[test]
    fn headings_are_never_the_last_thing_on_a_page() {
        let document = set(&sections(60));
        assert!(document.pages.len() > 4);
        for heading in &document.headings {
            let lines = body_lines(&document, heading.page);
            let below = lines
                .iter()
                .filter(|(baseline, _)| *baseline > heading.y + 20.0)
                .count();
            assert!(
                below >= 1,
                "{:?} is the last line of its page",
                heading.title
            );
        }
    }

    #[test]
    fn no_paragraph_leaves_a_single_line_at_the_top_of_a_page() {
        let document = set(&sections(60));
        for page in 1..document.pages.len() {
            let lines = body_lines(&document, page);
            // The first line of a page continues a paragraph from the page
            // before (it does not start a section); then the next line
            // must belong to the same paragraph, not start a new section.
            if let [(_, first), (_, second), ..] = lines.as_slice() {
                if !first.contains("Section") {
                    assert!(
                        !second.contains("Section"),
                        "a widow on page {}: {first:?}",
                        page + 1
                    );
                }
            }
        }
    }
}
