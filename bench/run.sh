#!/usr/bin/env bash
# Whole-process benchmarks of `roadmap` at 100, 1,000, 10,000 and 100,000
# tasks (ten events a task), against the bare-process floor and, with
# --peer, Taskwarrior on the same generated roadmap. Prints a markdown table
# (medians from hyperfine, peak memory from /usr/bin/time -v); see
# BENCHMARKS.md for what is measured and the figures recorded.
#
#   bench/run.sh [--peer] [--peer-max N] [--sizes 100,1000,10000,100000]
#                [--shapes synthetic,handwritten] [--runs N] [--out FILE]
#
# --peer times Taskwarrior too, at the sizes up to --peer-max (10,000 by
# default: at 100,000 tasks one `task next` takes tens of seconds), on the
# synthetic shape only (Taskwarrior does not read the plan's text).
# --shapes: the generator's plan shapes measured at each size (default both):
# synthetic (a line of notes, lean above 40,000 tasks) and handwritten
# (notes, deliverables and resources on every task, like the built-in plan;
# over the 16 MiB plan limit above about 12,000 tasks, so skipped there).
# The tasks, efforts, dependencies and events are the same in both.
# Installs hyperfine and GNU time (and Taskwarrior with --peer) from Debian
# when missing. Builds roadmap in release mode (CARGO_TARGET_DIR is honoured).
# Scratch files go to $BENCH_DIR (default: a fresh temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

peer=false
peer_max=10000
sizes=100,1000,10000,100000
shapes=synthetic,handwritten
runs=20
out=""
while (($#)); do
    case "$1" in
        --peer) peer=true ;;
        --peer-max) peer_max="$2"; shift ;;
        --sizes) sizes="$2"; shift ;;
        --shapes) shapes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --out) out="$2"; shift ;;
        -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
IFS=, read -r -a shape_list <<<"$shapes"
for shape in "${shape_list[@]}"; do
    case $shape in
        synthetic | handwritten) ;;
        *) echo "unknown shape: $shape (synthetic or handwritten)" >&2; exit 2 ;;
    esac
done

need_debian() { # command package
    command -v "$1" >/dev/null 2>&1 && return
    echo "installing $2 from Debian…" >&2
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$2" >/dev/null
}
need_debian hyperfine hyperfine
[[ -x /usr/bin/time ]] || need_debian /usr/bin/time time
$peer && need_debian task taskwarrior
command -v python3 >/dev/null || { echo "python3 is needed to read hyperfine's JSON" >&2; exit 1; }

target=${CARGO_TARGET_DIR:-target}
echo "building (release)…" >&2
# The program on its own, as `cargo install` builds it: built with the
# examples, its dependencies' features are unified with the examples'
# development dependencies' (chrono's defaults), and the binary differs.
cargo build --release --quiet --bin roadmap
cargo build --release --quiet --example generate --example time_load
generate=$(realpath "$target/release/examples/generate")
time_load=$(realpath "$target/release/examples/time_load")

work=${BENCH_DIR:-$(mktemp -d /tmp/roadmap-bench.XXXXXX)}
mkdir -p "$work"
# What is timed is an installed copy, as `cargo install` leaves it in
# ~/.cargo/bin: the file the linker has just written starts slower (on
# the eighteenth round's machine `next` on the built-in plan 1.41 against
# 1.21 ms for a copy of the same bytes, in turn), however the program is.
cp "$target/release/roadmap" "$work/roadmap"
roadmap=$(realpath "$work/roadmap")
results="$work/results.tsv" # label, size, shape, median ms, mean ms, stddev ms, peak KiB
: >"$results"
plans="$work/plans.tsv" # size, shape, plan bytes, state bytes
: >"$plans"
# The plan shape of the rows being measured ("-": none).
shape=-

# measure LABEL SIZE [hyperfine options…] "COMMAND ARGS": records the median.
measure() {
    local label=$1 size=$2
    shift 2
    local json="$work/h-$label-$size-$shape.json"
    local n=$runs
    # Runs of a millisecond or two (the floor, the built-in plan): ten times
    # as many, so that their ratio does not rest on 30 ms of measuring. The
    # 100,000-task rows take as many as the others (half until the
    # eighteenth round, whose `schedule` runs there spread widely: standard
    # deviations of 11-21 ms at medians of 60-75 ms).
    case $size in -|next) n=$((runs * 10)) ;; esac
    hyperfine -N --style none --warmup 3 --min-runs "$n" --max-runs "$n" --export-json "$json" "$@" >/dev/null 2>"${json%.json}.err" || {
        echo "  $label at $size ($shape): hyperfine failed (see ${json%.json}.err)" >&2
        return 0
    }
    python3 - "$json" "$label" "$size" "$shape" >>"$results" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{sys.argv[4]}\t{r['median']*1000:.2f}\t{r['mean']*1000:.2f}\t{r['stddev']*1000:.2f}\t")
