"""Least-privilege PostgreSQL roles: what the runtime role may do, table by table.

Two roles share the database. The *migration role* (the owner) creates and
alters the schema: `manage.py migrate` runs as it. The *runtime role* is what
web, worker and beat connect as. It owns nothing and is neither superuser nor
able to create roles or databases, so it cannot TRUNCATE a table, disable a
trigger, set `session_replication_role = replica` (which would switch every
trigger off) or grant itself more. What it may do:

| tables | privileges |
|---|---|
| every application table | SELECT, INSERT, UPDATE, DELETE |
| the audit trail (`audit` tables with an append-only trigger) and every pghistory event table | SELECT, INSERT |
| `pghistory_context` | SELECT, INSERT, and UPDATE of `metadata` and `updated_at` only |
| `django_migrations` | SELECT |
| every sequence | USAGE, SELECT |

`pghistory_context` holds one row per request or task (user, URL, request id),
which the change events point at. pghistory's trigger function
`_pgh_attach_context()` writes it with `INSERT … ON CONFLICT (id) DO UPDATE SET
metadata = …, updated_at = …`, so the second change of a request rewrites that
row's metadata. PostgreSQL checks UPDATE privilege for an ON CONFLICT DO UPDATE
on the columns it sets, whether or not a conflict happens, so the runtime role
needs UPDATE on those two columns; it has none on `id` or `created_at`, and no
DELETE or TRUNCATE. What this leaves open: the runtime role can update the
metadata of an existing context row (who made a change, from which URL); the
audit app's `metadata_grows_only` trigger lets that update only add keys. It
never reaches the event rows themselves or which context they point at.

pgtrigger lets a session skip named triggers by setting `pgtrigger.ignore`,
a setting any role may SET; its triggers (the change history's and the
append-only ones) ask `_pgtrigger_should_ignore()`. `grant_runtime_role`
replaces that function with one that honours the setting only for members of
the owner role (the owner, and superusers), so the runtime role cannot edit a
tracked table without its history. pgtrigger puts its own version back whenever
migrate installs a trigger, which is one more reason db_grant follows every migrate.

Default privileges give tables the migration role creates later SELECT and
INSERT only, so a new table is never writable beyond that before
`grant_runtime_role` has classified it; the entrypoint runs it after every
migrate. PostgreSQL only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pghistory.models
import pgtrigger
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from psycopg import errors, sql

# Tables of these apps with an unconditional append-only trigger are the audit trail.
AUDIT_APP_LABELS = ("audit",)
CONTEXT_TABLE = pghistory.models.Context._meta.db_table
# The only columns pghistory's context upsert sets (see the module docstring).
CONTEXT_UPDATE_COLUMNS = ("metadata", "updated_at")
MIGRATIONS_TABLE = "django_migrations"

CRUD = "SELECT, INSERT, UPDATE, DELETE"
APPEND = "SELECT, INSERT"
ROLE_ATTRIBUTES = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"


class RoleError(Exception):
    """The role cannot be made the runtime role (it is the owner, a superuser, or owns tables)."""


@dataclass(frozen=True)
class GrantReport:
    role: str
    created: bool
    login: bool
    crud_tables: int
    append_only_tables: tuple[str, ...]


def _is_append_only(model: type[Model]) -> bool:
    """Does the database refuse every UPDATE and DELETE on this model's table?"""
    for trigger in getattr(model._meta, "triggers", ()):
        if isinstance(trigger, pgtrigger.Protect) and trigger.condition is None:
            operations = set(str(trigger.operation).split(" OR "))
            if {"UPDATE", "DELETE"} <= operations:
                return True
    return False


def audit_tables() -> list[str]:
    """The audit and history tables the runtime role may only read and append to.

    Every pghistory event table (the change history of each tracked model) and
    every append-only table of the audit app (access events and the like). A
    table of the audit app that is updated in place keeps ordinary grants.
    """
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        if issubclass(model, pghistory.models.Event) or (
            meta.app_label in AUDIT_APP_LABELS and _is_append_only(model)
        ):
            tables.add(meta.db_table)
    return sorted(tables)


def _existing_tables(cursor, schema: str) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm')",
        [schema],
    )
    return {name for (name,) in cursor.fetchall()}


def _run(cursor, statement: sql.Composable) -> None:
    cursor.execute(statement.as_string(connection.connection))


