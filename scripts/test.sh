#!/usr/bin/env bash
# The test command (README): installs what the tests need, starts the throwaway databases the SQL tests run their
# generated scripts against, and runs the whole suite. Works on a fresh machine; safe to run again.
#   ./scripts/test.sh                 # everything
#   ./scripts/test.sh --filter Query  # extra arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
eval "$(./scripts/start-test-databases.sh)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift test "$@" 2>&1 | tee "$log"
# XCTest's overall summary as one plain closing line (Swift Testing, which holds no tests here, prints last).
awk '/Executed [0-9]+ tests?, with/ { n=$2; s=0; f=0
       for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^skipped/) s=$(i-1); if ($(i+1) ~ /^failures?/) f=$i }
       line = sprintf("tests: %d passed, %d failed, %d skipped", n - s - f, f, s) }
     END { if (line != "") print line }' "$log"
