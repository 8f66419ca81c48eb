#!/usr/bin/env bash
# Property-based API testing: schemathesis (PyPI) generates requests from the server's own OpenAPI document
# (GET /api/v1/openapi.json) and checks every answer: no 5xx, documented status, content type and schema.
# Bounded and repeatable: a fixed seed and a fixed number of examples per operation.
# Usage: scripts/api-fuzz.sh [examples-per-operation] [extra schemathesis options…]   (default 25, seed 20261201)
# A longer run: scripts/api-fuzz.sh 500 --seed "$RANDOM" --max-time 3600
# Needs a debug build (swift build) and `pip install schemathesis`.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-25}"
shift || true
command -v schemathesis >/dev/null || { echo "schemathesis is not installed: pip install schemathesis" >&2; exit 2; }
binary="${PYCELIZE_BIN:-.build/debug/pycelize}"
[ -x "$binary" ] || { echo "$binary not found: run swift build first" >&2; exit 2; }

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$binary" serve --port 0 --ws-port 0 --data-dir "$work/data" --plugins-dir plugins.d > "$work/banner" 2> "$work/server.log" &
server=$!
for _ in $(seq 1 100); do grep -q '^Listening on' "$work/banner" 2>/dev/null && break; sleep 0.1; done
port="$(sed -n 's/^Listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/banner")"
[ -n "$port" ] || { cat "$work/server.log"; echo "the server did not start" >&2; exit 1; }

status=0
# From the temporary folder: schemathesis keeps its cache (.schemathesis/) in the working directory.
(cd "$work" && schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 20261201 --workers 1 \
  --phases examples,coverage,fuzzing --request-timeout 30 --suppress-health-check all \
  --warnings off "$@") || status=$?
kill -0 "$server" 2>/dev/null || { echo "the server died during the run:" >&2; tail -n 40 "$work/server.log" >&2; exit 1; }
exit "$status"