EOF
}

# peak LABEL SIZE COMMAND…: one run under /usr/bin/time -v, peak RSS in KiB.
peak() {
    local label=$1 size=$2
    shift 2
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    local kib
    kib=$(awk '/Maximum resident set size/ {print $6}' "$work/time.txt")
    printf '%s\t%s\t%s\t\t\t\t%s\n' "$label" "$size" "$shape" "$kib" >>"$results"
}

echo "machine: $(lscpu 2>/dev/null | sed -n "s/^Model name: *//p" | head -1), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# The floor: a process that does nothing.
measure floor - true

# Built-in plan: no state yet (the preview) and a fresh state after `init`.
export ROADMAP_TODAY=2027-01-04 ROADMAP_CACHE_DIR="$work/builtin/cache"
ROADMAP_STATE="$work/builtin/none.jsonl" measure builtin-preview next "$roadmap next"
ROADMAP_STATE="$work/builtin/state.jsonl" "$roadmap" init >/dev/null
ROADMAP_STATE="$work/builtin/state.jsonl" measure builtin-fresh next "$roadmap next"
ROADMAP_STATE="$work/builtin/state.jsonl" peak builtin-fresh next "$roadmap" next

has_report=false
report_args=(report --week last)
if "$roadmap" report --help >/dev/null 2>&1; then has_report=true; else
    echo "note: this roadmap has no \`report\` command yet: report is skipped" >&2
fi
if $has_report && ! "$roadmap" report --help 2>/dev/null | grep -q -- '--week'; then
    echo "note: this roadmap's \`report\` has no --week: plain \`report\` is timed" >&2
    report_args=(report)
fi

IFS=, read -r -a size_list <<<"$sizes"
cases=()   # size:shape, each shape at each size
skipped=() # size:shape the generator refused (a plan over the size limit)
for n in "${size_list[@]}"; do
    for shape in "${shape_list[@]}"; do cases+=("$n:$shape"); done
