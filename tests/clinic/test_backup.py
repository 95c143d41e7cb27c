"""scripts/backup.sh and scripts/restore.sh against real databases (not the pytest test database).

Backups are encrypted with GnuPG to a public key; restores decrypt with its private key.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

BASE_DIR = Path(settings.BASE_DIR)
SCRIPTS = BASE_DIR / "scripts"

SEED = """
import django
django.setup()
from datetime import date
from clinic.audit.models import AccessEvent
from clinic.staff.models import User
from patients.models import Patient
from patients.identity.services import patient_archive
admin = User.objects.create_user("admin@stride.test", "x" * 16, full_name="Ada Admin")
patients = [
    Patient.objects.create(first_name=f"Pat{n}", last_name="Backup", date_of_birth=date(1980, 1, n + 1),
                           sex="female", email=f"p{n}@example.com")
    for n in range(3)
]
Patient.objects.filter(pk=patients[0].pk).update(town="Changed")
patient_archive(patient=patients[1], by=admin)
for p in patients:
    AccessEvent.objects.create(user=admin, patient_id=p.pk, view_name="patients:detail")
"""


def _server() -> dict[str, object]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


def _url(name: str) -> str:
    server = _server()
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}"


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(dbname="postgres", autocommit=True, **_server())


@pytest.fixture
def scratch_databases(db):
    """Two fresh databases on the test server, dropped afterwards whatever happens.

    With the worker's test database set up (`db`), for _migrated to copy.
    """
    suffix = secrets.token_hex(4)
    names = (f"stride_backup_src_{suffix}", f"stride_backup_dst_{suffix}")
    with _admin_connection() as conn:
        for name in names:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield names
    finally:
        with _admin_connection() as conn:
            for name in names:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def backup_keys(tmp_path: Path) -> dict[str, str]:
    """A fresh OpenPGP key pair for backups, as files (public for backup.sh, private for restore.sh)."""
    return backup_keys_for(tmp_path)


def backup_keys_for(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "keygen"
    home.mkdir(mode=0o700)
    gpg = ["gpg", "--batch", "--quiet", "--homedir", str(home)]
    subprocess.run(
        [
            *gpg,
            "--passphrase",
            "",
            "--quick-gen-key",
            "Stride backups <backups@stride.test>",
            "future-default",
        ],
        check=True,
        capture_output=True,
    )
    public, private = tmp_path / "backup-public.asc", tmp_path / "backup-private.asc"
    public.write_bytes(subprocess.run([*gpg, "--armor", "--export"], check=True, capture_output=True).stdout)
    private.write_bytes(
        subprocess.run([*gpg, "--armor", "--export-secret-keys"], check=True, capture_output=True).stdout
    )
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)
    return {"BACKUP_PUBLIC_KEY_FILE": str(public), "BACKUP_PRIVATE_KEY_FILE": str(private)}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "DEBUG": "1",
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        **extra,
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{args[:2]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _migrated(name: str) -> None:
    """Make `name` a migrated Stride database: a plain copy of this worker's test database.

    The test database is as the migrations build it (schema, triggers, seeded rows)
    and is empty of test data outside a test's transaction; copying it takes
    seconds where `manage.py migrate` takes a minute of CPU.
    """
    server = _server()
    env = {**os.environ, "PGPASSWORD": str(server["password"] or "")}
    common = ["-h", str(server["host"]), "-p", str(server["port"]), "-U", str(server["user"])]
    dumped = subprocess.run(
        ["pg_dump", *common, "--no-owner", "--no-privileges", connection.settings_dict["NAME"]],
        env=env,
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["psql", *common, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],
        input=dumped.stdout,
        env=env,
        capture_output=True,
        check=True,
    )


def _table_counts(name: str) -> dict[str, int]:
    with psycopg.connect(dbname=name, **_server()) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[
                0
            ]
            for table in tables
        }


def _triggers(name: str) -> set[tuple[str, str]]:
    with psycopg.connect(dbname=name, **_server()) as conn:
        rows = conn.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
        )
        return set(rows)


@pytest.mark.postgres
def test_backup_then_restore_reproduces_every_table(tmp_path, scratch_databases, backup_keys):
    src, dst = scratch_databases
    env = _env(tmp_path, DATABASE_URL=_url(src), BACKUP_PUBLIC_KEY_FILE=backup_keys["BACKUP_PUBLIC_KEY_FILE"])
    _migrated(src)
    _run([sys.executable, "-c", SEED], env)

    dump = Path(_run([str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")], env).stdout.strip())
    _run(
        [str(SCRIPTS / "restore.sh"), str(dump), _url(dst)],
        _env(tmp_path, BACKUP_PRIVATE_KEY_FILE=backup_keys["BACKUP_PRIVATE_KEY_FILE"]),
    )

    assert dump.name.startswith("stride-") and dump.name.endswith(".dump.gpg")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    # Encrypted: neither a PostgreSQL dump (magic "PGDMP") nor anything readable in it.
    content = dump.read_bytes()
    assert not content.startswith(b"PGDMP")
    assert b"Backup" not in content and b"patients_patient" not in content
    assert list(dump.parent.iterdir()) == [dump]  # no plain dump left beside it
    source, restored = _table_counts(src), _table_counts(dst)
    assert restored == source
    assert source["patients_patient"] == 3
    assert source["audit_accessevent"] == 3
    assert source["patients_patientauditevent"] == 5  # 3 inserts, 1 update, 1 archive
    assert source["django_migrations"] > 10
    # The protections come back with the data.
    assert _triggers(dst) == _triggers(src)
    assert {"audit_accessevent", "patients_patientauditevent"} <= {
        table for table, name in _triggers(dst) if "append_only" in name
    }
    with psycopg.connect(dbname=dst, **_server()) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("DELETE FROM audit_accessevent")


@pytest.mark.postgres
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, scratch_databases, backup_keys):
    src, _ = scratch_databases
    env = _env(tmp_path, DATABASE_URL=_url(src), **backup_keys)
    _migrated(src)
    dump = _run([str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")], env).stdout.strip()

    result = subprocess.run(
        [str(SCRIPTS / "restore.sh"), dump, _url(src)],
        cwd=BASE_DIR,
        env=_env(tmp_path, **backup_keys),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode != 0
    assert "already exists" in result.stderr


def test_connection_urls_keep_the_password_off_the_command_line():
    script = (
        f'. {SCRIPTS / "_pg.sh"}; pg_connection "$URL"; printf "%s|%s" "$PG_CONNINFO" "${{PGPASSWORD:-}}"'
    )

    result = subprocess.run(
        ["bash", "-c", script],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "URL": "postgres://stride:p%40ss:w0rd@db:5433/stride?sslmode=require",
        },
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout == "postgresql://stride@db:5433/stride?sslmode=require|p@ss:w0rd"


def test_scripts_refuse_a_url_that_is_not_postgres():
    result = subprocess.run(
        [str(SCRIPTS / "backup.sh")],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": "sqlite:///var/stride.sqlite3"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "not a PostgreSQL URL" in result.stderr


@pytest.mark.postgres
def test_backup_refuses_without_a_public_key(tmp_path, scratch_databases):
    src, _ = scratch_databases
    result = subprocess.run(
        [str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")],
        cwd=BASE_DIR,
        env=_env(tmp_path, DATABASE_URL=_url(src)),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "BACKUP_PUBLIC_KEY_FILE must name a readable OpenPGP public key file" in result.stderr
    assert not (tmp_path / "backups").exists()


@pytest.mark.postgres
def test_restore_of_an_encrypted_backup_needs_the_private_key(tmp_path, scratch_databases, backup_keys):
    src, dst = scratch_databases
    # An empty database is enough: what is under test is the key, not the tables.
    env = _env(tmp_path, DATABASE_URL=_url(src), **backup_keys)
    dump = _run([str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")], env).stdout.strip()

    without = subprocess.run(
        [str(SCRIPTS / "restore.sh"), dump, _url(dst)],
        cwd=BASE_DIR,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    # Another key pair's private key cannot read it either.
    other = tmp_path / "other"
    other.mkdir()
    wrong_keys = backup_keys_for(other)
    wrong = subprocess.run(
        [str(SCRIPTS / "restore.sh"), dump, _url(dst)],
        cwd=BASE_DIR,
        env=_env(tmp_path, BACKUP_PRIVATE_KEY_FILE=wrong_keys["BACKUP_PRIVATE_KEY_FILE"]),
        capture_output=True,
        text=True,
        check=False,
    )

    assert without.returncode != 0
    assert "BACKUP_PRIVATE_KEY_FILE must name the readable private key" in without.stderr
    assert wrong.returncode != 0
    assert _table_counts(dst) == {}
