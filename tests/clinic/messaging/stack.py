"""The outbox's real stack, for the end-to-end tests and the drills.

- `SmtpServer`: aiosmtpd on a free local port whose handler can refuse chosen
  recipients (at RCPT or DATA, for the first N tries or for good), hold its
  reply to DATA for a while after it has stored the message (the message is
  accepted, the client has not heard so yet), and records every message with
  its Message-ID and every RCPT try.
- `Stack`: Celery workers and beats as separate processes (`celery -A clinic
  worker` / `celery -A clinic beat`), each in its own process group with its
  log in a file, reading the pytest test database and a Redis database of
  their own, so FLUSHDB there touches nobody else's queues.
- `wait_until` and friends: every wait has a timeout and says what it waited for.
"""

import asyncio
import email
import email.message
import logging
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.clinic.messaging.smtp import Received

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
START_TIMEOUT = 90
DISPATCH_DONE = re.compile(r"Task messaging\.dispatch_due\[[^\]]+\] succeeded")
# Redis databases the stacks may take (one each, claimed with a lock key).
BROKER_DBS = range(15, 7, -1)
BROKER_LOCK_KEY = "stride-test-stack-lock"
BROKER_LOCK_SECONDS = 30 * 60


# --- waiting ------------------------------------------------------------------------------------


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    alive: Callable[[], str | None] = lambda: None,
    interval: float = 0.1,
) -> float:
    """Poll `condition` until it holds; return the seconds it took.

    `alive` returns why the wait is hopeless (a process has died), or None.
    """
    start = time.monotonic()
    while not condition():
        dead = alive()
        if dead:
            raise AssertionError(f"{dead} while waiting for {what}.")
        if time.monotonic() - start > timeout:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")
        time.sleep(interval)
    return time.monotonic() - start


# --- SMTP server ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored(Received):
    """A message the server stored, when, and from which client port."""

    at: float = 0.0
    peer_port: int = 0

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"] or "")


@dataclass(frozen=True)
class Try:
    """One RCPT command as the server saw it, and its answer."""

    recipient: str
    at: float
    reply: str


@dataclass
class Fault:
    """Answer `reply` at `stage` (RCPT or DATA) to `recipients` (None: everyone),
    for each recipient's first `times` tries (None: always)."""

    stage: str
    reply: str
    recipients: frozenset[str] | None = None
    times: int | None = None
    used: Counter = field(default_factory=Counter)

    def applies(self, recipient: str) -> bool:
        if self.recipients is not None and recipient not in self.recipients:
            return False
        if self.times is not None and self.used[recipient] >= self.times:
            return False
        self.used[recipient] += 1
        return True


