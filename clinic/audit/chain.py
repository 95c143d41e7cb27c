"""The hash chain over the audit log's rows (AccessEvent and SecurityEvent), and its check.

Each row carries `seq` (its place in the chain, 1, 2, 3, … with no gaps),
`prev_hash` (the previous row's `row_hash`; 64 zeros for the first row) and
`row_hash`: SHA-256, in lower-case hex, of the row's canonical serialisation,
the text of a PostgreSQL jsonb object of the chained columns (prev_hash
included; times as UTC "YYYY-MM-DDTHH:MI:SS.ffffffZ"). The SQL functions
`audit_accessevent_hash(row)` and `audit_securityevent_hash(row)` (installed by
audit's migrations) compute it, so anyone with read access can recompute a
row's hash with one query.

A BEFORE INSERT trigger fills the three columns, whatever inserts the row (the
ORM, a factory, raw SQL): it takes a transaction-scoped advisory lock per
table, so concurrent writers queue for the chain head instead of forking it,
and the lock is released when the writer's transaction ends. Values a writer
supplies for the three columns are overwritten.

What the chain proves: an edited row no longer matches its hash; a deleted row
leaves a gap in `seq` and a `prev_hash` that names no row; a row inserted
around the trigger has no place in the chain. What it cannot prove: a
database owner who rewrites a row and every row after it (recomputing each
hash) leaves a valid chain; compare the head hash `audit_verify` prints with a
copy kept outside the database to catch that.

PostgreSQL only: on SQLite (the embedded default) the columns stay empty and
`audit_verify` says so.
"""

from dataclasses import dataclass

import pgtrigger
from django.db import connection

GENESIS = "0" * 64

# pg_advisory_xact_lock keys, one per chained table (any fixed bigints; these
# spell "audit" + 1 / 2 in ASCII so they are easy to spot in pg_locks).
LOCK_KEYS = {"audit_accessevent": 0x6175646974_01, "audit_securityevent": 0x6175646974_02}

_UTC = "to_char(({col}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

# The chained columns of each table. Adding a column to a chained table does
# not change old rows' hashes: only these columns are serialised.
CHAINED_COLUMNS = {
    "audit_accessevent": {
        "id": "r.id",
        "seq": "r.seq",
        "prev_hash": "r.prev_hash",
        "occurred_at": _UTC.format(col="r.occurred_at"),
        "user_id": "r.user_id",
        "patient_id": "r.patient_id",
        "actor": "r.actor",
        "object_label": "r.object_label",
        "object_pk": "r.object_pk",
        "view_name": "r.view_name",
        "ip": "host(r.ip)",
        "request_id": "r.request_id",
    },
    "audit_securityevent": {
        "id": "r.id",
        "seq": "r.seq",
        "prev_hash": "r.prev_hash",
        "occurred_at": _UTC.format(col="r.occurred_at"),
        "kind": "r.kind",
        "user_id": "r.user_id",
        "actor_id": "r.actor_id",
        "username": "r.username",
        "detail": "r.detail",
        "ip": "host(r.ip)",
        "request_id": "r.request_id",
    },
}


# Chained columns added later, serialised only when not empty: a row written before the
# column existed (where it is empty) keeps the hash it was written with.
CHAINED_WHEN_SET = {
    "audit_accessevent": {"client_name": "r.client_name"},
    "audit_securityevent": {},
}


def hash_function_sql(table: str) -> str:
    """CREATE FUNCTION <table>_hash(row): the row's SHA-256 over its canonical jsonb text."""
    pairs = ", ".join(f"'{name}', {expr}" for name, expr in CHAINED_COLUMNS[table].items())
    document = f"jsonb_build_object({pairs})"
    for name, expr in CHAINED_WHEN_SET[table].items():
        document += (
            f" || CASE WHEN {expr} = '' THEN '{{}}'::jsonb ELSE jsonb_build_object('{name}', {expr}) END"
        )
    return (
        f"CREATE OR REPLACE FUNCTION {table}_hash(r {table}) RETURNS text "
        f"LANGUAGE sql STABLE AS $$ "
        f"SELECT encode(sha256(convert_to(({document})::text, 'UTF8')), 'hex') $$;"
    )


