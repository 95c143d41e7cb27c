"""Rendering outbox rows into emails, and the outbox's own message kind."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.optout import CATEGORIES, optout_url, optout_wanted
from clinic.messaging.registry import MessageKind, MessageObsolete, get_kind, register_kind


def message_render(message: ScheduledMessage) -> EmailMultiAlternatives:
    """Build the email for a row: subject, plain text and HTML parts.

    Raises MessageObsolete when the patient opted out of the kind's category,
    or when the kind's context builder says the message no longer applies.
    """
    kind = get_kind(message.kind)
    # Read before the context is built (which may issue a link): none goes to a patient who opted out.
    if kind.category and not optout_wanted(message.patient_id, kind.category):
        raise MessageObsolete
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_email": settings.CLINIC_EMAIL,
        "site_url": settings.SITE_URL,
        **kind.build_context(message),
    }
    # Non-essential kinds to a patient: a one-click opt-out link (footer and RFC 8058 headers).
    unsubscribe_url = ""
    if kind.category and message.patient_id:
        unsubscribe_url = optout_url(message.patient_id, kind.category)
        context["unsubscribe_url"] = unsubscribe_url
        context["unsubscribe_label"] = CATEGORIES[kind.category].label
    # Times read in the recipient's clinic's local zone, not UTC.
    zone = zoneinfo.ZoneInfo(str(context.get("time_zone") or settings.CLINIC_TIME_ZONE))
    with timezone.override(zone):
        subject = " ".join(
            render_to_string(f"emails/{kind.template}-subject.txt", context, using="text").split()
        )
        text = render_to_string(f"emails/{kind.template}-body.txt", context, using="text")
        html = render_to_string(f"emails/{kind.template}-body.html", context)
    email = EmailMultiAlternatives(subject=subject, body=text, to=[message.to_email])
    email.attach_alternative(html, "text/html")
    if unsubscribe_url:
        email.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for attachment in context.get("attachments", []):
        email.attach(*attachment)
    return email


def _test_context(message: ScheduledMessage) -> dict[str, object]:
    return {}


register_kind(
    MessageKind(
        name="test",
        label="Test email",
        template="test",
        build_context=_test_context,
        patient_facing=False,
    )
)
