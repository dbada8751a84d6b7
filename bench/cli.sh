#!/usr/bin/env bash
# Whole-process timings of the shipped binary (the `dist` profile: release
# with whole-program optimisation), as BENCHMARKS.md records them. Needs
# hyperfine and GNU time (Debian: apt-get install hyperfine time).
# Usage: bench/cli.sh [release]   (`release` measures the plain release build)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-dist}
cargo build --profile "$profile" --locked -q
bin=$PWD/target/$profile/briefing
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Hostile inputs, as in tests/cli/hostile.rs.
python3 - "$work" <<'PY'
import sys, os
d = sys.argv[1]
open(os.path.join(d, "deep.yaml"), "w").write("[" * 100_000 + "]" * 100_000)
lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    p, c = chr(97 + i - 1), chr(97 + i)
    lines.append(f"{c}: &{c} [" + ", ".join(["*" + p] * 9) + "]")
open(os.path.join(d, "bomb.yaml"), "w").write("\n".join(lines) + "\n")
open(os.path.join(d, "huge.yaml"), "w").write('title: "' + "x" * 50_000_000 + '"\n')
open(os.path.join(d, "long.yaml"), "w").write('title: "' + "x" * 7_000_000 + '"\n')
PY

hyperfine -N --warmup 3 --min-runs 30 --export-markdown "$work/examples.md" \
  -n "check German example" "$bin check briefs/moskau-2025.yaml" \
  -n "render German example (PDF + Markdown)" "$bin render briefs/moskau-2025.yaml -o $work/out" \
  -n "render English example (PDF + Markdown)" "$bin render briefs/valmora-2026.yaml -o $work/out" \
  >/dev/null 2>&1
cat "$work/examples.md"
echo
for pdf in "$work"/out/*.pdf; do
  echo "$(basename "$pdf"): $(stat -c %s "$pdf") bytes, $(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p') pages"
done
echo

# Generated briefs (examples/generate_brief.rs): the size the issue names
# (500 members, 1,000 programme items, 100 meetings), and halves and
# quarters of it, to see how time grows.
cargo build --profile "$profile" --locked -q --example generate_brief
for scale in 1 2 4; do
  members=$((500 / scale)); items=$((1000 / scale)); meetings=$((100 / scale))
  target/$profile/examples/generate_brief $members $items $meetings > "$work/generated-$scale.yaml"
  /usr/bin/time -o "$work/time" -f "peak %M KB" "$bin" render "$work/generated-$scale.yaml" -o "$work/out" >/dev/null 2>&1
  hyperfine -N --warmup 2 --runs 15 --export-json "$work/generated.json" \
    "$bin render $work/generated-$scale.yaml -o $work/out" >/dev/null 2>&1
  times=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("mean %.3f s (%.3f-%.3f)" % (r["mean"], r["min"], r["max"]))' "$work/generated.json")
  pages=$(pdfinfo "$work/out/generated-$scale.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  echo "generated brief /$scale ($members members, $items items, $meetings meetings, $pages pages): $times, $(tail -1 "$work/time")"
done
echo
# A folder of 1,000 briefs of the German example's size: rendered (PDF and
# Markdown each, on all cores), then bound into one pack.
mkdir -p "$work/thousand"
for i in $(seq -w 1 1000); do cp briefs/moskau-2025.yaml "$work/thousand/visit-$i.yaml"; done
/usr/bin/time -o "$work/time" -f "%e s, peak %M KB" "$bin" render "$work/thousand" -o "$work/thousand-out" --quiet || true
echo "render 1,000 briefs: $(tail -1 "$work/time")"
/usr/bin/time -o "$work/time" -f "%e s, peak %M KB" "$bin" pack "$work/thousand" -o "$work/pack.pdf" --quiet || true
echo "pack 1,000 briefs ($(pdfinfo "$work/pack.pdf" 2>/dev/null | sed -n 's/^Pages: *//p') pages, $(stat -c %s "$work/pack.pdf") bytes): $(tail -1 "$work/time")"
echo

# Each is refused (exit 1); what matters is how fast and in how much memory.
for f in deep bomb huge long; do
  /usr/bin/time -o "$work/time" -f "check $f.yaml: %e s, peak %M KB" "$bin" check "$work/$f.yaml" >/dev/null 2>&1 || true
  tail -1 "$work/time"
done
echo

# Against Typst (issue 14): the same briefs typeset by bench/typst/brief.typ,
# which reads the brief's YAML itself (bench/typst/README.md). Whole process
# on both sides, both in one hyperfine run; Typst reads only the bundled fonts.
if ! command -v typst >/dev/null 2>&1; then
  echo "typst is not on PATH: the comparison with Typst is skipped (cargo install typst-cli --locked)"
  exit 0
fi
echo "$(typst --version); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
typst_render() { # BRIEF OUT.pdf: the Typst command line for one brief (paths absolute)
  echo "typst compile --root / --font-path $PWD/fonts --ignore-system-fonts --ignore-embedded-fonts $PWD/bench/typst/brief.typ $2 --input brief=$1"
}
compare() { # JSON: the two commands' times, and how many times the second's the first's
  python3 -c 'import json,sys
a,b=json.load(open(sys.argv[1]))["results"]
for r in a,b: print("%s: mean %.3f s (%.3f-%.3f)" % (r["command"], r["mean"], r["min"], r["max"]))
print("%s / %s: %.1fx (means), %.1f-%.1fx (extremes)" % (b["command"], a["command"], b["mean"]/a["mean"], b["min"]/a["max"], b["max"]/a["min"]))' "$1"
}
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
german=$PWD/briefs/moskau-2025.yaml
target/$profile/examples/generate_brief 1200 2400 240 > "$work/big.yaml" # ~296 pages
hyperfine -N --warmup 3 --runs 20 --export-json "$work/typst.json" \
  -n "briefing: German example" "$bin render $german -o $work/out" \
  -n "Typst: German example" "$(typst_render "$german" "$work/typst.pdf")" >/dev/null 2>&1
compare "$work/typst.json"
echo "pages: briefing $(pages "$work/out/moskau-2025.pdf"), Typst $(pages "$work/typst.pdf")"
hyperfine -N --warmup 3 --runs 20 --export-json "$work/typst.json" \
  -n "briefing: generated brief" "$bin render $work/big.yaml -o $work/out" \
  -n "Typst: generated brief" "$(typst_render "$work/big.yaml" "$work/typst-big.pdf")" >/dev/null 2>&1
compare "$work/typst.json"
echo "pages: briefing $(pages "$work/out/big.pdf"), Typst $(pages "$work/typst-big.pdf")"
for i in 1 2 3 4 5; do # peak memory, interleaved
  /usr/bin/time -o "$work/time" -f "briefing: %e s, peak %M KB" "$bin" render "$work/big.yaml" -o "$work/out" >/dev/null 2>&1
  tail -1 "$work/time"
  # shellcheck disable=SC2046 # the command line is split into its words
  /usr/bin/time -o "$work/time" -f "Typst: %e s, peak %M KB" $(typst_render "$work/big.yaml" "$work/typst-big.pdf") >/dev/null 2>&1
  tail -1 "$work/time"
done
# The 1,000 briefs above in the time of how many single Typst runs?
hyperfine -N --warmup 3 --runs 20 --export-json "$work/typst.json" \
  -n "Typst: German example" "$(typst_render "$german" "$work/typst.pdf")" \
  -n "briefing: 1,000 German examples" "$bin render $work/thousand -o $work/thousand-out --quiet" >/dev/null 2>&1
compare "$work/typst.json"
