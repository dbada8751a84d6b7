//! What a document is made of, for those who do not see its pages: the
//! structure a tagged PDF carries (ISO 32000-1, 14.8) and a screen reader
//! reads aloud, in reading order.
//!
//! Layout knows what each thing it sets is (a heading, a table cell, a
//! list's bullet), so it builds the tree as it goes: every element it
//! makes is a [`Node`], and every piece of a page it draws stands between
//! an [`Item::Start`](super::Item::Start) naming what it belongs to (a
//! node, or [`Mark::Artifact`] for the page's furniture) and an
//! [`Item::End`](super::Item::End). Pages are drawn in reading order, so the
//! writer finds each node's content in order and only has to number it.

/// A node's index in [`Structure::nodes`].
pub type NodeId = usize;

/// Every element of the document, in the order they begin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    /// `None`: a child of the document itself.
    pub parent: Option<NodeId>,
    /// What a figure shows, in words (the person's name for a photo).
    pub alt: Option<Box<str>>,
    /// The language of an element written in another than the document's.
    pub lang: Option<&'static str>,
    /// The title of a part of a pack: the brief it holds.
    pub title: Option<Box<str>>,
}

/// The standard structure types of PDF 1.7 that a briefing uses, so that
/// no reader needs a role map to understand them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// One brief of a pack.
    Part,
    /// A heading, of level 1 to 6.
    Heading(u8),
    Paragraph,
    List,
    ListItem,
    /// A list item's bullet or number.
    Label,
    /// A list item's text.
    ListBody,
    Table,
    TableHead,
    TableBody,
    TableRow,
    /// A header cell, heading its column.
    TableHeader,
    TableCell,
    Contents,
    ContentsEntry,
    Link,
    Figure,
    Quote,
    /// A part of a line in another language.
    Span,
}

impl Role {
    /// The structure type's name in the PDF.
    pub fn name(self) -> &'static str {
        match self {
            Role::Part => "Part",
            Role::Heading(level) => {
                ["H1", "H2", "H3", "H4", "H5", "H6"][level.clamp(1, 6) as usize - 1]
            }
            Role::Paragraph => "P",
            Role::List => "L",
            Role::ListItem => "LI",
            Role::Label => "Lbl",
            Role::ListBody => "LBody",
            Role::Table => "Table",
            Role::TableHead => "THead",
            Role::TableBody => "TBody",
            Role::TableRow => "TR",
            Role::TableHeader => "TH",
            Role::TableCell => "TD",
            Role::Contents => "TOC",
            Role::ContentsEntry => "TOCI",
            Role::Link => "Link",
            Role::Figure => "Figure",
            Role::Quote => "BlockQuote",
            Role::Span => "Span",
        }
    }
}

/// What the items after an [`Item::Start`](super::Item::Start) are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Content of this node.
    Content(NodeId),
    /// Not content: the running header, footer, marking and page number.
    Pagination,
    /// Not content: a draft's watermark.
    Watermark,
    /// Not content: rules, shading, and a table's header row repeated on
    /// the pages it runs onto.
    Layout,
}

impl Structure {
    /// A new node below `parent`.
    pub fn add(&mut self, role: Role, parent: Option<NodeId>) -> NodeId {
        self.nodes.push(Node {
            role,
            parent,
            alt: None,
            lang: None,
            title: None,
        });
        self.nodes.len() - 1
    }

    /// Takes in `other`'s nodes, those at its top placed below `parent`;
    /// returns what `other`'s ids are to be moved by.
    pub fn append(&mut self, other: Structure, parent: Option<NodeId>) -> usize {
        let offset = self.nodes.len();
        self.nodes.extend(other.nodes.into_iter().map(|node| Node {
            parent: node.parent.map(|p| p + offset).or(parent),
            ..node
        }));
        offset
    }
}

/// The language a piece of text in another script than the document's is
/// most likely in, by its letters: what a screen reader needs to pick a
/// voice that can read it. `None` when the text is in the document's own
/// script (or in Latin letters, which would need more than letters to tell
/// apart).
pub fn language_of_script(text: &str, document_language: &str) -> Option<&'static str> {
    let mut found = None;
    for c in text.chars() {
        let language = match c as u32 {
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => "he",
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => "ar",
            0x3040..=0x30FF => "ja",
            0xAC00..=0xD7AF | 0x1100..=0x11FF => "ko",
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => "zh",
            _ => continue,
        };
        found = match (found, language) {
            // Kanji beside kana is Japanese, and hanja beside hangul Korean.
            (Some("ja") | Some("ko"), "zh") => found,
            (_, language) => Some(language),
        };
    }
    found.filter(|language| !document_language.starts_with(language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_another_script_is_told_its_language() {
        assert_eq!(language_of_script("عبد اللطيف حموشي", "de"), Some("ar"));
        assert_eq!(language_of_script("عبد اللطيف حموشي", "ar"), None);
        assert_eq!(language_of_script("Hammouchi", "de"), None);
        assert_eq!(language_of_script("東京タワー", "en"), Some("ja"));
        assert_eq!(language_of_script("北京", "en"), Some("zh"));
        assert_eq!(language_of_script("한국 韓國", "en"), Some("ko"));
        assert_eq!(language_of_script("שלום", "ar"), Some("he"));
    }
}
