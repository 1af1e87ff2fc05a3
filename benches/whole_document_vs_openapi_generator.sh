#!/usr/bin/env bash
# Whole-process time and peak memory of generating the whole published document (638 operations):
# this project's generator (`xtask generate --whole`, release build) against openapi-generator's
# `rust` generator, interleaved in one run, RUNS times each. Prints each run and the medians.
#
# Needs openapi-generator-cli on PATH (`pip install openapi-generator-cli` bundles its jar; it
# runs on the machine's Java 17) and GNU time at /usr/bin/time. Writes only under a temporary
# directory. Run from the workspace root: bash benches/whole_document_vs_openapi_generator.sh
set -euo pipefail
RUNS=${RUNS:-3}
DOCUMENT=spec/upstream/openapi.yaml
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cargo build --quiet --release --package xtask
XTASK=target/release/xtask
command -v openapi-generator-cli >/dev/null || { echo "openapi-generator-cli is not on PATH (pip install openapi-generator-cli)"; exit 1; }

measure() { # name, command...: prints "name seconds kilobytes"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >"$OUT/log" 2>&1 || { cat "$OUT/log"; exit 1; }
  echo "$name $(cat "$OUT/time")"
}

for run in $(seq "$RUNS"); do
  rm -rf "$OUT/ours" "$OUT/theirs"
  measure progenitor "$XTASK" generate --whole "$OUT/ours"
  measure openapi-generator openapi-generator-cli generate -g rust -i "$DOCUMENT" -o "$OUT/theirs" --skip-validate-spec
done | tee "$OUT/results"

median() { sort -n | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'; }
for name in progenitor openapi-generator; do
  seconds=$(awk -v name="$name" '$1 == name { print $2 }' "$OUT/results" | median)
  kilobytes=$(awk -v name="$name" '$1 == name { print $3 }' "$OUT/results" | median)
  echo "median $name: $seconds s, $((kilobytes / 1024)) MiB peak"
done
# Each run of openapi-generator against the run of this project's generator just before it: the
# ratio of a pair holds when the machine's speed drifts between pairs.
ratio=$(awk '$1 == "progenitor" { ours = $2 } $1 == "openapi-generator" { print $2 / ours }' "$OUT/results" | median)
echo "median of the pairs' ratios (openapi-generator / this project): $ratio"
