"""The outbox page and the dispatcher at scale: index plans, a flat query count, keyset pages."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import messages_claim_due
from clinic.messaging.views import PAGE_SIZE
from tests.plans import analyze, seq_scans

pytestmark = pytest.mark.django_db

TABLE = "messaging_scheduledmessage"


def _rows(count: int, *, seed: int = 7) -> list[ScheduledMessage]:
    """`count` outbox rows due over the past two months and the next week, as a running clinic's are.

    The past is mostly sent; what is due later is pending (reminders are queued
    a few days ahead).
    """
    now = timezone.now()
    pick = random.Random(seed)  # noqa: S311 -- reproducible test data, not a secret
    rows = []
    for n in range(count):
        due = now + timedelta(minutes=pick.randint(-86_400, 10_080))
        status = pick.choices(
            [MessageStatus.SENT, MessageStatus.PENDING, MessageStatus.FAILED, MessageStatus.CANCELLED],
            weights=[85, 10, 3, 2],
        )[0]
        if due > now:
            status = MessageStatus.PENDING
        rows.append(
            ScheduledMessage(
                kind="test",
                to_email=f"runner{n}@example.com",
                due_at=due,
                key=f"scale:{seed}:{n}",
                status=status,
                sent_at=due if status == MessageStatus.SENT else None,
                failed_at=due if status == MessageStatus.FAILED else None,
            )
        )
    return ScheduledMessage.objects.bulk_create(rows)


@pytest.fixture
def big_outbox(db):
    _rows(4000)
    analyze(TABLE)


def _outbox_queries(client, **params: object) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("messaging:outbox"), params)
    assert response.status_code == 200
    return queries


@pytest.mark.postgres
@pytest.mark.parametrize("status", ["", MessageStatus.FAILED, MessageStatus.PENDING])
def test_outbox_page_reads_the_outbox_through_indexes(clinic_admin_client, big_outbox, status):
    first = clinic_admin_client.get(reverse("messaging:outbox"), {"status": status})
    after = first.context["page"].next_after

    for params in ({"status": status}, {"status": status, "after": after}):
        queries = _outbox_queries(clinic_admin_client, **params)
        listing = [q for q in queries.captured_queries if TABLE in q["sql"] and "ORDER BY" in q["sql"]]
        assert listing
        assert seq_scans(listing, TABLE) == []
        # The health panel's counts match a large share of this small set (a tenth of its past
        # is still pending), where PostgreSQL may rightly read 4,000 rows whole; for them the
        # test holds that an index path exists.
        assert seq_scans(queries, TABLE, seqscan_off=True) == []


@pytest.mark.postgres
def test_outbox_page_plan_walks_the_list_index_backwards(big_outbox):
    newest = ScheduledMessage.objects.order_by("-due_at", "-pk")[:51]

    with connection.cursor() as cursor:
        sql, params = newest.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan Backward using messaging_sm_list" in plan
    assert "Sort" not in plan


@pytest.mark.postgres
def test_dispatcher_claim_reads_only_through_indexes(big_outbox):
    with CaptureQueriesContext(connection) as queries:
        claimed = messages_claim_due(limit=100)

    assert len(claimed) == 100
    assert seq_scans(queries, TABLE) == []


def test_outbox_page_query_count_does_not_grow_with_rows(clinic_admin_client, django_assert_max_num_queries):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert clinic_admin_client.get(reverse("messaging:outbox")).status_code == 200
        return len(queries)

    _rows(5)
    clinic_admin_client.get(reverse("messaging:outbox"))  # the session's first request loads more
    with_5 = count_queries()
    _rows(45, seed=8)
    # The session and the signed-in user's checks, the page (no COUNT), the health panel.
    with django_assert_max_num_queries(14):
        response = clinic_admin_client.get(reverse("messaging:outbox"))

    assert count_queries() == with_5
    assert len(response.context["page"]) == PAGE_SIZE


def _walk(client, **params: object) -> list[int]:
    """Every row the outbox pages list, following the Next link, with new rows arriving between pages."""
    seen: list[int] = []
    cursor: dict[str, object] = {}
    arrivals = 0
    while True:
        response = client.get(reverse("messaging:outbox"), {**params, **cursor})
        page = response.context["page"]
        seen += [m.pk for m in page]
        # New rows, due both before and after the place reached, while staff read on.
        arrivals += 1
        ScheduledMessage.objects.bulk_create(
            [
                ScheduledMessage(
                    kind="test",
                    to_email="late@example.com",
                    due_at=timezone.now() + timedelta(days=delta),
                    key=f"late:{arrivals}:{delta}",
                )
                for delta in (-90, 90)
            ]
        )
        if not page.has_next:
            return seen
        if page.next_after is not None:
            assert f"after={page.next_after}" in response.content.decode()
        cursor = {"part": page.next_part, **({"after": page.next_after} if page.next_after else {})}


def test_outbox_pages_list_every_row_once_in_order_while_rows_arrive(clinic_admin_client):
    now = timezone.now()
    # Ties on due_at: the id decides between them.
    rows = ScheduledMessage.objects.bulk_create(
        [
            ScheduledMessage(
                kind="test", to_email="r@example.com", due_at=now - timedelta(hours=n // 3), key=f"k{n}"
            )
            for n in range(3 * PAGE_SIZE + 7)
        ]
    )
    # All pending: the outbox lists what is due next first, soonest first.
    expected = [m.pk for m in sorted(rows, key=lambda m: (m.due_at, m.pk))]

    seen = _walk(clinic_admin_client)

    original = [pk for pk in seen if pk in set(expected)]
    assert original == expected
    assert len(seen) == len(set(seen))


def test_outbox_filtered_pages_keep_the_filter(clinic_admin_client):
    _rows(300)
    failed = list(
        ScheduledMessage.objects.filter(status=MessageStatus.PENDING)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )

    seen = _walk(clinic_admin_client, status=MessageStatus.PENDING)

    assert [pk for pk in seen if pk in set(failed)] == failed
    assert len(failed) > PAGE_SIZE


def test_outbox_cursor_of_a_missing_row_starts_at_the_top(clinic_admin_client):
    rows = _rows(3)

    response = clinic_admin_client.get(reverse("messaging:outbox"), {"after": "999999999"})

    assert {m.pk for m in response.context["page"]} == {m.pk for m in rows}
    assert response.context["page"].is_first
