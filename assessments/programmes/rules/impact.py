"""The zero-impact gate of a suspected bone stress injury (domain.md §8.2, S4), pure.

S4, stress fracture of the hip: "Usually 6 to 8 weeks of zero impact. No
running, no jumping" and "Once the doc clears you—usually with a repeat scan
and no pain—you'll ease back in slowly. Start with walking." So while bone
stress is suspected the gate opens only when both hold: the zero-impact
period (6 weeks by default, 6–8 per programme) has passed since impact
stopped, **and** a clinician's clearance of a return to impact is recorded
(on or after the day impact stopped). A therapist's override with a reason
opens it too (recorded by the service). Without bone stress the gate is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from assessments.programmes.rules._common import Sentence, _, _bool, _date, _int

ZERO_IMPACT_WEEKS_MIN = 6  # S4: "6 to 8 weeks of zero impact"
ZERO_IMPACT_WEEKS_MAX = 8
ZERO_IMPACT_WEEKS_DEFAULT = ZERO_IMPACT_WEEKS_MIN


@dataclass(frozen=True, kw_only=True)
class ImpactGate:
    """Whether impact (running, jumping, hopping) may start.

    `applies` is False without suspected bone stress (the gate is open).
    `impact_from` is the first day after the zero-impact period; `days_left`
    the days until then (0 once passed). `reasons` say, in plain words, what
    is still missing; `ready` is True when nothing is, or when a therapist
    overrode the gate (`overridden`, the reasons then say what was overridden).
    """

    applies: bool
    ready: bool
    impact_from: date | None
    days_left: int
    period_passed: bool
    cleared: bool
    overridden: bool
    reasons: tuple[str, ...]


def zero_impact_end(stopped_on: date, weeks: int) -> date:
    """The first day impact may start: `weeks` whole weeks after impact stopped."""
    _date(stopped_on, "stopped_on")
    _int(weeks, "weeks", ZERO_IMPACT_WEEKS_MIN, ZERO_IMPACT_WEEKS_MAX)
    return stopped_on + timedelta(weeks=weeks)


def impact_gate(
    *,
    bone_stress: bool,
    stopped_on: date,
    weeks: int,
    cleared_on: date | None,
    overridden: bool,
    today: date,
) -> ImpactGate:
    """Is impact allowed today? Only without bone stress, or after the period **and** with clearance.

    A clearance dated before the day impact stopped belongs to an earlier
    episode and does not count.
    """
    _bool(bone_stress, "bone_stress")
    _bool(overridden, "overridden")
    _date(today, "today")
    end = zero_impact_end(stopped_on, weeks)
    if cleared_on is not None:
        _date(cleared_on, "cleared_on")
    if not bone_stress:
        return ImpactGate(
            applies=False,
            ready=True,
            impact_from=None,
            days_left=0,
            period_passed=True,
            cleared=False,
            overridden=False,
            reasons=(),
        )
    days_left = max(0, (end - today).days)
    passed = days_left == 0
    cleared = cleared_on is not None and cleared_on >= stopped_on
    reasons: list[Sentence] = []
    if days_left == 1:
        reasons.append(
            Sentence(
                _(
                    "Bone stress: no impact for {weeks} weeks from {stopped}; 1 day left "
                    "(impact from {end} at the earliest)."
                ),
                weeks=weeks,
                stopped=stopped_on,
                end=end,
            )
        )
    elif not passed:
        reasons.append(
            Sentence(
                _(
                    "Bone stress: no impact for {weeks} weeks from {stopped}; {days} days left "
                    "(impact from {end} at the earliest)."
                ),
                weeks=weeks,
                stopped=stopped_on,
                days=days_left,
                end=end,
            )
        )
    if not cleared:
        reasons.append(
            Sentence(_("Bone stress: no clinician's clearance of a return to impact is recorded yet."))
        )
    return ImpactGate(
        applies=True,
        ready=overridden or not reasons,
        impact_from=end,
        days_left=days_left,
        period_passed=passed,
        cleared=cleared,
        overridden=overridden,
        reasons=tuple(reasons),
    )


def first_impact_week(weeks: int) -> int:
    """The first programme week in which impact can be planned when impact stops at the start."""
    _int(weeks, "weeks", ZERO_IMPACT_WEEKS_MIN, ZERO_IMPACT_WEEKS_MAX)
    return weeks + 1
