"""Training load of the runner's log, week by week (docs/clinical-rules.md, "Training load and patterns").

Pure: plain frozen dataclasses in and out, no Django, no database. Distances are
metres and times seconds (stored so), pace is never stored; weeks run Monday to
Sunday and every week of a range is listed, empty weeks included.

- Weekly distance and time, number of runs and the longest run.
- Week-on-week change and the 10 % rule: the one definition in
  `assessments.record.measures` (`weekly_load_change_percent`,
  `load_rise_flagged`: a rise of more than 10 % over last week's distance;
  exactly 10 % is not flagged; no comparison after a week without running).
- Acute:chronic workload ratio (ACWR) on running distance, **uncoupled rolling
  averages**: acute = the distance of the 7 days ending on the day; chronic =
  the mean weekly distance of the 21 days before them (days 8–28 back), so the
  ratio reads 28 days of log. Why this variant: in the coupled ratio the acute
  week is also part of the chronic average, which correlates the two by
  construction and squeezes the ratio (it can never pass 4; a week after three
  empty ones reads 4.0 however small) — Lolli et al., Br J Sports Med 2019
  ("mathematical coupling"); Windt & Gabbett, Br J Sports Med 2019. An
  exponentially weighted average (Williams et al., Br J Sports Med 2017) needs
  a seed value and weeks of warm-up, and no therapist can check it by hand; the
  rolling uncoupled ratio is "this week ÷ an average week of the three before",
  readable beside the bars. Uncoupled ratios read higher than coupled ones in a
  build-up (1.5 uncoupled ≈ 1.29 coupled), so the 1.5 alert of alerts.py fires
  earlier than the coupled literature's "danger zone" (Gabbett, Br J Sports Med
  2016): a cautious choice for runners in rehab, the clinic's to confirm. No
  ratio before 28 days of log (the first logged run, or `log_start`), nor when
  the chronic weeks hold no running (a return after a break: the 10 % rule and
  the ladder govern it).
- Monotony (Foster 1998, Med Sci Sports Exerc 30:1164): the week's mean daily
  distance ÷ the standard deviation of its 7 daily distances (rest days are 0;
  population SD, the 7 days are the whole week). None for a week without
  running or with every day the same (SD 0, undefined).
- Longest-run share: the longest run as a percentage of the week's distance.
- Intensity mix: runs of the week that are tempo, intervals, hills or race
  (`assessments.training.choices.INTENSITY_TYPES`); strength sessions counted
  beside them.
- Cutback week: a week at least 20 % below the mean of the 3 weeks before it
  (all three inside the log, their mean above 0; a week without running counts).
  The seeds advise one every 3–4 weeks [S4] and give no size: 20 % is the
  clinic's choice, the lower end of the 20–30 % reductions coaches advise.
- Days since a rest day: how many days in a row, up to today (or yesterday
  while today has no run yet), have a run.
- Onset getting earlier: pain starting earlier into the run over at least 3
  successive painful runs [S4: "the pain shows up earlier and earlier in each
  run"], the bone-stress warning.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from assessments.record.measures import load_rise_flagged, weekly_load_change_percent
from assessments.training.choices import INTENSITY_TYPES, SessionKind

KM = 1000
MILE_M = 1609.344
UNITS = ("km", "mi")
MILE_M_EXACT = Decimal("1609.344")

ACUTE_DAYS = 7
CHRONIC_WEEKS = 3  # uncoupled: the 3 weeks before the acute week
ACWR_WINDOW_DAYS = ACUTE_DAYS * (CHRONIC_WEEKS + 1)  # 28
CUTBACK_DROP_PCT = 20  # the clinic's choice (no seed gives a size)
CUTBACK_BASE_WEEKS = 3
ONSET_MIN_RUNS = 3  # successive painful runs with the onset coming earlier

_TWO_DP = Decimal("0.01")
_ONE_DP = Decimal("0.1")


# --- Entries (what the selector builds from the log) ---------------------------------------


@dataclass(frozen=True)
class RunEntry:
    """One logged or imported run; pain scores 0–10, onset in metres or seconds into the run."""

    day: date
    distance_m: int
    duration_s: int
    session_type: str = "easy"
    surface: str = "road"
    shoe_id: int | None = None
    pain_during: int | None = None
    pain_onset_m: int | None = None
    pain_onset_s: int | None = None
    pain_evening: int | None = None
    pain_next_morning: int | None = None
    started_at: datetime | None = None

    def __post_init__(self) -> None:
        _day(self.day, "day")
        _whole(self.distance_m, "distance_m", 1)
        _whole(self.duration_s, "duration_s", 1)
        for name in ("pain_during", "pain_evening", "pain_next_morning"):
            value = getattr(self, name)
            if value is not None:
                _whole(value, name, 0, 10)
        for name in ("pain_onset_m", "pain_onset_s"):
            value = getattr(self, name)
            if value is not None:
                _whole(value, name, 0)

    @property
    def worst_pain(self) -> int | None:
        """The highest of the run's pain scores (during, that evening, next morning), None if none given."""
        scores = [p for p in (self.pain_during, self.pain_evening, self.pain_next_morning) if p is not None]
        return max(scores) if scores else None


