//! Templates: the brief to Markdown text, through Handlebars.
//!
//! The default templates live in the repository's `templates/` folder and are
//! embedded in the binary. A user's template folder replaces a default where
//! it holds a file of the same name, and any further `*.hbs` file in it is a
//! partial the templates may include. Templates run in strict mode: a
//! reference to a field that does not exist is an error naming the template
//! file and line, even in a branch the brief at hand does not reach, because
//! every override is first tried on a specimen brief that fills every field.

mod compile;
pub mod escape;
mod helpers;
mod includes;
mod precompiled;
mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use handlebars::Handlebars;

use crate::brief::Brief;
use crate::typeset::Theme;
pub use compile::NESTING_LIMIT;
pub use includes::INCLUDE_DEPTH_LIMIT;
pub use view::{PackEntry, PackView, View};

/// Embeds files of the repository's `templates/` folder, with their names.
macro_rules! embed {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../templates/", $file)))),*]
    };
}

/// The embedded default templates: file name and text.
pub const DEFAULTS: &[(&str, &str)] = embed![
    "summary.md.hbs",
    "summary_facts.md.hbs",
    "summary_programme.md.hbs",
    "summary_meetings.md.hbs",
    "people.md.hbs",
    "talking_points.md.hbs",
    "contacts.md.hbs",
    "briefing.md.hbs",
    "at_a_glance.md.hbs",
    "briefing_sections.md.hbs",
    "briefing_meeting.md.hbs",
    "briefing_people.md.hbs",
    "pack.md.hbs",
    "pack_index.md.hbs",
];

/// The default theme of the PDF (page, fonts, colours, header and footer).
pub const THEME: &str = include_str!("../../templates/theme.yaml");
/// The file name a template folder overrides the theme with.
pub const THEME_FILE: &str = "theme.yaml";

/// The template that makes the Markdown summary.
pub const SUMMARY: &str = "summary";
/// The template that makes the Markdown the PDF briefing is set from.
pub const BRIEFING: &str = "briefing";
/// The template that makes a pack's cover and list of briefs.
pub const PACK: &str = "pack";
/// The template that makes the Markdown index beside a pack.
pub const PACK_INDEX: &str = "pack_index";
/// Every template the program renders by name; the others are partials.
const OUTPUTS: [&str; 4] = [SUMMARY, BRIEFING, PACK, PACK_INDEX];

/// A starter brief that uses every key of the format; `briefing new` writes
/// it, and overrides are tried on it.
pub const STARTER_BRIEF: &str = include_str!("../../templates/starter-brief.yaml");

/// What went wrong with a template: which file, where in it, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The file the user can open: an override's path, or the default's name
    /// under `templates/`.
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    /// The other problems found with this one, reported together (those of
    /// a theme).
    pub more: Box<[TemplateError]>,
}

impl TemplateError {
    fn file(file: impl Into<PathBuf>, message: String) -> Self {
        TemplateError {
            file: file.into(),
            line: None,
            column: None,
            message,
            help: None,
            more: Box::default(),
        }
    }
}

/// The templates, ready to render any number of briefs.
///
/// Compiling is the dearest part of starting up (Handlebars' parser costs
/// about a microsecond a byte), so a template is compiled when an output
/// first needs it, and once: `render` never compiles the pack's templates,
/// and compiles the briefing's on every core before the summary's.
pub struct Templates {
    /// Every template by the name it is included by (`people` for
    /// `people.md.hbs`).
    sources: BTreeMap<String, Source>,
    /// One registry per output, holding the templates it reaches.
    registries: BTreeMap<&'static str, OnceLock<Result<Handlebars<'static>, TemplateError>>>,
    pub theme: Theme,
    /// The theme's file: the folder its font paths are relative to.
    pub theme_file: PathBuf,
}

/// Where a template writes an image: its file, line and column, and the
/// template's text (to quote the line).
pub struct ImageOrigin {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub text: String,
}

