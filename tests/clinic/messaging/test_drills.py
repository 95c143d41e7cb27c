"""Drills: the outbox against the real stack, with things going wrong on purpose.

Two Celery workers and two beats run as separate processes for the whole
module, on PostgreSQL (the pytest test database), a Redis database of their
own (so FLUSHDB there touches no one else's queues) and an aiosmtpd server
that refuses, defers or holds its replies as each drill tells it. Each drill
asserts exact outcomes (rows, attempts, messages received, Message-IDs) and
prints one summary line; `make drills` runs them with DRILL_MESSAGES=10000.

The workers' settings are short on purpose (WORKER_ENV): a 10 s lease, retry
waits of 2, 4 and 5 s (four attempts), a 3 s send limit and a 3 s grace for
lost tasks. The drill that kills a worker runs last, as it leaves one worker.
"""

import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from clinic.celery import app
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import message_id_header, messages_claim_due
from clinic.messaging.tasks import send_message_task
from clinic.messaging.timing import NO_QUIET_HOURS
from tests.clinic.messaging.stack import Broker, Stack, Stored, smtp_server, wait_until

pytestmark = [
    pytest.mark.drill,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery-worker"),
]

LEASE = 10
BACKOFF = [2, 4, 5]
MAX_ATTEMPTS = len(BACKOFF) + 1
SEND_LIMIT = 3
GRACE = 3
WORKER_ENV = {
    "MESSAGE_DISPATCH_INTERVAL": "1",
    "MESSAGE_SENDING_LEASE_SECONDS": str(LEASE),
    "MESSAGE_RETRY_BACKOFF_SECONDS": ",".join(map(str, BACKOFF)),
    "MESSAGE_SEND_TIME_LIMIT": str(SEND_LIMIT),
    "CELERY_TASK_TIME_LIMIT": "8",
    "MESSAGE_QUEUED_GRACE_SECONDS": str(GRACE),
    "MESSAGE_QUEUE_MAX_DEPTH": "200",
    "MESSAGE_QUIET_HOURS": "off",
    "EMAIL_TIMEOUT": "2",
    # No alert emails to clinic admins in the middle of exact counts.
    "OUTBOX_ALERT_FAILED_THRESHOLD": "1000000",
}
# The fleet drill's size; the others take a share of it (make drills: 10000).
DRILL_MESSAGES = int(os.environ.get("DRILL_MESSAGES", "500"))
KILL_MESSAGES = max(40, DRILL_MESSAGES // 20)
FLUSH_MESSAGES = 60
# Dispatcher sweeps to watch after the outcome, for a late duplicate.
EXTRA_SWEEPS = 3


def summary(drill: str, **figures: object) -> None:
    """One line per drill, printed (make drills runs with -s)."""
    line = " ".join(
        f"{name}={value:.1f}" if isinstance(value, float) else f"{name}={value}"
        for name, value in figures.items()
    )
    sys.stdout.write(f"\nDRILL {drill}: {line}\n")


# --- the stack ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def smtp():
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def broker() -> Iterator[Broker]:
    broker = Broker(settings.CELERY_BROKER_URL)
    yield broker
    broker.release()


@pytest.fixture(scope="module")
def fleet(django_db_setup, smtp, broker, tmp_path_factory) -> Iterator[Stack]:
    stack = Stack(workdir=tmp_path_factory.mktemp("drills"), broker_url=broker.url, smtp=smtp, env=WORKER_ENV)
    try:
        for _ in range(2):
            stack.start_worker(concurrency=2)
        for _ in range(2):
            stack.start_beat()
        stack.wait_ready()
    except BaseException:
        stack.stop()
        sys.stdout.write(stack.logs())
        raise
    yield stack
    stack.stop()


@pytest.fixture
def drill(request, transactional_db, fleet, smtp) -> Iterator[Stack]:
    """The fleet with a clean inbox; its logs of this drill are printed if the drill fails."""
    smtp.inbox.reset()
    marks = fleet.log_marks()
    failed_before = request.session.testsfailed
    yield fleet
    smtp.inbox.reset()
    if request.session.testsfailed > failed_before:
        sys.stdout.write(fleet.logs(marks))


def make_rows(count: int, prefix: str, **fields: object) -> list[ScheduledMessage]:
    now = timezone.now()
    run = uuid.uuid4().hex[:8]
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(
            kind="test",
            to_email=f"{prefix}{i:05d}@example.com",
            key=f"drill:{run}:{i}",
            due_at=now,
            **fields,
        )
        for i in range(count)
    )
    return list(ScheduledMessage.objects.filter(key__startswith=f"drill:{run}:").order_by("pk"))


