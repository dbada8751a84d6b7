//! The `briefing` command as a user meets it: one file per feature.

mod check;
mod docs;
mod hostile;
mod new;
mod render;
mod support;
mod templates;
