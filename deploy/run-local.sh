#!/usr/bin/env bash
# `make prod`: the production layout of docs/deploy.md, started on this machine from this checkout.
#
#   nginx (TLS, deploy/nginx/guichet.conf) → gunicorn A and B → PostgreSQL (its own database on
#   the running cluster), Redis (its own server), a Celery worker and beat, and an S3 object
#   store (moto's standalone server, used through django-storages and boto3).
#
#   deploy/run-local.sh           start, run the smoke test (deploy/smoke.py), serve until Ctrl-C
#   deploy/run-local.sh --check   start, run the smoke test, stop (CI: tests/test_production_stack.py)
#
# Everything lives in one temporary folder (configuration, logs, pids, keys, static files) and the
# database is dropped on exit: the checkout and the developer's var/ are left untouched. The demo
# data is loaded once by `load_demo` (GUICHET_DEBUG=1 for that command only); the servers run with
# DEBUG off, as in production. Variables: GUICHET_STACK_ADMIN_URL (a PostgreSQL role allowed to
# create databases; default postgres://guichet:guichet@127.0.0.1:5432/postgres), GUICHET_STACK_DB.
set -euo pipefail
mode=serve
[ "${1:-}" = "--check" ] && mode=check
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
started=$(date +%s)
say() { echo "[stack $(($(date +%s) - started)) s] $*"; }
fail() { echo "[stack] ERROR: $*" >&2; exit 1; }

[ -x "$PY" ] || fail "no .venv: run \`make venv-dev\` first (moto's server is a test tool)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || fail "nginx is missing: apt-get install nginx (Debian package)"
REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
[ -x "$REDIS_SERVER" ] || fail "redis-server is missing: apt-get install redis-server"
command -v psql >/dev/null || fail "psql is missing: apt-get install postgresql-client"
command -v openssl >/dev/null || fail "openssl is missing"

