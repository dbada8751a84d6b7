//! Which templates include which, and a stop to inclusion without end.
//!
//! A template `a` that includes `b` that includes `a` made Handlebars recurse
//! until the stack overflowed and the process aborted. Such a circle is found
//! from the compiled templates before anything is rendered, and named with
//! the include that closes it. A partial whose name is computed
//! (`{{> (lookup …)}}`) cannot be followed that way, nor can one that an
//! inline partial of the same name may stand in for: rendering counts how
//! deeply partials are included, and stops at [`INCLUDE_DEPTH_LIMIT`] with an
//! error at the include that goes too deep.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use handlebars::template::{Parameter, Template, TemplateElement};
use handlebars::{Context, Decorator, Handlebars, RenderContext, RenderError, RenderErrorReason};

/// How deeply templates may include one another while rendering. The
/// defaults go four deep; each level may hold blocks nested up to
/// [`super::compile::NESTING_LIMIT`], and the two together stay well within
/// the stack of a worker thread.
pub const INCLUDE_DEPTH_LIMIT: usize = 16;

/// One `{{> name}}` (or `{{#> name}}`) of a template, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub name: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// What a compiled template includes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Includes {
    /// The partials it includes by name, in the order they appear.
    pub named: Vec<Include>,
    /// The inline partials it defines (`{{#*inline "name"}}`): an include of
    /// that name may mean one of them rather than the template.
    pub inline: BTreeSet<String>,
}

/// The partials `template` includes, in its blocks too.
pub fn includes(template: &Template) -> Includes {
    let mut found = Includes::default();
    collect(template, &mut found);
    found
}

fn collect(template: &Template, found: &mut Includes) {
    use TemplateElement::*;
    for (index, element) in template.elements.iter().enumerate() {
        let place = template.mapping.get(index);
        match element {
            PartialExpression(partial) | PartialBlock(partial) => {
                // `@partial-block` is the block's own content; a computed
                // name has no name here (the render-time count covers it).
                if let (Parameter::Name(_) | Parameter::Path(_), Some(name)) =
                    (&partial.name, partial.name.as_name())
                {
                    if !name.starts_with('@') {
                        found.named.push(Include {
                            name: name.to_string(),
                            line: place.map(|p| p.0),
                            column: place.map(|p| p.1),
                        });
                    }
                }
            }
            DecoratorBlock(decorator) if decorator.name.as_name() == Some("inline") => {
                if let Some(Parameter::Literal(serde_json::Value::String(name))) =
                    decorator.params.first()
                {
                    found.inline.insert(name.clone());
                }
            }
            _ => {}
        }
        match element {
            HelperBlock(helper) | Expression(helper) | HtmlExpression(helper) => {
                for inner in helper.template.iter().chain(helper.inverse.iter()) {
                    collect(inner, found);
                }
            }
            DecoratorBlock(decorator)
            | DecoratorExpression(decorator)
            | PartialBlock(decorator)
            | PartialExpression(decorator) => {
                for inner in decorator.template.iter() {
                    collect(inner, found);
                }
            }
            _ => {}
        }
    }
}

/// The partials a template's text includes by name, read before it is
/// compiled (to know which templates an output needs).
#[derive(Debug, Default)]
pub struct NamedInText<'a> {
    /// May hold more than the template includes (a `{{> x}}` inside a
    /// comment or raw block), never fewer.
    pub names: Vec<&'a str>,
    /// It includes a partial by a name no reading of the text can tell:
    /// computed (`{{> (lookup …)}}`), quoted or bracketed.
    pub computed: bool,
}

/// Reads `{{> name`, `{{#> name` (with `~` and blanks anywhere between) out
/// of a template's text, in one pass.
pub fn named_in_text(text: &str) -> NamedInText<'_> {
    let mut found = NamedInText::default();
    for (at, _) in text.match_indices("{{") {
        let rest = text[at + 2..].trim_start();
        let rest = rest.strip_prefix('~').unwrap_or(rest).trim_start();
        let rest = rest.strip_prefix('#').unwrap_or(rest).trim_start();
        let Some(rest) = rest.strip_prefix('>') else {
            continue;
        };
        let rest = rest.trim_start();
        // Handlebars' `partial_symbol_char`.
        let length = rest
            .find(|c: char| {
                !(c.is_ascii_alphanumeric()
                    || matches!(c, '-' | '_' | '@' | '/' | '.')
                    || !c.is_ascii())
            })
            .unwrap_or(rest.len());
        if length == 0 {
            found.computed = true;
        } else {
            found.names.push(&rest[..length]);
        }
    }
    found
}

