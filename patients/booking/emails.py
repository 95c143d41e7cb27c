"""The appointment message kinds, registered with the outbox at start-up.

Bodies carry the visit's time and place and a link, never clinical detail.
"""

from zoneinfo import ZoneInfo

from django.conf import settings

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from patients.booking.choices import AppointmentStatus
from patients.booking.ics import appointment_ics, ics_attachment
from patients.booking.manage.services import manage_link_issue
from patients.identity.undeliverable import patient_email_undeliverable
from patients.intake.choices import ReminderCategory
from patients.messages import PatientMessageKind
from patients.models import Appointment


def _appointment(message: ScheduledMessage) -> Appointment:
    appointment = (
        Appointment.objects.select_related("patient", "therapist", "location", "appointment_type")
        .filter(pk=message.about_pk)
        .first()
    )
    if appointment is None:
        raise MessageObsolete
    return appointment


def _visit_context(appointment: Appointment) -> dict[str, object]:
    zone = ZoneInfo(appointment.location.time_zone)
    return {
        "first_name": appointment.patient.preferred_name or appointment.patient.first_name,
        "visit_name": appointment.appointment_type.name,
        "starts_at": appointment.starts_at.astimezone(zone),
        "ends_at": appointment.ends_at.astimezone(zone),
        "location": appointment.location,
        "therapist_name": appointment.therapist.display_name,
        "time_zone": appointment.location.time_zone,
    }


def _open_visit(message: ScheduledMessage) -> Appointment:
    appointment = _appointment(message)
    if appointment.status != AppointmentStatus.BOOKED:
        raise MessageObsolete
    return appointment


def _confirmation_context(message: ScheduledMessage) -> dict[str, object]:
    """The confirmation (or moved) email, with a fresh manage link to cancel or move the visit."""
    appointment = _open_visit(message)
    return {
        **_visit_context(appointment),
        "manage_link": manage_link_issue(appointment=appointment),
        "late_cancellation_hours": settings.LATE_CANCELLATION_HOURS,
        "attachments": [ics_attachment(appointment_ics(appointment))],
    }


def _cancelled_context(message: ScheduledMessage) -> dict[str, object]:
    appointment = _appointment(message)
    return {
        **_visit_context(appointment),
        "attachments": [ics_attachment(appointment_ics(appointment, cancelled=True))],
    }


def _reminder_context(message: ScheduledMessage) -> dict[str, object]:
    """The reminder before a visit: not to an address refused for good.

    A patient who opted out of appointment reminders (at the intake or by the
    link) gets none: message_render reads the kind's category before this runs.
    """
    appointment = _open_visit(message)
    if patient_email_undeliverable(patient_id=appointment.patient_id, to_email=message.to_email):
        raise MessageObsolete
    return _visit_context(appointment)


for kind in (
    MessageKind.of(PatientMessageKind.APPOINTMENT_CONFIRMATION, _confirmation_context),
    MessageKind.of(PatientMessageKind.APPOINTMENT_RESCHEDULED, _confirmation_context),
    MessageKind.of(PatientMessageKind.APPOINTMENT_CANCELLED, _cancelled_context),
    MessageKind.of(
        PatientMessageKind.APPOINTMENT_REMINDER,
        _reminder_context,
        essential=False,
        category=ReminderCategory.APPOINTMENT,
    ),
):
    register_kind(kind)
