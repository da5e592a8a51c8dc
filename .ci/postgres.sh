#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests on 127.0.0.1:55432 and print
# its URL. Installs Debian's postgresql package when no server binary exists.
# Usage: eval "$(.ci/postgres.sh)"   -> exports ROOTOUT_TEST_PG_URL
set -euo pipefail
PORT="${ROOTOUT_PG_PORT:-55432}"
DATA="${ROOTOUT_PG_DATA:-/tmp/rootout-pg}"

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/postgres" ] && bindir="$candidate"
done
if [ -z "$bindir" ]; then
  echo "installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  for candidate in /usr/lib/postgresql/*/bin; do bindir="$candidate"; done
fi
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres

# A server already answering on the port is reused (never wiped): checking with
# pg_isready works whoever runs this script, unlike `pg_ctl status` as root.
if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$DATA"
  install -d -o postgres -g postgres "$DATA"
  su postgres -s /bin/sh -c "'$bindir/initdb' -D '$DATA' -A trust -U postgres --no-sync" >&2
  su postgres -s /bin/sh -c "'$bindir/pg_ctl' -D '$DATA' -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l '$DATA/server.log' -w start" >&2
fi
echo "export ROOTOUT_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
