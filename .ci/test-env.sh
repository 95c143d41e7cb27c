# Sourced by `make test`: point the suite at PostgreSQL and Redis.
# Under CI=true an unreachable service fails the run; elsewhere the suite
# falls back to SQLite / no broker and names the tests it could not run.
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/stride}"
: "${CELERY_BROKER_URL:=redis://127.0.0.1:6379/0}"
export DATABASE_URL CELERY_BROKER_URL
export DEBUG=1
unset STRIDE_TEST_NO_POSTGRES STRIDE_TEST_NO_REDIS
if ! .venv/bin/python .ci/probe.py postgres "$DATABASE_URL"; then
  if [ "${CI:-}" = "true" ]; then
    echo "FATAL: PostgreSQL is unreachable at $DATABASE_URL; CI runs only against PostgreSQL." >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "WARNING: PostgreSQL unreachable at $DATABASE_URL: running on SQLite; tests marked 'postgres' will be SKIPPED (listed at the end)." >&2
  export DATABASE_URL="sqlite:///$(pwd)/var/test-fallback.sqlite3" STRIDE_TEST_NO_POSTGRES=1
fi
if ! .venv/bin/python .ci/probe.py redis "$CELERY_BROKER_URL"; then
  if [ "${CI:-}" = "true" ]; then
    echo "FATAL: Redis is unreachable at $CELERY_BROKER_URL; CI needs the real broker." >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "WARNING: Redis unreachable at $CELERY_BROKER_URL: tests marked 'redis' will be SKIPPED (listed at the end)." >&2
  export STRIDE_TEST_NO_REDIS=1
fi