@dataclass(frozen=True)
class SessionEntry:
    """A strength or cross-training session."""

    day: date
    kind: str
    minutes: int

    def __post_init__(self) -> None:
        _day(self.day, "day")
        _whole(self.minutes, "minutes", 1, 600)


@dataclass(frozen=True)
class BodyEntry:
    """The daily body check-in: hip 0–10 (0 no pain), sleep hours and quality 1–5, stress 0–10."""

    day: date
    hip_feel: int | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    stress: int | None = None
    illness: bool = False
    cycle_day: int | None = None

    def __post_init__(self) -> None:
        _day(self.day, "day")
        if self.hip_feel is not None:
            _whole(self.hip_feel, "hip_feel", 0, 10)
        if self.stress is not None:
            _whole(self.stress, "stress", 0, 10)
        if self.sleep_quality is not None:
            _whole(self.sleep_quality, "sleep_quality", 1, 5)
        if self.cycle_day is not None:
            _whole(self.cycle_day, "cycle_day", 1, 60)
        if self.sleep_hours is not None and not 0 <= self.sleep_hours <= 16:
            raise ValueError(f"sleep_hours must be between 0 and 16, got {self.sleep_hours!r}")


@dataclass(frozen=True)
class WeekLoad:
    """One Monday-to-Sunday week of running.

    `change_pct` is the % change over the week before (1 dp, None after a week
    without running); `acwr` is read on the week's Sunday; `monotony` to 2 dp;
    `longest_run_share` is a percentage (1 dp) of the week's distance.
    """

    week_start: date
    distance_m: int
    duration_s: int
    runs: int
    longest_m: int
    change_pct: Decimal | None
    over_ten_percent: bool
    acwr: Decimal | None
    monotony: Decimal | None
    longest_run_share: Decimal | None
    intensity_sessions: int
    strength_sessions: int
    is_cutback: bool
    max_pain_during: int | None
    max_pain_evening: int | None
    max_pain_next_morning: int | None

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def max_pain(self) -> int | None:
        """The week's worst pain of any kind (during, evening, next morning), None if none given."""
        scores = [
            p
            for p in (self.max_pain_during, self.max_pain_evening, self.max_pain_next_morning)
            if p is not None
        ]
        return max(scores) if scores else None


@dataclass(frozen=True)
class OnsetPoint:
    """Where pain started in one run: metres into it (estimated from time at the run's pace if so marked)."""

    day: date
    onset_m: int | None
    onset_s: int | None
    distance_m: int
    estimated_m: int
    estimated: bool


@dataclass(frozen=True)
class OnsetTrend:
    """Successive painful runs, oldest first, each with pain starting earlier than the one before.

    `by` says what was compared: "distance" (every run gave metres), "time"
    (every run gave seconds) or "estimated distance" (a mix: seconds turned
    into metres at the run's average pace).
    """

    points: tuple[OnsetPoint, ...]
    by: str

    @property
    def runs(self) -> int:
        return len(self.points)

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(p.day for p in self.points)


# --- Units ---------------------------------------------------------------------------------


