"""The outbox alert to clinic admins, sent over real SMTP (aiosmtpd) straight past the outbox."""

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from clinic.messaging.choices import MessageStatus
from clinic.messaging.health import outbox_alert_check
from clinic.messaging.models import OutboxHeartbeat, ScheduledMessage
from clinic.staff.choices import Role
from tests.clinic.messaging.smtp import free_port
from tests.factories import ScheduledMessageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_heartbeats")]

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
ADMINS = ["ada.admin@stride.test", "bea.admin@stride.test"]
PATIENT_ADDRESS = "robin.strider@example.com"


@pytest.fixture
def staff(db):
    for address in ADMINS:
        UserFactory(email=address, role=Role.CLINIC_ADMIN)
    # Neither gets the alert: a former admin, and a therapist.
    UserFactory(email="gone.admin@stride.test", role=Role.CLINIC_ADMIN, is_active=False)
    UserFactory(email="terry.therapist@stride.test", role=Role.THERAPIST)


def failures(count: int) -> None:
    for hour in range(1, count + 1):
        ScheduledMessageFactory(
            status=MessageStatus.FAILED,
            to_email=PATIENT_ADDRESS,
            due_at=NOW - timedelta(hours=hour),
            failed_at=NOW - timedelta(hours=hour),
            last_error=f"SMTPRecipientsRefused 550 5.1.1 <{PATIENT_ADDRESS}>: mailbox unavailable",
        )


def test_alert_goes_to_each_active_clinic_admin_once_per_interval(settings, smtp_settings, staff):
    settings.OUTBOX_ALERT_FAILED_THRESHOLD = 5
    settings.OUTBOX_ALERT_INTERVAL_SECONDS = 4 * 3600
    failures(5)
    inbox = smtp_settings.inbox

    with time_machine.travel(NOW, tick=False):
        first = outbox_alert_check()
    after_first = inbox.recipients()
    with time_machine.travel(NOW + timedelta(hours=4) - timedelta(seconds=1), tick=False):
        within = outbox_alert_check()
    with time_machine.travel(NOW + timedelta(hours=4), tick=False):
        again = outbox_alert_check()

    assert (first, within, again) == (True, False, True)
    assert after_first == ADMINS
    assert inbox.recipients() == ADMINS + ADMINS
    assert OutboxHeartbeat.objects.get(name="alert").at == NOW + timedelta(hours=4)


def test_alert_says_what_is_wrong_without_patient_data(settings, smtp_settings, staff):
    settings.OUTBOX_ALERT_FAILED_THRESHOLD = 5
    settings.SITE_URL = "https://clinic.example"
    failures(6)

    with time_machine.travel(NOW, tick=False):
        outbox_alert_check()

    message = smtp_settings.inbox.received[0]
    text, html = message.text(), message.html()
    assert message.message["Subject"] == f"{settings.CLINIC_NAME}: reminder emails need attention"
    assert message.message["To"] == ADMINS[0]
    assert "Failed in the last 24 hours: 6" in text
    assert "- 6 messages failed in the last 24 hours." in text
    assert "https://clinic.example/outbox/" in text
    assert '<a href="https://clinic.example/outbox/">Outbox page</a>' in html
    assert "<li>6 messages failed in the last 24 hours.</li>" in html
    assert "at most once every 4 hours" in text
    # No patient address, and none of the rows' error text (which can quote it).
    assert [part for part in (text, html) if PATIENT_ADDRESS in part or "550" in part] == []


def test_alert_not_sent_below_the_failure_threshold(settings, smtp_settings, staff):
    settings.OUTBOX_ALERT_FAILED_THRESHOLD = 5
    failures(4)

    with time_machine.travel(NOW, tick=False):
        sent = outbox_alert_check()

    assert (sent, smtp_settings.inbox.received) == (False, [])
    assert not OutboxHeartbeat.objects.filter(name="alert").exists()


def test_alert_for_a_stuck_attempt(settings, smtp_settings, staff):
    started = NOW - timedelta(seconds=settings.MESSAGE_SENDING_LEASE_SECONDS + 60)
    ScheduledMessageFactory(
        status=MessageStatus.SENDING, due_at=NOW, sending_since=started, claimed_at=started
    )

    with time_machine.travel(NOW, tick=False):
        sent = outbox_alert_check()

    assert sent is True
    assert smtp_settings.inbox.recipients() == ADMINS
    assert "Stuck while sending: 1" in smtp_settings.inbox.received[0].text()


