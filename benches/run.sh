#!/usr/bin/env bash
# Whole-process benchmark: builds release, generates deterministic dumps,
# and prints piiscan's throughput (median of RUNS) at 1 and 2 threads with
# all rules and with the first issue's six kinds, and its peak memory;
# beside it, on the same files and threads, ripgrep searching for a union
# of five plain PII regexes and for a literal that never matches (the
# memory-bandwidth ceiling); what NDJSON output costs at one finding per
# 100 bytes; `mask` against `scan` on the same trees; and all rules against
# the first issue's kinds on real files (Python's library, /usr/share/doc,
# cargo's registry sources: REAL overrides them). The figures also replace the block between the run.sh
# markers in benches/RESULTS.md.
#
#   benches/run.sh [TREE_MB] [SINGLE_MB]      defaults: 1000 1024
#   RUNS=3 RG_RUNS=3 benches/run.sh           runs per figure (median)
#
# Data goes to bench-data/ (ignored by git); it is reused when present.
# ripgrep comes from Debian's package `ripgrep` (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

TREE_MB=${1:-1000}
SINGLE_MB=${2:-1024}
RUNS=${RUNS:-3}
# ripgrep's union runs at a few MB/s per core: its runs may be fewer.
RG_RUNS=${RG_RUNS:-$RUNS}
DATA=bench-data
BIN=target/release/piiscan
# A key of its own: the runs make no user key in the home folder.
export PIISCAN_FINGERPRINT_KEY=benchmark-key

need() {
    command -v "$1" >/dev/null 2>&1 ||
        apt-get install -y "$2" >/dev/null 2>&1 ||
        (apt-get update >/dev/null && apt-get install -y "$2" >/dev/null)
}
need /usr/bin/time time
need rg ripgrep
cargo build --release --quiet
cargo build --release --quiet --example gendump --example output_cost
GEN=target/release/examples/gendump

mkdir -p "$DATA"
if [ ! -f "$DATA/tree-$TREE_MB.done" ]; then
    rm -rf "$DATA/tree" "$DATA"/tree-*.done
    "$GEN" --out "$DATA/tree" --size-mb "$TREE_MB" --seed 42
    touch "$DATA/tree-$TREE_MB.done"
fi
if [ ! -f "$DATA/sparse-$TREE_MB.done" ]; then
    rm -rf "$DATA/sparse" "$DATA"/sparse-*.done
    "$GEN" --out "$DATA/sparse" --size-mb "$TREE_MB" --seed 43 --density 3000
    touch "$DATA/sparse-$TREE_MB.done"
fi
if [ ! -f "$DATA/single-$SINGLE_MB.done" ]; then
    rm -f "$DATA"/single-*.done
    "$GEN" --single "$DATA/single.log" --size-mb "$SINGLE_MB" --seed 7
    touch "$DATA/single-$SINGLE_MB.done"
fi
if [ ! -f "$DATA/dense-200.done" ]; then
    rm -rf "$DATA/dense-200"
    "$GEN" --out "$DATA/dense-200" --size-mb 200 --seed 9 --density 100
    touch "$DATA/dense-200.done"
fi

bytes_of() { du -sb --apparent-size "$1" | cut -f1; }

# Median wall time (seconds) of RUNS runs of a command.
median_time() {
    local runs=$RUNS
    if [ "$1" = rg_union ] || [ "$1" = rg_unicode ]; then runs=$RG_RUNS; fi
    local times=()
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s.%N)
        # A failed run would be timed as if it had worked.
        "$@" >/dev/null 2>&1 || { echo "run.sh: failed: $*" >&2; exit 1; }
        t1=$(date +%s.%N)
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

rate() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / 1e6 / t }'; }

# Peak resident memory (MB) of one run.
peak_mb() {
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}

tree_bytes=$(bytes_of "$DATA/tree")
sparse_bytes=$(bytes_of "$DATA/sparse")
single_bytes=$(bytes_of "$DATA/single.log")
# Warm the page cache so the figures measure the scanner, not the disk.
cat "$DATA/single.log" >/dev/null
find "$DATA/tree" "$DATA/sparse" "$DATA/dense-200" -type f -exec cat {} + >/dev/null

