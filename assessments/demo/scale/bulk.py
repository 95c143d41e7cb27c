"""Bulk writing for the scale data: COPY rows, allocate ids, clone record trees in SQL.

Everything here goes through the tables' own triggers (change history, the
audit hash chain, the signed-record locks): COPY and INSERT … SELECT fire
them like any other insert, so the rows are what the app itself would hold.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models

from patients.models import Patient


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (so later inserts never collide)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model: type[models.Model], rows: Sequence[dict[str, Any]], *, now: datetime) -> int:
    """COPY `rows` (attname → value) into the model's table; other fields take their defaults.

    Rows without an "id" get one from the table's sequence. `auto_now` and
    `auto_now_add` fields without a value get `now`. Values pass through the
    field's own database preparation (JSON, decimals, times).
    """
    if not rows:
        return 0
    fields = [
        f
        for f in model._meta.concrete_fields
        if (not f.primary_key or f.attname in rows[0]) and not getattr(f, "generated", False)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as wrapper:
        raw = wrapper.cursor  # psycopg's cursor: COPY is not in the DB-API
        with raw.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                values = []
                for field in fields:
                    if field.attname in row:
                        value = row[field.attname]
                    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                        value = now
                    else:
                        value = field.get_default()
                    values.append(field.get_db_prep_save(value, connection))
                copy.write_row(values)
                written += 1
    return written


def create_map(name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
    """A temporary table `name` (dropped at commit) holding `rows`; the clone steps join it."""
    spec = ", ".join(f"{column} {kind}" for column, kind in columns)
    with connection.cursor() as wrapper:
        # Dropped first too: inside an outer transaction (a test) ON COMMIT comes only at its end.
        wrapper.execute(f"DROP TABLE IF EXISTS {name}")
        wrapper.execute(f"CREATE TEMP TABLE {name} ({spec}) ON COMMIT DROP")
        with wrapper.cursor.copy(f"COPY {name} ({', '.join(c for c, _ in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        wrapper.execute(f"CREATE INDEX ON {name} (old_id)")
        wrapper.execute(f"ANALYZE {name}")


def _old_ids(cursor: Any, map_name: str) -> list[int]:
    """The template rows a map copies, named outright: the tables grow faster than their
    statistics, and a join the planner thinks tiny would otherwise scan them once per copy."""
    cursor.execute(f"SELECT DISTINCT old_id FROM {map_name}")  # noqa: S608 -- a map table name, no input  # nosec B608
    return [row[0] for row in cursor.fetchall()]


# The columns every map carries down the tree: who and when the copy is for.
MAP_COLUMNS = (
    ("old_id", "bigint"),
    ("new_id", "bigint"),
    ("parent_new_id", "bigint"),
    ("patient_id", "bigint"),
    ("therapist_id", "bigint"),
    ("shift", "interval"),
    ("shift_days", "integer"),
)


def clone(
    model: type[models.Model],
    *,
    source_map: str,
    fk: str | None = None,
    overrides: dict[str, str] | None = None,
    where: str = "TRUE",
) -> str:
    """Copy the template rows of `model` once per row of `source_map`; returns this model's map.

    Top level (`fk` None): `source_map` names each template row (old_id) and
    its copy's id (new_id). Below it, `fk` is the column pointing at the
    parent, and every template child of a copied parent is copied with a
    fresh id under the parent's copy. In each copy, staff columns become the
    map's therapist, patient columns its patient, dates and times move by its
    shift; `overrides` (column → SQL over `t` the template row and `m` the
    map row) win over all of that.
    """
    table = model._meta.db_table
    overrides = overrides or {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if fk is None:
            own_map = source_map
        else:
            own_map = f"_map_{table}"
            cursor.execute(f"DROP TABLE IF EXISTS {own_map}")
            cursor.execute(
                f"CREATE TEMP TABLE {own_map} ON COMMIT DROP AS "  # noqa: S608 -- model tables, no input  # nosec B608
                f"SELECT t.id AS old_id, nextval(pg_get_serial_sequence('{table}', 'id')) AS new_id, "
                "p.new_id AS parent_new_id, p.patient_id, p.therapist_id, p.shift, p.shift_days "
                f"FROM {table} t JOIN {source_map} p ON t.{qn(fk)} = p.old_id "
                f"WHERE t.{qn(fk)} = ANY(%s) AND {where}",
                [_old_ids(cursor, source_map)],
            )
            cursor.execute(f"CREATE INDEX ON {own_map} (old_id)")
            cursor.execute(f"ANALYZE {own_map}")
        user_model = get_user_model()
        columns, exprs = [], []
        for field in model._meta.concrete_fields:
            if getattr(field, "generated", False):
                continue  # computed by the database
            column = field.column
            source = f"t.{qn(column)}"
            if column in overrides:
                expr = overrides[column]
            elif field.primary_key:
                expr = "m.new_id"
            elif fk is not None and column == fk:
                expr = "m.parent_new_id"
            elif field.is_relation and field.related_model is user_model:
                expr = f"CASE WHEN {source} IS NULL THEN NULL ELSE m.therapist_id END"
            elif field.is_relation and field.related_model is Patient:
                expr = "m.patient_id"
            elif isinstance(field, models.DateTimeField):
                expr = f"{source} + m.shift"
            elif isinstance(field, models.DateField):
                expr = f"{source} + m.shift_days"
            else:
                expr = source
            columns.append(qn(column))
            exprs.append(expr)
        cursor.execute(
            f"INSERT INTO {qn(table)} ({', '.join(columns)}) "  # noqa: S608 -- model tables, no input  # nosec B608
            f"SELECT {', '.join(exprs)} FROM {qn(table)} t JOIN {own_map} m ON t.id = m.old_id "
            "WHERE t.id = ANY(%s)",
            [_old_ids(cursor, own_map)],
        )
    return own_map
