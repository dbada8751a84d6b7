//! Compiling a template in time linear in its length.
//!
//! Handlebars notes where every element of a template starts by counting
//! lines from the start of the text (`Template::compile2` calls pest's
//! `Position::line_col` for each), so compiling is quadratic: 20,000 lines of
//! `{{title}}` took 9.5 s. Rather than fork Handlebars, a template is cut at
//! safe places into pieces of about [`PIECE_BYTES`], each compiled alone,
//! and the pieces are joined with every element's line moved down by the
//! lines before its piece. The result is the very `Template` that compiling
//! the whole gives (tested on every default template, a table of tricky
//! snippets and random ones): the same elements, each with the same line and
//! column, so that an error while rendering names the right place.
//!
//! A safe place is the start of a line at the top level (outside any block,
//! tag, comment or raw block) whose first character is not blank, and that
//! no whitespace control (`~`) reaches across. Handlebars decides how to
//! treat the text beside a tag from the characters around it (a tag alone on
//! its line takes the line with it; `~` trims the whitespace beside it); at
//! such a place each of those decisions reads the same characters in a piece
//! as in the whole, save one: the end of the text. So every piece but the
//! last is compiled with one plain character after it ([`GOES_ON`]), which
//! makes its last line read as though the text went on, and which is then
//! taken off again.

use handlebars::template::{Template, TemplateElement};

/// About how long a piece is. Compiling a piece costs its number of elements
/// times its length, on top of the parse (each element's line is counted
/// from the piece's start): pieces of a line or two make that negligible
/// without paying much for many small parses. Measured on the German
/// example (callgrind, BENCHMARKS.md, issue 12): 1,024 bytes 70.8 M
/// instructions, 512 68.3 M, 256 66.1 M, 128 65.4 M, 64 65.3 M.
pub const PIECE_BYTES: usize = 128;

/// How deeply blocks (`{{#if}}`, `{{#each}}`, each `{{else if}}` of a chain)
/// and sub-expressions may nest in one template. Handlebars renders nested
/// blocks by recursion, and a few thousand levels overflow the stack; real
/// templates nest four or five deep.
pub const NESTING_LIMIT: usize = 32;

/// What a piece but the last is compiled with after it, and then loses: a
/// character with no meaning to Handlebars.
const GOES_ON: char = 'x';

/// Why a template does not compile, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// The template with its `{{!-- … --}}` comments taken out, their line
/// breaks kept so that error positions stay true. Handlebars records the
/// line and column of every element by counting from the start of the text
/// (quadratic in its length), so a long comment heading a template made
/// compiling it markedly slower.
pub fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{!--") {
        let Some(end) = rest[start..].find("--}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let comment = &rest[start..start + end + 4];
        out.extend(std::iter::repeat_n('\n', comment.matches('\n').count()));
        rest = &rest[start + end + 4..];
    }
    out.push_str(rest);
    out
}

/// Compiles `text` as the template `name`: the same template as
/// `Template::compile_with_name`, in time linear in the text.
pub fn compile(text: &str, name: &str) -> Result<Template, CompileError> {
    compile_in_pieces(text, name, PIECE_BYTES)
}

