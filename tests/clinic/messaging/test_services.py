"""The outbox services, tasks (run in-process) and the Outbox pages."""

import smtplib
import threading
from datetime import time, timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clinic.celery import app as celery_app
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import OutboxHeartbeat, ScheduledMessage
from clinic.messaging.registry import REFUSAL_HANDLERS, register_refusal_handler
from clinic.messaging.services import (
    About,
    Delivery,
    message_attempt,
    message_cancel,
    message_deliver,
    message_id_header,
    message_record,
    message_retry,
    messages_cancel,
    messages_claim_due,
    schedule_message,
    smtp_fault,
)
from clinic.messaging.tasks import dispatch_due_task, send_message_task
from clinic.staff.choices import Role
from tests.factories import ScheduledMessageFactory, UserFactory

pytestmark = pytest.mark.django_db

TEST_SUBJECT = f"Test email from {django_settings.CLINIC_NAME}"
TEST_LINE = "This is a test email from"


class FailingEmailBackend(BaseEmailBackend):
    """The mail server hangs up: a transient failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RejectingEmailBackend(BaseEmailBackend):
    """The mail server refuses the recipient for good (550)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {"runner@example.com": (550, b"5.1.1 <runner@example.com>: mailbox unavailable")}
        )


class BusyEmailBackend(BaseEmailBackend):
    """The mail server asks to try later (451 at RCPT)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"runner@example.com": (451, b"4.7.1 Try again later")})


FAILING_BACKEND = f"{__name__}.FailingEmailBackend"
REJECTING_BACKEND = f"{__name__}.RejectingEmailBackend"
BUSY_BACKEND = f"{__name__}.BusyEmailBackend"


def assert_email_contains(email, text):
    """Both the plain-text and the HTML part carry `text`."""
    assert text in email.body
    assert [alternative.mimetype for alternative in email.alternatives] == ["text/html"]
    assert text in email.alternatives[0].content


def queued(**kwargs):
    """A row claimed by the dispatcher, its send task handed to the broker."""
    return ScheduledMessageFactory(**{"status": MessageStatus.QUEUED, "claimed_at": timezone.now(), **kwargs})


def sending(**kwargs):
    """A row whose attempt has started (counted, SMTP conversation under way)."""
    return ScheduledMessageFactory(
        **{"status": MessageStatus.SENDING, "attempts": 1, "claimed_at": timezone.now(), **kwargs}
    )


def sent(**kwargs):
    return ScheduledMessageFactory(status=MessageStatus.SENT, sent_at=timezone.now(), **kwargs)


@pytest.fixture
def eager_celery():
    """Run .delay() in-process, as CELERY_TASK_ALWAYS_EAGER would; restored afterwards."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


# --- schedule, move, cancel --------------------------------------------------------


def test_schedule_message_creates_one_pending_row():
    due = timezone.now() + timedelta(hours=2)

    message = schedule_message(kind="test", to="runner@example.com", due_at=due, key="test:1")

    row = ScheduledMessage.objects.get()
    assert row.pk == message.pk
    assert (row.kind, row.to_email, row.due_at, row.status, row.key) == (
        "test",
        "runner@example.com",
        due,
        MessageStatus.PENDING,
        "test:1",
    )


def test_schedule_message_same_key_twice_moves_the_one_row():
    first_due = timezone.now() + timedelta(hours=2)
    second_due = first_due + timedelta(days=1)
    schedule_message(kind="test", to="runner@example.com", due_at=first_due, key="test:1")

    schedule_message(kind="test", to="runner@example.com", due_at=second_due, key="test:1")

    row = ScheduledMessage.objects.get()
    assert (row.due_at, row.status) == (second_due, MessageStatus.PENDING)


def test_schedule_message_leaves_a_sent_row_alone():
    row = sent(key="test:1")
    sent_due = row.due_at

    returned = schedule_message(
        kind="test", to="other@example.com", due_at=timezone.now() + timedelta(days=1), key="test:1"
    )

    row.refresh_from_db()
    assert returned.pk == row.pk
    assert ScheduledMessage.objects.count() == 1
    assert (row.status, row.due_at, row.to_email) == (MessageStatus.SENT, sent_due, "runner@example.com")


def test_schedule_message_requeues_a_cancelled_row():
    ScheduledMessageFactory(key="test:1", status=MessageStatus.CANCELLED)

    schedule_message(kind="test", to="runner@example.com", due_at=timezone.now(), key="test:1")

    assert list(ScheduledMessage.objects.values_list("status", flat=True)) == [MessageStatus.PENDING]