def to_unit(distance_m: int, unit: str) -> Decimal:
    """Metres as km or miles (1 mi = 1609.344 m, domain.md §0), 2 dp."""
    _whole(distance_m, "distance_m", 0)
    if unit == "km":
        value = Decimal(distance_m) / KM
    elif unit == "mi":
        value = Decimal(distance_m) / MILE_M_EXACT
    else:
        raise ValueError(f"unit must be km or mi, got {unit!r}")
    return value.quantize(_TWO_DP, rounding=ROUND_HALF_UP)


def from_unit(value: Decimal, unit: str) -> int:
    """Km or miles as whole metres (half up)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"value must be a Decimal, got {value!r}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"value must be a distance of 0 or more, got {value!r}")
    if unit == "km":
        metres = amount * KM
    elif unit == "mi":
        metres = amount * MILE_M_EXACT
    else:
        raise ValueError(f"unit must be km or mi, got {unit!r}")
    return int(metres.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_distance(distance_m: int, unit: str) -> str:
    """A distance for sentences: "48.3 km", "30 mi" (1 dp, no trailing .0)."""
    _whole(distance_m, "distance_m", 0)
    if unit not in UNITS:
        raise ValueError(f"unit must be km or mi, got {unit!r}")
    per_unit = Decimal(KM) if unit == "km" else MILE_M_EXACT
    # One rounding, from the metres (not from to_unit's 2 dp).
    value = (Decimal(distance_m) / per_unit).quantize(_ONE_DP, rounding=ROUND_HALF_UP)
    text = format(value, "f")
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text} {unit}"


# --- Weeks ---------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    """The Monday starting the week of `day`."""
    _day(day, "day")
    return day - timedelta(days=day.weekday())


def weekly_load(
    *,
    runs: Sequence[RunEntry],
    sessions: Sequence[SessionEntry] = (),
    first_week: date,
    last_week: date,
    log_start: date | None = None,
) -> list[WeekLoad]:
    """Every week from the week of `first_week` to the week of `last_week`, oldest first, empty weeks included.

    Runs before `first_week` are read for the change, the ACWR and the cutback
    of the first weeks. The log starts at `log_start`, or at the first run.
    """
    first = monday_of(first_week)
    last = monday_of(last_week)
    if last < first:
        raise ValueError(f"last_week {last_week} is before first_week {first_week}")
    items = _runs(runs)
    daily = _daily_distance(items)
    start = _log_start(items, log_start)
    by_week: dict[date, list[RunEntry]] = {}
    for run in items:
        by_week.setdefault(monday_of(run.day), []).append(run)
    strength: dict[date, int] = {}
    for session in sessions:
        if not isinstance(session, SessionEntry):
            raise ValueError(f"expected SessionEntry items, got {session!r}")
        if session.kind == SessionKind.STRENGTH:
            week = monday_of(session.day)
            strength[week] = strength.get(week, 0) + 1

    weeks: list[WeekLoad] = []
    week = first
    while week <= last:
        week_runs = by_week.get(week, [])
        distance = sum(r.distance_m for r in week_runs)
        previous = _week_distance(daily, week - timedelta(days=7))
        this_km, last_km = Decimal(distance) / KM, Decimal(previous) / KM
        longest = max((r.distance_m for r in week_runs), default=0)
        weeks.append(
            WeekLoad(
                week_start=week,
                distance_m=distance,
                duration_s=sum(r.duration_s for r in week_runs),
                runs=len(week_runs),
                longest_m=longest,
                change_pct=weekly_load_change_percent(this_km, last_km),
                over_ten_percent=load_rise_flagged(this_km, last_km),
                acwr=_acwr(daily, week + timedelta(days=6), start),
                monotony=_monotony([daily.get(week + timedelta(days=i), 0) for i in range(7)]),
                longest_run_share=(_percent(longest, distance) if distance else None),
                intensity_sessions=sum(1 for r in week_runs if r.session_type in INTENSITY_TYPES),
                strength_sessions=strength.get(week, 0),
                is_cutback=_is_cutback(daily, week, start),
                max_pain_during=_max(r.pain_during for r in week_runs),
                max_pain_evening=_max(r.pain_evening for r in week_runs),
                max_pain_next_morning=_max(r.pain_next_morning for r in week_runs),
            )
        )
        week += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class AcwrReading:
    """The ratio and what it divides: the 7 days' distance, and the mean week of the 21 days before."""

    day: date
    acute_m: int
    chronic_week_m: int
    ratio: Decimal


