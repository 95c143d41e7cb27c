"""The embedded database's snapshot: what `manage.py migrate` builds from scratch, schema and rows.

`make run` starts an empty SQLite database from the snapshot and then
migrates what is newer (assessments/management/commands/embedded_db.py).
These tests run real processes on SQLite files, never the suite's database.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from assessments.management.commands.embedded_db import APPLIED, migrated_database, snapshot_migrations

# When a row was written (the seeded catalogue's created_at): the only values that differ.
_WRITTEN_AT = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)?$")


def _row(row: tuple) -> tuple:
    return tuple("<written at>" if isinstance(v, str) and _WRITTEN_AT.match(v) else v for v in row)


def _contents(database: Path) -> tuple[set[tuple[str, str, str]], dict[str, list[tuple]]]:
    """The schema (every table, index and trigger with its SQL) and every table's rows, ordered.

    Timestamps of when a row was written are masked: the snapshot's were written when it was made.
    """
    with sqlite3.connect(database) as db:
        schema = set(db.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
        rows = {}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            if table == "django_migrations":
                query = "SELECT app, name FROM django_migrations"
            else:
                query = f'SELECT * FROM "{table}"'  # noqa: S608 -- table names from sqlite_master
            rows[table] = sorted((_row(r) for r in db.execute(query)), key=repr)
    return schema, rows


def _prepare(directory: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(STRIDE_VAR_DIR=str(directory), DEBUG="1")
    manage = Path(settings.BASE_DIR) / "manage.py"
    subprocess.run([sys.executable, str(manage), "embedded_db", "prepare", "-v", "0"], env=env, check=True)
    return directory / "stride.sqlite3"


def test_the_snapshot_has_applied_only_migrations_that_exist():
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)

    assert snapshot_migrations() <= on_disk
    assert ("assessments", "0014_exercise_spanish") in snapshot_migrations()
    assert ("staff", "0005_user_access_stamp") in snapshot_migrations()


def test_a_database_prepared_from_the_snapshot_equals_one_migrated_from_scratch(tmp_path):
    migrated = migrated_database(tmp_path / "migrated")
    prepared = _prepare(tmp_path / "prepared")

    schema, rows = _contents(prepared)
    expected_schema, expected_rows = _contents(migrated)
    assert schema == expected_schema
    assert rows.keys() == expected_rows.keys()
    assert {t: r for t, r in rows.items() if r != expected_rows[t]} == {}
    with sqlite3.connect(prepared) as db:  # it did start from the snapshot
        assert (
            db.execute("SELECT count(*) FROM django_migrations WHERE applied = ?", (APPLIED,)).fetchone()[0]
            > 0
        )


def test_prepare_leaves_an_existing_database_alone(tmp_path):
    database = _prepare(tmp_path)
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO django_content_type (app_label, model) VALUES ('kept', 'row')")

    _prepare(tmp_path)

    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM django_content_type WHERE app_label = 'kept'").fetchone() == (
            1,
        )
