//! The keys of the brief format, defined once: the reader refuses every
//! other key (with a suggestion) from these tables, `briefing schema`
//! generates the JSON Schema from them, and a test checks that
//! `docs/brief-format.md` lists every key of every table. A new key is one
//! line here (and its reading in `read.rs`).

/// A mapping of the format: a person, a programme item, the brief itself.
pub struct Object {
    /// Its name in the schema's definitions and, as `### Title`, the heading
    /// of its section in `docs/brief-format.md` (the top level's is
    /// "Top level").
    pub name: &'static str,
    /// The section of `docs/brief-format.md` that describes it.
    pub heading: &'static str,
    pub description: &'static str,
    /// Its keys, in the order the reader lists them in its help.
    pub keys: &'static [Key],
    /// Instead of the keys' own `required`: at least one of these keys must
    /// be given (the person met in a bilateral meeting may be an
    /// institution alone).
    pub one_of_required: Option<&'static [&'static str]>,
}

/// One key of an [`Object`].
pub struct Key {
    pub name: &'static str,
    pub value: Value,
    pub required: bool,
    /// One or two sentences, shown by an editor on hover.
    pub description: &'static str,
}

/// What a key holds.
#[derive(Clone, Copy)]
pub enum Value {
    /// Any scalar, read as text (`reference: 12345` is the text "12345").
    Text,
    /// Text read as Markdown.
    Markdown,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM` on the 24-hour clock.
    Time,
    /// A language code of [`crate::i18n::Language::ALL`].
    Language,
    /// An IANA time-zone name.
    TimeZone,
    /// A PNG or JPEG file, relative to the brief's folder.
    Photo,
    /// A list of names of delegation members.
    Names,
    /// A list of Markdown items.
    MarkdownList,
    /// A list of talking points.
    TalkingPoints,
    /// A mapping of this kind.
    Mapping(&'static Object),
    /// A list of mappings of this kind.
    ListOf(&'static Object),
    /// Label keys (those of [`crate::i18n::LABELS`]) to text.
    Labels,
    /// One of these words.
    OneOf(&'static [&'static str]),
}

const fn key(name: &'static str, value: Value, description: &'static str) -> Key {
    Key {
        name,
        value,
        required: false,
        description,
    }
}

const fn required(name: &'static str, value: Value, description: &'static str) -> Key {
    Key {
        name,
        value,
        required: true,
        description,
    }
}

use Value::*;

pub static BRIEF: Object = Object {
    name: "brief",
    heading: "Top level",
    description: "A brief of one delegation visit, read by `briefing check`, `render` and `pack`.",
    keys: &[
        required("title", Text, "The title of the briefing, on its cover and at the top of the summary."),
        key("subtitle", Text, "A line under the title."),
        key("language", Language, "Language of the labels, of dates and of hyphenation. Default `en`. `ar` (Arabic) lays the whole briefing out right to left, unhyphenated."),
        key("classification", Text, "Security marking such as `RESTRICTED`. Printed at the top of the summary and at the top and bottom of every PDF page."),
        key("reference", Text, "Document reference."),
        key("issued", Date, "Date of issue, shown on the cover."),
        key("prepared_by", Text, "Office or author."),
        key("status", OneOf(&["draft", "final"]), "`draft` puts a diagonal DRAFT watermark, in the brief's language, on every page and \"Draft\" in the PDF's keywords; `final` (the default) does not."),
        key("event", Mapping(&EVENT), "The event the visit attends."),
        required("visit", Mapping(&VISIT), "When the visit happens."),
        key("venue", Mapping(&VENUE), "Where."),
        key("delegation", ListOf(&PERSON), "Our side, in order of precedence."),
        key("counterparts", ListOf(&PERSON), "The people we meet or hear."),
        key("organizations", ListOf(&ORGANIZATION), "Organisations represented."),
        key("objectives", MarkdownList, "What the visit must achieve."),
        key("talking_points", TalkingPoints, "Key messages: each a sentence, or a topic with its points."),
        key("schedule", ListOf(&SCHEDULE_ITEM), "The programme."),
        key("bilaterals", ListOf(&BILATERAL), "Meetings on the margins."),
        key("background", Markdown, "Context: paragraphs and lists, written as a block with `|`."),
        key("logistics", Markdown, "Travel, accommodation, security."),
        key("contacts", ListOf(&CONTACT), "Whom to call."),
        key("labels", Labels, "Renames built-in labels, by label key."),
    ],
    one_of_required: None,
};

pub static VISIT: Object = Object {
    name: "visit",
    heading: "Visit",
    description: "When the visit happens.",
    keys: &[
        required("start", Date, "The first day of the visit."),
        required("end", Date, "The last day of the visit, on or after `start`."),
        key("timezone", TimeZone, "An IANA time-zone name such as `Europe/Moscow`: programme times are local times in this zone."),
    ],
    one_of_required: None,
};

pub static VENUE: Object = Object {
    name: "venue",
    heading: "Venue",
    description: "Where the visit takes place.",
    keys: &[
        key("name", Text, "The venue's name."),
        key("address", Text, "Its street address."),
        key("city", Text, "Its city."),
        key("country", Text, "Its country."),
    ],
    one_of_required: None,
};

pub static EVENT: Object = Object {
    name: "event",
    heading: "Event",
    description: "The event the visit attends.",
    keys: &[
        required("name", Text, "The event's name."),
        key("host", Text, "Who hosts it."),
        key("description", Markdown, "What it is."),
    ],
    one_of_required: None,
};

const PERSON_KEYS: &[Key] = &[
    required("name", Text, "The person's name, as attendee lists write it."),
    key("title", Text, "Their function, such as `Minister`."),
    key("organization", Text, "Their ministry, agency or institution."),
    key("country", Text, "Their country."),
    key("role", Text, "Their role in the visit, such as `Head of delegation`."),
    key("bio", Markdown, "A short biography."),
    key("photo", Photo, "A PNG or JPEG file, relative to the folder of the brief and inside it unless `--allow-path` allows another folder."),
];

pub static PERSON: Object = Object {
    name: "person",
    heading: "Person",
    description: "A person: a member of the delegation or a counterpart.",
    keys: PERSON_KEYS,
    one_of_required: None,
};

/// The person met in a bilateral meeting: a person, or an institution
/// alone (`organization` without `name`).
pub static MEETING_PARTNER: Object = Object {
    name: "meeting_partner",
    heading: "Person",
    description: "Whom we meet: a person, or an institution alone (`organization` without `name`).",
    keys: PERSON_KEYS,
    one_of_required: Some(&["name", "organization"]),
};

pub static ORGANIZATION: Object = Object {
    name: "organization",
    heading: "Organisation",
    description: "An organisation represented.",
    keys: &[
        required("name", Text, "The organisation's name."),
        key("acronym", Text, "Its acronym, such as `OSCE`."),
    ],
    one_of_required: None,
};

pub static TALKING_POINT: Object = Object {
    name: "talking_point",
    heading: "Talking point",
    description: "A topic with its points (or, instead of this mapping, one sentence).",
    keys: &[
        required("topic", Text, "The topic."),
        key("points", MarkdownList, "The points to make on it."),
    ],
    one_of_required: None,
};

pub static SCHEDULE_ITEM: Object = Object {
    name: "schedule_item",
    heading: "Programme item",
    description: "An item of the programme.",
    keys: &[
        required("date", Date, "Its day, within the visit."),
        key(
            "start",
            Time,
            "When it starts, local time, \"HH:MM\" in quotes.",
        ),
        key("end", Time, "When it ends, after `start`."),
        required("title", Text, "What it is."),
        key("location", Text, "Where."),
        key(
            "attendees",
            Names,
            "Delegation members who attend, each exactly the `name` of one.",
        ),
        key("notes", Markdown, "Notes."),
    ],
    one_of_required: None,
};

pub static BILATERAL: Object = Object {
    name: "bilateral",
    heading: "Bilateral meeting",
    description: "A bilateral meeting.",
    keys: &[
        required("with", Mapping(&MEETING_PARTNER), "Whom we meet. For a meeting with an institution, `name` may be left out when `organization` is given."),
        required("date", Date, "Its day, within the visit."),
        key("start", Time, "When it starts, local time, \"HH:MM\" in quotes."),
        key("end", Time, "When it ends, after `start`."),
        key("location", Text, "Where."),
        key("attendees", Names, "Delegation members who attend."),
        key("objectives", MarkdownList, "What we want."),
        key("their_objectives", MarkdownList, "What the other side is expected to want."),
        key("talking_points", TalkingPoints, "Points to make."),
        key("if_raised", TalkingPoints, "Defensive lines, used only if the other side raises the subject."),
        key("press_line", Markdown, "What may be said publicly."),
        key("notes", Markdown, "Notes."),
    ],
    one_of_required: None,
};

pub static CONTACT: Object = Object {
    name: "contact",
    heading: "Contact",
    description: "Someone to call during the visit.",
    keys: &[
        required("name", Text, "Their name."),
        key("role", Text, "Their role."),
        key(
            "phone",
            Text,
            "Phone number, in quotes when it starts with `+`.",
        ),
        key("email", Text, "E-mail address."),
    ],
    one_of_required: None,
};

/// Every object of the format, the brief first.
pub static OBJECTS: &[&Object] = &[
    &BRIEF,
    &VISIT,
    &VENUE,
    &EVENT,
    &PERSON,
    &MEETING_PARTNER,
    &ORGANIZATION,
    &TALKING_POINT,
    &SCHEDULE_ITEM,
    &BILATERAL,
    &CONTACT,
];

impl Object {
    /// The names of its keys, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|key| key.name).collect()
    }

    pub fn key(&self, name: &str) -> Option<&Key> {
        self.keys.iter().find(|key| key.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    /// Every object of the format with its required keys alone, and every
    /// key that holds objects with one of them: a brief that reaches every
    /// object and gives nothing the table calls optional.
    fn skeleton(object: &Object) -> Json {
        let mut fields = serde_json::Map::new();
        for key in object.keys {
            let required = match object.one_of_required {
                Some(keys) => keys.first() == Some(&key.name),
                None => key.required,
            };
            let value = match key.value {
                Mapping(inner) => skeleton(inner),
                ListOf(inner) => json!([skeleton(inner)]),
                TalkingPoints => json!([skeleton(&TALKING_POINT)]),
                _ if !required => continue,
                Date => json!("2026-02-10"),
                Time => json!("09:30"),
                Language => json!("en"),
                TimeZone => json!("Europe/Berlin"),
                _ => json!("x"),
            };
            fields.insert(key.name.to_string(), value);
        }
        Json::Object(fields)
    }

    /// `brief` without `key` in every mapping that stands for `object`.
    fn without(brief: &mut Json, object: &Object, at: &Object, key: &str) {
        let Json::Object(fields) = brief else {
            return;
        };
        if std::ptr::eq(object, at) {
            fields.remove(key);
        }
        for field in at.keys {
            let Some(value) = fields.get_mut(field.name) else {
                continue;
            };
            match field.value {
                Mapping(inner) => without(value, object, inner, key),
                ListOf(inner) => {
                    for item in value.as_array_mut().into_iter().flatten() {
                        without(item, object, inner, key);
                    }
                }
                TalkingPoints => {
                    for item in value.as_array_mut().into_iter().flatten() {
                        without(item, object, &TALKING_POINT, key);
                    }
                }
                _ => {}
            }
        }
    }

    fn problems(brief: &Json) -> Vec<String> {
        let yaml = serde_yaml::to_string(brief).unwrap();
        match crate::brief::from_bytes(
            yaml.as_bytes(),
            std::path::Path::new("."),
            &crate::images::ImageRules::default(),
        ) {
            Ok(_) => Vec::new(),
            Err(error) => error.problems.into_iter().map(|p| p.message).collect(),
        }
    }

    #[test]
    fn the_reader_requires_the_keys_the_table_requires_and_no_others() {
        let skeleton = skeleton(&BRIEF);
        assert_eq!(problems(&skeleton), Vec::<String>::new(), "{skeleton}");
        for object in OBJECTS {
            for key in object.keys.iter().filter(|key| key.required) {
                let mut brief = skeleton.clone();
                without(&mut brief, object, &BRIEF, key.name);
                if object.one_of_required.is_some() {
                    continue;
                }
                let found = problems(&brief);
                assert!(
                    found
                        .iter()
                        .any(|p| p.starts_with(&format!("missing required key `{}`", key.name))),
                    "{}.{}: {found:?}",
                    object.name,
                    key.name
                );
            }
        }
    }
}
