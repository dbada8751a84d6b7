//! The `briefing` command as a user meets it: one file per feature.

mod batch;
mod cards;
mod check;
mod defaults;
mod docs;
mod furniture;
mod generate;
mod hostile;
mod hostile_inputs;
mod hostile_templates;
mod hostile_theme;
mod images;
mod large;
mod new;
mod outputs;
mod pack;
mod pdf;
mod programme;
mod render;
mod schema;
mod scripts;
mod standards;
mod support;
mod templates;
mod theme;
mod tools;
