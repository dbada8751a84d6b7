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
/// each jumping to its heading. Returns its root.
pub(super) fn add_outline(
    pdf: &mut lopdf::Document,
    written: &mut file::Written,
    to: &Destinations,
) -> Option<ObjectId> {
    let headings = to.headings;
    if headings.is_empty() {
        return None;
    }
    let root = pdf.new_object_id();
    let ids: Vec<ObjectId> = headings.iter().map(|_| pdf.new_object_id()).collect();
    // Each heading's parent, and each heading's children (the last list:
    // the top level), in one pass.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); ids.len() + 1];
    let mut open: Vec<usize> = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| headings[o].level >= heading.level)
        {
            open.pop();
        }
        parent.push(open.last().copied());
        children[open.last().copied().unwrap_or(ids.len())].push(i);
        open.push(i);
    }
    for siblings in &children {
        for (at, &i) in siblings.iter().enumerate() {
            let mut dict = Dictionary::new();
            dict.set("Title", text_string(&headings[i].title));
            dict.set(
                "Parent",
                Object::Reference(parent[i].map_or(root, |p| ids[p])),
            );
            if at > 0 {
                dict.set("Prev", Object::Reference(ids[siblings[at - 1]]));
            }
            if let Some(&next) = siblings.get(at + 1) {
                dict.set("Next", Object::Reference(ids[next]));
            }
            let kids = &children[i];
            if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
                dict.set("First", Object::Reference(ids[first]));
                dict.set("Last", Object::Reference(ids[last]));
                dict.set("Count", Object::Integer(kids.len() as i64));
            }
            if let Some(dest) = destination(to, i) {
                dict.set("Dest", dest);
            }
            written.add(ids[i].0, |out| file::write_dictionary(out, &dict, None));
        }
    }
    let top = &children[ids.len()];
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        outlines.set("First", Object::Reference(ids[first]));
        outlines.set("Last", Object::Reference(ids[last]));
    }
    outlines.set("Count", Object::Integer(ids.len() as i64));
    pdf.objects.insert(root, Object::Dictionary(outlines));
    Some(root)
}
