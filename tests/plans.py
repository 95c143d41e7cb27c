"""Query plans of what a page or service runs (PostgreSQL): which tables it reads without an index.

`seq_scans(queries, table)` EXPLAINs every captured SELECT that names the table
and returns the plans that scan it sequentially. Tests fill the table with a
few thousand rows and ANALYZE it first, so the planner's choice is the one it
makes at scale rather than the "tiny table, just read it" shortcut.
"""

import re
from collections.abc import Iterable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def analyze(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def plans(
    queries: CaptureQueriesContext | Iterable[dict[str, str]], table: str, *, seqscan_off: bool = False
) -> list[str]:
    """The EXPLAIN text of each captured SELECT that reads `table`.

    `seqscan_off` plans with sequential scans priced out (enable_seqscan = off):
    for a query whose index plan only pays at a size the test does not build
    (a BitmapOr of two trigram indexes), it shows the index can serve it at all.
    """
    found = []
    with connection.cursor() as cursor:
        if seqscan_off:
            cursor.execute("SET enable_seqscan = off")
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or f'"{table}"' not in sql:
                continue
            cursor.execute(f"EXPLAIN {sql}")
            found.append("\n".join(row[0] for row in cursor.fetchall()))
        if seqscan_off:
            cursor.execute("RESET enable_seqscan")
    return found


def seq_scans(
    queries: CaptureQueriesContext | Iterable[dict[str, str]], table: str, *, seqscan_off: bool = False
) -> list[str]:
    """The plans (of those above) with a sequential scan of `table`."""
    return [plan for plan in plans(queries, table, seqscan_off=seqscan_off) if scans_table(plan, table)]


def scans_table(plan: str, table: str) -> bool:
    """Whether the plan reads `table` whole (the name in full: patients_appointmenttype is another table)."""
    return re.search(rf"Seq Scan on {re.escape(table)}\b", plan) is not None


def page_queries(queries: CaptureQueriesContext) -> list[str]:
    """The captured SQL without the session's own bookkeeping (its save comes and goes with the clock)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if '"django_session"' not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
