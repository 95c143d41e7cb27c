"""Intake invitations: the patient's link to the online intake form.

A link's token is random (secrets.token_urlsafe(32)) and only its SHA-256
hash is stored. It is made when the invitation email is rendered, or when
staff copy the link to give by phone; issuing a new token revokes the old.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic.messaging.services import About, message_cancel, messages_cancel, schedule_message
from clinic.messaging.timing import hours_before
from clinic.staff.models import User
from patients.links import core as links
from patients.messages import PatientMessageKind
from patients.models import Appointment, IntakeInvitation, IntakeResponse, Patient

# A nudge due this soon after the invitation (or a move) would only nag: it is skipped.
NUDGE_MIN_GAP = timedelta(hours=12)


class IntakeError(ValueError):
    pass


token_hash = links.token_hash  # the shared patient-link token model (patients.links.core)


def intake_link(token: str) -> str:
    return settings.SITE_URL + reverse("patients:intake_start", kwargs={"token": token})


def intake_invitation_find(token: str) -> IntakeInvitation | None:
    """The invitation a token belongs to, whatever its state (callers check)."""
    if not links.token_plausible(token):
        return None
    return (
        IntakeInvitation.objects.select_related("patient", "appointment")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def intake_invite(*, patient: Patient, appointment: Appointment | None, by: User | None) -> IntakeInvitation:
    """Create an invitation and queue its email (kind intake_invitation).

    Earlier unsubmitted invitations for the same visit are revoked, so only
    the newest link works. Needs the patient's email address.
    """
    if not patient.email:
        raise IntakeError("The patient has no email address to send the intake form to.")
    now = timezone.now()
    replaced = []
    for old in IntakeInvitation.objects.select_for_update().filter(
        patient=patient, appointment=appointment, submitted_at__isnull=True, revoked_at__isnull=True
    ):
        _revoke(old, now)
        replaced.append(old)
    invitation = IntakeInvitation.objects.create(patient=patient, appointment=appointment, created_by=by)
    _carry_over_answers(replaced, invitation)
    schedule_message(
        kind=PatientMessageKind.INTAKE_INVITATION,
        to=patient.email,
        due_at=now,
        key=f"intake:{invitation.pk}:invitation",
        about=About.of(invitation),
        patient_id=patient.pk,
        expires_at=appointment.starts_at if appointment else None,
        time_zone=appointment.location.time_zone if appointment else None,
    )
    intake_nudges_schedule(invitation=invitation)
    return invitation


def _carry_over_answers(replaced: list[IntakeInvitation], invitation: IntakeInvitation) -> None:
    # A resent link (e.g. after a lock-out) continues the answers already given.
    response = (
        IntakeResponse.objects.filter(invitation__in=replaced, submitted_at__isnull=True)
        .order_by("-updated_at")
        .first()
    )
    if response is None:
        return
    started_at = next(old.started_at for old in replaced if old.pk == response.invitation_id)
    response.invitation = invitation
    response.save(update_fields=["invitation", "updated_at"])
    if started_at is not None:
        invitation.started_at = started_at
        invitation.save(update_fields=["started_at"])


def _nudge_key(invitation: IntakeInvitation, hours: int) -> str:
    # The visit's sequence names its time: when the visit moves, the nudges
    # for the new time are new messages even if those for the old time went out.
    sequence = invitation.appointment.sequence if invitation.appointment else 0
    return f"intake:{invitation.pk}:nudge:{hours}h:{sequence}"


def intake_nudges_schedule(*, invitation: IntakeInvitation) -> None:
    """Queue, move or drop the intake nudges of an invitation.

    One nudge INTAKE_NUDGE_HOURS (72 h, 24 h) of elapsed time before the
    visit, about the invitation, so revoking it (resend, cancelled visit)
    cancels them and submitting cancels them. A nudge due in the past, or
    within NUDGE_MIN_GAP of now, is dropped. Each keeps quiet hours in the
    visit's location's zone and expires when the visit starts. Called on
    invitation and when the visit moves.
    """
    appointment = invitation.appointment
    hours_list = settings.INTAKE_NUDGE_HOURS
    open_invitation = not (invitation.submitted_at or invitation.revoked_at) and bool(
        invitation.patient.email
    )
    now = timezone.now()
    # Nudges for an earlier time of the visit that have not gone yet give way.
    messages_cancel(
        about=About.of(invitation),
        kinds=[PatientMessageKind.INTAKE_NUDGE],
        keep_keys={_nudge_key(invitation, hours) for hours in hours_list},
    )
    for hours in hours_list:
        key = _nudge_key(invitation, hours)
        due_at = hours_before(appointment.starts_at, hours) if appointment else None
        if not open_invitation or appointment is None or due_at is None or due_at < now + NUDGE_MIN_GAP:
            message_cancel(key=key)
            continue
        schedule_message(
            kind=PatientMessageKind.INTAKE_NUDGE,
            to=invitation.patient.email,
            due_at=due_at,
            key=key,
            about=About.of(invitation),
            patient_id=invitation.patient_id,
            expires_at=appointment.starts_at,
            time_zone=appointment.location.time_zone,
        )


def intake_nudges_move_for_appointment(*, appointment: Appointment) -> None:
    """The visit moved: its open invitations' nudges follow it."""
    for invitation in appointment.intake_invitations.select_related(
        "patient", "appointment__location"
    ).filter(submitted_at__isnull=True, revoked_at__isnull=True):
        intake_nudges_schedule(invitation=invitation)


def _revoke(invitation: IntakeInvitation, now: datetime) -> None:
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    messages_cancel(about=About.of(invitation))


@transaction.atomic
def intake_resend(*, invitation: IntakeInvitation, by: User) -> IntakeInvitation:
    """Revoke this invitation's link and send a fresh invitation."""
    if invitation.submitted_at:
        raise IntakeError("This intake has been completed; there is nothing to resend.")
    return intake_invite(patient=invitation.patient, appointment=invitation.appointment, by=by)


@transaction.atomic
def intake_issue_token(*, invitation: IntakeInvitation, sent: bool) -> str:
    """Make a new link token for the invitation and return it (shown once).

    The previous token stops working. The link expires at the visit or
    INTAKE_LINK_DAYS after issue, whichever is first.
    """
    invitation = (
        IntakeInvitation.objects.select_for_update(of=("self",))
        .select_related("appointment")
        .get(pk=invitation.pk)
    )
    if invitation.submitted_at or invitation.revoked_at:
        raise IntakeError("This invitation is closed.")
    now = timezone.now()
    token, digest = links.token_make()
    expires_at = now + timedelta(days=settings.INTAKE_LINK_DAYS)
    if invitation.appointment is not None:
        expires_at = min(expires_at, invitation.appointment.starts_at)
    invitation.token_hash = digest
    invitation.token_issued_at = now
    invitation.expires_at = expires_at
    invitation.failed_checks = 0
    invitation.locked_at = None
    fields = ["token_hash", "token_issued_at", "expires_at", "failed_checks", "locked_at"]
    if sent:
        invitation.sent_at = now
        fields.append("sent_at")
    invitation.save(update_fields=fields)
    return token


def intake_cancel_for_appointment(*, appointment: Appointment) -> None:
    """The visit was cancelled: close its open invitations and their emails."""
    now = timezone.now()
    for invitation in IntakeInvitation.objects.select_for_update().filter(
        appointment=appointment, submitted_at__isnull=True, revoked_at__isnull=True
    ):
        _revoke(invitation, now)