def test_schedule_message_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown message kind 'nope'"):
        schedule_message(kind="nope", to="runner@example.com", due_at=timezone.now(), key="nope:1")

    assert ScheduledMessage.objects.count() == 0


def test_schedule_message_same_key_while_queued_goes_back_to_pending():
    row = queued(key="test:1")
    new_due = timezone.now() + timedelta(hours=3)

    schedule_message(kind="test", to="runner@example.com", due_at=new_due, key="test:1")

    row.refresh_from_db()
    assert (row.status, row.due_at, row.claimed_at) == (MessageStatus.PENDING, new_due, None)
    # The task already in the broker finds the row no longer queued.
    assert message_deliver(message_id=row.pk) is Delivery.SKIPPED


def test_messages_cancel_cancels_queued_rows_and_spares_kept_keys():
    about = About(label="patients.appointment", pk="7")
    claimed = queued(about_label=about.label, about_pk=about.pk, key="old")
    kept = ScheduledMessageFactory(about_label=about.label, about_pk=about.pk, key="new")

    count = messages_cancel(about=about, keep_keys={"new"})

    assert count == 1
    assert dict(ScheduledMessage.objects.values_list("pk", "status")) == {
        claimed.pk: MessageStatus.CANCELLED,
        kept.pk: MessageStatus.PENDING,
    }


def test_messages_cancel_cancels_only_pending_rows_about_the_object():
    about = About(label="patients.patient", pk="7")
    pending = ScheduledMessageFactory(about_label=about.label, about_pk=about.pk)
    already_sent = sent(about_label=about.label, about_pk=about.pk)
    in_flight = sending(about_label=about.label, about_pk=about.pk)
    other_object = ScheduledMessageFactory(about_label=about.label, about_pk="8")

    count = messages_cancel(about=about)

    statuses = dict(ScheduledMessage.objects.values_list("pk", "status"))
    assert count == 1
    assert statuses == {
        pending.pk: MessageStatus.CANCELLED,
        already_sent.pk: MessageStatus.SENT,
        in_flight.pk: MessageStatus.SENDING,
        other_object.pk: MessageStatus.PENDING,
    }


def test_messages_cancel_with_kinds_cancels_only_those_kinds():
    about = About(label="patients.patient", pk="7")
    reminder = ScheduledMessageFactory(kind="reminder", about_label=about.label, about_pk=about.pk)
    nudge = ScheduledMessageFactory(kind="nudge", about_label=about.label, about_pk=about.pk)

    count = messages_cancel(about=about, kinds=["nudge"])

    statuses = dict(ScheduledMessage.objects.values_list("pk", "status"))
    assert count == 1
    assert statuses == {reminder.pk: MessageStatus.PENDING, nudge.pk: MessageStatus.CANCELLED}


def test_message_cancel_cancels_a_pending_row():
    row = ScheduledMessageFactory(key="test:1")

    cancelled = message_cancel(key="test:1")

    row.refresh_from_db()
    assert cancelled is True
    assert row.status == MessageStatus.CANCELLED


@pytest.mark.parametrize("status", [MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.FAILED])
def test_message_cancel_leaves_non_pending_rows_alone(status):
    row = ScheduledMessageFactory(key="test:1", status=status, sent_at=timezone.now())

    cancelled = message_cancel(key="test:1")

    row.refresh_from_db()
    assert cancelled is False
    assert row.status == status


# --- claim ------------------------------------------------------------------------------


def test_messages_claim_due_claims_only_due_pending_rows():
    now = timezone.now()
    due = ScheduledMessageFactory(due_at=now - timedelta(minutes=5))
    due_now = ScheduledMessageFactory(due_at=now)
    future = ScheduledMessageFactory(due_at=now + timedelta(minutes=5))
    waiting = ScheduledMessageFactory(
        due_at=now - timedelta(minutes=5), attempts=1, next_attempt_at=now + timedelta(minutes=1)
    )
    failed = ScheduledMessageFactory(due_at=now - timedelta(minutes=5), status=MessageStatus.FAILED)
    cancelled = ScheduledMessageFactory(due_at=now - timedelta(minutes=5), status=MessageStatus.CANCELLED)

    claimed = messages_claim_due(now=now)

    rows = {m.pk: (m.status, m.claimed_at) for m in ScheduledMessage.objects.all()}
    assert claimed == [due.pk, due_now.pk]
    assert rows == {
        due.pk: (MessageStatus.QUEUED, now),
        due_now.pk: (MessageStatus.QUEUED, now),
        future.pk: (MessageStatus.PENDING, None),
        waiting.pk: (MessageStatus.PENDING, None),
        failed.pk: (MessageStatus.FAILED, None),
        cancelled.pk: (MessageStatus.CANCELLED, None),
    }


