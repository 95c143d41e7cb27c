"""The training timeline: the weeks of the log with their load, pain, events, patterns and alerts (a selector).

One read of the log (selectors.training_entries, four queries), then the pure
rules: `load.weekly_load` for the weeks, `patterns.find_patterns` for the
sentences, `alerts.training_alerts` for what stands today. The therapist's
page and the patient's page show the same timeline, each in its own words.

Events marked on the timeline (the clinic's choice of what to mark):
- new shoes: the first run in a pair (its first-run day, or its first logged run);
- speed work added: a week with tempo, interval, hill or race runs after a week without;
- life stress: a body check-in with stress 7/10 or more, or an illness;
- flare-up: a week whose worst pain (during, evening or next morning) is 5/10
  or more after a week below it (or without pain scores).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from django.conf import settings

from assessments.programmes.charts import Chart, Series
from assessments.training.alerts import (
    ACWR_ALERT_ABOVE,
    ShoeInfo,
    TrainingAlert,
    shoe_over_limit,
    training_alerts,
)
from assessments.training.charts import Marker
from assessments.training.choices import INTENSITY_TYPES
from assessments.training.load import (
    ACWR_WINDOW_DAYS,
    BodyEntry,
    RunEntry,
    WeekLoad,
    days_since_rest,
    format_distance,
    monday_of,
    to_unit,
    weekly_load,
    weeks_since_cutback,
)
from assessments.training.patterns import Pattern, find_patterns
from assessments.training.selectors import training_entries
from clinic.dates import format_date
from patients.models import Patient

TIMELINE_WEEKS = 16
STRESS_HIGH = 7
FLARE_UP_PAIN = 5

EVENT_SYMBOLS = {"new_shoes": "S", "speed_work": "Q", "life_stress": "L", "flare_up": "F"}


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    text: str  # the therapist's wording
    patient_text: str  # plain, second person


@dataclass(frozen=True)
class TimelineWeek:
    load: WeekLoad
    label: str
    distance: Decimal  # in the patient's unit
    longest: Decimal
    events: tuple[Event, ...]
    complete: bool = True  # False for this week, still going

    @property
    def is_cutback(self) -> bool:
        """A cutback week, once it is over (a week just begun always looks like one)."""
        return self.complete and self.load.is_cutback

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.load.duration_s) / 3600).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ShoeLine:
    shoe: ShoeInfo
    distance: str
    due: bool
    left: str | None  # what is left before the replacement distance


@dataclass
class Timeline:
    unit: str
    today: date
    weeks: list[TimelineWeek]
    distance_chart: Chart
    pain_chart: Chart
    acwr_chart: Chart
    markers: list[Marker]
    patterns: list[Pattern]
    alerts: list[TrainingAlert]
    shoes: list[ShoeLine]
    days_since_rest: int | None
    weeks_since_cutback: int | None
    runs: int
    events: list[Event] = field(default_factory=list)

    @property
    def has_runs(self) -> bool:
        return self.runs > 0

    @property
    def cutbacks(self) -> tuple[bool, ...]:
        return tuple(w.is_cutback for w in self.weeks)

    @property
    def this_week(self) -> TimelineWeek | None:
        return self.weeks[-1] if self.weeks else None


def _label(day: date) -> str:
    return format_date(day, "short")


def _day_text(day: date) -> str:
    return format_date(day, "weekday_short")


def timeline_events(
    *, weeks: list[WeekLoad], runs: list[RunEntry], body: list[BodyEntry], shoes: list[ShoeInfo]
) -> list[Event]:
    """The events of the timeline's weeks, by day (see the module docstring)."""
    if not weeks:
        return []
    first, last = weeks[0].week_start, weeks[-1].week_end
    events: list[Event] = []
    for shoe in shoes:
        if shoe.first_run_on is not None and first <= shoe.first_run_on <= last:
            events.append(
                Event(
                    shoe.first_run_on,
                    "new_shoes",
                    f"New shoes: {shoe.name} (first run {_day_text(shoe.first_run_on)}).",
                    f"You started running in new shoes, {shoe.name}.",
                )
            )
    for before, week in pairwise(weeks):
        if week.intensity_sessions and not before.intensity_sessions:
            day = min(
                r.day
                for r in runs
                if week.week_start <= r.day <= week.week_end and r.session_type in INTENSITY_TYPES
            )
            events.append(
                Event(
                    day,
                    "speed_work",
                    f"Speed work added: {week.intensity_sessions} tempo, interval, hill or race "
                    f"run{'s' if week.intensity_sessions != 1 else ''} in the week of {_label(week.week_start)}.",
                    "You added faster or hill running this week.",
                )
            )
        pain, pain_before = week.max_pain, before.max_pain
        if (
            pain is not None
            and pain >= FLARE_UP_PAIN
            and (pain_before is None or pain_before < FLARE_UP_PAIN)
        ):
            events.append(
                Event(
                    week.week_start,
                    "flare_up",
                    f"Flare-up: worst pain {pain}/10 in the week of {_label(week.week_start)}"
                    + (f" (the week before: {pain_before}/10)." if pain_before is not None else "."),
                    f"Your hip flared up this week (worst pain {pain}/10).",
                )
            )
    for entry in body:
        if not first <= entry.day <= last:
            continue
        if entry.illness:
            events.append(
                Event(entry.day, "life_stress", f"Unwell on {_day_text(entry.day)}.", "You were unwell.")
            )
        elif entry.stress is not None and entry.stress >= STRESS_HIGH:
            events.append(
                Event(
                    entry.day,
                    "life_stress",
                    f"Stress {entry.stress}/10 on {_day_text(entry.day)}.",
                    f"A stressful day ({entry.stress}/10).",
                )
            )
    return sorted(events, key=lambda e: (e.day, e.kind))


