//! Blocks to pages. First every block is set into *elements* (a line, a
//! table row, an image) of known height, stacked into a flow; then the flow
//! is cut into pages. Measuring comes first and drawing never decides
//! anything, so that "page X of Y" and the contents' page numbers are filled
//! in once every page is known.
//!
//! [`table`] sets tables; [`card`] sets a picture beside a flow of blocks;
//! [`one_page`] sets a region cut to fit one page; [`pages`] cuts the flow
//! into pages, adds each page's furniture and binds documents into a pack.

mod card;
mod one_page;
mod pages;
mod table;

#[cfg(test)]
pub(crate) use pages::set_for_test;
pub use pages::{Binder, PackMarking, Part};
pub use table::column_widths;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::i18n::Language;

use super::fonts::{self, Face, Fonts};
use super::markdown::{self, Block, Inline};
use super::paragraph::{Align, Direction, Line, Setter, Span, Style};
use super::structure::{language_of_script, Mark, NodeId, Role, Structure};
use super::theme::{mm, Theme};
use super::{Document, Heading, Item, Page, Pt, Target, TypesetError, Warning};

/// What a document is set with.
pub struct Setup<'a> {
    pub theme: &'a Theme,
    pub fonts: &'a Fonts,
    pub hyphenator: Option<&'a super::Hyphenator>,
    /// The document's language. A right-to-left document is laid out as the
    /// mirror image of a left-to-right one; text in another script is
    /// tagged with its language.
    pub language: Language,
    pub furniture: Furniture,
    /// Where the images the Markdown names come from: the brief's own,
    /// read when it was loaded, and the templates' (from the templates
    /// folder, the typesetter's base folder).
    pub images: crate::images::ImageSources<'a>,
}

/// What every page carries besides its content. `{page}` and `{pages}` in
/// these texts become the page's number and the number of pages. The cover
/// carries the marking and the watermark only.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// The classification marking, centred at the top and the bottom.
    pub marking: Option<String>,
    pub header: String,
    pub footer_left: String,
    pub footer_right: String,
    /// A draft's watermark ("DRAFT" in the document's language), set
    /// diagonally across every page, light grey, behind the text.
    pub watermark: Option<String>,
    /// The office's logo: where the Markdown says `<!-- logo -->` (on the
    /// cover), and small in the running header if it says so.
    pub logo: Option<Logo>,
}

/// An office's logo or crest, decoded, with its size and description.
#[derive(Debug, Clone)]
pub struct Logo {
    pub image: Arc<crate::images::Image>,
    /// What a screen reader says of it.
    pub alt: String,
    /// Its width where the Markdown places it.
    pub width: Pt,
    /// Shown small at the start of the running header too.
    pub in_header: bool,
}

impl Logo {
    /// Its height at `width`.
    fn height_at(&self, width: Pt) -> Pt {
        width * self.image.source_height as Pt / self.image.source_width.max(1) as Pt
    }
}

