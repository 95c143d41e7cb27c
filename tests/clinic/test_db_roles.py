"""The runtime database role (clinic/dbroles.py, `manage.py db_grant`), tried as that role.

Each test makes a runtime role on its worker's test database with db_grant,
as the owner (the suite's own connection), then opens a second connection as
that role and tries what an attacker holding the app's credentials would try.
Roles are cluster-wide: the name carries the test database's name, so xdist
workers never share one, and teardown drops it.
"""

import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection, connections
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from psycopg import sql

from clinic.audit.models import AccessEvent
from clinic.dbroles import CONTEXT_TABLE, audit_tables, grant_runtime_role
from patients.models import Patient

pytestmark = pytest.mark.postgres
# Committed data: the runtime role's own connection and the server must see it.
committed_db = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
RUNTIME_PASSWORD = "runtime-role-test-password"
PASSWORD = "correct-horse-battery-staple"
PERMISSION_DENIED = "42501"  # insufficient_privilege, also "must be owner"
SERVER_START_TIMEOUT = 20


@dataclass(frozen=True)
class RuntimeRole:
    name: str

    def connect(self) -> psycopg.Connection:
        db = connection.settings_dict
        return psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            dbname=db["NAME"],
            user=self.name,
            password=RUNTIME_PASSWORD,
            autocommit=True,
        )

    @property
    def database_url(self) -> str:
        db = connection.settings_dict
        return (
            f"postgres://{self.name}:{RUNTIME_PASSWORD}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )


def _role_name() -> str:
    return f"stride_app_{connection.settings_dict['NAME']}"[:63]


def _drop_role(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s AND pid <> pg_backend_pid()",
            [name],
        )
        # Its grants and default privileges in this database, then the role itself.
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)).as_string(cursor.connection))
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)).as_string(cursor.connection))


@pytest.fixture
def runtime_role() -> Iterator[RuntimeRole]:
    name = _role_name()
    _drop_role(name)  # left by an interrupted run
    out = io.StringIO()
    call_command("db_grant", role=name, stdout=out)
    assert f"role {name} created, NOLOGIN" in out.getvalue()
    # Created without a password (none in the environment); the test gives it one.
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}")
            .format(sql.Identifier(name), sql.Literal(RUNTIME_PASSWORD))
            .as_string(cursor.connection)
        )
    try:
        yield RuntimeRole(name)
    finally:
        _drop_role(name)


def _sqlstate(conn: psycopg.Connection, statement: str) -> str:
    """'ok', or the SQLSTATE the statement failed with."""
    try:
        conn.execute(statement)
    except psycopg.Error as exc:
        return exc.sqlstate or "?"
    return "ok"


def _patient_with_history() -> Patient:
    from tests.factories import PatientFactory

    patient = PatientFactory(town="Leeds")
    Patient.objects.filter(pk=patient.pk).update(town="York")  # an update event too
    return patient


def _access_event(patient: Patient) -> AccessEvent:
    from django.test import RequestFactory

    from clinic.audit.services import access_record

    request = RequestFactory().get(f"/patients/{patient.pk}/")
    request.user = None
    return access_record(request=request, patient_id=patient.pk)


