"""The intake's message kinds: the invitation and the nudge (a reminder while it is not yet submitted).

Each carries a fresh link made at send time, never clinical detail.
"""

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from clinic.staff.models import User
from patients.booking.choices import AppointmentStatus
from patients.booking.emails import _visit_context
from patients.intake.services.invitations import (
    IntakeError,
    intake_issue_token,
    intake_link,
    resend_requested_by,
)
from patients.messages import PatientMessageKind
from patients.models import IntakeInvitation


def _intake_context(message: ScheduledMessage) -> dict[str, object]:
    invitation = (
        IntakeInvitation.objects.select_related(
            "patient", "appointment__location", "appointment__appointment_type"
        )
        .filter(pk=message.about_pk)
        .first()
    )
    # A locked link stays locked until the front desk resends it (a new invitation).
    if invitation is None or invitation.locked_at:
        raise MessageObsolete
    # A front-desk resend's token records who asked (the patient's access through it is marked so).
    staff_id = resend_requested_by(message.key)
    by = User.objects.filter(pk=staff_id).first() if staff_id is not None else None
    try:
        token = intake_issue_token(invitation=invitation, sent=True, by=by)
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
    """The intake nudge: a fresh link, made at send time like the invitation's.

    Not for a visit no longer booked; locked, submitted or revoked invitations
    are refused by _intake_context, so their nudges are dropped too.
    """
    invitation = (
        IntakeInvitation.objects.select_related(
            "patient", "appointment__location", "appointment__appointment_type"
        )
        .filter(pk=message.about_pk)
        .first()
    )
    if invitation is None or invitation.appointment is None:
        raise MessageObsolete
    if invitation.appointment.status != AppointmentStatus.BOOKED:
        raise MessageObsolete
    return _intake_context(message)


for kind in (
    MessageKind.of(PatientMessageKind.INTAKE_INVITATION, _intake_context),
    MessageKind.of(PatientMessageKind.INTAKE_NUDGE, _intake_nudge_context),
):
    register_kind(kind)
