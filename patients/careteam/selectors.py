"""Who is in whose care team, one definition for the record check and for lists."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from clinic.staff.choices import Role
from clinic.staff.models import User
from patients.booking.choices import AppointmentStatus
from patients.models import AccessGrant, Appointment, CareAssignment, Patient


@dataclass(frozen=True)
class CareRelation:
    """Rows (with a patient_id column) that tie a therapist to a patient: visits, assessments..."""

    label: str  # why the therapist is in the care team, as the hub shows it
    rows: Callable[[], QuerySet]
    user_field: str  # the lookup from a row to the therapist's User

    def of_user(self, user: User) -> QuerySet:
        return self.rows().filter(**{self.user_field: user})

    def therapist_ids(self, patient_id: int) -> QuerySet:
        return self.rows().filter(patient_id=patient_id).values_list(self.user_field, flat=True).distinct()


_RELATIONS: dict[str, CareRelation] = {}


def care_relation_register(relation: CareRelation) -> None:
    """Add what else ties a therapist to a patient (assessments registers its records)."""
    _RELATIONS[relation.label] = relation


care_relation_register(
    CareRelation(
        label="visits",
        rows=lambda: Appointment.objects.exclude(status=AppointmentStatus.CANCELLED),
        user_field="therapist__user",
    )
)
care_relation_register(
    CareRelation(
        label="assigned",
        rows=lambda: CareAssignment.objects.filter(ended_at__isnull=True),
        user_field="therapist",
    )
)


def care_team_applies(user: User) -> bool:
    """Whether the care-team rule limits this user's reads (therapists; not clinic admins)."""
    if user.is_superuser or Role.CLINIC_ADMIN in user.roles:
        return False
    return Role.THERAPIST in user.roles


def in_care_team(user: User, patient_id: int) -> bool:
    """True when one of the relations ties `user` to the patient (one EXISTS query each, at most)."""
    return any(
        relation.of_user(user).filter(patient_id=patient_id).exists() for relation in _RELATIONS.values()
    )


def access_grant_active(user: User, patient_id: int, *, now: datetime | None = None) -> AccessGrant | None:
    now = now or timezone.now()
    return (
        AccessGrant.objects.filter(user=user, patient_id=patient_id, expires_at__gt=now)
        .order_by("-expires_at")
        .first()
    )


def may_read_record(user: User, patient_id: int, *, now: datetime | None = None) -> bool:
    """The care-team rule for one record: one query (the relations and grants as EXISTS subqueries)."""
    if not care_team_applies(user):
        return True
    return Patient.all_objects.filter(care_team_q(user, field="pk", now=now), pk=patient_id).exists()


def care_team_q(user: User, *, field: str = "patient_id", now: datetime | None = None) -> Q:
    """A filter for lists of many patients' rows: only those `user` may read (all if the rule does not apply)."""
    if not care_team_applies(user):
        return Q()
    now = now or timezone.now()
    ref = OuterRef(field)
    q = Q(Exists(AccessGrant.objects.filter(user=user, expires_at__gt=now, patient_id=ref)))
    for relation in _RELATIONS.values():
        q |= Q(Exists(relation.of_user(user).filter(patient_id=ref)))
    return q


def care_team_of(patient_id: int) -> list[dict[str, object]]:
    """The therapists in a patient's care team and why, for the clinic admin's card on the hub."""
    why: dict[int, list[str]] = {}
    for relation in _RELATIONS.values():
        for user_id in relation.therapist_ids(patient_id):
            why.setdefault(user_id, []).append(relation.label)
    users = User.objects.filter(pk__in=why, is_active=True).order_by("full_name")
    return [{"user": user, "why": why[user.pk]} for user in users]


def open_assignments(patient_id: int) -> QuerySet[CareAssignment]:
    return CareAssignment.objects.filter(patient_id=patient_id, ended_at__isnull=True).select_related(
        "therapist", "assigned_by"
    )


def access_grants_for_review(*, unreviewed_only: bool) -> QuerySet[AccessGrant]:
    grants = AccessGrant.objects.select_related("patient", "user", "reviewed_by")
    if unreviewed_only:
        grants = grants.filter(reviewed_at__isnull=True)
    return grants.order_by("-granted_at", "-pk")
