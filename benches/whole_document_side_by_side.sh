#!/usr/bin/env bash
# The whole published document through several builds of this generator, side by side: each
# argument is WORKTREE:BINARY (a checkout and its release xtask); ROUNDS rounds, the order rotated
# each round. Prints, per build, the median generation time (as each run prints it), the median
# whole process with and without the `cargo check` of the staging crate, and each against the
# first build (median of the pairs). Each build is run once untimed first. Writes only under a
# temporary directory (and the builds' staging crates under their target directories).
#
#   bash benches/whole_document_side_by_side.sh /tmp/old:/tmp/old/target/release/xtask .:target/release/xtask
set -euo pipefail
ROUNDS=${ROUNDS:-15}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
builds=("$@")
count=${#builds[@]}
# One untimed run each first, so that the staging crate's check is built before anything is timed.
for build in "${builds[@]}"; do
  IFS=: read -r tree binary <<< "$build"
  rm -rf "$OUT/crate"
  (cd "$tree" && "$binary" generate --whole "$OUT/crate" --spec spec/upstream/openapi.yaml >/dev/null)
done
for round in $(seq "$ROUNDS"); do
  for offset in $(seq 0 $((count - 1))); do
    index=$(((round + offset) % count))
    IFS=: read -r tree binary <<< "${builds[$index]}"
    binary=$(cd "$tree" && realpath "$binary")
    rm -rf "$OUT/crate"
    start=$EPOCHREALTIME
    line=$(cd "$tree" && "$binary" generate --whole "$OUT/crate" --spec spec/upstream/openapi.yaml | tail -1)
    end=$EPOCHREALTIME
    echo "$index $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $line" >> "$OUT/runs"
  done
done
python3 - "$OUT/runs" "$@" <<'PY'
import re, statistics, sys
runs, builds = sys.argv[1], sys.argv[2:]
unit = {"µs": 1e-6, "ms": 1e-3, "s": 1.0}
rows = {}
for line in open(runs):
    index, wall, rest = line.split(" ", 2)
    generation = re.search(r" in ([\d.]+)(µs|ms|s)", rest)
    check = re.search(r"build in ([\d.]+)(µs|ms|s)", rest)
    seconds = lambda match: float(match.group(1)) * unit[match.group(2)] if match else 0.0
    rows.setdefault(int(index), []).append((seconds(generation), float(wall) - seconds(check), float(wall)))
for column, name in enumerate(["generation", "whole process without the check", "whole process"]):
    first = [row[column] for row in rows[0]]
    for index, build in enumerate(builds):
        values = [row[column] for row in rows[index]]
        pairs = statistics.median(value / base for base, value in zip(first, values))
        print(f"{name:32} {build:50} median {statistics.median(values):.3f} s, against the first {pairs:.3f}")
PY