@committed_db
def test_runtime_role_cannot_rewrite_or_switch_off_the_audit_trail(runtime_role):
    patient = _patient_with_history()
    _access_event(patient)
    history = Patient.audit_events.rel.related_model._meta.db_table
    rows_before = (AccessEvent.objects.count(), patient.audit_events.count())
    assert rows_before[0] == 1 and rows_before[1] >= 2

    refused = [
        "UPDATE audit_accessevent SET view_name = 'edited'",
        "DELETE FROM audit_accessevent",
        "TRUNCATE audit_accessevent",
        f"UPDATE {history} SET pgh_label = 'edited'",  # noqa: S608 -- table names from the models
        f"DELETE FROM {history}",  # noqa: S608 -- table names from the models
        f"TRUNCATE {history}",
        f"DELETE FROM {CONTEXT_TABLE}",  # noqa: S608 -- table names from the models
        f"TRUNCATE {CONTEXT_TABLE}",
        f"UPDATE {CONTEXT_TABLE} SET id = gen_random_uuid()",  # noqa: S608 -- table names from the models
        # Switching the triggers off: on the audit table, on a tracked table (its
        # history triggers), or for the whole session.
        "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL",
        "ALTER TABLE patients_patient DISABLE TRIGGER USER",
        "SET session_replication_role = replica",
        # More power, or a table of its own.
        "CREATE ROLE stride_intruder SUPERUSER",
        "CREATE ROLE stride_intruder",
        f"ALTER ROLE {runtime_role.name} SUPERUSER",
        "CREATE TABLE stride_intruder (x int)",
        "DELETE FROM django_migrations",
    ]
    with runtime_role.connect() as conn:
        outcomes = {statement: _sqlstate(conn, statement) for statement in refused}
        user, superuser, createrole, createdb = conn.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()

    assert outcomes == dict.fromkeys(refused, PERMISSION_DENIED)
    assert (user, superuser, createrole, createdb) == (runtime_role.name, False, False, False)
    assert (AccessEvent.objects.count(), patient.audit_events.count()) == rows_before


@committed_db
def test_runtime_role_cannot_skip_the_history_triggers_through_pgtrigger_ignore(runtime_role):
    patient = _patient_with_history()
    events_before = patient.audit_events.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(tgname::text) FROM pg_trigger"
            " WHERE tgrelid = 'patients_patient'::regclass AND tgname LIKE 'pgtrigger_%%'"
        )
        (triggers,) = cursor.fetchone()
    assert any(name.startswith("pgtrigger_update_") for name in triggers)

    with runtime_role.connect() as conn, conn.transaction():
        # pgtrigger's own way of skipping triggers, open to any role that may SET.
        conn.execute("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(triggers) + "}"])
        conn.execute("UPDATE patients_patient SET town = 'Skipton' WHERE id = %s", [patient.pk])

    events = list(patient.audit_events.order_by("pgh_id").values_list("pgh_label", "town"))
    assert len(events) == events_before + 1
    assert events[-1] == ("update", "Skipton")


@committed_db
def test_runtime_role_reads_and_appends_to_every_audit_and_history_table_only(runtime_role):
    tables = audit_tables()
    assert "audit_accessevent" in tables
    assert Patient.audit_events.rel.related_model._meta.db_table in tables
    privileges = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")

    with runtime_role.connect() as conn:

        def granted(table: str) -> tuple[str, ...]:
            return tuple(
                privilege
                for privilege in privileges
                if conn.execute("SELECT has_table_privilege(%s, %s)", [table, privilege]).fetchone()[0]
            )

        grants = {table: granted(table) for table in tables}
        context = granted(CONTEXT_TABLE)
        context_columns = conn.execute(
            "SELECT column_name FROM information_schema.column_privileges"
            " WHERE table_name = %s AND grantee = current_user AND privilege_type = 'UPDATE'"
            " ORDER BY column_name",
            [CONTEXT_TABLE],
        ).fetchall()
        patients = granted("patients_patient")
        migrations = granted("django_migrations")
        # The session log of the audit screens reads it back: SELECT works on rows.
        assert conn.execute("SELECT count(*) FROM audit_accessevent").fetchone() == (0,)

    assert grants == dict.fromkeys(tables, ("SELECT", "INSERT"))
    # pghistory's context upsert (INSERT … ON CONFLICT DO UPDATE of two columns).
    assert context == ("SELECT", "INSERT")
    assert context_columns == [("metadata",), ("updated_at",)]
    assert patients == ("SELECT", "INSERT", "UPDATE", "DELETE")
    assert migrations == ("SELECT",)


