//! The structure tree of a tagged PDF (ISO 32000-1, 14.7–14.8; PDF/UA-1).
//!
//! The typesetter said what every piece of a page belongs to; drawing
//! numbered each piece of content on its page (its MCID) in reading order
//! and noted which node it belongs to ([`Tagged`]). Here the nodes become
//! structure elements: each is placed below its parent the first time
//! content of it is read, so the tree is in reading order and holds no
//! empty element; the parent tree maps each page's numbers, and each link
//! annotation, back to its element.

use super::*;

use file::Written;

use crate::typeset::{NodeId, Role, Structure};

/// A piece of a page that belongs to a node, in reading order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tagged {
    /// Marked content of this number on the page.
    Content { node: NodeId, mcid: u32 },
    /// The page's link annotation of this index.
    Link { node: NodeId, link: usize },
}

/// Whether a page's pieces hold marked content: such a page has an array
/// of its own in the parent tree.
pub(super) fn has_marked_content(pieces: &[Tagged]) -> bool {
    pieces.iter().any(|p| matches!(p, Tagged::Content { .. }))
}

/// A child of an element.
enum Kid {
    Element(NodeId),
    Content {
        page: usize,
        mcid: u32,
    },
    /// The page's link annotation of this index.
    Annotation {
        page: usize,
        link: usize,
    },
}

/// The elements of a part of a document (a whole brief; a pack's front, or
/// one of its briefs): each node that holds content, or holds a node that
/// does, with its children in reading order. A part's nodes are below no
/// other part's, so that a pack places each brief's apart.
pub(super) struct Placement {
    kids: Vec<Vec<Kid>>,
    first_page: Vec<Option<usize>>,
    placed: Vec<bool>,
    /// The nodes at the top, in the order placed.
    top: Vec<NodeId>,
}

/// Places `structure`'s nodes: `tagged[p]` is page `p`'s content in
/// reading order.
pub(super) fn place(structure: &Structure, tagged: &[Vec<Tagged>]) -> Placement {
    let nodes = &structure.nodes;
    let mut placement = Placement {
        kids: (0..nodes.len()).map(|_| Vec::new()).collect(),
        first_page: vec![None; nodes.len()],
        placed: vec![false; nodes.len()],
        top: Vec::new(),
    };
    let Placement {
        kids,
        first_page,
        placed,
        top,
    } = &mut placement;
    let mut chain = Vec::new();
    for (page, pieces) in tagged.iter().enumerate() {
        for piece in pieces {
            let (node, kid) = match *piece {
                Tagged::Content { node, mcid } => (node, Kid::Content { page, mcid }),
                Tagged::Link { node, link } => (node, Kid::Annotation { page, link }),
            };
            // The node and those above it not placed yet, placed from the
            // top down (iteratively: a document may nest deeply).
            let mut at = Some(node);
            while let Some(n) = at.filter(|&n| !placed[n]) {
                placed[n] = true;
                chain.push(n);
                at = nodes[n].parent;
            }
            while let Some(n) = chain.pop() {
                match nodes[n].parent {
                    Some(parent) => kids[parent].push(Kid::Element(n)),
                    None => top.push(n),
                }
            }
            if matches!(kid, Kid::Content { .. }) && first_page[node].is_none() {
                first_page[node] = Some(page);
            }
            kids[node].push(kid);
        }
    }
    placement
}

impl Placement {
    /// How many elements the part has.
    pub(super) fn elements(&self) -> usize {
        self.placed.iter().filter(|&&placed| placed).count()
    }
}

/// The objects a part's elements refer to.
pub(super) struct PartObjects<'a> {
    /// The number of the part's first element; the others follow in the
    /// order of their nodes.
    pub(super) first_element: u32,
    /// The `/Document` element, the parent of the elements at the top.
    pub(super) document: ObjectId,
    /// The part's pages.
    pub(super) pages: &'a [ObjectId],
    /// Each page's link annotations.
    pub(super) annotations: &'a [Vec<ObjectId>],
}

/// What a part's elements add to the structure tree's top and parent tree.
pub(super) struct PartElements {
    /// The elements at the top, in reading order.
    pub(super) top: Vec<ObjectId>,
    /// For each page with marked content, the element of each of its
    /// numbers, as the parent tree's array.
    pub(super) parent_arrays: Vec<Vec<u8>>,
    /// For each link that belongs to an element, in reading order, that
    /// element.
    pub(super) link_parents: Vec<ObjectId>,
}

