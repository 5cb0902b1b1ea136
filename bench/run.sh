#!/usr/bin/env bash
# Whole-process benchmarks of `roadmap` at 100, 1,000, 10,000 and 100,000
# tasks (ten events a task), against the bare-process floor and, with
# --peer, Taskwarrior on the same generated roadmap. Prints a markdown table
# (medians from hyperfine, peak memory from /usr/bin/time -v); see
# BENCHMARKS.md for what is measured and the figures recorded.
#
#   bench/run.sh [--peer] [--peer-max N] [--sizes 100,1000,10000,100000]
#                [--runs N] [--out FILE]
#
# --peer times Taskwarrior too, at the sizes up to --peer-max (10,000 by
# default: at 100,000 tasks one `task next` takes tens of seconds).
# Installs hyperfine and GNU time (and Taskwarrior with --peer) from Debian
# when missing. Builds roadmap in release mode (CARGO_TARGET_DIR is honoured).
# Scratch files go to $BENCH_DIR (default: a fresh temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

peer=false
peer_max=10000
sizes=100,1000,10000,100000
runs=20
out=""
while (($#)); do
    case "$1" in
        --peer) peer=true ;;
        --peer-max) peer_max="$2"; shift ;;
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --out) out="$2"; shift ;;
        -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
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
cargo build --release --quiet --bin roadmap --example generate
roadmap=$(realpath "$target/release/roadmap")
generate=$(realpath "$target/release/examples/generate")

work=${BENCH_DIR:-$(mktemp -d /tmp/roadmap-bench.XXXXXX)}
mkdir -p "$work"
results="$work/results.tsv" # label, size, median ms, mean ms, stddev ms, peak KiB
: >"$results"

# measure LABEL SIZE [hyperfine options…] "COMMAND ARGS": records the median.
measure() {
    local label=$1 size=$2
    shift 2
    local json="$work/h-$label-$size.json"
    local n=$runs
    # Slow cases: fewer runs, the same warm-up.
    case $size in 100000) n=$(((runs + 1) / 2)) ;; esac
    hyperfine -N --style none --warmup 3 --min-runs "$n" --max-runs "$n" --export-json "$json" "$@" >/dev/null 2>"$work/h-$label-$size.err" || {
        echo "  $label at $size: hyperfine failed (see $work/h-$label-$size.err)" >&2
        return 0
    }
    python3 - "$json" "$label" "$size" >>"$results" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{r['median']*1000:.2f}\t{r['mean']*1000:.2f}\t{r['stddev']*1000:.2f}\t")
EOF
}

