//! The `briefing` command as a user meets it: one file per feature.

mod batch;
mod calendar;
mod check;
mod docs;
mod generate;
mod github;
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
mod render;
mod scripts;
mod shell;
mod standards;
mod stdio;
mod support;
mod templates;
mod theme;
mod tools;
mod watch;
