"""Writing examination findings: one row per test and side, derived values from measures.py."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from assessments.models import (
    Assessment,
    DoubleLegSquat,
    MuscleLength,
    Observation,
    Palpation,
    RangeOfMotion,
    SingleLegSquat,
    SingleLegStance,
    SpecialTest,
    StrengthTest,
)
from assessments.models.base import Finding
from assessments.record import measures
from assessments.record.choices import (
    HOP_JUMP_CODES,
    LIMB_SIDES,
    RECORDED_SPECIAL_CODES,
    MuscleGroup,
    MuscleLengthTest,
    PalpationSite,
    RomMovement,
)
from clinic.staff.models import User

# Fields every finding takes from the form, besides its own result fields.
COMMON_INPUT = ("performed", "not_performed_reason", "pain_nprs", "familiar_pain", "notes")
_SIDES = tuple(s.value for s in LIMB_SIDES)


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: its model, what identifies a row, and which rows the form offers."""

    name: str
    model: type[Finding]
    key_fields: tuple[str, ...]
    keys: tuple[tuple[str, ...], ...]
    related_name: str
    extra_input: tuple[str, ...] = ()

    @property
    def single(self) -> bool:
        return not self.key_fields

    @property
    def input_fields(self) -> tuple[str, ...]:
        return (*COMMON_INPUT, *self.extra_input, *self.model.result_fields)


