#!/usr/bin/env bash
# Throwaway Redis and PostgreSQL 15 + PostGIS for the tests, without systemd or Docker.
#
#   scripts/services.sh start DIR   install what is missing, start both servers on free loopback
#                                   ports with all their files in DIR, create controlroom_test
#                                   (PostGIS enabled) and write DIR/env.sh
#   scripts/services.sh stop DIR    stop both servers (tolerates servers already stopped)
#   scripts/services.sh ensure      only install what is missing
#
# DIR/env.sh exports:
#   CONTROLROOM_TEST_REDIS=127.0.0.1:PORT
#   CONTROLROOM_TEST_POSTGRES="Host=127.0.0.1;Port=PORT;Username=controlroom;Database=controlroom_test"
#   CONTROLROOM_TEST_CHROMIUM=/usr/bin/chromium
#
# As root, PostgreSQL runs as the `postgres` user (runuser): DIR and its parents must be
# traversable by that user, which any directory made under /tmp is once this script has
# made DIR itself traversable (mode 0711).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
POSTGIS_CONTROL=/usr/share/postgresql/15/extension/postgis.control
CHROMIUM=/usr/bin/chromium
PACKAGES=(redis-server postgresql postgresql-15-postgis-3 chromium)
PG_USER=controlroom
PG_DB=controlroom_test

log() { echo "services: $*" >&2; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as root: directly when root, else through passwordless sudo.
as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "need root to run '$*' (not root and no passwordless sudo). Install by hand: apt-get install -y ${PACKAGES[*]}"
  fi
}

# Run a PostgreSQL server-side command: as the postgres user when root, else as ourselves.
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

missing_tools() {
  local m=()
  command -v redis-server >/dev/null 2>&1 || m+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || m+=(redis-cli)
  [ -x "$PG_BIN/initdb" ] || m+=("$PG_BIN/initdb")
  [ -x "$PG_BIN/pg_ctl" ] || m+=("$PG_BIN/pg_ctl")
  command -v psql >/dev/null 2>&1 || m+=(psql)
  command -v pg_isready >/dev/null 2>&1 || m+=(pg_isready)
  [ -f "$POSTGIS_CONTROL" ] || m+=("$POSTGIS_CONTROL")
  [ -x "$CHROMIUM" ] || m+=("$CHROMIUM")
  if is_root; then getent passwd postgres >/dev/null || m+=("user postgres"); fi
  echo "${m[*]}"
}

ensure() {
  local missing
  missing="$(missing_tools)"
  [ -z "$missing" ] && return 0
  log "missing: $missing; installing ${PACKAGES[*]} with apt-get"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: ${PACKAGES[*]}"
  as_root apt-get update -q >&2 || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${PACKAGES[@]}" >&2 \
    || die "apt-get install ${PACKAGES[*]} failed"
  missing="$(missing_tools)"
  [ -z "$missing" ] || die "still missing after apt-get install: $missing"
}

# A free TCP port on 127.0.0.1 (the kernel picks it; a tiny race remains until the server binds it).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

