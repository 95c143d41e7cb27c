"""Rendering outbox rows into emails, and the outbox's own message kind."""

import zoneinfo
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clinic.messaging.letterhead import letterhead_context, letterhead_email
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.optout import CATEGORIES, optout_url, optout_wanted
from clinic.messaging.registry import MessageKind, MessageObsolete, get_kind, patient_language, register_kind


def email_language(code: str) -> str:
    """The Django language of an email in language `code`: blank or the clinic's own language gives LANGUAGE_CODE.

    A patient's "en" is the clinic's English (en-gb, en-us, en-au), so dates keep the clinic's order.
    """
    if not code or code.split("-")[0] == settings.LANGUAGE_CODE.split("-")[0]:
        return settings.LANGUAGE_CODE
    return code


def message_language(message: ScheduledMessage) -> str:
    """The language a row is written in: its kind's choice, else its patient's, else the clinic's.

    Staff messages (patient_facing=False) are in the clinic's language.
    """
    kind = get_kind(message.kind)
    if kind.language is not None:
        code = kind.language(message)
    elif kind.patient_facing and message.patient_id:
        code = patient_language(message.patient_id)
    else:
        code = ""
    return email_language(code)


def render_email_parts(template: str, context: dict[str, object]) -> tuple[str, str, str]:
    """Subject, plain text and HTML of templates/emails/<template>-*, in the active language and zone."""
    context = {**letterhead_context(), **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context, using="text").split())
    text = render_to_string(f"emails/{template}-body.txt", context, using="text")
    html = render_to_string(f"emails/{template}-body.html", context)
    return subject, text, html


def message_render(message: ScheduledMessage) -> EmailMultiAlternatives:
    """Build the email for a row: subject, plain text and HTML (with the letterhead's logo inline).

    Written in the row's language (message_language): the context is built in
    it too, so an attached calendar file and any words a builder makes match.
    Raises MessageObsolete when the patient opted out of the kind's category,
    or when the kind's context builder says the message no longer applies.
    """
    kind = get_kind(message.kind)
    # Read before the context is built (which may issue a link): none goes to a patient who opted out.
    if kind.category and not optout_wanted(message.patient_id, kind.category):
        raise MessageObsolete
    with translation.override(message_language(message)):
        context: dict[str, object] = {**letterhead_context(), **kind.build_context(message)}
        # Non-essential kinds to a patient: a one-click opt-out link (footer and RFC 8058 headers).
        unsubscribe_url = ""
        if kind.category and message.patient_id:
            unsubscribe_url = optout_url(message.patient_id, kind.category)
            context["unsubscribe_url"] = unsubscribe_url
            context["unsubscribe_label"] = str(CATEGORIES[kind.category].label)
        # Times read in the recipient's clinic's local zone, not UTC.
        zone = zoneinfo.ZoneInfo(str(context.get("time_zone") or settings.CLINIC_TIME_ZONE))
        with timezone.override(zone):
            subject, text, html = render_email_parts(kind.template, context)
    email = letterhead_email(subject=subject, text=text, html=html, to=[message.to_email])
    if unsubscribe_url:
        email.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    attachments = context.get("attachments", [])
    assert isinstance(attachments, list)  # noqa: S101 -- a kind's context builder returns a list
    for attachment in attachments:
        # A (filename, content, mimetype) triple, or a ready MIME part (the .ics with its method).
        if isinstance(attachment, MIMEBase):
            email.attach(attachment)
        else:
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
