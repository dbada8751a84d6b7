//! The JSON Schema of the brief format, generated from [`super::keys`], for
//! editors to complete keys, show their descriptions and underline a
//! misspelt key or a wrong type as the author types.
//!
//! Draft-07: the YAML language server (VS Code's YAML extension, Neovim's
//! yamlls, and others built on it) validates with draft-07 and earlier; its
//! support of 2019-09 and 2020-12 was added and taken back again. JetBrains
//! IDEs read draft-07 too.
//!
//! The schema accepts what the reader accepts, no less: any scalar is text
//! (`reference: 12345`), and an optional key may be left empty. What it
//! cannot say (a key given twice, dates within the visit, attendees who are
//! members of the delegation) `briefing check` still does.

use serde_json::{json, Map, Value as Json};

use super::keys::{Key, Object, Value, BRIEF, OBJECTS};
use crate::i18n::Language;

/// The file the starter brief's first line names, beside the brief:
/// `# yaml-language-server: $schema=brief.schema.json`.
pub const FILE_NAME: &str = "brief.schema.json";

/// `YYYY-MM-DD`, as the reader takes dates.
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// `HH:MM` (or `H:MM`) on the 24-hour clock, as the reader takes times.
pub const TIME_PATTERN: &str = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$";

/// The schema, as `briefing schema` prints it.
pub fn json_schema() -> Json {
    let mut schema = object_schema(&BRIEF);
    let definitions: Map<String, Json> = OBJECTS
        .iter()
        .filter(|object| object.name != BRIEF.name)
        .map(|object| (object.name.to_string(), object_schema(object)))
        .collect();
    let mut top = Map::new();
    top.insert(
        "$schema".into(),
        "http://json-schema.org/draft-07/schema#".into(),
    );
    top.insert(
        "title".into(),
        "briefing: a brief of a delegation visit".into(),
    );
    if let Json::Object(fields) = &mut schema {
        top.append(fields);
    }
    top.insert("definitions".into(), Json::Object(definitions));
    Json::Object(top)
}

/// The schema as text, indented, as `briefing schema` prints it and
/// `briefing new` writes it beside a new brief.
pub fn json_text() -> String {
    serde_json::to_string_pretty(&json_schema()).expect("a JSON value prints")
}

fn object_schema(object: &Object) -> Json {
    let properties: Map<String, Json> = object
        .keys
        .iter()
        .map(|key| (key.name.to_string(), key_schema(object, key)))
        .collect();
    let mut schema = json!({
        "type": "object",
        "description": object.description,
        "additionalProperties": false,
        "properties": properties,
    });
    match object.one_of_required {
        Some(keys) => {
            schema["anyOf"] = keys
                .iter()
                .map(|key| json!({ "required": [key] }))
                .collect();
        }
        None => {
            let required: Vec<&str> = object
                .keys
                .iter()
                .filter(|key| key.required)
                .map(|key| key.name)
                .collect();
            if !required.is_empty() {
                schema["required"] = json!(required);
            }
        }
    }
    schema
}

/// A value any scalar may be: the reader takes `12345` or `true` as text.
fn scalar(nullable: bool) -> Json {
    if nullable {
        json!({ "type": ["string", "number", "boolean", "null"] })
    } else {
        json!({ "type": ["string", "number", "boolean"] })
    }
}

fn string(nullable: bool) -> Json {
    if nullable {
        json!({ "type": ["string", "null"] })
    } else {
        json!({ "type": "string" })
    }
}

fn reference(object: &Object) -> Json {
    json!({ "$ref": format!("#/definitions/{}", object.name) })
}

fn list(items: Json) -> Json {
    json!({ "type": ["array", "null"], "items": items })
}

fn key_schema(object: &Object, key: &Key) -> Json {
    // An optional key may be left empty (`venue:`): the reader takes it as
    // absent. A required one may not. In the person met in a bilateral
    // meeting, neither key of the pair is required on its own.
    let nullable = !key.required || object.one_of_required.is_some();
    let mut schema = match key.value {
        Value::Text | Value::Markdown => scalar(nullable),
        Value::Photo => string(nullable),
        Value::Date => {
            let mut schema = string(nullable);
            schema["pattern"] = DATE_PATTERN.into();
            schema
        }
        Value::Time => {
            let mut schema = string(nullable);
            schema["pattern"] = TIME_PATTERN.into();
            schema
        }
        Value::Language => enumeration(Language::ALL.map(Language::code).to_vec(), nullable),
        Value::OneOf(words) => enumeration(words.to_vec(), nullable),
        Value::TimeZone => enumeration(
            chrono_tz::TZ_VARIANTS
                .iter()
                .map(|zone| zone.name())
                .collect(),
            nullable,
        ),
        Value::Names | Value::MarkdownList => list(scalar(true)),
        Value::TalkingPoints => list(json!({
            "anyOf": [scalar(false), reference(&super::keys::TALKING_POINT)]
        })),
        Value::Mapping(inner) if nullable => json!({
            "anyOf": [reference(inner), { "type": "null" }]
        }),
        Value::Mapping(inner) => json!({ "allOf": [reference(inner)] }),
        Value::ListOf(inner) => list(reference(inner)),
        Value::Labels => {
            let properties: Map<String, Json> = crate::i18n::LABELS
                .iter()
                .map(|(label, en, ..)| {
                    let mut schema = scalar(true);
                    schema["description"] = format!("Replaces the label “{en}”.").into();
                    (label.to_string(), schema)
                })
                .collect();
            json!({
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": properties,
            })
        }
    };
    schema["description"] = key.description.into();
    schema["markdownDescription"] = key.description.into();
    schema
}

fn enumeration(values: Vec<&str>, nullable: bool) -> Json {
    let mut values: Vec<Json> = values.into_iter().map(Json::from).collect();
    if nullable {
        values.push(Json::Null);
    }
    let mut schema = string(nullable);
    schema["enum"] = Json::Array(values);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_refuses_unknown_keys_and_every_key_is_described() {
        let schema = json_schema();
        for object in OBJECTS {
            let found = if object.name == BRIEF.name {
                &schema
            } else {
                &schema["definitions"][object.name]
            };
            assert_eq!(found["additionalProperties"], false, "{}", object.name);
            for key in object.keys {
                let described = &found["properties"][key.name]["description"];
                assert!(
                    described.as_str().is_some_and(|d| !d.is_empty()),
                    "{}",
                    key.name
                );
            }
        }
    }

    #[test]
    fn the_patterns_take_what_the_reader_takes() {
        assert_eq!(DATE_PATTERN, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
        assert_eq!(
            json_schema()["properties"]["language"]["enum"],
            json!(["en", "de", "fr", "ar", null])
        );
    }
}
