"""/healthz: database and broker reachability for load balancers, nothing more."""

import socket
import time

import pytest
from django.conf import settings
from django.urls import reverse

from clinic.celery import app as celery_app

pytestmark = pytest.mark.django_db

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


@pytest.mark.redis
def test_healthz_all_up_is_ok(client):
    # Anonymous: load balancers do not sign in.
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert [secret for secret in _secrets() if secret in response.content.decode()] == []


def test_healthz_broker_down_is_503(client, broker_down):
    started = time.monotonic()

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "down"}
    # A monitor's probe must not hang on a dead broker.
    assert time.monotonic() - started < 10


def test_healthz_reveals_no_configuration(client, broker_down):
    response = client.get(reverse("healthz"))

    body = response.content.decode()
    assert [secret for secret in _secrets() if secret in body] == []
    assert [word for word in ("postgres", "redis", "sqlite", "127.0.0.1") if word in body] == []
