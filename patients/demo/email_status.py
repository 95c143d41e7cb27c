"""Demo email states: one patient whose address the mail server refuses (and the failed row in the
outbox), a retry waiting after a 451, and one patient who unsubscribed by link.

Loaded after the programmes, so the patient who unsubscribes from home-exercise
reminders has some queued (dropped when they come due, as after a real click).
Idempotent: a second load finds both already in place.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from clinic.messaging.choices import UNSENT_STATUSES, MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.optout import optout_apply, optout_token, optout_verify
from clinic.messaging.registry import KINDS
from patients.booking.choices import AppointmentStatus
from patients.intake.choices import ReminderCategory
from patients.intake.services.preferences import UNSUBSCRIBE_SOURCE
from patients.messages import PatientMessageKind
from patients.models import Appointment, Patient, ReminderPreference

# One demo patient's address, refused as a mailbox that does not exist.
REFUSED_INDEX = 7
REFUSED_REASON = "550 5.1.1 Recipient address rejected: User unknown in virtual mailbox table"


def _flag_refused(patient: Patient, now: datetime) -> None:
    Patient.all_objects.filter(pk=patient.pk, email_undeliverable_at__isnull=True).update(
        email_undeliverable_at=now - timedelta(days=3), email_undeliverable_reason=REFUSED_REASON
    )


def _unsubscribe_one() -> int | None:
    """The first patient (by id) with home-exercise reminders queued clicks the link in one of them."""
    category = ReminderCategory.HOME_EXERCISE
    if ReminderPreference.objects.filter(category=category, source=UNSUBSCRIBE_SOURCE).exists():
        return None
    kinds = [kind.name for kind in KINDS.values() if kind.category == category]
    patient_id = (
        ScheduledMessage.objects.filter(kind__in=kinds, status__in=UNSENT_STATUSES)
        .exclude(patient_id=None)
        .order_by("patient_id")
        .values_list("patient_id", flat=True)
        .first()
    )
    if patient_id is None:
        return None
    optout = optout_verify(optout_token(patient_id, category))
    assert optout is not None  # noqa: S101 -- a token just made verifies
    optout_apply(optout)
    return patient_id


def _outbox_history(refused: Patient, retrying: Patient, now: datetime) -> None:
    """What the Outbox page shows for them: the refusal three days ago, and a retry waiting.

    The retry's next attempt is a few minutes after the load, so a newcomer
    running `make run` sees it go from pending (451 kept) to sent.
    """
    ScheduledMessage.objects.get_or_create(
        key=f"demo:refused:{refused.pk}",
        defaults={
            "kind": PatientMessageKind.APPOINTMENT_CONFIRMATION,
            "to_email": refused.email,
            "patient_id": refused.pk,
            "due_at": now - timedelta(days=3),
            "status": MessageStatus.FAILED,
            "attempts": 1,
            "failed_at": now - timedelta(days=3),
            "last_error": f"{REFUSED_REASON.split()[0]} SMTPRecipientsRefused: {REFUSED_REASON[4:]}",
        },
    )
    visit = (
        Appointment.objects.filter(patient=retrying, status=AppointmentStatus.BOOKED)
        .order_by("starts_at")
        .first()
    )
    if retrying.email and visit is not None:
        ScheduledMessage.objects.get_or_create(
            key=f"demo:retry:{retrying.pk}",
            defaults={
                "kind": PatientMessageKind.APPOINTMENT_CONFIRMATION,
                "to_email": retrying.email,
                "patient_id": retrying.pk,
                "about_label": visit._meta.label_lower,
                "about_pk": str(visit.pk),
                "due_at": now - timedelta(minutes=2),
                "expires_at": visit.starts_at,
                "attempts": 1,
                "next_attempt_at": now + timedelta(minutes=3),
                "last_error": "451 SMTPRecipientsRefused: 4.7.1 Greylisted, please try again later",
            },
        )


def load(patients: list[Patient], *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    _flag_refused(patients[REFUSED_INDEX], now)
    _outbox_history(patients[REFUSED_INDEX], patients[REFUSED_INDEX + 1], now)
    _unsubscribe_one()
