#!/usr/bin/env bash
# Runs a command with DATABASE_URL set to a throwaway Postgres server: a fresh cluster in a temp
# directory on a free loopback port, stopped and deleted when the command ends, even on failure or
# Ctrl-C. Needs Debian's postgresql (scripts/ensure-debian-packages.sh postgresql).
# Usage: scripts/with-postgres.sh command [args...]   (exits with the command's status)
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "[postgres] E_NO_POSTGRES: no /usr/lib/postgresql/*/bin/initdb; install it: bash scripts/ensure-debian-packages.sh postgresql" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/snear-pg.XXXXXX)
port=$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
as=()
# initdb refuses to run as root: run the server as Debian's postgres user then.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  echo "[postgres] E_INITDB: could not create a cluster in $dir" >&2
  exit 1
}
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || {
  cat "$dir/server.log" >&2
  echo "[postgres] E_PG_START: the server did not start on port $port" >&2
  exit 1
}
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "[postgres] throwaway server on 127.0.0.1:$port ($("$bin/postgres" --version))"
set +e
"$@"
status=$?
set -e
exit $status
