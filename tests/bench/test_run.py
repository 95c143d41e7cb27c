"""`make bench BENCH_QUICK=1` end to end: seed, serve with gunicorn (DEBUG=0), sign in, measure, report.

No timing is asserted: only that every page was measured and answered as expected.
"""

import json
import os
import secrets
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from psycopg import sql

# Transactional: the database is copied as a template, which needs it outside any open transaction.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = {
    "today",
    "calendar day",
    "calendar week",
    "patient list",
    "search name",
    "search DOB",
    "search phone",
    "search email",
    "patient hub",
    "assessment edit",
    "assessment detail",
    "imaging outstanding",
    "programme detail",
    "progress",
    "dashboard",
    "outbox",
    "audit log",
}
PATIENT_PAGES = {"check-in page", "intake step POST", "GPX import (10,000 points)"}


def _server() -> dict[str, object]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


@pytest.fixture
def bench_database():
    """A copy of the migrated test database (a template copy: no migrations to run), dropped afterwards."""
    name = f"stride_bench_quick_{secrets.token_hex(4)}"
    source = settings.DATABASES["default"]["NAME"]
    for connection in connections.all():
        connection.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as admin:
        # A template must have no other sessions (a live server's idle ones may linger).
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [source])
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source))
        )
    server = _server()
    auth = str(server["user"]) + (f":{server['password']}" if server["password"] else "")
    try:
        yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_quick_bench_measures_every_page_without_errors(bench_database, tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DATABASE_URL": bench_database,
        "BENCH_QUICK": "1",
        # Short cells: this checks the path end to end, it measures nothing.
        "BENCH_SECONDS": "0.3",
        "BENCH_RESULTS": str(tmp_path),
        "BENCH_VAR": str(tmp_path / "var"),
    }

    run = subprocess.run(
        [sys.executable, "-m", "bench"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (result_file,) = tmp_path.glob("*-200.json")
    result = json.loads(result_file.read_text())
    pages = {page["name"]: page for page in result["pages"]}
    assert set(pages) == STAFF_PAGES | PATIENT_PAGES
    errors = {
        name: [cell["error_samples"] for cell in page["cells"].values() if cell["errors"]]
        for name, page in pages.items()
        if "cells" in page and any(cell["errors"] for cell in page["cells"].values())
    }
    assert errors == {}
    # The patient pages too: their links pass the identity check and the emailed one-time code.
    assert {name: page["skipped"] for name, page in pages.items() if "skipped" in page} == {}
    measured = [pages[name]["cells"]["1"] for name in STAFF_PAGES | PATIENT_PAGES]
    assert all(cell["requests"] > 0 and cell["queries"] > 0 for cell in measured)
    assert result["baseline"]["1"]["queries"] == 0
    assert result["one_query"]["1"]["queries"] == 1
    assert all(cell["rps_ratio"] > 0 for cell in measured)
    # Sessions on the shared Redis cache, as production keeps them.
    assert result["sessions"] == "cached_db on the shared Redis cache"
    # The master and its two workers, measured before the server stopped.
    assert len(result["rss_mb"]) == 3
    assert all(mib > 10 for mib in result["rss_mb"].values())
    table = (tmp_path / result_file.name.replace(".json", ".md")).read_text()
    assert "| target |" in table
    assert table.count("| meets |") + table.count("| misses: ") == 2 * len(measured)
