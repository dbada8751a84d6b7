//! `briefing watch`: render, then render again what each save touches.

use super::*;

/// What `briefing watch` is asked to do.
pub(super) struct WatchRequest<'a> {
    pub(super) out_dir: &'a Path,
    pub(super) template_dir: Option<&'a Path>,
    /// Open each PDF in the system's viewer after its first render.
    pub(super) open: bool,
    pub(super) formats: Vec<render::Format>,
}

/// How long the file events of one save are gathered before the render:
/// an editor's save is often several events (write, rename, attributes).
/// Short, because it is most of the wait (a warm render of the German
/// example takes a few milliseconds; at 20 ms the median save took 25 ms
/// to become a PDF, at 5 ms 10-13 ms); a late event of the same save
/// finds the file's modification time unchanged and renders nothing.
const WATCH_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(5);

/// A path as events name it: absolute, links resolved where it exists.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// An editor's scratch file beside the brief, not a photo: hidden
/// (`.visit.yaml.swp`, `.#visit.yaml`, a save's temporary `.tmp123`) or a
/// backup (`visit.yaml~`). A save of the brief writes one, then the brief:
/// one render, not two.
fn editors_scratch(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with('.') || name.ends_with('~'))
}

/// `briefing watch`: renders every brief, then, on each change, those it
/// touches: a brief, itself; a template or the theme, all of them (with the
/// templates loaded again); anything else in a brief's folder (a photo), the
/// briefs of that folder. The renderer (templates compiled, fonts mapped)
/// is built once and kept. Ctrl-C ends it through the signal handler, which
/// removes any temporary file first.
pub(super) fn watch(
    paths: &[PathBuf],
    request: &WatchRequest,
    sources: &InputOptions,
    pdf: &PdfOptions,
) -> bool {
    use notify_debouncer_mini::notify::RecursiveMode;
    if paths.iter().any(|path| path == Path::new(files::STDIN)) {
        usage_error_of(
            "watch",
            "standard input (`-`) cannot be watched: name the brief's file".into(),
        );
    }
    let options = BatchOptions {
        jobs: None,
        quiet: false,
        message_format: MessageFormat::Human,
    };
    let reporter = Reporter { options: &options };
    let load = || renderer(request.template_dir, sources, &reporter).map(|r| pdf.apply(r));
    let Some(mut renderer) = load() else {
        return false;
    };
    let destination = render::Destination::Folder(request.out_dir.to_path_buf());
    let formats = &request.formats;
    let mut opened: BTreeSet<PathBuf> = BTreeSet::new();
    let mut render_these = |renderer: &Renderer, briefs: &[PathBuf]| {
        let started = Instant::now();
        let reports = render::batch(
            briefs,
            |input| renderer.render(input, &destination, formats),
            |_| {},
        );
        for report in &reports {
            reporter.report(report);
            let pdf = report
                .outputs
                .iter()
                .find(|path| path.extension().is_some_and(|e| e == "pdf"));
            if let Some(pdf) = pdf.filter(|_| request.open) {
                if opened.insert(pdf.clone()) {
                    if let Err(error) = opener::open(pdf) {
                        let mut warning = Diagnostic::error(
                            pdf,
                            format!("cannot open the PDF in a viewer: {error}"),
                        )
                        .with_help(Some("open it yourself: it is written all the same".into()));
                        warning.severity = Severity::Warning;
                        reporter.diagnostics(&[warning], None);
                    }
                }
            }
        }
        let failed = reports.iter().filter(|r| r.failed()).count();
        say_err!(
            "{} rendered, {failed} failed ({:.2} s); watching for changes (Ctrl-C stops)",
            plural(reports.len() - failed, "brief", "briefs"),
            started.elapsed().as_secs_f64()
        );
    };
    // Reading a file is an event too (inotify's open and close): a file
    // counts as changed only when its modification time moved since it was
    // last looked at (or, the first time, since the watch began), or when
    // it vanished or came back. The briefs are known from the start: a
    // deleted brief is one change (one error), its return another.
    let began = std::time::SystemTime::now();
    let modified_time = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut known: BTreeMap<PathBuf, Option<std::time::SystemTime>> = render::expand_inputs(paths)
        .iter()
        .map(|brief| (absolute(brief), modified_time(brief)))
        .collect();
    // Its own log (`watch visit.yaml 2> log.txt` beside the brief) is not
    // a change: else each render would write a line that renders again.
    let own_streams = files::FileId::of_standard_streams();
    let (sender, events) = std::sync::mpsc::channel();
    let mut debouncer = match notify_debouncer_mini::new_debouncer(WATCH_DEBOUNCE, sender) {
        Ok(debouncer) => debouncer,
        Err(error) => {
            print_diagnostics(
                &[Diagnostic::error(
                    paths.first().map_or(Path::new("."), PathBuf::as_path),
                    format!("cannot watch for changes: {error}"),
                )],
                None,
            );
            return false;
        }
    };
    // A brief's folder is watched whole: its photos are there or below.
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    for path in paths {
        let path = absolute(path);
        if path.is_dir() {
            folders.insert(path);
        } else if let Some(parent) = path.parent() {
            folders.insert(parent.to_path_buf());
        }
    }
    let template_dir = request.template_dir.map(absolute);
    folders.extend(template_dir.clone());
    for folder in &folders {
        if let Err(error) = debouncer.watcher().watch(folder, RecursiveMode::Recursive) {
            print_diagnostics(
                &[Diagnostic::error(
                    folder,
                    format!("cannot watch the folder for changes: {error}"),
                )],
                None,
            );
            return false;
        }
    }
    // Watched before the first render: a save during it is not lost.
    let (briefs, _) = inputs_or_report(paths, &reporter);
    render_these(&renderer, &briefs);
    // Now that the first render made it, the outputs folder's own name.
    let out_dir = absolute(request.out_dir);
    for batch in events {
        let Ok(batch) = batch else {
            continue;
        };
        let changed: Vec<PathBuf> = batch
            .into_iter()
            .map(|event| event.path)
            .filter(|path| !path.starts_with(&out_dir))
            .filter(|path| files::FileId::of(path).is_none_or(|file| !own_streams.contains(&file)))
            .filter(|path| {
                let now = modified_time(path);
                match (known.insert(path.clone(), now), now) {
                    (None, Some(time)) => time > began,
                    (Some(before), now) => before != now,
                    (None, None) => false,
                }
            })
            .collect();
        if changed.is_empty() {
            continue;
        }
        // Briefs added to a folder since are rendered too.
        let briefs = render::expand_inputs(paths);
        let in_templates =
            |path: &PathBuf| template_dir.as_ref().is_some_and(|t| path.starts_with(t));
        let todo: Vec<PathBuf> = if changed
            .iter()
            .any(|path| in_templates(path) && !editors_scratch(path))
        {
            // The templates and theme again, kept only if they load.
            match load() {
                Some(reloaded) => renderer = reloaded,
                None => continue,
            }
            briefs
        } else {
            briefs
                .into_iter()
                .filter(|brief| {
                    let brief_path = absolute(brief);
                    let folder = brief_path
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    changed.iter().any(|path| {
                        *path == brief_path
                            || (render::Format::of_file(path).is_none()
                                && path.extension().is_none_or(|e| e != "yaml" && e != "yml")
                                && !editors_scratch(path)
                                && path.starts_with(&folder))
                    })
                })
                .collect()
        };
        if !todo.is_empty() {
            render_these(&renderer, &todo);
        }
    }
    true
}