@committed_db
def test_runtime_role_has_ordinary_crud_on_a_patient_table(runtime_role):
    patient = _patient_with_history()
    with runtime_role.connect() as conn:
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'patients_patient' AND column_name <> 'id'"
                " AND is_generated = 'NEVER' ORDER BY ordinal_position"  # the database computes the others
            )
        ]
        listed = sql.SQL(", ").join(map(sql.Identifier, columns))
        (copy_id,) = conn.execute(
            sql.SQL(
                "INSERT INTO patients_patient ({}) SELECT {} FROM patients_patient WHERE id = %s RETURNING id"
            ).format(listed, listed),
            [patient.pk],
        ).fetchone()
        updated = conn.execute(
            "UPDATE patients_patient SET town = 'Whitby' WHERE id = %s", [copy_id]
        ).rowcount
        town = conn.execute("SELECT town FROM patients_patient WHERE id = %s", [copy_id]).fetchone()
        deleted = conn.execute("DELETE FROM patients_patient WHERE id = %s", [copy_id]).rowcount

    assert (updated, town, deleted) == (1, ("Whitby",), 1)
    # Each change went into the history through the runtime role's INSERT on the event table.
    labels = list(
        Patient.audit_events.rel.related_model.objects.filter(pgh_obj_id=copy_id)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )
    assert labels == ["insert", "update", "delete"]


@committed_db
def test_db_grant_is_idempotent_and_tolerates_a_concurrent_run(runtime_role):
    # Once more on the existing role: it keeps its password (none given) and its grants.
    again = grant_runtime_role(role=runtime_role.name)
    assert (again.created, again.login) == (False, True)
    with runtime_role.connect() as conn:
        assert _sqlstate(conn, "DELETE FROM audit_accessevent") == PERMISSION_DENIED

    # Two first starts at once (two web containers): both succeed, one creates the role.
    _drop_role(runtime_role.name)
    reports: list[object] = []
    barrier = threading.Barrier(2)

    def grant() -> None:
        try:
            barrier.wait(timeout=10)
            reports.append(grant_runtime_role(role=runtime_role.name, password=RUNTIME_PASSWORD))
        except BaseException as exc:  # noqa: BLE001 -- reported by the assertion below
            reports.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(getattr(report, "created", report) for report in reports) == [False, True]
    with runtime_role.connect() as conn:
        assert _sqlstate(conn, "DELETE FROM audit_accessevent") == PERMISSION_DENIED
        assert _sqlstate(conn, "SELECT 1 FROM patients_patient") == "ok"


@pytest.mark.django_db
def test_db_grant_refuses_the_owner_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="the owner"):
        call_command("db_grant", role=owner, stdout=io.StringIO())