def status_count(status: str) -> int:
    return ScheduledMessage.objects.filter(status=status).count()


def copies_by_row(received: list[Stored]) -> dict[int, list[str]]:
    """Row id → the Message-IDs of the copies the server stored for it (found by recipient)."""
    by_address = dict(ScheduledMessage.objects.values_list("to_email", "pk"))
    copies: dict[int, list[str]] = {}
    for item in received:
        for rcpt in item.rcpt_tos:
            copies.setdefault(by_address[rcpt], []).append(item.message_id)
    return copies


def publish_send(stack: Stack, message_id: int) -> str:
    """Queue one send task on the stack's broker, as the dispatcher does; returns the task id."""
    with app.connection_for_write(stack.broker_url) as conn, conn.Producer() as producer:
        result = send_message_task.apply_async(
            kwargs={"message_id": message_id}, queue=stack.queue, producer=producer
        )
    return result.id


def wait_task_result(stack: Stack, task_id: str) -> str:
    """Wait for a send task to finish in some worker; returns what it reported."""
    needle = f"messaging.send_message[{task_id}] succeeded"
    found: list[str] = []

    def done() -> bool:
        for worker in stack.workers:
            for line in worker.log().splitlines():
                if needle in line:
                    found.append(line.rpartition(": ")[2].strip("'"))
                    return True
        return False

    wait_until(done, timeout=20, what=f"send task {task_id}", alive=stack.dead)
    return found[0]


# --- 1. the fleet ------------------------------------------------------------------------------


def test_drill_two_beats_and_two_workers_deliver_every_message_once(drill, smtp):
    count = DRILL_MESSAGES
    started = time.monotonic()
    rows = make_rows(count, "fleet")

    wait_until(
        lambda: status_count(MessageStatus.SENT) == count,
        timeout=60 + count * 0.2,
        what=f"{count} messages sent",
        alive=drill.dead,
        interval=0.5,
    )
    seconds = time.monotonic() - started
    drill.wait_dispatches(EXTRA_SWEEPS)

    received = smtp.inbox.received
    by_id = Counter(item.message_id for item in received)
    copies = copies_by_row(received)
    attempts = sum(ScheduledMessage.objects.values_list("attempts", flat=True))
    summary(
        "fleet",
        messages=count,
        delivered=len(received),
        duplicates=len(received) - len(by_id),
        attempts=attempts,
        seconds=seconds,
        per_second=count / seconds,
    )
    assert len(received) == count
    assert set(by_id) == {message_id_header(row.pk) for row in rows}
    assert max(by_id.values()) == 1
    assert {pk: ids for pk, ids in copies.items()} == {row.pk: [message_id_header(row.pk)] for row in rows}
    assert sorted(ScheduledMessage.objects.values_list("status", "attempts").distinct()) == [
        (MessageStatus.SENT, 1)
    ]


# --- 3. the broker loses everything ----------------------------------------------------------------


def test_drill_flushed_broker_loses_no_message(drill, smtp, broker):
    count = FLUSH_MESSAGES
    # Slow sends, so most send tasks wait in the broker when it is flushed.
    smtp.inbox.hold(0.5)
    rows = make_rows(count, "flush")
    wait_until(
        lambda: broker.queue_length(drill.queue) >= count // 2,
        timeout=20,
        what=f"{count // 2} send tasks waiting in the broker",
        alive=drill.dead,
        interval=0.05,
    )
    waiting = broker.queue_length(drill.queue)
    broker.flushdb()
    flushed = time.monotonic()
    smtp.inbox.hold(0.0)
    lost = status_count(MessageStatus.QUEUED)

    wait_until(
        lambda: status_count(MessageStatus.SENT) == count,
        timeout=LEASE * 3,
        what=f"{count} messages sent after the flush",
        alive=drill.dead,
    )
    seconds = time.monotonic() - flushed
    drill.wait_dispatches(EXTRA_SWEEPS)

    received = smtp.inbox.received
    by_id = Counter(item.message_id for item in received)
    summary(
        "flush",
        messages=count,
        tasks_flushed=waiting,
        rows_left_queued=lost,
        delivered=len(received),
        duplicates=len(received) - len(by_id),
        seconds_after_flush=seconds,
    )
    assert waiting >= count // 2 and lost >= count // 3
    assert broker.queue_length(drill.queue) == 0
    assert sorted(by_id) == sorted(message_id_header(row.pk) for row in rows)
    assert max(by_id.values()) == 1
    assert sorted(ScheduledMessage.objects.values_list("status", "attempts").distinct()) == [
        (MessageStatus.SENT, 1)
    ]
    # Found again after the grace period and a few sweeps, not after the lease.
    assert seconds < LEASE