fn compile_in_pieces(text: &str, name: &str, piece_bytes: usize) -> Result<Template, CompileError> {
    let scan = scan(text, piece_bytes);
    if let Some(at) = scan.too_deep {
        let (line, column) = line_col(text, at);
        return Err(CompileError {
            line: Some(line),
            column: Some(column),
            message: format!("blocks are nested more than {NESTING_LIMIT} deep here"),
            help: Some(
                "Handlebars renders nested blocks by recursion; move the inner part into a partial of its own, or flatten the blocks"
                    .into(),
            ),
        });
    }
    if scan.cuts.is_empty() {
        return whole(text, name);
    }
    let mut joined = Template::new();
    joined.name = Some(name.to_string());
    let mut start = 0;
    let mut lines_before = 0;
    let mut piece_text = String::new();
    for end in scan.cuts.iter().copied().chain([text.len()]) {
        let last = end == text.len();
        let piece = if last {
            &text[start..]
        } else {
            piece_text.clear();
            piece_text.push_str(&text[start..end]);
            piece_text.push(GOES_ON);
            piece_text.as_str()
        };
        let mut template = match Template::compile_with_name(piece, name.to_string()) {
            Ok(template) => template,
            Err(error) => {
                let mut first = compile_error(&error);
                first.line = first.line.map(|line| line + lines_before);
                if is_syntax_error(&error) {
                    return Err(first);
                }
                // Handlebars parses the whole text before it builds the
                // template: a syntax error further on is the one it reports.
                return Err(later_syntax_error(text, name, &scan.cuts, end).unwrap_or(first));
            }
        };
        // Neither should fail, by the reasoning above; were one to, the
        // whole is compiled, slowly but surely.
        if !last && !takes_off_goes_on(&mut template) {
            return whole(text, name);
        }
        if template.elements.len() != template.mapping.len() {
            return whole(text, name);
        }
        move_down(&mut template, lines_before);
        append(&mut joined, template);
        lines_before += text[start..end].bytes().filter(|&b| b == b'\n').count();
        start = end;
    }
    Ok(joined)
}

fn is_syntax_error(error: &handlebars::TemplateError) -> bool {
    matches!(
        error.reason(),
        handlebars::TemplateErrorReason::InvalidSyntax(_)
    )
}

/// The first syntax error in the pieces after the one ending at `from`.
fn later_syntax_error(text: &str, name: &str, cuts: &[usize], from: usize) -> Option<CompileError> {
    let mut lines_before = text[..from].bytes().filter(|&b| b == b'\n').count();
    let mut start = from;
    for end in cuts
        .iter()
        .copied()
        .filter(|&c| c > from)
        .chain([text.len()])
    {
        let piece = if end == text.len() {
            text[start..].to_string()
        } else {
            format!("{}{GOES_ON}", &text[start..end])
        };
        if let Err(error) = Template::compile_with_name(&piece, name.to_string()) {
            if is_syntax_error(&error) {
                let mut error = compile_error(&error);
                error.line = error.line.map(|line| line + lines_before);
                return Some(error);
            }
        }
        lines_before += text[start..end].bytes().filter(|&b| b == b'\n').count();
        start = end;
    }
    None
}

/// Compiles the text in one go (quadratic in its length).
fn whole(text: &str, name: &str) -> Result<Template, CompileError> {
    Template::compile_with_name(text, name.to_string()).map_err(|error| compile_error(&error))
}

fn compile_error(error: &handlebars::TemplateError) -> CompileError {
    let (line, column) = error
        .pos()
        .map_or((None, None), |(l, c)| (Some(l), Some(c)));
    CompileError {
        line,
        column,
        message: format!("the template does not parse: {}", error.reason()),
        help: None,
    }
}

/// Takes [`GOES_ON`] off the end of a piece's last element, the text it
/// ended with; false if that is not what the piece ends with.
fn takes_off_goes_on(template: &mut Template) -> bool {
    match template.elements.last_mut() {
        Some(TemplateElement::RawString(text)) if text.ends_with(GOES_ON) => {
            text.pop();
            true
        }
        _ => false,
    }
}

/// Moves every element of `template` (and of the blocks in it) `lines` down.
fn move_down(template: &mut Template, lines: usize) {
    if lines == 0 {
        return;
    }
    for mapping in &mut template.mapping {
        mapping.0 += lines;
    }
    for element in &mut template.elements {
        for inner in inner_templates(element) {
            move_down(inner, lines);
        }
    }
}

