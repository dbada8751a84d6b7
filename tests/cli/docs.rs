//! The documentation says what the program does: these keep the two in step.

const BRIEF_FORMAT: &str = include_str!("../../docs/brief-format.md");

#[test]
fn every_label_is_documented_in_every_language() {
    for (key, en, de, fr, ar) in briefing::i18n::LABELS {
        let row = format!("| `{key}` | {en} | {de} | {fr} | {ar} |");
        assert!(
            BRIEF_FORMAT.contains(&row),
            "docs/brief-format.md lacks the row {row}"
        );
    }
}

#[test]
fn the_complete_example_is_the_starter_brief() {
    assert!(BRIEF_FORMAT.contains(briefing::templates::STARTER_BRIEF.trim_end()));
}

/// The text of a section of docs/brief-format.md: from its `### heading`
/// to the next heading.
fn section(heading: &str) -> &'static str {
    let start = BRIEF_FORMAT
        .find(&format!("\n### {heading}\n"))
        .unwrap_or_else(|| panic!("docs/brief-format.md has no section `### {heading}`"));
    let body = &BRIEF_FORMAT[start + heading.len() + 6..];
    let end = body.find("\n#").unwrap_or(body.len());
    &body[..end]
}

#[test]
fn every_key_of_the_format_is_documented_in_its_section() {
    for object in briefing::brief::keys::OBJECTS {
        let text = section(object.heading);
        for key in object.keys {
            assert!(
                text.contains(&format!("`{}`", key.name)),
                "docs/brief-format.md, section `{}`, does not list the key `{}`",
                object.heading,
                key.name
            );
        }
        // A key in a table of the section is a key of the format.
        for row in text.lines().filter(|line| line.starts_with("| `")) {
            let cell = row[2..].split(" |").next().unwrap();
            for name in cell.split(", ").map(|name| name.trim_matches('`')) {
                assert!(
                    object.key(name).is_some(),
                    "docs/brief-format.md, section `{}`, lists `{name}`, which is no key there",
                    object.heading
                );
            }
        }
    }
}

const TEMPLATES: &str = include_str!("../../docs/templates.md");

#[test]
fn the_templates_documented_are_the_files_export_writes() {
    let mut documented: Vec<&str> = TEMPLATES
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|name| name.ends_with(".hbs") || name.ends_with(".yaml"))
        .collect();
    documented.sort();
    let mut embedded: Vec<&str> = briefing::templates::DEFAULTS
        .iter()
        .map(|(name, _)| *name)
        .chain([briefing::templates::THEME_FILE])
        .collect();
    embedded.sort();
    assert_eq!(
        documented, embedded,
        "docs/templates.md lists the files of `templates export`"
    );
}

#[test]
fn every_field_a_template_sees_besides_the_brief_is_documented() {
    let specimen = briefing::templates::specimen_brief();
    let view = serde_json::to_value(briefing::templates::View::new(&specimen)).unwrap();
    let brief = serde_json::to_value(&specimen).unwrap();
    for field in view.as_object().unwrap().keys() {
        if brief.get(field).is_some() {
            continue;
        }
        assert!(
            TEMPLATES.contains(&format!("`{field}`")),
            "docs/templates.md does not document the field `{field}`"
        );
    }
}