# peak LABEL SIZE COMMAND…: one run under /usr/bin/time -v, peak RSS in KiB.
peak() {
    local label=$1 size=$2
    shift 2
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    local kib
    kib=$(awk '/Maximum resident set size/ {print $6}' "$work/time.txt")
    printf '%s\t%s\t\t\t\t%s\n' "$label" "$size" "$kib" >>"$results"
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
if "$roadmap" report --help >/dev/null 2>&1; then has_report=true; else
    echo "note: this roadmap has no \`report\` command yet: report is skipped" >&2
fi

IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
    dir="$work/n$n"
    echo "size $n: generating…" >&2
    tw_here=false
    $peer && ((n <= peer_max)) && tw_here=true
    "$generate" "$n" $((n * 10)) "$dir" $($tw_here && echo --taskwarrior) >&2
    # shellcheck disable=SC1091
    source "$dir/meta.env"
    export ROADMAP_STATE="$dir/state.jsonl" ROADMAP_TODAY="$TODAY" ROADMAP_CACHE_DIR="$dir/cache"

    # The cache-less path: the YAML parsed and every event replayed each run.
    ROADMAP_CACHE_DIR="" measure next-nocache "$n" "$roadmap next"
    ROADMAP_CACHE_DIR="" peak next-nocache "$n" "$roadmap" next
    # The first run after a change: parse, replay and write both caches.
    measure next-cold "$n" --prepare "rm -rf $dir/cache" "$roadmap next"

    # Warm caches from here on.
    "$roadmap" next >/dev/null
    for cmd in next list schedule report forecast; do
        [[ $cmd == report ]] && ! $has_report && continue
        measure "$cmd" "$n" "$roadmap $cmd"
        peak "$cmd" "$n" "$roadmap" "$cmd"
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
    "$roadmap" done "$DONE_NUMBER" | grep -q '^Done:' || echo "  warning: \`done $DONE_NUMBER\` recorded nothing" >&2
    eval "$restore"
    measure done "$n" --prepare "$restore" "$roadmap done $DONE_NUMBER"
    eval "$restore"
    peak done "$n" "$roadmap" done "$DONE_NUMBER"
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

table=$(python3 - "$results" "$peer" "$has_report" <<'EOF'
import sys
from collections import defaultdict
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
peer, has_report = sys.argv[2] == "true", sys.argv[3] == "true"
median, peak = {}, {}
for label, size, med, mean, sd, kib in rows:
    if med:
        median[(label, size)] = float(med)
    if kib:
        peak[(label, size)] = int(kib)
floor = median.get(("floor", "-"))
def ms(v):
    return "–" if v is None else (f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}")
def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.1f}×"
def mib(k):
    return "–" if k is None else f"{k / 1024:.1f}"
print(f"Floor (`true`): {ms(floor)} ms\n")
for label in ("builtin-preview", "builtin-fresh"):
    m = median.get((label, "next"))
    what = "no state (preview)" if label == "builtin-preview" else "fresh state (after init)"
    print(f"Built-in plan, {what}: `next` {ms(m)} ms = {ratio(m, floor)} the floor")
print()
sizes = sorted({int(s) for (l, s) in median if s.isdigit()})
cmds = ["next", "done", "list", "schedule"] + (["report"] if has_report else []) + ["forecast"]
head = "| tasks | " + " | ".join(f"`{c}` ms" for c in cmds) + " | `next` with reviews | `review` | `next` no cache | `next` cold | peak MiB (max) |"
if peer:
    head += " `task next` | `task done` | `task burndown.weekly` | next: task ÷ roadmap | done: task ÷ roadmap |"
print(head)
print("|" + "|".join(["---"] * (head.count("|") - 1)) + "|")
for n in sizes:
    s = str(n)
    cells = [f"{n:,}"]
    cells += [ms(median.get((c, s))) for c in cmds]
    cells += [ms(median.get(("next-reviews", s))), ms(median.get(("review", s)))]
    cells += [ms(median.get(("next-nocache", s))), ms(median.get(("next-cold", s)))]
    peaks = [peak.get((c, s)) for c in cmds + ["review"] if peak.get((c, s))]
    cells.append(mib(max(peaks) if peaks else None))
    if peer:
        tn, td, tb = (median.get((c, s)) for c in ("task-next", "task-done", "task-burndown"))
        cells += [ms(tn), ms(td), ms(tb), ratio(tn, median.get(("next", s))), ratio(td, median.get(("done", s)))]
    print("| " + " | ".join(cells) + " |")
print()
print("Ratios to the floor (median ÷ floor):")
for n in sizes:
    s = str(n)
    print(f"- {n:,} tasks: " + ", ".join(f"{c} {ratio(median.get((c, s)), floor)}" for c in cmds))
if len(sizes) > 1:
    print()
    print("Growth between sizes (median at 10× the tasks ÷ median):")
    for a, b in zip(sizes, sizes[1:]):
        print(f"- {a:,} → {b:,}: " + ", ".join(f"{c} {ratio(median.get((c, str(b))), median.get((c, str(a))))}" for c in cmds))
print()
print("Peak memory (MiB, /usr/bin/time -v):")
for n in sizes:
    s = str(n)
    print(f"- {n:,} tasks: " + ", ".join(f"{c} {mib(peak.get((c, s)))}" for c in cmds + ["next-nocache"] + (["task-next"] if peer else [])))
EOF
)
echo
echo "$table"
if [[ -n $out ]]; then
    echo "$table" >"$out"
    echo "(written to $out)" >&2
fi
echo "(raw results: $results)" >&2
