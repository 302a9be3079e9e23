#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) in turn, new inputs
# kept in fuzz/work/<target> (ignored by git), the committed seeds in
# fuzz/corpus/<target> read only; prints each target's executions.
#
#   fuzz/run-all.sh [SECONDS] [TARGET...]
#   FUZZ_BUILD="-O -a -s none" fuzz/run-all.sh 10    CI's smoke: overflow
#                                                    checks, no sanitizer
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(rules validators scan chunks mask settings baseline)
for t in "${TARGETS[@]}"; do
    mkdir -p "work/$t"
    log="work/$t.log"
    extra=()
    # A mask run starts the scan's threads each time: what the C runtime
    # keeps for a thread that ended is reported as a leak, and is none.
    [ "$t" = mask ] && extra=(-detect_leaks=0)
    # shellcheck disable=SC2086
    cargo +nightly fuzz run ${FUZZ_BUILD:--O} "$t" "work/$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 -max_len=65536 \
        "${extra[@]}" >"$log" 2>&1 || {
        echo "$t: FAILED (see fuzz/$log)"
        tail -30 "$log"
        exit 1
    }
    echo "$t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" | tail -1)"
done
