"""The patients app's message kinds, registered with the outbox at start-up.

Bodies carry the visit's time and place and a link, never clinical detail.
"""

from zoneinfo import ZoneInfo

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from patients.calendar_file import appointment_ics
from patients.choices import AppointmentStatus
from patients.models import Appointment, IntakeInvitation
from patients.services.booking import CANCELLED_KIND, CONFIRMATION_KIND, REMINDER_KIND, RESCHEDULED_KIND
from patients.services.intake import (
    INTAKE_INVITATION_KIND,
    INTAKE_NUDGE_KIND,
    IntakeError,
    intake_issue_token,
    intake_link,
)


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
    appointment = _open_visit(message)
    return {
        **_visit_context(appointment),
        "attachments": [("appointment.ics", appointment_ics(appointment), "text/calendar; method=REQUEST")],
    }


def _cancelled_context(message: ScheduledMessage) -> dict[str, object]:
    appointment = _appointment(message)
    return {
        **_visit_context(appointment),
        "attachments": [
            ("appointment.ics", appointment_ics(appointment, cancelled=True), "text/calendar; method=CANCEL")
        ],
    }


def _reminder_context(message: ScheduledMessage) -> dict[str, object]:
    return _visit_context(_open_visit(message))


def _intake_context(message: ScheduledMessage) -> dict[str, object]:
    invitation = (
        IntakeInvitation.objects.select_related("patient", "appointment__location", "appointment__appointment_type")
        .filter(pk=message.about_pk)
        .first()
    )
    # A locked link stays locked until the front desk resends it (a new invitation).
    if invitation is None or invitation.locked_at:
        raise MessageObsolete
    try:
        token = intake_issue_token(invitation=invitation, sent=True)
    except IntakeError:
        raise MessageObsolete from None
    invitation.refresh_from_db(fields=["expires_at"])
    context: dict[str, object] = {
        "first_name": invitation.patient.preferred_name or invitation.patient.first_name,
        "link": intake_link(token),
        "expires_at": invitation.expires_at,
    }
    if invitation.appointment is not None:
        context.update(_visit_context(invitation.appointment))
    return context


def _intake_nudge_context(message: ScheduledMessage) -> dict[str, object]:
    """"Intake not completed": a fresh link, made at send time like the invitation's.

    Not for a visit no longer booked; locked, submitted or revoked invitations
    are refused by _intake_context, so their nudges are dropped too.
    """
    invitation = (
        IntakeInvitation.objects.select_related("patient", "appointment__location", "appointment__appointment_type")
        .filter(pk=message.about_pk)
        .first()
    )
    if invitation is None or invitation.appointment is None:
        raise MessageObsolete
    if invitation.appointment.status != AppointmentStatus.BOOKED:
        raise MessageObsolete
    return _intake_context(message)


for kind in (
    MessageKind(CONFIRMATION_KIND, "Appointment confirmation", "appointment-confirmation", _confirmation_context),
    MessageKind(RESCHEDULED_KIND, "Appointment moved", "appointment-rescheduled", _confirmation_context),
    MessageKind(CANCELLED_KIND, "Appointment cancelled", "appointment-cancelled", _cancelled_context),
    MessageKind(REMINDER_KIND, "Appointment reminder", "appointment-reminder", _reminder_context),
    MessageKind(INTAKE_INVITATION_KIND, "Intake form invitation", "intake-invitation", _intake_context),
    MessageKind(INTAKE_NUDGE_KIND, "Intake not completed", "intake-nudge", _intake_nudge_context),
):
    register_kind(kind)
