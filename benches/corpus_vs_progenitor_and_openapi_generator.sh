#!/usr/bin/env bash
# Runs a folder of OpenAPI documents through three generators and says, for each document and
# generator, what came of it:
#
#   builds    the generator wrote a crate, and `cargo clippy` on it finished without an error
#   generated the generator wrote a crate, which does not build (the first error is shown)
#   refused   the generator stopped with a message of its own
#   crashed   the generator panicked (Rust), threw a java.lang exception, was killed by a
#             signal, or ran longer than TIMEOUT seconds
#
# The generators: this project's (`xtask generate --whole`, the dev build `cargo xtask` runs),
# progenitor alone (`cargo progenitor`, the version this project uses), and openapi-generator's
# `rust` generator (with `--skip-validate-spec`, so that it tries every document; its crates are
# checked with `--no-default-features`, which leaves out its TLS backend: native-tls needs
# OpenSSL's headers, which this machine lacks).
#
# Needs: cargo-progenitor (`cargo install cargo-progenitor --version 0.15.1 --locked`),
# openapi-generator-cli on PATH (`pip install openapi-generator-cli`; Java 17), and crates.io for
# the generated crates' dependencies. Writes only under a temporary directory (KEEP=1 keeps it).
# Run from the workspace root:
#
#   bash benches/corpus_vs_progenitor_and_openapi_generator.sh [DOCUMENT_DIR]
#
# DOCUMENT_DIR defaults to tests/corpus/documents. Prints one line per document and generator,
# then the totals.
set -uo pipefail
DOCUMENTS=${1:-tests/corpus/documents}
TIMEOUT=${TIMEOUT:-600}
OUT=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "keeping $OUT" || trap 'rm -rf "$OUT"' EXIT

cargo build --quiet --package xtask || exit 1
XTASK=${CARGO_TARGET_DIR:-$PWD/target}/debug/xtask
cargo progenitor --help >/dev/null 2>&1 || { echo "cargo-progenitor is not installed"; exit 1; }
command -v openapi-generator-cli >/dev/null || { echo "openapi-generator-cli is not on PATH"; exit 1; }

# classify LOG STATUS: refused or crashed, for a generator that exited with STATUS.
classify() {
  if [ "$2" -ge 124 ] || grep -qE "panicked at|java\.lang\.[A-Za-z]*(Exception|Error)" "$1"; then
    echo crashed
  else
    echo refused
  fi
}

# builds DIR [cargo arguments...]: builds or generated, with the first error.
builds() {
  local dir=$1; shift
  # One target directory for the three generators' crates: their dependencies are built once.
  if (cd "$dir" && CARGO_TARGET_DIR="$OUT/target" cargo clippy --quiet "$@" >"$dir.build.log" 2>&1); then
    echo builds
  else
    echo "generated ($(grep -m1 -E '^error' "$dir.build.log" | cut -c1-100))"
  fi
}

# run NAME DOCUMENT OUTPUT_DIR BUILD_ARGUMENTS -- GENERATOR...: prints NAME's outcome.
run() {
  local name=$1 document=$2 dir=$3 build_arguments=$4; shift 5
  local log="$dir.log" status
  timeout "$TIMEOUT" "$@" >"$log" 2>&1
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "$(classify "$log" "$status") ($(grep -m1 -vE '^\s*$' "$log" | cut -c1-100))"
  elif [ ! -f "$dir/Cargo.toml" ]; then
    echo "refused (exit 0, no crate written)"
  else
    # shellcheck disable=SC2086
    builds "$dir" $build_arguments
  fi
}

for document in "$DOCUMENTS"/*.yaml "$DOCUMENTS"/*.yml "$DOCUMENTS"/*.json; do
  [ -f "$document" ] || continue
  base=$(basename "$document"); base=${base%.*}
  mkdir -p "$OUT/$base"
  ours=$(run ours "$document" "$OUT/$base/ours" "" -- \
    "$XTASK" generate --whole "$OUT/$base/ours" --spec "$document")
  progenitor=$(run progenitor "$document" "$OUT/$base/progenitor" "" -- \
    cargo progenitor --input "$document" --output "$OUT/$base/progenitor" --name generated --version 0.1.0)
  theirs=$(run openapi-generator "$document" "$OUT/$base/openapi-generator" "--no-default-features" -- \
    openapi-generator-cli generate -g rust -i "$document" -o "$OUT/$base/openapi-generator" --skip-validate-spec)
  printf '%s\n  this project:      %s\n  progenitor alone:  %s\n  openapi-generator: %s\n' \
    "$base" "$ours" "$progenitor" "$theirs" | tee -a "$OUT/results"
done

echo
for generator in "this project" "progenitor alone" "openapi-generator"; do
  for outcome in builds generated refused crashed; do
    count=$(grep -c "^  $generator: *$outcome" "$OUT/results")
    printf '%-18s %-9s %s\n' "$generator" "$outcome" "$count"
  done
done
