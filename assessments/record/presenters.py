"""How the record reads: findings as short text, derived values, and the re-assessment comparison.

Pure formatting over loaded rows (no queries beyond what selectors loaded).
"""

from dataclasses import dataclass
from decimal import Decimal

from assessments.models import Assessment
from assessments.record.choices import (
    IMPACT_SECTION_CODES,
    LIMB_SIDES,
    MuscleGroup,
    MuscleLengthTest,
    PalpationSite,
    RomMovement,
    SpecialTestCode,
)
from assessments.record.measures import mmt_rank, sls_reached_cap
from assessments.record.selectors import hop_lsi, primary_impression, sls_norm, strength_lsi
from assessments.record.services.findings import FINDING_KINDS, existing_rows

SIDES = [s.value for s in LIMB_SIDES]


TIGHT_UNITS = ("°", "/5")


def num(value: Decimal | int | None, unit: str = "") -> str:
    """A stored number as typed (Decimal keeps its places: LSI 92.0 %), with its unit."""
    if value is None:
        return ""
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit in TIGHT_UNITS else f"{text} {unit}"


def _pain(row: object) -> str:
    parts = []
    if row.pain_nprs is not None:
        parts.append(f"pain {row.pain_nprs}/10")
    elif row.pain_provoked:
        parts.append("pain")
    if row.familiar_pain:
        parts.append("familiar")
    return ", ".join(parts)


def finding_text(row: object | None) -> str:
    """One cell of the record as a short line ("—" when not recorded)."""
    if row is None:
        return "—"
    if not row.performed:
        text = f"Not tested ({row.get_not_performed_reason_display().lower()})"
        return f"{text}: {row.notes}" if row.notes else text
    kind = type(row).__name__
    parts: list[str] = []
    if kind == "SingleLegStance":
        if row.best_time_s is not None:
            parts.append(_stance(row.best_time_s, row.trials, row.max_s))
        if row.eyes != "open":
            parts.append("eyes closed")
        if row.closed_best_time_s is not None:
            parts.append("eyes closed " + _stance(row.closed_best_time_s, row.closed_trials, row.max_s))
        if row.max_s is not None:
            parts.append(f"cap {row.max_s} s")
        if row.trendelenburg:
            parts.append(f"Trendelenburg: {row.get_trendelenburg_display().lower()}")
        parts += [label for label, on in (("trunk lean", row.trunk_lean), ("wobble", row.wobble)) if on]
    elif kind == "SingleLegSquat":
        poor = [c.replace("_", " ") for c in row.CRITERIA if getattr(row, c) == "poor"]
        parts.append(f"{row.poor_count}/5 poor" + (f" ({', '.join(poor)})" if poor else ""))
        if row.trendelenburg_during_squat:
            parts.append("Trendelenburg during squat")
    elif kind == "StrengthTest":
        if row.mmt_grade:
            parts.append(f"MMT {row.mmt_grade}")
        if row.peak_force_n is not None:
            hhd = f"{num(row.peak_force_n)} N ({row.get_position_display().lower()})"
            if row.torque_nm_per_kg is not None:
                hhd += f", {num(row.torque_nm_per_kg)} N·m/kg"
            elif row.torque_nm is not None:
                hhd += f", {num(row.torque_nm)} N·m"
            parts.append(hhd)
    elif kind == "RangeOfMotion":
        parts.append(f"{row.degrees}°")
        if row.end_range_pain:
            parts.append("end-range pain")
    elif kind == "SpecialTest":
        if row.result:
            parts.append(row.get_result_display())
        if row.hops_completed is not None:
            parts.append(f"{row.hops_completed} hops")
        if row.distance_cm is not None and row.distance_trials:
            trials = ", ".join(num(t) for t in row.distance_trials)
            parts.append(f"best {num(row.distance_cm)} cm (trials {trials})")
        elif row.distance_cm is not None:
            parts.append(f"{num(row.distance_cm)} cm")
        if row.completed is not None:
            parts.append("completed" if row.completed else "not completed")
        if row.pain_site:
            parts.append(row.pain_site)
        if row.bone_stress_reason:
            parts.append(f"done with suspected bone stress: {row.bone_stress_reason}")
    elif kind == "MuscleLength":
        parts.append(f"{row.get_rating_display()} length")
        if row.pain:
            parts.append("pain on stretch")
    elif kind == "Palpation":
        parts.append(f"{row.get_tenderness_display()} tenderness")
    # Muscle length says "pain on stretch" itself.
    pain = _pain(row) if kind != "MuscleLength" else ""
    if pain:
        parts.append(pain)
    if row.notes:
        parts.append(row.notes)
    return "; ".join(parts)


