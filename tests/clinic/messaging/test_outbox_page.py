"""The outbox page: what is due next first, kinds and statuses in words, filters and a recipient search."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.selectors import outbox_page, outbox_rows
from tests.plans import analyze, seq_scans

pytestmark = pytest.mark.django_db

TABLE = "messaging_scheduledmessage"


def _message(
    key: str, *, hours: float, status: str = MessageStatus.PENDING, kind: str = "test", to: str = ""
) -> int:
    due = timezone.now() + timedelta(hours=hours)
    row = ScheduledMessage.objects.create(
        kind=kind,
        to_email=to or f"{key}@example.com",
        due_at=due,
        key=key,
        status=status,
        sent_at=due if status == MessageStatus.SENT else None,
        failed_at=due if status == MessageStatus.FAILED else None,
    )
    return row.pk


def _shown(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-message="(\d+)"', response.content.decode())]


@pytest.fixture
def mixed_outbox():
    """Pending rows due later and earlier, and sent/failed rows of the past, by name."""
    return {
        "soon": _message("soon", hours=1),
        "later": _message("later", hours=30),
        "overdue": _message("overdue", hours=-2),
        "sent_yesterday": _message("sent-yesterday", hours=-24, status=MessageStatus.SENT),
        "failed_last_hour": _message("failed-last-hour", hours=-1, status=MessageStatus.FAILED),
        "sent_last_week": _message("sent-last-week", hours=-170, status=MessageStatus.SENT),
    }


def test_outbox_lists_what_is_due_next_first_then_the_rest_newest_first(clinic_admin_client, mixed_outbox):
    response = clinic_admin_client.get(reverse("messaging:outbox"))

    m = mixed_outbox
    assert _shown(response) == [
        m["overdue"],
        m["soon"],
        m["later"],
        m["failed_last_hour"],
        m["sent_yesterday"],
        m["sent_last_week"],
    ]


def test_outbox_pages_run_on_from_the_waiting_part_into_the_rest(mixed_outbox):
    m = mixed_outbox
    first = outbox_page(size=2)
    second = outbox_page(part=first.next_part, after=first.next_after, size=2)
    third = outbox_page(part=second.next_part, after=second.next_after, size=2)

    assert [r.pk for r in first] == [m["overdue"], m["soon"]]
    assert [r.pk for r in second] == [m["later"], m["failed_last_hour"]]
    assert [r.pk for r in third] == [m["sent_yesterday"], m["sent_last_week"]]
    assert (first.is_first, second.is_first, third.has_next) == (True, False, False)


def test_outbox_page_full_of_waiting_rows_starts_the_rest_on_the_next_page(mixed_outbox):
    m = mixed_outbox
    first = outbox_page(size=3)
    second = outbox_page(part=first.next_part, after=first.next_after, size=3)

    assert [r.pk for r in first] == [m["overdue"], m["soon"], m["later"]]
    assert (first.has_next, first.next_part, first.next_after) == (True, "done", None)
    assert [r.pk for r in second] == [m["failed_last_hour"], m["sent_yesterday"], m["sent_last_week"]]


def test_outbox_shows_kinds_and_statuses_in_words(clinic_admin_client):
    _message("checkin", hours=3, kind="weekly_checkin")
    _message("lost", hours=-3, kind="retired_kind_name", status=MessageStatus.FAILED)

    html = clinic_admin_client.get(reverse("messaging:outbox")).content.decode()

    assert "Weekly check-in request" in html
    assert "Retired kind name" in html
    assert ">weekly_checkin<" not in html
    assert "Pending" in html and "Failed" in html


def test_outbox_filters_by_kind_and_status(clinic_admin_client, mixed_outbox):
    checkin = _message("checkin-sent", hours=-5, kind="weekly_checkin", status=MessageStatus.SENT)
    _message("checkin-pending", hours=5, kind="weekly_checkin")

    response = clinic_admin_client.post(
        reverse("messaging:outbox"), {"kind": "weekly_checkin", "status": "sent"}
    )

    assert _shown(response) == [checkin]
    assert 'value="weekly_checkin" selected' in response.content.decode()


def test_outbox_status_link_from_the_health_panel_filters_by_get(clinic_admin_client, mixed_outbox):
    response = clinic_admin_client.get(reverse("messaging:outbox"), {"status": "failed"})

    assert _shown(response) == [mixed_outbox["failed_last_hour"]]


def test_outbox_finds_a_recipient_by_address_or_its_start_in_any_case(clinic_admin_client):
    robin = _message("robin-1", hours=2, to="Robin.Strider@Example.com")
    robin_sent = _message("robin-2", hours=-2, to="robin.strider@example.com", status=MessageStatus.SENT)
    _message("robyn", hours=1, to="robyn@example.com")

    exact = clinic_admin_client.post(reverse("messaging:outbox"), {"recipient": "robin.strider@example.com"})
    start = clinic_admin_client.post(reverse("messaging:outbox"), {"recipient": "ROBIN"})

    assert _shown(exact) == [robin, robin_sent]
    assert _shown(start) == [robin, robin_sent]
    # The search was posted: the address is not in any link of the page.
    assert "robin.strider%40" not in start.content.decode()


def test_outbox_search_keeps_the_search_on_its_next_page(clinic_admin_client, monkeypatch):
    monkeypatch.setattr("clinic.messaging.views.PAGE_SIZE", 2)
    ids = [_message(f"runner-{n}", hours=n + 1, to=f"runner{n}@example.com") for n in range(3)]
    _message("other", hours=0.5, to="other@example.com")

    first = clinic_admin_client.post(reverse("messaging:outbox"), {"recipient": "runner"})
    html = first.content.decode()
    button = re.search(r'<button class="page-link"[^>]*name="after" value="(\d*)" formaction="([^"]+)"', html)
    assert button is not None, html
    second = clinic_admin_client.post(
        button.group(2).replace("&amp;", "&"), {"recipient": "runner", "after": button.group(1)}
    )

    assert _shown(first) == ids[:2]
    assert _shown(second) == ids[2:]


def test_outbox_retry_button_names_its_message_and_posts(clinic_admin_client, mixed_outbox):
    html = clinic_admin_client.get(reverse("messaging:outbox")).content.decode()

    assert html.count(">Retry<span") == 1
    assert f'action="{reverse("messaging:retry", args=[mixed_outbox["failed_last_hour"]])}"' in html


@pytest.fixture
def big_outbox(db):
    now = timezone.now()
    rows = []
    for n in range(3000):
        due = now + timedelta(minutes=(n * 37) % 50_000 - 40_000)
        status = MessageStatus.PENDING if due > now or n % 40 == 0 else MessageStatus.SENT
        rows.append(
            ScheduledMessage(
                kind="weekly_checkin" if n % 5 == 0 else "appointment_reminder",
                to_email=f"runner{n}@example.com",
                due_at=due,
                key=f"big:{n}",
                status=status,
                sent_at=due if status == MessageStatus.SENT else None,
            )
        )
    ScheduledMessage.objects.bulk_create(rows)
    analyze(TABLE)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "filters", [{}, {"recipient": "runner12"}, {"recipient": "RUNNER1", "status": "sent"}]
)
def test_outbox_default_order_and_search_read_through_indexes(big_outbox, filters):
    with CaptureQueriesContext(connection) as queries:
        first = outbox_page(size=50, **filters)
        outbox_page(size=50, part=first.next_part, after=first.next_after, **filters)

    assert seq_scans(queries, TABLE) == []


@pytest.mark.postgres
def test_outbox_kind_filter_has_an_index_path(big_outbox):
    # A fifth of these rows are of the kind, where PostgreSQL may rightly read the small
    # table whole; the test holds that an index can serve the filter in both parts.
    with CaptureQueriesContext(connection) as queries:
        first = outbox_page(size=50, kind="weekly_checkin")
        outbox_page(size=50, part=first.next_part, after=first.next_after, kind="weekly_checkin")

    assert seq_scans(queries, TABLE, seqscan_off=True) == []


@pytest.mark.postgres
def test_recipient_search_uses_the_prefix_index(big_outbox):
    rows = outbox_rows(recipient="runner12").order_by("due_at", "pk")
    with connection.cursor() as cursor:
        sql, params = rows.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "messaging_sm_to_prefix" in plan