/// The templates inside an element: a block's body and its `{{else}}`.
pub(super) fn inner_templates(element: &mut TemplateElement) -> Vec<&mut Template> {
    use TemplateElement::*;
    match element {
        HelperBlock(helper) | Expression(helper) | HtmlExpression(helper) => {
            let helper = &mut **helper;
            helper
                .template
                .as_mut()
                .into_iter()
                .chain(helper.inverse.as_mut())
                .collect()
        }
        DecoratorBlock(decorator)
        | DecoratorExpression(decorator)
        | PartialBlock(decorator)
        | PartialExpression(decorator) => decorator.template.as_mut().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Appends a piece to the template joined so far. A cut inside a run of
/// text leaves it in two: the halves are one element again, at the first
/// half's place.
fn append(joined: &mut Template, piece: Template) {
    let mut elements = piece.elements.into_iter().peekable();
    let mut mapping = piece.mapping.into_iter();
    if let (Some(TemplateElement::RawString(head)), Some(TemplateElement::RawString(_))) =
        (joined.elements.last_mut(), elements.peek())
    {
        if let Some(TemplateElement::RawString(tail)) = elements.next() {
            head.push_str(&tail);
            mapping.next();
        }
    }
    joined.elements.extend(elements);
    joined.mapping.extend(mapping);
}

/// Line and column (in characters) of a byte offset, counted as pest counts.
pub(super) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// Where a template may be cut, and where its blocks nest too deeply.
#[derive(Debug, Default)]
struct Scan {
    /// Byte offsets, each at the start of a line.
    cuts: Vec<usize>,
    /// Where the first tag nested deeper than [`NESTING_LIMIT`] starts.
    too_deep: Option<usize>,
}

/// What a tag does to the structure of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `{{#…}}`: a block (helper, partial or decorator) opens.
    Open,
    /// `{{/…}}`: a block closes.
    Close,
    /// `{{else}}` or `{{^}}`.
    Else,
    /// `{{else if …}}` or `{{^if …}}`: one more link of an `else` chain,
    /// which Handlebars nests one level deeper.
    Chain,
    /// A comment: unlike any other tag, it leaves a `~` before it in force.
    Comment,
    /// Any other tag, or a whole raw block.
    Other,
}

/// One tag of the template, as far as the scanner reads it.
#[derive(Debug, Clone, Copy)]
struct Tag {
    kind: Kind,
    /// Just after its closing braces.
    end: usize,
    /// It ends in `~}}`: the whitespace after it is trimmed.
    trims_after: bool,
    /// How deeply sub-expressions nest in it.
    parens: usize,
    /// Whether the scanner follows it for sure; if not, nothing after it is
    /// cut (it holds an object or array literal or a `[…]` segment, whose
    /// ends the scanner does not track).
    followed: bool,
}

/// Reads the template once, noting where it may be cut (no sooner than
/// `piece_bytes` after the last cut) and how deeply it nests.
fn scan(text: &str, piece_bytes: usize) -> Scan {
    let b = text.as_bytes();
    let mut scan = Scan::default();
    // False once the scanner is not sure where it is: nothing more is cut.
    let mut cutting = true;
    let mut next_cut = piece_bytes;
    // For each open block, the nesting it adds: one, and one per `else if`.
    let mut blocks: Vec<usize> = Vec::new();
    let mut nesting = 0;
    let mut last_tag_end = 0;
    // Whether the last tag other than a comment ended in `~}}` (Handlebars
    // keeps that in force across comments).
    let mut trims_after = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i = after_backslashes(b, i),
            b'{' if b.get(i + 1) == Some(&b'{') => {
                let Some(tag) = read_tag(b, i) else {
                    // Never closed: the template does not parse, and the
                    // scanner has nothing more to learn.
                    break;
                };
                cutting &= tag.followed;
                match tag.kind {
                    Kind::Open => {
                        blocks.push(1);
                        nesting += 1;
                    }
                    Kind::Chain => match blocks.last_mut() {
                        Some(links) => {
                            *links += 1;
                            nesting += 1;
                        }
                        None => cutting = false,
                    },
                    Kind::Else => cutting &= !blocks.is_empty(),
                    Kind::Close => match blocks.pop() {
                        Some(levels) => nesting -= levels,
                        None => cutting = false,
                    },
                    Kind::Comment | Kind::Other => {}
                }
                if nesting + tag.parens > NESTING_LIMIT && scan.too_deep.is_none() {
                    scan.too_deep = Some(i);
                }
                if tag.kind != Kind::Comment {
                    trims_after = tag.trims_after;
                }
                last_tag_end = tag.end;
                i = tag.end;
            }
            b'\n' => {
                i += 1;
                if cutting
                    && blocks.is_empty()
                    && i >= next_cut
                    && is_safe_cut(text, i, last_tag_end, trims_after)
                {
                    scan.cuts.push(i);
                    next_cut = i + piece_bytes;
                }
            }
            _ => i += 1,
        }
    }
    scan
}