def _stance(best: Decimal, trials: list, cap: int | None) -> str:
    """Best stance time and trials; a hold stopped at the cap reads "≥ cap"."""
    listed = ", ".join(num(t) for t in trials)
    if cap is not None and sls_reached_cap(best, cap):
        return f"best ≥ {cap} s (reached the cap; trials {listed})"
    return f"best {num(best)} s (trials {listed})"


@dataclass
class Line:
    label: str
    left: str
    right: str
    extra: str = ""
    flagged: bool = False
    key: str = ""


def sided_lines(assessment: Assessment, kind: str, items: dict[str, str]) -> list[Line]:
    rows = existing_rows(assessment, FINDING_KINDS[kind])
    lines = []
    for item, label in items.items():
        left, right = rows.get((item, "left")), rows.get((item, "right"))
        if left is None and right is None:
            continue
        lines.append(Line(label, finding_text(left), finding_text(right), key=item))
    return lines


def record_sections(assessment: Assessment) -> dict[str, object]:
    """The examination as the read-only page and the printed summary show it."""
    lsis = {lsi.key: lsi for lsi in strength_lsi(assessment)}
    strength = sided_lines(assessment, "strength", dict(MuscleGroup.choices))
    for line in strength:
        lsi = lsis.get(line.key)
        if lsi is not None:
            line.extra = lsi_text(lsi)
            line.flagged = lsi.flagged
    sls_rows = existing_rows(assessment, FINDING_KINDS["single_leg_stance"])
    slsq_rows = existing_rows(assessment, FINDING_KINDS["single_leg_squat"])
    hop = hop_lsi(assessment)
    return {
        "sls": [Line("Single-leg stance", *(finding_text(sls_rows.get((s,))) for s in SIDES))]
        if sls_rows
        else [],
        "sls_norm": sls_norm(assessment) if sls_rows else None,
        "slsq": [Line("Single-leg squat", *(finding_text(slsq_rows.get((s,))) for s in SIDES))]
        if slsq_rows
        else [],
        "strength": strength,
        "rom": sided_lines(assessment, "rom", dict(RomMovement.choices)),
        "muscle_length": sided_lines(assessment, "muscle_length", dict(MuscleLengthTest.choices)),
        "special": sided_lines(
            assessment,
            "special",
            {c.value: c.label for c in SpecialTestCode if c not in IMPACT_SECTION_CODES},
        ),
        "impact": sided_lines(assessment, "special", {c.value: c.label for c in IMPACT_SECTION_CODES}),
        "hop_lsi": lsi_text(hop) if hop else "",
        "palpation": sided_lines(assessment, "palpation", dict(PalpationSite.choices)),
    }


def lsi_text(lsi: object) -> str:
    if lsi.percent is None:
        return lsi.note
    return f"LSI {num(lsi.percent)} %" + (" (below 90 %)" if lsi.flagged else "")


def derived_values(assessment: Assessment) -> dict[str, str]:
    """Derived values by key, for the form's data-derived slots (updated after each autosave)."""
    values: dict[str, str] = {}
    norm = sls_norm(assessment)
    if norm.norm_s is not None:
        values["sls-norm"] = f"Norm for age {norm.age}: {num(norm.norm_s)} s (eyes open, best of 3)"
    for (side,), row in existing_rows(assessment, FINDING_KINDS["single_leg_stance"]).items():
        if row.performed and row.best_time_s is not None:
            text = _stance(row.best_time_s, row.trials, row.max_s).split(" (")[0]
            if norm.below.get(side):
                text += " · below norm"
            elif side in norm.not_comparable:
                text += " · capped, not comparable with the norm"
            if row.closed_best_time_s is not None:
                text += f" · eyes closed {num(row.closed_best_time_s)} s"
            values[f"sls-{side}"] = text
    for (side,), row in existing_rows(assessment, FINDING_KINDS["single_leg_squat"]).items():
        if row.performed and row.poor_count is not None:
            values[f"slsq-{side}"] = f"{row.poor_count}/5 poor"
    for (group, side), row in existing_rows(assessment, FINDING_KINDS["strength"]).items():
        if row.performed and row.peak_force_n is not None:
            text = f"peak {num(row.peak_force_n)} N"
            if row.torque_nm_per_kg is not None:
                text += f" · {num(row.torque_nm_per_kg)} N·m/kg"
            elif row.torque_nm is not None:
                text += f" · {num(row.torque_nm)} N·m"
            values[f"str-{group}-{side}"] = text
    for lsi in strength_lsi(assessment):
        values[f"lsi-{lsi.key}"] = lsi_text(lsi)
    hop = hop_lsi(assessment)
    if hop is not None:
        values["lsi-hop"] = lsi_text(hop)
    return values