def acwr_reading(*, runs: Sequence[RunEntry], day: date, log_start: date | None = None) -> AcwrReading | None:
    """The uncoupled ACWR of the 7 days ending on `day` with its parts (module docstring), None when not computable."""
    _day(day, "day")
    items = _runs(runs)
    daily = _daily_distance(items)
    ratio = _acwr(daily, day, _log_start(items, log_start))
    if ratio is None:
        return None
    chronic_total = _sum_days(daily, day - timedelta(days=ACUTE_DAYS), ACUTE_DAYS * CHRONIC_WEEKS)
    return AcwrReading(
        day=day,
        acute_m=_sum_days(daily, day, ACUTE_DAYS),
        chronic_week_m=round(chronic_total / CHRONIC_WEEKS),
        ratio=ratio,
    )


def acwr_on(*, runs: Sequence[RunEntry], day: date, log_start: date | None = None) -> Decimal | None:
    """The uncoupled ACWR (2 dp) of the 7 days ending on `day` (module docstring), None when not computable."""
    reading = acwr_reading(runs=runs, day=day, log_start=log_start)
    return None if reading is None else reading.ratio


def week_distance(*, runs: Sequence[RunEntry], week: date) -> int:
    """The metres run in the Monday-to-Sunday week of `week`."""
    return _week_distance(_daily_distance(_runs(runs)), monday_of(week))


def days_since_rest(*, runs: Sequence[RunEntry], today: date) -> int | None:
    """Days in a row with a run up to today (from yesterday while today has no run yet); None with no runs.

    0: yesterday (or today) was a rest day. A streak that reaches back to the
    first logged run is counted from there (the days before are not in the log).
    """
    _day(today, "today")
    items = [r for r in _runs(runs) if r.day <= today]
    if not items:
        return None
    ran = {r.day for r in items}
    first = min(ran)
    day = today if today in ran else today - timedelta(days=1)
    streak = 0
    while day >= first and day in ran:
        streak += 1
        day -= timedelta(days=1)
    return streak


def weeks_since_cutback(weeks: Sequence[WeekLoad]) -> int | None:
    """Weeks after the latest cutback week (0 when the last week is one); None when none of `weeks` is one."""
    for count, week in enumerate(reversed(weeks)):
        if week.is_cutback:
            return count
    return None


def onset_getting_earlier(runs: Sequence[RunEntry]) -> OnsetTrend | None:
    """Pain starting earlier in each of the latest successive painful runs (at least 3), else None.

    Painful runs are runs with pain during (1–10) or an onset point; a
    pain-free run (pain during 0) ends the sequence, runs without a pain answer
    are passed over, and so are painful runs whose onset was not given. Onsets
    compare in metres when every run gave metres, in seconds when every run gave
    seconds, else in metres with seconds turned into metres at the run's
    average pace. Each must be strictly earlier than the one before.
    """
    points: list[OnsetPoint] = []
    for run in reversed(_runs(runs)):
        painful = (run.pain_during is not None and run.pain_during > 0) or (
            run.pain_onset_m is not None or run.pain_onset_s is not None
        )
        if not painful:
            if run.pain_during == 0:
                break
            continue
        if run.pain_onset_m is None and run.pain_onset_s is None:
            continue
        points.append(_onset_point(run))
    points.reverse()  # oldest first
    best: OnsetTrend | None = None
    # The longest trailing sequence that keeps getting earlier.
    for length in range(ONSET_MIN_RUNS, len(points) + 1):
        tail = points[-length:]
        by = _onset_basis(tail)
        values = [_onset_value(p, by) for p in tail]
        if all(later < earlier for earlier, later in itertools.pairwise(values)):
            best = OnsetTrend(points=tuple(tail), by=by)
        else:
            break
    return best


# --- Internals ------------------------------------------------------------------------------