done
for case in "${cases[@]}"; do
    n=${case%%:*} shape=${case#*:}
    dir="$work/$shape/n$n"
    echo "size $n, $shape: generating…" >&2
    tw_here=false
    $peer && ((n <= peer_max)) && [[ $shape == synthetic ]] && tw_here=true
    gen_args=(--shape "$shape")
    $tw_here && gen_args+=(--taskwarrior)
    if ! "$generate" "$n" $((n * 10)) "$dir" "${gen_args[@]}" >&2; then
        echo "  size $n, $shape: not generated, skipped" >&2
        skipped+=("$case")
        continue
    fi
    # shellcheck disable=SC1091
    source "$dir/meta.env"
    printf '%s\t%s\t%s\t%s\n' "$n" "$shape" "$PLAN_BYTES" "$STATE_BYTES" >>"$plans"
    export ROADMAP_STATE="$dir/state.jsonl" ROADMAP_TODAY="$TODAY" ROADMAP_CACHE_DIR="$dir/cache"

    # What the cache-less path is held to: yaml_serde parsing the same
    # plan file into a Value, in-process (the median of 11), and roadmap's
    # own parse and validation of it (issue 17: ≤ 2.5× for a first run).
    # (A failed or silent time_load leaves both empty, not the run ended.)
    if ! read -r yaml_ms load_ms < <("$time_load" "$dir" --parse-only); then
        echo "  size $n, $shape: the parse timing (time_load --parse-only) gave nothing" >&2
        yaml_ms="" load_ms=""
    fi
    printf 'yaml-parse\t%s\t%s\t%s\t\t\t\n' "$n" "$shape" "$yaml_ms" >>"$results"
    printf 'plan-load\t%s\t%s\t%s\t\t\t\n' "$n" "$shape" "$load_ms" >>"$results"
    # The cache-less path: the YAML parsed and every event replayed each run.
    ROADMAP_CACHE_DIR="" measure next-nocache "$n" "$roadmap next"
    ROADMAP_CACHE_DIR="" peak next-nocache "$n" "$roadmap" next
    # The first run after a change: parse, replay and write both caches.
    measure next-cold "$n" --prepare "rm -rf $dir/cache" "$roadmap next"

    # Warm caches from here on.
    "$roadmap" next >/dev/null
    for cmd in next list schedule report forecast; do
        args=("$cmd")
        if [[ $cmd == report ]]; then
            $has_report || continue
            args=("${report_args[@]}")
        fi
        measure "$cmd" "$n" "$roadmap ${args[*]}"
        peak "$cmd" "$n" "$roadmap" "${args[@]}"
    done

    # Spaced review: the same plan and state with a `review:` block, so that
    # every finished task (half of them) has its reviews; its own cache.
    rdir="$dir/review"
    mkdir -p "$rdir"
    { cat "$dir/plan.yaml"; printf 'review:\n  effort: 20m\n'; } >"$rdir/plan.yaml"
    sed "1s|$dir/plan.yaml|$rdir/plan.yaml|" "$dir/state.jsonl" >"$rdir/state.jsonl"
    ROADMAP_STATE="$rdir/state.jsonl" ROADMAP_CACHE_DIR="$rdir/cache" "$roadmap" next >/dev/null
    ROADMAP_STATE="$rdir/state.jsonl" ROADMAP_CACHE_DIR="$rdir/cache" measure next-reviews "$n" "$roadmap next"
    ROADMAP_STATE="$rdir/state.jsonl" ROADMAP_CACHE_DIR="$rdir/cache" measure review "$n" "$roadmap review"
    ROADMAP_STATE="$rdir/state.jsonl" ROADMAP_CACHE_DIR="$rdir/cache" peak review "$n" "$roadmap" review

    # done: the state file and its snapshot are put back before each run
    # (same inode, length and modification time), so each run is the
    # everyday case: one event appended on top of a warm snapshot.
    cp -p "$dir/state.jsonl" "$dir/state.orig"
    "$roadmap" next >/dev/null
    snapshot=$(ls "$dir"/cache/state-*.bin)
    cp -p "$snapshot" "$dir/snapshot.orig"
    restore="bash -c 'truncate -s $STATE_BYTES $dir/state.jsonl && touch -r $dir/state.orig $dir/state.jsonl && cp -p $dir/snapshot.orig $snapshot'"
    eval "$restore"
    "$roadmap" "done" "$DONE_NUMBER" | grep -q '^Done:' || echo "  warning: \`done $DONE_NUMBER\` recorded nothing" >&2
    eval "$restore"
    measure "done" "$n" --prepare "$restore" "$roadmap done $DONE_NUMBER"
    eval "$restore"
    peak "done" "$n" "$roadmap" "done" "$DONE_NUMBER"
    eval "$restore"

    if $tw_here; then
        tw="$dir/taskwarrior"
        rm -rf "$tw"
        mkdir -p "$tw/data"
        printf 'data.location=%s\nconfirmation=off\nnews.version=2.6.0\n' "$tw/data" >"$tw/taskrc"
        export TASKRC="$tw/taskrc"
        echo "size $n: importing into Taskwarrior…" >&2
        task import "$dir/taskwarrior.json" >/dev/null 2>&1
        task next >/dev/null 2>&1 # settle: first-run housekeeping
        cp -a "$tw/data" "$tw/data.orig"
        measure task-next "$n" "task next"
        peak task-next "$n" task next
        measure task-done "$n" --prepare "bash -c 'rm -rf $tw/data && cp -a $tw/data.orig $tw/data'" "task $TW_DONE_ID done"
        rm -rf "$tw/data" && cp -a "$tw/data.orig" "$tw/data"
        measure task-burndown "$n" "task burndown.weekly"
        unset TASKRC
    fi
done
shape=-

table=$(python3 - "$results" "$plans" "$peer" "$has_report" "$shapes" "${report_args[*]}" "${skipped[*]}" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
plan_rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if line.strip()]
peer, has_report = sys.argv[3] == "true", sys.argv[4] == "true"
shapes, report_cmd = sys.argv[5].split(","), sys.argv[6]
median, peak, plan_bytes = {}, {}, {}
for label, size, shape, med, mean, sd, kib in rows:
    if med:
        median[(label, size, shape)] = float(med)
    if kib:
        peak[(label, size, shape)] = int(kib)
for size, shape, pb, sb in plan_rows:
    plan_bytes[(size, shape)] = int(pb)
floor = median.get(("floor", "-", "-"))
def ms(v):
    return "–" if v is None else (f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}")
def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.1f}×"
def mib(k):
    return "–" if k is None else f"{k / 1024:.1f}"
print(f"Floor (`true`): {ms(floor)} ms\n")
for label in ("builtin-preview", "builtin-fresh"):
    m = median.get((label, "next", "-"))
    what = "no state (preview)" if label == "builtin-preview" else "fresh state (after init)"
    print(f"Built-in plan, {what}: `next` {ms(m)} ms = {ratio(m, floor)} the floor")