# The five plain PII regexes ripgrep is compared with (benches/union.txt:
# email, card-like digit runs, IBAN shape, phone shape, IPv4) with ASCII
# word boundaries, as anyone tuning a grep for digits writes them; and the
# same with ripgrep's default Unicode `\b`, several times slower.
RG_UNION=(-f benches/union.txt)
sed 's/(?-u:\\b)/\\b/g' benches/union.txt >"$DATA/union-unicode.txt"
RG_UNION_UNICODE=(-f "$DATA/union-unicode.txt")
# Every match printed with its offset (-o -b), through a pipe: ripgrep may
# stop at the first match when its output is /dev/null itself. -z reads
# compressed files, as piiscan does; the never-found literal is searched
# in the bytes as stored (a ceiling, not a like-for-like search).
# ripgrep exits 1 when nothing matched: only 2 is a failure.
rg_run() { local j=$1; shift; { rg -j "$j" -o -b -z --no-ignore --hidden --no-filename "$@" || [ $? -eq 1 ]; } | cat >/dev/null; }
rg_union() { local j=$1; shift; rg_run "$j" "${RG_UNION[@]}" "$@"; }
rg_unicode() { local j=$1; shift; rg_run "$j" "${RG_UNION_UNICODE[@]}" "$@"; }
rg_never() { local j=$1; shift; { rg -j "$j" -c -F --no-ignore --hidden 'zqxjv-never-seen-kwp' "$@" || [ $? -eq 1 ]; } | cat >/dev/null; }

# The first issue's kinds, for the cost of every other rule.
FIRST=(--only email,credit_card,iban,phone,ip_address,us_ssn)

report=()
say() { echo "$1"; report+=("$1"); }

say "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(rg --version | head -1)"
say "date: $(date -u +%Y-%m-%d)"
say "tree: $((tree_bytes / 1000000)) MB in $(find "$DATA/tree" -type f | wc -l) files, one planted value per 300 bytes; sparse tree: $((sparse_bytes / 1000000)) MB, one planted value per 3000 bytes outside CSV name columns; single file: $((single_bytes / 1000000)) MB; piiscan runs: $RUNS, ripgrep union runs: $RG_RUNS"
say ""
say "| data | threads | piiscan, all rules | piiscan, first issue's kinds | all ÷ first | ripgrep union, ASCII \\b | ripgrep union, Unicode \\b | ripgrep, literal never found | piiscan ÷ ASCII union | piiscan ÷ Unicode union | piiscan ÷ literal |"
say "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
ratio() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { printf f, a / b }'; }
for target in tree sparse single; do
    case $target in
        tree) path="$DATA/tree"; bytes=$tree_bytes ;;
        sparse) path="$DATA/sparse"; bytes=$sparse_bytes ;;
        single) path="$DATA/single.log"; bytes=$single_bytes ;;
    esac
    for j in 1 2; do
        tp=$(median_time "$BIN" scan -q -j "$j" --fail-on never --format ndjson "$path")
        eval "t_${target}_$j=$tp"
        tf=$(median_time "$BIN" scan -q -j "$j" --fail-on never --format ndjson "${FIRST[@]}" "$path")
        p=$(rate "$bytes" "$tp"); f=$(rate "$bytes" "$tf")
        tu=$(median_time rg_union "$j" "$path")
        tw=$(median_time rg_unicode "$j" "$path")
        tn=$(median_time rg_never "$j" "$path")
        u=$(rate "$bytes" "$tu"); w=$(rate "$bytes" "$tw"); n=$(rate "$bytes" "$tn")
        say "| $target | $j | $p MB/s | $f MB/s | $(ratio "$p" "$f" %.2f) | $u MB/s | $w MB/s | $n MB/s | $(ratio "$tu" "$tp" %.2f) | $(ratio "$tw" "$tp" %.2f) | $(ratio "$tn" "$tp" %.3f) |"
    done
done
say ""
# Real files nobody planted values in, as a developer's machine holds them
# (source code, documentation): the cost of every other rule where they
# find little the first issue's kinds do not. REAL overrides the folders.
if [ -z "${REAL+x}" ]; then
    REAL="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true) /usr/share/doc ${CARGO_HOME:-$HOME/.cargo}/registry/src"
