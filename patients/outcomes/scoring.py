"""Outcome-measure scoring for NPRS, LEFS, PSFS and HOOS.

These are the clinic's outcome-score rules from domain.md §7 (7.2-7.5), written
as pure functions over item-level answers: no Django, no database access. Every
invalid input raises ``ValueError``; callers store the item answers and compute
scores here, never from hand-typed totals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "HOOS_SUBSCALES",
    "LEFS_ITEMS",
    "LEFS_MCID",
    "PSFS_MAX_ACTIVITIES",
    "LefsChange",
    "LefsClassification",
    "NprsChange",
    "NprsClassification",
    "PsfsChange",
    "lefs_change",
    "nprs_change",
    "psfs_change",
    "score_hoos",
    "score_lefs",
    "score_psfs",
]

LEFS_ITEMS = 20
LEFS_MCID = 9
PSFS_MAX_ACTIVITIES = 5
# Subscale name -> (item count, minimum answered items under the 2013 rule).
HOOS_SUBSCALES: dict[str, tuple[int, int]] = {
    "pain": (10, 5),
    "symptoms": (5, 3),
    "adl": (17, 9),
    "sport": (4, 2),
    "qol": (4, 2),
}

_NPRS_MAX = 10
_LEFS_ITEM_MAX = 4
_PSFS_RATING_MAX = 10
_PSFS_MEAN_MDC = 2
_PSFS_ACTIVITY_MDC = 3
_HOOS_ITEM_MAX = 4

# NPRS improvement thresholds [R1]: (points, percent of baseline).
_NPRS_MUCH_BETTER = (2, 33)
_NPRS_MINIMAL = (1, 15)

NprsClassification = Literal["much_better", "minimal", "no_change_or_worse"]
LefsClassification = Literal[
    "clinically_important_improvement",
    "clinically_important_worsening",
    "no_important_change",
]


@dataclass(frozen=True, slots=True)
class NprsChange:
    change: int
    percent: Decimal | None
    classification: NprsClassification


@dataclass(frozen=True, slots=True)
class LefsChange:
    change: int
    classification: LefsClassification


@dataclass(frozen=True, slots=True)
class PsfsChange:
    mean_change: Decimal
    per_activity: tuple[int, ...]
    improved: bool


def _round_half_up(value: Fraction, places: int) -> Decimal:
    # Round the exact rational value, so a true half (e.g. 90.625) always rounds
    # away from zero instead of depending on float or Decimal precision.
    scaled = abs(value) * 10**places
    rounded = int(scaled + Fraction(1, 2))
    sign = -1 if value < 0 else 1
    return Decimal(sign * rounded).scaleb(-places)


def _check_int(value: object, low: int, high: int, what: str) -> int:
    # bool is a subclass of int, but True/False is never a valid score.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be an integer {low}-{high}, got {value!r}")
    return value


# Wrong container types raise ValueError too (not TypeError), so callers handle
# every bad answer set with a single except clause.
def _as_tuple(values: object, what: str) -> tuple[object, ...]:
    if not isinstance(values, Sequence) or isinstance(values, (str, bytes)):
        raise ValueError(f"{what} must be a sequence, got {type(values).__name__}")
    return tuple(values)


def _psfs_ratings(ratings: Sequence[int]) -> tuple[int, ...]:
    values = _as_tuple(ratings, "PSFS ratings")
    if not 1 <= len(values) <= PSFS_MAX_ACTIVITIES:
        raise ValueError(f"PSFS needs 1 to {PSFS_MAX_ACTIVITIES} activities, got {len(values)}")
    return tuple(
        _check_int(v, 0, _PSFS_RATING_MAX, f"PSFS activity {i}") for i, v in enumerate(values, start=1)
    )


def nprs_change(baseline: int, follow_up: int) -> NprsChange:
    """Compare two 0-10 pain scores (§7.2); a decrease is an improvement."""
    baseline = _check_int(baseline, 0, _NPRS_MAX, "NPRS baseline")
    follow_up = _check_int(follow_up, 0, _NPRS_MAX, "NPRS follow-up")
    change = follow_up - baseline
    improvement = -change

    if baseline == 0:
        percent = None
        improvement_pct = None
    else:
        exact_pct = Fraction(change * 100, baseline)
        percent = _round_half_up(exact_pct, 1)
        # Thresholds use the exact percentage, not the 1 dp display value.
        improvement_pct = -exact_pct

    def reaches(threshold: tuple[int, int]) -> bool:
        points, pct = threshold
        if improvement <= 0:
            return False
        return improvement >= points or (improvement_pct is not None and improvement_pct >= pct)

    classification: NprsClassification
    if reaches(_NPRS_MUCH_BETTER):
        classification = "much_better"
    elif reaches(_NPRS_MINIMAL):
        classification = "minimal"
    else:
        classification = "no_change_or_worse"
    return NprsChange(change=change, percent=percent, classification=classification)


def score_lefs(items: Sequence[int]) -> int:
    """Sum the 20 LEFS items (each 0-4) into a 0-80 total (§7.3)."""
    values = _as_tuple(items, "LEFS items")
    # No missing-item rule exists for LEFS, so all 20 answers are required.
    if len(values) != LEFS_ITEMS:
        raise ValueError(f"LEFS needs exactly {LEFS_ITEMS} items, got {len(values)}")
    return sum(_check_int(v, 0, _LEFS_ITEM_MAX, f"LEFS item {i}") for i, v in enumerate(values, start=1))


def lefs_change(baseline: Sequence[int], follow_up: Sequence[int]) -> LefsChange:
    """Classify the LEFS total change against the 9-point MCID (§7.3)."""
    change = score_lefs(follow_up) - score_lefs(baseline)
    classification: LefsClassification
    if change >= LEFS_MCID:
        classification = "clinically_important_improvement"
    elif change <= -LEFS_MCID:
        classification = "clinically_important_worsening"
    else:
        classification = "no_important_change"
    return LefsChange(change=change, classification=classification)


def score_psfs(ratings: Sequence[int]) -> Decimal:
    """Mean of 1-5 activity ratings (each 0-10), to 2 dp (§7.4).

    The clinic's minimum of 3 activities is enforced by the form, not here.
    """
    values = _psfs_ratings(ratings)
    return _round_half_up(Fraction(sum(values), len(values)), 2)


def psfs_change(baseline: Sequence[int], follow_up: Sequence[int]) -> PsfsChange:
    """Compare PSFS ratings of the same activities, in the same order (§7.4)."""
    before = _psfs_ratings(baseline)
    after = _psfs_ratings(follow_up)
    if len(before) != len(after):
        raise ValueError(
            "PSFS follow-up must re-rate the same activities: "
            f"{len(before)} at baseline, {len(after)} at follow-up"
        )
    per_activity = tuple(new - old for old, new in zip(before, after, strict=True))
    # Exact change of the means, rounded once for display.
    exact_mean_change = Fraction(sum(per_activity), len(per_activity))
    improved = exact_mean_change >= _PSFS_MEAN_MDC or any(c >= _PSFS_ACTIVITY_MDC for c in per_activity)
    return PsfsChange(
        mean_change=_round_half_up(exact_mean_change, 2),
        per_activity=per_activity,
        improved=improved,
    )


def score_hoos(
    answers: Mapping[str, Sequence[int | None]],
) -> dict[str, Decimal | None]:
    """Score the five HOOS subscales 0-100, 100 = no problems (§7.5).

    ``answers`` maps each subscale in ``HOOS_SUBSCALES`` to its items in form
    order, with ``None`` for an unanswered item (a double tick must already be
    resolved to the worse answer). A subscale with fewer answered items than
    its minimum scores ``None``.
    """
    if not isinstance(answers, Mapping):
        raise ValueError(f"HOOS answers must be a mapping, got {type(answers).__name__}")
    missing = sorted(set(HOOS_SUBSCALES) - set(answers))
    unexpected = sorted(map(repr, set(answers) - set(HOOS_SUBSCALES)))
    if missing or unexpected:
        raise ValueError(f"HOOS subscales wrong: missing {missing}, unexpected {unexpected}")

    scores: dict[str, Decimal | None] = {}
    for name, (item_count, min_answered) in HOOS_SUBSCALES.items():
        values = _as_tuple(answers[name], f"HOOS {name}")
        if len(values) != item_count:
            raise ValueError(f"HOOS {name} needs {item_count} items (None if unanswered), got {len(values)}")
        answered = [
            _check_int(v, 0, _HOOS_ITEM_MAX, f"HOOS {name} item {i}")
            for i, v in enumerate(values, start=1)
            if v is not None
        ]
        if len(answered) < min_answered:
            scores[name] = None
            continue
        # 100 - (mean / 4 * 100), kept exact until the final rounding.
        mean = Fraction(sum(answered), len(answered))
        scores[name] = _round_half_up(100 - mean / _HOOS_ITEM_MAX * 100, 2)
    return scores