print()
sizes = sorted({int(s) for (l, s, sh) in median if s.isdigit()})
# (size, shape) pairs measured, sizes ascending, shapes in the order given.
cases = [(n, sh) for n in sizes for sh in shapes if any(k[1] == str(n) and k[2] == sh for k in median)]
cmds = ["next", "done", "list", "schedule"] + (["report"] if has_report else []) + ["forecast"]
shown = {"report": report_cmd}
def name(c):
    return f"`{shown.get(c, c)}`"
head = "| tasks | shape | plan MB | " + " | ".join(f"{name(c)} ms" for c in cmds) + " | `next` with reviews | `review` | `next` no cache | `next` cold | peak MiB (max) |"
if peer:
    head += " `task next` | `task done` | `task burndown.weekly` | next: task ÷ roadmap | done: task ÷ roadmap |"
print(head)
print("|" + "|".join(["---"] * (head.count("|") - 1)) + "|")
for n, sh in cases:
    s = str(n)
    pb = plan_bytes.get((s, sh))
    cells = [f"{n:,}", sh, "–" if pb is None else f"{pb / 1e6:.2f}"]
    cells += [ms(median.get((c, s, sh))) for c in cmds]
    cells += [ms(median.get(("next-reviews", s, sh))), ms(median.get(("review", s, sh)))]
    cells += [ms(median.get(("next-nocache", s, sh))), ms(median.get(("next-cold", s, sh)))]
    peaks = [peak.get((c, s, sh)) for c in cmds + ["review"] if peak.get((c, s, sh))]
    cells.append(mib(max(peaks) if peaks else None))
    if peer:
        tn, td, tb = (median.get((c, s, sh)) for c in ("task-next", "task-done", "task-burndown"))
        cells += [ms(tn), ms(td), ms(tb), ratio(tn, median.get(("next", s, sh))), ratio(td, median.get(("done", s, sh)))]
    print("| " + " | ".join(cells) + " |")
for case in sys.argv[7].split():
    n, sh = case.split(":")
    print(f"\nNot measured: {int(n):,} tasks, {sh} (the generator refused it: see its message on stderr).")
print()
print("The first run without a cache against yaml_serde's parse of the same plan file (in-process, median of 11):")
for n, sh in cases:
    s = str(n)
    y, load, nocache = (median.get((c, s, sh)) for c in ("yaml-parse", "plan-load", "next-nocache"))
    print(f"- {n:,} tasks, {sh}: yaml_serde {ms(y)} ms; roadmap's parse + validate {ms(load)} ms = {ratio(load, y)}; `next` with no cache (whole process, every event replayed) {ms(nocache)} ms = {ratio(nocache, y)}")
print()
print("Ratios to the floor (median ÷ floor):")
for n, sh in cases:
    s = str(n)
    print(f"- {n:,} tasks, {sh}: " + ", ".join(f"{c} {ratio(median.get((c, s, sh)), floor)}" for c in cmds))
both = [n for n in sizes if all((n, sh) in cases for sh in ("synthetic", "handwritten"))]
if both:
    print()
    print("Handwritten ÷ synthetic (the same tasks and events, the plan's text apart):")
    for n in both:
        s = str(n)
        print(f"- {n:,} tasks: " + ", ".join(f"{c} {ratio(median.get((c, s, 'handwritten')), median.get((c, s, 'synthetic')))}" for c in cmds + ["next-nocache", "next-cold"]))
growth = []
for sh in shapes:
    have = [n for n in sizes if (n, sh) in cases]
    growth += [(sh, a, b) for a, b in zip(have, have[1:])]
if growth:
    print()
    print("Growth between sizes (median at the larger size ÷ median):")
    for sh, a, b in growth:
        print(f"- {a:,} → {b:,}, {sh}: " + ", ".join(f"{c} {ratio(median.get((c, str(b), sh)), median.get((c, str(a), sh)))}" for c in cmds))
print()
print("Peak memory (MiB, /usr/bin/time -v):")
for n, sh in cases:
    s = str(n)
    extra = ["task-next"] if peer and sh == "synthetic" else []
    print(f"- {n:,} tasks, {sh}: " + ", ".join(f"{c} {mib(peak.get((c, s, sh)))}" for c in cmds + ["next-nocache"] + extra))
EOF
)
echo
echo "$table"
if [[ -n $out ]]; then
    echo "$table" >"$out"
    echo "(written to $out)" >&2
fi
echo "(raw results: $results)" >&2
