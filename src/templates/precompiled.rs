//! The default templates, compiled when the binary was built.
//!
//! `build.rs` compiles each default template with [`super::compile`] and
//! writes the Rust that builds the same `handlebars::Template` again; this
//! module holds the constructors that code calls. Building a template from
//! its parts costs a few hundred instructions per element, where parsing
//! its text cost about 2,500 per byte: taking the parse off the run path
//! took a third off rendering the German example (BENCHMARKS.md, issue 14).

use std::collections::HashMap;
use std::sync::OnceLock;

use handlebars::template::{
    BlockParam, DecoratorTemplate, ExpressionSpec, ExpressionSpecBuilder, HelperTemplate,
    Parameter, Subexpression, SubexpressionBuilder, Template, TemplateElement, TemplateMapping,
};
use handlebars::{Path, PathSeg};

include!(concat!(env!("OUT_DIR"), "/default_templates.rs"));

/// What a helper or a decorator is called with.
struct Call {
    name: Parameter,
    params: Vec<Parameter>,
    hash: Vec<(&'static str, Parameter)>,
}

/// The rest of a helper: its block and how it is written.
struct HelperParts {
    block_param: Option<BlockParam>,
    template: Option<Template>,
    inverse: Option<Template>,
    block: bool,
    chain: bool,
    indent_before_write: bool,
}

/// The rest of a decorator or partial.
struct DecoratorParts {
    template: Option<Template>,
    indent: Option<&'static str>,
    indent_before_write: bool,
}

fn template(
    name: Option<&str>,
    elements: Vec<TemplateElement>,
    places: &[(usize, usize)],
) -> Template {
    let mut template = Template::new();
    template.name = name.map(str::to_string);
    template.elements = elements;
    template.mapping = places
        .iter()
        .map(|&(line, column)| place(line, column))
        .collect();
    template
}

/// Where an element starts. Handlebars does not let other crates make a
/// `TemplateMapping`, so one is taken from a one-character template and
/// copied.
fn place(line: usize, column: usize) -> TemplateMapping {
    static FIRST: OnceLock<TemplateMapping> = OnceLock::new();
    let mut place = FIRST
        .get_or_init(|| {
            Template::compile("x")
                .expect("one character compiles")
                .mapping[0]
                .clone()
        })
        .clone();
    place.0 = line;
    place.1 = column;
    place
}

/// The expression a helper or decorator is made from. Handlebars' builders
/// copy what they hold when they build, so the large parts (a block's body)
/// are set on the result instead.
fn expression(call: Call) -> ExpressionSpec {
    ExpressionSpecBuilder::default()
        .name(call.name)
        .params(call.params)
        .hash(
            call.hash
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        )
        .omit_pre_ws(false)
        .omit_pro_ws(false)
        .build()
        .expect("every field is set")
}

fn hash(pairs: Vec<(&str, Parameter)>) -> HashMap<String, Parameter> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect()
}

fn helper(call: Call, parts: HelperParts) -> Box<HelperTemplate> {
    let mut helper = if parts.indent_before_write {
        Box::new(HelperTemplate::new(expression(call), parts.block, true))
    } else {
        // A sub-expression is a helper that does not indent, made without
        // the builder's copies: most helpers are that.
        let made = Subexpression::new(call.name, call.params, hash(call.hash));
        match *made.element {
            TemplateElement::Expression(helper) => helper,
            _ => unreachable!("Handlebars makes a sub-expression an expression"),
        }
    };
    helper.block = parts.block;
    helper.block_param = parts.block_param;
    helper.template = parts.template;
    helper.inverse = parts.inverse;
    helper.chain = parts.chain;
    helper
}

fn decorator(call: Call, parts: DecoratorParts) -> Box<DecoratorTemplate> {
    let mut decorator = DecoratorTemplate::new(expression(call), parts.indent_before_write);
    decorator.template = parts.template;
    decorator.indent = parts.indent.map(str::to_string);
    Box::new(decorator)
}

fn relative_path(names: &[&str], raw: &str) -> Parameter {
    let segments = names
        .iter()
        .map(|name| PathSeg::Named(name.to_string()))
        .collect();
    Parameter::Path(Path::Relative((segments, raw.to_string())))
}

/// A path with a segment only Handlebars can name (`@root`, `..`).
fn parsed_path(raw: &str) -> Parameter {
    Parameter::Path(Path::parse(raw).expect("it parsed when the binary was built"))
}

fn literal(json: &str) -> Parameter {
    Parameter::Literal(serde_json::from_str(json).expect("written by serde_json"))
}

fn subexpression(element: TemplateElement) -> Parameter {
    Parameter::Subexpression(
        SubexpressionBuilder::default()
            .element(Box::new(element))
            .build()
            .expect("every field is set"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{compile, DEFAULTS};

    #[test]
    fn every_default_is_the_template_its_text_compiles_to() {
        for (file, text) in DEFAULTS {
            let name = file.split('.').next().unwrap();
            let at_run_time = compile::compile(&compile::without_comments(text), name).unwrap();
            assert_eq!(super::compiled(file), Some(at_run_time), "{file}");
        }
        assert_eq!(super::compiled("unknown.md.hbs"), None);
    }
}
