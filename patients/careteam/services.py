"""Care-team changes and break-the-glass grants; each is written to the security log."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit.choices import SecurityEventKind
from clinic.audit.security import security_event_record
from clinic.staff.choices import Role
from clinic.staff.models import User
from patients.models import AccessGrant, CareAssignment, Patient

REASON_MIN_LENGTH = 10


@transaction.atomic
def access_grant_open(
    *, user: User, patient: Patient, reason: str, request: HttpRequest | None = None
) -> AccessGrant:
    """Open a patient's record outside the care team for CARE_TEAM_GRANT_HOURS, with a reason."""
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": f"Say why you need this record now (at least {REASON_MIN_LENGTH} characters)."}
        )
    now = timezone.now()
    grant = AccessGrant.objects.create(
        patient=patient,
        user=user,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=settings.CARE_TEAM_GRANT_HOURS),
    )
    security_event_record(
        kind=SecurityEventKind.BREAK_GLASS,
        user=user,
        actor=user,
        request=request,
        detail=f"patient {patient.pk} grant {grant.pk} until {grant.expires_at:%Y-%m-%d %H:%M} UTC",
    )
    return grant


@transaction.atomic
def access_grant_review(*, grant: AccessGrant, by: User, note: str = "") -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.reviewed_at is not None:
        raise ValidationError("This access was already reviewed.")
    if grant.user_id == by.pk:
        raise ValidationError("Someone else must review your own access.")
    grant.reviewed_by = by
    grant.reviewed_at = timezone.now()
    grant.review_note = note.strip()[:500]
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return grant


@transaction.atomic
def care_assign(*, patient: Patient, therapist: User, by: User, reason: str = "") -> CareAssignment:
    """Put a therapist in a patient's care team (a clinic admin, or the therapist registering the patient)."""
    if Role.THERAPIST not in therapist.roles:
        raise ValidationError({"therapist": "Only therapists join a care team."})
    if CareAssignment.objects.filter(patient=patient, therapist=therapist, ended_at__isnull=True).exists():
        raise ValidationError({"therapist": f"{therapist} is already assigned to this patient."})
    assignment = CareAssignment.objects.create(
        patient=patient,
        therapist=therapist,
        assigned_by=by,
        assigned_at=timezone.now(),
        reason=reason.strip(),
    )
    security_event_record(
        kind=SecurityEventKind.CARE_TEAM_CHANGE,
        user=therapist,
        actor=by,
        detail=f"patient {patient.pk} assigned",
    )
    return assignment


@transaction.atomic
def care_unassign(*, assignment: CareAssignment, by: User) -> CareAssignment:
    assignment = CareAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        return assignment
    assignment.ended_at = timezone.now()
    assignment.ended_by = by
    assignment.save(update_fields=["ended_at", "ended_by"])
    security_event_record(
        kind=SecurityEventKind.CARE_TEAM_CHANGE,
        user=assignment.therapist,
        actor=by,
        detail=f"patient {assignment.patient_id} assignment ended",
    )
    return assignment
