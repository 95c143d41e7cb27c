"""The audit log's hash chain, `manage.py audit_verify`, and the TRUNCATE and context guards."""

import itertools
import json
import threading
import time
from io import StringIO

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import ProgrammingError  # psycopg 3: RAISE EXCEPTION (P0001) is a ProgrammingError

from clinic.audit.chain import GENESIS, chain_verify
from clinic.audit.choices import SecurityEventKind
from clinic.audit.models import AccessEvent, SecurityEvent
from tests.factories import AccessEventFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _verify() -> tuple[int, str]:
    """Run audit_verify; (exit status, output)."""
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def _pgid(model: type, name: str) -> str:
    (trigger,) = [t for m, t in pgtrigger.registered() if m is model and t.name == name]
    return trigger.get_pgid(model)


def _as_owner_edit(sql: str, params: list[object]) -> None:
    """What only the table's owner can do: set the append-only trigger aside for one statement."""
    pgid = _pgid(AccessEvent, "append_only")
    with connection.cursor() as cursor:
        # ALTER TABLE waits for no deferred foreign-key checks of this test's transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE audit_accessevent DISABLE TRIGGER {pgid}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE audit_accessevent ENABLE TRIGGER {pgid}")


@pytest.fixture
def rows():
    user = UserFactory()
    return [AccessEventFactory(user=user, patient_id=100 + n) for n in range(4)]


def test_rows_are_linked_in_order(rows):
    chained = list(AccessEvent.objects.order_by("seq").values_list("seq", "prev_hash", "row_hash"))

    assert [seq for seq, _, _ in chained] == [1, 2, 3, 4]
    assert chained[0][1] == GENESIS
    for (_, _, previous_hash), (_, prev_hash, _) in itertools.pairwise(chained):
        assert prev_hash == previous_hash
    assert all(len(row_hash) == 64 for _, _, row_hash in chained)


def test_values_a_writer_supplies_for_the_chain_are_overwritten(rows):
    forged = AccessEventFactory(seq=99, prev_hash="f" * 64, row_hash="e" * 64)
    forged.refresh_from_db()

    assert (forged.seq, forged.prev_hash) == (5, AccessEvent.objects.get(seq=4).row_hash)
    assert forged.row_hash != "e" * 64


def test_verify_passes_an_untouched_chain(rows):
    SecurityEvent.objects.create(kind=SecurityEventKind.SIGN_IN, user=rows[0].user)

    status, output = _verify()

    assert status == 0
    assert "audit_accessevent: 4 chained row(s), OK" in output
    assert "BREAK" not in output


def test_verify_reports_exactly_the_edited_row(rows):
    edited = rows[2]
    _as_owner_edit("UPDATE audit_accessevent SET view_name = 'forged' WHERE id = %s", [edited.pk])

    status, output = _verify()

    assert status == 1
    breaks = [line for line in output.splitlines() if line.startswith("BREAK")]
    assert breaks == [
        f"BREAK audit_accessevent id {edited.pk} (seq 3): its content does not match its hash (edited)"
    ]


def test_verify_reports_a_rehashed_edit_at_the_next_row(rows):
    edited = rows[1]
    _as_owner_edit(
        "UPDATE audit_accessevent t SET patient_id = 1 WHERE id = %s; "
        "UPDATE audit_accessevent t SET row_hash = audit_accessevent_hash(t) WHERE id = %s",
        [edited.pk, edited.pk],
    )

    report = chain_verify("audit_accessevent")

    assert [(b.row_id, b.seq) for b in report.breaks] == [(rows[2].pk, 3)]
    assert "names no row before it" in report.breaks[0].reason


def test_verify_reports_a_deleted_row_at_the_row_after_it(rows):
    _as_owner_edit("DELETE FROM audit_accessevent WHERE id = %s", [rows[1].pk])

    report = chain_verify("audit_accessevent")

    assert [(b.row_id, b.reason) for b in report.breaks] == [
        (rows[2].pk, "seq 2 missing before it (deleted)")
    ]


def test_verify_reports_a_row_inserted_around_the_chain_trigger(rows):
    with pgtrigger.ignore("audit.AccessEvent:chain"):
        sneaked = AccessEventFactory(patient_id=7)

    status, output = _verify()

    assert status == 1
    assert f"BREAK audit_accessevent id {sneaked.pk} (seq -): not in the chain" in output


def test_security_events_have_their_own_chain(rows):
    first = SecurityEvent.objects.create(kind=SecurityEventKind.LOCKOUT, username="x@stride.test")
    second = SecurityEvent.objects.create(kind=SecurityEventKind.UNLOCK)
    first.refresh_from_db()
    second.refresh_from_db()

    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.row_hash)
    assert chain_verify("audit_securityevent").breaks == ()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    user = UserFactory()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(5):
                with transaction.atomic():
                    AccessEventFactory(user=user, patient_id=1000 * n + i)
                    # Hold the transaction open so the writers overlap.
                    time.sleep(0.01)
        except BaseException as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(AccessEvent.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert chain_verify("audit_accessevent").breaks == ()


# --- TRUNCATE and the history context -----------------------------------------------------------

TRUNCATE_GUARDED = [
    "audit_accessevent",
    "audit_securityevent",
    "pghistory_context",
    "patients_patientauditevent",
    "patients_redflagauditevent",
    "patients_intakeresponseauditevent",
    "staff_userauditevent",
    "staff_usergroupsauditevent",
    "staff_twofactordeviceauditevent",
    "assessments_programmelinkauditevent",
]


@pytest.mark.parametrize("table", TRUNCATE_GUARDED)
def test_truncate_is_refused(rows, table):
    with (
        pytest.raises(ProgrammingError, match="Cannot truncate"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # TRUNCATE waits for no deferred foreign-key checks of this test's transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")

    assert AccessEvent.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_guarded_tables():
    AccessEventFactory()

    call_command("flush", interactive=False, verbosity=0)

    assert AccessEvent.objects.count() == 0


def _context_row(metadata: dict) -> str:
    from pghistory.models import Context

    return str(Context.objects.create(metadata=metadata).pk)


def test_context_metadata_may_gain_keys_and_fill_a_null():
    pk = _context_row({"user": None, "url": "/accounts/login/"})

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pghistory_context SET metadata = %s::jsonb WHERE id = %s",
            ['{"user": 5, "url": "/accounts/login/", "task": "x"}', pk],
        )
        cursor.execute("SELECT metadata::text FROM pghistory_context WHERE id = %s", [pk])
        assert json.loads(cursor.fetchone()[0]) == {"user": 5, "url": "/accounts/login/", "task": "x"}


@pytest.mark.parametrize(
    "new_metadata",
    ['{"user": 6, "url": "/p/"}', '{"url": "/p/"}', '{"user": null, "url": "/p/"}'],
    ids=["changed", "removed", "nulled"],
)
def test_context_metadata_cannot_change_or_lose_a_value(new_metadata):
    pk = _context_row({"user": 5, "url": "/p/"})

    with (
        pytest.raises(ProgrammingError, match="never change or lose one"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE pghistory_context SET metadata = %s::jsonb WHERE id = %s", [new_metadata, pk])


def test_context_rows_cannot_be_deleted():
    pk = _context_row({"user": 5})

    with (
        pytest.raises(ProgrammingError, match="Cannot delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM pghistory_context WHERE id = %s", [pk])
