#!/usr/bin/env bash
# Starts throwaway PostgreSQL and MariaDB servers on loopback for the SQL generation tests
# (Tests/EndToEndTests/SQLDatabaseTests.swift), and prints the environment the tests read:
#
#   eval "$(scripts/start-test-databases.sh)"    # exports PYCELIZE_TEST_PG and PYCELIZE_TEST_MYSQL
#   scripts/start-test-databases.sh stop         # stops both and removes their data
#
# Data lives under $PYCELIZE_TEST_DB_DIR (default /tmp/pycelize-test-db); ports 55432 (PostgreSQL) and 53306
# (MariaDB); user `pycelize`, database `pycelize_test`. Idempotent: servers already running are reused. Works as
# root (PostgreSQL runs as the `postgres` user, MariaDB with --user=root) and as an ordinary user.
# Progress goes to stderr; stdout carries only the `export` lines.
set -euo pipefail

BASE="${PYCELIZE_TEST_DB_DIR:-/tmp/pycelize-test-db}"
PG_PORT="${PYCELIZE_TEST_PG_PORT:-55432}"
MY_PORT="${PYCELIZE_TEST_MYSQL_PORT:-53306}"
PG_DIR="$BASE/pg"
MY_DIR="$BASE/mysql"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

log() { echo "start-test-databases: $*" >&2; }

# Runs a command as the PostgreSQL owner (postgres when we are root, else ourselves).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_all() {
  if [ -n "$PG_BIN" ] && [ -f "$PG_DIR/data/PG_VERSION" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
  if [ -f "$MY_DIR/mysqld.pid" ]; then
    kill "$(cat "$MY_DIR/mysqld.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$MY_DIR/mysqld.pid" ] || break; sleep 0.1; done
  fi
  rm -rf "$BASE"
  log "stopped and removed $BASE"
}

start_pg() {
  [ -n "$PG_BIN" ] || { log "PostgreSQL is not installed; skipping"; return 1; }
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR" "$BASE" 2>/dev/null || true
  chmod 755 "$BASE"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PG_DIR/data"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
      || as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off" start >/dev/null
  fi
  local psql=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
  "${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'pycelize'" | grep -q 1 \
    || "${psql[@]}" -c "CREATE ROLE pycelize LOGIN SUPERUSER"
  "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'pycelize_test'" | grep -q 1 \
    || "${psql[@]}" -c "CREATE DATABASE pycelize_test OWNER pycelize ENCODING 'UTF8' TEMPLATE template0"
  echo "export PYCELIZE_TEST_PG='postgresql://pycelize@127.0.0.1:$PG_PORT/pycelize_test'"
}

mysql_root() { mariadb --no-defaults -u root --socket="$MY_DIR/mysqld.sock" "$@"; }

start_mysql() {
  command -v mariadbd >/dev/null || command -v mysqld >/dev/null || { log "MariaDB is not installed; skipping"; return 1; }
  local server; server="$(command -v mariadbd || command -v mysqld)"
  mkdir -p "$MY_DIR"
  if [ ! -d "$MY_DIR/data/mysql" ]; then
    log "initialising MariaDB in $MY_DIR/data"
    mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$MY_DIR/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$MY_DIR/install.log" 2>&1
  fi
  if ! mysql_root -e "SELECT 1" >/dev/null 2>&1; then
    log "starting MariaDB on 127.0.0.1:$MY_PORT"
    "$server" --no-defaults --user="$(id -un)" --datadir="$MY_DIR/data" --port="$MY_PORT" --bind-address=127.0.0.1 \
      --socket="$MY_DIR/mysqld.sock" --pid-file="$MY_DIR/mysqld.pid" --skip-name-resolve \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --innodb-flush-log-at-trx-commit=0 \
      --log-error="$MY_DIR/server.log" >/dev/null 2>&1 &
    for _ in $(seq 300); do mysql_root -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
    mysql_root -e "SELECT 1" >/dev/null 2>&1 || { log "MariaDB did not start; see $MY_DIR/server.log"; return 1; }
  fi
  mysql_root -e "CREATE DATABASE IF NOT EXISTS pycelize_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    CREATE USER IF NOT EXISTS 'pycelize'@'%' IDENTIFIED BY 'pycelize';
    GRANT ALL ON pycelize_test.* TO 'pycelize'@'%'; FLUSH PRIVILEGES;"
  echo "export PYCELIZE_TEST_MYSQL='mysql://pycelize:pycelize@127.0.0.1:$MY_PORT/pycelize_test'"
}

if [ "${1:-start}" = "stop" ]; then stop_all; exit 0; fi
mkdir -p "$BASE"
status=0
start_pg || status=1
start_mysql || status=1
exit $status