/// Whether the text may be cut at `at`, the start of a line at the top
/// level, given where the last tag ended and whether it trims what follows.
fn is_safe_cut(text: &str, at: usize, last_tag_end: usize, trims_after: bool) -> bool {
    let b = text.as_bytes();
    // The line starts with something: where the cut falls, either the next
    // element starts or a run of text goes on, and nothing blank is left for
    // the next piece to judge on its own.
    match text[at..].chars().next() {
        Some(first) if !first.is_whitespace() => {}
        _ => return false,
    }
    // `{{~` trims the whitespace before it, back across the cut.
    if b[at..].starts_with(b"{{") && opens_with_tilde(b, at) {
        return false;
    }
    // `~}}` trims the whitespace after it; if only whitespace lies between
    // it and the cut, that trimming reaches the cut.
    let only_whitespace_since_tag = b[last_tag_end..at]
        .iter()
        .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
    !(trims_after && only_whitespace_since_tag)
}

/// Whether the tag starting at `at` begins with `~` (after its braces and
/// any blanks): it trims the whitespace before it.
fn opens_with_tilde(b: &[u8], at: usize) -> bool {
    b[at + 2..]
        .iter()
        .find(|c| !matches!(c, b'{' | b' ' | b'\t' | b'\n' | b'\r'))
        == Some(&b'~')
}

/// Past a run of backslashes in text: `\{{` is an escaped (literal) `{{`,
/// or `{{{{`; two or more backslashes before `{{` stand for themselves, and
/// the tag after them is a tag.
fn after_backslashes(b: &[u8], i: usize) -> usize {
    let run = b[i..].iter().take_while(|&&c| c == b'\\').count();
    let after = i + run;
    if run == 1 && b[after..].starts_with(b"{{") {
        if b[after + 2..].starts_with(b"{{") {
            after + 4
        } else {
            after + 2
        }
    } else {
        after
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// Whether a character can continue an identifier (Handlebars' `symbol_char`).
fn is_symbol_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'$' | b':') || c >= 0x80
}

