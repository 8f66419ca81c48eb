#!/usr/bin/env bash
# Builds Pycelize in release mode (with the bundled plugins) and starts it with the plugins enabled in plugins.d/.
# Extra arguments go to `pycelize serve` (e.g. --port 8080 --data-dir /srv/pycelize).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release
exec .build/release/pycelize serve "$@"