/// Lays out a Markdown document.
pub fn typeset(markdown: &str, setup: &Setup) -> Result<Document, TypesetError> {
    let blocks = markdown::parse(markdown);
    let mut layout = Layout::new(setup, &blocks);
    let flow = layout.body(&blocks)?;
    // Everything the blocks say is in the flow now.
    drop(blocks);
    let (pages, anchors) = layout.paginate(flow);
    debug_assert!(pages.iter().all(|(items, _)| marks_are_balanced(items)));
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

/// Where an element went on the page being filled, to move it up when the
/// page's spacing is tightened.
#[derive(Debug, Clone, Copy)]
struct Placed {
    /// Its first item on the page, and its first page number to fill in.
    item: usize,
    page_ref: usize,
    anchor: Option<usize>,
    /// How much the spaces above it on this page may shrink together.
    shrinkable_above: Pt,
}

/// A page number not known until the flow is cut into pages.
#[derive(Debug, Clone)]
struct PageRef {
    heading: usize,
    /// How the number is written, and where.
    number: PageNumber,
    baseline: Pt,
    style: Style,
    /// The link it is part of (a contents entry's, a pointer's).
    node: NodeId,
    /// Where on its page it is read: before the item of this index (set
    /// when the element is placed).
    at: usize,
}

#[derive(Debug, Clone)]
enum PageNumber {
    /// The number alone, its right edge here (the contents).
    Alone { right: Pt },
    /// A sentence starting here, `{page}` in it the number (a one-page
    /// region's pointer: "… see 3 Programme, page 5").
    InSentence { x: Pt, sentence: String },
}

/// What every item of a list shares.
struct ListSetup {
    node: NodeId,
    /// Numbers (set flush right against the text), not bullets.
    numbered: bool,
    /// Each item's bullet or number.
    markers: Vec<String>,
    /// Where the items' text starts, from the list's left.
    indent: Pt,
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
    /// The page this stands on is a cover: no running header or footer.
    Cover,
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
    /// Their levels in the structure: as written, but never more than one
    /// below the heading before (a reader moving by headings expects no
    /// gaps).
    heading_roles: Arc<[u8]>,
    /// The headings named by an anchor directive, by name: what `#NAME`
    /// links go to.
    anchors: Arc<HashMap<String, usize>>,
    /// The column sizes of each group of tables that share widths
    /// (`<!-- columns: NAME -->`), by name and number of columns, measured
    /// over every row of every table in the group.
    column_groups: Arc<BTreeMap<(String, usize), table::ColumnSizes>>,
    next_heading: usize,
    cover: bool,
    /// Setting a one-page region: its headings are headings to a reader,
    /// though neither numbered nor listed.
    in_one_page: bool,
    tables: Vec<Vec<Element>>,
    /// The heading of the section being set, for warnings.
    section: String,
    warnings: Vec<Warning>,
    structure: Structure,
    /// The node what is being set belongs to (`None`: the document).
    parent: Option<NodeId>,
    /// The pages that are covers (0-based), found when the flow is cut.
    cover_pages: Vec<usize>,
}

/// Where the footer sits below the text area: its rule, then its text.
const FOOTER_RULE_BELOW: Pt = 8.0;
const FOOTER_TEXT_BELOW_RULE: Pt = 11.0;

/// Space between blocks, in multiples of the body size.
const BLOCK_GAP: f32 = 0.6;
/// Space between the items of a list, in multiples of the body size.
const LIST_ITEM_GAP: f32 = 0.2;
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
                direction: Direction::of(setup.language),
            },
            page_width,
            page_height,
            top: mm(margins.top),
            bottom: page_height - mm(margins.bottom),
            left: mm(margins.left),
            width: page_width - mm(margins.left) - mm(margins.right),
            headings: Arc::new([]),
            heading_roles: Arc::new([]),
            anchors: Arc::new(HashMap::new()),
            column_groups: Arc::new(BTreeMap::new()),
            next_heading: 0,
            cover: false,
            in_one_page: false,
            tables: Vec::new(),
            section: String::new(),
            warnings: Vec::new(),
            structure: Structure::default(),
            parent: None,
            cover_pages: Vec::new(),
        };
        let (headings, anchors) = layout.number_headings(blocks);
        layout.anchors = anchors.into();
        // Measured before the body is set part by part: the tables of a
        // group are in different parts.
        let mut groups = BTreeMap::new();
        layout.measure_column_groups(blocks, &mut groups);
        layout.column_groups = groups.into();
        let mut above = 0;
        layout.heading_roles = headings
            .iter()
            .map(|&(_, level)| {
                above = level.min(above + 1);
                above
            })
            .collect();
        layout.headings = headings.into();
        layout
    }

    /// The headings that get an anchor, numbered when the theme says so,
    /// and the index of each named by an anchor directive (the first, if
    /// two share a name).
    fn number_headings(&self, blocks: &[Block]) -> (Vec<(String, u8)>, HashMap<String, usize>) {
        let mut counters = [0usize; 3];
        let mut cover = false;
        let mut headings = Vec::new();
        let mut anchors = HashMap::new();
        for block in blocks {
            match block {
                Block::Cover => cover = true,
                Block::PageBreak | Block::OnePage { .. } => cover = false,
                Block::Heading {
                    level,
                    text,
                    anchor,
                } if !cover => {
                    if let Some(name) = anchor {
                        anchors.entry(name.clone()).or_insert(headings.len());
                    }
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
        (headings, anchors)
    }

    /// Where a link goes: `#NAME` to the heading of that anchor, `#page=N`
    /// to page N, anything else to the URI.
    fn target(&self, uri: &str) -> Target {
        match uri
            .strip_prefix('#')
            .and_then(|name| self.anchors.get(name))
        {
            Some(&heading) => Target::Heading(heading),
            None => Target::of_link(uri),
        }
    }

    /// Whether a link leads anywhere: a `#NAME` no heading has is set as
    /// plain text rather than as a link to nothing.
    fn leads_somewhere(&self, uri: &str) -> bool {
        match uri.strip_prefix('#') {
            Some(name) => name.starts_with("page=") || self.anchors.contains_key(name),
            None => true,
        }
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
            .map(|inline| {
                let link = inline.link.clone().filter(|uri| self.leads_somewhere(uri));
                Span {
                    text: inline.text.clone(),
                    style: Style {
                        face: if inline.code {
                            Face::Mono
                        } else {
                            let bold =
                                inline.bold || matches!(base.face, Face::Bold | Face::BoldItalic);
                            let italic = inline.italic
                                || matches!(base.face, Face::Italic | Face::BoldItalic);
                            Face::styled(bold, italic)
                        },
                        size: base.size,
                        color: if link.is_some() {
                            self.theme.colours.link
                        } else {
                            base.color
                        },
                        link,
                    },
                }
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
    /// last lines from standing alone on a page. The lines are content of
    /// `node`; their links are its `Link` children, and text in another
    /// script than the document's a `Span` in that language.
    fn line_elements(&mut self, lines: Vec<Line>, x: Pt, size: Pt, node: NodeId) -> Vec<Element> {
        let height = self.line_height(size);
        let baseline = self.baseline(size);
        let count = lines.len();
        // The link the last run belonged to: a link broken over two lines
        // is one link.
        let mut open_link: Option<(String, NodeId)> = None;
        let mut elements = Vec::with_capacity(count);
        let mut pieces = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let mut items = Vec::with_capacity(line.runs.len() + 2);
            let mut open = None;
            for run in line.runs {
                self.pieces_of_run(run, node, &mut open_link, &mut pieces);
            }
            for (belongs_to, run) in pieces.drain(..) {
                if open != Some(belongs_to) {
                    if open.is_some() {
                        items.push(Item::End);
                    }
                    items.push(Item::Start(Mark::Content(belongs_to)));
                    open = Some(belongs_to);
                }
                if let Some(uri) = &run.style.link {
                    items.push(Item::Link {
                        x: x + run.x,
                        y: 0.0,
                        width: run.width(),
                        height,
                        target: self.target(uri),
                    });
                }
                items.push(Item::Text {
                    x: x + run.x,
                    baseline,
                    run,
                });
            }
            if open.is_some() {
                items.push(Item::End);
            }
            elements.push(Element {
                height,
                items,
                keep_with_next: count >= 2 && (i == 0 || i == count - 2),
                first_baseline: Some(baseline),
                ..Element::default()
            });
        }
        elements
    }

    /// A run of a line of `parent` as the pieces a reader tells apart: a
    /// link (the one the run before was part of, if the same) is one piece;
    /// otherwise each stretch of text in another script than the
    /// document's is a piece of its own, a `Span` in its language, and the
    /// rest belongs to `parent` itself.
    fn pieces_of_run(
        &mut self,
        run: crate::typeset::Run,
        parent: NodeId,
        open_link: &mut Option<(String, NodeId)>,
        pieces: &mut Vec<(NodeId, crate::typeset::Run)>,
    ) {
        if let Some(uri) = &run.style.link {
            let link = match open_link {
                Some((open_uri, link)) if open_uri == uri => *link,
                _ => {
                    let link = self.structure.add(Role::Link, Some(parent));
                    *open_link = Some((uri.clone(), link));
                    link
                }
            };
            pieces.push((link, run));
            return;
        }
        *open_link = None;
        // Most runs are in Latin, Greek or Cyrillic letters (which start
        // below U+0590, so their UTF-8 below 0xD6): one look at the bytes.
        if run.text().bytes().all(|b| b < 0xD6) {
            pieces.push((parent, run));
            return;
        }
        // Each glyph's language (`None`: the document's); a glyph of no
        // script (a space, a digit) goes with the one before.
        let document_language = self.setup.language.code();
        let mut current = None;
        let languages: Vec<Option<&'static str>> = run
            .glyph_texts()
            .map(|text| {
                if let Some(text) = text {
                    if text.chars().any(char::is_alphabetic) {
                        current = language_of_script(text, document_language);
                    }
                }
                current
            })
            .collect();
        if languages.iter().all(|&language| language == languages[0]) {
            pieces.push((self.node_for_language(languages[0], parent), run));
            return;
        }
        let mut x = run.x;
        let mut start = 0;
        for end in 1..=run.glyphs.len() {
            if end < run.glyphs.len() && languages[end] == languages[start] {
                continue;
            }
            let piece = run.part(start..end, x);
            x += piece.width();
            pieces.push((self.node_for_language(languages[start], parent), piece));
            start = end;
        }
    }

    /// `parent` for text in the document's language, else a new `Span` in
    /// `language` below it.
    fn node_for_language(&mut self, language: Option<&'static str>, parent: NodeId) -> NodeId {
        match language {
            Some(language) => {
                let span = self.structure.add(Role::Span, Some(parent));
                self.structure.nodes[span].lang = Some(language);
                span
            }
            None => parent,
        }
    }

    /// A paragraph as content of `node`.
    fn paragraph(
        &mut self,
        spans: &[Span],
        x: Pt,
        width: Pt,
        align: Align,
        node: NodeId,
    ) -> Vec<Element> {
        let size = spans.iter().map(|s| s.style.size).fold(0.0, f32::max);
        let lines = self
            .setter
            .set(spans, width, align, &self.section, &mut self.warnings);
        self.line_elements(lines, x, size, node)
    }

    /// A new node below the one being set.
    fn node(&mut self, role: Role) -> NodeId {
        self.structure.add(role, self.parent)
    }

    /// Runs `set` with `parent` as the node what it sets belongs to.
    fn within<T>(&mut self, parent: NodeId, set: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.parent.replace(parent);
        let result = set(self);
        self.parent = outer;
        result
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
                Block::PageBreak | Block::OnePage { .. } => cover = false,
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
                    heading_roles: self.heading_roles.clone(),
                    anchors: self.anchors.clone(),
                    column_groups: self.column_groups.clone(),
                    next_heading,
                    cover,
                    tables: Vec::new(),
                    section: next_heading
                        .checked_sub(1)
                        .map_or_else(String::new, |h| self.headings[h].0.clone()),
                    warnings: Vec::new(),
                    structure: Structure::default(),
                    parent: None,
                    cover_pages: Vec::new(),
                    ..*self
                };
                let started = range.start > 0;
                let flow = part.blocks(&blocks[range], self.left, self.width, 0, true, started)?;
                Ok((flow, part.tables, part.warnings, part.structure))
            })
            .collect();
        let mut flow = Vec::new();
        for (i, part) in set.into_iter().enumerate() {
            let (part_flow, tables, warnings, structure) = part?;
            let mut part_flow = part_flow.into_iter();
            if i > 0 && flow.is_empty() {
                // The gap before the part's first block: nothing came before
                // it after all.
                part_flow.next();
            }
            let offset = self.tables.len();
            let node_offset = self.structure.append(structure, None);
            flow.extend(part_flow.map(|item| match item {
                Flow::Element(mut element) => {
                    element.table = element.table.map(|t| t + offset);
                    if node_offset > 0 {
                        renumber_nodes(&mut element.items, node_offset);
                        for r in &mut element.page_refs {
                            r.node += node_offset;
                        }
                    }
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
                    flow.push(Flow::Cover);
                    // The cover's title stands a little below the top (a
                    // logo above it takes that place).
                    flow.push(Flow::Skip(self.page_height * 0.15));
                    continue;
                }
                // Outside a one-page region, a pointer's target means nothing.
                Block::See(_) => continue,
                Block::Logo if self.setup.furniture.logo.is_none() => continue,
                _ => {}
            }
            if started || !flow.is_empty() {
                flow.push(Flow::Space(gap));
            }
            match block {
                Block::Heading { level, text, .. } => {
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
                    let node = self.node(Role::Paragraph);
                    flow.extend(
                        self.paragraph(&spans, x, width, align, node)
                            .into_iter()
                            .map(Flow::Element),
                    );
                }
                Block::List { start, items } => {
                    flow.extend(self.list(*start, items, x, width, depth)?)
                }
                Block::Table {
                    align,
                    head,
                    rows,
                    columns,
                } => {
                    let group = columns.as_deref();
                    flow.extend(self.table(align, head, rows, group, x, width))
                }
                Block::Quote(blocks) => {
                    let quote = self.node(Role::Quote);
                    let inner = self.within(quote, |layout| {
                        layout.blocks(blocks, x + 12.0, width - 12.0, depth, false, false)
                    })?;
                    let bar = self.theme.colours.rule;
                    flow.extend(inner.into_iter().map(|f| match f {
                        Flow::Element(mut e) => {
                            e.items.extend([
                                Item::Start(Mark::Layout),
                                Item::Rect {
                                    x: x + 2.0,
                                    y: 0.0,
                                    width: 2.0,
                                    height: e.height,
                                    color: bar,
                                },
                                Item::End,
                            ]);
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
                    let node = self.node(Role::Paragraph);
                    for line in code.lines() {
                        let spans = [Span {
                            text: line.to_string(),
                            style: style.clone(),
                        }];
                        let mut elements =
                            self.paragraph(&spans, x + 8.0, width - 8.0, Align::Left, node);
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
                    items: vec![
                        Item::Start(Mark::Layout),
                        Item::Line {
                            x1: x,
                            y1: 4.0,
                            x2: x + width,
                            y2: 4.0,
                            width: 0.5,
                            color: self.theme.colours.rule,
                        },
                        Item::End,
                    ],
                    ..Element::default()
                })),
                Block::Image { path, alt } => {
                    flow.push(Flow::Element(self.image(path, alt, x, width)?))
                }
                Block::Logo => flow.extend(self.logo(x, width).map(Flow::Element)),
                Block::Contents { title } => flow.extend(self.contents(title, x, width)),
                Block::Card { picture, blocks } => {
                    flow.extend(self.card(picture.as_ref(), blocks, x, width, depth)?)
                }
                Block::OnePage { pointer, blocks } => {
                    // It starts a page of its own.
                    self.cover = false;
                    let outer = std::mem::replace(&mut self.in_one_page, true);
                    let region = self.one_page(pointer, blocks, x, width, depth);
                    self.in_one_page = outer;
                    flow.extend(region?)
                }
                Block::PageBreak | Block::Cover | Block::See(_) => {}
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
        // On the cover, the title is the document's first heading and what
        // follows it text; below the top level (in a list, a quote), a
        // heading is a paragraph set large.
        let mut role = if self.cover && level == 1 {
            Role::Heading(1)
        } else if self.in_one_page {
            Role::Heading(level.min(2))
        } else {
            Role::Paragraph
        };
        if !self.cover && top_level {
            if let Some((title, _)) = self.headings.get(self.next_heading) {
                // The number, if any, stands before the heading's own text.
                let own = plain_text(text);
                if let Some(number) = title
                    .strip_suffix(&own)
                    .map(str::trim_end)
                    .filter(|n| !n.is_empty())
                {
                    // The gap after it is a piece of its own, at the
                    // paragraph's level: in a right-to-left heading it stands
                    // between the number and the title, not outside them.
                    for text in [number.to_string(), "\u{2002}".to_string()]
                        .into_iter()
                        .rev()
                    {
                        inlines.insert(
                            0,
                            Inline {
                                text,
                                ..Inline::default()
                            },
                        );
                    }
                }
                self.section = title.clone();
                role = Role::Heading(self.heading_roles[self.next_heading]);
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
            hyphenator: None,
            ..self.setter
        };
        let lines = setter.set(&spans, width, align, &self.section, &mut self.warnings);
        let node = self.node(role);
        let mut elements = self.line_elements(lines, x, size, node);
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
        let list = self.list_setup(start, items, depth);
        let mut flow = Vec::new();
        for (index, item) in items.iter().enumerate() {
            if !flow.is_empty() {
                flow.push(Flow::Space(list.style.size * LIST_ITEM_GAP));
            }
            flow.extend(self.list_item(&list, index, item, x, width, depth)?);
        }
        Ok(flow)
    }

    /// What every item of a list shares: its node, markers and indent.
    fn list_setup(&mut self, start: Option<u64>, items: &[Vec<Block>], depth: usize) -> ListSetup {
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
        ListSetup {
            node: self.node(Role::List),
            numbered: start.is_some(),
            markers,
            indent,
            style,
        }
    }

    /// The item of this index of a list, its marker before its first line.
    fn list_item(
        &mut self,
        list: &ListSetup,
        index: usize,
        item: &[Block],
        x: Pt,
        width: Pt,
        depth: usize,
    ) -> Result<Vec<Flow>, TypesetError> {
        let (style, indent) = (&list.style, list.indent);
        let list_item = self.structure.add(Role::ListItem, Some(list.node));
        let label = self.structure.add(Role::Label, Some(list_item));
        let body = self.structure.add(Role::ListBody, Some(list_item));
        let mut item_flow = self.within(body, |layout| {
            layout.blocks(item, x + indent, width - indent, depth + 1, false, false)
        })?;
        // The blocks of an item are spaced more tightly than top-level ones.
        for f in &mut item_flow {
            if let Flow::Space(h) = f {
                *h *= 0.5;
            }
        }
        if let Some(Flow::Element(first)) =
            item_flow.iter_mut().find(|f| matches!(f, Flow::Element(_)))
        {
            let run = self.single_line(&list.markers[index], style);
            let marker_width = run.width();
            // Numbers are set flush right against the text; bullets flush left.
            let marker_x = if list.numbered {
                x + indent - style.size * 0.4 - marker_width
            } else {
                x
            };
            // The marker is read first, before the item's text.
            let baseline = first.first_baseline.unwrap_or(self.baseline(style.size));
            first.items.splice(
                0..0,
                [
                    Item::Start(Mark::Content(label)),
                    Item::Text {
                        x: marker_x,
                        baseline,
                        run,
                    },
                    Item::End,
                ],
            );
        }
        Ok(item_flow)
    }

    /// An image, described by `alt` (the person's name for a photo); an
    /// image described by nothing is decoration, skipped by a screen reader.
    fn image(&mut self, path: &str, alt: &str, x: Pt, width: Pt) -> Result<Element, TypesetError> {
        let image = self
            .setup
            .images
            .find(path)
            .map_err(|error| TypesetError::Image {
                path: error.path,
                message: error.message,
                help: error.help,
            })?;
        let shown_width = mm(self.theme.photo_width).min(width);
        let shown_height =
            shown_width * image.source_height as Pt / image.source_width.max(1) as Pt;
        // On the cover, everything is centred.
        let x = if self.cover {
            x + (width - shown_width) / 2.0
        } else {
            x
        };
        let alt = alt.trim();
        let mark = if alt.is_empty() {
            Mark::Layout
        } else {
            let figure = self.node(Role::Figure);
            self.structure.nodes[figure].alt = Some(alt.into());
            Mark::Content(figure)
        };
        Ok(Element {
            height: shown_height,
            items: vec![
                Item::Start(mark),
                Item::Image {
                    image,
                    x,
                    y: 0.0,
                    width: shown_width,
                    height: shown_height,
                },
                Item::End,
            ],
            keep_with_next: true,
            ..Element::default()
        })
    }

    /// The office's logo, centred, as a figure described by its alternative
    /// text.
    fn logo(&mut self, x: Pt, width: Pt) -> Option<Element> {
        let logo = self.setup.furniture.logo.clone()?;
        let shown_width = logo.width.min(width);
        let shown_height = logo.height_at(shown_width);
        let figure = self.node(Role::Figure);
        self.structure.nodes[figure].alt = Some(logo.alt.as_str().into());
        Some(Element {
            height: shown_height,
            items: vec![
                Item::Start(Mark::Content(figure)),
                Item::Image {
                    image: logo.image,
                    x: x + (width - shown_width) / 2.0,
                    y: 0.0,
                    width: shown_width,
                    height: shown_height,
                },
                Item::End,
            ],
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
            let node = self.node(Role::Heading(1));
            let mut elements = self.paragraph(&spans, x, width, Align::Left, node);
            elements.iter_mut().for_each(|e| e.keep_with_next = true);
            flow.extend(elements.into_iter().map(Flow::Element));
            flow.push(Flow::Space(self.theme.sizes.body));
        }
        let number_width = self.theme.sizes.body * 3.0;
        let contents = self.node(Role::Contents);
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
            // An entry is a link to its heading: its title, then its page
            // number.
            let entry = self.structure.add(Role::ContentsEntry, Some(contents));
            let link = self.structure.add(Role::Link, Some(entry));
            let mut elements = self.paragraph(
                &spans,
                x + indent,
                width - indent - number_width,
                Align::Left,
                link,
            );
            let count = elements.len();
            for (i, element) in elements.iter_mut().enumerate() {
                element.keep_with_next = i + 1 < count;
                // After the entry's `Start`: the link is part of it.
                element.items.insert(
                    1.min(element.items.len()),
                    Item::Link {
                        x,
                        y: 0.0,
                        width,
                        height: element.height,
                        target: Target::Heading(heading),
                    },
                );
                if i + 1 == count {
                    element.page_refs.push(PageRef {
                        heading,
                        number: PageNumber::Alone { right: x + width },
                        baseline: element.first_baseline.unwrap_or(0.0),
                        style: style.clone(),
                        node: link,
                        at: 0,
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

    /// Text on one line, unbroken.
    fn single_line(&self, text: &str, style: &Style) -> crate::typeset::Run {
        crate::typeset::Run::shaped(&self.setup.fonts.shape(style.face, text), style)
    }
}

/// Moves the nodes the items belong to by `offset`: a part set on its own
/// numbered its nodes from zero.
fn renumber_nodes(items: &mut [Item], offset: usize) {
    for item in items {
        if let Item::Start(Mark::Content(node)) = item {
            *node += offset;
        }
    }
}

/// Whether every `Start` has its `End`, with none nested and nothing drawn
/// outside them.
fn marks_are_balanced(items: &[Item]) -> bool {
    let mut open = false;
    items.iter().all(|item| match item {
        Item::Start(_) => !std::mem::replace(&mut open, true),
        Item::End => std::mem::replace(&mut open, false),
        _ => open,
    }) && !open
}

fn plain_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| i.text.as_str())
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod anchor_tests {
    use super::{set_for_test, Furniture};
    use crate::i18n::Language;
    use crate::typeset::{Item, Target};

    #[test]
    fn a_link_to_an_anchor_goes_to_its_heading_and_one_to_no_anchor_is_text() {
        let document = set_for_test(
            "| Go |\n|---|\n| [to B](#b) and [nowhere](#c) |\n\n# A\n\n<!-- anchor: b -->\n\n# B\n",
            Language::En,
            Furniture::default(),
        );
        let targets: Vec<&Target> = document
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|item| match item {
                Item::Link { target, .. } => Some(target),
                _ => None,
            })
            .collect();
        assert_eq!(targets, [&Target::Heading(1)]);
    }
}