def _first_of_kind_per_week(events: list[Event], weeks: list[WeekLoad]) -> list[Marker]:
    """One marker per kind and week (the first event's text, with how many more)."""
    index_of = {w.week_start: i for i, w in enumerate(weeks)}
    grouped: dict[tuple[int, str], list[Event]] = {}
    for event in events:
        grouped.setdefault((index_of[monday_of(event.day)], event.kind), []).append(event)
    markers = []
    for (index, kind), items in sorted(grouped.items()):
        more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
        markers.append(Marker(index, kind, EVENT_SYMBOLS[kind], items[0].text + more))
    return markers


def timeline(patient: Patient, *, today: date, unit: str, weeks: int = TIMELINE_WEEKS) -> Timeline:
    """The patient's last `weeks` weeks of log up to `today` (the weeks before are read for the ACWR)."""
    first_week = monday_of(today) - timedelta(weeks=weeks - 1)
    runs, sessions, body, shoes = training_entries(
        patient, since=first_week - timedelta(days=ACWR_WINDOW_DAYS)
    )
    loads = weekly_load(runs=runs, sessions=sessions, first_week=first_week, last_week=today)
    limit_m = settings.SHOE_REPLACEMENT_KM * 1000
    events = timeline_events(weeks=loads, runs=runs, body=body, shoes=shoes)
    by_week: dict[date, list[Event]] = {}
    for event in events:
        by_week.setdefault(monday_of(event.day), []).append(event)
    rows = [
        TimelineWeek(
            w,
            _label(w.week_start),
            to_unit(w.distance_m, unit).quantize(Decimal("0.1")),
            to_unit(w.longest_m, unit).quantize(Decimal("0.1")),
            tuple(by_week.get(w.week_start, ())),
            w.week_end < today,
        )
        for w in loads
    ]
    labels = tuple(r.label for r in rows)
    distance_chart = Chart(
        "training-distance",
        "Weekly running distance",
        f"Distance run each week ({unit}), Monday to Sunday, from the training log; lighter bars are cutback "
        "weeks, letters above the bars mark events: S new shoes, Q speed work added, L life stress or illness, "
        "F flare-up.",
        labels,
        (Series("distance", "Distance", tuple(r.distance for r in rows)),),
        unit=unit,
    )
    pain_chart = Chart(
        "training-pain",
        "Pain with running",
        "The week's worst pain during a run, that evening and the next morning (0–10), from the training log.",
        labels,
        (
            Series("during", "During", tuple(w.max_pain_during for w in loads)),
            Series("evening", "That evening", tuple(w.max_pain_evening for w in loads)),
            Series("morning", "Next morning", tuple(w.max_pain_next_morning for w in loads)),
        ),
        unit="/10",
        y_max=10,
    )
    ratios = tuple(w.acwr for w in loads)
    acwr_chart = Chart(
        "training-acwr",
        "Acute:chronic load",
        "The week's distance ÷ the average week of the 3 weeks before it, read on each Sunday (1 = an average "
        f"week); the shaded band is above {ACWR_ALERT_ABOVE}, where an alert is raised. No value before 4 "
        "weeks of log.",
        labels,
        (Series("acwr", "Acute:chronic ratio", ratios),),
        y_max=max([Decimal(2), *[r for r in ratios if r is not None]]),
    )
    shoe_lines = []
    for shoe in shoes:
        if shoe.retired_on is not None:
            continue
        due = shoe_over_limit(shoe, limit_m=limit_m)
        shoe_lines.append(
            ShoeLine(
                shoe,
                format_distance(shoe.distance_m, unit),
                due,
                None if due else format_distance(limit_m - shoe.distance_m, unit),
            )
        )
    return Timeline(
        unit=unit,
        today=today,
        weeks=rows,
        distance_chart=distance_chart,
        pain_chart=pain_chart,
        acwr_chart=acwr_chart,
        markers=_first_of_kind_per_week(events, loads),
        patterns=find_patterns(weeks=loads, runs=runs, body=body, shoes={s.id: s for s in shoes}, unit=unit),
        alerts=training_alerts(
            weeks=loads, runs=runs, shoes=shoes, today=today, shoe_limit_m=limit_m, unit=unit
        ),
        shoes=shoe_lines,
        days_since_rest=days_since_rest(runs=runs, today=today),
        weeks_since_cutback=weeks_since_cutback(loads),
        runs=sum(w.runs for w in loads),
        events=events,
    )
