//! Side-by-side blocks (`<!-- card -->`): a picture at the side, a flow of
//! blocks beside it (a person's photo beside their name, title and
//! biography), kept together on one page unless taller than a page.
//!
//! The card is set as a left-to-right page sets it, picture on the left; a
//! right-to-left page is mirrored whole (`pages::mirror`), so there the
//! picture stands on the right and the text reads from its left.

use super::*;
use crate::typeset::markdown::Picture;
use crate::typeset::theme::MissingPhoto;

/// The gap between the picture and the text beside it, in multiples of the
/// body size.
const CARD_GAP: f32 = 1.2;
/// The space above a card, besides the gap between blocks, in multiples
/// of the body size.
const CARD_SPACE: f32 = 0.6;
/// The narrowest a picture is set, in multiples of the body size: a card
/// narrower than twice this has none.
const NARROWEST_SIDE: f32 = 2.0;
/// A placeholder is a portrait photo's shape: five high for four wide (the
/// 4:5 crop of portraits, as the examples' photos are), so that a card
/// without a photo stands as tall as one with.
const PLACEHOLDER_ASPECT: f32 = 5.0 / 4.0;

/// What stands at the side of a card: an element (its items drawn from
/// the card's top-left corner) and the width it takes.
struct Side {
    element: Element,
    width: Pt,
}

impl Layout<'_> {
    /// A card: `picture` (or what the theme puts for a missing one) at
    /// `x`, `blocks` beside it.
    pub(super) fn card(
        &mut self,
        picture: Option<&Picture>,
        blocks: &[Block],
        x: Pt,
        width: Pt,
        depth: usize,
    ) -> Result<Vec<Flow>, TypesetError> {
        // The picture is read first (its figure node comes first), then the
        // text beside it. In a column too narrow for both (cards in cards),
        // the text stands alone.
        let side = match picture {
            _ if width / 2.0 < self.theme.sizes.body * NARROWEST_SIDE => None,
            Some(picture) => {
                let element = self.image(&picture.path, &picture.alt, x, width / 2.0)?;
                let width = element.items.iter().find_map(|item| match item {
                    Item::Image { width, .. } => Some(*width),
                    _ => None,
                });
                Some(Side {
                    element,
                    width: width.unwrap_or(0.0),
                })
            }
            None => self.missing_photo(x, width / 2.0),
        };
        let (text_x, text_width) = match &side {
            Some(side) => {
                let gap = self.theme.sizes.body * CARD_GAP;
                (x + side.width + gap, width - side.width - gap)
            }
            None => (x, width),
        };
        let text = self.blocks(blocks, text_x, text_width, depth, false, false)?;
        // Cards one after another stand apart more than paragraphs do.
        let mut flow = vec![Flow::Space(self.theme.sizes.body * CARD_SPACE)];
        flow.extend(side_by_side(side.map(|s| s.element), text));
        Ok(flow)
    }

    /// What the theme puts where a card has no picture.
    fn missing_photo(&mut self, x: Pt, most: Pt) -> Option<Side> {
        let width = mm(self.theme.photo_width).min(most);
        let height = width * PLACEHOLDER_ASPECT;
        let items = match self.theme.missing_photo {
            MissingPhoto::None => return None,
            MissingPhoto::Blank => Vec::new(),
            // A light frame: decoration, not read.
            MissingPhoto::Placeholder => {
                let (fill, rule) = (self.theme.colours.table_header, self.theme.colours.rule);
                let line = |x1, y1, x2, y2| Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width: 0.5,
                    color: rule,
                };
                vec![
                    Item::Start(Mark::Layout),
                    Item::Rect {
                        x,
                        y: 0.0,
                        width,
                        height,
                        color: fill,
                    },
                    line(x, 0.0, x + width, 0.0),
                    line(x + width, 0.0, x + width, height),
                    line(x + width, height, x, height),
                    line(x, height, x, 0.0),
                    Item::End,
                ]
            }
        };
        Some(Side {
            element: Element {
                height,
                items,
                ..Element::default()
            },
            width,
        })
    }
}

/// The side's element and the text's flow as one card. The side and the
/// lines beside it are one element (they cannot part); the lines below
/// the side's foot follow, each kept with the next, so that the page
/// cutter keeps the whole card on one page unless it is taller than one.
fn side_by_side(side: Option<Element>, text: Vec<Flow>) -> Vec<Flow> {
    let mut head = side.unwrap_or_default();
    let side_height = head.height;
    head.keep_with_next = false;
    let mut y: Pt = 0.0;
    let mut beside = true;
    let mut started = false;
    let mut below = Vec::new();
    for flow in text {
        match flow {
            // A card is one piece: a page break inside it means nothing.
            Flow::PageBreak => {}
            Flow::Space(h) | Flow::Skip(h) if beside => {
                if started {
                    y += h;
                }
            }
            Flow::Element(element) if beside && y < side_height => {
                started = true;
                if head.first_baseline.is_none() {
                    head.first_baseline = element.first_baseline.map(|b| b + y);
                }
                head.items
                    .extend(element.items.into_iter().map(|item| moved_down(item, y)));
                head.page_refs
                    .extend(element.page_refs.into_iter().map(|mut r| {
                        r.baseline += y;
                        r
                    }));
                y += element.height;
            }
            other => {
                beside = false;
                below.push(other);
            }
        }
    }
    head.height = side_height.max(y);
    let mut flow = Vec::with_capacity(below.len() + 1);
    if head.height > 0.0 || !head.items.is_empty() {
        flow.push(Flow::Element(head));
    }
    flow.extend(below);
    // Every element kept with the next, up to the card's last.
    let last = flow.iter().rposition(|f| matches!(f, Flow::Element(_)));
    for (i, f) in flow.iter_mut().enumerate() {
        if let Flow::Element(element) = f {
            element.keep_with_next = Some(i) != last;
            element.anchor = None;
        }
    }
    flow
}