def _onset_point(run: RunEntry) -> OnsetPoint:
    if run.pain_onset_m is not None:
        estimated_m, estimated = run.pain_onset_m, False
    else:
        # Only runs with an onset point get here: seconds at the run's average pace.
        estimated_m = round((run.pain_onset_s or 0) * run.distance_m / run.duration_s)
        estimated = True
    return OnsetPoint(
        day=run.day,
        onset_m=run.pain_onset_m,
        onset_s=run.pain_onset_s,
        distance_m=run.distance_m,
        estimated_m=estimated_m,
        estimated=estimated,
    )


def _onset_basis(points: Sequence[OnsetPoint]) -> str:
    if all(p.onset_m is not None for p in points):
        return "distance"
    if all(p.onset_s is not None for p in points):
        return "time"
    return "estimated distance"


def _onset_value(point: OnsetPoint, by: str) -> int:
    if by == "time" and point.onset_s is not None:
        return point.onset_s
    return point.estimated_m


def _runs(runs: Iterable[RunEntry]) -> list[RunEntry]:
    if isinstance(runs, str | bytes):
        raise ValueError("runs must be a sequence of RunEntry")
    items = list(runs)
    for run in items:
        if not isinstance(run, RunEntry):
            raise ValueError(f"expected RunEntry items, got {run!r}")
    # Stable: runs of the same day without a start time keep the order given.
    return sorted(items, key=lambda r: (r.day, r.started_at.timestamp() if r.started_at else -math.inf))


def _daily_distance(runs: Iterable[RunEntry]) -> dict[date, int]:
    daily: dict[date, int] = {}
    for run in runs:
        daily[run.day] = daily.get(run.day, 0) + run.distance_m
    return daily


def _log_start(runs: Sequence[RunEntry], log_start: date | None) -> date | None:
    if log_start is not None:
        return _day(log_start, "log_start")
    return min((r.day for r in runs), default=None)


def _sum_days(daily: Mapping[date, int], last: date, days: int) -> int:
    return sum(daily.get(last - timedelta(days=i), 0) for i in range(days))


def _week_distance(daily: Mapping[date, int], monday: date) -> int:
    return _sum_days(daily, monday + timedelta(days=6), 7)


def _acwr(daily: Mapping[date, int], day: date, start: date | None) -> Decimal | None:
    if start is None or start > day - timedelta(days=ACWR_WINDOW_DAYS - 1):
        return None
    acute = _sum_days(daily, day, ACUTE_DAYS)
    chronic_total = _sum_days(daily, day - timedelta(days=ACUTE_DAYS), ACUTE_DAYS * CHRONIC_WEEKS)
    if chronic_total == 0:
        return None
    # acute ÷ (chronic_total ÷ 3), one division.
    return (Decimal(acute) * CHRONIC_WEEKS / Decimal(chronic_total)).quantize(_TWO_DP, rounding=ROUND_HALF_UP)


def _monotony(days: Sequence[int]) -> Decimal | None:
    if not any(days):
        return None
    values = [Decimal(d) for d in days]
    mean = sum(values, Decimal(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
    if variance == 0:
        return None
    return (mean / variance.sqrt()).quantize(_TWO_DP, rounding=ROUND_HALF_UP)


def _is_cutback(daily: Mapping[date, int], week: date, start: date | None) -> bool:
    if start is None or monday_of(start) > week - timedelta(days=7 * CUTBACK_BASE_WEEKS):
        return False
    base = sum(_week_distance(daily, week - timedelta(days=7 * i)) for i in range(1, CUTBACK_BASE_WEEKS + 1))
    if base == 0:
        return False
    distance = _week_distance(daily, week)
    # distance ≤ (1 − 20 %) × base ÷ 3, in whole numbers.
    return distance * CUTBACK_BASE_WEEKS * 100 <= base * (100 - CUTBACK_DROP_PCT)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_ONE_DP, rounding=ROUND_HALF_UP)


def _max(values: Iterable[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return max(given) if given else None


def _day(value: object, name: str) -> date:
    # datetime is a date subclass; a timestamp is not a calendar day.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a date, got {value!r}")
    return value


def _whole(value: object, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise ValueError(f"{name} must be {bounds}, got {value}")
    return value