ADMIN_URL=${GUICHET_STACK_ADMIN_URL:-postgres://guichet:guichet@127.0.0.1:5432/postgres}
DB_NAME=${GUICHET_STACK_DB:-guichet_stack_$$}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/guichet-stack.XXXXXX")
chmod 755 "$DIR"
mkdir -p "$DIR"/{pids,logs,var,static,checkpoints,metrics,nginx/temp,tls}
pids=()

free_ports() { "$PY" - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
read -r HTTPS_PORT HTTP_PORT APP_A APP_B REDIS_PORT S3_PORT <<<"$(free_ports 6)"

stop() {
  status=$?
  trap - EXIT INT TERM
  touch "$DIR/stopping"
  say "stopping"
  for pid in "${pids[@]}" $(cat "$DIR"/pids/worker.pid 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    echo "[stack] failed: the last lines of each log ($DIR/logs):" >&2
    for log in "$DIR"/logs/*.log; do echo "--- $log" >&2; tail -n 15 "$log" >&2; done
  fi
  rm -rf "$DIR"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for WHAT SECONDS COMMAND…
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  fail "$what did not start within $seconds s (logs: $DIR/logs)"
}
http_ok() {  # any answer but a 5xx, without following redirects
  "$PY" -c "
import sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1], headers={\"X-Forwarded-Proto\": \"https\"})
try:
    urllib.request.urlopen(request, timeout=2)
except urllib.error.HTTPError as error:
    sys.exit(error.code >= 500)" "$1"
}

# --- The environment every Guichet process of the stack shares (production settings) ----------
openssl genpkey -algorithm ed25519 -out "$DIR/audit-key.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$DIR/tls/privkey.pem" -out "$DIR/tls/fullchain.pem" 2>/dev/null
DB_URL="${ADMIN_URL%/*}/$DB_NAME"
cat >"$DIR/stack.env" <<ENV
DATABASE_URL=$DB_URL
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
GUICHET_SECRET_KEY=$(openssl rand -hex 32)
GUICHET_ALLOWED_HOSTS=127.0.0.1,localhost
GUICHET_SITE_URL=https://127.0.0.1:$HTTPS_PORT
GUICHET_BEHIND_PROXY=1
GUICHET_TRUSTED_PROXIES=127.0.0.1/32
GUICHET_HSTS_SECONDS=0
GUICHET_VAR_DIR=$DIR/var
GUICHET_STATIC_ROOT=$DIR/static
GUICHET_AUDIT_SIGNING_KEY_FILE=$DIR/audit-key.pem
GUICHET_AUDIT_CHECKPOINT_DIR=$DIR/checkpoints
GUICHET_SIGNING_DIR=$DIR/var/pki
GUICHET_SIGNING_TEST_AUTHORITY=1
GUICHET_SMS_GATEWAY=console
GUICHET_SMS_CONSOLE_HOLD_FILE=$DIR/gateway.hold
GUICHET_CELERY_VISIBILITY_TIMEOUT=${GUICHET_STACK_VISIBILITY_TIMEOUT:-5}
GUICHET_S3_BUCKET=guichet-media
GUICHET_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
GUICHET_S3_ACCESS_KEY=stack-access-key
GUICHET_S3_SECRET_KEY=stack-secret-key
GUICHET_S3_REGION=us-east-1
GUICHET_LOG_FORMAT=json
GUICHET_TRANSIT_WARM_ON_START=0
PROMETHEUS_MULTIPROC_DIR=$DIR/metrics
GUICHET_METRICS_TOKEN=$(openssl rand -hex 16)
GUICHET_STACK_HTTPS=https://127.0.0.1:$HTTPS_PORT
GUICHET_STACK_HTTP=http://127.0.0.1:$HTTP_PORT
GUICHET_STACK_APP_A=http://127.0.0.1:$APP_A
GUICHET_STACK_APP_B=http://127.0.0.1:$APP_B
GUICHET_STACK_CA=$DIR/tls/fullchain.pem
GUICHET_STACK_DIR=$DIR
ENV
set -a
# shellcheck disable=SC1091
. "$DIR/stack.env"
set +a
export GUICHET_LOCAL_ENV=/nonexistent  # never the checkout's local.env

# --- Services ---------------------------------------------------------------------------------
say "Redis on 127.0.0.1:$REDIS_PORT, S3 (moto) on 127.0.0.1:$S3_PORT"
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$DIR" >"$DIR/logs/redis.log" 2>&1 &
pids+=($!)
"$PY" -m moto.server -H 127.0.0.1 -p "$S3_PORT" >"$DIR/logs/s3.log" 2>&1 &
pids+=($!)
psql -q "$ADMIN_URL" -c "CREATE DATABASE \"$DB_NAME\"" >/dev/null ||
  fail "could not create the database $DB_NAME with $ADMIN_URL"
wait_for Redis 15 "$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$REDIS_URL"
wait_for "the S3 server" 20 http_ok "$GUICHET_S3_ENDPOINT_URL/moto-api/"
"$PY" -c "
import boto3, os
boto3.client('s3', endpoint_url=os.environ['GUICHET_S3_ENDPOINT_URL'], region_name='us-east-1',
             aws_access_key_id='x', aws_secret_access_key='y').create_bucket(Bucket='guichet-media')"

say "migrate, demo data, collectstatic (database $DB_NAME)"
"$PY" manage.py migrate --noinput -v 0 >"$DIR/logs/migrate.log" 2>&1 || fail "migrate failed"
if [ "$mode" = serve ]; then
  GUICHET_DEBUG=1 "$PY" manage.py load_demo >"$DIR/logs/demo.log" 2>&1 || fail "load_demo failed"
else  # what the smoke test needs: the demo agents and the complaint categories (seconds, not a minute)
  GUICHET_DEBUG=1 "$PY" manage.py shell -c "from guichet.accounts import demo as accounts
from guichet.complaints import demo as complaints
accounts.load(print)
complaints.load(print)" >"$DIR/logs/demo.log" 2>&1 || fail "the demo agents and categories failed"
fi
"$PY" manage.py collectstatic --noinput -v 0 >"$DIR/logs/static.log" 2>&1 || fail "collectstatic failed"

say "gunicorn A on :$APP_A and B on :$APP_B, Celery worker and beat"
for port in "$APP_A" "$APP_B"; do
  "$ROOT/.venv/bin/gunicorn" guichet.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 60 \
    --pid "$DIR/pids/gunicorn-$port.pid" >"$DIR/logs/gunicorn-$port.log" 2>&1 &
  pids+=($!)
done
# The worker runs under a small supervisor loop (systemd's Restart= in production): the smoke
# test kills it mid-task and holds it down with $DIR/worker.hold while messages pile up in Redis.
# The visibility timeout is 5 s here (production: 1800 s, docs/deploy.md), so that the task the
# killed worker held comes back within the test.
(
  while [ ! -e "$DIR/stopping" ]; do
    if [ -e "$DIR/worker.hold" ]; then sleep 0.2; continue; fi
    "$PY" -m celery -A guichet worker --loglevel INFO --concurrency 1 --without-gossip \
      --without-mingle --pidfile "$DIR/pids/worker.pid" >>"$DIR/logs/worker.log" 2>&1 || true
  done
) 2>/dev/null &
pids+=($!)
"$PY" -m celery -A guichet beat --loglevel INFO --schedule "$DIR/var/celerybeat-schedule" \
  --pidfile "$DIR/pids/beat.pid" >"$DIR/logs/beat.log" 2>&1 &
pids+=($!)

say "nginx on https://127.0.0.1:$HTTPS_PORT (http://127.0.0.1:$HTTP_PORT redirects)"
sed -e "s|server 127.0.0.1:8001|server 127.0.0.1:$APP_A|; s|server 127.0.0.1:8002|server 127.0.0.1:$APP_B|" \
  -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|; /listen \[::\]/d" \
  -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
  -e "s|/etc/ssl/guichet/|$DIR/tls/|; s|/srv/guichet/static/|$DIR/static/|" \
  -e "s|/var/log/nginx/|$DIR/logs/nginx-|" \
  deploy/nginx/guichet.conf >"$DIR/nginx/site.conf"
cat >"$DIR/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $DIR/pids/nginx.pid;
error_log $DIR/logs/nginx-error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user nobody nogroup;" )
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $DIR/nginx/temp/body;
    proxy_temp_path $DIR/nginx/temp/proxy;
    fastcgi_temp_path $DIR/nginx/temp/fastcgi;
    uwsgi_temp_path $DIR/nginx/temp/uwsgi;
    scgi_temp_path $DIR/nginx/temp/scgi;
    include $DIR/nginx/site.conf;
}
CONF
"$NGINX" -e stderr -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -g "daemon off;" \
  >"$DIR/logs/nginx.log" 2>&1 &
pids+=($!)

say "waiting for the app servers, the worker and nginx"
wait_for "gunicorn A" 60 http_ok "$GUICHET_STACK_APP_A/favicon.ico"
wait_for "gunicorn B" 60 http_ok "$GUICHET_STACK_APP_B/favicon.ico"
wait_for "the Celery worker" 60 test -s "$DIR/pids/worker.pid"
wait_for nginx 15 "$PY" -c "
import ssl, sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2, context=ssl.create_default_context(cafile=sys.argv[2]))
" "$GUICHET_STACK_HTTPS/healthz" "$GUICHET_STACK_CA"
say "stack up; smoke test"
"$PY" deploy/smoke.py
say "smoke test passed"
if [ "$mode" = serve ]; then
  say "Guichet: $GUICHET_STACK_HTTPS/ (self-signed certificate) · agents: demo.* / demo · logs: $DIR/logs"
  say "environment for manage.py: set -a; . $DIR/stack.env; set +a · stop: Ctrl-C"
  wait
fi
