//! Compiles the default templates (`templates/*.md.hbs`) when the binary is
//! built, so that a run does not parse them.
//!
//! Parsing Handlebars costs about 2,500 instructions per byte of template:
//! a third of what rendering the German example took (BENCHMARKS.md, issue
//! 14). Handlebars has no serialised form of a compiled template, but its
//! `template` module is public, so this script compiles each default with
//! the very function a run uses (`src/templates/compile.rs`) and writes Rust
//! that builds the same `handlebars::Template` again from its parts
//! (`src/templates/precompiled.rs` holds the small constructors it calls).
//! A unit test compares every rebuilt template with one compiled at run
//! time, field by field. Templates from `--templates` are compiled at run
//! time as before.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use handlebars::template::{
    BlockParam, DecoratorTemplate, HelperTemplate, Parameter, Template, TemplateElement,
};
use handlebars::PathSeg;

#[allow(dead_code)]
#[path = "src/templates/compile.rs"]
mod compile;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/templates/compile.rs");
    println!("cargo::rerun-if-changed=templates");
    let mut files: Vec<PathBuf> = std::fs::read_dir("templates")
        .expect("the templates folder")
        .map(|entry| entry.expect("a templates folder entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "hbs"))
        .collect();
    files.sort();

    let mut code = String::from(
        "// Written by build.rs from templates/*.md.hbs: the default templates,\n\
         // compiled. Do not edit.\n\n\
         /// The default template of this file name, as compiling its text gives it.\n\
         pub fn compiled(file_name: &str) -> Option<Template> {\n    \
         Some(match file_name {\n",
    );
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let file_name = file_name(path);
        let name = file_name.split('.').next().expect("a name");
        let text = std::fs::read_to_string(path).expect("a default template is UTF-8");
        let template = compile::compile(&compile::without_comments(&text), name)
            .unwrap_or_else(|error| panic!("{}: {error:?}", path.display()));
        let _ = writeln!(
            code,
            "        {file_name:?} => {},",
            template_code(&template)
        );
    }
    code.push_str("        _ => return None,\n    })\n}\n");

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("default_templates.rs"), code).expect("OUT_DIR is writable");
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file")
        .to_str()
        .expect("a UTF-8 name")
        .to_string()
}

fn template_code(template: &Template) -> String {
    let elements: Vec<String> = template.elements.iter().map(element_code).collect();
    let places: Vec<String> = template
        .mapping
        .iter()
        .map(|place| format!("({}, {})", place.0, place.1))
        .collect();
    format!(
        "template({:?}, vec![{}], &[{}])",
        template.name.as_deref(),
        elements.join(", "),
        places.join(", ")
    )
}

fn element_code(element: &TemplateElement) -> String {
    use TemplateElement::*;
    match element {
        RawString(text) => format!("TemplateElement::RawString({text:?}.into())"),
        Comment(text) => format!("TemplateElement::Comment({text:?}.into())"),
        Expression(helper) => format!("TemplateElement::Expression({})", helper_code(helper)),
        HtmlExpression(helper) => {
            format!("TemplateElement::HtmlExpression({})", helper_code(helper))
        }
        HelperBlock(helper) => format!("TemplateElement::HelperBlock({})", helper_code(helper)),
        DecoratorExpression(decorator) => format!(
            "TemplateElement::DecoratorExpression({})",
            decorator_code(decorator)
        ),
        DecoratorBlock(decorator) => format!(
            "TemplateElement::DecoratorBlock({})",
            decorator_code(decorator)
        ),
        PartialExpression(decorator) => format!(
            "TemplateElement::PartialExpression({})",
            decorator_code(decorator)
        ),
        PartialBlock(decorator) => format!(
            "TemplateElement::PartialBlock({})",
            decorator_code(decorator)
        ),
        other => panic!("a template element this script does not know: {other:?}"),
    }
}

