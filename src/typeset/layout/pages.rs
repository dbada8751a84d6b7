//! The flow cut into pages, each page's furniture (marking, header,
//! footer, page numbers), and documents bound into one (a pack).

use super::*;
use crate::typeset::Color;

impl Layout<'_> {
    /// Cuts the flow into pages. Returns the pages (items and unresolved
    /// page numbers) and where each heading landed.
    pub(super) fn paginate(&mut self, mut flow: Vec<Flow>) -> (Vec<PageBuild>, Anchors) {
        let mut pages: Vec<PageBuild> = vec![(Vec::new(), Vec::new())];
        let mut anchors = vec![None; self.headings.len()];
        let mut y = self.top;
        let mut empty = true;
        let content_height = self.bottom - self.top;
        // The elements on the page being filled, and how much the spaces
        // on it may shrink so far; a page is tightened once at most.
        let mut placed: Vec<Placed> = Vec::new();
        let mut shrinkable = 0.0;
        let mut tightened = false;
        let shrink = self.theme.shrink;
        let mut i = 0;
        while i < flow.len() {
            match &flow[i] {
                Flow::PageBreak => {
                    if !empty {
                        pages.push((Vec::new(), Vec::new()));
                        y = self.top;
                        empty = true;
                        (placed, shrinkable, tightened) = (Vec::new(), 0.0, false);
                    }
                }
                Flow::Cover => self.cover_pages.push(pages.len() - 1),
                Flow::Space(h) => {
                    if !empty {
                        y += h;
                        let above_heading = matches!(
                            flow.get(i + 1),
                            Some(Flow::Element(Element {
                                anchor: Some(_),
                                ..
                            }))
                        );
                        shrinkable += h * if above_heading {
                            shrink.headings
                        } else {
                            shrink.paragraphs
                        };
                    }
                }
                Flow::Skip(h) => y += h,
                Flow::Element(element) => {
                    let chain = chain_height(&flow[i..], content_height);
                    let must_break = y + element.height > self.bottom
                        || (y + chain > self.bottom && chain <= content_height);
                    if must_break && !empty && !tightened {
                        // The last line or two of a section that would stand
                        // alone on the next page: the spaces above them on
                        // this page shrink, within the theme's limits, to
                        // make room.
                        let over = section_tail(&flow[i..]).map(|tail| y + tail - self.bottom);
                        if let Some(over) = over.filter(|over| *over <= shrinkable) {
                            tighten(&mut pages, &mut anchors, &placed, over / shrinkable);
                            y -= over + 0.01;
                            tightened = true;
                            continue;
                        }
                    }
                    if must_break && !empty {
                        pages.push((Vec::new(), Vec::new()));
                        y = self.top;
                        (placed, shrinkable, tightened) = (Vec::new(), 0.0, false);
                        // A table that runs on repeats its header row.
                        if let (Some(table), false) = (element.table, element.is_table_header) {
                            for header in self.tables[table].clone() {
                                let height = header.height;
                                place(&mut pages, header, y, &mut anchors);
                                y += height;
                            }
                        }
                    }
                    let page_ref = pages.last().map_or(0, |(_, refs)| refs.len());
                    let (anchor, height) = (element.anchor, element.height);
                    // The element's items move onto the page: the flow
                    // behind the one being placed is not read again, and
                    // holding both took half the peak memory of a long
                    // brief (the generated brief of 296 pages: 72 -> 45 MB of
                    // heap at the peak, heaptrack).
                    let Flow::Element(element) = &mut flow[i] else {
                        unreachable!("matched above")
                    };
                    let item = place(&mut pages, std::mem::take(element), y, &mut anchors);
                    placed.push(Placed {
                        item,
                        page_ref,
                        anchor,
                        shrinkable_above: shrinkable,
                    });
                    y += height;
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

    /// The running header (the logo, if the theme puts it there, and the
    /// header's text) and footer of a page, `fill` filling in its numbers.
    fn running_header_and_footer(&self, items: &mut Vec<Item>, fill: &dyn Fn(&str) -> String) {
        let theme = self.theme;
        let furniture = &self.setup.furniture;
        let small = Style {
            size: theme.sizes.small,
            ..self.body_style()
        };
        let right = self.left + self.width;
        let header_baseline = self.top - 12.0;
        let mut header_x = self.left;
        if let Some(logo) = furniture.logo.as_ref().filter(|logo| logo.in_header) {
            // As tall as the header's capitals and descenders, standing on
            // its rule.
            let height = theme.sizes.small * HEADER_LOGO_HEIGHT;
            let width =
                height * logo.image.source_width as Pt / logo.image.source_height.max(1) as Pt;
            items.push(Item::Image {
                image: logo.image.clone(),
                x: self.left,
                y: header_baseline + 2.0 - height,
                width,
                height,
            });
            header_x += width + theme.sizes.small * 0.6;
        }
        let header = fill(&furniture.header);
        if !header.is_empty() {
            let run = self.single_line(&header, &small);
            items.push(Item::Text {
                x: header_x,
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
    }

    /// A draft's watermark: `text` in light grey, as wide as most of the
    /// page's diagonal, turned along it and centred on the page.
    fn watermark(&self, text: &str) -> [Item; 3] {
        let style = Style {
            face: Face::Bold,
            size: 1.0,
            color: WATERMARK_GREY,
            link: None,
        };
        let (w, h) = (self.page_width, self.page_height);
        let diagonal = w.hypot(h);
        let unit = self.single_line(text, &style).width().max(0.01);
        let size = (diagonal * 0.55 / unit).min(WATERMARK_LARGEST);
        let run = self.single_line(text, &Style { size, ..style });
        let angle = h.atan2(w);
        let (sin, cos) = angle.sin_cos();
        // The run's middle at the page's centre, its capitals centred on
        // the diagonal (in the page's top-down coordinates, up is -y).
        let half = run.width() / 2.0;
        let drop = size * 0.35;
        let x = w / 2.0 - half * cos + drop * sin;
        let baseline = h / 2.0 + half * sin + drop * cos;
        [
            Item::Start(Mark::Watermark),
            Item::TurnedText {
                x,
                baseline,
                degrees: angle.to_degrees(),
                run,
            },
            Item::End,
        ]
    }

    /// Fills in page numbers and adds the marking, header and footer.
    pub(super) fn finish(self, pages: Vec<PageBuild>, anchors: Anchors) -> Document {
        let total = pages.len();
        let theme = self.theme;
        let furniture = &self.setup.furniture;
        let marking_style = Style {
            face: Face::Bold,
            size: theme.sizes.small + 1.0,
            color: theme.colours.marking,
            link: None,
        };
        let mut out = Vec::with_capacity(total);
        for (index, (mut items, refs)) in pages.into_iter().enumerate() {
            // Each contents entry's number is read after its title: from
            // the last, so that the places of those before stay put.
            for r in refs.into_iter().rev() {
                if let Some(Some((page, _))) = anchors.get(r.heading) {
                    let number = (page + 1).to_string();
                    let (run, x) = match &r.number {
                        PageNumber::Alone { right } => {
                            let run = self.single_line(&number, &r.style);
                            let x = right - run.width();
                            (run, x)
                        }
                        PageNumber::InSentence { x, sentence } => (
                            self.single_line(&sentence.replace("{page}", &number), &r.style),
                            *x,
                        ),
                    };
                    items.splice(
                        r.at..r.at,
                        [
                            Item::Start(Mark::Content(r.node)),
                            Item::Text {
                                x,
                                baseline: r.baseline,
                                run,
                            },
                            Item::End,
                        ],
                    );
                }
            }
            // The furniture is not content: a screen reader skips it.
            let content_end = items.len();
            items.push(Item::Start(Mark::Pagination));
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
            let cover = self.cover_pages.contains(&index);
            if !cover {
                self.running_header_and_footer(&mut items, &fill);
            }
            if items.len() == content_end + 1 {
                // A cover without a marking: no furniture at all.
                items.pop();
            } else {
                items.push(Item::End);
            }
            if self.setter.direction == Direction::RightToLeft {
                mirror(&mut items, self.page_width);
            }
            if let Some(watermark) = &furniture.watermark {
                // First, so that the text is drawn over it.
                items.splice(0..0, self.watermark(watermark));
            }
            // Grown item by item, a page's items had room for up to twice
            // as many; the document keeps them until they are drawn (a
            // pack, every brief's: a tenth of its memory).
            items.shrink_to_fit();
            out.push(Page { items, cover });
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
            structure: self.structure,
            warnings,
        }
    }
}

/// The height of the logo in the running header, in multiples of the
/// header's font size.
const HEADER_LOGO_HEIGHT: f32 = 1.6;
/// The watermark's grey: light enough to read the text through.
const WATERMARK_GREY: Color = Color {
    r: 0.85,
    g: 0.85,
    b: 0.85,
};
/// The watermark's largest size, in points.
const WATERMARK_LARGEST: Pt = 160.0;

/// A document bound into a pack: its title (its entry in the outline), its
/// own marking, and its pages.
pub struct Part {
    pub title: String,
    pub marking: Option<String>,
    pub document: Document,
}

/// What a pack adds to the laid-out documents it binds into one: `front`
/// (its cover and contents), then each part. Every page keeps its own
/// furniture and gets the pack's `footer` (`{page}` and `{pages}` counting
/// the whole) centred in its footer, but for the pack's cover; the outline
/// has one entry per part, the part's headings below it. A part's pages
/// carry the pack's marking (`setup`'s) as well as their own: in its place
/// if they have none, else at the outer edge. The parts are bound one by
/// one, as a pack writes them, each with its own structure below a part
/// element: nothing of one is needed for the next.
pub struct Binder<'a> {
    setup: &'a Setup<'a>,
    footer: &'a str,
    /// The pages of the whole pack.
    total: usize,
}

/// The pack's marking on a part's pages: where it starts, and its text.
pub struct PackMarking {
    x: Pt,
    run: crate::typeset::Run,
}

impl<'a> Binder<'a> {
    pub fn new(setup: &'a Setup<'a>, footer: &'a str, total: usize) -> Binder<'a> {
        Binder {
            setup,
            footer,
            total,
        }
    }

    /// The pack's front with its page numbers, but on its cover.
    pub fn front(&self, mut front: Document) -> Document {
        for (index, page) in front.pages.iter_mut().enumerate() {
            if !page.cover {
                page.items.extend(self.page_number(index));
            }
        }
        front
    }

    /// `part` bound into the pack at page `first_page` (of the whole), its
    /// title at heading `title_heading` of the pack's outline: its nodes
    /// below a part node of their own (node 0 of its structure), its links
    /// to the pack's pages and headings, its pages with the pack's marking
    /// and numbers.
    pub fn part(&self, part: Part, first_page: usize, title_heading: usize) -> Document {
        let Part {
            title,
            marking: own_marking,
            document: part,
        } = part;
        let pack_marking = self.marking(own_marking.as_deref());
        // Each brief is a part of the pack's structure, its own headings
        // below it.
        let mut structure = Structure::default();
        let part_node = structure.add(Role::Part, None);
        structure.nodes[part_node].title = Some(title.as_str().into());
        let node_offset = structure.append(part.structure, Some(part_node));
        let heading_offset = title_heading + 1;
        let mut pages = part.pages;
        for (i, page) in pages.iter_mut().enumerate() {
            renumber_nodes(&mut page.items, node_offset);
            if let Some(marking) = &pack_marking {
                page.items.extend(self.marking_items(marking));
            }
            for item in &mut page.items {
                match item {
                    Item::Link {
                        target: Target::Heading(i),
                        ..
                    } => *i += heading_offset,
                    Item::Link {
                        target: Target::Page(i),
                        ..
                    } => *i += first_page,
                    _ => {}
                }
            }
            page.items.extend(self.page_number(first_page + i));
        }
        Document {
            width: part.width,
            height: part.height,
            pages,
            headings: Vec::new(),
            structure,
            warnings: part.warnings,
        }
    }

    /// The entries of the pack's outline for a part titled `title` whose
    /// `headings` are on its pages from `first_page` (of the whole): its
    /// title, then its headings one level down.
    pub fn part_headings<'h>(
        &self,
        title: &str,
        headings: &'h [Heading],
        first_page: usize,
    ) -> impl Iterator<Item = Heading> + 'h {
        let top = mm(self.setup.theme.page.margins.top);
        let title = Heading {
            title: title.to_string(),
            level: 1,
            page: first_page,
            y: top,
        };
        let own = headings.iter().map(move |h| Heading {
            level: h.level + 1,
            page: h.page + first_page,
            ..h.clone()
        });
        std::iter::once(title).chain(own)
    }

    /// The pack's marking on the pages of a part marked `own_marking`, when
    /// that does not say it already.
    pub fn marking(&self, own_marking: Option<&str>) -> Option<PackMarking> {
        let setup = self.setup;
        let theme = setup.theme;
        let pack = setup.furniture.marking.as_deref()?;
        if own_marking == Some(pack) {
            return None;
        }
        let style = Style {
            face: Face::Bold,
            size: theme.sizes.small + 1.0,
            color: theme.colours.marking,
            link: None,
        };
        let run = crate::typeset::Run::shaped(&setup.fonts.shape(style.face, pack), &style);
        let (width, _) = theme.page.size.points();
        let x = match (own_marking, setup.language.is_right_to_left()) {
            (None, _) => (width - run.width()) / 2.0,
            (Some(_), false) => width - mm(theme.page.margins.right) - run.width(),
            (Some(_), true) => mm(theme.page.margins.left),
        };
        Some(PackMarking { x, run })
    }

    /// The items of the pack's marking on a page, at its top and bottom.
    pub fn marking_items(&self, marking: &PackMarking) -> Vec<Item> {
        let theme = self.setup.theme;
        let top = mm(theme.page.margins.top);
        let (_, height) = theme.page.size.points();
        let bottom = height - mm(theme.page.margins.bottom);
        let baselines = [top * 0.42, height - (height - bottom) * 0.3];
        let mut items = Vec::with_capacity(baselines.len() + 2);
        items.push(Item::Start(Mark::Pagination));
        for baseline in baselines {
            items.push(Item::Text {
                x: marking.x,
                baseline,
                run: marking.run.clone(),
            });
        }
        items.push(Item::End);
        items
    }

    /// The items of the pack's number in the footer of its page `index`.
    pub fn page_number(&self, index: usize) -> [Item; 3] {
        let setup = self.setup;
        let theme = setup.theme;
        let style = Style {
            face: Face::Bold,
            size: theme.sizes.small,
            color: theme.colours.text,
            link: None,
        };
        let (width, height) = theme.page.size.points();
        let baseline =
            height - mm(theme.page.margins.bottom) + FOOTER_RULE_BELOW + FOOTER_TEXT_BELOW_RULE;
        let text = self
            .footer
            .replace("{page}", &(index + 1).to_string())
            .replace("{pages}", &self.total.to_string());
        let run = crate::typeset::Run::shaped(&setup.fonts.shape_once(style.face, &text), &style);
        let x = (width - run.width()) / 2.0;
        [
            Item::Start(Mark::Pagination),
            Item::Text { x, baseline, run },
            Item::End,
        ]
    }
}

/// A right-to-left page: each item moved to its mirror image about the
/// page's vertical centre line, so that what was set from the left margin
/// starts at the right one — text, bullets and heading numbers, table
/// columns, the header and footer, the contents' page numbers. Nothing is
/// flipped: a run of text keeps its glyphs in their order (its lines were
/// set for this, `Setter::set`), an image its picture.
fn mirror(items: &mut [Item], page_width: Pt) {
    for item in items {
        match item {
            Item::Text { x, run, .. } => *x = page_width - *x - run.width(),
            // A watermark is centred on the page already.
            Item::TurnedText { .. } => {}
            Item::Rect { x, width, .. }
            | Item::Image { x, width, .. }
            | Item::Link { x, width, .. } => *x = page_width - *x - *width,
            Item::Line { x1, x2, .. } => {
                *x1 = page_width - *x1;
                *x2 = page_width - *x2;
            }
            Item::Start(_) | Item::End => {}
        }
    }
}

/// The height of the last lines of a section, from the start of `flow` up
/// to the next heading (or page break, or the end): `None` when those are
/// more than [`SECTION_TAIL_LINES`] elements, or a table's rows (which have
/// their own rules).
fn section_tail(flow: &[Flow]) -> Option<Pt> {
    let mut height = 0.0;
    let mut pending = 0.0;
    let mut lines = 0;
    for f in flow {
        match f {
            Flow::Element(e) if e.anchor.is_some() => break,
            Flow::Element(e) => {
                lines += 1;
                if lines > SECTION_TAIL_LINES || e.table.is_some() {
                    return None;
                }
                height += pending + e.height;
                pending = 0.0;
            }
            Flow::Space(h) | Flow::Skip(h) => pending += h,
            Flow::PageBreak | Flow::Cover => break,
        }
    }
    (lines > 0).then_some(height)
}

/// The most lines of a section's end that tightening a page pulls back.
const SECTION_TAIL_LINES: usize = 2;

/// Moves each element placed on the last page up by `share` of the space
/// above it that may shrink: the page's spacing tightened.
fn tighten(pages: &mut [PageBuild], anchors: &mut Anchors, placed: &[Placed], share: f32) {
    let (items, refs) = pages.last_mut().expect("a page is being filled");
    for (k, p) in placed.iter().enumerate() {
        let up = p.shrinkable_above * share;
        if up == 0.0 {
            continue;
        }
        let end = placed.get(k + 1).map_or(items.len(), |next| next.item);
        for item in &mut items[p.item..end] {
            match item {
                Item::Text { baseline, .. } | Item::TurnedText { baseline, .. } => *baseline -= up,
                Item::Rect { y, .. } | Item::Image { y, .. } | Item::Link { y, .. } => *y -= up,
                Item::Line { y1, y2, .. } => {
                    *y1 -= up;
                    *y2 -= up;
                }
                Item::Start(_) | Item::End => {}
            }
        }
        let refs_end = placed.get(k + 1).map_or(refs.len(), |next| next.page_ref);
        for r in &mut refs[p.page_ref..refs_end] {
            r.baseline -= up;
        }
        if let Some(Some((_, y))) = p.anchor.and_then(|a| anchors.get_mut(a)) {
            *y -= up;
        }
    }
}

/// The height of an element and of those it must stay with, counted only
/// until it passes `page_height`: a chain taller than a page cannot be kept
/// together anyway, and counting on would make a run of thousands of
/// headings (each kept with the next) cost the square of their number.
fn chain_height(flow: &[Flow], page_height: Pt) -> Pt {
    let mut height = 0.0;
    for f in flow {
        if height > page_height {
            break;
        }
        match f {
            Flow::Element(e) => {
                height += e.height;
                if !e.keep_with_next {
                    break;
                }
            }
            Flow::Space(h) | Flow::Skip(h) => height += h,
            Flow::PageBreak => break,
            Flow::Cover => {}
        }
    }
    height
}

/// Places `element` at `y` on the last page; returns the index of its first
/// item there.
fn place(
    pages: &mut [PageBuild],
    element: Element,
    y: Pt,
    anchors: &mut [Option<(usize, Pt)>],
) -> usize {
    let page = pages.len() - 1;
    let (items, refs) = &mut pages[page];
    if let Some(a) = element.anchor {
        anchors[a] = Some((page, y));
    }
    let mut element_items = element.items.into_iter().peekable();
    // The next line of the paragraph (or the next piece of the same node)
    // on the same page continues its marked content: a paragraph is one
    // piece of a page, not one per line.
    if let (Some(Item::End), Some(Item::Start(Mark::Content(next)))) =
        (items.last(), element_items.peek())
    {
        let open = items.iter().rev().find_map(|item| match item {
            Item::Start(mark) => Some(*mark),
            _ => None,
        });
        let page_number_after = refs.last().is_some_and(|r| r.at >= items.len());
        if open == Some(Mark::Content(*next)) && !page_number_after {
            items.pop();
            element_items.next();
        }
    }
    let first = items.len();
    for mut item in element_items {
        match &mut item {
            Item::Text { baseline, .. } | Item::TurnedText { baseline, .. } => *baseline += y,
            Item::Rect { y: top, .. } | Item::Image { y: top, .. } | Item::Link { y: top, .. } => {
                *top += y
            }
            Item::Line { y1, y2, .. } => {
                *y1 += y;
                *y2 += y;
            }
            Item::Start(_) | Item::End => {}
        }
        items.push(item);
    }
    for r in element.page_refs {
        refs.push(PageRef {
            baseline: r.baseline + y,
            at: items.len(),
            ..r
        });
    }
    first
}

/// `markdown` set with the default theme and the bundled fonts (tests).
#[cfg(test)]
pub(crate) fn set_for_test(markdown: &str, language: Language, furniture: Furniture) -> Document {
    let theme = Theme::from_yaml(include_str!("../../../templates/theme.yaml")).unwrap();
    let fonts = crate::typeset::fonts::Fonts::bundled();
    let setup = Setup {
        theme: &theme,
        fonts: &fonts,
        hyphenator: None,
        language,
        furniture,
        images: crate::images::ImageSources::none(),
    };
    typeset(markdown, &setup).unwrap()
}

#[cfg(test)]
mod pagination_tests {
    use super::*;

    fn set(markdown: &str) -> Document {
        set_for_test(markdown, Language::En, Furniture::default())
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
                    Some((*baseline, run.glyph_texts().flatten().collect()))
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

#[cfg(test)]
mod right_to_left_tests {
    use super::*;

    const MARKDOWN: &str = "\
# الوفد

نص فقرة قصيرة.

أول **ثان** ثالث

- نقطة أولى

| الاسم | الدور |
|---|---|
| عبد | رئيس |
";

    fn set(language: Language) -> Document {
        let furniture = Furniture {
            marking: None,
            header: "رأس".into(),
            footer_left: "REF".into(),
            footer_right: "{page}".into(),
            ..Furniture::default()
        };
        set_for_test(MARKDOWN, language, furniture)
    }

    /// Each text item of the first page as (the text as written, left
    /// edge, right edge). A right-to-left run's glyphs come in the order
    /// drawn, its clusters reversed.
    fn texts(document: &Document) -> Vec<(String, Pt, Pt)> {
        document.pages[0]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text { x, run, .. } => {
                    let mut clusters: Vec<&str> = run.glyph_texts().flatten().collect();
                    if clusters.iter().any(|c| fonts::has_right_to_left(c)) {
                        clusters.reverse();
                    }
                    Some((clusters.concat(), *x, *x + run.width()))
                }
                _ => None,
            })
            .collect()
    }

    fn find<'d>(texts: &'d [(String, Pt, Pt)], text: &str) -> &'d (String, Pt, Pt) {
        texts
            .iter()
            .find(|(t, _, _)| t.trim() == text)
            .unwrap_or_else(|| panic!("no `{text}` in {texts:?}"))
    }

    #[test]
    fn an_arabic_document_is_the_mirror_image_of_a_left_to_right_one() {
        let document = set(Language::Ar);
        let texts = texts(&document);
        let right_margin = document.width - mm(22.0);
        let left_margin = mm(22.0);
        // Text starts at the right margin.
        let paragraph = find(&texts, "نص فقرة قصيرة.");
        assert!((paragraph.2 - right_margin).abs() < 0.5, "{paragraph:?}");
        // Runs in several styles read from the right, each in its place.
        let (first, second, third) = (
            find(&texts, "أول"),
            find(&texts, "ثان"),
            find(&texts, "ثالث"),
        );
        assert!(
            first.1 > second.2 - 0.01 && second.1 > third.2 - 0.01,
            "{texts:?}"
        );
        assert!((first.2 - right_margin).abs() < 0.5, "{first:?}");
        let header = find(&texts, "رأس");
        assert!((header.2 - right_margin).abs() < 0.5, "{header:?}");
        // The heading's number and the list's bullet stand at the right of
        // their text.
        find(&texts, "1\u{2002}الوفد");
        let rightmost_of_heading = document.pages[0].items.iter().find_map(|item| match item {
            Item::Text { run, .. } if run.glyph_texts().any(|t| t == Some("\u{2002}")) => {
                run.glyph_texts().last()
            }
            _ => None,
        });
        assert_eq!(rightmost_of_heading, Some(Some("1")));
        let bullet = find(&texts, "•");
        let item = find(&texts, "نقطة أولى");
        assert!(bullet.1 > item.2, "{bullet:?} {item:?}");
        assert!((bullet.2 - right_margin).abs() < 0.5, "{bullet:?}");
        // The table's first column is its rightmost.
        assert!(find(&texts, "الاسم").1 > find(&texts, "الدور").2);
        assert!(find(&texts, "عبد").1 > find(&texts, "رئيس").2);
        // The footer: what is on the left of a left-to-right page is on
        // the right.
        let reference = find(&texts, "REF");
        assert!((reference.2 - right_margin).abs() < 0.5, "{reference:?}");
        let page_number = texts
            .iter()
            .filter(|(t, _, _)| t == "1")
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert!((page_number.1 - left_margin).abs() < 0.5, "{page_number:?}");
    }

    #[test]
    fn a_left_to_right_document_with_the_same_text_starts_at_the_left() {
        let document = set(Language::En);
        let texts = texts(&document);
        let left_margin = mm(22.0);
        assert!((find(&texts, "•").1 - left_margin).abs() < 0.5);
        assert!(find(&texts, "الاسم").2 < find(&texts, "الدور").1);
        assert!((find(&texts, "REF").1 - left_margin).abs() < 0.5);
    }
}

#[cfg(test)]
mod structure_tests {
    use super::*;

    /// The text of each page's items, grouped by what they are marked as.
    fn texts_by_mark(document: &Document) -> Vec<Vec<(Mark, String)>> {
        document
            .pages
            .iter()
            .map(|page| {
                let mut marked = Vec::new();
                let mut mark = None;
                for item in &page.items {
                    match item {
                        Item::Start(m) => {
                            mark = Some(*m);
                            marked.push((*m, String::new()));
                        }
                        Item::End => mark = None,
                        Item::Text { run, .. } => {
                            assert!(mark.is_some(), "text outside any mark");
                            let text: String = run.glyph_texts().flatten().collect();
                            marked.last_mut().unwrap().1.push_str(&text);
                        }
                        _ => assert!(mark.is_some(), "{item:?} outside any mark"),
                    }
                }
                marked
            })
            .collect()
    }

    #[test]
    fn the_furniture_is_pagination_and_a_repeated_table_header_is_not_read_again() {
        let rows: String = (0..80).map(|i| format!("| {i} | row {i} |\n")).collect();
        let markdown = format!("# Programme\n\n| Time | Item |\n|---|---|\n{rows}");
        let furniture = Furniture {
            marking: Some("SECRET".into()),
            header: "Visit".into(),
            footer_left: "REF-1".into(),
            footer_right: "{page}/{pages}".into(),
            ..Furniture::default()
        };
        let document = set_for_test(&markdown, Language::En, furniture);
        assert!(document.pages.len() >= 2);
        let pages = texts_by_mark(&document);
        for (index, page) in pages.iter().enumerate() {
            let pagination: Vec<&str> = page
                .iter()
                .filter(|(mark, _)| *mark == Mark::Pagination)
                .map(|(_, text)| text.as_str())
                .collect();
            assert_eq!(
                pagination,
                [format!(
                    "SECRETSECRETVisitREF-1{}/{}",
                    index + 1,
                    pages.len()
                )],
            );
            let content: String = page
                .iter()
                .filter(|(mark, _)| matches!(mark, Mark::Content(_)))
                .map(|(_, text)| text.as_str())
                .collect();
            assert!(!content.contains("SECRET") && !content.contains("REF-1"));
        }
        // The header row is read once, on the first page; on the next it is
        // drawn again as layout.
        let header_as = |page: &[(Mark, String)]| {
            page.iter()
                .find(|(_, text)| text == "Time")
                .map(|(mark, _)| *mark)
        };
        assert!(matches!(header_as(&pages[0]), Some(Mark::Content(_))));
        assert_eq!(header_as(&pages[1]), Some(Mark::Layout));
        // One table, whatever the pages: its rows are all in one body.
        let tables = document
            .structure
            .nodes
            .iter()
            .filter(|n| n.role == Role::Table)
            .count();
        assert_eq!(tables, 1);
        let body = document
            .structure
            .nodes
            .iter()
            .position(|n| n.role == Role::TableBody)
            .unwrap();
        let rows = document
            .structure
            .nodes
            .iter()
            .filter(|n| n.role == Role::TableRow && n.parent == Some(body))
            .count();
        assert_eq!(rows, 80);
    }
}

#[cfg(test)]
mod tightening_tests {
    use super::*;

    const LINE: Pt = 14.0;
    const GAP: Pt = 6.0;

    /// An element `height` tall, told apart by `tag` (its box's x).
    fn element(tag: f32, height: Pt, keep_with_next: bool, anchor: Option<usize>) -> Flow {
        Flow::Element(Element {
            height,
            items: vec![Item::Rect {
                x: tag,
                y: 0.0,
                width: 1.0,
                height,
                color: Color::BLACK,
            }],
            keep_with_next,
            anchor,
            ..Element::default()
        })
    }

    /// A section: a heading, a block `filler` tall, ten paragraphs of four
    /// lines, then a last paragraph of four lines (tagged 100–103), and the
    /// next section's heading (tagged 200) and a line.
    fn flow(filler: Pt) -> Vec<Flow> {
        let mut flow = vec![element(1.0, 20.0, true, Some(0)), Flow::Space(GAP)];
        flow.push(element(2.0, filler, false, None));
        for paragraph in 0..11 {
            flow.push(Flow::Space(GAP));
            for line in 0..4 {
                let tag = if paragraph == 10 {
                    100.0 + line as f32
                } else {
                    10.0
                };
                // As `line_elements` keeps them: the first with the second,
                // the last but one with the last.
                flow.push(element(tag, LINE, line == 0 || line == 2, None));
            }
        }
        flow.extend([
            Flow::Space(GAP),
            Flow::Space(12.0),
            element(200.0, 20.0, true, Some(1)),
            element(201.0, LINE, false, None),
        ]);
        flow
    }

    /// The tags on each page, and the lowest bottom of a box on it.
    fn cut(flow: Vec<Flow>, shrink: crate::typeset::theme::Shrink) -> (Vec<Vec<f32>>, Vec<Pt>) {
        let mut theme = Theme::from_yaml(include_str!("../../../templates/theme.yaml")).unwrap();
        theme.shrink = shrink;
        let fonts = crate::typeset::fonts::Fonts::bundled();
        let setup = Setup {
            theme: &theme,
            fonts: &fonts,
            hyphenator: None,
            language: Language::En,
            furniture: Furniture::default(),
            images: crate::images::ImageSources::none(),
        };
        let blocks = markdown::parse("# A\n\n# B\n");
        let mut layout = Layout::new(&setup, &blocks);
        let (pages, _) = layout.paginate(flow);
        let boxes = |items: &[Item]| -> Vec<(f32, Pt)> {
            items
                .iter()
                .filter_map(|item| match item {
                    Item::Rect { x, y, height, .. } => Some((*x, y + height)),
                    _ => None,
                })
                .collect()
        };
        pages
            .iter()
            .map(|(items, _)| {
                let boxes = boxes(items);
                (
                    boxes.iter().map(|b| b.0).collect::<Vec<_>>(),
                    boxes.iter().map(|b| b.1).fold(0.0, f32::max),
                )
            })
            .unzip()
    }

    /// The filler that leaves the last two lines of the section `over`
    /// points past the foot of the first page.
    fn filler(over: Pt) -> Pt {
        let content = mm(297.0 - 24.0 - 24.0);
        // Heading, gap, filler, then 11 paragraphs (gap and four lines).
        content + over - 20.0 - GAP - 11.0 * (GAP + 4.0 * LINE)
    }

    #[test]
    fn the_last_two_lines_of_a_section_are_pulled_back_by_tightening_the_page() {
        let (pages, bottoms) = cut(flow(filler(5.0)), Default::default());
        assert_eq!(pages.len(), 2, "{pages:?}");
        assert_eq!(pages[0][pages[0].len() - 2..], [102.0, 103.0]);
        assert_eq!(pages[1], [200.0, 201.0]);
        let foot = mm(297.0 - 24.0);
        // The last line now ends at the foot: the spaces shrank by the 5
        // points it was over.
        assert!(
            bottoms[0] <= foot,
            "{} is below the foot {foot}",
            bottoms[0]
        );
        assert!(bottoms[0] > foot - 0.1, "{}", bottoms[0]);
    }

    #[test]
    fn lines_the_spaces_may_not_make_room_for_go_to_the_next_page() {
        // Twelve gaps of 6 points shrinking by 0.4 would make 28.8 points;
        // by 0.05, 3.6, less than the 5 needed.
        let shrink = crate::typeset::theme::Shrink {
            paragraphs: 0.05,
            headings: 0.05,
        };
        let (pages, _) = cut(flow(filler(5.0)), shrink);
        assert_eq!(pages[1], [102.0, 103.0, 200.0, 201.0], "{pages:?}");
        let (pages, _) = cut(flow(filler(5.0)), Default::default());
        assert_eq!(pages[1], [200.0, 201.0], "{pages:?}");
    }
}
