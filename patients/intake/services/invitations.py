"""Intake invitations: the patient's link to the online intake form.

A link's token is random (secrets.token_urlsafe(32)) and only its SHA-256
hash is stored, one IntakeLinkToken row per token. It is made when an
invitation email is rendered. A staff resend emails one more token and
leaves the earlier ones working, unless staff choose to stop them (a link
sent to a wrong address); the invitation's expiry, lock and submission
close all its tokens at once.
"""

import re
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
from patients.models import Appointment, IntakeInvitation, IntakeLinkToken, IntakeResponse, Patient

# A nudge due this soon after the invitation (or a move) would only nag: it is skipped.
NUDGE_MIN_GAP = timedelta(hours=12)


class IntakeError(ValueError):
    pass


token_hash = links.token_hash  # the shared patient-link token model (patients.links.core)


def intake_link(token: str) -> str:
    return settings.SITE_URL + reverse("patients:intake_start", kwargs={"token": token})


def intake_token_find(token: str) -> IntakeLinkToken | None:
    """The link row a token belongs to, whatever its state (callers check intake_token_usable)."""
    return links.token_find(
        IntakeLinkToken.objects.select_related("invitation__patient", "invitation__appointment"), token
    )


def intake_invitation_find(token: str) -> IntakeInvitation | None:
    """The invitation a token belongs to, whatever its state (callers check)."""
    row = intake_token_find(token)
    return row.invitation if row is not None else None


# A staff resend's email key names who asked: its token row records them (intake_issue_token).
_RESEND_KEY = re.compile(r"^intake:\d+:resend:by(\d+):")


def resend_key(invitation: IntakeInvitation, by: User, at: datetime) -> str:
    # The second it was asked for: a double click queues one email.
    return f"intake:{invitation.pk}:resend:by{by.pk}:{at:%Y%m%d%H%M%S}"


def resend_requested_by(key: str) -> int | None:
    """The member of staff whose resend an invitation email's key names (None: the system's own)."""
    match = _RESEND_KEY.match(key)
    return int(match.group(1)) if match else None


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
    invitation.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    messages_cancel(about=About.of(invitation))


@transaction.atomic
def intake_resend(*, invitation: IntakeInvitation, by: User, stop_earlier: bool = False) -> IntakeInvitation:
    """Email the patient one more link to the same invitation now (the front desk's "resend").

    Side effects: a lock from failed identity checks is lifted; with
    `stop_earlier` every link emailed before stops working (revoked_at),
    otherwise they keep working, so the patient's current link is not cut
    off; an intake_invitation email is queued, due now, whose token (made
    when it is rendered) records `by`. An invitation no longer open (its
    visit cancelled or replaced) is replaced by a new one, as at booking.
    Raises IntakeError once the intake is submitted, or without an email
    address.
    """
    invitation = (
        IntakeInvitation.objects.select_for_update(of=("self",))
        .select_related("patient", "appointment__location")
        .get(pk=invitation.pk)
    )
    if invitation.submitted_at:
        raise IntakeError("This intake has been completed; there is nothing to resend.")
    patient = invitation.patient
    if not patient.email:
        raise IntakeError("The patient has no email address to send the intake form to.")
    if invitation.revoked_at:
        return intake_invite(patient=patient, appointment=invitation.appointment, by=by)
    now = timezone.now()
    if invitation.failed_checks or invitation.locked_at:
        invitation.failed_checks = 0
        invitation.locked_at = None
        invitation.save(update_fields=["failed_checks", "locked_at"])
    if stop_earlier:
        invitation.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    appointment = invitation.appointment
    schedule_message(
        kind=PatientMessageKind.INTAKE_INVITATION,
        to=patient.email,
        due_at=now,
        key=resend_key(invitation, by, now),
        about=About.of(invitation),
        patient_id=patient.pk,
        expires_at=appointment.starts_at if appointment else None,
        time_zone=appointment.location.time_zone if appointment else None,
    )
    return invitation


@transaction.atomic
def intake_issue_token(*, invitation: IntakeInvitation, sent: bool, by: User | None = None) -> str:
    """Make one more link token for the invitation and return it (emailed once, never stored).

    Earlier tokens keep working. The new one expires at the visit or
    INTAKE_LINK_DAYS after issue, whichever is first, and the invitation's
    expiry moves with it. `by` is the member of staff whose resend this
    email answers (None for the system's own emails). Raises IntakeError
    for a submitted, revoked or locked invitation.
    """
    invitation = (
        IntakeInvitation.objects.select_for_update(of=("self",))
        .select_related("appointment")
        .get(pk=invitation.pk)
    )
    if invitation.submitted_at or invitation.revoked_at or invitation.locked_at:
        raise IntakeError("This invitation is closed.")
    now = timezone.now()
    token, digest = links.token_make()
    expires_at = now + timedelta(days=settings.INTAKE_LINK_DAYS)
    if invitation.appointment is not None:
        expires_at = min(expires_at, invitation.appointment.starts_at)
    if expires_at <= now:
        raise IntakeError("The visit has started; the link would not work.")
    IntakeLinkToken.objects.create(
        invitation=invitation,
        token_hash=digest,
        issued_at=now,
        expires_at=expires_at,
        issued_by=by,
        staff_issued=by is not None,
    )
    invitation.expires_at = expires_at
    fields = ["expires_at"]
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