# --- 4-6. SMTP answers --------------------------------------------------------------------------


def test_drill_deferred_twice_then_accepted(drill, smtp):
    address = "deferred@example.com"
    smtp.inbox.fail(stage="RCPT", reply="451 4.7.1 Try again later", recipients={address}, times=2)
    started = time.monotonic()
    row = ScheduledMessage.objects.create(
        kind="test", to_email=address, key=f"drill:{uuid.uuid4()}", due_at=timezone.now()
    )

    wait_until(
        lambda: ScheduledMessage.objects.get(pk=row.pk).status == MessageStatus.SENT,
        timeout=BACKOFF[0] + BACKOFF[1] + 20,
        what="the deferred message sent",
        alive=drill.dead,
    )
    seconds = time.monotonic() - started
    drill.wait_dispatches(EXTRA_SWEEPS)

    row.refresh_from_db()
    tries = [t.reply[:3] for t in smtp.inbox.tries if t.recipient == address]
    received = smtp.inbox.received
    summary("deferred", delivered=len(received), duplicates=0, attempts=row.attempts, seconds=seconds)
    assert tries == ["451", "451", "250"]
    assert [item.message_id for item in received] == [message_id_header(row.pk)]
    assert (row.status, row.attempts, row.last_error, row.next_attempt_at) == (
        MessageStatus.SENT,
        3,
        "",
        None,
    )


def test_drill_deferred_for_good_fails_after_every_attempt(drill, smtp):
    address = "busy@example.com"
    smtp.inbox.fail(stage="RCPT", reply="451 4.3.2 Mailbox busy", recipients={address})
    started = time.monotonic()
    row = ScheduledMessage.objects.create(
        kind="test", to_email=address, key=f"drill:{uuid.uuid4()}", due_at=timezone.now()
    )

    wait_until(
        lambda: ScheduledMessage.objects.get(pk=row.pk).status == MessageStatus.FAILED,
        timeout=sum(BACKOFF) + 30,
        what="the deferred message to fail",
        alive=drill.dead,
    )
    seconds = time.monotonic() - started
    drill.wait_dispatches(EXTRA_SWEEPS)

    row.refresh_from_db()
    tries = [t for t in smtp.inbox.tries if t.recipient == address]
    gaps = [later.at - earlier.at for earlier, later in pairwise(tries)]
    summary("deferred-for-good", delivered=0, attempts=row.attempts, seconds=seconds)
    assert smtp.inbox.received == []
    assert [t.reply[:3] for t in tries] == ["451"] * MAX_ATTEMPTS
    assert (row.status, row.attempts) == (MessageStatus.FAILED, MAX_ATTEMPTS)
    assert row.failed_at is not None
    assert row.last_error.startswith("451 ") and "Mailbox busy" in row.last_error
    # Each retry waited its turn; the whole run outlasted the lease, and the
    # rows waiting for a retry (pending) were never taken for stuck ones.
    assert all(gap >= wait for gap, wait in zip(gaps, BACKOFF, strict=True))
    assert tries[-1].at - tries[0].at > LEASE


def test_drill_refused_recipient_fails_at_once_and_flags_the_patient(drill, smtp):
    from patients.models import Patient
    from tests.factories import PatientFactory

    patient = PatientFactory(email="gone@example.com")
    smtp.inbox.fail(stage="RCPT", reply="550 5.1.1 No such mailbox", recipients={patient.email})
    row = ScheduledMessage.objects.create(
        kind="test",
        to_email=patient.email,
        key=f"drill:{uuid.uuid4()}",
        due_at=timezone.now(),
        patient_id=patient.pk,
    )

    wait_until(
        lambda: ScheduledMessage.objects.get(pk=row.pk).status == MessageStatus.FAILED,
        timeout=20,
        what="the refused message to fail",
        alive=drill.dead,
    )
    drill.wait_dispatches(EXTRA_SWEEPS)

    row.refresh_from_db()
    patient = Patient.all_objects.get(pk=patient.pk)
    summary("refused", delivered=0, attempts=row.attempts)
    assert [t.reply[:3] for t in smtp.inbox.tries] == ["550"]
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 1)
    assert row.last_error.startswith("550 ") and "No such mailbox" in row.last_error
    # The patients app's refusal handler flags the address for the front desk.
    assert patient.email_undeliverable_at is not None
    assert patient.email_undeliverable_reason.startswith("550")


