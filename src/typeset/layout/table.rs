//! Tables: columns sized from their words, rows set cell by cell, header
//! rows marked to repeat on every page a table runs onto.

use pulldown_cmark::Alignment;

use super::*;

/// Each column's narrowest (its longest word) and widest (its longest cell
/// on one line) widths.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ColumnSizes {
    pub min: Vec<Pt>,
    pub max: Vec<Pt>,
}

impl ColumnSizes {
    /// The sizes that fit both: each column as wide as the wider of the two.
    fn widen(&mut self, other: &ColumnSizes) {
        for (mine, theirs) in [(&mut self.min, &other.min), (&mut self.max, &other.max)] {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m = m.max(*t);
            }
        }
    }
}

/// How many columns a table has: its widest row.
fn column_count(head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> usize {
    head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0))
}

impl Layout<'_> {
    /// Measures the tables marked as sharing their column widths (at any
    /// depth), each group over all its rows. A group's tables with another
    /// number of columns form a group of their own.
    pub(super) fn measure_column_groups(
        &self,
        blocks: &[Block],
        groups: &mut BTreeMap<(String, usize), ColumnSizes>,
    ) {
        for block in blocks {
            match block {
                Block::Table {
                    head,
                    rows,
                    columns: Some(name),
                    ..
                } => {
                    let sizes = self.measure_columns(head, rows);
                    match groups.entry((name.clone(), sizes.min.len())) {
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            slot.insert(sizes);
                        }
                        std::collections::btree_map::Entry::Occupied(mut group) => {
                            group.get_mut().widen(&sizes)
                        }
                    }
                }
                Block::List { items, .. } => {
                    for item in items {
                        self.measure_column_groups(item, groups);
                    }
                }
                Block::Quote(inner) => self.measure_column_groups(inner, groups),
                _ => {}
            }
        }
    }

    /// The styles of a table's body and of its header row.
    fn table_styles(&self) -> (Style, Style) {
        let body = Style {
            size: self.theme.sizes.table,
            ..self.body_style()
        };
        let bold = Style {
            face: Face::Bold,
            ..body.clone()
        };
        (body, bold)
    }

    /// Each column's narrowest and widest widths, over every row.
    fn measure_columns(&self, head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> ColumnSizes {
        let (body, bold) = self.table_styles();
        let columns = column_count(head, rows);
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
        ColumnSizes { min, max }
    }

    /// A table; `group` names the tables it shares its column widths with.
    pub(super) fn table(
        &mut self,
        align: &[Alignment],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        group: Option<&str>,
        x: Pt,
        width: Pt,
    ) -> Vec<Flow> {
        let (body, bold) = self.table_styles();
        let columns = column_count(head, rows);
        if columns == 0 {
            return Vec::new();
        }
        let shared = group.and_then(|name| self.column_groups.get(&(name.to_string(), columns)));
        let sizes = match shared {
            Some(sizes) => sizes.clone(),
            None => self.measure_columns(head, rows),
        };
        let widths = column_widths(&sizes.min, &sizes.max, width);
        let table_id = self.tables.len();
        // One table however many pages it runs over: its header row
        // repeated on them is not read again.
        let table = self.node(Role::Table);
        let table_head = self.structure.add(Role::TableHead, Some(table));
        let header = self.table_row(head, &widths, align, x, &bold, table_head, table_id);
        self.tables.push(
            header
                .iter()
                .cloned()
                .map(|mut element| {
                    for item in &mut element.items {
                        if let Item::Start(mark) = item {
                            *mark = Mark::Layout;
                        }
                    }
                    element
                })
                .collect(),
        );
        let mut flow: Vec<Flow> = header.into_iter().map(Flow::Element).collect();
        let table_body = self.structure.add(Role::TableBody, Some(table));
        for row in rows {
            flow.extend(
                self.table_row(row, &widths, align, x, &body, table_body, table_id)
                    .into_iter()
                    .map(Flow::Element),
            );
        }
        flow
    }

    /// A table row as one element; a row taller than a page, as one element
    /// per line, so that it can run on. `group` is the table's head (whose
    /// cells head their columns) or its body.
    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[Vec<Inline>],
        widths: &[Pt],
        align: &[Alignment],
        x: Pt,
        style: &Style,
        group: NodeId,
        table: usize,
    ) -> Vec<Element> {
        let header = self.structure.nodes[group].role == Role::TableHead;
        let row = self.structure.add(Role::TableRow, Some(group));
        let cell_role = if header {
            Role::TableHeader
        } else {
            Role::TableCell
        };
        let cell_nodes: Vec<NodeId> = (0..widths.len())
            .map(|_| self.structure.add(cell_role, Some(row)))
            .collect();
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
            // Each run, and each cell's start and end.
            let runs: usize = cell_lines
                .iter()
                .flat_map(|lines| &lines[from.min(lines.len())..to.min(lines.len())])
                .map(|line| line.runs.len() + 1)
                .sum();
            let mut items = Vec::with_capacity(runs + 2 * widths.len() + 6);
            if header {
                items.extend([
                    Item::Start(Mark::Layout),
                    Item::Rect {
                        x,
                        y: 0.0,
                        width: total_width,
                        height,
                        color: self.theme.colours.table_header,
                    },
                    Item::End,
                ]);
            }
            let mut cell_x = x;
            for (c, lines) in cell_lines.iter().enumerate() {
                let cell = cell_nodes[c];
                let mut open = None;
                let mut open_link = None;
                let mut pieces = Vec::new();
                for (l, line) in lines
                    .iter()
                    .enumerate()
                    .filter(|(l, _)| (from..to).contains(l))
                {
                    let top = pad_top + (l - from) as Pt * line_height;
                    for run in &line.runs {
                        self.pieces_of_run(run.clone(), cell, &mut open_link, &mut pieces);
                    }
                    for (belongs_to, run) in pieces.drain(..) {
                        let run_x = cell_x + CELL_PADDING_X + run.x;
                        if open != Some(belongs_to) {
                            if open.is_some() {
                                items.push(Item::End);
                            }
                            items.push(Item::Start(Mark::Content(belongs_to)));
                            open = Some(belongs_to);
                        }
                        if let Some(uri) = &run.style.link {
                            items.push(Item::Link {
                                x: run_x,
                                y: top,
                                width: run.width(),
                                height: line_height,
                                target: self.target(uri),
                            });
                        }
                        items.push(Item::Text {
                            x: run_x,
                            baseline: top + baseline,
                            run,
                        });
                    }
                }
                if open.is_none() {
                    // Every cell is in the structure, an empty one too: each
                    // row has as many as the table has columns.
                    items.push(Item::Start(Mark::Content(cell)));
                }
                items.push(Item::End);
                cell_x += widths[c];
            }
            if s == last_slice {
                items.extend([
                    Item::Start(Mark::Layout),
                    Item::Line {
                        x1: x,
                        y1: height,
                        x2: x + total_width,
                        y2: height,
                        width: if header { 0.8 } else { 0.4 },
                        color: self.theme.colours.rule,
                    },
                    Item::End,
                ]);
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
        // Not even the longest words fit. Columns whose longest word takes
        // no more than an equal share keep it (a time, a name stays whole);
        // the others share what is left in proportion to their longest
        // words, which are broken by force. Shrinking all in proportion let
        // one pasted blob of a thousand characters squeeze every other
        // column to a fraction of a letter.
        let mut widths = vec![0.0; min.len()];
        let mut long: Vec<usize> = (0..min.len()).collect();
        let mut left = available;
        loop {
            let fair = left / long.len().max(1) as Pt;
            let (short, rest): (Vec<usize>, Vec<usize>) =
                long.iter().partition(|&&i| min[i] <= fair);
            if short.is_empty() {
                break;
            }
            for i in short {
                widths[i] = min[i];
                left -= min[i];
            }
            long = rest;
        }
        let min_long: Pt = long.iter().map(|&i| min[i]).sum();
        for &i in &long {
            widths[i] = min[i] * left / min_long;
        }
        return widths;
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
            column_widths(&[150.0, 450.0], &[200.0, 600.0], 200.0),
            vec![50.0, 150.0]
        );
    }

    #[test]
    fn a_column_with_an_overlong_word_leaves_the_others_their_words() {
        // A time (40) and a title (60) beside a pasted blob (100,000): the
        // short columns keep their longest words, the blob's column gets
        // the rest and is broken by force.
        assert_eq!(
            column_widths(&[40.0, 60.0, 100_000.0], &[40.0, 80.0, 100_000.0], 500.0),
            vec![40.0, 60.0, 400.0]
        );
        // Two columns of 100 and 300 at 200: the first keeps its 100.
        assert_eq!(
            column_widths(&[100.0, 300.0], &[200.0, 600.0], 200.0),
            vec![100.0, 100.0]
        );
    }
}