/// An item `dy` further down.
fn moved_down(mut item: Item, dy: Pt) -> Item {
    match &mut item {
        Item::Text { baseline, .. } | Item::TurnedText { baseline, .. } => *baseline += dy,
        Item::Rect { y, .. } | Item::Image { y, .. } | Item::Link { y, .. } => *y += dy,
        Item::Line { y1, y2, .. } => {
            *y1 += dy;
            *y2 += dy;
        }
        Item::Start(_) | Item::End => {}
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(markdown: &str, language: Language) -> Document {
        set_for_test(markdown, language, Furniture::default())
    }

    /// The text items of page `page` as (text, left edge, baseline).
    fn texts(document: &Document, page: usize) -> Vec<(String, Pt, Pt)> {
        document.pages[page]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text { x, baseline, run } => {
                    Some((run.glyph_texts().flatten().collect(), *x, *baseline))
                }
                _ => None,
            })
            .collect()
    }

    fn placeholder(document: &Document, page: usize) -> Option<(Pt, Pt, Pt, Pt)> {
        document.pages[page]
            .items
            .iter()
            .find_map(|item| match item {
                Item::Rect {
                    x,
                    y,
                    width,
                    height,
                    ..
                } => Some((*x, *y, *width, *height)),
                _ => None,
            })
    }

    const CARD: &str = "<!-- card -->\n\n**Jane Doe**\n\nMinister of Everything\n\n<!-- end card -->\n\nAfter the card.\n";

    #[test]
    fn the_text_stands_beside_the_placeholder_and_what_follows_below_it() {
        let document = set(CARD, Language::En);
        let (px, py, pw, ph) = placeholder(&document, 0).expect("a placeholder");
        let left = mm(22.0);
        assert!((px - left).abs() < 0.5 && (pw - mm(28.0)).abs() < 0.5);
        assert!((ph - pw * 5.0 / 4.0).abs() < 0.5);
        let texts = texts(&document, 0);
        let name = texts.iter().find(|t| t.0 == "Jane Doe").unwrap();
        let title = texts
            .iter()
            .find(|t| t.0 == "Minister of Everything")
            .unwrap();
        let after = texts.iter().find(|t| t.0 == "After the card.").unwrap();
        // Beside: right of the placeholder, within its height.
        assert!(name.1 > px + pw && title.1 > px + pw, "{texts:?}");
        assert!(name.2 > py && title.2 < py + ph, "{texts:?}");
        // Below: at the left margin, under the placeholder's foot.
        assert!(
            (after.1 - left).abs() < 0.5 && after.2 > py + ph,
            "{texts:?}"
        );
        // The frame is decoration; the text is read as paragraphs.
        let paragraphs = document
            .structure
            .nodes
            .iter()
            .filter(|n| n.role == Role::Paragraph)
            .count();
        assert_eq!(paragraphs, 3);
    }

    #[test]
    fn a_right_to_left_card_has_its_placeholder_on_the_right() {
        let document = set(
            "<!-- card -->\n\n**جين دو**\n\nوزيرة\n\n<!-- end card -->\n",
            Language::Ar,
        );
        let (px, _, pw, _) = placeholder(&document, 0).unwrap();
        let right = document.width - mm(22.0);
        assert!((px + pw - right).abs() < 0.5, "{px} {pw}");
        for (text, x, _) in texts(&document, 0) {
            if text.contains('ز') {
                assert!(x < px, "{text} at {x}, placeholder at {px}");
            }
        }
    }

    #[test]
    fn a_card_is_kept_together_on_the_next_page_rather_than_split() {
        let filler = "A line of text.\n\n".repeat(46);
        let long_bio = "The biography goes on. ".repeat(40);
        let document = set(
            &format!("{filler}<!-- card -->\n\n**Jane Doe**\n\n{long_bio}\n\n<!-- end card -->\n"),
            Language::En,
        );
        assert_eq!(document.pages.len(), 2);
        assert!(texts(&document, 0).iter().all(|t| t.0 != "Jane Doe"));
        assert!(placeholder(&document, 0).is_none());
        assert!(texts(&document, 1).iter().any(|t| t.0 == "Jane Doe"));
        assert!(placeholder(&document, 1).is_some());
    }

    #[test]
    fn a_card_taller_than_a_page_runs_on() {
        let long_bio = "The biography goes on and on. ".repeat(900);
        let document = set(
            &format!(
                "Before.\n\n<!-- card -->\n\n**Jane Doe**\n\n{long_bio}\n\n<!-- end card -->\n"
            ),
            Language::En,
        );
        assert!(document.pages.len() >= 3);
        // It starts where it is, beside the text before it on page 1.
        assert!(texts(&document, 0).iter().any(|t| t.0 == "Jane Doe"));
        let bottom = document.height - mm(24.0);
        for page in 0..document.pages.len() {
            for (text, _, baseline) in texts(&document, page) {
                assert!(baseline <= bottom + 20.0, "{text} at {baseline} on {page}");
            }
        }
    }
}
