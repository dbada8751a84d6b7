//! Markdown (CommonMark with GitHub tables) to a tree of blocks, plus the
//! few directives a template writes as HTML comments on a line of their own:
//!
//! | directive | effect |
//! |---|---|
//! | `<!-- cover -->` | what follows, up to the next page break, is the cover: centred, not numbered, not in the contents |
//! | `<!-- pagebreak -->` | start a new page |
//! | `<!-- contents: Title -->` | the table of contents under this title, with page numbers |
//! | `<!-- anchor: NAME -->` | the next heading can be linked to as `[text](#NAME)` |
//! | `<!-- columns: NAME -->` | the next table shares its column widths with every table marked `NAME` |
//! | `<!-- card -->` … `<!-- end card -->` | the first image at the side, the other blocks beside it, kept together on a page |
//! | `<!-- one-page: Pointer -->` … `<!-- end one-page -->` | a page that is never more than one: what does not fit is cut at a block, with the pointer said instead |
//! | `<!-- see: Heading -->` | inside a one-page region: what follows is a digest of the section of this heading (the pointer names it) |
//! | `<!-- logo -->` | the theme's logo, centred (nothing when the theme has none) |

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of inline text in one style.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inline {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        text: Vec<Inline>,
        /// The name links to it by (`<!-- anchor: NAME -->` before it).
        anchor: Option<String>,
    },
    Paragraph(Vec<Inline>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Table {
        align: Vec<Alignment>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        /// The group whose tables share column widths (`<!-- columns: NAME -->`
        /// before it).
        columns: Option<String>,
    },
    Quote(Vec<Block>),
    Code(String),
    Rule,
    Image {
        path: String,
        alt: String,
    },
    PageBreak,
    Contents {
        title: String,
    },
    Cover,
    /// An image beside a flow of blocks (a person's photo beside their
    /// name and biography), kept together on one page.
    Card {
        /// `None`: the theme's `photo_placeholder` says what stands there.
        picture: Option<Picture>,
        blocks: Vec<Block>,
    },
    /// Blocks that take one page and never more: those that do not fit are
    /// left out, and `pointer` (with `{section}` and `{page}` filled in)
    /// says where to read on.
    OnePage {
        pointer: String,
        blocks: Vec<Block>,
    },
    /// In a one-page region: the blocks after it digest the section headed
    /// by this text.
    See(String),
    /// The theme's logo.
    Logo,
}

/// An image as a Markdown image names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub path: String,
    pub alt: String,
}

/// The directives that hold blocks, up to their `end`.
#[derive(Debug, Clone, PartialEq)]
enum Region {
    Card,
    OnePage { pointer: String },
}

impl Region {
    fn name(&self) -> &'static str {
        match self {
            Region::Card => "card",
            Region::OnePage { .. } => "one-page",
        }
    }

    fn into_block(self, mut blocks: Vec<Block>) -> Block {
        match self {
            Region::Card => {
                let picture = match blocks.first() {
                    Some(Block::Image { .. }) => match blocks.remove(0) {
                        Block::Image { path, alt } => Some(Picture { path, alt }),
                        _ => None,
                    },
                    _ => None,
                };
                Block::Card { picture, blocks }
            }
            Region::OnePage { pointer } => Block::OnePage { pointer, blocks },
        }
    }
}