def test_messages_claim_due_claims_a_retry_once_its_time_has_come():
    now = timezone.now()
    retry = ScheduledMessageFactory(
        due_at=now - timedelta(hours=1), attempts=2, next_attempt_at=now - timedelta(seconds=1)
    )

    assert messages_claim_due(now=now) == [retry.pk]


def test_messages_claim_due_respects_the_limit_oldest_first():
    now = timezone.now()
    rows = [ScheduledMessageFactory(due_at=now - timedelta(minutes=m)) for m in (1, 3, 2)]

    claimed = messages_claim_due(now=now, limit=2)

    assert claimed == [rows[1].pk, rows[2].pk]
    assert ScheduledMessage.objects.get(pk=rows[0].pk).status == MessageStatus.PENDING
    assert messages_claim_due(now=now, limit=0) == []


def test_messages_claim_due_marks_expired_rows_expired_and_sends_nothing(mailoutbox):
    now = timezone.now()
    row = ScheduledMessageFactory(due_at=now - timedelta(hours=2), expires_at=now - timedelta(hours=1))

    claimed = messages_claim_due(now=now)

    row.refresh_from_db()
    assert claimed == []
    assert row.status == MessageStatus.EXPIRED
    assert mailoutbox == []


def test_messages_claim_due_reclaims_only_an_attempt_stuck_past_the_lease(settings):
    now = timezone.now()
    lease = settings.MESSAGE_SENDING_LEASE_SECONDS
    stuck = sending(sending_since=now - timedelta(seconds=lease + 1))
    recent = sending(sending_since=now - timedelta(seconds=lease - 1))

    claimed = messages_claim_due(now=now)

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert claimed == [stuck.pk]
    assert (stuck.status, stuck.claimed_at, stuck.attempts) == (MessageStatus.QUEUED, now, 1)
    assert (recent.status, recent.sending_since) == (
        MessageStatus.SENDING,
        now - timedelta(seconds=lease - 1),
    )


def test_messages_claim_due_fails_a_stuck_row_that_used_its_last_attempt(settings):
    now = timezone.now()
    stuck = sending(
        attempts=settings.MESSAGE_MAX_ATTEMPTS,
        sending_since=now - timedelta(seconds=settings.MESSAGE_SENDING_LEASE_SECONDS + 1),
    )

    assert messages_claim_due(now=now) == []

    stuck.refresh_from_db()
    assert (stuck.status, stuck.failed_at) == (MessageStatus.FAILED, now)
    assert "did not finish" in stuck.last_error


def test_messages_claim_due_requeues_a_lost_task_only_with_the_queue_empty(settings):
    now = timezone.now()
    grace = settings.MESSAGE_QUEUED_GRACE_SECONDS
    lost = queued(claimed_at=now - timedelta(seconds=grace + 1))
    fresh = queued(claimed_at=now - timedelta(seconds=grace - 1))

    assert messages_claim_due(now=now, queue_empty=False) == []
    assert messages_claim_due(now=now, queue_empty=True) == [lost.pk]

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, lost.claimed_at) == (MessageStatus.QUEUED, now)
    assert fresh.claimed_at == now - timedelta(seconds=grace - 1)


