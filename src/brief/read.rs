//! The YAML tree to a typed [`Brief`], collecting every problem on the way
//! rather than stopping at the first.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::keys;
use super::yaml::{Kind, Node};
use super::*;
use crate::diag::nearest;
use crate::images::{images_in_markdown, BriefImageReader, BriefImages, ImageError, ImageRules};

/// Where each value read stands in the file, by its path in the brief, so
/// that the checks after reading can point at it.
pub type Spans = HashMap<String, Span>;

/// What reading the tree found: the brief (`None` when a required value is
/// missing or unreadable; the problems say why), where each value stands,
/// the problems, and the warnings (things put right on the way, which do
/// not stop the brief).
pub struct Reading {
    pub brief: Option<Brief>,
    pub spans: Spans,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Reads the whole brief, and the images it names (relative to
/// `base_dir`).
pub fn read(root: &Node, base_dir: &Path, images: &ImageRules) -> Reading {
    let mut reader = Reader {
        problems: Vec::new(),
        warnings: Vec::new(),
        spans: HashMap::new(),
        images: BriefImageReader::new(base_dir, images),
    };
    let mut brief = reader.brief(root);
    if let Some(brief) = &mut brief {
        brief.images = reader.images.finish();
        brief.folder = base_dir.to_path_buf();
    }
    Reading {
        brief,
        spans: reader.spans,
        problems: reader.problems,
        warnings: reader.warnings,
    }
}

struct Reader<'a> {
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    spans: Spans,
    /// Every image the brief names is read (once) and decoded as it is met,
    /// so that `check` finds what `render` would refuse.
    images: BriefImageReader<'a>,
}

/// A mapping being read as a record: its entries and its path.
struct Record<'n> {
    node: &'n Node,
    entries: &'n [(Node, Node)],
    path: String,
}

impl Record<'_> {
    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of `key`, unless absent or null.
    fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, Kind::Scalar(name) if name == key))
            .map(|(_, v)| v)
            .filter(|v| v.kind != Kind::Null)
    }
}

impl<'a> Reader<'a> {
    fn problem(&mut self, message: String, span: Option<Span>, path: &str, help: Option<String>) {
        self.problems.push(Problem {
            message,
            span,
            path: path.to_string(),
            help,
        });
    }

    fn expected(&mut self, node: &Node, path: &str, what: &str) {
        let shown = if path.is_empty() { "the brief" } else { path };
        self.problem(
            format!("`{shown}` should be {what}, but it is {}", node.describe()),
            Some(node.span),
            path,
            None,
        );
    }