impl Templates {
    /// The template that writes the image `written` (`![…](written)`), if
    /// one writes it as it is rather than from a field: the typesetter only
    /// sees the Markdown the templates made, so a bad image is traced back
    /// to its template here.
    pub fn image_origin(&self, written: &str) -> Option<ImageOrigin> {
        let targets = [format!("]({written})"), format!("](<{written}>)")];
        self.sources.values().find_map(|source| {
            let text = &source.text;
            let at = targets.iter().find_map(|t| text.find(t.as_str()))?;
            // The image starts at its `![` on the same line.
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let start = text[line_start..at]
                .rfind("![")
                .map_or(at, |i| line_start + i);
            Some(ImageOrigin {
                file: source.file.clone(),
                line: text[..start].matches('\n').count() + 1,
                column: text[line_start..start].chars().count() + 1,
                text: text.to_string(),
            })
        })
    }

    /// The text of the template at `file`, to quote a line of it.
    pub fn text_of(&self, file: &Path) -> Option<&str> {
        self.sources
            .values()
            .find(|source| source.file == file)
            .map(|source| &*source.text)
    }

    /// The embedded defaults only.
    pub fn defaults() -> Templates {
        Templates::new(default_sources(&[]))
    }

    /// The defaults, with every `*.hbs` file of `dir` replacing the default of
    /// the same name or added as a partial. Every template is compiled and
    /// tried now, so that a mistake is found before any brief is rendered.
    pub fn with_overrides(dir: &Path) -> Result<Templates, TemplateError> {
        let entries = std::fs::read_dir(dir).map_err(|error| {
            let mut e = TemplateError::file(
                dir,
                format!(
                    "cannot open the template folder: {}",
                    crate::io_reason(&error)
                ),
            );
            e.help = Some(
                "`briefing templates export DIR` writes the defaults to a folder to edit".into(),
            );
            e
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "hbs"))
            .collect();
        // Read in a fixed order, whatever order the file system lists.
        files.sort();
        let mut overrides = Vec::new();
        for path in &files {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = read_template_file(path, "template")?;
            overrides.push(Source::new(name, Text::File(text), path.clone()));
        }
        let mut sources = default_sources(&overrides);
        sources.extend(overrides);
        let mut templates = Templates::new(sources);
        // Every template, reached by an output or not: a file the user wrote
        // that does not parse is worth saying so.
        let names: Vec<&str> = templates.sources.keys().map(String::as_str).collect();
        templates.compile_in_parallel(names.clone());
        for &name in &names {
            templates.template(name)?;
        }
        templates.check_circles(&names)?;
        let theme_file = dir.join(THEME_FILE);
        if theme_file.exists() {
            let text = read_template_file(&theme_file, "theme")?;
            templates.theme = Theme::from_yaml(&text).map_err(|problems| {
                let mut errors = problems.into_iter().map(|error| TemplateError {
                    file: theme_file.clone(),
                    line: error.line,
                    column: error.column,
                    message: format!("the theme is not valid: {}", error.message),
                    help: Some("compare with the default: `briefing templates export DIR`".into()),
                    more: Box::default(),
                });
                let mut first = errors.next().expect("a theme refused has a problem");
                first.more = errors.collect();
                first
            })?;
            templates.theme_file = theme_file;
        }
        // Try every template on a brief that fills every field, so that a
        // misspelt field is found now rather than on the one brief that uses it.
        if !files.is_empty() {
            let specimen = specimen_brief();
            templates.render(SUMMARY, &specimen)?;
            templates.render(BRIEFING, &specimen)?;
            let pack = PackView::specimen();
            templates.pack(&pack)?;
            templates.pack_index(&pack)?;
        }
        Ok(templates)
    }

    fn new(sources: Vec<Source>) -> Templates {
        let sources: BTreeMap<String, Source> = sources
            .into_iter()
            .map(|source| (source.name().to_string(), source))
            .collect();
        Templates {
            sources,
            registries: OUTPUTS
                .iter()
                .map(|&output| (output, OnceLock::new()))
                .collect(),
            theme: Theme::from_yaml(THEME).expect("the default theme reads (tested)"),
            theme_file: PathBuf::from("templates").join(THEME_FILE),
        }
    }