# --- 7-9. appointments moved and cancelled around their reminders ---------------------------------


def _zone_near_ten_am() -> str:
    """A fixed-offset zone where it is about 10:00 now, so visits one or two hours on fall
    inside the clinic's hours whenever the drills run."""
    offset = (10 - datetime.now(UTC).hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}"


@pytest.fixture
def diary(settings, make_user):
    """A follow-up visit type, a patient, a therapist working all day at a location whose
    local time is mid-morning, reminders 1 h and 2 h before (no quiet hours)."""
    from datetime import time as clock

    from clinic.staff.choices import Role, Weekday
    from clinic.staff.models import OpeningHours, WorkingHours
    from tests.factories import (
        AppointmentTypeFactory,
        LocationFactory,
        PatientFactory,
        TherapistProfileFactory,
    )

    settings.APPOINTMENT_REMINDER_HOURS = [1, 2]
    settings.MESSAGE_QUIET_HOURS = NO_QUIET_HOURS
    location = LocationFactory(name="Drill Clinic", time_zone=_zone_near_ten_am())
    therapist = TherapistProfileFactory(
        user=make_user(Role.THERAPIST, full_name="Dee Drill"), display_name="Dee Drill", locations=[location]
    )
    for weekday in Weekday:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=clock(7), closes=clock(20))
        WorkingHours.objects.create(
            therapist=therapist, location=location, weekday=weekday, starts=clock(7), ends=clock(20)
        )
    return {
        "location": location,
        "therapist": therapist,
        "patient": PatientFactory(first_name="Robin", email="robin@example.com"),
        "type": AppointmentTypeFactory(name="Follow-up"),
        "by": make_user(Role.FRONT_DESK, full_name="Fran Desk"),
        "zone": ZoneInfo(location.time_zone),
    }


def _book(diary: dict, starts_at: datetime):
    from patients.booking.services import appointment_book

    return appointment_book(
        patient=diary["patient"],
        therapist=diary["therapist"],
        location=diary["location"],
        appointment_type=diary["type"],
        starts_at=starts_at,
        booked_by=diary["by"],
    )


def _soon(**delta: float) -> datetime:
    return (timezone.now() + timedelta(**delta)).replace(microsecond=0)


def _visit_time(diary: dict, starts_at: datetime) -> str:
    """How the reminder's body names the visit's date and time (templates/emails/_visit.txt)."""
    local = starts_at.astimezone(diary["zone"])
    return f"{local:%A} {local.day} {local:%B} {local.year}, {local:%H:%M}"


def _emails(received: list[Stored]) -> list[tuple[str, str]]:
    """(kind, plain text) of each stored message, by the row its Message-ID names."""
    kinds = {message_id_header(pk): kind for pk, kind in ScheduledMessage.objects.values_list("pk", "kind")}
    return [(kinds[item.message_id], item.text()) for item in received]


def _reminders(appointment) -> list[ScheduledMessage]:
    return list(
        ScheduledMessage.objects.filter(kind="appointment_reminder", about_pk=str(appointment.pk)).order_by(
            "due_at"
        )
    )


def _sent(kind: str, count: int = 1):
    return lambda: ScheduledMessage.objects.filter(kind=kind, status=MessageStatus.SENT).count() == count