def _sided(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple((item, side) for item in items for side in _SIDES)


FINDING_KINDS: dict[str, FindingKind] = {
    kind.name: kind
    for kind in (
        FindingKind("observation", Observation, (), ((),), "observation"),
        FindingKind("double_leg_squat", DoubleLegSquat, (), ((),), "double_leg_squat"),
        FindingKind(
            "single_leg_stance",
            SingleLegStance,
            ("side",),
            tuple((s,) for s in _SIDES),
            "single_leg_stances",
            extra_input=("eyes",),
        ),
        FindingKind(
            "single_leg_squat", SingleLegSquat, ("side",), tuple((s,) for s in _SIDES), "single_leg_squats"
        ),
        FindingKind(
            "strength", StrengthTest, ("muscle_group", "side"), _sided(MuscleGroup.values), "strength_tests"
        ),
        FindingKind(
            "rom", RangeOfMotion, ("movement", "side"), _sided(RomMovement.values), "ranges_of_motion"
        ),
        FindingKind(
            "muscle_length", MuscleLength, ("test", "side"), _sided(MuscleLengthTest.values), "muscle_lengths"
        ),
        FindingKind(
            "special",
            SpecialTest,
            ("test", "side"),
            _sided(c.value for c in RECORDED_SPECIAL_CODES),
            "special_tests",
            extra_input=("bone_stress_reason",),
        ),
        FindingKind("palpation", Palpation, ("site", "side"), _sided(PalpationSite.values), "palpations"),
    )
}


def existing_rows(assessment: Assessment, kind: FindingKind) -> dict[tuple[str, ...], Finding]:
    """The assessment's rows of one kind by key (uses prefetched rows when present)."""
    if kind.single:
        try:
            row = getattr(assessment, kind.related_name)
        except kind.model.DoesNotExist:
            return {}
        return {(): row}
    rows = getattr(assessment, kind.related_name).all()
    return {tuple(getattr(row, f) for f in kind.key_fields): row for row in rows}


def save_checked(row: models.Model, **kwargs: Any) -> None:
    """Save, turning a database constraint violation into its ValidationError message.

    The named constraints are the rules; asking the database once (inside a
    savepoint) is cheaper than Model.validate_constraints, which runs one query
    per constraint, and it covers SQLite's CHECKs as well.
    """
    try:
        with transaction.atomic():
            row.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError(constraint_message(row, exc)) from exc


def constraint_message(row: models.Model, exc: IntegrityError) -> str:
    text = str(exc)
    for constraint in row._meta.constraints:
        if constraint.name in text:
            return str(constraint.get_violation_error_message())
    return f"The database refused this {row._meta.verbose_name}: {text.splitlines()[0]}"


def _derive(kind: FindingKind, row: Finding, *, weight_kg: Decimal | None) -> None:
    """Compute the row's derived columns (never typed) from measures.py."""
    try:
        if isinstance(row, SingleLegStance):
            row.best_time_s = measures.sls_best_time(row.trials) if row.trials else None
            row.closed_best_time_s = measures.sls_best_time(row.closed_trials) if row.closed_trials else None
        elif isinstance(row, SpecialTest) and row.distance_trials:
            # The best of the trials; a distance given without trials (earlier records) stays as given.
            row.distance_cm = measures.hop_best_distance(row.distance_trials)
        elif isinstance(row, SingleLegSquat):
            ratings = {c: getattr(row, c) for c in SingleLegSquat.CRITERIA}
            rated = row.performed and all(ratings.values())
            row.poor_count = measures.single_leg_squat_poor_count(ratings) if rated else None
        elif isinstance(row, StrengthTest):
            row.peak_force_n = force = measures.peak_force(row.trials) if row.trials else None
            lever = row.lever_arm_m
            if force is not None and lever is not None:
                row.torque_nm = measures.torque_nm(force, lever)
                row.torque_nm_per_kg = (
                    measures.torque_nm_per_kg(force, lever, weight_kg) if weight_kg is not None else None
                )
            else:
                row.torque_nm = row.torque_nm_per_kg = None
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def _snapshot(row: models.Model) -> dict[str, object]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def _prepare(kind: FindingKind, data: dict[str, object]) -> dict[str, object]:
    unknown = set(data) - set(kind.input_fields)
    if unknown:
        raise ValueError(f"{kind.name} does not take {sorted(unknown)}")
    values = dict(data)
    values.setdefault("performed", True)
    if not values["performed"]:
        # Not tested: no result, no pain; only the reason and a note remain.
        return {
            "performed": False,
            "not_performed_reason": values.get("not_performed_reason") or "",
            "notes": values.get("notes", ""),
        }
    values["not_performed_reason"] = ""
    nprs = values.get("pain_nprs")
    values["pain_provoked"] = bool(nprs) or bool(values.get("familiar_pain")) or bool(values.get("pain"))
    return values


BONE_STRESS_HOP_MESSAGE = (
    "Bone stress is suspected: do not hop or jump. To record it anyway, give the reason it was done."
)


def _check_hop_with_bone_stress(assessment: Assessment, row: Finding) -> None:
    """A hop or jump while bone stress is suspected needs a recorded reason (domain.md §4.7)."""
    if not (isinstance(row, SpecialTest) and row.performed and row.test in HOP_JUMP_CODES):
        return
    if row.bone_stress_reason.strip():
        return
    from assessments.record.selectors import has_bone_stress  # noqa: PLC0415 -- selectors import this module

    if has_bone_stress(assessment=assessment):
        raise ValidationError({"bone_stress_reason": BONE_STRESS_HOP_MESSAGE})


def finding_apply(
    *,
    assessment: Assessment,
    kind: FindingKind,
    key: tuple[str, ...],
    data: dict[str, object] | None,
    rows: dict[tuple[str, ...], Finding],
    by: User,
    now: datetime,
) -> bool:
    """Create, change or remove one row (data None = not recorded). Returns True if anything changed.

    Side effects: saves or deletes the row and keeps `rows` current. A row
    that would be unchanged is not written, so autosave adds no history noise.
    """
    if key not in kind.keys:
        raise ValueError(f"{kind.name} has no row {key!r}")
    existing = rows.get(key)
    if data is None:
        if existing is None:
            return False
        existing.delete()
        del rows[key]
        return True
    values: dict[str, Any] = _prepare(kind, data)
    # Every kind's model has an assessment and its own key fields (the type knows only the base).
    new_fields: dict[str, Any] = {"assessment": assessment, **dict(zip(kind.key_fields, key, strict=True))}
    row = existing or kind.model(**new_fields)
    before = _snapshot(row) if existing is not None else None
    blank = kind.model()
    for name in kind.input_fields:
        if name in ("pain_provoked",):
            continue
        setattr(row, name, values.get(name, getattr(blank, name)))
    row.pain_provoked = values.get("pain_provoked", False)
    _derive(kind, row, weight_kg=assessment.body_weight_kg)
    if before is not None and _snapshot(row) == before:
        return False
    _check_hop_with_bone_stress(assessment, row)
    row.clinician = by
    row.performed_at = now
    row.full_clean(exclude=["assessment"], validate_constraints=False)
    save_checked(row)
    rows[key] = row
    return True


def strength_rederive(*, assessment: Assessment, rows: dict[tuple[str, ...], Finding]) -> None:
    """Recompute torque per kg after the body weight changed."""
    kind = FINDING_KINDS["strength"]
    for finding in rows.values():
        row = cast(StrengthTest, finding)  # the strength kind's rows
        before = row.torque_nm_per_kg
        _derive(kind, row, weight_kg=assessment.body_weight_kg)
        if row.torque_nm_per_kg != before:
            row.save(update_fields=["peak_force_n", "torque_nm", "torque_nm_per_kg"])


def performed_count(assessment: Assessment) -> int:
    """How many tests were done (rows with results), over every kind."""
    return sum(
        1
        for kind in FINDING_KINDS.values()
        for row in existing_rows(assessment, kind).values()
        if row.performed
    )
