#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/) and runs each one briefly with a fixed seed, so the run is repeatable:
# the engine's readers (CSV, XLSX) and the request parsers (multipart, JSON, form arguments, file names, dumps).
# Longer runs: Fuzz/.build/release/FuzzXLSX -max_total_time=3600 -rss_limit_mb=2048 -max_len=65536 DIR Fuzz/corpus/xlsx
# Usage: scripts/fuzz-smoke.sh [runs-per-target] [target…]   (default 20000 runs, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20000}"
shift || true
declare -A corpus=([FuzzCSV]=csv [FuzzXLSX]=xlsx [FuzzMultipart]=multipart [FuzzJSON]=json
                   [FuzzFormArguments]=form-arguments [FuzzNames]=names [FuzzDump]=dump)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(FuzzCSV FuzzXLSX FuzzMultipart FuzzJSON FuzzFormArguments FuzzNames FuzzDump)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  # One product at a time: linking several in one build has hit an internal gold linker error here.
  swift build --package-path Fuzz -c release --sanitize=fuzzer --product "$target"
done
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  (cd "$work" && "$OLDPWD/Fuzz/.build/release/$target" -seed=1 -runs="$runs" -rss_limit_mb=2048 -max_len=65536 \
      "$work/$target" "$OLDPWD/Fuzz/corpus/${corpus[$target]}") > "$work/$target.log" 2>&1 \
      || { tail -n 60 "$work/$target.log"; echo "$target: FAILED"; exit 1; }
  echo "$target: $(grep -E 'Done [0-9]+ runs' "$work/$target.log")"
done