/// Writes the elements of a part with `add` (number and bytes, in the
/// order of their numbers): `tagged[p]` is page `p`'s content in reading
/// order.
pub(super) fn write_elements(
    structure: &Structure,
    tagged: &[Vec<Tagged>],
    placement: &Placement,
    objects: &PartObjects,
    add: &mut dyn FnMut(u32, &[u8]) -> std::io::Result<()>,
) -> std::io::Result<PartElements> {
    let nodes = &structure.nodes;
    let mut next = objects.first_element;
    let ids: Vec<Option<ObjectId>> = placement
        .placed
        .iter()
        .map(|&placed| {
            placed.then(|| {
                next += 1;
                (next - 1, 0)
            })
        })
        .collect();
    let element = |node: NodeId| ids[node].expect("placed");
    let document = objects.document;
    let page_ids = objects.pages;
    let mut out = Vec::new();
    // (`/Type /StructElem` is optional, and left out: it was a tenth of the
    // tree's bytes.)
    for (n, node) in nodes.iter().enumerate() {
        let Some(id) = ids[n] else { continue };
        let page = placement.first_page[n];
        let kids = &placement.kids[n];
        out.clear();
        out.extend_from_slice(b"<</S/");
        out.extend_from_slice(node.role.name().as_bytes());
        out.extend_from_slice(b"/P ");
        file::reference(&mut out, node.parent.map_or(document, element));
        if let Some(page) = page {
            out.extend_from_slice(b"/Pg ");
            file::reference(&mut out, page_ids[page]);
        }
        out.extend_from_slice(b"/K");
        let many = kids.len() != 1;
        out.extend_from_slice(if many { b"[" } else { b" " });
        for (i, kid) in kids.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            match *kid {
                Kid::Element(child) => file::reference(&mut out, element(child)),
                Kid::Content { page: p, mcid } if Some(p) == page => {
                    file::integer(&mut out, mcid.into())
                }
                Kid::Content { page: p, mcid } => {
                    out.extend_from_slice(b"<</Type/MCR/Pg ");
                    file::reference(&mut out, page_ids[p]);
                    out.extend_from_slice(b"/MCID ");
                    file::integer(&mut out, mcid.into());
                    out.extend_from_slice(b">>");
                }
                Kid::Annotation { page: p, link } => {
                    out.extend_from_slice(b"<</Type/OBJR/Pg ");
                    file::reference(&mut out, page_ids[p]);
                    out.extend_from_slice(b"/Obj ");
                    file::reference(&mut out, objects.annotations[p][link]);
                    out.extend_from_slice(b">>");
                }
            }
        }
        if many {
            out.push(b']');
        }
        let texts = [
            (&b"/Alt "[..], node.alt.as_deref()),
            (b"/Lang ", node.lang),
            (b"/T ", node.title.as_deref()),
        ];
        for (key, text) in texts {
            if let Some(text) = text {
                out.extend_from_slice(key);
                file::write_object(&mut out, &text_string(text));
            }
        }
        if node.role == Role::TableHeader {
            // A header cell heads the cells below it (PDF/UA, 7.5).
            out.extend_from_slice(b"/A<</O/Table/Scope/Column>>");
        }
        out.extend_from_slice(b">>");
        add(id.0, &out)?;
    }
    let mut parent_arrays = Vec::new();
    let mut link_parents = Vec::new();
    for pieces in tagged {
        if has_marked_content(pieces) {
            let mut array = vec![b'['];
            let mut first = true;
            for piece in pieces {
                if let Tagged::Content { node, mcid } = *piece {
                    debug_assert!(first || mcid > 0);
                    if !std::mem::take(&mut first) {
                        array.push(b' ');
                    }
                    file::reference(&mut array, element(node));
                }
            }
            array.push(b']');
            parent_arrays.push(array);
        }
    }
    for pieces in tagged {
        for piece in pieces {
            if let Tagged::Link { node, .. } = *piece {
                link_parents.push(element(node));
            }
        }
    }
    Ok(PartElements {
        top: placement.top.iter().map(|&n| element(n)).collect(),
        parent_arrays,
        link_parents,
    })
}

/// The objects of the structure tree's top: its root, the `/Document`
/// element, the parent tree, and the first of the page's arrays in it.
#[derive(Clone, Copy)]
pub(super) struct TreeObjects {
    pub(super) root: ObjectId,
    pub(super) document: ObjectId,
    pub(super) first_element: u32,
    pub(super) first_parent_array: u32,
    pub(super) parent_tree: ObjectId,
}