def test_drill_reschedule_while_the_reminder_is_claimed(drill, smtp, diary):
    from patients.booking.services import appointment_reschedule

    old_start = _soon(hours=1, minutes=3)
    appointment = _book(diary, old_start)
    [old_reminder] = _reminders(appointment)  # the 2 h one would be due in the past
    wait_until(_sent("appointment_confirmation"), timeout=20, what="the confirmation", alive=drill.dead)

    # A dispatcher's sweep at the reminder's due time claims it; its task is not queued yet.
    assert messages_claim_due(now=old_reminder.due_at) == [old_reminder.pk]
    new_start = _soon(hours=2, seconds=5)
    appointment_reschedule(appointment=appointment, starts_at=new_start, by=diary["by"])
    outcome = wait_task_result(drill, publish_send(drill, old_reminder.pk))

    wait_until(_sent("appointment_reminder"), timeout=30, what="the new reminder", alive=drill.dead)
    wait_until(_sent("appointment_rescheduled"), timeout=20, what="the moved email", alive=drill.dead)
    drill.wait_dispatches(EXTRA_SWEEPS)

    old_reminder.refresh_from_db()
    emails = _emails(smtp.inbox.received)
    reminders = [text for kind, text in emails if kind == "appointment_reminder"]
    summary("reschedule-claimed", delivered=len(emails), reminders=len(reminders), old_task=outcome)
    assert outcome == "skipped"
    assert (old_reminder.status, old_reminder.attempts) == (MessageStatus.CANCELLED, 0)
    assert sorted(kind for kind, _ in emails) == [
        "appointment_confirmation",
        "appointment_reminder",
        "appointment_rescheduled",
    ]
    [reminder] = reminders
    assert _visit_time(diary, new_start) in reminder
    assert old_start.astimezone(diary["zone"]).strftime("%H:%M") not in reminder
    # The new time's 1 h reminder waits for its turn.
    assert [(r.status, r.due_at) for r in _reminders(appointment) if r.pk != old_reminder.pk] == [
        (MessageStatus.SENT, new_start - timedelta(hours=2)),
        (MessageStatus.PENDING, new_start - timedelta(hours=1)),
    ]


def test_drill_reschedule_after_the_reminder_was_sent(drill, smtp, diary):
    from patients.booking.services import appointment_reschedule

    old_start = _soon(hours=1, seconds=4)
    appointment = _book(diary, old_start)
    wait_until(_sent("appointment_reminder"), timeout=30, what="the first reminder", alive=drill.dead)
    [old_reminder] = _reminders(appointment)

    new_start = _soon(hours=2, seconds=4)
    appointment_reschedule(appointment=appointment, starts_at=new_start, by=diary["by"])
    wait_until(_sent("appointment_reminder", 2), timeout=30, what="the new reminder", alive=drill.dead)
    wait_until(_sent("appointment_rescheduled"), timeout=20, what="the moved email", alive=drill.dead)
    drill.wait_dispatches(EXTRA_SWEEPS)

    emails = _emails(smtp.inbox.received)
    reminders = [text for kind, text in emails if kind == "appointment_reminder"]
    summary("reschedule-sent", delivered=len(emails), reminders=len(reminders))
    assert sorted(kind for kind, _ in emails) == [
        "appointment_confirmation",
        "appointment_reminder",
        "appointment_reminder",
        "appointment_rescheduled",
    ]
    first, second = reminders
    assert _visit_time(diary, old_start) in first
    assert _visit_time(diary, new_start) in second
    rows = _reminders(appointment)
    assert [(r.key == old_reminder.key, r.status, r.attempts) for r in rows] == [
        (True, MessageStatus.SENT, 1),
        (False, MessageStatus.SENT, 1),  # 2 h before the new time: due at once
        (False, MessageStatus.PENDING, 0),  # 1 h before it
    ]


def test_drill_cancel_between_claim_and_send(drill, smtp, diary):
    from patients.booking.choices import CancelledBy
    from patients.booking.services import appointment_cancel

    appointment = _book(diary, _soon(hours=1, minutes=3))
    [reminder] = _reminders(appointment)
    wait_until(_sent("appointment_confirmation"), timeout=20, what="the confirmation", alive=drill.dead)

    assert messages_claim_due(now=reminder.due_at) == [reminder.pk]
    appointment_cancel(
        appointment=appointment, by=diary["by"], cancelled_by=CancelledBy.PATIENT, reason="Away that week"
    )
    outcome = wait_task_result(drill, publish_send(drill, reminder.pk))
    wait_until(_sent("appointment_cancelled"), timeout=20, what="the cancellation", alive=drill.dead)
    drill.wait_dispatches(EXTRA_SWEEPS)

    reminder.refresh_from_db()
    emails = _emails(smtp.inbox.received)
    summary("cancel-claimed", delivered=len(emails), reminders=0, old_task=outcome)
    assert outcome == "skipped"
    assert [kind for kind, _ in emails] == ["appointment_confirmation", "appointment_cancelled"]
    assert (reminder.status, reminder.attempts) == (MessageStatus.CANCELLED, 0)


# --- a server slower than the send's soft time limit -------------------------------------------------


