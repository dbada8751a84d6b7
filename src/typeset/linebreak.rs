//! Total-fit line breaking (Knuth and Plass, "Breaking Paragraphs into
//! Lines", 1981): of all the ways to break a paragraph, choose the one with
//! the least total badness, rather than filling each line greedily.
//!
//! A paragraph is a list of [`Item`]s: boxes (words or parts of words),
//! glue (spaces that may stretch and shrink) and penalties (places to break
//! at a cost, such as a hyphen). The result is the indices of the items at
//! which lines end.

/// A penalty of this size or more forbids a break; of minus this, forces one.
pub const INFINITY: f32 = 10_000.0;

/// The stretch of the glue that ends a paragraph: its last line may be as
/// short as it likes (TeX's `\parfillskip`).
pub const FILL: f32 = 1e6;

/// Penalties of this cost or more are breaks of last resort, used only when
/// no other set of breaks fits (splitting a word too long for any line).
pub const LAST_RESORT: f32 = 5000.0;

/// How much worse than perfect a line may be on the first try (TeX's
/// `tolerance` is 200 on its badness scale; this ratio is its cube root
/// equivalent). Lines looser than this are tried only when nothing else fits.
const TOLERANCE: f32 = 2.0;
/// Extra demerits for two hyphenated lines in a row (TeX's `\doublehyphendemerits`).
const DOUBLE_HYPHEN_DEMERITS: f32 = 3000.0;
/// Extra demerits for a paragraph whose next-to-last line ends with a
/// hyphen, leaving a piece of a word alone below (TeX's `\finalhyphendemerits`).
const FINAL_HYPHEN_DEMERITS: f32 = 5000.0;
/// Extra demerits for a tight line next to a loose one (TeX's `\adjdemerits`).
const FITNESS_DEMERITS: f32 = 3000.0;
/// Per-line penalty, so that fewer lines are preferred (TeX's `\linepenalty`).
const LINE_PENALTY: f32 = 10.0;
/// In ragged text, a last line filled less than this share of the measure
/// ("Hotel Meridian, Salon / B")...
const SHORT_LAST_LINE: f32 = 0.2;
/// ...costs these extra demerits: more than a line a third short, which in
/// a ragged table cell is ordinary.
const SHORT_LAST_LINE_DEMERITS: f32 = 50_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Box {
        width: f32,
    },
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

/// How lines are measured: justified lines stretch their spaces; ragged
/// lines do not, so each line is judged by the room left at its end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Justified,
    /// Ragged right, judged as if each line had this much stretch.
    Ragged {
        stretch: f32,
    },
}

/// Running sums of widths, stretch and shrink.
#[derive(Clone, Copy, Default)]
struct Totals {
    width: f32,
    stretch: f32,
    shrink: f32,
}

impl Totals {
    fn add(&mut self, item: &Item) {
        match *item {
            Item::Box { width } => self.width += width,
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                self.width += width;
                self.stretch += stretch;
                self.shrink += shrink;
            }
            Item::Penalty { .. } => {}
        }
    }
}

#[derive(Clone, Copy)]
struct Node {
    /// Index of the item where the line before this node ends.
    position: usize,
    fitness: u8,
    width: f32,
    stretch: f32,
    shrink: f32,
    demerits: f32,
    flagged: bool,
    previous: Option<usize>,
}

/// A chosen break: where the line ends and how much its glue must stretch
/// (positive) or shrink (negative), as a ratio of what it can.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub position: usize,
    pub ratio: f32,
}

/// Breaks `items` into lines of `line_width`. The items must end with a
/// forced break (a penalty of `-INFINITY`). Always returns a result: when no
/// set of breaks fits, lines are allowed to overflow, so that nothing is
/// ever lost.
pub fn break_lines(items: &[Item], line_width: f32, mode: Mode) -> Vec<Break> {
    for tolerance in [TOLERANCE, 10.0, f32::INFINITY] {
        if let Some(breaks) = try_break(items, line_width, mode, tolerance) {
            return breaks;
        }
    }
    unreachable!("an infinite tolerance always finds breaks")
}

