#!/usr/bin/env bash
# make dast: dynamic security scan of the app as it runs in production (DEBUG=0),
# on loopback only. Not part of `make test`: it takes minutes and fetches the
# scanners from PyPI.
#
# 1. A scan database (DAST_DATABASE_URL, default stride_dast on the local
#    PostgreSQL) is migrated as its owner; db_grant makes the runtime role
#    stride_dast_app, which the server then connects as (as in production).
# 2. gunicorn serves the app with DEBUG=0 on 127.0.0.1 (plain HTTP: no TLS
#    redirect, no HSTS; the per-address identity-check limit raised, and the
#    scan link's failed checks cleared as the scan goes, so the lockout does
#    not end the scan early).
# 3. sqlmap tries SQL injection on the staff patient search (signed in as a
#    therapist with both factors) and on the intake link's identity check;
#    wapiti crawls and attacks the signed-in staff pages. Each tool is bounded
#    by DAST_SECONDS (default 300).
# 4. The findings are printed, and any 5xx the server answered (a missing
#    grant shows as one); reports stay in var/dast/.
#
# Scanners: sqlmap and wapiti3 from PyPI, run through uvx (uv's tool runner,
# nothing added to the project's lock). wapiti3 3.3 needs Python 3.12 or later;
# with only 3.11 an older wapiti3 that supports it is used.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
OUT=var/dast
SQLMAP_SPEC=${SQLMAP_SPEC:-sqlmap==1.10.10}
WAPITI_SPEC=${WAPITI_SPEC:-wapiti3}
DAST_SECONDS=${DAST_SECONDS:-300}
DAST_DATABASE_URL=${DAST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/stride_dast}
RUNTIME_ROLE=stride_dast_app
export UV_PYTHON_DOWNLOADS=never

