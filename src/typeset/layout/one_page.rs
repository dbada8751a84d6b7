//! A region that takes one page and never more (`<!-- one-page: … -->`,
//! the at-a-glance page): its blocks are set one by one (a list item by
//! item) down from the top of a new page; the first that does not fit, and
//! all after it, are left out, and a pointer says where to read on
//! ("… see 3 Programme, page 5"), the section named by the `<!-- see: -->`
//! in force where the cut fell. What is cut is cut at a block's edge:
//! never in the middle of a paragraph, never after a heading.

use super::*;

/// What a unit (a block, or an item of a list) left behind when it was
/// set: to take it back, everything from here on is dropped.
#[derive(Clone, Copy)]
struct Snapshot {
    nodes: usize,
    tables: usize,
    warnings: usize,
}

/// A block, or an item of a list, set.
struct Unit {
    flow: Vec<Flow>,
    /// With the gap above it (none for the first: it starts the page).
    height: Pt,
    /// The heading named by the `<!-- see: -->` in force.
    section: Option<String>,
    before: Snapshot,
}

impl Layout<'_> {
    pub(super) fn one_page(
        &mut self,
        pointer: &str,
        blocks: &[Block],
        x: Pt,
        width: Pt,
        depth: usize,
    ) -> Result<Vec<Flow>, TypesetError> {
        let page = self.bottom - self.top;
        let gap = self.theme.sizes.body * BLOCK_GAP;
        let mut units: Vec<Unit> = Vec::new();
        let mut used: Pt = 0.0;
        let mut section: Option<String> = None;
        let mut overflow = false;
        'blocks: for block in blocks {
            match block {
                Block::See(heading) => section = Some(heading.clone()),
                Block::List { start, items } => {
                    let before = self.snapshot();
                    let list = self.list_setup(*start, items, depth);
                    for (index, item) in items.iter().enumerate() {
                        let before = if index == 0 { before } else { self.snapshot() };
                        let mut flow = Vec::new();
                        if index > 0 {
                            flow.push(Flow::Space(list.style.size * LIST_ITEM_GAP));
                        } else if !units.is_empty() {
                            flow.push(Flow::Space(gap));
                        }
                        flow.extend(self.list_item(&list, index, item, x, width, depth)?);
                        used += add(&mut units, flow, section.clone(), before);
                        if used > page {
                            overflow = true;
                            break 'blocks;
                        }
                    }
                }
                _ => {
                    let before = self.snapshot();
                    let flow = self.blocks(
                        std::slice::from_ref(block),
                        x,
                        width,
                        depth,
                        false,
                        !units.is_empty(),
                    )?;
                    used += add(&mut units, flow, section.clone(), before);
                    if used > page {
                        overflow = true;
                        break 'blocks;
                    }
                }
            }
        }
        let mut pointer_flow = Vec::new();
        if overflow {
            // Room for the pointer, and no heading left at the foot.
            let pointer_height = gap + self.line_height(self.theme.sizes.body);
            let mut cut = None;
            while let Some(last) = units.last() {
                let ends_kept = last.flow.iter().rev().find_map(|f| match f {
                    Flow::Element(e) => Some(e.keep_with_next),
                    _ => None,
                });
                if used + pointer_height <= page && ends_kept != Some(true) {
                    break;
                }
                used -= last.height;
                cut = units.pop();
            }
            if let Some(cut) = cut {
                self.restore(cut.before);
                pointer_flow = self.pointer(pointer, cut.section.as_deref(), x, width);
            }
        }
        let mut flow = vec![Flow::PageBreak];
        flow.extend(units.into_iter().flat_map(|unit| unit.flow));
        if !pointer_flow.is_empty() {
            flow.push(Flow::Space(gap));
            flow.extend(pointer_flow);
        }
        // The region ends here: what follows is not kept with it.
        if let Some(Flow::Element(last)) = flow
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Flow::Element(_)))
        {
            last.keep_with_next = false;
        }
        Ok(flow)
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            nodes: self.structure.nodes.len(),
            tables: self.tables.len(),
            warnings: self.warnings.len(),
        }
    }

    /// Takes back everything set since `snapshot`: its nodes, its tables
    /// and the warnings about its text.
    fn restore(&mut self, snapshot: Snapshot) {
        self.structure.nodes.truncate(snapshot.nodes);
        self.tables.truncate(snapshot.tables);
        self.warnings.truncate(snapshot.warnings);
    }

    /// The line that says where to read on: `pointer` with `{section}` the
    /// numbered title of the heading `section` names and `{page}` its page,
    /// a link to it; "…" alone when no heading has that title.
    fn pointer(&mut self, pointer: &str, section: Option<&str>, x: Pt, width: Pt) -> Vec<Flow> {
        let style = Style {
            face: Face::Italic,
            ..self.body_style()
        };
        let heading = section.and_then(|section| self.heading_titled(section));
        let node = self.node(Role::Paragraph);
        match heading {
            Some(heading) if !pointer.is_empty() => {
                let sentence =
                    self.fitted_pointer(pointer, &self.headings[heading].0, &style, width);
                let link = self.structure.add(Role::Link, Some(node));
                let height = self.line_height(style.size);
                let style = Style {
                    color: self.theme.colours.link,
                    ..style
                };
                vec![Flow::Element(Element {
                    height,
                    items: vec![
                        Item::Start(Mark::Content(link)),
                        Item::Link {
                            x,
                            y: 0.0,
                            width,
                            height,
                            target: Target::Heading(heading),
                        },
                        Item::End,
                    ],
                    page_refs: vec![PageRef {
                        heading,
                        number: PageNumber::InSentence { x, sentence },
                        baseline: self.baseline(style.size),
                        style,
                        node: link,
                        at: 0,
                    }],
                    first_baseline: Some(self.baseline(self.theme.sizes.body)),
                    ..Element::default()
                })]
            }
            _ => {
                let spans = [Span {
                    text: "…".into(),
                    style,
                }];
                self.paragraph(&spans, x, width, Align::Left, node)
                    .into_iter()
                    .map(Flow::Element)
                    .collect()
            }
        }
    }

    /// `pointer` with `{section}` filled in, the section's title shortened
    /// (with "…") where the sentence would be wider than the line with a
    /// page number of four digits: it is set on one line.
    fn fitted_pointer(&self, pointer: &str, section: &str, style: &Style, width: Pt) -> String {
        let fits = |sentence: &str| {
            self.single_line(&sentence.replace("{page}", "0000"), style)
                .width()
                <= width
        };
        let mut title: Vec<char> = section.chars().collect();
        let mut sentence = pointer.replace("{section}", section);
        while !fits(&sentence) && !title.is_empty() {
            // A tenth at a time: a title is a line or two, never thousands.
            let keep = title.len() - title.len().div_ceil(10);
            title.truncate(keep);
            let shortened: String = title.iter().collect::<String>().trim_end().to_string();
            sentence = pointer.replace("{section}", &format!("{shortened}…"));
        }
        sentence
    }

    /// The heading (outside the cover) whose own text, its number left
    /// aside, is `title`.
    fn heading_titled(&self, title: &str) -> Option<usize> {
        let title = title.trim();
        self.headings.iter().position(|(numbered, _)| {
            numbered == title
                || numbered.strip_suffix(title).is_some_and(|number| {
                    number.ends_with(' ')
                        && number
                            .trim_end()
                            .chars()
                            .all(|c| c.is_ascii_digit() || c == '.')
                })
        })
    }
}