    /// Opens a mapping as a record of the given keys, reporting unknown and
    /// repeated keys.
    fn record<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        what: &str,
        known: &[&str],
    ) -> Option<Record<'n>> {
        let Kind::Mapping(entries) = &node.kind else {
            self.expected(node, path, what);
            return None;
        };
        let record = Record {
            node,
            entries,
            path: path.to_string(),
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in entries.iter() {
            let Kind::Scalar(name) = &key.kind else {
                self.problem(
                    "keys must be plain words such as `title`".into(),
                    Some(key.span),
                    path,
                    None,
                );
                continue;
            };
            let key_path = record.key_path(name);
            if !known.contains(&name.as_str()) {
                let help = match nearest(name, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the keys here are: {}", known.join(", ")),
                };
                let place = if path.is_empty() {
                    String::new()
                } else {
                    format!(" in `{path}`")
                };
                self.problem(
                    format!("unknown key `{name}`{place}"),
                    Some(key.span),
                    &key_path,
                    Some(help),
                );
            } else if seen.contains(&name.as_str()) {
                self.problem(
                    format!("`{key_path}` is given twice"),
                    Some(key.span),
                    &key_path,
                    Some("remove one of them: YAML would silently keep only the last".into()),
                );
            } else {
                seen.push(name);
            }
        }
        self.spans.insert(path.to_string(), node.span);
        Some(record)
    }

    fn missing(&mut self, record: &Record, key: &str) {
        // A misspelt key (`nmae:`) is reported with a suggestion of this very
        // key: saying it is missing too would only repeat that.
        let misspelt = record.entries.iter().any(|(k, _)| {
            matches!(&k.kind, Kind::Scalar(name) if name != key && nearest(name, [key]).is_some())
        });
        if misspelt {
            return;
        }
        let at = if record.path.is_empty() {
            String::new()
        } else {
            format!(" in `{}`", record.path)
        };
        self.problem(
            format!("missing required key `{key}`{at}"),
            Some(record.node.span),
            &record.key_path(key),
            None,
        );
    }

    /// A scalar's text, trimmed and without control characters; `None` (with
    /// a problem) for lists and mappings.
    fn scalar(&mut self, node: &Node, path: &str, what: &str) -> Option<String> {
        self.spans.insert(path.to_string(), node.span);
        match &node.kind {
            Kind::Scalar(text) => Some(self.printable(text, node.span, path).trim().to_string()),
            Kind::Null => Some(String::new()),
            _ => {
                self.expected(node, path, what);
                None
            }
        }
    }

    /// `text` without the control characters that YAML escapes (`"\e"`,
    /// `"\a"`, `"\0"`, `"\x1b"`) can put in a value, with a warning that
    /// names them. They would reach the Markdown summary and the terminal,
    /// where an escape sequence can rewrite what is shown. Tab and newline
    /// are text; a carriage return is not, since YAML turns the file's own
    /// line breaks (CRLF too) into newlines, so one in a value was written
    /// as an escape, and it would let a value overwrite a terminal's line.
    /// Unicode's format characters (joiners, bidirectional marks) are kept:
    /// right-to-left names need them.
    fn printable<'t>(&mut self, text: &'t str, span: Span, path: &str) -> Cow<'t, str> {
        // Every control character is ASCII below 0x20, DEL, or U+0080 to
        // U+009F, which UTF-8 starts with 0xC2: a cheap test for the common
        // case of none, of every byte without stopping early, which the
        // compiler turns into vector instructions.
        let suspect = text.bytes().fold(false, |found, b| {
            found | ((b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F || b == 0xC2)
        });
        if !suspect || !text.chars().any(is_removed_control) {
            return Cow::Borrowed(text);
        }
        let mut found: Vec<char> = Vec::new();
        let kept: String = text
            .chars()
            .filter(|&c| {
                let removed = is_removed_control(c);
                if removed && !found.contains(&c) {
                    found.push(c);
                }
                !removed
            })
            .collect();
        let names: Vec<String> = found.iter().map(|&c| control_name(c)).collect();
        let (what, which) = match names.split_last() {
            Some((one, [])) => (format!("the control character {one}"), "which is"),
            Some((last, first)) => (
                format!("the control characters {} and {last}", first.join(", ")),
                "which are",
            ),
            None => return Cow::Owned(kept),
        };
        let shown = if path.is_empty() { "the brief" } else { path };
        self.warnings.push(Problem {
            message: format!("`{shown}` holds {what}, {which} removed"),
            span: Some(span),
            path: path.to_string(),
            help: Some(
                "control characters do not print, and can disturb a terminal or a CI log; \
                 remove them from the brief (YAML escapes such as `\\e`, `\\a`, `\\0` or `\\x1b` write them)"
                    .into(),
            ),
        });
        Cow::Owned(kept)
    }

    fn text(&mut self, record: &Record, key: &str) -> Option<String> {
        let node = record.get(key)?;
        let path = record.key_path(key);
        self.scalar(node, &path, "text").filter(|t| !t.is_empty())
    }

    fn required_text(&mut self, record: &Record, key: &str) -> Option<String> {
        let Some(node) = record.get(key) else {
            self.missing(record, key);
            return None;
        };
        let path = record.key_path(key);
        let text = self.scalar(node, &path, "text")?;
        if text.is_empty() {
            self.problem(format!("`{path}` is empty"), Some(node.span), &path, None);
            return None;
        }
        Some(text)
    }

    fn markdown(&mut self, record: &Record, key: &str) -> Option<Markdown> {
        let text = self.text(record, key)?;
        Some(self.markdown_value(text, &record.key_path(key))).filter(|m| !m.0.is_empty())
    }

    /// A Markdown value at `path`, without HTML (see [`markup`]: a
    /// directive of the templates left out is a warning), its images read
    /// and checked.
    fn markdown_value(&mut self, text: String, path: &str) -> Markdown {
        let cleaned = super::markup::without_html(&text);
        for directive in &cleaned.directives {
            self.warnings.push(Problem {
                message: format!(
                    "`{path}` holds `{directive}`, a directive of the templates, which is left out"
                ),
                span: self.spans.get(path).copied(),
                path: path.to_string(),
                help: Some(
                    "a brief's Markdown cannot open cards, pages or sections: remove the comment \
                     (HTML comments in a value are left out, other HTML is shown as written)"
                        .into(),
                ),
            });
        }
        let text = cleaned.text;
        for written in images_in_markdown(&text) {
            if let Err(error) = self.images.load(&written) {
                self.image_problem(&error, "the image", &written, path);
            }
        }
        Markdown(text)
    }

    /// An image of the brief that cannot be used, at the value naming it.
    /// `what` is "photo" or "the image".
    fn image_problem(&mut self, error: &ImageError, what: &str, written: &str, path: &str) {
        let message = error.message(what, &self.images.shown(written));
        let help = error.help(what, self.images.rules(), "the folder of the brief");
        let span = self.spans.get(path).copied();
        self.problem(message, span, path, Some(help));
    }

    fn parse_date(&mut self, node: &Node, path: &str) -> Option<NaiveDate> {
        let text = self.scalar(node, path, "a date")?;
        let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 10);
        if parsed.is_none() {
            self.problem(
                format!("`{path}` is not a date: `{text}`"),
                Some(node.span),
                path,
                Some("write dates as YYYY-MM-DD, for example 2025-05-27".into()),
            );
        }
        parsed
    }

    fn date(&mut self, record: &Record, key: &str) -> Option<NaiveDate> {
        let node = record.get(key)?;
        self.parse_date(node, &record.key_path(key))
    }

    fn required_date(&mut self, record: &Record, key: &str) -> Option<NaiveDate> {
        let Some(node) = record.get(key) else {
            self.missing(record, key);
            return None;
        };
        self.parse_date(node, &record.key_path(key))
    }

    fn time(&mut self, record: &Record, key: &str) -> Option<Time> {
        let node = record.get(key)?;
        let path = record.key_path(key);
        let text = self.scalar(node, &path, "a time")?;
        let parsed = parse_time(&text);
        if parsed.is_none() {
            self.problem(
                format!("`{path}` is not a time: `{text}`"),
                Some(node.span),
                &path,
                Some("write times as \"HH:MM\" on the 24-hour clock, in quotes, for example \"09:30\"".into()),
            );
        }
        parsed
    }

    /// Reads each item of an optional list with `item`.
    fn list<T>(
        &mut self,
        record: &Record,
        key: &str,
        mut item: impl FnMut(&mut Self, &Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let Some(node) = record.get(key) else {
            return Vec::new();
        };
        let path = record.key_path(key);
        let Kind::Sequence(items) = &node.kind else {
            self.expected(node, &path, "a list (lines starting with `- `)");
            return Vec::new();
        };
        self.spans.insert(path.clone(), node.span);
        items
            .iter()
            .enumerate()
            .filter_map(|(i, node)| item(self, node, &format!("{path}[{i}]")))
            .collect()
    }

    fn markdown_list(&mut self, record: &Record, key: &str) -> Vec<Markdown> {
        self.list(record, key, |r, node, path| {
            let text = r.scalar(node, path, "text")?;
            Some(r.markdown_value(text, path)).filter(|m| !m.0.is_empty())
        })
    }

    fn name_list(&mut self, record: &Record, key: &str) -> Vec<String> {
        self.list(record, key, |r, node, path| r.scalar(node, path, "a name"))
    }

    fn brief(&mut self, root: &Node) -> Option<Brief> {
        let top = self.record(
            root,
            "",
            "a mapping of keys such as `title:` and `visit:`",
            &keys::BRIEF.names(),
        )?;
        let title = self.required_text(&top, "title");
        let language = self.language(&top);
        let issued = self.date(&top, "issued");
        let event = top.get("event").and_then(|n| self.event(n));
        let visit = match top.get("visit") {
            Some(node) => self.visit(node),
            None => {
                self.missing(&top, "visit");
                None
            }
        };
        let venue = top.get("venue").and_then(|n| self.venue(n));
        let labels = self.labels(&top);
        let status = self.status(&top);
        let brief = Brief {
            subtitle: self.text(&top, "subtitle"),
            classification: self.text(&top, "classification"),
            reference: self.text(&top, "reference"),
            prepared_by: self.text(&top, "prepared_by"),
            delegation: self.list(&top, "delegation", |r, n, p| r.person(n, p, false)),
            counterparts: self.list(&top, "counterparts", |r, n, p| r.person(n, p, false)),
            organizations: self.list(&top, "organizations", Self::organization),
            objectives: self.markdown_list(&top, "objectives"),
            talking_points: self.list(&top, "talking_points", Self::talking_point),
            schedule: self.list(&top, "schedule", Self::schedule_item),
            bilaterals: self.list(&top, "bilaterals", Self::bilateral),
            background: self.markdown(&top, "background"),
            logistics: self.markdown(&top, "logistics"),
            contacts: self.list(&top, "contacts", Self::contact),
            status,
            title: title?,
            language: language?,
            issued,
            event,
            visit: visit?,
            venue,
            labels,
            // Filled in once the whole brief is read.
            images: BriefImages::default(),
            folder: PathBuf::new(),
        };
        Some(brief)
    }

    /// `status: draft` or `final` (the default).
    fn status(&mut self, top: &Record) -> Status {
        let Some(node) = top.get("status") else {
            return Status::Final;
        };
        let Some(word) = self.scalar(node, "status", "`draft` or `final`") else {
            return Status::Final;
        };
        match word.as_str() {
            "draft" => Status::Draft,
            "final" => Status::Final,
            _ => {
                let suggestion = nearest(&word, ["draft", "final"])
                    .map_or_else(String::new, |s| format!("did you mean `{s}`? "));
                self.problem(
                    format!("unknown status `{word}`"),
                    Some(node.span),
                    "status",
                    Some(format!(
                        "{suggestion}a brief is a `draft` (marked as such on every page) or `final`"
                    )),
                );
                Status::Final
            }
        }
    }

    fn language(&mut self, top: &Record) -> Option<Language> {
        let Some(node) = top.get("language") else {
            return Some(Language::En);
        };
        let code = self.scalar(node, "language", "a language code")?;
        let language = Language::from_code(&code);
        if language.is_none() {
            self.problem(
                format!("unknown language `{code}`"),
                Some(node.span),
                "language",
                Some(format!(
                    "use one of {}",
                    Language::ALL.map(|l| format!("`{}`", l.code())).join(", ")
                )),
            );
        }
        language
    }

    fn labels(&mut self, top: &Record) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::new();
        let Some(node) = top.get("labels") else {
            return labels;
        };
        let known: Vec<&str> = crate::i18n::label_keys().collect();
        let Some(record) = self.record(node, "labels", "a mapping of label keys to text", &known)
        else {
            return labels;
        };
        for key in &known {
            if let Some(text) = self.text(&record, key) {
                labels.insert(key.to_string(), one_line(&text));
            }
        }
        labels
    }

    fn visit(&mut self, node: &Node) -> Option<Visit> {
        let record = self.record(
            node,
            "visit",
            "a mapping with `start:` and `end:`",
            &keys::VISIT.names(),
        )?;
        let start = self.required_date(&record, "start");
        let end = self.required_date(&record, "end");
        let timezone = self.text(&record, "timezone");
        if let Some(zone) = &timezone {
            if zone.parse::<chrono_tz::Tz>().is_err() {
                let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
                let help = match nearest(zone, names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        "use an IANA time-zone name such as `Europe/Berlin` or `America/New_York`"
                            .into()
                    }
                };
                let span = self.spans.get("visit.timezone").copied();
                self.problem(
                    format!("unknown time zone `{zone}`"),
                    span,
                    "visit.timezone",
                    Some(help),
                );
            }
        }
        Some(Visit {
            start: start?,
            end: end?,
            timezone,
        })
    }

    fn venue(&mut self, node: &Node) -> Option<Venue> {
        let record = self.record(
            node,
            "venue",
            "a mapping of `name:`, `city:` …",
            &keys::VENUE.names(),
        )?;
        Some(Venue {
            name: self.text(&record, "name"),
            address: self.text(&record, "address"),
            city: self.text(&record, "city"),
            country: self.text(&record, "country"),
        })
    }

    fn event(&mut self, node: &Node) -> Option<Event> {
        let record = self.record(
            node,
            "event",
            "a mapping with `name:`",
            &keys::EVENT.names(),
        )?;
        let name = self.required_text(&record, "name");
        Some(Event {
            host: self.text(&record, "host"),
            description: self.markdown(&record, "description"),
            name: name?,
        })
    }

    /// A person; `institution_allowed` lets `name` be left out when an
    /// `organization` is given (the counterpart of a bilateral meeting).
    fn person(&mut self, node: &Node, path: &str, institution_allowed: bool) -> Option<Person> {
        let record = self.record(
            node,
            path,
            "a person (a mapping with `name:`)",
            &keys::PERSON.names(),
        )?;
        let organization = self.text(&record, "organization");
        let institution_only = institution_allowed && record.get("name").is_none();
        let name = if institution_only {
            None
        } else {
            self.required_text(&record, "name")
        };
        let photo = self.photo(&record);
        if institution_only && organization.is_none() {
            self.problem(
                format!("`{path}` needs a `name` or an `organization`"),
                Some(node.span),
                path,
                Some(
                    "name the person met, or the institution for a meeting with an institution"
                        .into(),
                ),
            );
            return None;
        }
        if name.is_none() && !institution_only {
            return None;
        }
        Some(Person {
            name,
            title: self.text(&record, "title"),
            organization,
            country: self.text(&record, "country"),
            role: self.text(&record, "role"),
            bio: self.markdown(&record, "bio"),
            photo,
        })
    }

    fn photo(&mut self, record: &Record) -> Option<PathBuf> {
        let written = self.text(record, "photo")?;
        let path = record.key_path("photo");
        match self.images.load(&written) {
            Ok(()) => Some(PathBuf::from(written)),
            Err(error) => {
                self.image_problem(&error, "photo", &written, &path);
                None
            }
        }
    }

    fn organization(&mut self, node: &Node, path: &str) -> Option<Organization> {
        let record = self.record(
            node,
            path,
            "an organisation (a mapping with `name:`)",
            &keys::ORGANIZATION.names(),
        )?;
        let name = self.required_text(&record, "name");
        Some(Organization {
            acronym: self.text(&record, "acronym"),
            name: name?,
        })
    }

    fn talking_point(&mut self, node: &Node, path: &str) -> Option<TalkingPoint> {
        if let Kind::Scalar(_) = node.kind {
            let text = self.scalar(node, path, "text")?;
            return Some(TalkingPoint {
                topic: None,
                text: Some(self.markdown_value(text, path)),
                points: Vec::new(),
            });
        }
        let record = self.record(
            node,
            path,
            "a point (text) or a mapping with `topic:` and `points:`",
            &keys::TALKING_POINT.names(),
        )?;
        Some(TalkingPoint {
            topic: Some(self.required_text(&record, "topic")?),
            text: None,
            points: self.markdown_list(&record, "points"),
        })
    }

    fn schedule_item(&mut self, node: &Node, path: &str) -> Option<ScheduleItem> {
        let record = self.record(
            node,
            path,
            "a programme item (a mapping with `date:` and `title:`)",
            &keys::SCHEDULE_ITEM.names(),
        )?;
        // Read every field before giving up on the item, so that all of its
        // problems are reported at once.
        let date = self.required_date(&record, "date");
        let title = self.required_text(&record, "title");
        Some(ScheduleItem {
            start: self.time(&record, "start"),
            end: self.time(&record, "end"),
            location: self.text(&record, "location"),
            attendees: self.name_list(&record, "attendees"),
            notes: self.markdown(&record, "notes"),
            date: date?,
            title: title?,
        })
    }

    fn bilateral(&mut self, node: &Node, path: &str) -> Option<Bilateral> {
        let record = self.record(
            node,
            path,
            "a meeting (a mapping with `with:` and `date:`)",
            &keys::BILATERAL.names(),
        )?;
        let with = match record.get("with") {
            Some(node) => self.person(node, &record.key_path("with"), true),
            None => {
                self.missing(&record, "with");
                None
            }
        };
        let date = self.required_date(&record, "date");
        Some(Bilateral {
            start: self.time(&record, "start"),
            end: self.time(&record, "end"),
            location: self.text(&record, "location"),
            attendees: self.name_list(&record, "attendees"),
            objectives: self.markdown_list(&record, "objectives"),
            their_objectives: self.markdown_list(&record, "their_objectives"),
            talking_points: self.list(&record, "talking_points", Self::talking_point),
            if_raised: self.list(&record, "if_raised", Self::talking_point),
            press_line: self.markdown(&record, "press_line"),
            notes: self.markdown(&record, "notes"),
            date: date?,
            with: with?,
        })
    }

    fn contact(&mut self, node: &Node, path: &str) -> Option<Contact> {
        let record = self.record(
            node,
            path,
            "a contact (a mapping with `name:`)",
            &keys::CONTACT.names(),
        )?;
        let name = self.required_text(&record, "name");
        Some(Contact {
            name: name?,
            role: self.text(&record, "role"),
            phone: self.text(&record, "phone"),
            email: self.email(&record),
        })
    }

    /// A contact's e-mail address, a `mailto:` written before it removed
    /// with a warning: the link is made from the address, and the prefix
    /// would show in the text and be doubled in the link.
    fn email(&mut self, record: &Record) -> Option<String> {
        let text = self.text(record, "email")?;
        let prefix = "mailto:";
        let written = match text.get(..prefix.len()) {
            Some(written) if written.eq_ignore_ascii_case(prefix) => written.to_string(),
            _ => return Some(text),
        };
        let address = text[prefix.len()..].trim_start().to_string();
        let path = record.key_path("email");
        self.warnings.push(Problem {
            message: format!("`{path}` starts with `{written}`, which is removed"),
            span: self.spans.get(&path).copied(),
            path,
            help: Some(
                "write the address alone, such as `name@example.org`: the `mailto:` link is made from it"
                    .into(),
            ),
        });
        Some(address).filter(|a| !a.is_empty())
    }
}