/// Reads the tag starting at `i` (at `{{`); `None` if it never ends.
fn read_tag(b: &[u8], i: usize) -> Option<Tag> {
    let mut j = i + 2;
    if b[j..].starts_with(b"{{") {
        return read_raw_block(b, i);
    }
    if b.get(j) == Some(&b'!') {
        let end = if b[j + 1..].starts_with(b"--") {
            find(b, j + 3, b"--}}").map(|k| k + 4)
        } else {
            None
        };
        let end = match end {
            Some(end) => end,
            None => find(b, j + 1, b"}}")? + 2,
        };
        return Some(Tag {
            kind: Kind::Comment,
            end,
            trims_after: false,
            parens: 0,
            followed: true,
        });
    }
    j = skip_blanks(b, j);
    if b.get(j) == Some(&b'~') {
        j = skip_blanks(b, j + 1);
    }
    // `else` and `^` alone are `{{else}}`; followed by more, a chain link.
    let else_or_chain = |after: usize| {
        let after = skip_blanks(b, after);
        if matches!(b.get(after), Some(b'~') | Some(b'}')) {
            Kind::Else
        } else {
            Kind::Chain
        }
    };
    let triple = b.get(j) == Some(&b'{');
    let kind = match b.get(j) {
        Some(b'#') => Kind::Open,
        Some(b'/') => Kind::Close,
        Some(b'^') => else_or_chain(j + 1),
        _ if b[j..].starts_with(b"else") && !b.get(j + 4).copied().is_some_and(is_symbol_char) => {
            else_or_chain(j + 4)
        }
        _ => Kind::Other,
    };
    if triple {
        j += 1;
    }
    let mut parens = 0usize;
    let mut deepest = 0;
    let mut followed = true;
    let mut braces = 0usize;
    let mut k = j;
    let end = loop {
        match *b.get(k)? {
            quote @ (b'"' | b'\'') => {
                k = after_string(b, k, quote)?;
                continue;
            }
            b'(' => {
                parens += 1;
                deepest = deepest.max(parens);
            }
            b')' => parens = parens.saturating_sub(1),
            b'[' => {
                followed = false;
                k = find(b, k, b"]")?;
            }
            b'{' => {
                followed = false;
                braces += 1;
            }
            b'}' if braces > 0 => braces -= 1,
            b'}' if triple => {
                if b[k + 1..].starts_with(b"}}") {
                    break k + 3;
                }
                if b[k + 1..].starts_with(b"~}}") {
                    break k + 4;
                }
                followed = false;
            }
            b'}' if b.get(k + 1) == Some(&b'}') => break k + 2,
            _ => {}
        }
        k += 1;
    };
    Some(Tag {
        kind,
        end,
        trims_after: closes_with_tilde(b, i, end),
        parens: deepest,
        followed,
    })
}

/// Whether the tag from `start` to `end` ends in `~` before its closing
/// braces (blanks allowed between).
fn closes_with_tilde(b: &[u8], start: usize, end: usize) -> bool {
    b[start..end]
        .iter()
        .rev()
        .find(|c| !matches!(c, b'}' | b' ' | b'\t' | b'\n' | b'\r'))
        == Some(&b'~')
}

/// Past a string literal starting at `at` (its opening quote).
fn after_string(b: &[u8], at: usize, quote: u8) -> Option<usize> {
    let mut k = at + 1;
    while let Some(&c) = b.get(k) {
        if c == b'\\' {
            k += 2;
        } else if c == quote {
            return Some(k + 1);
        } else {
            k += 1;
        }
    }
    None
}