def _ensure_role(cursor, role: str, password: str | None, *, owner: str) -> tuple[bool, bool]:
    """Create the role if missing, strip any power it should not have; (created, can log in)."""
    if role == owner:
        raise RoleError(f"{role} is the role running this command (the owner): name the runtime role.")
    cursor.execute("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is not None and row[0]:
        raise RoleError(f"{role} is a superuser: refusing to turn it into the runtime role.")
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = %s",
        [role],
    )
    if cursor.fetchone()[0]:
        raise RoleError(f"{role} owns tables in this database: the runtime role must own nothing.")

    ident = sql.Identifier(role)
    created = False
    if row is None:
        try:
            # A savepoint: a concurrent creation of the same role leaves the grants to go on.
            with transaction.atomic():
                _run(cursor, sql.SQL("CREATE ROLE {} NOLOGIN").format(ident))
            created = True
        except DatabaseError as exc:
            # Two creators at once: the loser sees a duplicate role or a duplicate catalogue key.
            if not isinstance(exc.__cause__, errors.DuplicateObject | errors.UniqueViolation):
                raise
    _run(cursor, sql.SQL("ALTER ROLE {} " + ROLE_ATTRIBUTES).format(ident))
    login = bool(row and row[1])
    if password:
        # The server receives only the SCRAM verifier, never the password (nor its logs).
        verifier = connection.connection.pgconn.encrypt_password(
            password.encode(), role.encode(), b"scram-sha-256"
        )
        _run(
            cursor,
            sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(verifier.decode())),
        )
        login = True
    return created, login


# pgtrigger's function (pgtrigger/compiler.py), with the setting honoured for the owner's members only.
SHOULD_IGNORE_SQL = """
CREATE OR REPLACE FUNCTION {function}(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
        _result BOOLEAN;
    BEGIN
        IF NOT pg_has_role(current_user, {owner}, 'MEMBER') THEN
            RETURN FALSE;
        END IF;
        BEGIN
            SELECT INTO _pgtrigger_ignore
                CURRENT_SETTING('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgtrigger_ignore IS NOT NULL THEN
            SELECT trigger_name = ANY(_pgtrigger_ignore)
            INTO _result;
            RETURN _result;
        ELSE
            RETURN FALSE;
        END IF;
    END;
$$ LANGUAGE plpgsql;
"""


def _guard_trigger_ignore(cursor, *, owner: str, schema: str) -> None:
    """Only the owner's members may skip pgtrigger triggers (see the module docstring)."""
    function = sql.Identifier(schema, "_pgtrigger_should_ignore")
    cursor.execute("SELECT to_regprocedure(%s)", [f'"{schema}"._pgtrigger_should_ignore(name)'])
    if cursor.fetchone()[0] is None:  # no pgtrigger trigger installed yet
        return
    _run(cursor, sql.SQL(SHOULD_IGNORE_SQL).format(function=function, owner=sql.Literal(owner)))


def grant_runtime_role(*, role: str, password: str | None = None) -> GrantReport:
    """Create (if missing) and grant the runtime role on everything in the current schema.

    Run as the owner of the tables, after every migrate; idempotent. With no
    password a new role is created NOLOGIN and an existing one keeps its password.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # One db_grant at a time per database: concurrent GRANTs on one object fail in PostgreSQL.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('stride.db_grant'))")
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        created, login = _ensure_role(cursor, role, password, owner=owner)

        ident = sql.Identifier(role)
        on_schema = sql.Identifier(schema)
        existing = _existing_tables(cursor, schema)
        append_only = tuple(name for name in audit_tables() if name in existing)

        _run(cursor, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident))
        # PostgreSQL 15 and later already refuse CREATE in public to other roles; older ones do not.
        cursor.execute("SELECT has_schema_privilege('public', %s, 'CREATE')", [schema])
        if cursor.fetchone()[0]:
            _run(cursor, sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(on_schema))
        _run(cursor, sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(on_schema, ident))

        # Start from nothing, so a privilege granted by hand or by an older rule goes.
        _run(cursor, sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(on_schema, ident))
        _run(cursor, sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(on_schema, ident))
        _run(cursor, sql.SQL(f"GRANT {CRUD} ON ALL TABLES IN SCHEMA {{}} TO {{}}").format(on_schema, ident))
        _run(
            cursor,
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(on_schema, ident),
        )

        def table(name: str) -> sql.Composable:
            return sql.Identifier(schema, name)

        for name in append_only:
            _run(cursor, sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(table(name), ident))
        if CONTEXT_TABLE in existing:
            _run(cursor, sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(table(CONTEXT_TABLE), ident))
            _run(
                cursor,
                sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                    sql.SQL(", ").join(sql.Identifier(column) for column in CONTEXT_UPDATE_COLUMNS),
                    table(CONTEXT_TABLE),
                    ident,
                ),
            )
        if MIGRATIONS_TABLE in existing:
            _run(
                cursor,
                sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(table(MIGRATIONS_TABLE), ident),
            )

        # Tables and sequences the owner creates later (the next migrate).
        defaults = sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} ").format(
            sql.Identifier(owner), on_schema
        )
        _run(cursor, defaults + sql.SQL("REVOKE ALL ON TABLES FROM {}").format(ident))
        _run(cursor, defaults + sql.SQL(f"GRANT {APPEND} ON TABLES TO {{}}").format(ident))
        _run(cursor, defaults + sql.SQL("GRANT USAGE, SELECT ON SEQUENCES TO {}").format(ident))

        _guard_trigger_ignore(cursor, owner=owner, schema=schema)

        crud_tables = len(existing - set(append_only) - {CONTEXT_TABLE, MIGRATIONS_TABLE})
    return GrantReport(
        role=role, created=created, login=login, crud_tables=crud_tables, append_only_tables=append_only
    )
