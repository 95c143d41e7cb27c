"""Addresses a mail server refuses for good: flagged on the patient for the front desk.

The outbox calls patient_email_refused (registered in PatientsConfig.ready)
when a 5xx reply refuses a row's recipient. The flag stays until the address
changes (patient_update clears it); meanwhile the patient's page warns the
front desk, and non-essential reminders to that address are not sent.
"""

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clinic.messaging.models import ScheduledMessage
from patients.models import Patient

REASON_MAX = Patient._meta.get_field("email_undeliverable_reason").max_length


def patient_email_refused(message: ScheduledMessage, code: int, text: str) -> bool:
    """Flag the row's patient when the refused address is still their email.

    A refusal of an address the patient no longer has (the row was queued
    before the record changed) flags nothing. The first refusal's time is
    kept, the latest reply's text shown. Written with one conditional UPDATE,
    so an edit of the address at the same moment wins. Returns whether a
    patient was flagged.
    """
    address = (message.to_email or "").strip()
    if message.patient_id is None or not address:
        return False
    # The outbox's text starts with the code ("550 SMTPRecipientsRefused: 5.1.1 …").
    reason = " ".join((text if text.startswith(str(code)) else f"{code} {text}").split())[:REASON_MAX]
    flagged = Patient.all_objects.filter(pk=message.patient_id, email__iexact=address).update(
        email_undeliverable_at=Coalesce("email_undeliverable_at", Value(timezone.now())),
        email_undeliverable_reason=reason,
    )
    return bool(flagged)


def patient_email_undeliverable(*, patient_id: int | None, to_email: str) -> bool:
    """Whether `to_email` is the patient's address and has been refused for good."""
    if patient_id is None:
        return False
    return Patient.all_objects.filter(
        pk=patient_id, email__iexact=to_email.strip(), email_undeliverable_at__isnull=False
    ).exists()
