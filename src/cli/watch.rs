//! `briefing watch`: render, then render again what each save touches.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, SystemTime};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

use super::*;

/// What `briefing watch` is asked to do.
pub(super) struct WatchRequest<'a> {
    pub(super) out_dir: &'a Path,
    pub(super) template_dir: Option<&'a Path>,
    /// Open each PDF in the system's viewer after its first render.
    pub(super) open: bool,
    pub(super) formats: Vec<render::Format>,
}

/// How long a file written and not yet closed is waited on. Where the
/// system reports a file's close (inotify, on Linux) a save is rendered the
/// moment the editor closes the file or renames it into place, so a brief is
/// never read half written; this only bounds the wait for a writer that keeps
/// the file open (a second without a write, then it is rendered as it is).
/// The render now starts 0.14 ms (median) after the save's close, where the
/// 5 ms gathering of events it replaces was half of the time from a save to
/// its PDF (German example, runs in turn: median 6.1-10.9 ms against
/// 9.7-10.1 ms, minimum 4.4 ms against 8.9 ms; BENCHMARKS.md).
const UNCLOSED_WRITE_WAIT: Duration = Duration::from_secs(1);

/// Where the system does not report closes (FSEvents, kqueue, Windows): the
/// events of one save are gathered until none came for this long, as
/// before (at 20 ms the median save took 25 ms to become a PDF, at 5 ms
/// 10-13 ms).
const QUIET_WITHOUT_CLOSES: Duration = Duration::from_millis(5);

/// How long a round with an error waits, unshown, for the next save. A save
/// in two steps (emptied by `: > visit.yaml`, then written; moved away, then
/// its new version renamed in) can be caught in between; its error is then
/// never shown, and the round is done again with the brief whole. A real
/// error shows this much later than the render, which nobody notices.
const ERROR_GRACE: Duration = Duration::from_millis(200);

/// What tells a file's versions apart: its modification time and its size
/// (the size too, for two saves within one tick of a coarse clock).
#[derive(Clone, Copy, PartialEq)]
struct Stamp {
    modified: SystemTime,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: metadata.modified().ok()?,
            len: metadata.len(),
        })
    }
}

/// The saves of the watched files, as the events tell them: those under
/// way (written, not yet closed), those settling and those done.
struct Saves {
    /// How long a write not closed is waited on: [`UNCLOSED_WRITE_WAIT`],
    /// or [`QUIET_WITHOUT_CLOSES`] where closes are not reported.
    unclosed_wait: Duration,
    /// Each file being written, with the time of its last write.
    writing: BTreeMap<PathBuf, Instant>,
    /// Files other than briefs whose save is done, with the time of their
    /// last event: looked at after [`QUIET_WITHOUT_CLOSES`] without one.
    /// A save by `sed -i` writes the brief whole beside it (`sedAb12Cd`),
    /// then renames it over the brief: looked at at once, that file would
    /// be a change in the brief's folder (as a photo is) and render the
    /// brief as it was, before the render of the save.
    settling: BTreeMap<PathBuf, Instant>,
    /// Briefs closed after a write, renamed, removed, or their attributes
    /// set, and files settled: ready to be looked at.
    done: BTreeSet<PathBuf>,
}

impl Saves {
    fn new(closes_reported: bool) -> Saves {
        Saves {
            unclosed_wait: if closes_reported {
                UNCLOSED_WRITE_WAIT
            } else {
                QUIET_WITHOUT_CLOSES
            },
            writing: BTreeMap::new(),
            settling: BTreeMap::new(),
            done: BTreeSet::new(),
        }
    }

    /// A file opened or read (the render's own reads among them) is no
    /// save: nothing to note.
    fn only_read(kind: &EventKind) -> bool {
        matches!(kind, EventKind::Access(access) if *access != AccessKind::Close(AccessMode::Write))
    }

    /// A brief (or the theme): rendered the moment its save is done.
    fn is_brief(path: &Path) -> bool {
        path.extension().is_some_and(|e| e == "yaml" || e == "yml")
    }

    fn note(&mut self, kind: &EventKind, path: PathBuf, now: Instant) {
        match kind {
            _ if Saves::only_read(kind) => {}
            EventKind::Modify(ModifyKind::Metadata(_)) if self.writing.contains_key(&path) => {}
            // Closed after a write, renamed, removed; `touch`, `chmod`.
            EventKind::Access(_)
            | EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_))
            | EventKind::Remove(_)
            | EventKind::Create(CreateKind::Folder) => {
                self.writing.remove(&path);
                self.saved(path, now);
            }
            // A write, a truncation, a file created (its content follows),
            // or an event of no known kind: wait for the close.
            _ => {
                self.done.remove(&path);
                self.settling.remove(&path);
                self.writing.insert(path, now);
            }
        }
    }

    fn saved(&mut self, path: PathBuf, now: Instant) {
        if Saves::is_brief(&path) {
            self.done.insert(path);
        } else {
            self.settling.insert(path, now);
        }
    }

    fn is_writing(&self, path: &Path) -> bool {
        self.writing.contains_key(path)
    }

    /// When the next file waited on is due: an unclosed write, a file
    /// settling.
    fn due(&self) -> Option<Instant> {
        let writes = self.writing.values().map(|last| *last + self.unclosed_wait);
        let settled = self
            .settling
            .values()
            .map(|last| *last + QUIET_WITHOUT_CLOSES);
        writes.chain(settled).min()
    }

    /// The files ready to be looked at, writes left unclosed and files
    /// settled among them; each is handed out once.
    fn take_done(&mut self, now: Instant) -> BTreeSet<PathBuf> {
        let wait = self.unclosed_wait;
        self.writing.retain(|path, last| {
            let waiting = now < *last + wait;
            if !waiting {
                self.done.insert(path.clone());
            }
            waiting
        });
        self.settling.retain(|path, last| {
            let settling = now < *last + QUIET_WITHOUT_CLOSES;
            if !settling {
                self.done.insert(path.clone());
            }
            settling
        });
        std::mem::take(&mut self.done)
    }
}