/// Parses a document.
pub fn parse(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

#[derive(Default)]
struct Style {
    bold: u32,
    italic: u32,
    link: Vec<String>,
}

/// An open container: the blocks or inlines being collected for it.
enum Open {
    Root(Vec<Block>),
    Item(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Quote(Vec<Block>),
    Inlines(InlineKind, Vec<Inline>),
    Table(
        Vec<Alignment>,
        Vec<Vec<Inline>>,
        Vec<Vec<Vec<Inline>>>,
        bool,
    ),
    Row(Vec<Vec<Inline>>),
    Image(String, Vec<Inline>),
    Code(String),
    Region(Region, Vec<Block>),
}

enum InlineKind {
    Paragraph,
    Heading(u8),
    Cell,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    style: Style,
    /// The anchor directive waiting for the next heading.
    anchor: Option<String>,
    /// The columns directive waiting for the next table.
    columns: Option<String>,
    /// Quotes opened past [`NESTING_LIMIT`], set as part of the one around
    /// them: their ends close nothing.
    flattened_quotes: usize,
}

/// How deep quotes, cards and one-page regions nest: deeper ones are set as
/// part of the one around them (a quote) or taken for a comment (a
/// region). Each level is a level of recursion when the blocks are set, and
/// a Markdown field of `>>>>…` or of `<!-- card -->` repeated would
/// otherwise overflow the stack.
pub const NESTING_LIMIT: usize = 32;

impl Builder {
    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(
                Open::Root(blocks)
                | Open::Item(blocks)
                | Open::Quote(blocks)
                | Open::Region(_, blocks),
            ) => blocks.push(block),
            // Loose text in a list item (a "tight" list) arrives without a
            // paragraph: make one.
            _ => {
                if self.stack.is_empty() {
                    self.stack.push(Open::Root(Vec::new()));
                }
                if let Some(Open::Root(blocks)) = self.stack.first_mut() {
                    blocks.push(block);
                }
            }
        }
    }

    fn inline(&mut self, text: &str, code: bool) {
        if !matches!(self.stack.last(), Some(Open::Inlines(..) | Open::Image(..))) {
            // Text straight inside a list item: an implicit paragraph.
            self.stack
                .push(Open::Inlines(InlineKind::Paragraph, Vec::new()));
        }
        let inline = Inline {
            text: text.to_string(),
            bold: self.style.bold > 0,
            italic: self.style.italic > 0,
            code,
            link: self.style.link.last().cloned(),
        };
        if let Some(Open::Inlines(_, inlines) | Open::Image(_, inlines)) = self.stack.last_mut() {
            match inlines.last_mut() {
                Some(last)
                    if last.bold == inline.bold
                        && last.italic == inline.italic
                        && last.code == inline.code
                        && last.link == inline.link =>
                {
                    last.text.push_str(&inline.text)
                }
                _ => inlines.push(inline),
            }
        }
    }

    /// Whether the containers open are as many as may nest.
    fn too_deep(&self) -> bool {
        self.stack.len() > NESTING_LIMIT
    }

    /// Closes the innermost region (card, one-page) as a block.
    fn close_region(&mut self) {
        if let Some(Open::Region(region, blocks)) = self.stack.pop() {
            self.push_block(region.into_block(blocks));
        }
    }

    /// Closes the regions left open at the end of their container: a
    /// forgotten `end` ends them there.
    fn close_open_regions(&mut self) {
        while matches!(self.stack.last(), Some(Open::Region(..))) {
            self.close_region();
        }
    }

    /// Closes an implicit paragraph opened by loose text, if any.
    fn close_implicit(&mut self) {
        if let Some(Open::Inlines(InlineKind::Paragraph, _)) = self.stack.last() {
            if let Some(Open::Inlines(_, inlines)) = self.stack.pop() {
                self.push_block(Block::Paragraph(inlines));
            }
        }
    }

    fn event(&mut self, event: Event) {
        if self.stack.is_empty() {
            self.stack.push(Open::Root(Vec::new()));
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match self.stack.last_mut() {
                Some(Open::Code(code)) => code.push_str(&text),
                _ => self.inline(&text, false),
            },
            Event::Code(text) => self.inline(&text, true),
            Event::SoftBreak => self.inline(" ", false),
            Event::HardBreak => self.inline("\n", false),
            Event::Rule => self.push_block(Block::Rule),
            Event::Html(html) => self.html(&html),
            // Raw HTML inside a paragraph is shown as written: a template
            // makes no markup by accident.
            Event::InlineHtml(html) => self.inline(&html, false),
            _ => {}
        }
    }

    fn html(&mut self, html: &str) {
        let directive = html
            .trim()
            .strip_prefix("<!--")
            .and_then(|s| s.strip_suffix("-->"))
            .map(str::trim);
        match directive {
            Some("pagebreak") => self.push_block(Block::PageBreak),
            Some(d) if d == "contents" || d.starts_with("contents:") => {
                let title = d
                    .strip_prefix("contents")
                    .unwrap_or("")
                    .trim_start_matches(':')
                    .trim();
                self.push_block(Block::Contents {
                    title: title.to_string(),
                })
            }
            Some("cover") => self.push_block(Block::Cover),
            Some(d) if d.starts_with("anchor:") => {
                self.anchor = named(d, "anchor:");
            }
            Some(d) if d.starts_with("columns:") => {
                self.columns = named(d, "columns:");
            }
            // Too deep: a comment.
            Some(d) if (d == "card" || d.starts_with("one-page")) && self.too_deep() => {}
            Some("card") => self.stack.push(Open::Region(Region::Card, Vec::new())),
            Some(d) if d.starts_with("one-page") => {
                let pointer = d["one-page".len()..].trim_start_matches(':').trim();
                self.stack.push(Open::Region(
                    Region::OnePage {
                        pointer: pointer.to_string(),
                    },
                    Vec::new(),
                ))
            }
            Some(d) if d.starts_with("see:") => {
                self.push_block(Block::See(d["see:".len()..].trim().to_string()))
            }
            Some(d) if d.starts_with("end ") => {
                let name = d["end ".len()..].trim();
                if matches!(self.stack.last(), Some(Open::Region(region, _)) if region.name() == name)
                {
                    self.close_region();
                }
            }
            Some("logo") => self.push_block(Block::Logo),
            Some(_) => {} // any other comment is a comment
            None => self.push_block(Block::Paragraph(vec![Inline {
                text: html.trim_end().to_string(),
                ..Inline::default()
            }])),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self
                .stack
                .push(Open::Inlines(InlineKind::Paragraph, Vec::new())),
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.stack
                    .push(Open::Inlines(InlineKind::Heading(level), Vec::new()))
            }
            Tag::List(start) => {
                self.close_implicit();
                self.stack.push(Open::List(start, Vec::new()))
            }
            Tag::Item => self.stack.push(Open::Item(Vec::new())),
            Tag::BlockQuote(_) if self.too_deep() => self.flattened_quotes += 1,
            Tag::BlockQuote(_) => self.stack.push(Open::Quote(Vec::new())),
            Tag::CodeBlock(_) => self.stack.push(Open::Code(String::new())),
            Tag::Table(align) => self
                .stack
                .push(Open::Table(align, Vec::new(), Vec::new(), false)),
            Tag::TableHead => {
                if let Some(Open::Table(.., in_head)) = self.stack.last_mut() {
                    *in_head = true;
                }
                self.stack.push(Open::Row(Vec::new()));
            }
            Tag::TableRow => self.stack.push(Open::Row(Vec::new())),
            Tag::TableCell => self.stack.push(Open::Inlines(InlineKind::Cell, Vec::new())),
            Tag::Emphasis => self.style.italic += 1,
            Tag::Strong => self.style.bold += 1,
            Tag::Link { dest_url, .. } => self.style.link.push(dest_url.to_string()),
            Tag::Image { dest_url, .. } => self
                .stack
                .push(Open::Image(dest_url.to_string(), Vec::new())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis => self.style.italic = self.style.italic.saturating_sub(1),
            TagEnd::Strong => self.style.bold = self.style.bold.saturating_sub(1),
            TagEnd::Link => {
                self.style.link.pop();
            }
            TagEnd::Image => {
                if let Some(Open::Image(path, alt)) = self.stack.pop() {
                    let alt = alt.into_iter().map(|i| i.text).collect();
                    // An image stands as a block of its own; text around it in
                    // the same paragraph keeps its place.
                    let paragraph = match self.stack.last_mut() {
                        Some(Open::Inlines(InlineKind::Paragraph, inlines)) => {
                            std::mem::take(inlines)
                        }
                        _ => Vec::new(),
                    };
                    if paragraph.iter().any(|i| !i.text.trim().is_empty()) {
                        self.push_block_below_inlines(Block::Paragraph(paragraph));
                    }
                    self.push_block_below_inlines(Block::Image { path, alt });
                }
            }
            TagEnd::Paragraph | TagEnd::Heading(_) => {
                if let Some(Open::Inlines(kind, inlines)) = self.stack.pop() {
                    let block = match kind {
                        InlineKind::Heading(level) => Some(Block::Heading {
                            level,
                            text: inlines,
                            anchor: self.anchor.take(),
                        }),
                        _ if inlines.iter().all(|i| i.text.trim().is_empty()) => None,
                        _ => Some(Block::Paragraph(inlines)),
                    };
                    if let Some(block) = block {
                        self.push_block(block);
                    }
                }
            }
            TagEnd::Item => {
                self.close_implicit();
                self.close_open_regions();
                if let Some(Open::Item(blocks)) = self.stack.pop() {
                    if let Some(Open::List(_, items)) = self.stack.last_mut() {
                        items.push(blocks);
                    }
                }
            }
            TagEnd::List(_) => {
                self.close_implicit();
                if let Some(Open::List(start, items)) = self.stack.pop() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::BlockQuote(_) if self.flattened_quotes > 0 => self.flattened_quotes -= 1,
            TagEnd::BlockQuote(_) => {
                self.close_open_regions();
                if let Some(Open::Quote(blocks)) = self.stack.pop() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::CodeBlock => {
                if let Some(Open::Code(code)) = self.stack.pop() {
                    self.push_block(Block::Code(code.trim_end().to_string()));
                }
            }
            TagEnd::TableCell => {
                if let Some(Open::Inlines(_, inlines)) = self.stack.pop() {
                    if let Some(Open::Row(cells)) = self.stack.last_mut() {
                        cells.push(inlines);
                    }
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(Open::Row(cells)) = self.stack.pop() {
                    if let Some(Open::Table(_, head, rows, in_head)) = self.stack.last_mut() {
                        if *in_head {
                            *head = cells;
                            *in_head = false;
                        } else {
                            rows.push(cells);
                        }
                    }
                }
            }
            TagEnd::Table => {
                if let Some(Open::Table(align, head, rows, _)) = self.stack.pop() {
                    let columns = self.columns.take();
                    self.push_block(Block::Table {
                        align,
                        head,
                        rows,
                        columns,
                    });
                }
            }
            _ => {}
        }
    }

    /// Adds a block to the container that holds the open paragraph.
    fn push_block_below_inlines(&mut self, block: Block) {
        let open = self.stack.pop();
        self.push_block(block);
        if let Some(open) = open {
            self.stack.push(open);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_implicit();
        self.close_open_regions();
        match self.stack.into_iter().next() {
            Some(Open::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

/// The name of a directive such as `anchor: NAME` (none if empty).
fn named(directive: &str, prefix: &str) -> Option<String> {
    let name = directive.strip_prefix(prefix)?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Inline {
        Inline {
            text: text.into(),
            ..Inline::default()
        }
    }

    #[test]
    fn blocks_and_directives() {
        let blocks = parse("<!-- cover -->\n\n# Title\n\n<!-- pagebreak -->\n\n<!-- contents: Inhalt -->\n\nSome **bold** text.\n");
        assert_eq!(
            blocks,
            vec![
                Block::Cover,
                Block::Heading {
                    level: 1,
                    text: vec![plain("Title")],
                    anchor: None,
                },
                Block::PageBreak,
                Block::Contents {
                    title: "Inhalt".into()
                },
                Block::Paragraph(vec![
                    plain("Some "),
                    Inline {
                        text: "bold".into(),
                        bold: true,
                        ..Inline::default()
                    },
                    plain(" text."),
                ]),
            ]
        );
    }

    #[test]
    fn nested_lists_and_tables() {
        let blocks = parse("- one\n  - two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n");
        let Block::List { items, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(items[0][0], Block::Paragraph(vec![plain("one")]));
        assert!(matches!(items[0][1], Block::List { .. }));
        let Block::Table { head, rows, .. } = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(head, &vec![vec![plain("A")], vec![plain("B")]]);
        assert_eq!(rows, &vec![vec![vec![plain("1")], vec![plain("2")]]]);
    }

    #[test]
    fn anchors_and_column_groups_go_to_the_next_heading_and_table() {
        let blocks = parse(
            "<!-- anchor: meeting-1 -->\n\n## Talks\n\n<!-- columns: days -->\n\n| A |\n|---|\n| 1 |\n\n| B |\n|---|\n",
        );
        assert!(
            matches!(&blocks[0], Block::Heading { anchor: Some(a), .. } if a == "meeting-1"),
            "{blocks:?}"
        );
        assert!(
            matches!(&blocks[1], Block::Table { columns: Some(c), .. } if c == "days"),
            "{blocks:?}"
        );
        // The directive is for one table only.
        assert!(
            matches!(&blocks[2], Block::Table { columns: None, .. }),
            "{blocks:?}"
        );
    }

    #[test]
    fn images_stand_alone() {
        let blocks = parse("![Jane Doe](<photos/jane doe.png>)\n");
        assert_eq!(
            blocks,
            vec![Block::Image {
                path: "photos/jane doe.png".into(),
                alt: "Jane Doe".into()
            }]
        );
    }

    #[test]
    fn a_card_holds_its_picture_and_the_blocks_beside_it() {
        let blocks = parse(
            "<!-- card -->\n![Jane Doe](<photos/jane.png>)\n\n**Jane Doe**\n\nHer life.\n<!-- end card -->\n\nAfter.\n",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Card {
                    picture: Some(Picture {
                        path: "photos/jane.png".into(),
                        alt: "Jane Doe".into()
                    }),
                    blocks: vec![
                        Block::Paragraph(vec![Inline {
                            text: "Jane Doe".into(),
                            bold: true,
                            ..Inline::default()
                        }]),
                        Block::Paragraph(vec![plain("Her life.")]),
                    ]
                },
                Block::Paragraph(vec![plain("After.")]),
            ]
        );
    }

    /// How many blocks stand one inside the other, first block first.
    fn depth(blocks: &[Block]) -> usize {
        match blocks.first() {
            Some(Block::Quote(inner) | Block::Card { blocks: inner, .. }) => 1 + depth(inner),
            _ => 0,
        }
    }

    #[test]
    fn quotes_and_cards_nest_no_deeper_than_the_limit() {
        let quotes = format!("{} x\n", ">".repeat(100_000));
        let blocks = parse(&quotes);
        assert_eq!(depth(&blocks), NESTING_LIMIT);
        let cards = "<!-- card -->\n\n".repeat(100_000) + "x\n";
        let blocks = parse(&cards);
        assert_eq!(depth(&blocks), NESTING_LIMIT);
    }

    #[test]
    fn a_card_without_a_picture_and_an_unclosed_one_page_region() {
        let blocks = parse(
            "<!-- one-page: see {section}, page {page} -->\n\n<!-- card -->\n\nText.\n\n<!-- end card -->\n\n<!-- see: Programme -->\n\n- one\n",
        );
        assert_eq!(
            blocks,
            vec![Block::OnePage {
                pointer: "see {section}, page {page}".into(),
                blocks: vec![
                    Block::Card {
                        picture: None,
                        blocks: vec![Block::Paragraph(vec![plain("Text.")])],
                    },
                    Block::See("Programme".into()),
                    Block::List {
                        start: None,
                        items: vec![vec![Block::Paragraph(vec![plain("one")])]],
                    },
                ]
            }]
        );
        // An `end` with no region of its name open is a comment.
        assert_eq!(
            parse("<!-- end card -->\n\nText.\n"),
            vec![Block::Paragraph(vec![plain("Text.")])]
        );
    }
}
