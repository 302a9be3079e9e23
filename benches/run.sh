#!/usr/bin/env bash
# Whole-process benchmark: builds release, generates a deterministic dump,
# and prints piiscan's throughput (median of RUNS) at 1 and 2 threads, and
# its peak memory on one large file.
#
#   benches/run.sh [TREE_MB] [SINGLE_MB]      defaults: 1000 2048
#
# Data goes to bench-data/ (ignored by git); it is reused when present.
set -euo pipefail
cd "$(dirname "$0")/.."

TREE_MB=${1:-1000}
SINGLE_MB=${2:-2048}
RUNS=${RUNS:-3}
DATA=bench-data
BIN=target/release/piiscan

if [ ! -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y time >/dev/null)
fi
cargo build --release --quiet
cargo build --release --quiet --example gendump
GEN=target/release/examples/gendump

mkdir -p "$DATA"
if [ ! -f "$DATA/tree-$TREE_MB.done" ]; then
    rm -rf "$DATA/tree"
    "$GEN" --out "$DATA/tree" --size-mb "$TREE_MB" --seed 42
    touch "$DATA/tree-$TREE_MB.done"
fi
if [ ! -f "$DATA/single-$SINGLE_MB.done" ]; then
    "$GEN" --single "$DATA/single.log" --size-mb "$SINGLE_MB" --seed 7
    touch "$DATA/single-$SINGLE_MB.done"
fi

bytes_of() { du -sb --apparent-size "$1" | cut -f1; }

# Median wall time (seconds) of RUNS runs of a command.
median_time() {
    local times=()
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

rate() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / 1e6 / t }'; }

# Peak resident memory (MB) of one run.
peak_mb() {
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}

tree_bytes=$(bytes_of "$DATA/tree")
single_bytes=$(bytes_of "$DATA/single.log")
# Warm the page cache so the figures measure the scanner, not the disk.
cat "$DATA/single.log" >/dev/null
find "$DATA/tree" -type f -exec cat {} + >/dev/null

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "date: $(date -u +%Y-%m-%d)"
echo "tree: $((tree_bytes / 1000000)) MB in $(find "$DATA/tree" -type f | wc -l) files; single file: $((single_bytes / 1000000)) MB"
for j in 1 2; do
    t=$(median_time "$BIN" scan -q -j "$j" --format ndjson "$DATA/tree")
    echo "tree   -j $j: $(rate "$tree_bytes" "$t") MB/s (median of $RUNS, ${t}s)"
done
for j in 1 2; do
    t=$(median_time "$BIN" scan -q -j "$j" --format ndjson "$DATA/single.log")
    echo "single -j $j: $(rate "$single_bytes" "$t") MB/s (median of $RUNS, ${t}s)"
done
echo "peak memory, single file, -j 2: $(peak_mb "$BIN" scan -q -j 2 --format ndjson "$DATA/single.log") MB"
echo "peak memory, tree, -j 2: $(peak_mb "$BIN" scan -q -j 2 --format ndjson "$DATA/tree") MB"