/// One render of the briefs a change touched, and what it reported.
struct Round {
    briefs: Vec<PathBuf>,
    reports: Vec<Report>,
    took: Duration,
}

impl Round {
    fn failed(&self) -> usize {
        self.reports.iter().filter(|r| r.failed()).count()
    }
}

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
    let render_round = |renderer: &Renderer, briefs: Vec<PathBuf>| {
        let started = Instant::now();
        let reports = render::batch(
            &briefs,
            |input| renderer.render(input, &destination, formats),
            |_| {},
        );
        Round {
            briefs,
            reports,
            took: started.elapsed(),
        }
    };
    let mut show = |round: Round| {
        for report in &round.reports {
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
        let failed = round.failed();
        say_err!(
            "{} rendered, {failed} failed ({:.2} s); watching for changes (Ctrl-C stops)",
            plural(round.reports.len() - failed, "brief", "briefs"),
            round.took.as_secs_f64()
        );
    };
    // Reading a file is an event too (inotify's open and close): a file
    // counts as changed only when its modification time or size moved
    // since it was last looked at (or, the first time, since the watch
    // began), or when it vanished or came back. The briefs are known from
    // the start: a deleted brief is one change (one error), its return
    // another.
    let began = SystemTime::now();
    let mut known: BTreeMap<PathBuf, Option<Stamp>> = render::expand_inputs(paths)
        .iter()
        .map(|brief| (absolute(brief), Stamp::of(brief)))
        .collect();
    // Its own log (`watch visit.yaml 2> log.txt` beside the brief) is not
    // a change: else each render would write a line that renders again.
    let own_streams = files::FileId::of_standard_streams();
    let (sender, events) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
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
        if let Err(error) = watcher.watch(folder, RecursiveMode::Recursive) {
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
    show(render_round(&renderer, briefs));
    // Now that the first render made it, the outputs folder's own name.
    let out_dir = absolute(request.out_dir);
    let ours = |path: &Path| {
        path.starts_with(&out_dir)
            || files::FileId::of(path).is_some_and(|file| own_streams.contains(&file))
    };
    let closes_reported = notify::RecommendedWatcher::kind() == notify::WatcherKind::Inotify;
    let mut saves = Saves::new(closes_reported);
    let being_written = |saves: &Saves, round: &Round| {
        round
            .briefs
            .iter()
            .any(|brief| saves.is_writing(&absolute(brief)))
    };
    // A round with an error, not shown yet, and when it will be.
    let mut held: Option<(Round, Instant)> = None;
    loop {
        // The next event, or the time an unclosed write or a held round is
        // due; then every event already there, for one round.
        // (A held round whose brief is being written again waits for that
        // write instead.)
        let held_due = held
            .as_ref()
            .filter(|(round, _)| !being_written(&saves, round))
            .map(|(_, due)| *due);
        let due = [saves.due(), held_due].into_iter().flatten().min();
        let first = match due {
            None => match events.recv() {
                Ok(event) => Some(event),
                Err(_) => break,
            },
            Some(due) => match events.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(event) => Some(event),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        for event in first
            .into_iter()
            .chain(std::iter::from_fn(|| events.try_recv().ok()))
        {
            let Ok(event) = event else {
                continue;
            };
            // Events were lost (the system's queue overflowed): every file
            // known is looked at again.
            if event.need_rescan() {
                saves.done.extend(known.keys().cloned());
            }
            if Saves::only_read(&event.kind) {
                continue;
            }
            let now = Instant::now();
            for path in event.paths {
                if !ours(&path) {
                    saves.note(&event.kind, path, now);
                }
            }
        }
        let changed: Vec<PathBuf> = saves
            .take_done(Instant::now())
            .into_iter()
            .filter(|path| {
                let now = Stamp::of(path);
                match (known.insert(path.clone(), now), now) {
                    (None, Some(stamp)) => stamp.modified > began,
                    (Some(before), now) => before != now,
                    (None, None) => false,
                }
            })
            .collect();
        let touched = if changed.is_empty() {
            Vec::new()
        } else {
            // Briefs added to a folder since are rendered too.
            let briefs = render::expand_inputs(paths);
            let in_templates =
                |path: &PathBuf| template_dir.as_ref().is_some_and(|t| path.starts_with(t));
            if changed
                .iter()
                .any(|path| in_templates(path) && !editors_scratch(path))
            {
                // The templates and theme again, kept only if they load.
                match load() {
                    Some(reloaded) => {
                        renderer = reloaded;
                        briefs
                    }
                    None => Vec::new(),
                }
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
            }
        };
        let todo = match held.take() {
            // A change after a round with an error: that round is done again
            // with it, its error never shown.
            Some((round, _)) if !touched.is_empty() => render::expand_inputs(paths)
                .into_iter()
                .filter(|brief| touched.contains(brief) || round.briefs.contains(brief))
                .collect(),
            // Shown once due, unless a brief of it is being written again.
            Some((round, due)) => {
                if Instant::now() >= due && !being_written(&saves, &round) {
                    show(round);
                } else {
                    held = Some((round, due));
                }
                Vec::new()
            }
            None => touched,
        };
        if todo.is_empty() {
            continue;
        }
        let round = render_round(&renderer, todo);
        if round.failed() > 0 {
            held = Some((round, Instant::now() + ERROR_GRACE));
        } else {
            show(round);
        }
    }
    true
}
