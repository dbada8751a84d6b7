//! `briefing man`: manual pages from the same definitions as `--help`.

use super::*;

/// `briefing man`: the main page on stdout, or every page into `dir`.
pub(super) fn manual(dir: Option<&Path>) -> bool {
    let command = <Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let mut page = Vec::new();
        if clap_mangen::Man::new(command).render(&mut page).is_err() {
            return false;
        }
        let _ = std::io::stdout().lock().write_all(&page);
        return true;
    };
    // Every page first, then all checked, then all written (or none): a
    // link where a page goes is refused, not written through, and a page
    // that cannot be written leaves no others half done.
    if let Some((in_the_way, kind)) = files::folder_in_the_way(dir) {
        print_diagnostics(
            &[Diagnostic::error(
                dir,
                format!(
                    "cannot write the manual pages: `{}` is {kind}, not a folder",
                    display_path(&in_the_way)
                ),
            )],
            None,
        );
        return false;
    }
    let mut pages: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if manual_pages(command.disable_help_subcommand(true), dir, &mut pages).is_err() {
        return false;
    }
    pages.sort();
    let outputs: Vec<files::Output> = pages
        .iter()
        .map(|(path, _)| files::Output {
            path,
            what: "manual page",
        })
        .collect();
    let problems = files::check_outputs(&outputs, &files::Inputs::default());
    if let Some((_, problem)) = problems.first() {
        let mut diagnostic = problem.diagnostic("write the pages into another folder");
        let reason = diagnostic.message.trim_start_matches("cannot write: ");
        diagnostic.message = format!("cannot write the manual pages: {reason}");
        print_diagnostics(&[diagnostic], None);
        return false;
    }
    let contents: Vec<(&Path, &[u8])> = pages
        .iter()
        .map(|(path, page)| (path.as_path(), page.as_slice()))
        .collect();
    match files::write_together(&contents) {
        Ok(()) => {
            for (page, _) in &pages {
                say_err!("wrote {}", display_path(page));
            }
            true
        }
        Err(diagnostic) => {
            print_diagnostics(&[*diagnostic], None);
            false
        }
    }
}

/// The manual pages of `command` and its subcommands, as
/// `clap_mangen::generate_to` names them (`briefing-render.1`), in `dir`.
fn manual_pages(
    mut command: clap::Command,
    dir: &Path,
    pages: &mut Vec<(PathBuf, Vec<u8>)>,
) -> std::io::Result<()> {
    command.build();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        manual_pages(sub.clone(), dir, pages)?;
    }
    let man = clap_mangen::Man::new(command);
    let mut page = Vec::new();
    man.render(&mut page)?;
    pages.push((dir.join(man.get_filename()), page));
    Ok(())
}