    /// Compiles, on every core, the templates the outputs reach that are not
    /// compiled yet. Rendering compiles what it needs anyway, one template
    /// after another; this only makes it sooner.
    pub fn prepare(&self, outputs: &[&str]) {
        let names = outputs
            .iter()
            .filter(|output| self.registries[*output].get().is_none())
            .flat_map(|output| self.reached_from(output))
            .collect();
        self.compile_in_parallel(names);
    }

    fn compile_in_parallel(&self, mut names: Vec<&str>) {
        use rayon::prelude::*;
        names.sort_unstable();
        names.dedup();
        names.retain(|name| self.sources[*name].compiled.get().is_none());
        // Largest first, so that no core is left with a big one at the end.
        names.sort_by_key(|name| std::cmp::Reverse(self.sources[*name].text.len()));
        names.par_iter().for_each(|name| {
            let _ = self.template(name);
        });
    }

    /// The templates `root` may include, itself first: those its text
    /// includes by name, and theirs in turn. Every template, when one
    /// includes a partial whose name is computed (`{{> (lookup …)}}`).
    fn reached_from(&self, root: &str) -> Vec<&str> {
        let mut reached: Vec<&str> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut todo: Vec<&str> = self
            .sources
            .get_key_value(root)
            .map(|(k, _)| k.as_str())
            .into_iter()
            .collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name) {
                continue;
            }
            reached.push(name);
            let named = includes::named_in_text(&self.sources[name].text);
            if named.computed {
                return self.sources.keys().map(String::as_str).collect();
            }
            todo.extend(
                named
                    .names
                    .into_iter()
                    .filter_map(|n| self.sources.get_key_value(n).map(|(k, _)| k.as_str())),
            );
        }
        reached
    }

    /// A circle of includes among the templates `names` (compiled), as an
    /// error at the include that closes it.
    fn check_circles(&self, names: &[&str]) -> Result<(), TemplateError> {
        let mut found = BTreeMap::new();
        for &name in names {
            found.insert(name, includes::includes(self.template(name)?));
        }
        let Some(circle) = includes::find_circle(&found) else {
            return Ok(());
        };
        let message = if circle.names.len() == 2 {
            format!("the template `{}` includes itself", circle.names[0])
        } else {
            format!(
                "the templates include one another in a circle: {}",
                circle.path()
            )
        };
        Err(TemplateError {
            file: self.sources[circle.includer()].file.clone(),
            line: circle.closing.line,
            column: circle.closing.column,
            message,
            help: Some("rendering would never end: remove one of these includes".into()),
            more: Box::default(),
        })
    }

    /// One template, compiled (the first time it is asked for).
    fn template(&self, name: &str) -> Result<&handlebars::Template, TemplateError> {
        let source = &self.sources[name];
        source
            .compiled
            .get_or_init(|| source.compile())
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The registry an output renders with: its template and every template
    /// it reaches. Those not yet compiled are compiled here one after another,
    /// not on the pool: a thread waiting for the pool may take up another
    /// brief's work, which would wait for this very cell (`prepare` compiles
    /// them on the pool beforehand, outside any cell).
    fn registry(&self, output: &str) -> Result<&Handlebars<'static>, TemplateError> {
        self.registries[output]
            .get_or_init(|| {
                let mut registry = Handlebars::new();
                registry.set_strict_mode(true);
                registry.register_escape_fn(escape::markdown);
                helpers::register(&mut registry);
                includes::register(&mut registry);
                let reached = self.reached_from(output);
                for &name in &reached {
                    registry.register_template(name, self.template(name)?.clone());
                }
                self.check_circles(&reached)?;
                Ok(registry)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The Markdown summary of a brief.
    pub fn summary(&self, brief: &Brief) -> Result<String, TemplateError> {
        self.render(SUMMARY, brief)
    }

    /// The front of a briefing pack (cover and list of briefs), to be set.
    pub fn pack(&self, view: &PackView) -> Result<String, TemplateError> {
        self.render_view(PACK, view)
    }

    /// The Markdown index written beside a briefing pack.
    pub fn pack_index(&self, view: &PackView) -> Result<String, TemplateError> {
        self.render_view(PACK_INDEX, view)
    }

    /// The Markdown the PDF briefing is set from.
    pub fn briefing(&self, brief: &Brief) -> Result<String, TemplateError> {
        self.render(BRIEFING, brief)
    }

    fn render(&self, name: &str, brief: &Brief) -> Result<String, TemplateError> {
        self.render_view(name, &View::new(brief))
    }

    fn render_view(
        &self,
        name: &str,
        view: &impl serde::Serialize,
    ) -> Result<String, TemplateError> {
        let registry = self.registry(name)?;
        let mut markdown = CappedText::default();
        includes::reset();
        let rendered = registry.render_to_write(name, &view, &mut markdown);
        includes::reset();
        if markdown.full {
            let error = rendered.err();
            let in_template = error
                .as_ref()
                .and_then(|e| e.template_name.clone())
                .unwrap_or_else(|| name.to_string());
            return Err(TemplateError {
                file: self.file_of(&in_template),
                line: error.as_ref().and_then(|e| e.line_no),
                column: error.as_ref().and_then(|e| e.column_no),
                message: format!(
                    "the template `{name}` makes more than the {} of Markdown an output may have",
                    crate::files::size(MARKDOWN_LIMIT as u64)
                ),
                help: Some(
                    "a list repeated inside a list, or a partial included many times over, multiplies the text: check the blocks and includes here"
                        .into(),
                ),
                more: Box::default(),
            });
        }
        rendered.map_err(|error| self.render_error(name, error))?;
        let text = String::from_utf8(markdown.bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
        Ok(tidy(&text))
    }

    /// The file a template came from, by its name.
    fn file_of(&self, name: &str) -> PathBuf {
        self.sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |s| s.file.clone())
    }

    fn render_error(&self, name: &str, error: handlebars::RenderError) -> TemplateError {
        let in_template = error
            .template_name
            .clone()
            .unwrap_or_else(|| name.to_string());
        let file = self.file_of(&in_template);
        let (message, help) = match error.reason() {
            handlebars::RenderErrorReason::Other(reason) if reason == includes::TOO_DEEP => (
                format!(
                    "templates include one another more than {INCLUDE_DEPTH_LIMIT} deep here"
                ),
                Some(
                    "a template that includes itself, directly or through others, never ends: check the partials chosen by name here (`lookup`, inline partials)"
                        .into(),
                ),
            ),
            handlebars::RenderErrorReason::MissingVariable(Some(path)) => (
                format!("the template refers to `{path}`, which does not exist"),
                Some("check the spelling against docs/templates.md".to_string()),
            ),
            handlebars::RenderErrorReason::MissingVariable(None) => (
                "the template refers to a field that does not exist".to_string(),
                Some("check the spelling against docs/templates.md".to_string()),
            ),
            handlebars::RenderErrorReason::PartialNotFound(partial) => (
                format!("there is no partial `{partial}`"),
                Some(format!(
                    "`{{{{> {partial}}}}}` includes the template `{partial}.md.hbs` of the folder, or a default; the templates are: {}",
                    self.sources.keys().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                )),
            ),
            reason => (reason.to_string(), None),
        };
        TemplateError {
            file,
            line: error.line_no,
            column: error.column_no,
            message,
            help,
            more: Box::default(),
        }
    }
}

/// How much Markdown one output (a summary, a briefing's text, a pack's
/// front or index) may have: a brief is at most 8 MB and the defaults make
/// about twice its size; this bounds what a template that repeats itself
/// can make before it is stopped.
pub const MARKDOWN_LIMIT: usize = 64 * 1024 * 1024;

/// The Markdown a template writes, refused past [`MARKDOWN_LIMIT`].
#[derive(Default)]
struct CappedText {
    bytes: Vec<u8>,
    /// A write was refused: the text would have grown past the limit.
    full: bool,
}

impl std::io::Write for CappedText {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MARKDOWN_LIMIT {
            self.full = true;
            return Err(std::io::Error::other("the Markdown is over its limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How large a file of a template folder (a template or the theme) may be.
/// Real templates are a few KB; this is room for a hundred times that, and
/// compiling that much takes about a second.
pub const TEMPLATE_FILE_LIMIT: u64 = 1024 * 1024;

/// The text of a file of a template folder (`what` it is: `template` or
/// `theme`), refused if it is not a regular file of at most
/// [`TEMPLATE_FILE_LIMIT`] (a named pipe would never end) or not UTF-8.
fn read_template_file(path: &Path, what: &str) -> Result<String, TemplateError> {
    let bytes = crate::files::read_input(path, TEMPLATE_FILE_LIMIT).map_err(|error| {
        let help = match error {
            crate::files::ReadError::NotAFile { .. } => Some(format!(
                "a template folder holds template files (`*.hbs`) and `{THEME_FILE}`; move this one out of it"
            )),
            crate::files::ReadError::TooLarge { .. } => Some(
                "a template is a few KB of text: is this the file you meant?".to_string(),
            ),
            crate::files::ReadError::Io(_) => None,
        };
        let mut e = TemplateError::file(path, format!("cannot read the {what}: {error}"));
        e.help = help;
        e
    })?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = compile::line_col(valid, valid.len());
        TemplateError {
            file: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: format!("the {what} is not UTF-8 text"),
            help: Some(format!(
                "save the {what} as UTF-8 (any editor can: \"Save with encoding\")"
            )),
            more: Box::default(),
        }
    })
}

/// Tidies what a template made: no run of blank lines longer than one (so
/// that left-out sections leave no gaps), no trailing spaces, one final
/// newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() && blank_lines > 0 {
            out.push('\n');
        }
        blank_lines = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A template's text, the file it came from, and the template compiled from
/// it once something needs it.
struct Source {
    file_name: String,
    text: Text,
    file: PathBuf,
    compiled: OnceLock<Result<handlebars::Template, TemplateError>>,
}

/// Where a template's text comes from, which decides when it is compiled.
enum Text {
    /// A default, embedded in the binary and compiled when the binary was
    /// built (`build.rs`).
    BuiltIn(&'static str),
    /// A file of the user's templates folder, compiled when first needed.
    File(String),
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::BuiltIn(text) => text,
            Text::File(text) => text,
        }
    }
}

impl Source {
    fn new(file_name: String, text: Text, file: PathBuf) -> Source {
        Source {
            file_name,
            text,
            file,
            compiled: OnceLock::new(),
        }
    }

    /// The name it is included by: `people.md.hbs` is the partial `people`.
    fn name(&self) -> &str {
        self.file_name.split('.').next().unwrap_or(&self.file_name)
    }

    fn compile(&self) -> Result<handlebars::Template, TemplateError> {
        if let Text::BuiltIn(_) = self.text {
            if let Some(mut template) = precompiled::compiled(&self.file_name) {
                includes::guard(&mut template);
                return Ok(template);
            }
        }
        let mut template = compile::compile(&compile::without_comments(&self.text), self.name())
            .map_err(|error| TemplateError {
                file: self.file.clone(),
                line: error.line,
                column: error.column,
                message: error.message,
                help: error.help,
                more: Box::default(),
            })?;
        includes::guard(&mut template);
        Ok(template)
    }
}

/// The default templates, less those the user's files replace.
fn default_sources(overrides: &[Source]) -> Vec<Source> {
    DEFAULTS
        .iter()
        .filter(|(file, _)| !overrides.iter().any(|o| o.file_name == *file))
        .map(|&(file, text)| {
            Source::new(
                file.into(),
                Text::BuiltIn(text),
                PathBuf::from("templates").join(file),
            )
        })
        .collect()
}

/// The starter brief, loaded: every field filled, every list with an item.
pub fn specimen_brief() -> Brief {
    crate::brief::from_bytes(
        STARTER_BRIEF.as_bytes(),
        Path::new("."),
        &crate::images::ImageRules::default(),
    )
    .expect("the starter brief is valid (tested)")
    .brief
}

/// Writes the default templates into `dir` for editing. Refuses to replace an
/// existing file unless `force`; returns the files written.
pub fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>, TemplateError> {
    crate::files::create_folder(dir).map_err(|error| {
        TemplateError::file(
            dir,
            format!("cannot create the folder: {}", crate::io_reason(&error)),
        )
    })?;
    let files: Vec<(PathBuf, &str, &'static str)> = DEFAULTS
        .iter()
        .map(|&(name, text)| (name, text, "template"))
        .chain(std::iter::once((THEME_FILE, THEME, "theme")))
        .map(|(name, text, what)| (dir.join(name), text, what))
        .collect();
    let outputs: Vec<crate::files::Output> = files
        .iter()
        .map(|(path, _, what)| crate::files::Output { path, what })
        .collect();
    // A folder, device, pipe or link where a template goes is refused even
    // with --force: it replaces files only.
    let no_inputs = crate::files::Inputs::default();
    if let Some((_, problem)) = crate::files::check_outputs(&outputs, &no_inputs).first() {
        let mut e = TemplateError::file(problem.output(), problem.message());
        e.help = Some(problem.help("export into another folder"));
        return Err(e);
    }
    if !force {
        if let Some((existing, _, _)) = files
            .iter()
            .find(|(path, _, _)| std::fs::symlink_metadata(path).is_ok())
        {
            let mut e = TemplateError::file(existing, "the file exists already".to_string());
            e.help = Some("pass --force to overwrite it with the default".into());
            return Err(e);
        }
    }
    // All or none: a failure halfway leaves no mix of old and new defaults.
    let contents: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(path, text, _)| (path.as_path(), text.as_bytes()))
        .collect();
    crate::files::write_together(&contents).map_err(|diagnostic| TemplateError {
        file: diagnostic.file,
        line: None,
        column: None,
        message: diagnostic.message,
        help: diagnostic.help,
        more: Box::default(),
    })?;
    Ok(files.into_iter().map(|(path, _, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(tidy("a  \n\n\n\nb\n\n"), "a\n\nb\n");
    }

    #[test]
    fn defaults_render_the_specimen() {
        let text = Templates::defaults().summary(&specimen_brief()).unwrap();
        assert!(text.starts_with("**"), "{text}");
    }

    #[test]
    fn an_output_compiles_only_the_templates_it_reaches() {
        let templates = Templates::defaults();
        templates.summary(&specimen_brief()).unwrap();
        let compiled = |name: &str| templates.sources[name].compiled.get().is_some();
        assert!(compiled("summary") && compiled("summary_facts") && compiled("people"));
        assert!(!compiled("briefing") && !compiled("briefing_sections") && !compiled("pack"));

        let mut reached = templates.reached_from(BRIEFING);
        reached.sort_unstable();
        assert_eq!(
            reached,
            [
                "at_a_glance",
                "briefing",
                "briefing_meeting",
                "briefing_people",
                "briefing_sections",
                "contacts",
                "people",
                "talking_points"
            ]
        );
    }

    #[test]
    fn a_partial_named_by_an_expression_reaches_every_template() {
        for text in [
            "{{> (lookup . \"x\")}}",
            "{{~#> ( concat a b )}}x{{/concat}}",
        ] {
            assert!(includes::named_in_text(text).computed, "{text}");
        }
        for text in [
            "{{> people}}",
            "{{#> layout}}x{{/layout}}",
            "a > (b)",
            "{{#if (eq a b)}}",
        ] {
            assert!(!includes::named_in_text(text).computed, "{text}");
        }
        let mut sources = default_sources(&[]);
        sources.push(Source::new(
            "summary.md.hbs".into(),
            Text::File("{{> (lookup . \"part\")}}".into()),
            "mine/summary.md.hbs".into(),
        ));
        let templates = Templates::new(sources);
        assert_eq!(
            templates.reached_from(SUMMARY).len(),
            templates.sources.len()
        );
    }
}