/// A circle of templates that include one another: `names` in order, the
/// first repeated at the end, and the include that closes it (in the last
/// but one).
#[derive(Debug, PartialEq, Eq)]
pub struct Circle {
    pub names: Vec<String>,
    pub closing: Include,
}

impl Circle {
    /// `` `a` → `b` → `a` ``.
    pub fn path(&self) -> String {
        self.names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" → ")
    }

    /// The template whose include closes the circle.
    pub fn includer(&self) -> &str {
        &self.names[self.names.len() - 2]
    }
}

/// The first circle among `templates` (by name, each with what it
/// includes), looking from each template in name order. Includes of names
/// that are not among them, or that an inline partial may stand for, are no
/// edges.
pub fn find_circle(templates: &BTreeMap<&str, Includes>) -> Option<Circle> {
    let inline: BTreeSet<&str> = templates
        .values()
        .flat_map(|i| i.inline.iter().map(String::as_str))
        .collect();
    let edges = |name: &str| -> Vec<&Include> {
        templates[name]
            .named
            .iter()
            .filter(|i| {
                templates.contains_key(i.name.as_str()) && !inline.contains(i.name.as_str())
            })
            .collect()
    };
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Unseen,
        OnPath,
        Done,
    }
    let mut state: BTreeMap<&str, State> = templates.keys().map(|&k| (k, State::Unseen)).collect();
    for &root in templates.keys() {
        if state[root] != State::Unseen {
            continue;
        }
        // Depth first, without recursion: the path so far, each with the
        // includes still to follow.
        let mut path: Vec<(&str, Vec<&Include>)> = vec![(root, edges(root))];
        state.insert(root, State::OnPath);
        while let Some((name, todo)) = path.last_mut() {
            let name = *name;
            if todo.is_empty() {
                state.insert(name, State::Done);
                path.pop();
                continue;
            }
            let include = todo.remove(0);
            let next = include.name.as_str();
            match state[next] {
                State::Done => {}
                State::OnPath => {
                    let from = path.iter().position(|(n, _)| *n == next).unwrap_or(0);
                    let mut names: Vec<String> =
                        path[from..].iter().map(|(n, _)| n.to_string()).collect();
                    names.push(next.to_string());
                    return Some(Circle {
                        names,
                        closing: include.clone(),
                    });
                }
                State::Unseen => {
                    state.insert(next, State::OnPath);
                    let more = edges(next);
                    path.push((next, more));
                }
            }
        }
    }
    None
}

/// The decorators that count how deeply partials are included.
const ENTER: &str = "briefing-include-enter";
const LEAVE: &str = "briefing-include-leave";

/// The reason a render stopped at [`INCLUDE_DEPTH_LIMIT`].
pub const TOO_DEEP: &str = "templates include one another too deeply";