/// Reads a raw block, `{{{{name}}}} … {{{{/name}}}}`, as one tag: nothing
/// inside it is a tag.
fn read_raw_block(b: &[u8], i: usize) -> Option<Tag> {
    let open_end = find(b, i + 4, b"}}}}")? + 4;
    // A `{{{{/…}}}}` with no block open, or a string in the opening tag
    // that might hold `}}}}`: the scanner does not follow.
    let opening = &b[i + 4..open_end - 4];
    let mut followed = !opening.contains(&b'"') && !opening.contains(&b'\'');
    followed &= opening
        .iter()
        .find(|c| !matches!(c, b'~' | b' ' | b'\t' | b'\n' | b'\r'))
        != Some(&b'/');
    let mut k = open_end;
    while k < b.len() {
        if b[k] == b'\\' {
            k = after_backslashes(b, k);
        } else if b[k..].starts_with(b"{{{{") {
            break;
        } else {
            k += 1;
        }
    }
    let close_start = k;
    let end = find(b, close_start, b"}}}}")? + 4;
    let closing = skip_blanks(b, close_start + 4);
    let closing = if b.get(closing) == Some(&b'~') {
        skip_blanks(b, closing + 1)
    } else {
        closing
    };
    followed &= b.get(closing) == Some(&b'/');
    Some(Tag {
        kind: Kind::Other,
        end,
        trims_after: closes_with_tilde(b, close_start, end),
        parens: 0,
        followed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiled in pieces as small as can be (cut wherever it is safe), and
    /// whole: the same template, or the same error.
    fn assert_same(text: &str) {
        let whole = whole(text, "t");
        let pieces = compile_in_pieces(text, "t", 0);
        assert_eq!(pieces, whole, "{text:?}");
    }

    fn cuts(text: &str) -> Vec<usize> {
        scan(text, 0).cuts
    }

    /// Snippets where cutting needs care: each is tried as it is, and
    /// between lines of text and of tags, with the cuts it allows.
    const TRICKY: &[&str] = &[
        "{{title}}\n{{title}}\n",
        "a\nb\n{{x}}\nc\n",
        "{{#if a}}\nx\n{{/if}}\ny\n",
        "{{#if a}}\nx\n{{else}}\ny\n{{/if}}\nz\n",
        "{{#if a}}\nx\n{{^}}\ny\n{{/if}}\nz\n",
        "{{#if a}}\nx\n{{else if b}}\ny\n{{else}}\nz\n{{/if}}\nw\n",
        "{{> people}}\nnext\n",
        "  {{> people}}\nnext\n",
        "{{> people}}\n{{> contacts}}\n",
        "{{#> layout}}\nbody\n{{/layout}}\nafter\n",
        "{{#> layout}}\nbody\n{{/}}\nafter\n",
        "{{#*inline \"p\"}}\nin\n{{/inline}}\n{{> p}}\nout\n",
        "{{*inline}}\nx\n",
        "{{{{raw}}}}\n{{not a tag}}\n{{{{/raw}}}}\nafter\n",
        "{{{{raw}}}}\n\\{{{{x}}}}\n{{{{/raw}}}}\nafter\n",
        "\\{{escaped}}\ntext\n\\\\{{real}}\nmore\n",
        "\\{{\nnot a tag\n}}\n",
        "{{!-- a\ncomment\n--}}\nafter\n",
        "{{!-- }} --}}\nafter\n",
        "{{! short }}\nafter\n",
        "{{!--}}\nafter\n",
        "{{a~}}\n\nb\n{{c}}\n",
        "{{a~}}\n{{b}}\nc\n",
        "{{a~}}{{! comment }}\n\nb\n{{c}}\n",
        "{{a ~ }}\n{{b}}\n",
        "a\n{{~b}}\nc\n",
        "a\n{{ ~ b}}\nc\n",
        "a  \n   {{~b}}\nc\n",
        "{{{html}}}\n{{{~html~}}}\n{{~{html}~}}\nx\n",
        "{{&amp}}\ny\n",
        "{{join list \", \"}}\n{{join list \"}}\"}}\nz\n",
        "{{join list '}}'}}\nz\n",
        "{{lookup a \"x\\\"}}\"}}\nz\n",
        "{{#each (filter items \"a\")}}\n{{this}}\n{{/each}}\nz\n",
        "{{> (lookup . \"p\")}}\nz\n",
        "{{md background indent=2}}\n- {{md this indent=4}}\nz\n",
        "{{a.[b c]}}\nz\n{{d}}\n",
        "{{x {\"k\": 1}}}\nz\n",
        "{{x [1, 2]}}\nz\n",
        "{{#if a}}x{{/if}}\n{{#if b}}\ny\n{{/if}}\n",
        "{{#if a}}\n{{/if}}\n\n\n  \n{{b}}\n",
        "x\r\n{{#if a}}\r\ny\r\n{{/if}}\r\nz\r\n",
        "é{{a}}\nü {{b}}\n日本\n",
        "\u{a0}\n{{a}}\n\u{a0}{{b}}\n",
        "{{#each people as |person i|}}\n{{person.name}}\n{{/each}}\nz\n",
        "{{else}}\nz\n",
        "{{/if}}\nz\n",
        "{{#if a}}\nz\n",
        "{{a}}\n{{",
        "{{a}}\n{{b\n",
        "{{a}}\n{{b \"unclosed}}\nz\n",
        "{{#if a}}\n{{/each}}\nz\n",
        "{{a}}\n{{ }}\nz\n",
        "{{a}}\n{{#if}}\n{{/if}}\n",
        "{{a}}\n{{{{raw}}}}\nz\n",
        "{{a}}\n{{!-- open\nz\n",
        "",
        "x",
        "\n",
        "{{a}}",
        "{{a}}\nb",
    ];

    #[test]
    fn comments_go_but_their_lines_stay() {
        assert_eq!(
            without_comments("{{!-- a\nb --}}\n# {{title}}\n"),
            "\n\n# {{title}}\n"
        );
        assert_eq!(without_comments("x {{!-- open"), "x {{!-- open");
    }

    #[test]
    fn tricky_snippets_compile_the_same_in_pieces() {
        for snippet in TRICKY {
            assert_same(snippet);
            for around in [
                ("before\n", "after\n"),
                ("{{a}}\n", "{{b}}\n"),
                ("{{#if z}}\n{{/if}}\n", "{{> p}}\n"),
                ("  {{x~}}\n", "\n{{~y}}  \n"),
            ] {
                assert_same(&format!("{}{snippet}{}", around.0, around.1));
            }
        }
    }

    #[test]
    fn the_defaults_compile_the_same_in_pieces() {
        let mut cut = 0;
        for (file, text) in super::super::DEFAULTS {
            for text in [text.to_string(), without_comments(text)] {
                cut += cuts(&text).len();
                let name = file.split('.').next().unwrap();
                assert_eq!(
                    compile_in_pieces(&text, name, 0),
                    whole(&text, name),
                    "{file}"
                );
                assert_eq!(compile(&text, name), whole(&text, name), "{file}");
            }
        }
        assert!(cut > 100, "the defaults are cut in {cut} places");
    }

    #[test]
    fn cuts_fall_only_where_nothing_reaches_across() {
        // Between tags and lines of text at the top level.
        assert_eq!(cuts("{{a}}\n{{b}}\nc\n"), [6, 12]);
        // Not inside blocks, comments, raw blocks, or escaped text that
        // merely looks like a tag.
        assert_eq!(cuts("{{#if a}}\nx\n{{/if}}\ny\n"), [20]);
        assert_eq!(cuts("{{!-- a\nb --}}\nc\n"), [15]);
        assert_eq!(cuts("{{{{r}}}}\n{{#if}}\n{{{{/r}}}}\nc\n"), [29]);
        assert_eq!(cuts("\\{{#if a}}\nb\n"), [11]);
        // Not before a blank line start, nor where `~` trims across.
        assert_eq!(cuts("a\n  b\n"), Vec::<usize>::new());
        assert_eq!(cuts("{{a~}}\n{{b}}\nc\n"), [13]);
        assert_eq!(cuts("{{a~}}\nb\n{{c}}\n"), [9]);
        assert_eq!(cuts("{{a~}}{{!c}}\n{{b}}\n"), Vec::<usize>::new());
        assert_eq!(cuts("a\n{{~b}}\n"), Vec::<usize>::new());
        // Nothing after what the scanner does not follow.
        assert_eq!(cuts("a\n{{x {\"k\": 1}}}\nb\nc\n"), [2]);
        assert_eq!(cuts("a\n{{else}}\nb\n"), [2]);
    }

    /// A random template from fragments that meet at every kind of seam.
    fn random_template(seed: &mut u64) -> String {
        const FRAGMENTS: &[&str] = &[
            "{{title}}",
            "{{title~}}",
            "{{~title}}",
            "text",
            "  ",
            "\n",
            "\n",
            "\n",
            "\t",
            "{{#if a}}",
            "{{/if}}",
            "{{else}}",
            "{{#each l}}",
            "{{/each}}",
            "{{> p}}",
            "{{> p x=1}}",
            "{{#> p}}",
            "{{/p}}",
            "{{! c }}",
            "{{!-- c\n--}}",
            "\\{{x}}",
            "\\\\",
            "{{{{raw}}}}{{x}}\n{{{{/raw}}}}",
            "{{{h}}}",
            "- ",
            "| a |",
            "\r\n",
            "é",
            "{{#*inline \"p\"}}",
            "{{/inline}}",
            "{{md x indent=2}}",
            "{{join l \"}}\"}}",
        ];
        let mut text = String::new();
        let length = 5 + (next(seed) % 40) as usize;
        for _ in 0..length {
            text.push_str(FRAGMENTS[(next(seed) % FRAGMENTS.len() as u64) as usize]);
        }
        text
    }

    fn next(seed: &mut u64) -> u64 {
        // xorshift64: the same templates on every run.
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn random_templates_compile_the_same_in_pieces() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        let mut cut = 0;
        for _ in 0..3000 {
            let text = random_template(&mut seed);
            cut += usize::from(!cuts(&text).is_empty());
            assert_same(&text);
        }
        assert!(cut > 800, "only {cut} of the random templates were cut");
    }

    #[test]
    fn an_error_in_a_later_piece_names_its_own_line() {
        let mut text = "{{title}}\n".repeat(3000);
        text.push_str("ok {{#if a}}\n{{/each}}\n");
        let error = compile(&text, "t").unwrap_err();
        assert_eq!((error.line, error.column), (Some(3002), Some(1)));
        assert_eq!(Err(error), whole(&text, "t"));
        let mut text = "line\n".repeat(3000);
        text.push_str("a {{ }}\n");
        let error = compile(&text, "t").unwrap_err();
        assert_eq!((error.line, error.column), (Some(3001), Some(6)));
        assert_eq!(Err(error), whole(&text, "t"));
    }

    #[test]
    fn elements_keep_their_lines_and_columns() {
        let text = "a\n".repeat(2000) + "  {{x}}\n";
        let template = compile(&text, "t").unwrap();
        let x = &template.mapping[template.mapping.len() - 2];
        assert_eq!((x.0, x.1), (2001, 3));
        assert_eq!(Ok(template), whole(&text, "t"));
    }

    #[test]
    fn deep_nesting_is_refused_with_its_place() {
        let ok = "{{#if a}}".repeat(NESTING_LIMIT) + &"{{/if}}".repeat(NESTING_LIMIT);
        assert!(compile(&ok, "t").is_ok());
        let deep = "x\n".to_string()
            + &"{{#if a}}".repeat(NESTING_LIMIT + 1)
            + &"{{/if}}".repeat(NESTING_LIMIT + 1);
        let error = compile(&deep, "t").unwrap_err();
        assert_eq!(
            (error.line, error.column),
            (Some(2), Some(1 + 9 * NESTING_LIMIT))
        );
        assert_eq!(error.message, "blocks are nested more than 32 deep here");
        let chain = "{{#if a}}".to_string() + &"{{else if b}}".repeat(NESTING_LIMIT) + "{{/if}}";
        assert!(compile(&chain, "t").is_err());
        let parens = "{{x ".to_string()
            + &"(y ".repeat(NESTING_LIMIT + 1)
            + &")".repeat(NESTING_LIMIT + 1)
            + "}}";
        assert!(compile(&parens, "t").is_err());
    }

    #[test]
    fn a_long_template_is_compiled_in_short_pieces() {
        // 20,000 lines took 9.5 s compiled whole. In pieces of at most about
        // `PIECE_BYTES`, the cost of each piece is bounded, so the total is
        // linear in the length.
        let text = "{{title}}\n".repeat(20_000);
        let cuts = scan(&text, PIECE_BYTES).cuts;
        let longest = cuts
            .iter()
            .chain([&text.len()])
            .scan(0, |start, &end| Some(end - std::mem::replace(start, end)))
            .max();
        assert!(longest <= Some(PIECE_BYTES + 10), "{longest:?}");
        let template = compile(&text, "t").unwrap();
        assert_eq!(template.elements.len(), 40_000);
    }
}