fn is_breakpoint(items: &[Item], i: usize, last_resort: bool) -> bool {
    match items[i] {
        Item::Penalty { cost, .. } => cost < INFINITY && (cost < LAST_RESORT || last_resort),
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Box { .. } => false,
    }
}

fn try_break(items: &[Item], line_width: f32, mode: Mode, tolerance: f32) -> Option<Vec<Break>> {
    let mut nodes: Vec<Node> = vec![Node {
        position: 0,
        fitness: 1,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        demerits: 0.0,
        flagged: false,
        previous: None,
    }];
    let mut active: Vec<usize> = vec![0];
    // The nodes still active after a breakpoint; kept between breakpoints
    // so that each does not allocate a list of its own.
    let mut still_active: Vec<usize> = Vec::new();
    // Sums over the items before the current one.
    let mut sums = Totals::default();
    // When to drop the nodes no active node leads back to (see
    // `collect_garbage`).
    let mut collect_at = MIN_NODES_COLLECTED;

    // The last pass, TeX's emergency pass: breaks of last resort allowed,
    // lines as loose as need be, and an overfull line when nothing else is
    // possible.
    let last_resort = tolerance.is_infinite();
    for (i, item) in items.iter().enumerate() {
        if is_breakpoint(items, i, last_resort) {
            let (penalty_width, cost, flagged) = match *item {
                Item::Penalty {
                    width,
                    cost,
                    flagged,
                } => (width, cost, flagged),
                _ => (0.0, 0.0, false),
            };
            // The best new node for each fitness class.
            let mut candidates: [Option<Node>; 4] = [None; 4];
            // The best of the lines that would overflow here, kept in the
            // last pass in case no line fits (see below).
            let mut best_overfull: Option<Node> = None;
            still_active.clear();
            for &a in &active {
                let node = nodes[a];
                let natural = sums.width - node.width + penalty_width;
                let line_stretch = match mode {
                    Mode::Justified => sums.stretch - node.stretch,
                    // Spaces do not stretch in ragged text, but the
                    // paragraph's closing fill still does: without it the
                    // last line would have to be full, and every line of a
                    // table cell was shortened (and hyphenated) to make it so.
                    Mode::Ragged { stretch } => {
                        let glue = sums.stretch - node.stretch;
                        if glue >= FILL / 2.0 {
                            glue
                        } else {
                            stretch
                        }
                    }
                };
                let line_shrink = match mode {
                    Mode::Justified => sums.shrink - node.shrink,
                    Mode::Ragged { .. } => 0.0,
                };
                let ratio = if natural < line_width {
                    if line_stretch > 0.0 {
                        (line_width - natural) / line_stretch
                    } else if tolerance > TOLERANCE {
                        // No glue to stretch (one long word in a narrow
                        // column): judge by the room left.
                        1.0 + 9.0 * (line_width - natural) / line_width
                    } else {
                        f32::INFINITY
                    }
                } else if natural > line_width {
                    if line_shrink > 0.0 && natural - line_width <= line_shrink {
                        (line_width - natural) / line_shrink
                    } else {
                        // Overfull, and the worse the more it overflows
                        // (used only if nothing else is possible).
                        -1.0 - 100.0 * (natural - line_width) / line_width
                    }
                } else {
                    0.0
                };
                let forced = cost <= -INFINITY;
                // A line that overflows here only gets wider further on: the
                // node is done with, in every pass. Without this, the last
                // pass kept every node it ever made, and one word of n
                // characters cost time n².
                let overfull = ratio < -1.0;
                if !(overfull || forced) {
                    still_active.push(a);
                }
                let fits = !overfull && ratio <= tolerance;
                let emergency = overfull && last_resort;
                if !(fits || emergency) {
                    continue;
                }
                let badness = 100.0 * ratio.abs().powi(3);
                let mut demerits = if cost >= 0.0 {
                    (LINE_PENALTY + badness).powi(2) + cost * cost
                } else if forced {
                    (LINE_PENALTY + badness).powi(2)
                } else {
                    (LINE_PENALTY + badness).powi(2) - cost * cost
                };
                if flagged && node.flagged {
                    demerits += DOUBLE_HYPHEN_DEMERITS;
                }
                if forced && node.flagged {
                    demerits += FINAL_HYPHEN_DEMERITS;
                }
                if forced
                    && matches!(mode, Mode::Ragged { .. })
                    && node.position > 0
                    && natural < SHORT_LAST_LINE * line_width
                {
                    demerits += SHORT_LAST_LINE_DEMERITS;
                }
                let fitness = match ratio {
                    r if r < -0.5 => 0,
                    r if r <= 0.5 => 1,
                    r if r <= 1.0 => 2,
                    _ => 3,
                };
                if (fitness as i32 - node.fitness as i32).abs() > 1 {
                    demerits += FITNESS_DEMERITS;
                }
                let total = node.demerits + demerits;
                let new = Node {
                    position: i,
                    fitness,
                    width: 0.0,
                    stretch: 0.0,
                    shrink: 0.0,
                    demerits: total,
                    flagged,
                    previous: Some(a),
                };
                if fits {
                    let slot = &mut candidates[fitness as usize];
                    if slot.is_none_or(|c| total < c.demerits) {
                        *slot = Some(new);
                    }
                } else if best_overfull.is_none_or(|b| total <= b.demerits) {
                    // On a tie (demerits too large to tell apart) the later
                    // node wins: its line overflows least.
                    best_overfull = Some(new);
                }
            }
            // TeX's emergency pass: when every line that could end here
            // overflows and no node would stay active, the best of those
            // lines is taken (it holds a piece nothing can split, such as
            // one character wider than the line), so that the paragraph
            // goes on and nothing is lost.
            if still_active.is_empty() && candidates.iter().all(Option::is_none) {
                if let Some(node) = best_overfull {
                    candidates[node.fitness as usize] = Some(node);
                }
            }
            std::mem::swap(&mut active, &mut still_active);
            // What follows a break starts the next line: skip the glue and
            // penalties after it when measuring from the new node.
            let mut after = sums;
            for next in &items[i..] {
                match *next {
                    Item::Box { .. } => break,
                    Item::Penalty { cost, .. } if cost <= -INFINITY && next != item => break,
                    _ => after.add(next),
                }
            }
            if last_resort {
                // All candidates here end the same line at the same place
                // and differ only in fitness class, which can cost at most
                // `FITNESS_DEMERITS` later: one that is worse than the best by
                // more can never be part of the best paragraph. In a long
                // word, where each of its characters is a breakpoint of last
                // resort, this keeps one node per breakpoint active instead
                // of up to four.
                let best = candidates
                    .iter()
                    .flatten()
                    .map(|c| c.demerits)
                    .fold(f32::INFINITY, f32::min);
                for slot in &mut candidates {
                    if slot.is_some_and(|c| c.demerits > best + FITNESS_DEMERITS) {
                        *slot = None;
                    }
                }
            }
            for mut candidate in candidates.into_iter().flatten() {
                candidate.width = after.width;
                candidate.stretch = after.stretch;
                candidate.shrink = after.shrink;
                nodes.push(candidate);
                active.push(nodes.len() - 1);
            }
            if active.is_empty() {
                return None;
            }
            if active.len() > MAX_ACTIVE_NODES {
                // The oldest nodes start the longest lines: the first to go.
                active.drain(..active.len() - MAX_ACTIVE_NODES);
            }
            if nodes.len() >= collect_at {
                collect_garbage(&mut nodes, &mut active);
                collect_at = (2 * nodes.len()).max(MIN_NODES_COLLECTED);
            }
        }
        sums.add(item);
    }

    let last = items.len() - 1;
    let best = active
        .iter()
        .copied()
        .filter(|&a| nodes[a].position == last)
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let mut breaks = Vec::new();
    let mut at = Some(best);
    while let Some(n) = at {
        let node = nodes[n];
        if let Some(previous) = node.previous {
            breaks.push(Break {
                position: node.position,
                ratio: ratio_of(
                    items,
                    nodes[previous].position,
                    node.position,
                    line_width,
                    mode,
                    previous == 0,
                ),
            });
        }
        at = node.previous;
    }
    breaks.reverse();
    Some(breaks)
}

