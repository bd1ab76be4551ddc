#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1:${PGPORT:-55432} (trust auth, user postgres)
# and prints its URL. Used by .ci/run and by developers who want to run the suite on PostgreSQL.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PGPORT=${PGPORT:-55432}
PGDIR=${PGDIR:-/tmp/grassroots-pg-$PGPORT}
if [ ! -f "$PGDIR/PG_VERSION" ]; then
  mkdir -p "$PGDIR"
  chown postgres:postgres "$PGDIR" 2>/dev/null || true
  if [ "$(id -u)" = "0" ]; then
    su postgres -s /bin/bash -c "$PGBIN/initdb -D $PGDIR -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
  else
    "$PGBIN/initdb" -D "$PGDIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
fi
run() { if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
# Already running (a second CI run on the same machine, or a developer's cluster): reuse it.
if run "$PGBIN/pg_ctl -D $PGDIR status" >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
  exit 0
fi
OPTS="-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200"
if [ "$(id -u)" = "0" ]; then
  su postgres -s /bin/bash -c "$PGBIN/pg_ctl -D $PGDIR -o '$OPTS' -l $PGDIR/log -w start" >/dev/null
else
  "$PGBIN/pg_ctl" -D "$PGDIR" -o "$OPTS" -l "$PGDIR/log" -w start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
