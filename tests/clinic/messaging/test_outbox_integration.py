"""The outbox end to end, with no mocks: PostgreSQL rows, a real Celery worker
with embedded beat on the real Redis broker, and a real SMTP server (aiosmtpd).

One worker serves the whole module. It reads the pytest test database, listens
on a queue of its own (so tasks left over from other runs cannot interfere) and
sends to the SMTP server started here. Each test's committed rows are flushed
afterwards by pytest-django, as for any transactional test.
"""

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.tasks import dispatch_due_task
from tests.clinic.messaging.stack import (
    BASE_DIR,
    CELERY,
    CeleryProcess,
    ControlledInbox,
    SmtpServer,
    delete_queue,
    smtp_server,
    subprocess_database_url,
    wait_until,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKER_OPTIONS = ("--loglevel=INFO", "--concurrency=2", "--pool=prefork")
WORKER_START_TIMEOUT = 60
DELIVERY_TIMEOUT = 30
# Dispatch cycles (one a second) to watch after delivery, to catch a late duplicate.
EXTRA_CYCLES = 3
DISPATCH_DONE = re.compile(r"Task messaging\.dispatch_due\[[^\]]+\] succeeded")


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


# --- Celery worker with embedded beat ---------------------------------------------------------


@dataclass
class Worker(CeleryProcess):
    queue: str = ""

    def dispatches_done(self, start: int = 0) -> int:
        return len(DISPATCH_DONE.findall(self.log(start)))

    def dead(self) -> str | None:
        return None if self.running() else f"The worker exited ({self.process.returncode})"


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, smtp, tmp_path_factory) -> Iterator[Worker]:
    workdir = tmp_path_factory.mktemp("celery-worker")
    queue = f"stride-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "1",
        "DATABASE_URL": subprocess_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": smtp.url,
        "MESSAGE_DISPATCH_INTERVAL": "1",
        "STRIDE_VAR_DIR": str(workdir / "var"),
    }
    log_path = workdir / "worker.log"
    beat_schedule = workdir / "celerybeat-schedule"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "clinic",
                "worker",
                "-B",
                *WORKER_OPTIONS,
                "-s",
                str(beat_schedule),
                # The dispatcher and retries go on the priority queue.
                "-Q",
                f"{queue},{queue}-priority",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(name="worker", process=process, log_path=log_path, queue=queue)
    try:
        wait_until(
            lambda: " ready." in worker.log() and "beat: Starting..." in worker.log(),
            timeout=WORKER_START_TIMEOUT,
            what="the worker to be ready",
            alive=worker.dead,
        )
    except AssertionError:
        worker.stop()
        sys.stdout.write(worker.log())
        delete_queue(settings.CELERY_BROKER_URL, queue)
        raise
    yield worker
    worker.stop()
    delete_queue(settings.CELERY_BROKER_URL, queue)
    delete_queue(settings.CELERY_BROKER_URL, f"{queue}-priority")


@pytest.fixture
def outbox(transactional_db, celery_worker, smtp) -> Iterator[tuple[Worker, ControlledInbox]]:
    """The module's worker and an empty inbox; the worker's log of this test is
    printed at teardown, which pytest shows when the test fails."""
    smtp.inbox.reset()
    log_start = len(celery_worker.log())
    yield celery_worker, smtp.inbox
    sys.stdout.write(celery_worker.log(log_start))


def _wait_extra_cycles(worker: Worker) -> None:
    """Let the dispatcher run a few more times (a duplicate would show up now)."""
    start = len(worker.log())
    wait_until(
        lambda: worker.dispatches_done(start) >= EXTRA_CYCLES,
        timeout=EXTRA_CYCLES * 3 + 5,
        what=f"{EXTRA_CYCLES} more dispatch cycles",
        alive=worker.dead,
    )


# --- tests -----------------------------------------------------------------------------------


def test_outbox_due_message_is_delivered_once(outbox):
    worker, inbox = outbox
    row = ScheduledMessage.objects.create(
        kind="test", to_email="runner@example.com", key=f"test:{uuid.uuid4()}", due_at=timezone.now()
    )

    wait_until(
        lambda: (
            len(inbox.received) >= 1 and ScheduledMessage.objects.get(pk=row.pk).status == MessageStatus.SENT
        ),
        timeout=DELIVERY_TIMEOUT,
        what="the message to be delivered and marked sent",
        alive=worker.dead,
    )
    _wait_extra_cycles(worker)

    row.refresh_from_db()
    [received] = inbox.received
    assert received.rcpt_tos == ["runner@example.com"]
    assert received.message["To"] == "runner@example.com"
    assert received.message["Subject"] == f"Test email from {settings.CLINIC_NAME}"
    # The HTML and the letterhead's logo travel together (multipart/related), after the plain text.
    assert [part.get_content_type() for part in received.message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
    ]
    assert (row.status, row.attempts, row.subject) == (
        MessageStatus.SENT,
        1,
        f"Test email from {settings.CLINIC_NAME}",
    )


def test_outbox_concurrent_dispatchers_send_each_message_once(outbox):
    worker, inbox = outbox
    now = timezone.now()
    recipients = [f"runner{i:02d}@example.com" for i in range(20)]
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(kind="test", to_email=to, key=f"test:{uuid.uuid4()}", due_at=now)
        for to in recipients
    )

    # Two more dispatchers at once, through Redis, alongside beat's own.
    for _ in range(2):
        dispatch_due_task.apply_async(queue=worker.queue)
    wait_until(
        lambda: (
            len(inbox.received) >= 20
            and ScheduledMessage.objects.filter(status=MessageStatus.SENT).count() == 20
        ),
        timeout=DELIVERY_TIMEOUT,
        what="20 messages delivered and marked sent",
        alive=worker.dead,
    )
    _wait_extra_cycles(worker)

    delivered = sorted(to for received in inbox.received for to in received.rcpt_tos)
    assert delivered == recipients
    assert sorted(ScheduledMessage.objects.values_list("to_email", "status", "attempts")) == [
        (to, MessageStatus.SENT, 1) for to in recipients
    ]


def test_outbox_row_abandoned_in_sending_is_reclaimed_after_the_lease(outbox):
    # A worker that died mid-send leaves its row in `sending`; past the lease the
    # dispatcher claims it again. (The worker here is not killed: the row is
    # written as such a worker would have left it.)
    worker, inbox = outbox
    lease = timedelta(seconds=settings.MESSAGE_SENDING_LEASE_SECONDS)
    abandoned = ScheduledMessage.objects.create(
        kind="test",
        to_email="abandoned@example.com",
        key=f"test:{uuid.uuid4()}",
        due_at=timezone.now() - lease * 2,
        status=MessageStatus.SENDING,
        attempts=1,
        sending_since=timezone.now() - lease - timedelta(minutes=1),
    )
    in_flight = ScheduledMessage.objects.create(
        kind="test",
        to_email="in-flight@example.com",
        key=f"test:{uuid.uuid4()}",
        due_at=timezone.now(),
        status=MessageStatus.SENDING,
        attempts=1,
        sending_since=timezone.now(),
    )

    wait_until(
        lambda: ScheduledMessage.objects.get(pk=abandoned.pk).status == MessageStatus.SENT,
        timeout=DELIVERY_TIMEOUT,
        what="the abandoned row to be reclaimed and sent",
        alive=worker.dead,
    )
    _wait_extra_cycles(worker)

    in_flight.refresh_from_db()
    assert [received.rcpt_tos for received in inbox.received] == [["abandoned@example.com"]]
    assert in_flight.status == MessageStatus.SENDING
