"""Alerts from the runner's training log (docs/clinical-rules.md, "Training load and patterns"); pure.

Each alert has a code (the programme alert kind it raises), a message with the
numbers behind it, a severity ("urgent", "warning" or "info") and a key that
names the week (its Monday) or the pair of shoes it is about, so the same
alert is raised once. Like every §8.3 rule these are warnings, never blocks.

- `training_ten_percent` (warning): this week's distance so far, or last
  week's, is more than 10 % above the week before (the §8.3 rule of
  `assessments.record.measures.load_rise_flagged`, read from `WeekLoad`).
- `training_acwr` (warning): the acute:chronic ratio of the 7 days up to today
  is above 1.5 (uncoupled rolling averages, `load.acwr_reading`).
- `training_pain_rising` (warning): the week's worst pain of the log (during,
  that evening or next morning) rose two weeks in a row: the last three weeks
  with a pain answer, each higher than the one before, the latest this week or
  last week. The same rule as the programme status reads from the weekly
  check-ins (`assessments.programmes.rules.status`, `worst_pain_rising`).
- `training_shoes` (info): a pair not retired whose distance (starting
  distance + logged runs) has reached the clinic's replacement distance
  (`SHOE_REPLACEMENT_KM`, 480–800 km: 300–500 mi [S2]).
- `training_no_cutback` (info): none of the last 5 complete weeks, each with
  running, was a cutback week (`load.WeekLoad.is_cutback`); the advice is one
  every 3–4 weeks [S4], so the 5th week without one is past it.
- `training_onset_earlier` (urgent): pain started earlier in each of at least
  3 successive painful runs (`load.onset_getting_earlier`), the latest in the
  last 28 days: the bone-stress warning of S4.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from assessments.programmes.rules.status import worst_pain_rising
from assessments.training.load import (
    RunEntry,
    WeekLoad,
    acwr_reading,
    format_distance,
    monday_of,
    onset_getting_earlier,
    week_distance,
)

ACWR_ALERT_ABOVE = Decimal("1.5")
NO_CUTBACK_WEEKS = 5
RECENT_DAYS = 28  # how far back a trend's latest run may be and still alert

URGENT = "urgent"
WARNING = "warning"
INFO = "info"

TEN_PERCENT = "training_ten_percent"
ACWR = "training_acwr"
PAIN_RISING = "training_pain_rising"
SHOES = "training_shoes"
NO_CUTBACK = "training_no_cutback"
ONSET_EARLIER = "training_onset_earlier"


@dataclass(frozen=True)
class TrainingAlert:
    """One alert: `key` names what it is about ("2026-11-23" a week's Monday, "shoe-7" a pair)."""

    code: str
    message: str
    severity: str
    key: str = ""


@dataclass(frozen=True)
class ShoeInfo:
    """A pair of shoes: `distance_m` is the total, starting distance included; retired pairs never alert."""

    id: int
    name: str
    distance_m: int
    first_run_on: date | None
    retired_on: date | None = None


def shoe_over_limit(shoe: ShoeInfo, *, limit_m: int) -> bool:
    """The pair has reached the replacement distance (at or above `limit_m`)."""
    if isinstance(limit_m, bool) or not isinstance(limit_m, int) or limit_m <= 0:
        raise ValueError(f"limit_m must be a whole number above 0, got {limit_m!r}")
    return shoe.distance_m >= limit_m


def training_alerts(
    *,
    weeks: Sequence[WeekLoad],
    runs: Sequence[RunEntry],
    shoes: Sequence[ShoeInfo],
    today: date,
    shoe_limit_m: int,
    unit: str = "km",
) -> list[TrainingAlert]:
    """The alerts that stand today, most urgent first. `weeks` come from `load.weekly_load`, oldest first."""
    runs = [r for r in runs if r.day <= today]
    this_monday = monday_of(today)
    by_start = {w.week_start: w for w in weeks}
    alerts: list[TrainingAlert] = []

    trend = onset_getting_earlier(runs)
    if trend is not None and trend.points[-1].day >= today - timedelta(days=RECENT_DAYS):
        if trend.by == "time":
            where = ", ".join(f"{_minutes(p.onset_s)} on {_day(p.day)}" for p in trend.points)
        else:
            where = ", ".join(
                f"{'about ' if p.estimated else ''}{format_distance(p.estimated_m, unit)} on {_day(p.day)}"
                for p in trend.points
            )
        alerts.append(
            TrainingAlert(
                ONSET_EARLIER,
                f"Pain came on earlier in each of the last {trend.runs} painful runs ({where}): the pain of a bone "
                "stress injury shows up earlier and earlier in each run. Review before the next run.",
                URGENT,
                trend.points[-1].day.isoformat(),
            )
        )

    for week in (by_start.get(this_monday), by_start.get(this_monday - timedelta(days=7))):
        if week is not None and week.over_ten_percent:
            before = week_distance(runs=runs, week=week.week_start - timedelta(days=7))
            so_far = " so far" if week.week_start == this_monday else ""
            alerts.append(
                TrainingAlert(
                    TEN_PERCENT,
                    f"Weekly distance in the week of {_day(week.week_start)} is {format_distance(week.distance_m, unit)}"
                    f"{so_far}, up {week.change_pct} % on the week before "
                    f"({format_distance(before, unit)}): more than the 10 % rule allows.",
                    WARNING,
                    week.week_start.isoformat(),
                )
            )
            break

    reading = acwr_reading(runs=runs, day=today)
    if reading is not None and reading.ratio > ACWR_ALERT_ABOVE:
        alerts.append(
            TrainingAlert(
                ACWR,
                f"Acute:chronic load {reading.ratio}: {format_distance(reading.acute_m, unit)} in the last 7 days "
                f"against an average week of {format_distance(reading.chronic_week_m, unit)} in the 3 weeks "
                f"before (alert above {ACWR_ALERT_ABOVE}).",
                WARNING,
                this_monday.isoformat(),
            )
        )

    answered = [w for w in weeks if w.week_start <= this_monday and w.max_pain is not None]
    rising = worst_pain_rising([w.max_pain for w in answered if w.max_pain is not None])
    if rising is not None and answered[-1].week_start >= this_monday - timedelta(days=7):
        a, b, c = rising
        alerts.append(
            TrainingAlert(
                PAIN_RISING,
                f"The week's worst pain in the training log has risen two weeks in a row ({a} → {b} → {c}/10, "
                f"weeks of {_day(answered[-3].week_start)} to {_day(answered[-1].week_start)}).",
                WARNING,
                answered[-1].week_start.isoformat(),
            )
        )

    complete = [w for w in weeks if w.week_end < today][-NO_CUTBACK_WEEKS:]
    if (
        len(complete) == NO_CUTBACK_WEEKS
        and _consecutive(complete)
        and all(w.runs > 0 for w in complete)
        and not any(w.is_cutback for w in complete)
    ):
        distances = ", ".join(format_distance(w.distance_m, unit) for w in complete)
        alerts.append(
            TrainingAlert(
                NO_CUTBACK,
                f"No cutback week in the last {NO_CUTBACK_WEEKS} weeks ({_day(complete[0].week_start)} to "
                f"{_day(complete[-1].week_end)}: {distances}); a lighter week every 3–4 weeks is advised.",
                INFO,
                complete[-1].week_start.isoformat(),
            )
        )

    for shoe in shoes:
        if shoe.retired_on is None and shoe_over_limit(shoe, limit_m=shoe_limit_m):
            alerts.append(
                TrainingAlert(
                    SHOES,
                    f"The shoes “{shoe.name}” have done {format_distance(shoe.distance_m, unit)}, past the "
                    f"replacement distance of {format_distance(shoe_limit_m, unit)}.",
                    INFO,
                    f"shoe-{shoe.id}",
                )
            )
    return alerts


def _consecutive(weeks: Sequence[WeekLoad]) -> bool:
    return all(b.week_start - a.week_start == timedelta(days=7) for a, b in itertools.pairwise(weeks))


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _minutes(seconds: int | None) -> str:
    minutes = round((seconds or 0) / 60)
    return f"{minutes} min"