class ControlledInbox:
    """aiosmtpd handler: accepts, refuses or delays as told; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stored: list[Stored] = []
        self._tries: list[Try] = []
        self._faults: list[Fault] = []
        # Client ports whose DATA reply is being held back right now.
        self._holding: Counter = Counter()
        self.data_delay = 0.0
        # How many more DATA replies to hold (None: all of them while data_delay is set).
        self.data_delay_times: int | None = None

    # control

    def fail(
        self, *, stage: str, reply: str, recipients: set[str] | None = None, times: int | None = None
    ) -> None:
        if stage not in {"RCPT", "DATA"}:
            raise ValueError(stage)
        with self._lock:
            self._faults.append(
                Fault(stage, reply, frozenset(recipients) if recipients is not None else None, times)
            )

    def hold(self, seconds: float, *, times: int | None = None) -> None:
        """Answer DATA `seconds` after storing the message, for the next `times` messages (None: all)."""
        with self._lock:
            self.data_delay, self.data_delay_times = seconds, times

    def reset(self) -> None:
        with self._lock:
            self._stored.clear()
            self._tries.clear()
            self._faults.clear()
            self.data_delay, self.data_delay_times = 0.0, None

    def _fault(self, stage: str, recipient: str) -> str | None:
        with self._lock:
            for fault in self._faults:
                if fault.stage == stage and fault.applies(recipient):
                    return fault.reply
        return None

    # aiosmtpd hooks

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802 -- aiosmtpd's hook name
        reply = self._fault("RCPT", address) or "250 OK"
        with self._lock:
            self._tries.append(Try(address, time.monotonic(), reply))
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 -- aiosmtpd's hook name
        for recipient in envelope.rcpt_tos:
            reply = self._fault("DATA", recipient)
            if reply:
                return reply
        port = session.peer[1] if session.peer else 0
        stored = Stored(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(envelope.original_content),
            at=time.monotonic(),
            peer_port=port,
        )
        with self._lock:
            self._stored.append(stored)
            delay = self.data_delay
            if self.data_delay_times is not None:
                if self.data_delay_times <= 0:
                    delay = 0.0
                else:
                    self.data_delay_times -= 1
            if delay:
                self._holding[port] += 1
        if delay:
            # Stored, but the client has not heard so yet.
            try:
                await asyncio.sleep(delay)
            finally:
                with self._lock:
                    self._holding[port] -= 1
        return "250 Message accepted for delivery"

    # reading

    @property
    def received(self) -> list[Stored]:
        with self._lock:
            return list(self._stored)

    @property
    def tries(self) -> list[Try]:
        with self._lock:
            return list(self._tries)

    def holding_ports(self) -> set[int]:
        with self._lock:
            return {port for port, count in self._holding.items() if count > 0}

    def recipients(self) -> list[str]:
        return [rcpt for item in self.received for rcpt in sorted(item.rcpt_tos)]

    def clear(self) -> None:
        with self._lock:
            self._stored.clear()
            self._tries.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class SmtpServer:
    inbox: ControlledInbox
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    inbox = ControlledInbox()
    port = free_port()
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


# --- broker ------------------------------------------------------------------------------------


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


class Broker:
    """One Redis database for one stack, held with a lock key while in use."""

    def __init__(self, base_url: str) -> None:
        self.token = uuid.uuid4().hex
        for db in BROKER_DBS:
            url = _with_db(base_url, db)
            client = redis.Redis.from_url(url)
            if client.set(BROKER_LOCK_KEY, self.token, nx=True, ex=BROKER_LOCK_SECONDS):
                self.url, self.client = url, client
                client.flushdb()
                self._lock()
                return
            client.close()
        raise AssertionError(f"No free Redis database among {list(BROKER_DBS)} for a test stack.")

    def _lock(self) -> None:
        self.client.set(BROKER_LOCK_KEY, self.token, ex=BROKER_LOCK_SECONDS)

    def flushdb(self) -> None:
        """Lose everything the broker holds, as a Redis restart without persistence would."""
        self.client.flushdb()
        self._lock()

    def queue_length(self, queue: str) -> int:
        return int(self.client.llen(queue))

    def release(self) -> None:
        self.client.flushdb()
        self.client.close()


def delete_queue(broker_url: str, queue: str) -> None:
    """Remove a queue and its bindings from a shared broker database."""
    client = redis.Redis.from_url(broker_url)
    try:
        bindings = [f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
        keys = [*client.scan_iter(match=f"{queue}*"), *bindings]
        client.delete(*keys)
    finally:
        client.close()


# --- Celery processes ----------------------------------------------------------------------


def subprocess_database_url() -> str:
    """The pytest test database, as DATABASE_URL for a subprocess."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    user = quote(db["USER"] or "postgres", safe="")
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the command name (which may hold spaces) in parentheses.
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def _local_ports(pids: list[int]) -> set[int]:
    """The local TCP ports of the sockets these processes hold (Linux /proc)."""
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[9] in inodes:
                ports.add(int(cols[1].rpartition(":")[2], 16))
    return ports