def drop_hash_function_sql(table: str) -> str:
    return f"DROP FUNCTION IF EXISTS {table}_hash({table});"


def chain_trigger(table: str) -> pgtrigger.Trigger:
    """BEFORE INSERT: lock the chain head, link the new row to it and hash it."""
    return pgtrigger.Trigger(
        name="chain",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert,
        declare=[("head_seq", "bigint"), ("head_hash", "text")],
        func=(
            f"PERFORM pg_advisory_xact_lock({LOCK_KEYS[table]}); "  # noqa: S608 -- fixed table names, no input  # nosec B608
            f"SELECT seq, row_hash INTO head_seq, head_hash FROM {table} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1; "
            f"NEW.seq := COALESCE(head_seq, 0) + 1; "
            f"NEW.prev_hash := COALESCE(head_hash, '{GENESIS}'); "
            f"NEW.row_hash := {table}_hash(NEW); "
            f"RETURN NEW;"
        ),
    )


@dataclass(frozen=True)
class Break:
    """One row where the chain does not hold."""

    table: str
    row_id: int
    seq: int | None
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.table} id {self.row_id} (seq {self.seq if self.seq is not None else '-'}): {self.reason}"
        )


@dataclass(frozen=True)
class Report:
    table: str
    rows: int
    head_seq: int | None
    head_hash: str | None
    breaks: tuple[Break, ...]


def chain_verify(table: str, *, batch: int = 5000) -> Report:
    """Walk `table`'s chain in `seq` order and list every row where it breaks.

    A row is reported when its stored hash differs from a recomputed one
    (edited), when its `prev_hash` is not the previous row's hash or its `seq`
    skips (a row before it was deleted, or one was inserted), or when it has
    no place in the chain (inserted around the trigger).
    """
    breaks: list[Break] = []
    rows = 0
    prev_seq, prev_hash = 0, GENESIS
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE seq IS NULL OR row_hash IS NULL ORDER BY id")  # noqa: S608 -- fixed table names  # nosec B608
        for (row_id,) in cursor.fetchall():
            breaks.append(Break(table, row_id, None, "not in the chain (inserted without the chain trigger)"))
        last_seq = 0
        while True:
            cursor.execute(
                f"SELECT r.id, r.seq, r.prev_hash, r.row_hash, {table}_hash(r) FROM {table} r "  # noqa: S608 -- fixed table names  # nosec B608
                "WHERE r.seq > %s AND r.row_hash IS NOT NULL ORDER BY r.seq LIMIT %s",
                [last_seq, batch],
            )
            chunk = cursor.fetchall()
            if not chunk:
                break
            for row_id, seq, stored_prev, stored_hash, computed in chunk:
                rows += 1
                reasons = []
                if stored_hash != computed:
                    reasons.append("its content does not match its hash (edited)")
                if seq != prev_seq + 1:
                    missing = (
                        f"seq {prev_seq + 1}" if seq == prev_seq + 2 else f"seq {prev_seq + 1}–{seq - 1}"
                    )
                    reasons.append(
                        f"{missing} missing before it (deleted)" if seq > prev_seq else "seq out of order"
                    )
                elif stored_prev != prev_hash:
                    reasons.append(
                        "its previous-row hash names no row before it (a row was deleted or replaced)"
                    )
                if reasons:
                    breaks.append(Break(table, row_id, seq, "; ".join(reasons)))
                prev_seq, prev_hash = seq, stored_hash
            last_seq = chunk[-1][1]
    return Report(
        table=table,
        rows=rows,
        head_seq=prev_seq or None,
        head_hash=prev_hash if rows else None,
        breaks=tuple(breaks),
    )
