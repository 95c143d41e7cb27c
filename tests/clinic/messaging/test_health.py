"""Outbox health: the numbers from rows in each state, the thresholds, and the Outbox page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.messaging.choices import MessageStatus
from clinic.messaging.health import OutboxHealth, Severity, Thresholds, health_problems, outbox_health
from clinic.messaging.models import OutboxHeartbeat
from clinic.staff.choices import Role
from tests.clinic.logins import login_verified
from tests.factories import ScheduledMessageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_heartbeats")]

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
THRESHOLDS = Thresholds(
    max_overdue_seconds=900,
    dispatch_stale_seconds=300,
    max_stuck=0,
    max_failed_24h=5,
    sending_lease_seconds=3600,
)


def ago(**kwargs: float) -> datetime:
    return NOW - timedelta(**kwargs)


def outbox_in_every_state() -> None:
    """One or two rows per status, inside and outside the last 24 hours."""
    make = ScheduledMessageFactory
    # Due and unsent: the backlog.
    make(status=MessageStatus.PENDING, due_at=ago(minutes=20))
    make(
        status=MessageStatus.PENDING,
        due_at=ago(minutes=5),
        attempts=1,
        next_attempt_at=NOW + timedelta(minutes=10),
        last_error="SMTPDataError 451 4.3.0 Try again later",
    )
    make(status=MessageStatus.QUEUED, due_at=ago(minutes=2), claimed_at=ago(minutes=1))
    make(
        status=MessageStatus.SENDING, due_at=ago(hours=2), claimed_at=ago(hours=2), sending_since=ago(hours=2)
    )
    make(
        status=MessageStatus.SENDING,
        due_at=ago(minutes=1),
        claimed_at=ago(minutes=1),
        sending_since=ago(seconds=30),
    )
    # Not due yet.
    make(status=MessageStatus.PENDING, due_at=NOW + timedelta(hours=1))
    # Failed: one in the last day, one before it.
    make(status=MessageStatus.FAILED, due_at=ago(hours=2), failed_at=ago(hours=1))
    make(status=MessageStatus.FAILED, due_at=ago(hours=31), failed_at=ago(hours=30))
    # Sent: one in the last day, one before it.
    make(status=MessageStatus.SENT, due_at=ago(hours=3), sent_at=ago(hours=3))
    make(status=MessageStatus.SENT, due_at=ago(hours=26), sent_at=ago(hours=25))
    # Expired in the last day; expired long ago; cancelled (on purpose: never counted).
    make(status=MessageStatus.EXPIRED, due_at=ago(hours=3), expires_at=ago(hours=2))
    make(status=MessageStatus.EXPIRED, due_at=ago(days=3), expires_at=ago(days=2))
    make(status=MessageStatus.CANCELLED, due_at=ago(hours=1))
    OutboxHeartbeat.objects.create(name="dispatch", at=ago(seconds=30))
    OutboxHeartbeat.objects.create(name="delivery", at=ago(hours=3))


# --- The numbers -------------------------------------------------------------------------


def test_outbox_health_counts_rows_in_each_state():
    outbox_in_every_state()

    with time_machine.travel(NOW, tick=False):
        health = outbox_health()

    assert health == OutboxHealth(
        checked_at=NOW,
        backlog=5,
        oldest_due_age_seconds=2 * 3600,
        retry_waiting=1,
        queued_count=1,
        stuck_sending=1,
        failed_24h=1,
        sent_24h=1,
        expired_24h=1,
        # The five of the backlog, the failed row and the expired row.
        due_24h_not_sent=7,
        last_dispatch_at=ago(seconds=30),
        last_delivery_at=ago(hours=3),
        last_alert_at=None,
        problems=[
            "5 messages are waiting to be sent; the oldest fell due 2 hours ago.",
            "1 message has been sending for longer than 60 minutes (a worker stopped mid-send).",
        ],
    )
    assert (health.ok, health.severity) == (False, Severity.PROBLEM)


def test_outbox_health_ages_with_the_clock():
    ScheduledMessageFactory(status=MessageStatus.PENDING, due_at=NOW)
    OutboxHeartbeat.objects.create(name="dispatch", at=NOW)

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        early = outbox_health()
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        late = outbox_health()

    assert (early.oldest_due_age_seconds, early.problems) == (300, [])
    assert late.oldest_due_age_seconds == 960
    assert late.problems == [
        "The dispatcher last ran 16 minutes ago: are the Celery worker and beat running?",
        "1 message is waiting to be sent; the oldest fell due 16 minutes ago.",
    ]


def test_outbox_health_of_an_empty_outbox_with_a_running_dispatcher_is_ok():
    OutboxHeartbeat.objects.create(name="dispatch", at=ago(seconds=10))

    health = outbox_health(NOW)

    assert (health.backlog, health.oldest_due_age_seconds, health.due_24h_not_sent) == (0, None, 0)
    assert (health.ok, health.severity, health.problems) == (True, Severity.OK, [])
    assert health.summary == "Every message due in the last 24 hours went out or is on its way."


def test_outbox_health_failures_below_the_threshold_need_attention_but_are_ok():
    OutboxHeartbeat.objects.create(name="dispatch", at=ago(seconds=10))
    ScheduledMessageFactory(status=MessageStatus.FAILED, due_at=ago(hours=2), failed_at=ago(hours=1))

    health = outbox_health(NOW)

    assert (health.ok, health.severity, health.severity_label) == (
        True,
        Severity.ATTENTION,
        "Needs attention",
    )


def test_outbox_health_reads_with_six_queries():
    outbox_in_every_state()

    with CaptureQueriesContext(connection) as queries:
        outbox_health(NOW)

    assert len(queries) == 6


@pytest.mark.postgres
def test_outbox_health_queries_are_served_by_indexes():
    """With sequential scans priced out, every query still finds an index to use.

    On a table of a few rows PostgreSQL would scan it anyway; what matters is
    that no query needs to read every sent row once the table is large.
    """
    outbox_in_every_state()
    with CaptureQueriesContext(connection) as queries:
        outbox_health(NOW)

    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in queries.captured_queries:
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("RESET enable_seqscan")

    assert [plan for plan in plans if "Seq Scan on messaging_scheduledmessage" in plan] == []
    used = " ".join(plans)
    assert [
        name
        for name in ("messaging_sm_sent", "messaging_sm_expired", "messaging_sm_failed")
        if name not in used
    ] == []


# --- Thresholds → problems (pure) --------------------------------------------------------


def problems(**overrides: object) -> list[str]:
    values: dict[str, object] = {
        "now": NOW,
        "oldest_due_age_seconds": None,
        "backlog": 0,
        "stuck_sending": 0,
        "failed_24h": 0,
        "last_dispatch_at": ago(seconds=30),
        "thresholds": THRESHOLDS,
    }
    values.update(overrides)
    return health_problems(**values)  # type: ignore[arg-type]


def test_health_problems_none_within_every_threshold():
    assert (
        problems(oldest_due_age_seconds=900, backlog=3, failed_24h=5, last_dispatch_at=ago(seconds=300)) == []
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"last_dispatch_at": None}, "The dispatcher has never run: are the Celery worker and beat running?"),
        (
            {"last_dispatch_at": ago(seconds=301)},
            "The dispatcher last ran 5 minutes ago: are the Celery worker and beat running?",
        ),
        (
            {"last_dispatch_at": ago(hours=3)},
            "The dispatcher last ran 3 hours ago: are the Celery worker and beat running?",
        ),
        (
            {"oldest_due_age_seconds": 901, "backlog": 1},
            "1 message is waiting to be sent; the oldest fell due 15 minutes ago.",
        ),
        (
            {"stuck_sending": 2},
            "2 messages have been sending for longer than 60 minutes (a worker stopped mid-send).",
        ),
        ({"failed_24h": 6}, "6 messages failed in the last 24 hours."),
    ],
    ids=["never-dispatched", "dispatch-stale", "dispatch-hours", "overdue", "stuck", "failed"],
)
def test_health_problems_past_a_threshold(overrides, expected):
    assert problems(**overrides) == [expected]


def test_health_problems_thresholds_come_from_settings(settings):
    settings.OUTBOX_HEALTH_MAX_FAILED_24H = 0
    settings.OUTBOX_HEALTH_MAX_STUCK = 3

    thresholds = Thresholds.from_settings()

    assert problems(failed_24h=1, stuck_sending=3, thresholds=thresholds) == [
        "1 message failed in the last 24 hours."
    ]


def test_dispatch_stale_default_is_five_sweeps_and_at_least_five_minutes(settings):
    assert settings.OUTBOX_HEALTH_DISPATCH_STALE_SECONDS == max(5 * settings.MESSAGE_DISPATCH_INTERVAL, 300)


# --- The Outbox page ---------------------------------------------------------------------


def _cell(content: str, name: str) -> str:
    start = content.index(f'data-health="{name}">') + len(f'data-health="{name}">')
    return content[start : content.index("</dd>", start)]


def test_outbox_page_shows_the_health_summary(client, clinic_admin):
    outbox_in_every_state()

    with time_machine.travel(NOW, tick=False):
        login_verified(client, clinic_admin)
        response = client.get(reverse("messaging:outbox"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Sending: <strong>Not working</strong>" in content
    assert "Reminders are not going out as they should." in content
    assert (
        "<li>1 message has been sending for longer than 60 minutes (a worker stopped mid-send).</li>"
        in content
    )
    assert {
        name: _cell(content, name)
        for name in (
            "backlog",
            "oldest_due",
            "queued",
            "stuck",
            "sent_24h",
            "expired_24h",
            "due_24h_not_sent",
        )
    } == {
        "backlog": "5 (1 waiting to retry)",
        "oldest_due": "2\xa0hours ago",
        "queued": "1",
        "stuck": "1",
        "sent_24h": "1",
        "expired_24h": "1",
        "due_24h_not_sent": "7",
    }
    assert _cell(content, "failed_24h") == f'<a href="{reverse("messaging:outbox")}?status=failed">1</a>'
    # Times in the clinic's zone (London: UTC in March before the clocks change).
    assert _cell(content, "last_dispatch") == "10/03/2027 11:59:30 (0\xa0minutes ago)"
    assert _cell(content, "last_delivery") == "10/03/2027 09:00:00 (3\xa0hours ago)"


def test_outbox_page_rows_show_the_last_error_and_the_next_attempt(client, clinic_admin):
    outbox_in_every_state()

    with time_machine.travel(NOW, tick=False):
        login_verified(client, clinic_admin)
        content = client.get(reverse("messaging:outbox"), {"status": "pending"}).content.decode()

    assert "next attempt 10/03/2027 12:10" in content
    assert '<small class="text-danger">SMTPDataError 451 4.3.0 Try again later</small>' in content


def test_outbox_page_all_clear_says_so_in_words(client, clinic_admin):
    OutboxHeartbeat.objects.create(name="dispatch", at=ago(seconds=20))
    ScheduledMessageFactory(status=MessageStatus.SENT, due_at=ago(hours=1), sent_at=ago(hours=1))

    with time_machine.travel(NOW, tick=False):
        login_verified(client, clinic_admin)
        content = client.get(reverse("messaging:outbox")).content.decode()

    assert "alert-success" in content
    assert "Sending: <strong>All clear</strong>" in content
    assert _cell(content, "failed_24h") == "0"


def test_outbox_filter_offers_every_status(clinic_admin_client):
    response = clinic_admin_client.get(reverse("messaging:outbox"))

    choices = [value for value, _ in response.context["filters"].fields["status"].choices]
    assert choices == ["", *MessageStatus.values]
    assert "queued" in choices


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK], ids=lambda r: r.value)
def test_outbox_page_is_for_clinic_admins_only(client, role):
    login_verified(client, UserFactory(role=role))

    response = client.get(reverse("messaging:outbox"))

    assert response.status_code == 403


# The health numbers (six), the page of rows (no count: it reads one row more), and the signed-in session's
# own reads of the session and user (not its write, which comes at most once a minute); the list in its
# default order reads the messages still to go out, then the rest.
PAGE_QUERIES = 10


@pytest.mark.parametrize("rows", [1, 3])
def test_outbox_page_queries_do_not_grow_with_the_rows(client, clinic_admin, rows):
    for hours in range(rows):
        ScheduledMessageFactory(
            status=MessageStatus.FAILED, due_at=ago(hours=hours + 1), failed_at=ago(hours=hours)
        )
    login_verified(client, clinic_admin)
    client.get(reverse("messaging:outbox"))  # the session's first-request queries

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("messaging:outbox"))

    assert len(response.context["page"]) == rows
    assert len(queries) == PAGE_QUERIES