@dataclass
class CeleryProcess:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self, start: int = 0) -> str:
        return self.log_path.read_text(errors="replace")[start:]

    def log_size(self) -> int:
        return len(self.log())

    def running(self) -> bool:
        return self.process.poll() is None

    def local_ports(self) -> set[int]:
        """Every local TCP port held by this process and its pool children."""
        return _local_ports(_group_pids(self.process.pid))

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and its pool children, at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Pool children left behind by a killed parent go too.
        for pid in _group_pids(self.process.pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Stack:
    """Workers and beats on one queue pair (`queue` and `queue-priority`), one broker and one SMTP server.

    `env` adds settings for every process (MESSAGE_* and the like).
    """

    def __init__(
        self, *, workdir: Path, broker_url: str, smtp: SmtpServer, env: dict[str, str], queue: str = ""
    ) -> None:
        self.workdir = workdir
        self.broker_url = broker_url
        self.queue = queue or f"stride-drill-{uuid.uuid4().hex[:10]}"
        self.priority_queue = f"{self.queue}-priority"
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "1",
            "DATABASE_URL": subprocess_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_URL": smtp.url,
            "STRIDE_VAR_DIR": str(workdir / "var"),
            **env,
        }
        self.workers: list[CeleryProcess] = []
        self.beats: list[CeleryProcess] = []

    def _launch(self, name: str, args: list[str]) -> CeleryProcess:
        log_path = self.workdir / f"{name}.log"
        with log_path.open("ab") as log_file:
            process = subprocess.Popen(
                [str(CELERY), "-A", "clinic", *args],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return CeleryProcess(name=name, process=process, log_path=log_path)

    def start_worker(self, *, concurrency: int = 2, queues: list[str] | None = None) -> CeleryProcess:
        name = f"worker{len(self.workers) + 1}"
        worker = self._launch(
            name,
            [
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "-n",
                f"{name}-{self.queue}@%h",
                "-Q",
                ",".join(queues or [self.queue, self.priority_queue]),
            ],
        )
        self.workers.append(worker)
        return worker

    def start_beat(self) -> CeleryProcess:
        name = f"beat{len(self.beats) + 1}"
        beat = self._launch(name, ["beat", "--loglevel=INFO", "-s", str(self.workdir / f"{name}-schedule")])
        self.beats.append(beat)
        return beat

    def wait_ready(
        self, processes: list[CeleryProcess] | None = None, timeout: float = START_TIMEOUT
    ) -> None:
        processes = processes or [*self.workers, *self.beats]

        def ready(process: CeleryProcess) -> bool:
            text = process.log()
            return (" ready." in text) if process in self.workers else ("beat: Starting..." in text)

        wait_until(
            lambda: all(ready(p) for p in processes),
            timeout=timeout,
            what=f"{', '.join(p.name for p in processes)} to start",
            alive=self.dead,
        )
        if any(p in self.beats for p in processes):
            # A beat sends its first dispatch only after its first interval.
            self.wait_dispatches(1)

    def dead(self) -> str | None:
        """Which process has exited (and not been killed on purpose)."""
        for process in [*self.workers, *self.beats]:
            if not process.running() and process.process.returncode != -signal.SIGKILL:
                return f"{process.name} exited ({process.process.returncode})"
        return None

    def dispatches_done(self) -> int:
        return sum(len(DISPATCH_DONE.findall(worker.log())) for worker in self.workers)

    def wait_dispatches(self, cycles: int, timeout: float | None = None) -> None:
        """Wait for `cycles` more dispatcher sweeps (a late duplicate would show up meanwhile)."""
        target = self.dispatches_done() + cycles
        wait_until(
            lambda: self.dispatches_done() >= target,
            timeout=timeout or cycles * 3 + 10,
            what=f"{cycles} more dispatcher sweeps",
            alive=self.dead,
        )

    def logs(self, starts: dict[str, int] | None = None) -> str:
        starts = starts or {}
        return "".join(
            f"\n----- {p.name} -----\n{p.log(starts.get(p.name, 0))}" for p in [*self.workers, *self.beats]
        )

    def log_marks(self) -> dict[str, int]:
        return {p.name: p.log_size() for p in [*self.workers, *self.beats]}

    def stop(self) -> None:
        for process in [*self.beats, *self.workers]:
            process.stop()
