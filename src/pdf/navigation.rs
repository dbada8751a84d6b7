//! Ways through a document: link annotations, exact destinations, and the
//! outline (bookmarks).

use super::*;

/// What the links and the outline of a document lead to: its pages, and
/// its headings on them.
pub(super) struct Destinations<'a> {
    pub(super) pages: &'a [ObjectId],
    pub(super) headings: &'a [Heading],
    /// The pages' height, to turn the typesetter's top-down y into PDF's.
    pub(super) height: f32,
}

pub(super) fn annotation(link: Link, to: &Destinations) -> Object {
    let description = description(&link.target, to.headings);
    let pages = to.pages;
    let action = match link.target {
        Target::Page(page) => pages.get(page).map(|&page| {
            go_to(Object::Array(vec![
                Object::Reference(page),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Null,
                Object::Null,
            ]))
        }),
        Target::Uri(uri) => Some(Dictionary::from_iter([
            ("S", Object::Name(b"URI".to_vec())),
            (
                "URI",
                Object::String(uri.into_bytes(), StringFormat::Literal),
            ),
        ])),
        Target::Heading(index) => destination(to, index).map(go_to),
    };
    let mut dict = Dictionary::from_iter([
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Link".to_vec())),
        (
            "Rect",
            Object::Array(link.rect.iter().map(|&v| Object::Real(v)).collect()),
        ),
        ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
        // Printed with the page (PDF/A asks for it; viewers do it anyway).
        ("F", Object::Integer(4)),
        // What a screen reader says of the link (PDF/UA, 7.18.5).
        ("Contents", text_string(&description)),
    ]);
    if let Some(action) = action {
        dict.set("A", Object::Dictionary(action));
    }
    Object::Dictionary(dict)
}

/// Where a link leads, in words: the heading it goes to, the address it
/// opens (an e-mail address or phone number as written in the URI, decoded),
/// or for a page the first heading on it (its number if it has none).
fn description(target: &Target, headings: &[Heading]) -> String {
    match target {
        Target::Heading(index) => headings
            .get(*index)
            .map(|h| h.title.clone())
            .unwrap_or_default(),
        // An address or a number is read as itself, not as a URI.
        Target::Uri(uri) => match uri.strip_prefix("mailto:").or(uri.strip_prefix("tel:")) {
            Some(said) => percent_encoding::percent_decode_str(said)
                .decode_utf8_lossy()
                .into_owned(),
            None => uri.clone(),
        },
        Target::Page(page) => headings
            .iter()
            .find(|h| h.page == *page)
            .map(|h| h.title.clone())
            .unwrap_or_else(|| (page + 1).to_string()),
    }
}

pub(super) fn go_to(destination: Object) -> Dictionary {
    Dictionary::from_iter([("S", Object::Name(b"GoTo".to_vec())), ("D", destination)])
}

/// An exact destination: the page, scrolled to `y` (top-down) of the heading.
pub(super) fn destination(to: &Destinations, heading: usize) -> Option<Object> {
    let h = to.headings.get(heading)?;
    let page = *to.pages.get(h.page)?;
    Some(Object::Array(vec![
        Object::Reference(page),
        Object::Name(b"XYZ".to_vec()),
        Object::Null,
        Object::Real(to.height - h.y + 2.0),
        Object::Null,
    ]))
}

/// The outline (bookmarks): sections, with their subsections below them,
/// each jumping to its heading. Adds its root, and returns it with its
/// entries, one for each heading, numbered after it; `None` for a document
/// without headings.
pub(super) fn add_outline<'a>(
    pdf: &mut lopdf::Document,
    to: &'a Destinations<'a>,
) -> Option<(ObjectId, Outline<'a>)> {
    let headings = to.headings;
    if headings.is_empty() {
        return None;
    }
    let root = pdf.new_object_id();
    pdf.max_id += headings.len() as u32;
    // Each heading's parent and siblings, and its children's ends and
    // count, in one pass: the outline of a pack has hundreds of thousands
    // of entries, and they are written in the order of their numbers as
    // they are made rather than kept.
    let count = headings.len();
    let mut links = Links {
        parent: Vec::with_capacity(count),
        prev: vec![None; count],
        next: vec![None; count],
        first: vec![None; count + 1],
        last: vec![None; count + 1],
        kids: vec![0; count + 1],
    };
    let mut open: Vec<usize> = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| headings[o].level >= heading.level)
        {
            open.pop();
        }
        let parent = open.last().copied();
        links.parent.push(parent);
        // The top level is the list after the headings'.
        let list = parent.unwrap_or(count);
        match links.last[list] {
            Some(before) => {
                links.prev[i] = Some(before);
                links.next[before] = Some(i);
            }
            None => links.first[list] = Some(i),
        }
        links.last[list] = Some(i);
        links.kids[list] += 1;
        open.push(i);
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (links.first[count], links.last[count]) {
        outlines.set("First", Object::Reference(entry_id(root, first)));
        outlines.set("Last", Object::Reference(entry_id(root, last)));
    }
    outlines.set("Count", Object::Integer(count as i64));
    pdf.objects.insert(root, Object::Dictionary(outlines));
    Some((
        root,
        Outline {
            root,
            to,
            links,
            at: 0,
        },
    ))
}

/// Where each entry of the outline is among the others (`first`, `last`
/// and `kids` have one more list at the end: the top level's).
struct Links {
    parent: Vec<Option<usize>>,
    prev: Vec<Option<usize>>,
    next: Vec<Option<usize>>,
    first: Vec<Option<usize>>,
    last: Vec<Option<usize>>,
    kids: Vec<usize>,
}

fn entry_id(root: ObjectId, heading: usize) -> ObjectId {
    (root.0 + 1 + heading as u32, 0)
}

/// The entries of the outline, written as PDF in the order of their
/// numbers: number and bytes.
pub(super) struct Outline<'a> {
    root: ObjectId,
    to: &'a Destinations<'a>,
    links: Links,
    at: usize,
}

impl Iterator for Outline<'_> {
    type Item = (u32, Vec<u8>);

    fn next(&mut self) -> Option<(u32, Vec<u8>)> {
        let i = self.at;
        let heading = self.to.headings.get(i)?;
        self.at += 1;
        let links = &self.links;
        let id = |heading| Object::Reference(entry_id(self.root, heading));
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&heading.title));
        dict.set(
            "Parent",
            links.parent[i].map_or(Object::Reference(self.root), id),
        );
        if let Some(prev) = links.prev[i] {
            dict.set("Prev", id(prev));
        }
        if let Some(next) = links.next[i] {
            dict.set("Next", id(next));
        }
        if let (Some(first), Some(last)) = (links.first[i], links.last[i]) {
            dict.set("First", id(first));
            dict.set("Last", id(last));
            dict.set("Count", Object::Integer(links.kids[i] as i64));
        }
        if let Some(dest) = destination(self.to, i) {
            dict.set("Dest", dest);
        }
        let mut bytes = Vec::new();
        file::write_dictionary(&mut bytes, &dict, None);
        Some((entry_id(self.root, i).0, bytes))
    }
}
