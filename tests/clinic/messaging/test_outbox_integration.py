"""The outbox end to end, with no mocks: PostgreSQL rows, a real Celery worker
with embedded beat on the real Redis broker, and a real SMTP server (aiosmtpd).

One worker serves the whole module. It reads the pytest test database, listens
on a queue of its own (so tasks left over from other runs cannot interfere) and
sends to the SMTP server started here. Each test's committed rows are flushed
afterwards by pytest-django, as for any transactional test.
"""

import email
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.tasks import dispatch_due_task

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
WORKER_OPTIONS = ("--loglevel=INFO", "--concurrency=2", "--pool=prefork")
WORKER_START_TIMEOUT = 30
DELIVERY_TIMEOUT = 30
# Dispatch cycles (one a second) to watch after delivery, to catch a late duplicate.
EXTRA_CYCLES = 3
DISPATCH_DONE = re.compile(r"Task messaging\.dispatch_due\[[^\]]+\] succeeded")


# --- SMTP server ------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.Message


class Inbox:
    """aiosmtpd handler that keeps every message it accepts (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 -- aiosmtpd's hook name
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(envelope.original_content),
        )
        with self._lock:
            self._received.append(received)
        return "250 Message accepted for delivery"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class SmtpServer:
    inbox: Inbox
    port: int


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    port = _free_port()
    # aiosmtpd logs every SMTP command at INFO; keep failure output readable.
    mail_log = logging.getLogger("mail.log")
    previous_level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(inbox=inbox, port=port)
    finally:
        controller.stop()
        mail_log.setLevel(previous_level)


# --- Celery worker with embedded beat ---------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    queue: str

    def log(self, start: int = 0) -> str:
        return self.log_path.read_text(errors="replace")[start:]

    def dispatches_done(self, start: int = 0) -> int:
        return len(DISPATCH_DONE.findall(self.log(start)))


def _test_database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    user = quote(db["USER"] or "postgres", safe="")
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.process.poll() is not None:
            raise AssertionError(f"The worker exited ({worker.process.returncode}) while waiting for {what}.")
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # The worker and its pool children share the session started for them.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _delete_queue(queue: str) -> None:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        bindings = [f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
        keys = [*client.scan_iter(match=f"{queue}*"), *bindings]
        client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, smtp_server, tmp_path_factory) -> Iterator[Worker]:
    workdir = tmp_path_factory.mktemp("celery-worker")
    queue = f"stride-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "1",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
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
                "-Q",
                f"{queue},{queue}-priority",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process=process, log_path=log_path, queue=queue)
    try:
        wait_until(
            lambda: " ready." in worker.log() and "beat: Starting..." in worker.log(),
            timeout=WORKER_START_TIMEOUT,
            what="the worker to be ready",
            worker=worker,
        )
    except AssertionError:
        _stop(process)
        sys.stdout.write(worker.log())
        _delete_queue(queue)
        raise
    yield worker
    _stop(process)
    _delete_queue(queue)


@pytest.fixture
def outbox(transactional_db, celery_worker, smtp_server) -> Iterator[tuple[Worker, Inbox]]:
    """The module's worker and an empty inbox; the worker's log of this test is
    printed at teardown, which pytest shows when the test fails."""
    smtp_server.inbox.clear()
    log_start = len(celery_worker.log())
    yield celery_worker, smtp_server.inbox
    sys.stdout.write(celery_worker.log(log_start))


def _wait_extra_cycles(worker: Worker) -> None:
    """Let the dispatcher run a few more times (a duplicate would show up now)."""
    start = len(worker.log())
    wait_until(
        lambda: worker.dispatches_done(start) >= EXTRA_CYCLES,
        timeout=EXTRA_CYCLES * 3 + 5,
        what=f"{EXTRA_CYCLES} more dispatch cycles",
        worker=worker,
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
        worker=worker,
    )
    _wait_extra_cycles(worker)

    row.refresh_from_db()
    [received] = inbox.received
    assert received.rcpt_tos == ["runner@example.com"]
    assert received.message["To"] == "runner@example.com"
    assert received.message["Subject"] == f"Test email from {settings.CLINIC_NAME}"
    assert [part.get_content_type() for part in received.message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
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
        worker=worker,
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
        worker=worker,
    )
    _wait_extra_cycles(worker)

    in_flight.refresh_from_db()
    assert [received.rcpt_tos for received in inbox.received] == [["abandoned@example.com"]]
    assert in_flight.status == MessageStatus.SENDING
