//! The `briefing` command as a user meets it: one file per feature.

mod batch;
mod check;
mod docs;
mod generate;
mod hostile;
mod images;
mod new;
mod pack;
mod pdf;
mod render;
mod support;
mod templates;
mod theme;
mod tools;
