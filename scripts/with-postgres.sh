#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup/on_signal are only called from traps
# Run a command against a throwaway PostgreSQL server.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a private cluster (initdb into a fresh temp dir, trust auth, fsync
# off) listening on 127.0.0.1:PORT and on a unix socket inside the temp dir,
# creates database member_terminal_test, runs CMD with
#
#   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/member_terminal_test
#
# exported, then stops the server and deletes everything (also on failure,
# Ctrl-C or TERM). Exits with CMD's exit status.
#
# PORT starts at $PG_TEST_PORT (default 55432) and moves up while ports are
# busy, so a system cluster on 5432 or another run is never touched. As root
# the server runs as the `postgres` user (runuser); otherwise as you.
# Leftovers of earlier runs that were killed with SIGKILL are cleaned up.
#
# Server binaries: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin,
# else whatever initdb is on PATH.
set -euo pipefail

PREFIX=member-terminal-pg
DB_NAME=${PG_TEST_DB:-member_terminal_test}
DB_USER=postgres
PORT_START=${PG_TEST_PORT:-55432}
PORT_TRIES=50

say() { printf '[with-postgres] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

(($#)) || die "usage: $0 CMD [ARGS...]"

# The client-side PG* variables of the caller must not redirect our own
# psql/createdb calls, nor the tests (which get TEST_DATABASE_URL).
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS \
      PGSSLMODE PGPASSFILE PGSERVICEFILE PGDATA

# --- server binaries --------------------------------------------------------
if [[ -n "${PG_BINDIR:-}" ]]; then
  bindir=$PG_BINDIR
else
  bindir=$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n 1 || true)
  if [[ -z "$bindir" ]] && command -v initdb >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v initdb)")
  fi
fi
for b in initdb pg_ctl postgres psql createdb; do
  [[ -x "$bindir/$b" ]] || die "PostgreSQL server binary '$b' not found (looked in '${bindir:-/usr/lib/postgresql/*/bin}'). On Debian/Ubuntu: apt-get install --no-install-recommends postgresql"
done

# --- whose server? ----------------------------------------------------------
if [[ "$(id -u)" == 0 ]]; then
  id -u postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server as (the Debian postgresql package creates it)"
  command -v runuser >/dev/null 2>&1 || die "running as root but 'runuser' (util-linux) is missing"
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
  pg_owner=postgres
else
  as_pg() { (cd / && "$@"); }
  pg_owner=$(id -un)
fi

# --- temp dir ---------------------------------------------------------------
parent=${TMPDIR:-/tmp}
# The server user must reach the directory, and unix socket paths are limited
# to ~107 bytes: fall back to /tmp when TMPDIR does not fit.
if [[ ! -d "$parent" || ${#parent} -gt 60 || "$parent" == *[[:space:]\'\"]* ]] || { [[ $pg_owner == postgres ]] && ! as_pg test -x "$parent"; }; then
  parent=/tmp
fi

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Remove leftovers of runs whose wrapper is gone (e.g. killed with SIGKILL).
cleanup_stale() {
  local d owner
  for d in "$parent/$PREFIX".*; do
    [[ -d "$d" ]] || continue
    [[ $pg_owner == postgres || -O "$d" ]] || continue   # not ours to remove
    owner=$(cat "$d/wrapper.pid" 2>/dev/null || true)
    if [[ -z "$owner" && -n "$(find "$d" -maxdepth 0 -mmin -2 2>/dev/null)" ]]; then
      continue   # just created by a run that has not written wrapper.pid yet
    fi
    if pid_alive "$owner" && tr '\0' ' ' <"/proc/$owner/cmdline" 2>/dev/null | grep -q with-postgres; then
      continue   # another run is still using it
    fi
    say "removing stale $d from an earlier run"
    if [[ -f "$d/data/postmaster.pid" ]]; then
      as_pg "$bindir/pg_ctl" -D "$d/data" stop -m immediate -w -t 30 >/dev/null 2>&1 || true
      local pm
      pm=$(head -n 1 "$d/data/postmaster.pid" 2>/dev/null || true)
      if pid_alive "$pm"; then kill -9 "$pm" 2>/dev/null || true; fi
    fi
    rm -rf -- "$d"
  done
}
cleanup_stale

tmp=$(mktemp -d "$parent/$PREFIX.XXXXXX")
echo $$ >"$tmp/wrapper.pid"
data=$tmp/data
sock=$tmp/sock
log=$tmp/server.log
mkdir -p "$sock"
started=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ -f "$data/postmaster.pid" ]]; then
    if ! as_pg "$bindir/pg_ctl" -D "$data" stop -m fast -w -t 60 >/dev/null 2>&1; then
      say "fast shutdown failed; stopping immediately"
      as_pg "$bindir/pg_ctl" -D "$data" stop -m immediate -w -t 30 >/dev/null 2>&1 || true
    fi
    say "server on port ${port:-?} stopped"
  fi
  rm -rf -- "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ $pg_owner == postgres ]]; then
  chown -R postgres: "$tmp"
fi

# --- initdb -----------------------------------------------------------------
if ! as_pg "$bindir/initdb" -D "$data" -U "$DB_USER" --auth=trust --encoding=UTF8 \
      --no-locale --no-sync >"$tmp/initdb.log" 2>&1; then
  cat "$tmp/initdb.log" >&2
  die "initdb failed"
fi

# --- start, on the first free port -----------------------------------------
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=$PORT_START
for ((try = 0; try < PORT_TRIES; try++, port++)); do
  if port_busy "$port"; then
    say "port $port is busy, trying $((port + 1))"
    continue
  fi
  rm -f -- "$log"
  if as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 -s start -o "\
-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$sock' \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
-c max_connections=100 -c log_min_messages=warning" >/dev/null 2>&1; then
    started=1
    break
  fi
  if grep -qiE 'address already in use|could not create any TCP/IP sockets|lock file .* already exists' "$log" 2>/dev/null; then
    say "port $port was taken while starting, trying $((port + 1))"
    as_pg "$bindir/pg_ctl" -D "$data" stop -m immediate -w >/dev/null 2>&1 || true
    continue
  fi
  cat "$log" >&2 || true
  die "the PostgreSQL server did not start (log above)"
done
((started)) || die "no free port in $PORT_START..$((PORT_START + PORT_TRIES - 1))"

# --- database ---------------------------------------------------------------
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
server_version=$("$bindir/psql" -X -A -t -h 127.0.0.1 -p "$port" -U "$DB_USER" -d "$DB_NAME" \
  -c 'select version()')

export TEST_DATABASE_URL="postgresql://$DB_USER@127.0.0.1:$port/$DB_NAME"
say "server: $server_version"
say "binaries: $bindir; data: $data (throwaway)"
say "TEST_DATABASE_URL=$TEST_DATABASE_URL"
say "running: $*"

# Run CMD as a child we can signal: a TERM/HUP to this script reaches it at
# once, and the server is stopped right after it ends. (An async child would
# ignore SIGINT and read /dev/null; restore both so Ctrl-C and stdin work.)
child=
on_signal() {
  local sig=$1 code=$2 i
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    if [[ $sig == INT ]]; then
      # Ctrl-C already reached CMD through the terminal: give it time to stop
      for ((i = 0; i < 20; i++)); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    fi
    kill -"$sig" "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$code"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

exec 3<&0
( trap - INT QUIT TERM HUP; exec "$@" <&3 3<&- ) &
child=$!
exec 3<&-
rc=0
wait "$child" || rc=$?
exit "$rc"