# --- The app itself under the runtime role ------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields of the page's form that carries a `version` input, as the browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            if tag == "option" and self._select is not None and self._form is not None:
                self._option(a)
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select, self._select_first = a["name"], None
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form[a["name"]] = ""

    def _option(self, a: dict[str, str]) -> None:
        assert self._form is not None and self._select is not None
        if self._select_first is None:
            self._select_first = a.get("value", "")
            self._form.setdefault(self._select, self._select_first)
        if "selected" in a:
            self._form[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self._form is not None:
            self._form[self._textarea] += data

    def form_with(self, field: str) -> dict[str, str]:
        return next(form for form in self.forms if field in form)


class _Browser:
    """Cookies and CSRF like a browser, no redirects followed (each response is checked)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 -- http://127.0.0.1 only
        if body is not None:
            req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=15) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")

    def fields(self, path: str, field: str) -> dict[str, str]:
        status, _, page = self.request(path)
        assert status == 200, (path, status)
        parser = _FormFields()
        parser.feed(page)
        return parser.form_with(field)


def _totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_server(runtime_role, tmp_path) -> Iterator[str]:
    """gunicorn serving the app with DATABASE_URL of the runtime role, on the test database."""
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "1",
        "DATABASE_URL": runtime_role.database_url,
        "CELERY_BROKER_URL": "memory://",
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited ({process.returncode}):\n{log_path.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start:\n{log_path.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)
        sys.stdout.write(log_path.read_text(errors="replace"))


@committed_db
def test_app_runs_under_the_runtime_role(app_server):
    from clinic.staff.choices import Role
    from tests.factories import TherapistProfileFactory, UserFactory
    from tests.patients.careteam.support import treat

    therapist = UserFactory(role=Role.THERAPIST, full_name="Terry Therapist")
    TherapistProfileFactory(user=therapist)
    # The server's own hashers (PBKDF2), not the suite's fast MD5 one; few iterations,
    # so signing in also re-hashes the password: an UPDATE of the user as the runtime role.
    therapist.password = PBKDF2PasswordHasher().encode(PASSWORD, "dbrolestestsalt", iterations=1000)
    therapist.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=therapist, name="Phone", confirmed=True)
    patient = _patient_with_history()
    treat(therapist, patient)  # in the therapist's care team
    browser = _Browser(app_server)

    login = browser.fields("/accounts/login/", "csrfmiddlewaretoken")
    status, location, _ = browser.request(
        "/accounts/login/", {**login, "username": therapist.email, "password": PASSWORD}
    )
    assert (status, location) == (302, "/"), "sign-in failed"
    status, location, _ = browser.request("/")
    if location.startswith("/accounts/two-factor/verify/"):
        # The second factor, as the therapist's authenticator app would give it.
        verify = browser.fields(location, "otp_token")
        status, location, _ = browser.request(location, {**verify, "otp_token": _totp_code(device)})
        assert status == 302, "second factor refused"
    status, location, listing = browser.request("/patients/")
    assert (status, location) == (200, "") and patient.last_name in listing
    status, _, page = browser.request(f"/patients/{patient.pk}/")
    assert status == 200 and patient.last_name in page
    access = AccessEvent.objects.get(patient_id=patient.pk)
    assert access.user_id == therapist.pk

    form = browser.fields(f"/patients/{patient.pk}/edit/", "version")
    status, location, _ = browser.request(f"/patients/{patient.pk}/edit/", {**form, "town": "Harrogate"})
    assert (status, location) == (302, f"/patients/{patient.pk}/")

    patient.refresh_from_db()
    assert patient.town == "Harrogate"
    edit = patient.audit_events.order_by("-pgh_id").first()
    # The history row and its request context, both written as the runtime role.
    assert edit.pgh_label == "update" and edit.pgh_context.metadata["user"] == therapist.pk
    therapist.refresh_from_db()
    assert PBKDF2PasswordHasher().must_update(therapist.password) is False


# --- The image's entrypoint -----------------------------------------------------------------------


@committed_db
def test_entrypoint_migrates_as_the_owner_grants_the_runtime_role_and_drops_the_owner_url(tmp_path):
    """compose/entrypoint.sh as web runs it: owner URL for migrate and db_grant, then the command."""
    name = _role_name()
    _drop_role(name)
    role = RuntimeRole(name)
    db = connection.settings_dict
    owner_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DEBUG": "1",
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": "memory://",
        "RUN_MIGRATIONS": "1",
        "DATABASE_URL": role.database_url,
        "MIGRATION_DATABASE_URL": owner_url,
    }
    try:
        result = subprocess.run(
            ["sh", str(BASE_DIR / "compose" / "entrypoint.sh"), "env"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert f"db_grant: role {name} created, can sign in" in result.stdout
        # The service's command sees the runtime role's URL and not the owner's.
        command_env = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
        assert command_env["DATABASE_URL"] == role.database_url
        assert "MIGRATION_DATABASE_URL" not in command_env
        assert "DB_RUNTIME_PASSWORD" not in command_env
        # The password in DATABASE_URL works, and the role is the restricted one.
        with role.connect() as conn:
            assert _sqlstate(conn, "TRUNCATE audit_accessevent") == PERMISSION_DENIED
    finally:
        _drop_role(name)


def test_compose_gives_the_owner_url_to_web_only():
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    services = dict(re.findall(r"^  (\w+):.*\n((?:    .*\n|\n)*)", compose, re.MULTILINE))
    env_files = {
        name: re.findall(r"^\s*-\s*(\.envs/\S+)\s*$", body, re.MULTILINE) for name, body in services.items()
    }

    assert env_files["web"] == [".envs/.production/.django", ".envs/.production/.migration"]
    assert env_files["worker"] == env_files["beat"] == [".envs/.production/.django"]
    example = (BASE_DIR / ".envs/.production/.django.example").read_text()
    assert "MIGRATION_DATABASE_URL" not in example
