"""The one-time code step of a patient link, as the patient goes through it: from the email."""

import re

from django.test import Client
from django.urls import reverse

from clinic.messaging.choices import MessageStatus
from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from patients.messages import PatientMessageKind

CODE_RE = re.compile(r"^(\d{6})$", re.MULTILINE)


def code_messages():
    return ScheduledMessage.objects.filter(kind=PatientMessageKind.LINK_CODE).order_by("-pk")


def emailed_code() -> str:
    """Render the newest queued code email as the send task does, and read the code in its text.

    Rendering makes the code (only its HMAC is stored), so each call gives a new one.
    """
    message = code_messages().filter(status=MessageStatus.PENDING).first()
    assert message is not None, "no one-time code email was queued"
    email = message_render(message)
    match = CODE_RE.search(email.body)
    assert match, email.body
    return match.group(1)


def enter_code(client: Client, url_name: str, code: str | None = None, *, ip: str = "203.0.113.7"):
    return client.post(reverse(url_name), {"code": emailed_code() if code is None else code}, REMOTE_ADDR=ip)


def pass_code_step(client: Client, response, url_name: str, *, ip: str = "203.0.113.7"):
    """After a passed identity check: give the emailed code when the browser is asked for one."""
    if response.status_code == 302 and response["Location"] == reverse(url_name):
        response = enter_code(client, url_name, ip=ip)
    return response
