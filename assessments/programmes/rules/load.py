"""Week-on-week load of the return to run (domain.md §8.3), pure: runs above the plan, the 10 % distance rise.

- Runs above the plan: the plan's runs a week keep the rest days between
  runs (rules.runs). Runs logged beyond the planned number in a week are
  flagged, and only the first planned runs of the week (in date order)
  count towards moving up the ladder: extra runs never earn a step.
- 10 % rule: `(this_week_km − last_week_km) ÷ last_week_km > 0.10` warns the
  therapist and the patient (assessments.record.measures.load_rise_flagged,
  exactly 10 % is not flagged; no comparison after a week without distance).
  Like every §8.3 rule these are warnings, never blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assessments.programmes.rules._common import Sentence, _, _date, _decimal, _fmt, _int, _sequence
from assessments.record.measures import load_rise_flagged, weekly_load_change_percent


@dataclass(frozen=True)
class LoggedRun:
    """One run of the training log: its day, distance (km) and minutes (walk breaks included)."""

    day: date
    km: Decimal
    minutes: int

    def __post_init__(self) -> None:
        _date(self.day, "day")
        object.__setattr__(self, "km", _decimal(self.km, "km", Decimal(0), Decimal(100)))
        _int(self.minutes, "minutes", 1, 600)


@dataclass(frozen=True)
class CountedRuns:
    """A week's runs split into those that count towards the ladder and the extra ones."""

    counted: tuple[LoggedRun, ...]
    extra: tuple[LoggedRun, ...]

    @property
    def counted_minutes(self) -> Decimal:
        return Decimal(sum(r.minutes for r in self.counted))


def counted_runs(runs: Sequence[LoggedRun], *, planned_per_week: int) -> CountedRuns:
    """The first `planned_per_week` runs of the week (by day, then as logged) count; the rest are extra."""
    _int(planned_per_week, "planned_per_week", 1, 7)
    items: list[LoggedRun] = []
    for run in _sequence(runs, "runs"):
        if not isinstance(run, LoggedRun):
            raise ValueError(f"expected LoggedRun items, got {run!r}")
        items.append(run)
    ordered = sorted(items, key=lambda r: r.day)  # stable: same-day runs keep their logged order
    return CountedRuns(tuple(ordered[:planned_per_week]), tuple(ordered[planned_per_week:]))


def runs_over_plan_warning(run_count: int, *, planned_per_week: int, week_label: str) -> str | None:
    """The warning for a week with more runs than planned, else None."""
    _int(run_count, "run_count", 0, 50)
    _int(planned_per_week, "planned_per_week", 1, 7)
    extra = run_count - planned_per_week
    if extra <= 0:
        return None
    return (
        f"{run_count} runs were logged in {week_label}; the plan is {planned_per_week} a week, with rest days "
        f"between runs. The {extra} extra run{'s' if extra != 1 else ''} do{'es' if extra == 1 else ''} not "
        "count towards moving up."
    )


def distance_rise_warning(this_week_km: Decimal, last_week_km: Decimal) -> Sentence | None:
    """The §8.3 10 % warning when this week's distance rose more than 10 % over last week's, else None."""
    this_week = _decimal(this_week_km, "this_week_km", Decimal(0), Decimal(700))
    last_week = _decimal(last_week_km, "last_week_km", Decimal(0), Decimal(700))
    if not load_rise_flagged(this_week, last_week):
        return None
    change = weekly_load_change_percent(this_week, last_week)
    return Sentence(
        # "10 % in" is no format directive (makemessages would flag it and break the compile).
        # xgettext:no-python-format
        _(
            "Weekly running distance rose from {last} to {this} km (+{change} %), more than "
            "10 % in a week: keep next week's distance the same or lower."
        ),
        last=_fmt(last_week),
        this=_fmt(this_week),
        change=change or Decimal(0),  # last week is not 0 here
    )