/// At most this many lines may be open at once. Printed text never comes
/// near it: a line holds at most a couple of hundred characters, each a
/// breakpoint when a word is broken by force, each with at most a node or
/// two. Only breakpoints of no width (a run of zero-width spaces) keep
/// every node ever made active, which cost time n² (40,000 of them: 16 s);
/// past the limit the oldest go, so that a paragraph of any text costs time
/// linear in its length.
const MAX_ACTIVE_NODES: usize = 1000;

/// Nodes are collected only when there are at least this many: a
/// paragraph of ordinary text makes a few hundred, and never pays for it.
const MIN_NODES_COLLECTED: usize = 4096;

/// Drops the nodes that no active node leads back to: they can no longer be
/// part of the result. A paragraph keeps every node it makes otherwise,
/// which in the last pass over a word of a million characters was up to
/// four million; what is left is about one node per line set so far. Called
/// when the nodes have doubled since the last time, so that its cost is
/// linear in the number of nodes ever made.
fn collect_garbage(nodes: &mut Vec<Node>, active: &mut [usize]) {
    // Where each node that is kept goes, or `usize::MAX`.
    let mut moved_to = vec![usize::MAX; nodes.len()];
    for &a in active.iter() {
        let mut at = Some(a);
        while let Some(n) = at {
            if moved_to[n] != usize::MAX {
                break;
            }
            moved_to[n] = 0;
            at = nodes[n].previous;
        }
    }
    // A node's `previous` comes before it, so it has moved by the time the
    // node itself does; the first node (the paragraph's start) stays first.
    let mut kept = 0;
    for n in 0..nodes.len() {
        if moved_to[n] == usize::MAX {
            continue;
        }
        let mut node = nodes[n];
        node.previous = node.previous.map(|p| moved_to[p]);
        nodes[kept] = node;
        moved_to[n] = kept;
        kept += 1;
    }
    nodes.truncate(kept);
    for a in active {
        *a = moved_to[*a];
    }
}

