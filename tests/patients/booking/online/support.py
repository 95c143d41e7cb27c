"""Going through the booking pages as a patient does: plain GETs and POSTs, the code from the email."""

import re
from datetime import datetime

from django.test import Client
from django.urls import reverse

from clinic.messaging.choices import MessageStatus
from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from clinic.staff.models import Location, TherapistProfile
from patients.messages import PatientMessageKind
from patients.models import AppointmentType

CODE_RE = re.compile(r"^(\d{6})$", re.MULTILINE)
IP = "203.0.113.7"
DETAILS = {
    "first_name": "Rosa",
    "last_name": "Quill",
    "date_of_birth": "1988-04-12",
    "email": "rosa.quill@example.com",
    "phone": "07700 900456",
    "website": "",
}


def code_messages():
    return ScheduledMessage.objects.filter(kind=PatientMessageKind.BOOKING_CODE).order_by("-pk")


def emailed_code() -> str:
    """Render the newest queued code email as the send task does, and read the code in its text."""
    message = code_messages().filter(status=MessageStatus.PENDING).first()
    assert message is not None, "no booking code email was queued"
    email = message_render(message)
    match = CODE_RE.search(email.body)
    assert match, email.body
    return match.group(1)


def choose(
    client: Client,
    location: Location,
    appointment_type: AppointmentType,
    therapist: TherapistProfile,
    starts_at: datetime,
):
    return client.post(
        reverse("book:choose", args=[location.pk, appointment_type.pk]),
        {"slot": f"{therapist.pk}@{starts_at.isoformat()}"},
        REMOTE_ADDR=IP,
    )


def give_details(client: Client, *, ip: str = IP, **changes: str):
    return client.post(reverse("book:details"), {**DETAILS, **changes}, REMOTE_ADDR=ip)


def enter_code(client: Client, code: str | None = None, *, ip: str = IP):
    return client.post(
        reverse("book:code"), {"code": emailed_code() if code is None else code}, REMOTE_ADDR=ip
    )


def book_to_hold(client: Client, location, appointment_type, therapist, starts_at, **changes: str):
    """Choose the time, give the details and the emailed code: the response after the code."""
    response = choose(client, location, appointment_type, therapist, starts_at)
    assert response.status_code == 302, response
    assert response["Location"] == reverse("book:details")
    response = give_details(client, **changes)
    assert response.status_code == 302, response.content.decode()[:2000]
    return enter_code(client)
