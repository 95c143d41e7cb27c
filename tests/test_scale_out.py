"""Two web processes and two workers on one database, one broker and one shared cache.

Nothing may assume a single process: a session made on one web process is
good on the other, a rate limit counted on one holds on the other (the cache
is shared through CACHE_URL), and an email asked for on either is sent once
by whichever worker takes it.
"""

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.messaging.models import ScheduledMessage
from clinic.staff.choices import Role
from patients.intake.services.invitations import intake_issue_token
from tests.clinic.messaging.stack import Broker, Stack, smtp_server, subprocess_database_url, wait_until
from tests.clinic.test_db_roles import _Browser, _free_port, _totp_code
from tests.factories import PASSWORD, IntakeInvitationFactory, PatientFactory, UserFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery-worker"),
]

BASE_DIR = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
START_TIMEOUT = 90
CHECKS_PER_ADDRESS = 3


@pytest.fixture
def cluster(tmp_path) -> Iterator[dict]:
    """Two gunicorn processes and two Celery workers (and one beat), sharing database, broker and cache."""
    broker = Broker(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
    with smtp_server() as smtp:
        shared = {
            "MESSAGE_DISPATCH_INTERVAL": "1",
            "MESSAGE_QUIET_HOURS": "off",
            "CACHE_URL": broker.url,
            "INTAKE_CHECKS_PER_IP_PER_HOUR": str(CHECKS_PER_ADDRESS),
            "INTAKE_MAX_FAILED_CHECKS": "20",
        }
        stack = Stack(workdir=tmp_path, broker_url=broker.url, smtp=smtp, env=shared)
        webs: list[subprocess.Popen] = []
        try:
            stack.start_worker(concurrency=1)
            stack.start_worker(concurrency=1)
            stack.start_beat()
            bases = []
            for n in (1, 2):
                port = _free_port()
                with (tmp_path / f"web{n}.log").open("wb") as log:
                    webs.append(
                        subprocess.Popen(
                            [
                                str(GUNICORN),
                                "clinic.wsgi:application",
                                "--bind",
                                f"127.0.0.1:{port}",
                                "--workers",
                                "1",
                            ],
                            cwd=BASE_DIR,
                            env={**stack.env, "DATABASE_URL": subprocess_database_url()},
                            stdout=log,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        )
                    )
                bases.append((port, f"http://127.0.0.1:{port}"))
            for (port, _), web in zip(bases, webs, strict=True):
                wait_until(lambda port=port: _listening(port), timeout=START_TIMEOUT, what=f"web on {port}")
                assert web.poll() is None
            stack.wait_ready()
            yield {"webs": [base for _, base in bases], "smtp": smtp, "stack": stack}
        finally:
            for web in webs:
                os.killpg(web.pid, signal.SIGTERM)
                web.wait(timeout=15)
            stack.stop()
            broker.release()
            for n in (1, 2):
                sys.stdout.write((tmp_path / f"web{n}.log").read_text(errors="replace")[-3000:])


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _sign_in(browser: _Browser, user, device: TOTPDevice) -> None:
    login = browser.fields("/accounts/login/", "csrfmiddlewaretoken")
    status, location, _ = browser.request(
        "/accounts/login/", {**login, "username": user.email, "password": PASSWORD}
    )
    assert (status, location) == (302, "/"), "sign-in failed"
    _, location, _ = browser.request("/")
    verify = browser.fields(location, "otp_token")
    status, _, _ = browser.request(location, {**verify, "otp_token": _totp_code(device)})
    assert status == 302, "second factor refused"


def test_sessions_limits_and_emails_hold_across_processes(cluster):
    one, two = cluster["webs"]
    desk = UserFactory(role=Role.FRONT_DESK)
    # The servers' own hasher, not the suite's fast one.
    desk.password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleouttestsalt", iterations=1000)
    desk.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=desk, name="Phone", confirmed=True)
    patient = PatientFactory(last_name="Okonkwo", email="runner@example.com")
    invitation = IntakeInvitationFactory(patient=patient)

    # A session made on one process is good on the other (cookies go by host, not port).
    browser = _Browser(one)
    _sign_in(browser, desk, device)
    browser.base = two
    status, location, listing = browser.request("/patients/")
    assert (status, location) == (200, "") and "Okonkwo" in listing

    # Staff on the second process ask for a new intake link: one email, sent by one worker.
    appointment_page = f"/patients/appointments/{invitation.appointment_id}/"
    token = browser.fields(appointment_page, "csrfmiddlewaretoken")["csrfmiddlewaretoken"]
    status, _, _ = browser.request(
        reverse("patients:intake_resend", kwargs={"pk": invitation.pk}), {"csrfmiddlewaretoken": token}
    )
    assert status == 302
    wait_until(
        lambda: any(m.rcpt_tos == ["runner@example.com"] for m in cluster["smtp"].inbox.received),
        timeout=60,
        what="the resent intake email",
    )
    cluster["stack"].wait_dispatches(3)  # a duplicate would have come meanwhile
    sent = [m for m in cluster["smtp"].inbox.received if m.rcpt_tos == ["runner@example.com"]]
    assert len(sent) == 1
    assert ScheduledMessage.objects.filter(to_email="runner@example.com", status="sent").count() == 1

    # The per-address limit of identity checks counts on both processes together.
    link = intake_issue_token(invitation=invitation, sent=True)
    patient_browser = _Browser(one)
    status, location, _ = patient_browser.request(reverse("patients:intake_start", kwargs={"token": link}))
    assert status == 302
    check = reverse("patients:intake_check")
    wrong = {"last_name": "Nobody", "dob_day": "1", "dob_month": "1", "dob_year": "1950"}
    answers = []
    for base in (one, one, two, two):
        patient_browser.base = base
        form = (
            patient_browser.fields(check, "csrfmiddlewaretoken") if len(answers) < CHECKS_PER_ADDRESS else {}
        )
        status, _, _ = patient_browser.request(check, {**form, **wrong} if form else None)
        answers.append(status)
    # Three wrong answers (two here, one there), then the second process refuses: 429.
    assert answers == [400, 400, 400, 429]
