#!/bin/sh
# Entrypoint of the Stride image (web, worker and beat).
# 1. Wait until the database accepts connections (DB_WAIT_SECONDS, default 60).
# 2. Where RUN_MIGRATIONS=1 (the web service only, so worker and beat never
#    race it): apply migrations as the owner of the schema
#    (MIGRATION_DATABASE_URL), then `db_grant` gives the runtime role, the user
#    in DATABASE_URL, exactly what the app needs (clinic/dbroles.py) and sets
#    its password to the one in DATABASE_URL.
# 3. Run the service's command as the runtime role, without the owner's URL.
set -eu

# The migrating service waits as the owner: on the first start the runtime
# role does not exist until db_grant has made it.
wait_url="${DATABASE_URL:-}"
if [ "${RUN_MIGRATIONS:-0}" = "1" ] && [ -n "${MIGRATION_DATABASE_URL:-}" ]; then
    wait_url="$MIGRATION_DATABASE_URL"
fi

DATABASE_URL="$wait_url" python - "${DB_WAIT_SECONDS:-60}" <<'PY'
import sys
import time

import django

django.setup()  # settings errors (missing SECRET_KEY, ...) stop the container here

from django.db import connection
from django.db.utils import OperationalError

deadline = time.monotonic() + int(sys.argv[1])
while True:
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if time.monotonic() >= deadline:
            sys.exit(f"entrypoint: the database is still unreachable: {exc}")
        print("entrypoint: waiting for the database", flush=True)
        time.sleep(2)
    else:
        break
PY

# A part of DATABASE_URL (username or password), percent-decoded.
url_part() {
    python -c 'import os, sys, urllib.parse as p; print(p.unquote(getattr(p.urlsplit(os.environ["DATABASE_URL"]), sys.argv[1]) or ""))' "$1"
}

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    if [ -n "${MIGRATION_DATABASE_URL:-}" ]; then
        runtime_role="$(url_part username)"
        runtime_password="$(url_part password)"
        DATABASE_URL="$MIGRATION_DATABASE_URL" python manage.py migrate --noinput
        DATABASE_URL="$MIGRATION_DATABASE_URL" DB_RUNTIME_PASSWORD="$runtime_password" \
            python manage.py db_grant --role "$runtime_role"
        unset runtime_password
    else
        echo "entrypoint: MIGRATION_DATABASE_URL is not set: migrating as the user in DATABASE_URL," \
            "which then owns the schema and can rewrite the audit trail (see README, Security)." >&2
        python manage.py migrate --noinput
    fi
fi

# The app never holds the owner's credentials.
unset MIGRATION_DATABASE_URL
exec "$@"