/// `text` on one line: each line break, with the spaces around it, becomes
/// one space. A label is a heading, a pointer, a word in a directive of the
/// templates (`<!-- see: … -->`), which a line break would end; other
/// one-line values are put on one line as they are set
/// (`templates::escape::markdown`).
fn one_line(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_string();
    }
    let lines: Vec<&str> = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    lines.join(" ")
}

/// A control character that is removed from values: any but tab and newline.
fn is_removed_control(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// `U+001B (escape)`: the code, and the name of the ones people meet.
fn control_name(c: char) -> String {
    let name = match c {
        '\0' => " (null)",
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\r' => " (carriage return)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        '\u{85}' => " (next line)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// `HH:MM` on the 24-hour clock; `9:30` is accepted too.
fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (hour, minute) = (h.parse().ok()?, m.parse().ok()?);
    (hour < 24 && minute < 60).then_some(Time { hour, minute })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_put_on_one_line() {
        assert_eq!(one_line("Obj\n\nX"), "Obj X");
        assert_eq!(one_line("  a \n  b\n"), "a b");
        assert_eq!(one_line("Ziele"), "Ziele");
    }

    #[test]
    fn times_on_the_24_hour_clock() {
        assert_eq!(
            parse_time("09:30"),
            Some(Time {
                hour: 9,
                minute: 30
            })
        );
        assert_eq!(
            parse_time("9:30"),
            Some(Time {
                hour: 9,
                minute: 30
            })
        );
        assert_eq!(
            parse_time("23:59"),
            Some(Time {
                hour: 23,
                minute: 59
            })
        );
        for bad in [
            "24:00", "09:60", "0930", "9.30", "09:3", "", "ab:cd", "09:30:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