/// Writes the root of the structure tree, its `/Document` element with
/// the elements at the `top`, and the parent tree: for each of the
/// `marked_pages` pages with marked content, its array; then for each link
/// that belongs to an element, that element (`link_parents`).
pub(super) fn write_tree_top(
    written: &mut Written,
    objects: TreeObjects,
    top: &[ObjectId],
    marked_pages: usize,
    link_parents: &[ObjectId],
) {
    let TreeObjects {
        root,
        document,
        first_parent_array,
        parent_tree,
        ..
    } = objects;
    let next_key = (marked_pages + link_parents.len()) as i64;
    written.add(root.0, |out| {
        out.extend_from_slice(b"<</Type/StructTreeRoot/K ");
        file::reference(out, document);
        out.extend_from_slice(b"/ParentTree ");
        file::reference(out, parent_tree);
        out.extend_from_slice(b"/ParentTreeNextKey ");
        file::integer(out, next_key);
        out.extend_from_slice(b">>");
    });
    written.add(document.0, |out| {
        out.extend_from_slice(b"<</S/Document/P ");
        file::reference(out, root);
        out.extend_from_slice(b"/K[");
        for (i, &element) in top.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            file::reference(out, element);
        }
        out.extend_from_slice(b"]>>");
    });
    // The parent tree: for each page with content, the element of each of
    // its numbers; then for each annotation, its link's element.
    written.add(parent_tree.0, |out| {
        out.extend_from_slice(b"<</Nums[");
        for key in 0..marked_pages {
            file::integer(out, key as i64);
            out.push(b' ');
            file::reference(out, (first_parent_array + key as u32, 0));
            out.push(b' ');
        }
        for (i, &element) in link_parents.iter().enumerate() {
            file::integer(out, (marked_pages + i) as i64);
            out.push(b' ');
            file::reference(out, element);
            out.push(b' ');
        }
        out.extend_from_slice(b"]>>");
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;
    use crate::typeset::layout::set_for_test;
    use crate::typeset::Furniture;

    /// The structure tree of a PDF as an outline: each element's type (and
    /// its attributes) on a line, indented below its parent, and `"…"` for
    /// the text of each of its pieces of content, in order.
    fn outline(pdf: &[u8]) -> String {
        let pdf = lopdf::Document::load_mem(pdf).unwrap();
        // The text of each marked content, by page and number: the text
        // the page's content stream shows between its BDC and EMC.
        let mut texts: BTreeMap<(ObjectId, i64), String> = BTreeMap::new();
        for (_, &page) in pdf.get_pages().iter() {
            let content = lopdf::content::Content::decode(&pdf.get_page_content(page)).unwrap();
            let mut open: Option<i64> = None;
            for op in content.operations {
                match op.operator.as_str() {
                    "BDC" => {
                        open = op
                            .operands
                            .get(1)
                            .and_then(|o| o.as_dict().ok())
                            .and_then(|d| d.get(b"MCID").ok())
                            .and_then(|m| m.as_i64().ok());
                        if let Some(mcid) = open {
                            texts.insert((page, mcid), String::new());
                        }
                    }
                    "EMC" => open = None,
                    "TJ" => {
                        if let Some(mcid) = open {
                            let glyphs: usize = op.operands[0]
                                .as_array()
                                .unwrap()
                                .iter()
                                .filter_map(|o| o.as_str().ok())
                                .map(|s| s.len() / 2)
                                .sum();
                            texts
                                .get_mut(&(page, mcid))
                                .unwrap()
                                .push_str(&"x".repeat(glyphs));
                        }
                    }
                    _ => {}
                }
            }
        }
        let root = pdf
            .catalog()
            .unwrap()
            .get(b"StructTreeRoot")
            .unwrap()
            .as_reference()
            .unwrap();
        let document = pdf
            .get_dictionary(root)
            .unwrap()
            .get(b"K")
            .unwrap()
            .as_reference()
            .unwrap();
        let mut out = String::new();
        walk(&pdf, document, None, 0, &texts, &mut out);
        out
    }

    fn walk(
        pdf: &lopdf::Document,
        id: ObjectId,
        page: Option<ObjectId>,
        depth: usize,
        texts: &BTreeMap<(ObjectId, i64), String>,
        out: &mut String,
    ) {
        let element = pdf.get_dictionary(id).unwrap();
        let role =
            String::from_utf8_lossy(element.get(b"S").unwrap().as_name().unwrap()).to_string();
        out.push_str(&"  ".repeat(depth));
        out.push_str(&role);
        for key in ["Alt", "Lang", "T"] {
            if let Ok(value) = element.get(key.as_bytes()) {
                let text = lopdf::decode_text_string(value).unwrap();
                out.push_str(&format!(" {key}={text:?}"));
            }
        }
        if let Ok(attributes) = element.get(b"A").and_then(Object::as_dict) {
            let scope = attributes.get(b"Scope").unwrap().as_name().unwrap();
            out.push_str(&format!(" Scope={}", String::from_utf8_lossy(scope)));
        }
        out.push('\n');
        let page = element
            .get(b"Pg")
            .and_then(Object::as_reference)
            .ok()
            .or(page);
        let kids = match element.get(b"K") {
            Ok(Object::Array(kids)) => kids.clone(),
            Ok(kid) => vec![kid.clone()],
            Err(_) => Vec::new(),
        };
        for kid in kids {
            let line = |out: &mut String, text: &str| {
                out.push_str(&"  ".repeat(depth + 1));
                out.push_str(text);
                out.push('\n');
            };
            match kid {
                Object::Integer(mcid) => line(out, &format!("{:?}", texts[&(page.unwrap(), mcid)])),
                Object::Reference(child) => walk(pdf, child, page, depth + 1, texts, out),
                Object::Dictionary(reference) => {
                    match reference.get(b"Type").unwrap().as_name().unwrap() {
                        b"MCR" => {
                            let page = reference.get(b"Pg").unwrap().as_reference().unwrap();
                            let mcid = reference.get(b"MCID").unwrap().as_i64().unwrap();
                            line(out, &format!("{:?} (next page)", texts[&(page, mcid)]));
                        }
                        b"OBJR" => line(out, "(link annotation)"),
                        other => panic!("{other:?}"),
                    }
                }
                other => panic!("{other:?}"),
            }
        }
    }

    fn write_tagged(markdown: &str, language: Language) -> Vec<u8> {
        let furniture = Furniture {
            marking: Some("RESTRICTED".into()),
            header: "Header".into(),
            footer_left: "REF".into(),
            footer_right: "{page}".into(),
            ..Furniture::default()
        };
        let document = set_for_test(markdown, language, furniture);
        let fonts = Fonts::bundled();
        let metadata = Metadata {
            title: "Test".into(),
            language: language.code().into(),
            ..Metadata::default()
        };
        write(document, &fonts, &metadata, Conformance::default()).unwrap()
    }

    #[test]
    fn the_structure_tree_is_the_document_in_reading_order() {
        // Text is shown as one x per glyph: the test is of structure, not
        // of fonts.
        let markdown = "\
<!-- cover -->

# Visit

## To Paris

<!-- pagebreak -->

<!-- contents: Contents -->

<!-- pagebreak -->

# Programme

Meet [the team](https://example.org) at ten.

### Details

- one
- two
  1. nested

| Time | Item |
|---|---|
| 10:00 | |
| 11:00 | Talks عبد |

> Quoted

---
";
        let expected = "\
Document
  H1
    \"xxxxx\"
  P
    \"xxxxxxxx\"
  H1
    \"xxxxxxxx\"
  TOC
    TOCI
      Link
        \"xxxxxxxxxxx\"
        (link annotation)
        \"x\"
  H1
    \"xxxxxxxxxxx\"
  P
    \"xxxxx\"
    Link
      \"xxxxxxxx\"
      (link annotation)
    \"xxxxxxxx\"
  H2
    \"xxxxxxx\"
  L
    LI
      Lbl
        \"x\"
      LBody
        P
          \"xxx\"
    LI
      Lbl
        \"x\"
      LBody
        P
          \"xxx\"
        L
          LI
            Lbl
              \"xx\"
            LBody
              P
                \"xxxxxx\"
  Table
    THead
      TR
        TH Scope=Column
          \"xxxx\"
        TH Scope=Column
          \"xxxx\"
    TBody
      TR
        TD
          \"xxxxx\"
        TD
          \"\"
      TR
        TD
          \"xxxxx\"
        TD
          \"xxxxxx\"
          Span Lang=\"ar\"
            \"xxx\"
  BlockQuote
    P
      \"xxxxxx\"
";
        assert_eq!(outline(&write_tagged(markdown, Language::En)), expected);
    }
}