def test_messages_claim_due_requeues_a_task_lost_behind_a_backlog_after_the_lease(settings):
    now = timezone.now()
    lease = settings.MESSAGE_SENDING_LEASE_SECONDS
    lost = queued(claimed_at=now - timedelta(seconds=lease + 1))
    waiting = queued(claimed_at=now - timedelta(seconds=lease - 1))

    # The broker queue never drains: the grace does not apply, the lease does.
    assert messages_claim_due(now=now, queue_empty=False) == [lost.pk]

    waiting.refresh_from_db()
    assert waiting.claimed_at == now - timedelta(seconds=lease - 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_messages_claim_due_concurrent_dispatchers_claim_disjoint_rows():
    now = timezone.now()
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(kind="test", to_email=f"r{i}@example.com", key=f"test:{i}", due_at=now)
        for i in range(50)
    )
    barrier = threading.Barrier(2)
    results: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def claim(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            # A limit below 50 each: both dispatchers sweep the same rows at once.
            results[index] = messages_claim_due(limit=30)
        except BaseException as exc:  # noqa: BLE001 -- reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    first, second = results[0], results[1]
    all_ids = set(ScheduledMessage.objects.values_list("pk", flat=True))
    assert set(first) & set(second) == set()
    assert len(first) + len(second) == 50
    assert set(first) | set(second) == all_ids
    assert ScheduledMessage.objects.filter(status=MessageStatus.QUEUED).count() == 50


# --- deliver -------------------------------------------------------------------------------


def test_message_deliver_sends_one_email_with_text_and_html(mailoutbox):
    row = queued(to_email="runner@example.com")

    outcome = message_deliver(message_id=row.pk)

    row.refresh_from_db()
    assert outcome is Delivery.SENT
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["runner@example.com"]
    assert email.subject == TEST_SUBJECT
    assert email.extra_headers["Message-ID"] == message_id_header(row.pk)
    assert_email_contains(email, TEST_LINE)
    assert_email_contains(email, django_settings.CLINIC_PHONE)
    assert (row.status, row.subject, row.attempts, row.last_error) == (
        MessageStatus.SENT,
        TEST_SUBJECT,
        1,
        "",
    )
    assert row.sent_at is not None
    assert OutboxHeartbeat.objects.get(name="delivery").at == row.sent_at


def test_message_id_is_stable_per_row_and_names_the_domain(settings):
    settings.MESSAGE_ID_DOMAIN = "clinic.example"

    assert message_id_header(42) == "<outbox-42@clinic.example>"
    assert message_id_header(42) == message_id_header(42) != message_id_header(43)


def test_message_deliver_twice_sends_once(mailoutbox):
    row = queued()
    message_deliver(message_id=row.pk)

    outcome = message_deliver(message_id=row.pk)

    row.refresh_from_db()
    assert outcome is Delivery.SKIPPED
    assert len(mailoutbox) == 1
    assert (row.status, row.attempts) == (MessageStatus.SENT, 1)


@pytest.mark.parametrize(
    "status",
    [MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.CANCELLED, MessageStatus.FAILED],
)
def test_message_deliver_skips_a_row_not_queued(mailoutbox, status):
    row = ScheduledMessageFactory(status=status)

    outcome = message_deliver(message_id=row.pk)

    row.refresh_from_db()
    assert outcome is Delivery.SKIPPED
    assert mailoutbox == []
    assert (row.status, row.attempts) == (status, 0)


def test_message_deliver_missing_row_is_skipped(mailoutbox):
    assert message_deliver(message_id=999_999) is Delivery.SKIPPED
    assert mailoutbox == []


def test_message_deliver_a_row_cancelled_after_its_claim_sends_nothing(mailoutbox):
    row = queued(about_label="patients.appointment", about_pk="5")
    messages_cancel(about=About(label="patients.appointment", pk="5"))

    outcome = message_deliver(message_id=row.pk)

    row.refresh_from_db()
    assert outcome is Delivery.SKIPPED
    assert mailoutbox == []
    assert row.status == MessageStatus.CANCELLED


def test_message_deliver_a_row_expired_since_its_claim_is_expired(mailoutbox):
    row = queued(expires_at=timezone.now() - timedelta(seconds=1))

    assert message_deliver(message_id=row.pk) is Delivery.EXPIRED

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.EXPIRED, 0)
    assert mailoutbox == []


def test_message_attempt_commits_the_count_before_the_send(mailoutbox):
    row = queued()

    _message, email = message_attempt(message_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENDING, 1)
    assert row.sending_since is not None
    assert email.extra_headers["Message-ID"] == message_id_header(row.pk)
    assert mailoutbox == []


def test_message_record_ignores_an_attempt_the_lease_has_replaced():
    row = queued()
    message, _ = message_attempt(message_id=row.pk)
    # The lease reclaimed the row and a new attempt started.
    ScheduledMessage.objects.filter(pk=row.pk).update(sending_since=timezone.now() + timedelta(seconds=5))

    message_record(message=message, subject="Old attempt")

    row.refresh_from_db()
    assert row.status == MessageStatus.SENDING


