//! The helpers templates may call: dates, ranges and times in the brief's
//! language, and the brief's Markdown fields placed without escaping.
//!
//! | helper | example | gives |
//! |---|---|---|
//! | `date` | `{{date visit.start}}` | `27. Mai 2025` |
//! | `weekday_date` | `{{weekday_date date}}` | `Dienstag, 27. Mai 2025` |
//! | `date_range` | `{{date_range visit.start visit.end}}` | `27.–29. Mai 2025` |
//! | `time_range` | `{{time_range start end}}` | `09:30–10:30` |
//! | `md` | `{{md background indent=2}}` | the Markdown as written |
//! | `md_cell` | `{{md_cell notes}}` | the Markdown on one line, fit for a table cell |
//! | `join` | `{{join attendees ", "}}` | `A, B` (each escaped) |
//! | `email_link` | `{{email_link email}}` | `[a@b.org](<mailto:a@b.org>)`, or the text if it is no address |
//! | `phone_link` | `{{phone_link phone}}` | `[+47 22 55](<tel:+472255>)`, or the text if it is no number |

use chrono::NaiveDate;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use serde_json::Value;

use super::escape;
use crate::i18n::{self, Language};

pub fn register(registry: &mut Handlebars) {
    registry.register_helper("date", Box::new(date));
    registry.register_helper("weekday_date", Box::new(weekday_date));
    registry.register_helper("date_range", Box::new(date_range));
    registry.register_helper("time_range", Box::new(time_range));
    registry.register_helper("md", Box::new(md));
    registry.register_helper("md_cell", Box::new(md_cell));
    registry.register_helper("join", Box::new(join));
    registry.register_helper("email_link", Box::new(email_link));
    registry.register_helper("phone_link", Box::new(phone_link));
}

fn language(ctx: &Context) -> Language {
    ctx.data()
        .get("language")
        .and_then(Value::as_str)
        .and_then(Language::from_code)
        .unwrap_or_default()
}

fn param<'a>(h: &'a Helper, index: usize) -> Result<&'a Value, RenderError> {
    h.param(index).map(|p| p.value()).ok_or_else(|| {
        RenderErrorReason::Other(format!("`{}` needs {} parameter(s)", h.name(), index + 1)).into()
    })
}

fn date_param(h: &Helper, index: usize) -> Result<NaiveDate, RenderError> {
    let value = param(h, index)?;
    value
        .as_str()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| {
            RenderErrorReason::Other(format!(
                "`{}` needs a date, but was given {value}",
                h.name()
            ))
            .into()
        })
}

fn write_text(r: &Handlebars, out: &mut dyn Output, text: &str) -> HelperResult {
    out.write(&r.get_escape_fn()(text))?;
    Ok(())
}

fn date(
    h: &Helper,
    r: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let text = i18n::date(language(ctx), date_param(h, 0)?);
    write_text(r, out, &text)
}

fn weekday_date(
    h: &Helper,
    r: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let text = i18n::weekday_date(language(ctx), date_param(h, 0)?);
    write_text(r, out, &text)
}

fn date_range(
    h: &Helper,
    r: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let text = i18n::date_range(language(ctx), date_param(h, 0)?, date_param(h, 1)?);
    write_text(r, out, &text)
}

fn time_range(
    h: &Helper,
    r: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let start = param(h, 0)?.as_str();
    let end = h.param(1).and_then(|p| p.value().as_str());
    write_text(r, out, &i18n::time_range(start, end))
}

/// A Markdown field as written; `indent=N` indents its later lines so that a
/// multi-paragraph value stays inside the list item it is placed in. A
/// brief's Markdown holds no HTML by then (`brief::markup`: comments left
/// out, other HTML made text), so it opens no directive of the template.
fn md(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let indent = h
        .hash_get("indent")
        .and_then(|v| v.value().as_u64())
        .unwrap_or(0);
    if let Some(text) = param(h, 0)?.as_str() {
        out.write(&escape::indented(text, indent as usize))?;
    }
    Ok(())
}

fn md_cell(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(text) = param(h, 0)?.as_str() {
        out.write(&escape::table_cell(text))?;
    }
    Ok(())
}

fn join(
    h: &Helper,
    r: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let separator = h.param(1).and_then(|p| p.value().as_str()).unwrap_or(", ");
    let items = param(h, 0)?.as_array().cloned().unwrap_or_default();
    let texts: Vec<String> = items
        .iter()
        .filter_map(Value::as_str)
        .map(|s| r.get_escape_fn()(s))
        .collect();
    out.write(&texts.join(separator))?;
    Ok(())
}

/// An e-mail address as a `mailto:` link; a value that is no address is
/// written as plain text (`check` warns about it).
fn email_link(
    h: &Helper,
    r: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    write_link(r, out, param(h, 0)?, crate::brief::contact::mailto)
}

/// A phone number as a `tel:` link; a value that is no number is written as
/// plain text (`check` warns about it).
fn phone_link(
    h: &Helper,
    r: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    write_link(r, out, param(h, 0)?, crate::brief::contact::tel)
}

/// `value` escaped, as a link to `uri(value)` when there is one. The URI is
/// percent-encoded, so it holds no `<`, `>` or space to end the link early.
fn write_link(
    r: &Handlebars,
    out: &mut dyn Output,
    value: &Value,
    uri: fn(&str) -> Option<String>,
) -> HelperResult {
    let Some(text) = value.as_str() else {
        return Ok(());
    };
    let shown = r.get_escape_fn()(text);
    match uri(text) {
        Some(uri) => out.write(&format!("[{shown}](<{uri}>)"))?,
        None => out.write(&shown)?,
    }
    Ok(())
}