# wait_for SECONDS COMMAND...: retry COMMAND every 0.2 s until it succeeds.
wait_for() {
  local secs=$1
  shift
  for _ in $(seq 1 $((secs * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]; }

start() {
  local dir=$1
  ensure
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/pg/postmaster.pid" ] || [ -f "$dir/redis/redis.pid" ]; then
    die "$dir already has running services (stop them first: $0 stop $dir)"
  fi

  # ---- Redis: no persistence, daemonized, files in DIR/redis
  local rport
  rport="$(free_port)"
  mkdir -p "$dir/redis"
  echo "$rport" >"$dir/redis/port"
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" >/dev/null \
    || die "redis-server failed to start (see $dir/redis/redis.log)"
  wait_for 15 redis_ping "$rport" \
    || { tail -n 20 "$dir/redis/redis.log" >&2 || true; die "redis did not answer PING on port $rport"; }

  # ---- PostgreSQL 15: trust auth, superuser controlroom, socket and log in DIR/pg-run
  local pport
  pport="$(free_port)"
  mkdir -p "$dir/pg" "$dir/pg-run"
  chmod 0700 "$dir/pg"
  if is_root; then
    chmod 0711 "$dir"
    chown postgres:postgres "$dir/pg" "$dir/pg-run"
    runuser -u postgres -- test -x "$dir" \
      || die "user postgres cannot reach $dir: use a directory under /tmp (every parent must be traversable)"
  fi
  echo "$pport" >"$dir/pg-run/port"
  if ! as_pg "$PG_BIN/initdb" -D "$dir/pg" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
      >"$dir/pg-run/initdb.log" 2>&1; then
    cat "$dir/pg-run/initdb.log" >&2
    die "initdb failed"
  fi
  cat >>"$dir/pg/postgresql.conf" <<EOF

# --- throwaway test server (scripts/services.sh) ---
listen_addresses = '127.0.0.1'
port = $pport
unix_socket_directories = '$dir/pg-run'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/pg-run/server.log" -w -t 60 start >/dev/null 2>&1; then
    tail -n 30 "$dir/pg-run/server.log" >&2 || true
    die "PostgreSQL failed to start"
  fi
  wait_for 30 pg_isready -q -h 127.0.0.1 -p "$pport" -U "$PG_USER" \
    || die "PostgreSQL did not become ready on port $pport"

  local psql=(psql -h 127.0.0.1 -p "$pport" -U "$PG_USER" -v ON_ERROR_STOP=1 -qAtX)
  "${psql[@]}" -d postgres -c "CREATE DATABASE $PG_DB" >/dev/null || die "CREATE DATABASE $PG_DB failed"
  "${psql[@]}" -d "$PG_DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null \
    || die "CREATE EXTENSION postgis failed in $PG_DB"

  cat >"$dir/env.sh" <<EOF
# Written by scripts/services.sh start $dir
export CONTROLROOM_TEST_REDIS=127.0.0.1:$rport
export CONTROLROOM_TEST_POSTGRES="Host=127.0.0.1;Port=$pport;Username=$PG_USER;Database=$PG_DB"
export CONTROLROOM_TEST_CHROMIUM=$CHROMIUM
EOF
  log "redis 127.0.0.1:$rport, postgres 127.0.0.1:$pport (db $PG_DB, postgis), env in $dir/env.sh"
}

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  local rc=0

  # ---- Redis
  if [ -f "$dir/redis/redis.pid" ] || [ -f "$dir/redis/port" ]; then
    local rport="" rpid=""
    rport="$(cat "$dir/redis/port" 2>/dev/null || true)"
    rpid="$(cat "$dir/redis/redis.pid" 2>/dev/null || true)"
    if [ -n "$rport" ]; then
      redis-cli -h 127.0.0.1 -p "$rport" shutdown nosave >/dev/null 2>&1 || true
    fi
    for _ in $(seq 1 50); do pid_alive "$rpid" || break; sleep 0.1; done
    if pid_alive "$rpid"; then
      kill "$rpid" 2>/dev/null || true
      for _ in $(seq 1 50); do pid_alive "$rpid" || break; sleep 0.1; done
      if pid_alive "$rpid"; then kill -9 "$rpid" 2>/dev/null || true; fi
    fi
    if pid_alive "$rpid"; then log "redis (pid $rpid) did not stop"; rc=1; fi
    rm -f "$dir/redis/redis.pid"
  fi

  # ---- PostgreSQL
  if [ -f "$dir/pg/postmaster.pid" ]; then
    if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -m fast -w -t 30 stop >/dev/null 2>&1; then
      if [ -f "$dir/pg/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$dir/pg" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
      fi
    fi
    if [ -f "$dir/pg/postmaster.pid" ]; then
      local ppid
      ppid="$(head -n 1 "$dir/pg/postmaster.pid" 2>/dev/null || true)"
      if pid_alive "$ppid"; then log "postgres (pid $ppid) did not stop"; rc=1; fi
    fi
  fi
  return $rc
}

usage() { echo "usage: $0 start DIR | stop DIR | ensure" >&2; exit 2; }

# If start fails half-way, stop whatever it had started.
STARTING=""
on_exit() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -n "$STARTING" ]; then
    log "start failed: stopping what was started in $STARTING"
    stop "$STARTING" || true
  fi
  exit "$status"
}
trap on_exit EXIT

cmd=${1:-}
case "$cmd" in
  start) [ $# -eq 2 ] || usage; STARTING="$2"; start "$2"; STARTING="" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  ensure) ensure ;;
  *) usage ;;
esac