def derived_flags(assessment: Assessment) -> set[str]:
    """Keys of derived values that are flagged (LSI under 90 %, stance under the norm)."""
    flags = {f"lsi-{lsi.key}" for lsi in strength_lsi(assessment) if lsi.flagged}
    flags |= {f"sls-{side}" for side, below in sls_norm(assessment).below.items() if below}
    hop = hop_lsi(assessment)
    if hop is not None and hop.flagged:
        flags.add("lsi-hop")
    return flags


# --- Comparison with the previous signed assessment (§8.6) ---------------------------


@dataclass
class Change:
    section: str
    label: str
    before: str
    after: str
    delta: str = ""
    trend: str = ""  # "better", "worse" or "" (no judgement)


def _numeric_change(
    section: str,
    label: str,
    before: Decimal | int | None,
    after: Decimal | int | None,
    unit: str,
    *,
    higher_is_better: bool | None,
) -> Change | None:
    if before is None and after is None:
        return None
    change = Change(section, label, num(before, unit) or "—", num(after, unit) or "—")
    if before is not None and after is not None:
        diff = Decimal(after) - Decimal(before)
        change.delta = ("+" if diff > 0 else "") + num(diff, unit) if diff else "no change"
        if diff and higher_is_better is not None:
            change.trend = "better" if (diff > 0) == higher_is_better else "worse"
    return change


def comparison(previous: Assessment, current: Assessment) -> list[Change]:
    """What changed since the previous signed assessment (e.g. LSI 78 % → 92 %)."""
    changes: list[Change | None] = [
        _numeric_change(
            "Pain",
            "At rest (NPRS)",
            previous.pain_rest_nprs,
            current.pain_rest_nprs,
            "",
            higher_is_better=False,
        ),
        _numeric_change(
            "Pain",
            "Most provocative test (NPRS)",
            previous.pain_provocative_nprs,
            current.pain_provocative_nprs,
            "",
            higher_is_better=False,
        ),
    ]
    before_lsi = {lsi.key: lsi for lsi in strength_lsi(previous)}
    for lsi in strength_lsi(current):
        old = before_lsi.get(lsi.key)
        changes.append(
            _numeric_change(
                "Strength LSI",
                lsi.label,
                old.percent if old else None,
                lsi.percent,
                "%",
                higher_is_better=True,
            )
        )
    prev_hop, cur_hop = hop_lsi(previous), hop_lsi(current)
    if prev_hop or cur_hop:
        changes.append(
            _numeric_change(
                "Hop for distance",
                "LSI",
                prev_hop.percent if prev_hop else None,
                cur_hop.percent if cur_hop else None,
                "%",
                higher_is_better=True,
            )
        )
    changes.append(_leg_length_change(previous, current))
    changes.append(_c_sign_change(previous, current))
    changes += _sided_changes(previous, current)
    before_primary, after_primary = primary_impression(previous), primary_impression(current)
    if before_primary or after_primary:
        b = before_primary.get_code_display() if before_primary else "—"
        a = after_primary.get_code_display() if after_primary else "—"
        changes.append(Change("Impression", "Primary", b, a, "" if a == b else "changed"))
    return [c for c in changes if c is not None and (c.before != "—" or c.after != "—")]


def _leg_length_change(previous: Assessment, current: Assessment) -> Change | None:
    def difference(assessment: Assessment) -> Decimal | None:
        rows = existing_rows(assessment, FINDING_KINDS["observation"])
        row = rows.get(())
        return row.leg_length_diff_cm if row is not None and row.performed else None

    return _numeric_change(
        "Observation",
        "Leg length difference",
        difference(previous),
        difference(current),
        "cm",
        higher_is_better=None,
    )