fn helper_code(helper: &HelperTemplate) -> String {
    format!(
        "helper(Call {{ name: {}, params: {}, hash: {} }}, HelperParts {{ block_param: {}, template: {}, inverse: {}, block: {}, chain: {}, indent_before_write: {} }})",
        parameter_code(&helper.name),
        parameters_code(&helper.params),
        hash_code(&helper.hash),
        helper
            .block_param
            .as_ref()
            .map_or("None".into(), |p| format!("Some({})", block_param_code(p))),
        optional_template_code(helper.template.as_ref()),
        optional_template_code(helper.inverse.as_ref()),
        helper.block,
        helper.chain,
        indent_before_write(&format!("{helper:?}")),
    )
}

fn decorator_code(decorator: &DecoratorTemplate) -> String {
    format!(
        "decorator(Call {{ name: {}, params: {}, hash: {} }}, DecoratorParts {{ template: {}, indent: {:?}, indent_before_write: {} }})",
        parameter_code(&decorator.name),
        parameters_code(&decorator.params),
        hash_code(&decorator.hash),
        optional_template_code(decorator.template.as_ref()),
        decorator.indent.as_deref(),
        indent_before_write(&format!("{decorator:?}")),
    )
}

/// Whether a helper or partial indents its output. Handlebars keeps this
/// one field to itself (`pub(crate)`), but shows it in its `Debug` form, as
/// the struct's last field: after the block's body and `{{else}}`, which
/// may show their own. The unit test catches any change to that form.
fn indent_before_write(debug: &str) -> bool {
    let (_, rest) = debug
        .rsplit_once("indent_before_write: ")
        .expect("Handlebars shows indent_before_write in its Debug form");
    rest.starts_with("true")
}

fn optional_template_code(template: Option<&Template>) -> String {
    template.map_or("None".into(), |t| format!("Some({})", template_code(t)))
}

fn parameters_code(parameters: &[Parameter]) -> String {
    let parameters: Vec<String> = parameters.iter().map(parameter_code).collect();
    format!("vec![{}]", parameters.join(", "))
}

fn hash_code(hash: &std::collections::HashMap<String, Parameter>) -> String {
    let mut pairs: Vec<(&String, &Parameter)> = hash.iter().collect();
    pairs.sort_by_key(|(key, _)| *key);
    let pairs: Vec<String> = pairs
        .into_iter()
        .map(|(key, value)| format!("({key:?}, {})", parameter_code(value)))
        .collect();
    format!("vec![{}]", pairs.join(", "))
}

fn block_param_code(block_param: &BlockParam) -> String {
    match block_param {
        BlockParam::Single(p) => format!("BlockParam::Single({})", parameter_code(p)),
        BlockParam::Pair((a, b)) => format!(
            "BlockParam::Pair(({}, {}))",
            parameter_code(a),
            parameter_code(b)
        ),
        other => panic!("a block parameter this script does not know: {other:?}"),
    }
}

fn parameter_code(parameter: &Parameter) -> String {
    match parameter {
        Parameter::Name(name) => format!("Parameter::Name({name:?}.into())"),
        Parameter::Path(handlebars::Path::Relative((segments, raw))) => {
            let names: Option<Vec<String>> = segments
                .iter()
                .map(|segment| match segment {
                    PathSeg::Named(name) => Some(format!("{name:?}")),
                    _ => None,
                })
                .collect();
            match names {
                Some(names) => format!("relative_path(&[{}], {raw:?})", names.join(", ")),
                // `@root`, `..`: segments only Handlebars can name, so the
                // path is parsed again when the template is rebuilt.
                None => format!("parsed_path({raw:?})"),
            }
        }
        Parameter::Path(handlebars::Path::Local((level, name, raw))) => {
            format!("Parameter::Path(Path::Local(({level}, {name:?}.into(), {raw:?}.into())))")
        }
        Parameter::Literal(json) => format!("literal({:?})", json.to_string()),
        Parameter::Subexpression(subexpression) => format!(
            "subexpression({})",
            element_code(subexpression.as_element())
        ),
        other => panic!("a parameter this script does not know: {other:?}"),
    }
}
