#!/bin/sh
# Entrypoint of the Stride image (web, worker and beat).
# 1. Wait until the database accepts connections (DB_WAIT_SECONDS, default 60).
# 2. Apply migrations, but only where RUN_MIGRATIONS=1 (the web service), so
#    worker and beat never race it.
# 3. Run the service's command.
set -eu

python - "${DB_WAIT_SECONDS:-60}" <<'PY'
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

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --noinput
fi

exec "$@"