rm -rf "$OUT/sqlmap" "$OUT/wapiti" "$OUT/var" "$OUT"/*.txt "$OUT"/*.log
mkdir -p "$OUT/wapiti"

# --- The scanners ----------------------------------------------------------------------------
wapiti_python=$BIN/python
for candidate in python3.13 python3.12; do
  # Run it: a pyenv shim exists even where that version is not selected.
  if "$candidate" -c 'import sys' >/dev/null 2>&1; then wapiti_python=$(command -v "$candidate"); break; fi
done
sqlmap=("$BIN/uvx" --python "$BIN/python" --from "$SQLMAP_SPEC" sqlmap)
wapiti=("$BIN/uvx" --python "$wapiti_python" --from "$WAPITI_SPEC" wapiti)
missing=""
"${sqlmap[@]}" --version >/dev/null 2>&1 || missing="$missing sqlmap ($SQLMAP_SPEC)"
"${wapiti[@]}" --version >/dev/null 2>&1 || missing="$missing wapiti ($WAPITI_SPEC, on $wapiti_python)"
if [ -n "$missing" ]; then
  cat >&2 <<EOF
make dast needs:$missing
They come from PyPI through uvx ($BIN/uvx). Without network access to PyPI, install
them by hand (pip install sqlmap wapiti3, wapiti3 3.3 on Python 3.12+) and set
SQLMAP_SPEC / WAPITI_SPEC to local wheels, or run make dast where PyPI is reachable.
EOF
  exit 2
fi

# --- The database and its two roles ---------------------------------------------------------
DATABASE_URL=$DAST_DATABASE_URL "$BIN/python" - <<'PY'
import os
import urllib.parse

import psycopg
from psycopg import sql

url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
maintenance = url._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
with psycopg.connect(maintenance, autocommit=True) as conn:
    if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
PY
runtime_password=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(24))')
owner_env=(env DEBUG=1 STRIDE_VAR_DIR="$OUT/var" DATABASE_URL="$DAST_DATABASE_URL" CELERY_BROKER_URL=memory://)
"${owner_env[@]}" "$BIN/python" manage.py migrate --noinput -v0
"${owner_env[@]}" DB_RUNTIME_PASSWORD="$runtime_password" "$BIN/python" manage.py db_grant --role "$RUNTIME_ROLE"
"${owner_env[@]}" "$BIN/python" scripts/dast.py setup "$OUT/scan.json"
runtime_url=$("$BIN/python" -c '
import sys, urllib.parse as p
u = p.urlsplit(sys.argv[1])
host = u.hostname + (f":{u.port}" if u.port else "")
print(u._replace(netloc=f"{sys.argv[2]}:{sys.argv[3]}@{host}").geturl())' "$DAST_DATABASE_URL" "$RUNTIME_ROLE" "$runtime_password")

# --- The server: production settings on loopback ------------------------------------------------
port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
server_env=(env -i PATH="$PATH" DEBUG=0 STRIDE_VAR_DIR="$OUT/var"
  SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(60))')"
  ALLOWED_HOSTS=127.0.0.1 SITE_URL="$base" DATABASE_URL="$runtime_url" CELERY_BROKER_URL=memory://
  SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
  INTAKE_CHECKS_PER_IP_PER_HOUR=1000000 INTAKE_MAX_FAILED_CHECKS=50)
"${server_env[@]}" "$BIN/python" manage.py collectstatic --noinput -v0
"${server_env[@]}" "$BIN/gunicorn" clinic.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
  --access-logfile "$OUT/access.log" > "$OUT/gunicorn.log" 2>&1 &
server=$!
unlocker=""
stop() {
  for pid in $unlocker $server; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
for _ in $(seq 60); do
  "$BIN/python" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" 2>/dev/null && break
  sleep 0.5
done
echo "dast: app on $base (DEBUG=0, database role $RUNTIME_ROLE)"

# --- sqlmap: patient search and the identity check --------------------------------------------------
sqlmap_common=(--batch --dbms=PostgreSQL --level=3 --risk=1 --time-sec=2 --timeout=15 --retries=1
  --output-dir="$OUT/sqlmap" --disable-coloring)
staff_cookie=$("$BIN/python" scripts/dast.py login "$OUT/scan.json" "$base")
echo "dast: sqlmap on the patient search (signed in)"
# The search is a POST (names never reach a URL), with the form's CSRF token fetched for each try.
timeout "$DAST_SECONDS" "${sqlmap[@]}" -u "$base/patients/" --cookie="$staff_cookie" \
  --data="csrfmiddlewaretoken=x&q=Target" -p q --csrf-token=csrfmiddlewaretoken --csrf-url="$base/patients/" \
  "${sqlmap_common[@]}" > "$OUT/sqlmap-search.txt" 2>&1 || echo "dast: sqlmap (search) stopped: exit $?"

link_cookie=$("$BIN/python" scripts/dast.py link "$OUT/scan.json" "$base")
"$BIN/python" scripts/dast.py unlock "$OUT/scan.json" "$DAST_DATABASE_URL" &
unlocker=$!
echo "dast: sqlmap on the intake identity check"
timeout "$DAST_SECONDS" "${sqlmap[@]}" -u "$base/patients/intake/check/" --cookie="$link_cookie" \
  --data="csrfmiddlewaretoken=x&last_name=Nobody&dob_day=1&dob_month=1&dob_year=1990" \
  -p "last_name,dob_day,dob_month,dob_year" --csrf-token=csrfmiddlewaretoken \
  --csrf-url="$base/patients/intake/check/" "${sqlmap_common[@]}" \
  > "$OUT/sqlmap-identity-check.txt" 2>&1 || echo "dast: sqlmap (identity check) stopped: exit $?"
kill "$unlocker" 2>/dev/null || true

# --- wapiti: the signed-in staff pages -----------------------------------------------------------
staff_cookie=$("$BIN/python" scripts/dast.py login "$OUT/scan.json" "$base")
echo "dast: wapiti on the staff pages (signed in)"
# wapiti stops itself (--max-scan-time for the crawl, --max-attack-time per module) and
# then writes its report; the outer timeout, past all of those, is only a backstop.
# Only modules that talk to this server: ssrf, xxe and log4shell call out to wapiti's
# public endpoints, ssl needs TLS, wapp/htp/nikto/cms fetch databases.
wapiti_modules=sql,timesql,xss,permanentxss,exec,file,redirect,crlf,csrf,upload,methods,cookieflags,csp,http_headers
timeout "$((DAST_SECONDS * 5 + 120))" "${wapiti[@]}" -u "$base/" --scope folder -H "Cookie: $staff_cookie" \
  -m "$wapiti_modules" \
  -x "$base/accounts/logout/" -x "$base/accounts/password/" -x "$base/admin/" \
  --max-scan-time "$DAST_SECONDS" --max-attack-time "$((DAST_SECONDS / 4 + 1))" --flush-session \
  -f txt -o "$OUT/wapiti/report.txt" > "$OUT/wapiti.log" 2>&1 || echo "dast: wapiti stopped: exit $?"

# --- Findings -------------------------------------------------------------------------------------
echo
echo "=== sqlmap findings ==="
for report in "$OUT"/sqlmap-*.txt; do
  # sqlmap's conclusions only (a parameter that "appears to be injectable" is re-checked by it).
  verdict=$(grep -Ei "identified the following injection point|does not seem to be injectable|do not appear to be injectable|is vulnerable" "$report" | cut -c1-160 | sort -u || true)
  echo "--- ${report#"$OUT"/}"
  echo "${verdict:-(no verdict: see the report)}"
done
echo
echo "=== wapiti findings ==="
if [ -f "$OUT/wapiti/report.txt" ]; then
  cat "$OUT/wapiti/report.txt"
else
  tail -20 "$OUT/wapiti.log"
fi
echo
echo "=== server errors (5xx) during the scans ==="
# A 500 as the runtime role may be a missing grant: gunicorn.log has the traceback.
grep -E '" 5[0-9]{2} ' "$OUT/access.log" | tail -20 || echo "(none)"
echo
echo "dast: reports in $OUT/ (sqlmap-*.txt, sqlmap/, wapiti/report.txt, gunicorn.log)"