#[cfg(test)]
mod shared_width_tests {
    use crate::i18n::Language;
    use crate::typeset::layout::{set_for_test, Furniture};
    use crate::typeset::{Document, Item, Pt};

    /// Where each row's rules start and each cell's text starts, page 1:
    /// the x of every text item of a table row whose first cell is `first`.
    fn row_xs(document: &Document, first: &str) -> Vec<Pt> {
        let items = &document.pages[0].items;
        let texts: Vec<(Pt, Pt, String)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Text { x, baseline, run } => {
                    Some((*baseline, *x, run.glyph_texts().flatten().collect()))
                }
                _ => None,
            })
            .collect();
        let baseline = texts.iter().find(|(_, _, t)| t == first).unwrap().0;
        let mut xs: Vec<Pt> = texts
            .iter()
            .filter(|(b, _, _)| (b - baseline).abs() < 0.1)
            .map(|(_, x, _)| *x)
            .collect();
        xs.sort_by(f32::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() < 0.1);
        xs
    }

    const DAYS: &str = "\
<!-- columns: days -->

| Time | What | Where |
|---|---|---|
| 09:00 | A | Hall |

<!-- columns: days -->

| Time | What | Where |
|---|---|---|
| 10:00 | An opening session of some length | The conference centre's great hall |
";

    #[test]
    fn tables_of_a_group_share_their_column_widths() {
        let document = set_for_test(DAYS, Language::En, Furniture::default());
        let first = row_xs(&document, "09:00");
        let second = row_xs(&document, "10:00");
        assert_eq!(first.len(), 3, "{first:?}");
        // The columns stand where the second table's longer cells put them.
        let third_first = first[2];
        assert_eq!(first, second);
        // Without the directive, the first table is sized on its own.
        let alone = set_for_test(
            &DAYS.replace("<!-- columns: days -->", ""),
            Language::En,
            Furniture::default(),
        );
        assert_ne!(row_xs(&alone, "09:00")[2], third_first);
    }
}
