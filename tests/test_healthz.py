"""/healthz: database, broker and outbox health for load balancers and monitors; /healthz/outbox."""

import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from clinic.celery import app as celery_app
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import OutboxHeartbeat
from tests.factories import ScheduledMessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_heartbeats")]

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)

BROKER_PASSWORD = "broker-s3cret-pass"


def _closed_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a closed port (with a password in the URL); restored afterwards.

    Celery reads CELERY_BROKER_URL from the environment before its conf, so both change.
    """
    previous = celery_app.conf.broker_url
    url = f"redis://:{BROKER_PASSWORD}@127.0.0.1:{_closed_port()}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    celery_app.conf.broker_url = url
    yield url
    celery_app.conf.broker_url = previous


def _secrets() -> list[str]:
    db = settings.DATABASES["default"]
    values = [
        settings.SECRET_KEY,
        settings.DATABASE_URL,
        str(db.get("PASSWORD") or ""),
        str(db.get("USER") or ""),
        str(db["NAME"]),
        settings.CELERY_BROKER_URL,
        BROKER_PASSWORD,
    ]
    return [value for value in values if value]


@pytest.fixture
def dispatcher_running(db):
    """The dispatcher swept a moment ago, as it does every minute while the workers run."""
    return OutboxHeartbeat.objects.create(name="dispatch", at=NOW - timedelta(seconds=30))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.redis
def test_healthz_all_up_is_ok(client, dispatcher_running, frozen):
    # Anonymous: load balancers do not sign in.
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "outbox": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert [secret for secret in _secrets() if secret in response.content.decode()] == []


def test_healthz_broker_down_is_503(client, broker_down, dispatcher_running, frozen):
    started = time.monotonic()

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "down", "outbox": "ok"}
    # A monitor's probe must not hang on a dead broker.
    assert time.monotonic() - started < 10


def test_healthz_reveals_no_configuration(client, broker_down):
    response = client.get(reverse("healthz"))

    body = response.content.decode()
    assert [secret for secret in _secrets() if secret in body] == []
    assert [word for word in ("postgres", "redis", "sqlite", "127.0.0.1") if word in body] == []


# --- The outbox part of /healthz -----------------------------------------------------------

DEGRADED = {"status": "degraded", "database": "ok", "broker": "ok", "outbox": "degraded"}


@pytest.mark.redis
def test_healthz_stopped_workers_are_503(client, frozen):
    # The last sweep was 5 minutes and a second ago: worker and beat have stopped.
    OutboxHeartbeat.objects.create(name="dispatch", at=NOW - timedelta(minutes=5, seconds=1))

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == DEGRADED


@pytest.mark.redis
def test_healthz_a_dispatcher_that_never_ran_is_503(client, frozen):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == DEGRADED


@pytest.mark.redis
def test_healthz_a_message_15_minutes_overdue_is_503(client, dispatcher_running, frozen):
    ScheduledMessageFactory(status=MessageStatus.PENDING, due_at=NOW - timedelta(minutes=15, seconds=1))

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == DEGRADED


@pytest.mark.redis
def test_healthz_a_message_due_15_minutes_ago_is_still_ok(client, dispatcher_running, frozen):
    ScheduledMessageFactory(status=MessageStatus.PENDING, due_at=NOW - timedelta(minutes=15))

    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.redis
def test_healthz_a_message_stuck_in_sending_is_503(client, dispatcher_running, frozen):
    # Started longer ago than the lease, yet due only 2 minutes before it: overdue alone stays within bounds.
    started = NOW - timedelta(seconds=settings.MESSAGE_SENDING_LEASE_SECONDS + 1)
    ScheduledMessageFactory(
        status=MessageStatus.SENDING, due_at=NOW, sending_since=started, claimed_at=started
    )

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == DEGRADED


@pytest.mark.redis
def test_healthz_too_many_failures_in_a_day_is_503(client, dispatcher_running, frozen, settings):
    settings.OUTBOX_HEALTH_MAX_FAILED_24H = 2
    for hours in (1, 2, 3):
        ScheduledMessageFactory(
            status=MessageStatus.FAILED,
            due_at=NOW - timedelta(hours=hours),
            failed_at=NOW - timedelta(hours=hours),
        )

    assert client.get(reverse("healthz")).json() == DEGRADED


def test_healthz_outbox_reports_the_numbers(client, dispatcher_running, frozen):
    ScheduledMessageFactory(
        status=MessageStatus.PENDING, due_at=NOW - timedelta(minutes=2), to_email="ann@example.com"
    )
    ScheduledMessageFactory(
        status=MessageStatus.SENT, due_at=NOW - timedelta(hours=2), sent_at=NOW - timedelta(hours=2)
    )
    ScheduledMessageFactory(
        status=MessageStatus.FAILED,
        due_at=NOW - timedelta(hours=3),
        failed_at=NOW - timedelta(hours=3),
        last_error="SMTPRecipientsRefused 550 5.1.1 <bob@example.com>: mailbox unavailable",
        to_email="bob@example.com",
    )
    OutboxHeartbeat.objects.create(name="delivery", at=NOW - timedelta(hours=2))

    response = client.get(reverse("healthz_outbox"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checked_at": "2027-03-10T12:00:00+00:00",
        "backlog": 1,
        "oldest_due_age_seconds": 120,
        "retry_waiting": 0,
        "queued_count": 0,
        "stuck_sending": 0,
        "failed_24h": 1,
        "sent_24h": 1,
        "expired_24h": 0,
        "due_24h_not_sent": 2,
        "last_dispatch_at": "2027-03-10T11:59:30+00:00",
        "last_delivery_at": "2027-03-10T10:00:00+00:00",
        "last_alert_at": None,
        "problems": [],
    }
    # Counts only: no address or error text of any row.
    body = response.content.decode()
    assert [word for word in ("ann@", "bob@", "example.com", "550", "test") if word in body] == []


def test_healthz_outbox_degraded_is_503_with_the_problems(client, frozen):
    OutboxHeartbeat.objects.create(name="dispatch", at=NOW - timedelta(hours=2))

    response = client.get(reverse("healthz_outbox"))

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["problems"] == [
        "The dispatcher last ran 2 hours ago: are the Celery worker and beat running?"
    ]


def test_healthz_outbox_reveals_no_configuration(client, frozen):
    body = client.get(reverse("healthz_outbox")).content.decode()

    assert [secret for secret in _secrets() if secret in body] == []
    assert [word for word in ("postgres", "redis", "sqlite", "127.0.0.1") if word in body] == []


# --- Docker's health check of the web service ----------------------------------------------


def _compose_web_healthcheck(url: str) -> str:
    """The Python one-liner docker-compose.yml runs to check web, pointed at `url`."""
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    folded = re.search(r"healthcheck:[\s\S]*?- >-\n((?: {10}.*\n)+)", compose)
    assert folded is not None
    code = " ".join(line.strip() for line in folded.group(1).splitlines())
    assert "http://127.0.0.1:8000/healthz" in code
    return code.replace("http://127.0.0.1:8000/healthz", url)


def _run_web_healthcheck(live_server) -> int:
    code = _compose_web_healthcheck(f"{live_server.url}/healthz")
    env = {"PATH": "/usr/bin:/bin", "ALLOWED_HOSTS": "localhost"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, timeout=30, check=False, capture_output=True, text=True
    )
    # It exits by its own verdict, never by an exception (a refused connection would show here).
    assert result.stderr == ""
    return result.returncode


@pytest.mark.redis
def test_docker_web_healthcheck_passes_while_the_outbox_alone_is_degraded(client, live_server):
    # A fresh stack: the dispatcher has never run, because worker and beat wait for a healthy web.
    assert client.get(reverse("healthz")).status_code == 503

    assert _run_web_healthcheck(live_server) == 0


def test_docker_web_healthcheck_fails_with_the_broker_down(live_server, broker_down):
    assert _run_web_healthcheck(live_server) == 1
