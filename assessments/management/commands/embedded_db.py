"""The embedded SQLite database of `make run`, started from a snapshot of what the migrations build.

Migrating an empty SQLite database takes about a minute of CPU: Django
re-renders the models' state after each of several hundred operations
(pghistory's triggers and the named constraints among them). The result is
always the same, so it is built once, by the migrations themselves, and kept
as SQL (`write`, after a new migration); `prepare` starts an empty embedded
database from that SQL and then does what `migrate` does: it applies any
migration newer than the snapshot, or, with none, sends post_migrate (content
types, permissions, the role groups). tests/test_embedded_db.py holds the
snapshot equal to a database migrated from scratch, schema and rows.

Only the embedded default uses it: with DATABASE_URL set (PostgreSQL,
production, the test suite) `prepare` is a plain `migrate`.
"""

import gzip
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

SNAPSHOT = Path(__file__).resolve().parents[2] / "demo" / "embedded_schema.sql.gz"
# The snapshot's rows are the migrations' own (seeds, groups, permissions); their
# `applied` times are set to one value so that writing it again changes nothing.
APPLIED = "2026-01-01 00:00:00"


def snapshot_sql(path: Path = SNAPSHOT) -> str:
    return gzip.decompress(path.read_bytes()).decode()


_APPLIED_ROW = re.compile(
    r"""^INSERT INTO "django_migrations" VALUES\(\d+,'([^']+)','([^']+)',""", re.MULTILINE
)


def snapshot_migrations(path: Path = SNAPSHOT) -> set[tuple[str, str]]:
    """The (app, name) of every migration the snapshot has applied."""
    return set(_APPLIED_ROW.findall(snapshot_sql(path)))


def migrated_database(directory: Path) -> Path:
    """An embedded database built by `manage.py migrate` alone, in `directory` (a separate process)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(STRIDE_VAR_DIR=str(directory), DEBUG="1")
    manage = Path(settings.BASE_DIR) / "manage.py"
    subprocess.run(  # noqa: S603 -- our own manage.py with this interpreter
        [sys.executable, str(manage), "migrate", "--noinput", "-v", "0"], env=env, check=True
    )
    return directory / "stride.sqlite3"


def dump(database: Path) -> str:
    with sqlite3.connect(database) as db:
        db.execute("UPDATE django_migrations SET applied = ?", (APPLIED,))
        return "\n".join(db.iterdump()) + "\n"


def _has_tables(database: Path) -> bool:
    if not database.exists() or database.stat().st_size == 0:
        return False
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


class Command(BaseCommand):
    help = (
        "Prepare the embedded SQLite database from the migrations' snapshot (prepare), or write the snapshot."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["prepare", "write"])

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "write":
            self._write()
        else:
            self._prepare(verbosity=int(options["verbosity"]))

    def _write(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            sql = dump(migrated_database(Path(directory)))
        SNAPSHOT.write_bytes(gzip.compress(sql.encode(), mtime=0))
        count = sql.count('INSERT INTO "django_migrations"')
        self.stdout.write(f"Wrote {SNAPSHOT.name}: {count} migrations, {len(sql) // 1024} KiB of SQL.")

    def _prepare(self, *, verbosity: int) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or settings.DATABASE_URL:
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        database = Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
        if not _has_tables(database):
            connection.close()
            for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                stale.unlink(missing_ok=True)
            # Through Django's own connection: the schema's CHECKs call the REGEXP it registers.
            # The script is one transaction: an interrupted load leaves no tables, and the
            # next `prepare` starts again.
            # Tables come in name order, so the foreign keys are checked once all rows are in.
            connection.ensure_connection()
            raw = connection.connection
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.executescript(snapshot_sql())
            raw.execute("PRAGMA foreign_keys = ON")
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise CommandError(f"The snapshot's rows break foreign keys: {broken[:5]}")
            self.stdout.write(f"Embedded database created from {SNAPSHOT.name}.")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stdout.write(f"{len(plan)} migration(s) newer than the snapshot:")
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        # What `migrate` does when nothing is left to apply, without rendering every model's state.
        emit_post_migrate_signal(verbosity - 1, False, DEFAULT_DB_ALIAS)
        self.stdout.write("Embedded database up to date.")