def test_message_deliver_transient_failure_waits_pending_for_the_retry(settings):
    settings.EMAIL_BACKEND = BUSY_BACKEND
    settings.MESSAGE_RETRY_BACKOFF_SECONDS = [60, 300]
    settings.MESSAGE_MAX_ATTEMPTS = 3
    settings.MESSAGE_QUIET_HOURS = (time(0), time(0))
    row = queued()
    before = timezone.now()

    outcome = message_deliver(message_id=row.pk)

    row.refresh_from_db()
    assert outcome is Delivery.RETRY
    assert (row.status, row.attempts, row.sending_since, row.claimed_at) == (
        MessageStatus.PENDING,
        1,
        None,
        None,
    )
    assert before + timedelta(seconds=60) <= row.next_attempt_at <= timezone.now() + timedelta(seconds=60)
    assert row.last_error == "451 SMTPRecipientsRefused: 4.7.1 Try again later"


def test_message_deliver_transient_failure_on_the_last_attempt_fails(settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.MESSAGE_MAX_ATTEMPTS = 3
    row = queued(attempts=2)

    outcome = message_deliver(message_id=row.pk)

    row.refresh_from_db()
    assert outcome is Delivery.FAILED
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 3)
    assert row.failed_at is not None
    assert row.last_error.startswith("SMTPServerDisconnected: ")


def test_message_deliver_permanent_refusal_fails_at_once_keeping_the_code(settings):
    settings.EMAIL_BACKEND = REJECTING_BACKEND
    refused = []
    register_refusal_handler(handler := lambda message, code, text: refused.append((message.pk, code, text)))
    try:
        row = queued()

        outcome = message_deliver(message_id=row.pk)
    finally:
        REFUSAL_HANDLERS.remove(handler)

    row.refresh_from_db()
    assert outcome is Delivery.FAILED
    expected = "550 SMTPRecipientsRefused: 5.1.1 <runner@example.com>: mailbox unavailable"
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.FAILED, 1, expected)
    assert refused == [(row.pk, 550, expected)]


@pytest.mark.parametrize(
    ("exc", "code", "transient"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (451, b"busy")}), 451, True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}), 550, False),
        (smtplib.SMTPDataError(452, b"too many"), 452, True),
        (smtplib.SMTPDataError(554, b"rejected"), 554, False),
        (smtplib.SMTPServerDisconnected("gone"), None, True),
        (smtplib.SMTPNotSupportedError("STARTTLS"), None, False),
        (ConnectionRefusedError(111, "refused"), None, True),
    ],
)
def test_smtp_fault_keeps_the_code_and_says_whether_to_retry(exc, code, transient):
    fault = smtp_fault(exc)

    assert (fault.code, fault.transient) == (code, transient)
    assert fault.describe().startswith(f"{code} " if code else type(exc).__name__)


def test_message_retry_puts_a_failed_row_back_in_the_queue():
    row = ScheduledMessageFactory(
        status=MessageStatus.FAILED, attempts=6, due_at=timezone.now() - timedelta(days=1)
    )
    before = timezone.now()

    message_retry(message=row)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.failed_at) == (MessageStatus.PENDING, 0, None)
    assert row.due_at >= before


def test_message_retry_refuses_a_row_that_has_not_failed():
    row = sent()

    with pytest.raises(ValueError, match=r"^Only a failed message can be retried\.$"):
        message_retry(message=row)

    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


# --- tasks, in-process -------------------------------------------------------------------


def test_send_message_task_apply_sends_one_email(mailoutbox):
    row = ScheduledMessageFactory(to_email="runner@example.com")
    [message_id] = messages_claim_due()

    result = send_message_task.apply(kwargs={"message_id": message_id})

    row.refresh_from_db()
    assert result.get() == "sent"
    assert [email.to for email in mailoutbox] == [["runner@example.com"]]
    assert row.status == MessageStatus.SENT


def test_send_message_task_transient_failures_reach_failed_after_the_configured_attempts(settings):
    # Whatever the lease: waiting rows are pending, never reclaimed as stuck.
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.MESSAGE_RETRY_BACKOFF_SECONDS = [2, 8, 32]
    settings.MESSAGE_MAX_ATTEMPTS = 4
    settings.MESSAGE_QUIET_HOURS = (time(0), time(0))
    row = ScheduledMessageFactory()
    now = timezone.now()
    outcomes = []
    for _ in range(10):
        claimed = messages_claim_due(now=now)
        outcomes += [send_message_task.apply(kwargs={"message_id": i}).get() for i in claimed]
        now += timedelta(seconds=60)

    row.refresh_from_db()
    assert outcomes == ["retry", "retry", "retry", "failed"]
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 4)


