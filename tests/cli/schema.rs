//! `briefing schema`: the JSON Schema editors check briefs with, tried here
//! with an independent validator on the example briefs and on mistakes.

use std::path::Path;

use crate::support::{briefing, briefing_in};

fn schema() -> serde_json::Value {
    let run = briefing(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    serde_json::from_str(&run.stdout).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).expect("the schema is a draft-07 schema")
}

/// A brief as an editor's YAML server reads it: YAML to a JSON value.
fn as_json(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).expect("the brief is YAML")
}

/// What the validator says of a brief: `(where, what)` for each error.
fn errors(validator: &jsonschema::Validator, yaml: &str) -> Vec<(String, String)> {
    let brief = as_json(yaml);
    validator
        .iter_errors(&brief)
        .map(|error| (error.instance_path().to_string(), error.to_string()))
        .collect()
}

#[test]
fn every_example_brief_passes_the_schema() {
    let validator = validator();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut briefs: Vec<_> = std::fs::read_dir(repo.join("briefs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    briefs.sort();
    assert_eq!(briefs.len(), 3, "{briefs:?}");
    briefs.push(repo.join("tests/fixtures/valid_minimal.yaml"));
    for brief in briefs {
        let text = std::fs::read_to_string(&brief).unwrap();
        assert_eq!(errors(&validator, &text), [], "{}", brief.display());
    }
    let starter = briefing::templates::STARTER_BRIEF;
    assert_eq!(errors(&validator, starter), []);
}

#[test]
fn a_misspelt_key_fails_the_schema() {
    let validator = validator();
    let brief = "title: A visit\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\n  timezone: Europe/Berlin\ndelegation:\n  - name: Jane Doe\n    titel: Minister\n";
    let found = errors(&validator, brief);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "/delegation/0");
    assert!(found[0].1.contains("'titel' was unexpected"), "{found:?}");
}

#[test]
fn a_wrong_type_fails_the_schema() {
    let validator = validator();
    let found = errors(
        &validator,
        "title: A visit\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\ndelegation: Jane Doe\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "/delegation");
    assert!(
        found[0].1.contains("is not of types \"null\", \"array\""),
        "{found:?}"
    );
}

#[test]
fn dates_times_languages_and_zones_are_checked_as_the_reader_checks_them() {
    let validator = validator();
    let brief = |extra: &str| {
        format!("title: A visit\nvisit:\n  start: 2026-02-10\n  end: 2026-02-11\n{extra}")
    };
    let wrong = [
        ("language: es\n", "/language"),
        ("issued: 10.02.2026\n", "/issued"),
        (
            "visit:\n  start: 2026-02-10\n  end: 2026-02-11\n  timezone: Europe/Berln\n",
            "",
        ),
        (
            "schedule:\n  - date: 2026-02-10\n    title: Lunch\n    start: \"24:00\"\n",
            "/schedule/0/start",
        ),
    ];
    for (extra, path) in wrong {
        let text = if extra.starts_with("visit:") {
            format!("title: A visit\n{extra}")
        } else {
            brief(extra)
        };
        let found = errors(&validator, &text);
        assert_eq!(found.len(), 1, "{extra}: {found:?}");
        if !path.is_empty() {
            assert_eq!(found[0].0, path, "{extra}");
        }
    }
    for right in [
        "language: ar\n",
        "issued: 2026-01-15\n",
        "schedule:\n  - date: 2026-02-10\n    title: Lunch\n    start: \"9:30\"\n",
        "venue:\n",
        "reference: 12345\n",
    ] {
        assert_eq!(errors(&validator, &brief(right)), [], "{right}");
    }
}

#[test]
fn the_fixtures_the_reader_refuses_for_their_keys_fail_the_schema_too() {
    let validator = validator();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in [
        "missing_title.yaml",
        "missing_visit.yaml",
        "missing_visit_end.yaml",
        "unknown_key.yaml",
        "unknown_nested_key.yaml",
        "unknown_label.yaml",
        "unknown_language.yaml",
        "unknown_timezone.yaml",
        "date_not_iso.yaml",
        "time_not_24_hour.yaml",
        "list_expected.yaml",
        "event_without_name.yaml",
        "bilateral_with_nobody.yaml",
    ] {
        let text = std::fs::read_to_string(fixtures.join(name)).unwrap();
        assert_ne!(errors(&validator, &text), [], "{name} passes the schema");
    }
}

#[test]
fn the_schema_is_draft_07_and_describes_each_key() {
    let schema = schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["properties"]["title"]["description"],
        "The title of the briefing, on its cover and at the top of the summary."
    );
    assert_eq!(schema["required"], serde_json::json!(["title", "visit"]));
    let languages: Vec<&str> = briefing::i18n::Language::ALL
        .iter()
        .map(|l| l.code())
        .collect();
    let mut listed = languages
        .iter()
        .map(|&code| serde_json::Value::from(code))
        .collect::<Vec<_>>();
    listed.push(serde_json::Value::Null);
    assert_eq!(
        schema["properties"]["language"]["enum"],
        serde_json::Value::Array(listed)
    );
    let zones = schema["definitions"]["visit"]["properties"]["timezone"]["enum"]
        .as_array()
        .unwrap();
    assert!(zones.contains(&"Europe/Moscow".into()));
}

#[test]
fn new_writes_the_schema_beside_the_brief_and_names_it_on_the_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = briefing_in(dir.path(), &["new", "briefs/visit.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "wrote briefs/brief.schema.json, the JSON Schema editors check briefs with\n\
         wrote briefs/visit.yaml: edit it, then run `briefing check briefs/visit.yaml`\n"
    );
    let brief = std::fs::read_to_string(dir.path().join("briefs/visit.yaml")).unwrap();
    assert_eq!(
        brief.lines().next(),
        Some("# yaml-language-server: $schema=brief.schema.json")
    );
    let written = std::fs::read_to_string(dir.path().join("briefs/brief.schema.json")).unwrap();
    assert_eq!(written, briefing(&["schema"]).stdout);
    // A schema there already is the user's: kept as it is.
    std::fs::write(dir.path().join("briefs/brief.schema.json"), "{}\n").unwrap();
    let again = briefing_in(dir.path(), &["new", "briefs/other.yaml"]);
    assert_eq!(
        again.stderr,
        "wrote briefs/other.yaml: edit it, then run `briefing check briefs/other.yaml`\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("briefs/brief.schema.json")).unwrap(),
        "{}\n"
    );
}

#[test]
fn the_format_documentation_is_printed_by_the_binary() {
    let run = briefing(&["schema", "--markdown"]);
    assert_eq!(run.code, 0);
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/brief-format.md"))
            .unwrap();
    assert_eq!(run.stdout, docs);
}

#[test]
fn help_points_to_what_the_binary_prints_not_to_a_file_it_lacks() {
    let run = briefing(&["--help"]);
    assert!(
        run.stdout.contains(
            "The brief format: `briefing schema --markdown` (its JSON Schema, for editors: `briefing schema`)."
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("docs/brief-format.md"));
    assert!(!briefing::templates::STARTER_BRIEF.contains("docs/"));
}