def test_drill_reply_slower_than_the_soft_time_limit_is_tried_again(drill, smtp):
    # The server stores the message and answers after the send task's soft time
    # limit (2 s with a 3 s send limit) but before the hard one: the attempt did
    # not finish, so the row is tried again rather than failed for good, and the
    # second copy carries the same Message-ID.
    smtp.inbox.hold(2.5, times=1)
    started = time.monotonic()
    row = ScheduledMessage.objects.create(
        kind="test", to_email="slow@example.com", key=f"drill:{uuid.uuid4()}", due_at=timezone.now()
    )
    wait_until(lambda: len(smtp.inbox.received) == 1, timeout=20, what="the first copy", alive=drill.dead)
    wait_until(
        lambda: ScheduledMessage.objects.get(pk=row.pk).status != MessageStatus.SENDING,
        timeout=SEND_LIMIT + LEASE + 10,
        what="the slow attempt to end",
        alive=drill.dead,
    )
    wait_until(
        lambda: ScheduledMessage.objects.get(pk=row.pk).status in {MessageStatus.SENT, MessageStatus.FAILED},
        timeout=LEASE + BACKOFF[0] + 20,
        what="the message sent or failed",
        alive=drill.dead,
    )
    seconds = time.monotonic() - started
    drill.wait_dispatches(EXTRA_SWEEPS)

    row.refresh_from_db()
    received = smtp.inbox.received
    summary("slow-server", delivered=len(received), attempts=row.attempts, seconds=seconds)
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 2, "")
    assert [item.message_id for item in received] == [message_id_header(row.pk)] * 2


# --- 2. a worker killed mid-send (last: it leaves one worker) ---------------------------------------


def test_drill_worker_killed_mid_send_loses_nothing(drill, smtp):
    count = KILL_MESSAGES
    victim = drill.workers[0]
    # The server holds each DATA reply after storing the message: a worker killed
    # now has had its message accepted without hearing so.
    smtp.inbox.hold(0.5)
    started = time.monotonic()
    rows = make_rows(count, "kill")
    wait_until(
        lambda: bool(victim.local_ports() & smtp.inbox.holding_ports()),
        timeout=30,
        what="the victim worker to wait for a DATA reply",
        alive=drill.dead,
        interval=0.02,
    )
    victim.kill()
    killed_at = timezone.now()
    smtp.inbox.hold(0.0)
    # Past the send time limit every attempt still in `sending` is the dead worker's;
    # before the lease none of them has been taken up again.
    time.sleep(SEND_LIMIT + 1)
    stuck = {
        pk: since
        for pk, since in ScheduledMessage.objects.filter(
            status=MessageStatus.SENDING, sending_since__lte=killed_at
        ).values_list("pk", "sending_since")
    }
    stored_ids = {item.message_id for item in smtp.inbox.received}
    stored_unrecorded = {pk for pk in stuck if message_id_header(pk) in stored_ids}

    wait_until(
        lambda: status_count(MessageStatus.SENT) == count,
        timeout=LEASE + 30 + count * 0.2,
        what=f"{count} messages sent after the kill",
        alive=drill.dead,
    )
    seconds = time.monotonic() - started
    drill.wait_dispatches(EXTRA_SWEEPS)

    received = smtp.inbox.received
    copies = copies_by_row(received)
    final = {
        pk: (status, attempts, sent_at)
        for pk, status, attempts, sent_at in ScheduledMessage.objects.values_list(
            "pk", "status", "attempts", "sent_at"
        )
    }
    summary(
        "kill",
        messages=count,
        delivered=len(received),
        duplicates=len(received) - len(copies),
        stuck_at_kill=len(stuck),
        stored_not_recorded=len(stored_unrecorded),
        attempts=sum(a for _, a, _ in final.values()),
        seconds=seconds,
    )
    assert stored_unrecorded, "the kill was meant to hit a message the server had stored"
    assert set(copies) == {row.pk for row in rows}
    # Every copy of a row carries that row's Message-ID.
    assert all(set(ids) == {message_id_header(pk)} for pk, ids in copies.items())
    # A second copy only for a row the dead worker had stored without hearing so.
    assert {pk for pk, ids in copies.items() if len(ids) > 1} == stored_unrecorded
    assert all(len(copies[pk]) == 2 for pk in stored_unrecorded)
    # The dead worker's attempts are counted: its rows took two, every other row one.
    assert {pk: attempts for pk, (_, attempts, _) in final.items() if attempts != 1} == dict.fromkeys(
        stuck, 2
    )
    assert {status for status, _, _ in final.values()} == {MessageStatus.SENT}
    # Sent again only once the lease had run out.
    assert all(final[pk][2] >= since + timedelta(seconds=LEASE) for pk, since in stuck.items())