def test_dispatch_due_task_sends_each_due_row_once(
    eager_celery, mailoutbox, django_capture_on_commit_callbacks
):
    ScheduledMessageFactory(to_email="a@example.com")
    ScheduledMessageFactory(to_email="b@example.com")
    ScheduledMessageFactory(to_email="later@example.com", due_at=timezone.now() + timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        claimed = dispatch_due_task.apply().get()
    with django_capture_on_commit_callbacks(execute=True):
        claimed_again = dispatch_due_task.apply().get()

    assert (claimed, len(callbacks), claimed_again) == (2, 2, 0)
    assert sorted(email.to[0] for email in mailoutbox) == ["a@example.com", "b@example.com"]
    assert sorted(ScheduledMessage.objects.values_list("status", flat=True)) == [
        MessageStatus.PENDING,
        MessageStatus.SENT,
        MessageStatus.SENT,
    ]
    assert OutboxHeartbeat.objects.filter(name="dispatch").exists()


# --- Outbox pages --------------------------------------------------------------------------


def test_outbox_test_email_queues_one_pending_row(clinic_admin_client):
    response = clinic_admin_client.post(reverse("messaging:test_email"), {"to": "me@example.com"})

    row = ScheduledMessage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:outbox")
    assert (row.kind, row.to_email, row.status) == ("test", "me@example.com", MessageStatus.PENDING)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Test email queued: it goes out within a minute."
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outbox_test_email_queues_outside_a_test_transaction(clinic_admin_client):
    # As in production: no transaction around the request (select_for_update needs one).
    response = clinic_admin_client.post(reverse("messaging:test_email"), {"to": "me@example.com"})

    assert response.status_code == 302
    assert list(ScheduledMessage.objects.values_list("to_email", "status")) == [
        ("me@example.com", MessageStatus.PENDING)
    ]


def test_outbox_test_email_invalid_address_shows_the_error(clinic_admin_client):
    response = clinic_admin_client.post(reverse("messaging:test_email"), {"to": "not-an-email"})

    content = response.content.decode()
    assert response.status_code == 400
    assert response.context["test_form"].errors == {"to": ["Enter a valid email address."]}
    assert "Enter a valid email address." in content
    assert 'value="not-an-email"' in content
    assert ScheduledMessage.objects.count() == 0


def test_outbox_retry_button_requeues_a_failed_row(clinic_admin_client):
    row = ScheduledMessageFactory(status=MessageStatus.FAILED, attempts=6, last_error="SMTPDataError 451")
    page = clinic_admin_client.get(reverse("messaging:outbox")).content.decode()

    response = clinic_admin_client.post(reverse("messaging:retry", args=[row.pk]))

    row.refresh_from_db()
    assert f'action="{reverse("messaging:retry", args=[row.pk])}"' in page
    assert response.status_code == 302
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 0)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Message queued again."]


def test_outbox_retry_of_a_sent_row_is_refused(clinic_admin_client):
    row = sent()

    response = clinic_admin_client.post(reverse("messaging:retry", args=[row.pk]))

    row.refresh_from_db()
    assert response.status_code == 302
    assert row.status == MessageStatus.SENT
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Only a failed message can be retried."]


def test_outbox_lists_rows_and_filters_by_status(clinic_admin_client):
    failed = ScheduledMessageFactory(to_email="failed@example.com", status=MessageStatus.FAILED)
    done = sent(to_email="done@example.com")

    everything = clinic_admin_client.get(reverse("messaging:outbox"))
    only_failed = clinic_admin_client.get(reverse("messaging:outbox"), {"status": "failed"})

    assert everything.status_code == 200
    assert {m.pk for m in everything.context["page"]} == {failed.pk, done.pk}
    assert [m.pk for m in only_failed.context["page"]] == [failed.pk]
    assert "failed@example.com" in only_failed.content.decode()
    assert "done@example.com" not in only_failed.content.decode()


def test_dispatch_due_task_alerts_clinic_admins_when_failures_pass_the_threshold(settings, mailoutbox):
    settings.OUTBOX_ALERT_FAILED_THRESHOLD = 2
    UserFactory(email="ada.admin@stride.test", role=Role.CLINIC_ADMIN)
    for _ in range(2):
        ScheduledMessageFactory(status=MessageStatus.FAILED, last_error="550 refused")

    dispatch_due_task.apply().get()
    dispatch_due_task.apply().get()

    # Straight to the admin (not an outbox row), and once per interval.
    assert [email.to for email in mailoutbox] == [["ada.admin@stride.test"]]
    assert "need attention" in mailoutbox[0].subject
    assert ScheduledMessage.objects.filter(status=MessageStatus.PENDING).count() == 0
