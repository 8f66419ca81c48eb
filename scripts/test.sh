#!/usr/bin/env bash
# The test command (README): installs what the tests need, starts the throwaway databases the SQL tests run their
# generated scripts against, and runs the whole suite. Works on a fresh machine; safe to run again.
#   ./scripts/test.sh                 # everything
#   ./scripts/test.sh --filter Query  # extra arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
eval "$(./scripts/start-test-databases.sh)"
swift test "$@"