thread_local! {
    /// How deeply partials are included in the render under way on this
    /// thread (a render runs on one thread from start to end).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Registers the decorators [`guard`] places around includes.
pub fn register(registry: &mut Handlebars) {
    registry.register_decorator(ENTER, Box::new(enter));
    registry.register_decorator(LEAVE, Box::new(leave));
}

/// Starts the count for a new render.
pub fn reset() {
    DEPTH.with(|depth| depth.set(0));
}

fn enter(
    _: &Decorator,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
) -> Result<(), RenderError> {
    DEPTH.with(|depth| {
        let deeper = depth.get() + 1;
        if deeper > INCLUDE_DEPTH_LIMIT {
            return Err(RenderErrorReason::Other(TOO_DEEP.to_string()).into());
        }
        depth.set(deeper);
        Ok(())
    })
}

fn leave(
    _: &Decorator,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
) -> Result<(), RenderError> {
    DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    Ok(())
}

/// Places a count around every include of `template` (in its blocks too):
/// a decorator before it, at its place (so that an error there names the
/// include), and one after it. Decorators write nothing and leave the state
/// that spacing and indentation depend on alone, so the output is the same.
pub fn guard(template: &mut Template) {
    static MARKS: OnceLock<[TemplateElement; 2]> = OnceLock::new();
    let [enter, leave] = MARKS.get_or_init(|| {
        [ENTER, LEAVE].map(|name| {
            Template::compile(&format!("{{{{*{name}}}}}"))
                .ok()
                .and_then(|t| t.elements.into_iter().next())
                .expect("a decorator tag compiles")
        })
    });
    let aligned = template.elements.len() == template.mapping.len();
    let elements = std::mem::take(&mut template.elements);
    let mapping = std::mem::take(&mut template.mapping);
    let mut places = mapping.into_iter();
    for mut element in elements {
        for inner in super::compile::inner_templates(&mut element) {
            guard(inner);
        }
        let place = places.next();
        let is_include = matches!(
            element,
            TemplateElement::PartialExpression(_) | TemplateElement::PartialBlock(_)
        );
        if is_include {
            template.elements.push(enter.clone());
        }
        template.elements.push(element);
        if is_include {
            template.elements.push(leave.clone());
        }
        if let Some(place) = place {
            if is_include && aligned {
                template.mapping.push(place.clone());
                template.mapping.push(place.clone());
            }
            template.mapping.push(place);
        }
    }
    template.mapping.extend(places);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(text: &str) -> Template {
        Template::compile(text).unwrap()
    }

    #[test]
    fn includes_are_found_with_their_places() {
        let found = includes(&compiled(
            "{{> a}}\n{{#if x}}\n  {{> b y=1}}\n{{/if}}\n{{#> c}}{{> @partial-block}}{{> d}}{{/c}}\n{{> (lookup this \"e\")}}\n{{#*inline \"f\"}}{{> g}}{{/inline}}\n",
        ));
        let names: Vec<(&str, Option<usize>, Option<usize>)> = found
            .named
            .iter()
            .map(|i| (i.name.as_str(), i.line, i.column))
            .collect();
        assert_eq!(
            names,
            [
                ("a", Some(1), Some(1)),
                ("b", Some(3), Some(3)),
                ("c", Some(5), Some(1)),
                ("d", Some(5), Some(29)),
                ("g", Some(7), Some(17)),
            ]
        );
        assert_eq!(found.inline, BTreeSet::from(["f".to_string()]));
    }

    fn circle_in(templates: &[(&'static str, &str)]) -> Option<Circle> {
        let compiled: Vec<(&str, Template)> =
            templates.iter().map(|(n, t)| (*n, compiled(t))).collect();
        let includes = compiled.iter().map(|(n, t)| (*n, includes(t))).collect();
        find_circle(&includes)
    }

    #[test]
    fn circles_are_found_with_the_include_that_closes_them() {
        let circle = circle_in(&[
            ("a", "x\n{{> b}}\n"),
            ("b", "{{#if y}}\n  {{> a}}\n{{/if}}\n"),
            ("c", "{{> a}}"),
        ])
        .unwrap();
        assert_eq!(circle.path(), "`a` → `b` → `a`");
        assert_eq!(circle.includer(), "b");
        assert_eq!(
            (circle.closing.line, circle.closing.column),
            (Some(2), Some(3))
        );
        let circle = circle_in(&[("a", "{{> a}}")]).unwrap();
        assert_eq!(circle.path(), "`a` → `a`");
        assert_eq!(
            circle_in(&[("a", "{{> b}}{{> b}}"), ("b", "{{> c}}"), ("c", "")]),
            None
        );
        // A name an inline partial has may mean the inline partial.
        assert_eq!(
            circle_in(&[
                ("a", "{{#*inline \"b\"}}x{{/inline}}{{> b}}"),
                ("b", "{{> a}}")
            ]),
            None
        );
    }

    #[test]
    fn guards_keep_the_output_and_the_places() {
        let text = "a\n  {{> p}}\n{{#if x}}\n{{#> p}}q{{/p}}\n{{/if}}\nb\n";
        let mut guarded = compiled(text);
        guard(&mut guarded);
        assert_eq!(guarded.elements.len(), guarded.mapping.len());
        let render = |template: Template| {
            let mut registry = Handlebars::new();
            register(&mut registry);
            registry.register_template("t", template);
            registry
                .register_template_string("p", "one\ntwo\n")
                .unwrap();
            registry
                .render("t", &serde_json::json!({"x": true}))
                .unwrap()
        };
        assert_eq!(render(guarded), render(compiled(text)));
    }
}
