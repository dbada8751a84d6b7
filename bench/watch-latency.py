#!/usr/bin/env python3
"""Time from a save of the German example to its new PDF in place, under
`briefing watch` (issues 13 and 14). Not a timed test: run by hand,
figures go to BENCHMARKS.md.

    cargo build --release && bench/watch-latency.py [BINARY] [RUNS]

The brief is copied (with its photos) into a temporary folder and watched.
Each run writes the brief with one of two subtitles, in turn (interleaved:
every other save changes the PDF back), takes the time just before the
write, and waits for the PDF to be replaced: a new file (the rename of the
atomic write), not a file being written. On Linux it waits as a viewer
does, on inotify's report of the rename into the outputs folder, asleep
(polling every 0.2 ms, as issue 13 measured, took a share of the two cores
the render runs on); elsewhere it polls. The latency includes the wait for
the save's events, the whole render and the write.
"""
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/briefing")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 40


def identity(path):
    try:
        st = os.stat(path)
        return (st.st_ino, st.st_mtime_ns)
    except FileNotFoundError:
        return None


class RenameWatch:
    """inotify (Linux, through libc) on the outputs folder: wakes when a
    file is renamed into it, with no polling."""

    IN_MOVED_TO = 0x80

    def __init__(self, folder):
        import ctypes
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_CLOEXEC)
        if self.fd < 0 or self.libc.inotify_add_watch(self.fd, folder.encode(), self.IN_MOVED_TO) < 0:
            raise OSError(ctypes.get_errno(), "inotify")

    def wait_new(self, path, before, limit=20.0):
        import select
        deadline = time.monotonic() + limit
        while True:
            now = identity(path)
            if now is not None and now != before:
                return time.monotonic_ns()
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise SystemExit(f"no new {path} after {limit} s")
            os.read(self.fd, 65536)


def wait_new(path, before, limit=20.0):
    started = time.monotonic()
    while True:
        now = identity(path)
        if now is not None and now != before:
            return time.monotonic_ns()
        if time.monotonic() - started > limit:
            raise SystemExit(f"no new {path} after {limit} s")
        time.sleep(0.0002)


def main():
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(os.path.join(ROOT, "briefs/moskau-2025.yaml"), folder)
        shutil.copytree(os.path.join(ROOT, "briefs/photos"), os.path.join(folder, "photos"))
        brief = os.path.join(folder, "moskau-2025.yaml")
        pdf = os.path.join(folder, "out/moskau-2025.pdf")
        text = open(brief, encoding="utf-8").read()
        marker = "subtitle: 13. Internationales Treffen hochrangiger Sicherheitsbeamter"
        assert marker in text
        versions = [text.replace(marker, marker + " (A)"), text.replace(marker, marker + " (B)")]
        watch = subprocess.Popen(
            [BINARY, "watch", "moskau-2025.yaml", "-o", "out"],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_new(pdf, None)
            time.sleep(0.5)
            try:
                renames = RenameWatch(os.path.dirname(pdf))
                wait, how = renames.wait_new, "inotify"
            except (OSError, AttributeError):
                wait, how = wait_new, "polling"
            latencies = []
            for run in range(RUNS):
                before = identity(pdf)
                started = time.monotonic_ns()
                with open(brief, "w", encoding="utf-8") as f:
                    f.write(versions[run % 2])
                ended = wait(pdf, before)
                latencies.append((ended - started) / 1e6)
                # Let the watcher settle (events of the write, the render).
                time.sleep(0.3)
        finally:
            watch.send_signal(signal.SIGINT)
            watch.wait(timeout=20)
    latencies.sort()
    print(f"{RUNS} saves: median {statistics.median(latencies):.1f} ms, "
          f"min {latencies[0]:.1f} ms, max {latencies[-1]:.1f} ms, "
          f"p90 {latencies[int(0.9 * (RUNS - 1))]:.1f} ms ({how})")


if __name__ == "__main__":
    main()
