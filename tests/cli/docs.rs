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
