"""Addresses refused for good: the patient flagged from the outbox, cleared by a new address, shown to the desk."""

import logging
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from patients.booking.services import appointment_book
from patients.identity.services import patient_update
from patients.identity.undeliverable import patient_email_refused, patient_email_undeliverable
from patients.messages import PatientMessageKind
from patients.models import Patient
from tests.clinic.messaging.support import deliver_due
from tests.factories import PatientFactory, ScheduledMessageFactory
from tests.patients.identity.test_views import patient_data

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 07:00 UTC; the visit is the next morning.
NOW = datetime(2026, 11, 23, 7, tzinfo=UTC)
VISIT = datetime(2026, 11, 24, 10, tzinfo=UTC)
REFUSAL = "550 SMTPRecipientsRefused: 5.1.1 <sam@example.com>: mailbox unavailable"


class RefusingMailbox:
    """aiosmtpd handler: refuses every recipient in `refused` at RCPT (550), accepts the rest."""

    def __init__(self, refused: set[str]) -> None:
        self.refused = refused
        self.accepted: list[str] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802 -- aiosmtpd's hook
        if address.lower() in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 -- aiosmtpd's hook
        with self._lock:
            self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_server(settings) -> Iterator[RefusingMailbox]:
    """A real SMTP server on localhost that refuses sam@example.com; the outbox sends to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mailbox = RefusingMailbox({"sam@example.com"})
    mail_log = logging.getLogger("mail.log")
    previous_level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield mailbox
    finally:
        controller.stop()
        mail_log.setLevel(previous_level)


def _flags(patient: Patient) -> tuple[datetime | None, str]:
    patient.refresh_from_db()
    return patient.email_undeliverable_at, patient.email_undeliverable_reason


def _refused(patient: Patient, to_email: str, *, code: int = 550, text: str = REFUSAL) -> bool:
    message = ScheduledMessageFactory(to_email=to_email, patient_id=patient.pk)
    return patient_email_refused(message, code, text)


def test_refusal_of_the_patients_address_flags_them(time_machine):
    time_machine.move_to(NOW, tick=False)
    patient = PatientFactory(email="sam@example.com")

    assert _refused(patient, "Sam@Example.com") is True

    assert _flags(patient) == (NOW, REFUSAL)


def test_refusal_of_an_address_the_patient_no_longer_has_flags_nothing():
    patient = PatientFactory(email="sam.new@example.com")

    assert _refused(patient, "sam@example.com") is False

    assert _flags(patient) == (None, "")


def test_refusal_of_a_row_about_no_patient_flags_nobody():
    patient = PatientFactory(email="sam@example.com")
    message = ScheduledMessageFactory(to_email="sam@example.com", patient_id=None)

    assert patient_email_refused(message, 550, REFUSAL) is False

    assert _flags(patient) == (None, "")


def test_a_later_refusal_keeps_the_first_time_and_shows_the_latest_reply(time_machine):
    patient = PatientFactory(email="sam@example.com")
    time_machine.move_to(NOW, tick=False)
    _refused(patient, "sam@example.com")
    time_machine.move_to(NOW + timedelta(days=2), tick=False)

    _refused(patient, "sam@example.com", code=554, text="554 SMTPDataError: 5.7.1 mailbox disabled")

    assert _flags(patient) == (NOW, "554 SMTPDataError: 5.7.1 mailbox disabled")


def test_the_reason_is_cut_to_the_field_and_given_its_code():
    patient = PatientFactory(email="sam@example.com")

    _refused(patient, "sam@example.com", code=550, text="mailbox unavailable " + "x" * 400)

    _, reason = _flags(patient)
    assert reason.startswith("550 mailbox unavailable x")
    assert len(reason) == 300


def test_changing_the_email_clears_the_flag():
    patient = PatientFactory(email="sam@example.com")
    _refused(patient, "sam@example.com")

    saved = patient_update(patient=patient, email="Sam.Runner@example.com")

    assert (saved.email_undeliverable_at, saved.email_undeliverable_reason) == (None, "")
    assert _flags(patient) == (None, "")


@pytest.mark.parametrize(
    "change", [{"phone": "07700 900321"}, {"email": "SAM@example.com"}], ids=["other-field", "same-address"]
)
def test_an_edit_that_keeps_the_address_keeps_the_flag(change, time_machine):
    time_machine.move_to(NOW, tick=False)
    patient = PatientFactory(email="sam@example.com")
    _refused(patient, "sam@example.com")
    patient.refresh_from_db()

    patient_update(patient=patient, **change)

    assert _flags(patient) == (NOW, REFUSAL)


def test_the_edit_form_with_a_new_address_clears_the_flag(front_desk_client):
    patient = PatientFactory(email="ada.lovelace@example.com")
    _refused(patient, "ada.lovelace@example.com")
    patient.refresh_from_db()

    response = front_desk_client.post(
        reverse("patients:edit", args=[patient.pk]),
        patient_data(email="ada@example.com", version=str(patient.version)),
    )

    assert response.status_code == 302
    assert _flags(patient) == (None, "")


def test_hub_warns_the_front_desk_and_search_marks_the_address(front_desk_client, time_machine):
    time_machine.move_to(NOW, tick=False)
    patient = PatientFactory(email="sam@example.com", last_name="Refused")
    fine = PatientFactory(email="kim@example.com", last_name="Refused")
    _refused(patient, "sam@example.com")

    hub = front_desk_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    fine_hub = front_desk_client.get(reverse("patients:detail", args=[fine.pk])).content.decode()
    listing = front_desk_client.get(reverse("patients:list")).content.decode()

    warning = hub.split('id="email-undeliverable">')[1].split("</div>")[0]
    assert warning.startswith(
        "Emails to sam@example.com are being refused by their mail server "
        "(550 SMTPRecipientsRefused: 5.1.1 &lt;sam@example.com&gt;: mailbox unavailable) since 23 Nov 2026: "
        "check the address with the patient and "
    )
    assert reverse("patients:edit", args=[patient.pk]) in warning
    assert "email-undeliverable" not in fine_hub
    [refused_row] = [row for row in listing.split("<tr>") if "sam@example.com" in row]
    [fine_row] = [row for row in listing.split("<tr>") if "kim@example.com" in row]
    assert ">refused</span>" in refused_row
    assert ">refused</span>" not in fine_row


def test_undeliverable_means_the_patients_own_address_refused(time_machine):
    time_machine.move_to(NOW, tick=False)
    patient = PatientFactory(email="sam@example.com")
    assert patient_email_undeliverable(patient_id=patient.pk, to_email="sam@example.com") is False
    _refused(patient, "sam@example.com")

    assert patient_email_undeliverable(patient_id=patient.pk, to_email="SAM@example.com") is True
    assert patient_email_undeliverable(patient_id=patient.pk, to_email="other@example.com") is False
    assert patient_email_undeliverable(patient_id=None, to_email="sam@example.com") is False


def test_outbox_refusal_over_smtp_flags_the_patient_and_stops_their_reminders(
    mail_server, physio, location, evaluation, front_desk, time_machine
):
    time_machine.move_to(NOW, tick=False)
    sam = PatientFactory(email="sam@example.com")
    kim = PatientFactory(email="kim@example.com")
    for patient in (sam, kim):
        appointment_book(
            patient=patient,
            therapist=physio,
            location=location,
            appointment_type=evaluation,
            starts_at=VISIT if patient is sam else VISIT + timedelta(hours=2),
            booked_by=front_desk,
        )

    deliver_due()  # the confirmations (and intake invitations): sam's are refused at RCPT

    at, reason = _flags(sam)
    assert at == NOW
    assert reason.startswith("550 ")
    assert "User unknown in virtual mailbox table" in reason
    assert _flags(kim) == (None, "")
    assert "kim@example.com" in mail_server.accepted
    assert "sam@example.com" not in mail_server.accepted

    # The reminder before the visit is non-essential: not sent to the refused address.
    reminders = ScheduledMessage.objects.filter(kind=PatientMessageKind.APPOINTMENT_REMINDER).order_by(
        "due_at"
    )
    last_due = max(reminders.values_list("due_at", flat=True))
    time_machine.move_to(last_due, tick=False)
    deliver_due()

    statuses = {(row.to_email, row.status) for row in reminders}
    assert statuses == {("sam@example.com", MessageStatus.CANCELLED), ("kim@example.com", MessageStatus.SENT)}