def _c_sign_change(previous: Assessment, current: Assessment) -> Change | None:
    def sign(assessment: Assessment) -> str:
        row = existing_rows(assessment, FINDING_KINDS["observation"]).get(())
        return row.c_sign if row is not None and row.performed else ""

    before, after = sign(previous), sign(current)
    if not before or not after or before == after:
        return None
    trend = "better" if after == "negative" else "worse"
    return Change("Observation", "C-sign", before.capitalize(), after.capitalize(), "changed", trend)


def _pairs(
    previous: Assessment, current: Assessment, kind: str
) -> list[tuple[tuple[str, ...], object, object]]:
    """Rows done in both assessments, by key: (key, before, now)."""
    before, after = existing_rows(previous, FINDING_KINDS[kind]), existing_rows(current, FINDING_KINDS[kind])
    return [
        (key, before[key], row)
        for key, row in after.items()
        if row.performed and key in before and before[key].performed
    ]


def _sided_changes(previous: Assessment, current: Assessment) -> list[Change | None]:
    changes: list[Change | None] = []
    metrics = (
        ("single_leg_stance", "Single-leg stance", lambda r: r.best_time_s, "s", True),
        ("single_leg_stance", "Single-leg stance eyes closed", lambda r: r.closed_best_time_s, "s", True),
        ("single_leg_squat", "Single-leg squat poor criteria", lambda r: r.poor_count, "/5", False),
    )
    for kind, section, value, unit, better in metrics:
        before, after = (
            existing_rows(previous, FINDING_KINDS[kind]),
            existing_rows(current, FINDING_KINDS[kind]),
        )
        for side in SIDES:
            b, a = before.get((side,)), after.get((side,))
            changes.append(
                _numeric_change(
                    section,
                    side.capitalize(),
                    value(b) if b and b.performed else None,
                    value(a) if a and a.performed else None,
                    unit,
                    higher_is_better=better,
                )
            )
    for (group, side), old, row in _pairs(previous, current, "strength"):
        if row.mmt_grade and old.mmt_grade and old.mmt_grade != row.mmt_grade:
            trend = "better" if mmt_rank(row.mmt_grade) > mmt_rank(old.mmt_grade) else "worse"
            label = f"{MuscleGroup(group).label}, {side}"
            changes.append(Change("Strength MMT", label, old.mmt_grade, row.mmt_grade, "changed", trend))
    for (movement, side), old, row in _pairs(previous, current, "rom"):
        if old.degrees != row.degrees:
            label = f"{RomMovement(movement).label}, {side}"
            changes.append(
                _numeric_change(
                    "Range of motion", label, old.degrees, row.degrees, "°", higher_is_better=None
                )
            )
    for (test, side), old, row in _pairs(previous, current, "muscle_length"):
        if old.rating != row.rating or old.pain != row.pain:
            label = f"{MuscleLengthTest(test).label}, {side}"
            trend = ""
            if old.rating != row.rating:
                trend = "better" if row.rating == "normal" else "worse"
            changes.append(
                Change("Muscle length", label, finding_text(old), finding_text(row), "changed", trend)
            )
    for (test, side), old, row in _pairs(previous, current, "special"):
        label = f"{SpecialTestCode(test).label}, {side}"
        if test == SpecialTestCode.HOP_DISTANCE:
            changes.append(
                _numeric_change(
                    "Hop for distance",
                    f"best, {side}",
                    old.distance_cm,
                    row.distance_cm,
                    "cm",
                    higher_is_better=True,
                )
            )
        if old.completed is not None and row.completed is not None and old.completed != row.completed:
            trend = "better" if row.completed else "worse"
            changes.append(
                Change("Impact screen", label, finding_text(old), finding_text(row), "changed", trend)
            )
        if test in IMPACT_SECTION_CODES and (old.pain_nprs is not None or row.pain_nprs is not None):
            changes.append(
                _numeric_change(
                    "Impact screen pain", label, old.pain_nprs, row.pain_nprs, "", higher_is_better=False
                )
            )
        if row.result and old.result and old.result != row.result:
            trend = "better" if row.result == "negative" else "worse"
            changes.append(
                Change(
                    "Special tests",
                    label,
                    old.get_result_display(),
                    row.get_result_display(),
                    "changed",
                    trend,
                )
            )
    return changes
