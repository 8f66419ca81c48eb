#!/usr/bin/env bash
# Installs the Debian packages Pycelize builds against (zlib for the XLSX engine, SQLite for metadata, libarchive
# for conversation dumps; a C compiler for the ABI tests; sqlite3, PostgreSQL and MariaDB for the SQL generation
# tests, which run the generated scripts against real databases).
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail
needed=()
for pkg in zlib1g-dev libsqlite3-dev libarchive-dev libpcre2-dev gcc libc6-dev sqlite3 postgresql mariadb-server mariadb-client; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
if [ ${#needed[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${needed[@]}"
fi
