"""Operations on an assessment: start, save the draft, sign, add an addendum."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from assessments.models import Addendum, Assessment, AssessmentFactor, Impression, Subjective
from assessments.programmes.services.bone_stress import patient_bone_stress_refresh
from assessments.record.choices import AssessmentKind, AssessmentStatus
from assessments.record.prefill import snapshot, subjective_from_intake
from assessments.record.services.errors import (
    AssessmentError,
    AssessmentLockedError,
    NotAuthorError,
    StaleVersionError,
)
from assessments.record.services.findings import (
    FINDING_KINDS,
    existing_rows,
    finding_apply,
    performed_count,
    save_checked,
    strength_rederive,
)
from assessments.record.services.flags import assessment_flags_raise
from clinic.staff.models import User
from patients.booking.choices import VisitKind
from patients.models import Appointment, Patient

# What the therapist edits on the assessment itself (header, pain summary, impression, plan).
HEADER_FIELDS = (
    "kind",
    "index_side",
    "body_weight_kg",
    "pain_rest_nprs",
    "pain_provocative_nprs",
    "most_provocative_test",
    "not_examined_reason",
    "severity",
    "irritability",
    "plan",
    "internal_notes",
)
IMPRESSION_FIELDS = ("code", "side", "certainty", "onset_date", "notes")

# VisitKind value -> AssessmentKind value (both TextChoices, so plain strings).
_KIND_FOR_VISIT: dict[str, str] = {
    VisitKind.INITIAL_EVALUATION: AssessmentKind.INITIAL,
    VisitKind.REASSESSMENT: AssessmentKind.REASSESSMENT,
    VisitKind.DISCHARGE: AssessmentKind.DISCHARGE,
}


@dataclass
class DraftChanges:
    """What one save changes; a part left as None is not touched.

    findings: kind name → {row key → field values, or None for "not recorded"}.
    impressions: the full list, primary first. factors: the full set of codes.
    partial: the (kind name, row key) whose values are what was left of a cell with an
    invalid field; if the record refuses such a row it is left as it was and the reason
    goes into `refused` (the rest of the save goes on).
    """

    header: dict[str, object] | None = None
    subjective: dict[str, object] | None = None
    factors: list[str] | None = None
    impressions: list[dict[str, object]] | None = None
    findings: dict[str, dict[tuple[str, ...], dict[str, object] | None]] = field(default_factory=dict)
    partial: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    refused: dict[tuple[str, tuple[str, ...]], list[str]] = field(default_factory=dict)


def default_kind(*, patient: Patient, appointment: Appointment | None) -> str:
    """The kind a new assessment starts as: from the visit type, else initial unless one was signed."""
    if appointment is not None and appointment.appointment_type.kind in _KIND_FOR_VISIT:
        return _KIND_FOR_VISIT[appointment.appointment_type.kind]
    signed_before = Assessment.objects.filter(patient=patient, status=AssessmentStatus.SIGNED).exists()
    return AssessmentKind.REASSESSMENT if signed_before else AssessmentKind.INITIAL


@transaction.atomic
def assessment_start(
    *, patient: Patient, therapist: User, appointment: Appointment | None = None, kind: str | None = None
) -> Assessment:
    """Start a draft assessment, its subjective part pre-filled from the submitted intake.

    Side effects: creates the Assessment (author = therapist) and its
    Subjective, with the intake's answers kept unchanged in intake_snapshot.
    A visit has at most one assessment.
    """
    if appointment is not None:
        if appointment.patient_id != patient.pk:
            raise AssessmentError("That appointment belongs to another patient.")
        if Assessment.objects.filter(appointment=appointment).exists():
            raise AssessmentError("This visit already has an assessment.")
    prefill: dict[str, Any] = subjective_from_intake(patient)
    assessment = Assessment(
        patient=patient,
        appointment=appointment,
        therapist=therapist,
        kind=kind or default_kind(patient=patient, appointment=appointment),
        body_weight_kg=prefill.get("body_weight_kg"),
    )
    assessment.full_clean()
    save_checked(assessment)
    subjective = Subjective(
        assessment=assessment, intake_snapshot=snapshot(prefill), **prefill.get("fields", {})
    )
    subjective.full_clean(exclude=["assessment"], validate_constraints=False)
    save_checked(subjective)
    return assessment


def _lock_for_edit(assessment: Assessment, *, by: User, expected_version: int | None) -> Assessment:
    locked = (
        Assessment.objects.select_for_update(of=("self",)).select_related("patient").get(pk=assessment.pk)
    )
    if locked.status != AssessmentStatus.DRAFT:
        raise AssessmentLockedError()
    if locked.therapist_id != by.pk:
        raise NotAuthorError()
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(current_version=locked.version, updated_at=locked.updated_at)
    return locked


def _apply_header(assessment: Assessment, values: dict[str, object]) -> bool:
    unknown = set(values) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"assessment header does not take {sorted(unknown)}")
    changed = [name for name, value in values.items() if getattr(assessment, name) != value]
    for name in changed:
        setattr(assessment, name, values[name])
    return bool(changed)


def _apply_subjective(assessment: Assessment, values: dict[str, object]) -> bool:
    unknown = set(values) - set(Subjective.CLINICAL_FIELDS)
    if unknown:
        raise ValueError(f"subjective does not take {sorted(unknown)}")
    subjective, _ = Subjective.objects.get_or_create(assessment=assessment)
    changed = [name for name, value in values.items() if getattr(subjective, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(subjective, name, values[name])
    subjective.full_clean(exclude=["assessment"], validate_constraints=False)
    save_checked(subjective)
    return True


def _apply_factors(assessment: Assessment, codes: list[str]) -> bool:
    current = set(AssessmentFactor.objects.filter(assessment=assessment).values_list("factor", flat=True))
    wanted = set(codes)
    if current == wanted:
        return False
    AssessmentFactor.objects.filter(assessment=assessment, factor__in=current - wanted).delete()
    for code in sorted(wanted - current):
        factor = AssessmentFactor(assessment=assessment, factor=code)
        factor.full_clean(exclude=["assessment"], validate_constraints=False)
        save_checked(factor)
    return True


def _apply_impressions(assessment: Assessment, items: list[dict[str, object]]) -> bool:
    current = [
        {name: getattr(i, name) for name in IMPRESSION_FIELDS}
        for i in Impression.objects.filter(assessment=assessment).order_by("-is_primary", "pk")
    ]
    wanted = [
        {
            name: item.get(name, cast(models.Field, Impression._meta.get_field(name)).get_default())
            for name in IMPRESSION_FIELDS
        }
        for item in items
    ]
    if current == wanted:
        return False
    Impression.objects.filter(assessment=assessment).delete()
    for position, item in enumerate(wanted):
        impression = Impression(assessment=assessment, is_primary=position == 0, **item)
        impression.full_clean(exclude=["assessment"], validate_constraints=False)
        save_checked(impression)
    return True


@transaction.atomic
def assessment_save_draft(
    *,
    assessment: Assessment,
    by: User,
    expected_version: int,
    changes: DraftChanges,
    now: datetime | None = None,
) -> Assessment:
    """Save a draft's changes under the optimistic lock; returns the saved assessment.

    Refused (nothing written) when the assessment is signed (AssessmentLockedError),
    `by` is not its author (NotAuthorError), or it changed since `expected_version`
    (StaleVersionError). Side effects: writes the changed parts only, recomputes
    derived values, and bumps `version` once if anything changed.
    """
    now = now or timezone.now()
    locked = _lock_for_edit(assessment, by=by, expected_version=expected_version)
    changed = False
    weight_before = locked.body_weight_kg
    if changes.header is not None:
        changed |= _apply_header(locked, changes.header)
    if changes.subjective is not None:
        changed |= _apply_subjective(locked, changes.subjective)
    if changes.factors is not None:
        changed |= _apply_factors(locked, changes.factors)
    if changes.impressions is not None:
        changed |= _apply_impressions(locked, changes.impressions)
    for kind_name, entries in changes.findings.items():
        kind = FINDING_KINDS[kind_name]
        rows = existing_rows(locked, kind)
        for key, data in entries.items():
            if (kind_name, key) not in changes.partial:
                changed |= finding_apply(
                    assessment=locked, kind=kind, key=key, data=data, rows=rows, by=by, now=now
                )
                continue
            try:
                with transaction.atomic():
                    changed |= finding_apply(
                        assessment=locked, kind=kind, key=key, data=data, rows=rows, by=by, now=now
                    )
            except ValidationError as exc:
                changes.refused[(kind_name, key)] = exc.messages
                if key in rows and rows[key].pk is not None:
                    rows[key].refresh_from_db()
    if locked.body_weight_kg != weight_before:
        strength_rederive(assessment=locked, rows=existing_rows(locked, FINDING_KINDS["strength"]))
    if changed:
        locked.version += 1
        locked.full_clean(validate_constraints=False)
        save_checked(locked)
    return locked


def sign_problems(assessment: Assessment) -> list[str]:
    """What is still missing before the assessment can be signed (empty when ready)."""
    problems = []
    subjective = Subjective.objects.filter(assessment=assessment).first()
    if subjective is None or not subjective.is_recorded:
        problems.append("Record the subjective history.")
    if not performed_count(assessment) and not assessment.not_examined_reason.strip():
        problems.append("Record at least one objective finding, or say why the patient was not examined.")
    if not Impression.objects.filter(assessment=assessment).exists():
        problems.append("Give a clinical impression (working diagnosis).")
    return problems


@transaction.atomic
def assessment_sign(*, assessment: Assessment, by: User, expected_version: int | None = None) -> Assessment:
    """Sign the draft: from now on it is read-only (service and database refuse changes).

    Needs the subjective history, at least one objective finding (or a reason
    for not examining) and an impression. Only the author signs.
    Side effects: sets status signed, signed_by, signed_at; bumps version;
    its impressions become the patient's working diagnosis, so the active
    programme's bone-stress state is refreshed (patient_bone_stress_refresh);
    the examination's red flags are raised (assessment_flags_raise).
    """
    locked = _lock_for_edit(assessment, by=by, expected_version=expected_version)
    problems = sign_problems(locked)
    if problems:
        raise AssessmentError(problems, code="incomplete")
    locked.status = AssessmentStatus.SIGNED
    locked.signed_by = by
    locked.signed_at = timezone.now()
    locked.version += 1
    save_checked(locked)
    # Before the refresh, so a bone-stress finding counts at once.
    assessment_flags_raise(assessment=locked, by=by)
    patient_bone_stress_refresh(
        patient_id=locked.patient_id, now=locked.signed_at, by=by, reason="assessment signed"
    )
    return locked


@transaction.atomic
def addendum_add(*, assessment: Assessment, by: User, text: str) -> Addendum:
    """Add a correction or later note to a signed assessment (author and time recorded)."""
    status = Assessment.objects.values_list("status", flat=True).get(pk=assessment.pk)
    if status != AssessmentStatus.SIGNED:
        raise AssessmentError("Addenda are for signed assessments; edit the draft instead.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the addendum's text."})
    addendum = Addendum(assessment=assessment, author=by, text=text)
    addendum.full_clean(exclude=["assessment", "author"], validate_constraints=False)
    save_checked(addendum)
    return addendum