/// The stretch ratio of the line from the break at `from` to the one at `to`.
fn ratio_of(
    items: &[Item],
    from: usize,
    to: usize,
    line_width: f32,
    mode: Mode,
    first: bool,
) -> f32 {
    let start = if first { 0 } else { from + 1 };
    let mut start = start;
    while start < to && !matches!(items[start], Item::Box { .. }) {
        start += 1;
    }
    let mut sums = Totals::default();
    items[start..to].iter().for_each(|item| sums.add(item));
    let Totals {
        mut width,
        stretch,
        shrink,
    } = sums;
    if let Item::Penalty { width: w, .. } = items[to] {
        width += w;
    }
    if matches!(mode, Mode::Ragged { .. }) {
        return 0.0;
    }
    if width < line_width && stretch > 0.0 {
        ((line_width - width) / stretch).min(f32::MAX)
    } else if width > line_width && shrink > 0.0 {
        ((line_width - width) / shrink).max(-1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of the given widths, one unit spaces, and the closing glue and
    /// forced break that end every paragraph.
    fn paragraph(words: &[f32]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in words.iter().enumerate() {
            if i > 0 {
                items.push(SPACE);
            }
            items.push(Item::Box { width: w });
        }
        items.push(Item::Glue {
            width: 0.0,
            stretch: FILL,
            shrink: 0.0,
        });
        items.push(Item::Penalty {
            width: 0.0,
            cost: -INFINITY,
            flagged: false,
        });
        items
    }

    /// A word space of one unit.
    const SPACE: Item = Item::Glue {
        width: 1.0,
        stretch: 0.5,
        shrink: 0.33,
    };

    /// Where a word may be hyphenated, the hyphen `width` wide.
    fn hyphen(width: f32) -> Item {
        Item::Penalty {
            width,
            cost: 50.0,
            flagged: true,
        }
    }

    fn line_lengths(items: &[Item], breaks: &[Break]) -> Vec<usize> {
        let mut start = 0;
        breaks
            .iter()
            .map(|b| {
                let words = items[start..b.position]
                    .iter()
                    .filter(|i| matches!(i, Item::Box { .. }))
                    .count();
                start = b.position + 1;
                words
            })
            .collect()
    }

    #[test]
    fn a_known_paragraph_breaks_evenly() {
        // Twelve words of width 3: at width 15 the best fit is four lines of
        // three words (natural width 11, stretch 1 each: ratio 4 is too
        // loose), so three lines of four words (natural 15) are chosen.
        let items = paragraph(&[3.0; 12]);
        let breaks = break_lines(&items, 15.0, Mode::Justified);
        assert_eq!(line_lengths(&items, &breaks), vec![4, 4, 4]);
        assert_eq!(breaks[0].ratio, 0.0);
    }

    #[test]
    fn ragged_lines_fill_up_and_the_last_one_may_be_short() {
        // Three words of 30 fill a line of 100; the fourth goes alone on
        // the last line rather than the lines being balanced at two each.
        let items = paragraph(&[30.0; 4]);
        let breaks = break_lines(&items, 100.0, Mode::Ragged { stretch: 20.0 });
        assert_eq!(line_lengths(&items, &breaks), vec![3, 1]);
    }

    #[test]
    fn a_ragged_last_line_is_not_left_with_one_short_word() {
        // "aaaaaa aaaaaa aaaaa b" at 20: "b" alone on the last line costs
        // more than a shorter first line with "aaaaa b" below it.
        let items = paragraph(&[6.0, 6.0, 5.0, 1.0]);
        let breaks = break_lines(&items, 20.0, Mode::Ragged { stretch: 6.0 });
        assert_eq!(line_lengths(&items, &breaks), vec![2, 2]);
        // A paragraph of one short word is left alone.
        let items = paragraph(&[1.0]);
        let breaks = break_lines(&items, 20.0, Mode::Ragged { stretch: 6.0 });
        assert_eq!(line_lengths(&items, &breaks), vec![1]);
    }

    #[test]
    fn a_hyphen_on_the_next_to_last_line_must_earn_its_place() {
        // Five words of 2, then one that splits into 0.4 + hyphen + 3. At
        // 15.66 the hyphen fills the first line exactly, but leaves a piece
        // of a word alone on the last; unsplit, the first line is a little
        // loose (ratio 0.83), which costs less.
        let mut items = paragraph(&[2.0; 5]);
        let end = items.split_off(items.len() - 2);
        items.extend([
            SPACE,
            Item::Box { width: 0.4 },
            hyphen(0.26),
            Item::Box { width: 3.0 },
        ]);
        items.extend(end);
        let breaks = break_lines(&items, 15.66, Mode::Justified);
        assert_eq!(line_lengths(&items, &breaks), vec![5, 2]);
    }

    #[test]
    fn a_word_wider_than_the_line_overflows_rather_than_vanishes() {
        let items = paragraph(&[3.0, 30.0, 3.0]);
        let breaks = break_lines(&items, 10.0, Mode::Justified);
        assert_eq!(line_lengths(&items, &breaks).iter().sum::<usize>(), 3);
    }

    #[test]
    fn hyphenation_is_used_when_it_helps() {
        // "aaaa" "bbbb-cccc": the hyphen lets the second word split.
        let items = vec![
            Item::Box { width: 4.0 },
            SPACE,
            Item::Box { width: 4.0 },
            hyphen(1.0),
            Item::Box { width: 4.0 },
            Item::Glue {
                width: 0.0,
                stretch: FILL,
                shrink: 0.0,
            },
            Item::Penalty {
                width: 0.0,
                cost: -INFINITY,
                flagged: false,
            },
        ];
        let breaks = break_lines(&items, 10.0, Mode::Justified);
        assert_eq!(breaks[0].position, 3);
    }
}