def test_alert_for_an_overdue_backlog(settings, smtp_settings, staff):
    ScheduledMessageFactory(status=MessageStatus.PENDING, due_at=NOW - timedelta(minutes=16))
    ScheduledMessageFactory(status=MessageStatus.PENDING, due_at=NOW - timedelta(minutes=1))

    with time_machine.travel(NOW, tick=False):
        sent = outbox_alert_check()

    assert sent is True
    text = smtp_settings.inbox.received[0].text()
    assert "- 2 messages are waiting to be sent; the oldest fell due 16 minutes ago." in text


def test_alert_bypasses_the_outbox(settings, smtp_settings, staff):
    failures(5)

    with time_machine.travel(NOW, tick=False):
        outbox_alert_check()

    # Straight to the mail server: no outbox row waits behind the backlog.
    assert ScheduledMessage.objects.exclude(status=MessageStatus.FAILED).count() == 0
    assert len(smtp_settings.inbox.received) == 2


def test_alert_refused_for_one_admin_still_reaches_the_other(settings, smtp_settings, staff, caplog):
    failures(5)
    smtp_settings.inbox.refuse = {ADMINS[0]}

    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.WARNING, "clinic.messaging.health"):
        sent = outbox_alert_check()

    assert sent is True
    assert smtp_settings.inbox.recipients() == [ADMINS[1]]
    assert "Outbox alert to clinic admin 1 of 2 refused: 550" in caplog.text
    assert ADMINS[0] not in caplog.text


def test_alert_with_the_mail_server_down_is_logged_and_tried_again(settings, smtp_settings, staff, caplog):
    failures(5)
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.WARNING, "clinic.messaging.health"):
        down = outbox_alert_check()
    settings.EMAIL_PORT = smtp_settings.port
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        back = outbox_alert_check()

    # No exception reaches the dispatcher; the next sweep sends the alert that did not go out.
    assert (down, back) == (False, True)
    assert "Outbox alert not sent: the mail server did not answer (ConnectionRefusedError)." in caplog.text
    assert [address for address in ADMINS if address in caplog.text] == []
    assert smtp_settings.inbox.recipients() == ADMINS


def test_alert_that_cannot_be_prepared_does_not_reach_the_dispatcher(settings, smtp_settings, staff, caplog):
    failures(5)
    # A SITE_URL-free failure of our own: the Outbox page's URL cannot be built.
    settings.ROOT_URLCONF = "tests.clinic.messaging.urls_without_outbox"

    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.ERROR, "clinic.messaging.health"):
        sent = outbox_alert_check()

    assert (sent, smtp_settings.inbox.received) == (False, [])
    assert "Outbox alert could not be prepared." in caplog.text
    assert not OutboxHeartbeat.objects.filter(name="alert").exists()


def test_alert_failing_again_keeps_the_previous_alert_time(settings, smtp_settings, staff):
    failures(5)
    OutboxHeartbeat.objects.create(name="alert", at=NOW - timedelta(days=1))
    settings.EMAIL_PORT = free_port()

    with time_machine.travel(NOW, tick=False):
        sent = outbox_alert_check()

    assert sent is False
    assert OutboxHeartbeat.objects.get(name="alert").at == NOW - timedelta(days=1)


def test_alert_without_active_clinic_admins_is_logged(settings, smtp_settings, caplog):
    UserFactory(email="terry.therapist@stride.test", role=Role.THERAPIST)
    failures(5)

    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.WARNING, "clinic.messaging.health"):
        sent = outbox_alert_check()

    assert (sent, smtp_settings.inbox.received) == (False, [])
    assert "no active clinic admin" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_one_alert(settings, smtp_settings, staff):
    failures(5)
    barrier = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(outbox_alert_check(now=NOW))
        except BaseException as exc:  # noqa: BLE001 -- reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [False, True]
    assert smtp_settings.inbox.recipients() == ADMINS
