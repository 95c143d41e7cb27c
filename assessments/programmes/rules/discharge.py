"""The week-4 review trigger and the discharge criteria (domain.md §8.6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from assessments.programmes.rules._common import (
    LEFS_DISCHARGE_SCORE,
    LEFS_MAX,
    LEFS_MCID,
    NPRS_MUCH_BETTER,
    PSFS_MDC,
    RUN_PAIN_SAFE_MAX,
    SLS_CRITERIA_COUNT,
    SLS_POOR_MAX,
    Number,
    _decimal,
    _int,
    _optional_bool,
    _optional_pain,
    _sequence,
)
from assessments.record.measures import lsi_flagged

# --- Re-assessment and discharge (§8.6) -------------------------------------


def week4_review_needed(lefs_change: Number, psfs_mean_change: Number, nprs_change: Number) -> bool:
    """Return True when the week-4 re-assessment shows no meaningful change on any measure.

    §8.6 says "LEFS < +9, PSFS < +2 and NPRS < −2 all hold". Changes are
    follow-up − baseline, so an NPRS improvement is negative and "NPRS < −2"
    is read as "NPRS has not improved by 2 points" (§7.2 "much better").
    Review (diagnosis, imaging, onward referral) when all three hold:
    LEFS change < 9 AND PSFS mean change < 2 AND NPRS change > −2.
    Reaching exactly +9, +2 or −2 counts as improvement.
    """
    lefs = _decimal(lefs_change, "lefs_change", Decimal(-LEFS_MAX), Decimal(LEFS_MAX))
    psfs = _decimal(psfs_mean_change, "psfs_mean_change", Decimal(-10), Decimal(10))
    nprs = _decimal(nprs_change, "nprs_change", Decimal(-10), Decimal(10))
    return lefs < LEFS_MCID and psfs < PSFS_MDC and nprs > -NPRS_MUCH_BETTER


@dataclass(frozen=True)
class DischargeCriterion:
    """One discharge criterion: met True/False, or None when not assessed."""

    code: str
    label: str
    met: bool | None


# (code, label) in display order.
DISCHARGE_CRITERIA: tuple[tuple[str, str], ...] = (
    ("RUN_PAIN", f"Pain during running {RUN_PAIN_SAFE_MAX}/10 or less, with no increase the next morning"),
    ("RUN_30_CONTINUOUS", "30 minutes of continuous running completed"),
    ("STRENGTH_LSI", "Strength limb symmetry 90 % or more in every muscle group tested"),
    ("HOP_LSI", "Hop test limb symmetry 90 % or more (if tested)"),
    ("SL_SQUAT", f"Single-leg squat: {SLS_POOR_MAX} or fewer of the 5 criteria rated poor"),
    ("LEFS", f"LEFS improved by {LEFS_MCID} points or more, or at least {LEFS_DISCHARGE_SCORE}/{LEFS_MAX}"),
    ("PSFS_GOALS", "PSFS goals met"),
    ("RED_FLAGS", "No open red flags"),
    ("MAINTENANCE_PLAN", "Maintenance strength plan issued (twice a week)"),
)


def _lsi_met(values: object, name: str) -> bool | None:
    items = _sequence(values, name)
    if not items:
        return None
    # lsi_flagged validates each value and applies the 90 % pass mark.
    return not any(lsi_flagged(_decimal(v, name, Decimal(0))) for v in items)


def discharge_criteria(
    *,
    run_pain_max: int | None,
    next_morning_pain: int | None,
    baseline_morning_pain: int | None,
    continuous_30_min_done: bool | None,
    strength_lsi: Sequence[Number],
    hop_lsi: Sequence[Number],
    sls_poor_count: int | None,
    lefs_baseline: int | None,
    lefs_latest: int | None,
    open_red_flags: int,
    psfs_goals_met: bool | None = None,
    maintenance_plan_issued: bool | None = None,
) -> tuple[DischargeCriterion, ...]:
    """Return the §8.6 discharge criteria in a fixed order, each met / unmet / not assessed.

    - RUN_PAIN: run pain ≤ 3/10 and next-morning pain not above the usual
      morning level (missing usual level = 0); None without both pains.
    - RUN_30_CONTINUOUS: as recorded.
    - STRENGTH_LSI / HOP_LSI: every LSI given ≥ 90 %; None when none given.
    - SL_SQUAT: poor criteria (0–5) ≤ 1 on the index side.
    - LEFS: latest ≥ 70/80, or latest − baseline ≥ 9; None without a latest
      score, or below 70 without a baseline.
    - PSFS_GOALS, MAINTENANCE_PLAN: as recorded.
    - RED_FLAGS: no open red flags from any source (intake, check-in,
      examination, clinician); always assessed, and discharge is refused
      while one is open.
    """
    run_pain = _optional_pain(run_pain_max, "run_pain_max")
    morning = _optional_pain(next_morning_pain, "next_morning_pain")
    usual = _optional_pain(baseline_morning_pain, "baseline_morning_pain") or 0
    run_pain_met = (
        None if run_pain is None or morning is None else run_pain <= RUN_PAIN_SAFE_MAX and morning <= usual
    )

    sls = None if sls_poor_count is None else _int(sls_poor_count, "sls_poor_count", 0, SLS_CRITERIA_COUNT)
    baseline = None if lefs_baseline is None else _int(lefs_baseline, "lefs_baseline", 0, LEFS_MAX)
    latest = None if lefs_latest is None else _int(lefs_latest, "lefs_latest", 0, LEFS_MAX)
    lefs_met: bool | None
    if latest is None:
        lefs_met = None
    elif latest >= LEFS_DISCHARGE_SCORE:
        lefs_met = True
    elif baseline is None:
        lefs_met = None
    else:
        lefs_met = latest - baseline >= LEFS_MCID

    met: dict[str, bool | None] = {
        "RUN_PAIN": run_pain_met,
        "RUN_30_CONTINUOUS": _optional_bool(continuous_30_min_done, "continuous_30_min_done"),
        "STRENGTH_LSI": _lsi_met(strength_lsi, "strength_lsi"),
        "HOP_LSI": _lsi_met(hop_lsi, "hop_lsi"),
        "SL_SQUAT": None if sls is None else sls <= SLS_POOR_MAX,
        "LEFS": lefs_met,
        "PSFS_GOALS": _optional_bool(psfs_goals_met, "psfs_goals_met"),
        "RED_FLAGS": _int(open_red_flags, "open_red_flags", 0, 100) == 0,
        "MAINTENANCE_PLAN": _optional_bool(maintenance_plan_issued, "maintenance_plan_issued"),
    }
    return tuple(DischargeCriterion(code, label, met[code]) for code, label in DISCHARGE_CRITERIA)