/// Adds a unit; returns its height, the gap above it counted unless it is
/// the first (a page's first block has none). A page break inside the
/// region is dropped: the region is one page.
fn add(
    units: &mut Vec<Unit>,
    mut flow: Vec<Flow>,
    section: Option<String>,
    before: Snapshot,
) -> Pt {
    flow.retain(|f| !matches!(f, Flow::PageBreak));
    let mut height = 0.0;
    let mut started = !units.is_empty();
    for f in &flow {
        match f {
            Flow::Element(e) => {
                started = true;
                height += e.height;
            }
            Flow::Space(h) if started => height += h,
            Flow::Skip(h) => height += h,
            Flow::Space(_) | Flow::PageBreak | Flow::Cover => {}
        }
    }
    units.push(Unit {
        flow,
        height,
        section,
        before,
    });
    height
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(markdown: &str) -> Document {
        set_for_test(markdown, Language::En, Furniture::default())
    }

    fn page_text(document: &Document, page: usize) -> String {
        document.pages[page]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text { run, .. } => Some(run.glyph_texts().flatten().collect::<String>()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn region(items: usize) -> String {
        let list: String = (1..=items)
            .map(|i| format!("- Headline item {i}\n"))
            .collect();
        format!(
            "Cover\n\n<!-- one-page: … see {{section}}, page {{page}} -->\n\n**At a glance**\n\n<!-- see: Programme -->\n\n{list}\n<!-- end one-page -->\n\n<!-- pagebreak -->\n\n# Objectives\n\nText.\n\n<!-- pagebreak -->\n\n# Programme\n\nThe whole programme.\n"
        )
    }

    #[test]
    fn what_fits_is_all_there_and_nothing_is_said() {
        let document = set(&region(5));
        assert_eq!(document.pages.len(), 4);
        let glance = page_text(&document, 1);
        assert!(glance.contains("Headline item 5"), "{glance}");
        assert!(!glance.contains("see"), "{glance}");
    }

    #[test]
    fn what_does_not_fit_is_cut_at_an_item_with_a_pointer_to_its_section() {
        let document = set(&region(200));
        // Cover, the one page, Objectives, Programme: never a second page
        // of the region.
        assert_eq!(document.pages.len(), 4, "{}", page_text(&document, 2));
        let glance = page_text(&document, 1);
        assert!(glance.contains("Headline item 1\n"), "{glance}");
        assert!(!glance.contains("Headline item 200"), "{glance}");
        assert!(glance.ends_with("… see 2 Programme, page 4"), "{glance}");
        // The pointer is a link to the section.
        assert!(document.pages[1].items.iter().any(|item| matches!(
            item,
            Item::Link {
                target: Target::Heading(1),
                ..
            }
        )));
        // The items left out left no nodes behind: 1 paragraph, a list of
        // the items shown, the pointer.
        let shown = glance.matches("Headline item").count();
        let items = document
            .structure
            .nodes
            .iter()
            .filter(|n| n.role == Role::ListItem)
            .count();
        assert_eq!(items, shown);
        // The page is full, but not overfull.
        let bottom = document.height - mm(24.0);
        for item in &document.pages[1].items {
            if let Item::Text { baseline, .. } = item {
                assert!(*baseline <= bottom, "{baseline} below {bottom}");
            }
        }
    }

    #[test]
    fn a_pointer_to_a_long_title_is_shortened_to_one_line() {
        let title = "Programme of the visit with every meeting ".repeat(4);
        let markdown = region(200)
            .replace("# Programme", &format!("# {}", title.trim()))
            .replace(
                "<!-- see: Programme -->",
                &format!("<!-- see: {} -->", title.trim()),
            );
        let document = set(&markdown);
        let pointer = document.pages[1]
            .items
            .iter()
            .rev()
            .find_map(|item| match item {
                Item::Text { x, run, .. } => Some((*x, run.width(), run.glyphs.len())),
                _ => None,
            })
            .unwrap();
        let text = page_text(&document, 1);
        assert!(text.ends_with("…, page 4"), "{text}");
        assert!(
            pointer.0 + pointer.1 <= document.width - mm(22.0),
            "{pointer:?}"
        );
    }

    #[test]
    fn a_page_break_inside_the_region_is_ignored() {
        let document = set(
            "<!-- one-page -->\n\nOne.\n\n<!-- pagebreak -->\n\nTwo.\n\n<!-- end one-page -->\n",
        );
        assert_eq!(document.pages.len(), 1);
    }

    #[test]
    fn a_cut_never_leaves_a_heading_at_the_foot() {
        let paragraphs = "A paragraph of the region.\n\n".repeat(44);
        let document = set(&format!(
            "<!-- one-page: see {{section}} -->\n\n{paragraphs}### Last heading\n\n<!-- see: Nowhere -->\n\n{}\n\n<!-- end one-page -->\n",
            "Long text. ".repeat(200)
        ));
        assert_eq!(document.pages.len(), 1);
        let text = page_text(&document, 0);
        assert!(!text.contains("Last heading"), "{text}");
        // No heading of that name: the pointer is an ellipsis.
        assert!(text.ends_with('…'), "{text}");
    }
}
