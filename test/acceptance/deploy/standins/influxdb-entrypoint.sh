#!/bin/sh
# STAND-IN for the influxdb:1.x image's entrypoint.sh + init-influxdb.sh (written for flinkmon's tests, not
# copied): on a data folder without meta/, start influxd on a loopback port, create the database and the users
# the INFLUXDB_* variables name, run /docker-entrypoint-initdb.d/*.iql, stop it, then exec influxd. Statements
# are built the way the image builds them (WITH PASSWORD '<value>', unquoted), so a password the image would
# choke on chokes here too.
set -e
if [ "${1#-}" != "$1" ]; then set -- influxd "$@"; fi
if [ "$1" = influxd ] && [ ! -d /var/lib/influxdb/meta ]; then
  INIT_PORT=8089
  INFLUXDB_HTTP_BIND_ADDRESS=127.0.0.1:$INIT_PORT INFLUXDB_HTTP_HTTPS_ENABLED=false influxd -config /etc/influxdb/influxdb.conf &
  pid=$!
  for i in $(seq 1 60); do curl -sf "http://127.0.0.1:$INIT_PORT/ping" >/dev/null 2>&1 && break; sleep 0.5; done
  q() {
    out=$(curl -sS -XPOST "http://127.0.0.1:$INIT_PORT/query" $AUTH --data-urlencode "q=$1")
    case "$out" in *'"error"'*) echo "init: $out" >&2; return 1 ;; esac
  }
  AUTH=""
  if [ -n "$INFLUXDB_ADMIN_USER" ]; then
    q "CREATE USER \"$INFLUXDB_ADMIN_USER\" WITH PASSWORD '$INFLUXDB_ADMIN_PASSWORD' WITH ALL PRIVILEGES"
    AUTH="-u $INFLUXDB_ADMIN_USER:$INFLUXDB_ADMIN_PASSWORD"
  fi
  [ -n "$INFLUXDB_DB" ] && q "CREATE DATABASE \"$INFLUXDB_DB\""
  if [ -n "$INFLUXDB_WRITE_USER" ]; then
    q "CREATE USER \"$INFLUXDB_WRITE_USER\" WITH PASSWORD '$INFLUXDB_WRITE_USER_PASSWORD'"
    q "GRANT WRITE ON \"$INFLUXDB_DB\" TO \"$INFLUXDB_WRITE_USER\""
  fi
  if [ -n "$INFLUXDB_READ_USER" ]; then
    q "CREATE USER \"$INFLUXDB_READ_USER\" WITH PASSWORD '$INFLUXDB_READ_USER_PASSWORD'"
    q "GRANT READ ON \"$INFLUXDB_DB\" TO \"$INFLUXDB_READ_USER\""
  fi
  for f in /docker-entrypoint-initdb.d/*.iql; do
    [ -f "$f" ] || continue
    echo "init: running $f"
    while IFS= read -r line; do [ -n "$line" ] && q "$line"; done < "$f"
  done
  kill "$pid"
  wait "$pid" || true
fi
exec "$@"
