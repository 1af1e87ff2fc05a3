#!/usr/bin/env bash
# Whole-process time and peak memory of `xtask generate --whole` (release build) on synthetic
# specs grown along one axis at a time, RUNS times each (median and fastest printed): one schema
# with more properties, more schemas, more operations, longer chains of schema aliases. Linear
# growth shows as a steady time per item from step to step.
#
# Needs bash 5 (for $EPOCHREALTIME) and GNU time at /usr/bin/time. Writes only under a temporary
# directory. Run from the
# workspace root: bash benches/growth.sh
set -euo pipefail
RUNS=${RUNS:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cargo build --quiet --release --package xtask --package benchmarks --example growth_spec
XTASK=target/release/xtask
SPEC=target/release/examples/growth_spec

median() { sort -n | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'; }
printf '%-12s %8s %10s %10s %10s %12s %10s\n' axis size input median fastest "per item" peak
for axis in properties schemas operations alias-links; do
  case $axis in
    properties) sizes="10 100 1000 10000" ;;
    schemas) sizes="10 100 1000 10000" ;;
    operations) sizes="10 100 1000 10000" ;;
    alias-links) sizes="1000 10000 20000 40000" ;;
  esac
  for size in $sizes; do
    "$SPEC" "$axis" "$size" > "$OUT/spec.json"
    : > "$OUT/times"
    for run in $(seq "$RUNS"); do
      rm -rf "$OUT/crate"
      # Wall time from the shell's microsecond clock; peak memory from GNU time.
      start=$EPOCHREALTIME
      /usr/bin/time -f "%M" -o "$OUT/memory" "$XTASK" generate --whole "$OUT/crate" --spec "$OUT/spec.json" >/dev/null
      end=$EPOCHREALTIME
      echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $(cat "$OUT/memory")" >> "$OUT/times"
    done
    seconds=$(awk '{ print $1 }' "$OUT/times" | median)
    fastest=$(awk '{ print $1 }' "$OUT/times" | sort -n | head -1)
    kilobytes=$(awk '{ print $2 }' "$OUT/times" | median)
    input=$(wc -c < "$OUT/spec.json")
    per_item=$(awk -v s="$seconds" -v n="$size" 'BEGIN { printf "%.1f µs", s * 1e6 / n }')
    printf '%-12s %8s %9sK %9ss %9ss %12s %8sMiB\n' "$axis" "$size" "$((input / 1024))" "$seconds" "$fastest" "$per_item" "$((kilobytes / 1024))"
  done
done
