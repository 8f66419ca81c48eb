#!/usr/bin/env bash
# Installs what Pycelize needs, from Debian's packages and PyPI. Safe to run repeatedly: it installs only what is
# missing.
#   ./scripts/install-deps.sh          # building and running: zlib and ISA-L (XLSX engine), SQLite (metadata), libarchive
#                                      # (dumps), PCRE2 (regular expressions), a C compiler (ABI tests)
#   ./scripts/install-deps.sh --test   # also what the tests use: PostgreSQL and MariaDB servers (generated SQL is
#                                      # run against them), LibreOffice and openpyxl (second readers of our XLSX
#                                      # files), curl; the OpenAPI validator and schemathesis (contract tests);
#                                      # Chromium, chromedriver and Selenium (the web workbench's browser test)
set -euo pipefail
needed=()
packages=(zlib1g-dev libisal-dev libsqlite3-dev libarchive-dev libpcre2-dev gcc libc6-dev)
if [ "${1:-}" = "--test" ]; then
  packages+=(postgresql mariadb-server mariadb-client libreoffice-calc-nogui curl chromium chromium-driver)
fi
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ ${#needed[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${needed[@]}" >/dev/null
fi
if [ "${1:-}" = "--test" ]; then
  python3 -c 'import openpyxl' 2>/dev/null || python3 -m pip install -q openpyxl
  command -v openapi-spec-validator >/dev/null || python3 -m pip install -q openapi-spec-validator
  command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
  python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium
fi