fi
say "| real files | threads | piiscan, all rules | piiscan, first issue's kinds | all ÷ first | findings, all / first | piiscan ÷ ASCII union | piiscan ÷ literal |"
say "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for path in $REAL; do
    [ -d "$path" ] || continue
    find "$path" -type f -exec cat {} + >/dev/null 2>&1 || true
    bytes=$(bytes_of "$path")
    count() { "$BIN" scan -q --fail-on never --format ndjson "$@" "$path" | wc -l; }
    found="$(count) / $(count "${FIRST[@]}")"
    for j in 1 2; do
        tp=$(median_time "$BIN" scan -q -j "$j" --fail-on never --format ndjson "$path")
        tf=$(median_time "$BIN" scan -q -j "$j" --fail-on never --format ndjson "${FIRST[@]}" "$path")
        tu=$(median_time rg_union "$j" "$path")
        tn=$(median_time rg_never "$j" "$path")
        p=$(rate "$bytes" "$tp"); f=$(rate "$bytes" "$tf")
        say "| $path ($((bytes / 1000000)) MB, $(find "$path" -type f | wc -l) files) | $j | $p MB/s | $f MB/s | $(ratio "$tf" "$tp" %.2f) | $found | $(ratio "$tu" "$tp" %.2f) | $(ratio "$tn" "$tp" %.3f) |"
    done
done
say ""
# -j 1 is not one core: the writer thread (serialising findings) runs beside
# the worker. Pinned to one core, it gives the true one-thread figure.
for target in tree single; do
    if [ "$target" = tree ]; then path="$DATA/tree"; else path="$DATA/single.log"; fi
    pinned=$(median_time taskset -c 0 "$BIN" scan -q -j 1 --fail-on never --format ndjson "$path")
    eval "t1=\$t_${target}_1; t2=\$t_${target}_2"
    say "- $target, -j 2 ÷ -j 1: $(ratio "$t1" "$t2" %.2f); ÷ -j 1 pinned to one core (taskset -c 0): $(ratio "$pinned" "$t2" %.2f)"
done
say ""
# Masking against scanning, side by side: `mask` runs the same scan, writes
# every copy and scans the copies again (the residue check), so its time
# is the whole job. Exit 1 (something left) is a result, not a failure.
mask_run() {
    rm -rf "$DATA/masked"
    "$BIN" mask -q -j "$1" --out "$DATA/masked" "$2" || [ $? -eq 1 ]
}
say "| mask | threads | scan | mask (copies written, re-scanned) | mask ÷ scan | peak memory, scan / mask |"
say "| --- | ---: | ---: | ---: | ---: | ---: |"
for target in tree sparse; do
    if [ "$target" = tree ]; then path="$DATA/tree"; bytes=$tree_bytes; else path="$DATA/sparse"; bytes=$sparse_bytes; fi
    for j in 1 2; do
        ts=$(median_time "$BIN" scan -q -j "$j" --fail-on never --format ndjson "$path")
        tm=$(median_time mask_run "$j" "$path")
        ms=$(peak_mb "$BIN" scan -q -j "$j" --fail-on never --format ndjson "$path")
        rm -rf "$DATA/masked"
        mm=$(peak_mb "$BIN" mask -q -j "$j" --out "$DATA/masked" "$path")
        say "| $target | $j | $(rate "$bytes" "$ts") MB/s | $(rate "$bytes" "$tm") MB/s | $(ratio "$ts" "$tm" %.2f) | $ms / $mm MB |"
    done
done
rm -rf "$DATA/masked"
say ""
say "NDJSON output, $(bytes_of "$DATA/dense-200" | awk '{ printf "%.0f", $1 / 1e6 }') MB at one planted value per 100 bytes (whole pipeline, median of $RUNS; a reporter that drops findings is the baseline):"
for j in 1 2; do
    say "- -j $j: $(target/release/examples/output_cost --runs "$RUNS" -j "$j" "$DATA/dense-200")"
done
say ""
say "peak memory, -j 2: single file $(peak_mb "$BIN" scan -q -j 2 --fail-on never --format ndjson "$DATA/single.log") MB, tree $(peak_mb "$BIN" scan -q -j 2 --fail-on never --format ndjson "$DATA/tree") MB"

# The figures replace the block between the markers in RESULTS.md.
results=benches/RESULTS.md
if grep -q '<!-- run.sh -->' "$results" 2>/dev/null; then
    block=$(printf '%s\n' "${report[@]}")
    BLOCK="$block" awk '
        /<!-- run.sh -->/ { print; print ENVIRON["BLOCK"]; skip = 1; next }
        /<!-- \/run.sh -->/ { skip = 0 }
        !skip { print }
    ' "$results" >"$results.tmp" && mv "$results.tmp" "$results"
fi
