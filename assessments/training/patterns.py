"""Patterns behind the pain in the runner's training log, stated with their counts; pure.

S4: "After a few weeks, go back and connect the dots. You might notice the hip
flares up every time you run over 30 miles in a week." This module says so
only when the log shows it plainly, as counts ("4 of 5 weeks … and 0 of 7
weeks …"), never as a p-value or a probability.

**The outcome** is a sore next morning: next-morning pain of 3/10 or more
(`SORE_NEXT_MORNING`). §8.3 allows up to 3/10 during a run only if it has
settled by the next morning, and the 24-hour response matters more than pain
during the run [R28]. A run without a next-morning answer counts for nothing;
a week counts when at least one of its runs has one (sore when any of them was).

**The groups compared**
- Weekly distance: weeks above a distance against weeks at or below it (the
  cut with the clearest contrast, stated as a round number in the patient's
  unit; only "more running, more pain" is stated, the reverse is mostly runners
  easing off because it hurt).
- Surface, session type and each pair of shoes: runs on it against all other runs.
- Shoe age: runs in shoes that had already done more than a distance (their
  starting distance and the runs logged in them before) against runs in fresher
  shoes; only "older shoes, more pain" is stated.
- Sleep: runs on a day whose body check-in gave under 7 hours or a poor night
  (quality 1–2 of 5) against runs after a good night (7 hours, the adult
  minimum of the AASM/SRS consensus, Watson et al., Sleep 2015).
- Stress: runs on a day with stress 7/10 or more against calmer days (the
  clinic's choice of cut).
- Strength: weeks with fewer than 2 strength sessions against weeks with 2 or
  more (§8.3: strength twice a week).
- Cycle phase, only when the log has cycle days (which it keeps only with
  consent): runs in the 7 days before a period (day 1 logged later), and runs
  on period days 1–5, each against runs on the other known cycle days (first
  days implied less than 15 days apart are one, so a miscounted day invents no period).

**When a pattern is stated** (all must hold; the clinic's choice):
- the log has at least `MIN_WEEKS` (6) weeks with running;
- both groups have at least 3 weeks (week groups) or 5 runs (run groups);
- at least 3 sore mornings in the group named;
- the group's rate is at least 50 percentage points above the other's;
- chance alone would rarely split the sore mornings so: spread at random over
  the same groups, as many or more would land in the group named less than 1
  time in 50 (the one-sided Fisher exact probability, a gate only: sentences
  give the counts, never a probability). "4 of 5 weeks against 0 of 7" passes
  (about 1 in 100); "3 of 3 against 0 of 3" does not (1 in 20).
Distance and shoe-age cuts are searched (the clearest cut is stated), so these
gates matter: on simulated 12-week logs where pain falls at random, 8.6 % of
logs got a sentence (1000 logs; tests/assessments/training/test_patterns.py
checks fewer than 1 in 10); a planted pattern is found with its exact counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from assessments.training.alerts import ShoeInfo
from assessments.training.choices import RunSurface, SessionType
from assessments.training.load import KM, MILE_M_EXACT, BodyEntry, RunEntry, WeekLoad

MIN_WEEKS = 6
MIN_GROUP_WEEKS = 3
MIN_GROUP_RUNS = 5
MIN_HITS = 3
MIN_DIFFERENCE_PCT = 50
CHANCE_BELOW_PCT = 2  # a split this lopsided from chance alone less than 1 time in 50
SORE_NEXT_MORNING = 3
SHORT_SLEEP_HOURS = 7
POOR_SLEEP_QUALITY_MAX = 2
HIGH_STRESS = 7
STRENGTH_SESSIONS_A_WEEK = 2
PREMENSTRUAL_DAYS = 7
PERIOD_DAYS = 5
SHORTEST_CYCLE_DAYS = 15  # check-ins implying period starts closer than this are one start

_ROUND_STEPS = tuple(
    Decimal(s) for s in ("1000", "500", "100", "50", "10", "5", "1", "0.5", "0.1", "0.01", "0.001", "0.0001")
)

# Each value's group, as the therapist and the patient read it.
_SURFACE_PHRASES: dict[str, tuple[str, str]] = {
    RunSurface.ROAD: ("runs on road", "runs on roads"),
    RunSurface.CAMBERED_ROAD: ("runs on cambered road", "runs on cambered roads"),
    RunSurface.TRAIL: ("runs on trail", "runs on trails"),
    RunSurface.TRACK: ("runs on the track", "runs on the track"),
    RunSurface.TREADMILL: ("runs on the treadmill", "runs on the treadmill"),
    RunSurface.HILLS: ("runs on hills", "runs on hills"),
}
_SESSION_PHRASES: dict[str, tuple[str, str]] = {
    SessionType.EASY: ("easy runs", "easy runs"),
    SessionType.LONG: ("long runs", "long runs"),
    SessionType.TEMPO: ("tempo runs", "tempo runs"),
    SessionType.INTERVALS: ("interval sessions", "interval sessions"),
    SessionType.HILLS: ("hill sessions", "hill sessions"),
    SessionType.RACE: ("races", "races"),
    SessionType.WALK_RUN: ("walk–run sessions", "walk–run sessions"),
}


@dataclass(frozen=True)
class Pattern:
    """A contrast in the log: `hits` sore of `total` in the group named, `contrast_hits` of `contrast_total` in the rest.

    `sentence` is the therapist's wording, `patient_sentence` plain and in the second person.
    """

    code: str
    sentence: str
    patient_sentence: str
    hits: int
    total: int
    contrast_hits: int
    contrast_total: int


@dataclass(frozen=True)
class _Tally:
    hits: int
    total: int


def find_patterns(
    *,
    weeks: Sequence[WeekLoad],
    runs: Sequence[RunEntry],
    body: Sequence[BodyEntry],
    shoes: Mapping[int, ShoeInfo],
    unit: str,
    min_weeks: int = MIN_WEEKS,
) -> list[Pattern]:
    """The patterns the log shows plainly (module docstring), clearest contrast first; [] with too few weeks."""
    if unit not in ("km", "mi"):
        raise ValueError(f"unit must be km or mi, got {unit!r}")
    if sum(1 for w in weeks if w.runs > 0) < min_weeks:
        return []
    all_runs = list(runs)
    if weeks:
        first, last = weeks[0].week_start, weeks[-1].week_start + timedelta(days=6)
        runs = [r for r in all_runs if first <= r.day <= last]
    answered = [r for r in runs if r.pain_next_morning is not None]
    shoe_phrases = {str(i): (f"runs in “{shoe.name}”",) * 2 for i, shoe in shoes.items()}
    found: list[Pattern] = []
    found += _distance_pattern(weeks, unit)
    found += _strength_pattern(weeks)
    found += _category_patterns(answered, "surface", lambda r: r.surface, _SURFACE_PHRASES)
    found += _category_patterns(answered, "session_type", lambda r: r.session_type, _SESSION_PHRASES)
    found += _category_patterns(
        [r for r in answered if r.shoe_id is not None],
        "shoe",
        lambda r: str(r.shoe_id),
        shoe_phrases,
        contrast="runs in other shoes",
    )
    found += _shoe_age_pattern(all_runs, answered, shoes, unit)
    found += _body_patterns(answered, body)
    found += _cycle_patterns(answered, body)
    found.sort(key=lambda p: -_difference(p.hits, p.total, p.contrast_hits, p.contrast_total))
    return found


# --- The rule ------------------------------------------------------------------------------


def _difference(hits: int, total: int, contrast_hits: int, contrast_total: int) -> float:
    return hits / total - contrast_hits / contrast_total


def _clear(group: _Tally, rest: _Tally, min_group: int) -> bool:
    if group.total < min_group or rest.total < min_group or group.hits < MIN_HITS:
        return False
    # group rate − rest rate ≥ 50 percentage points, in whole numbers.
    if (
        group.hits * rest.total - rest.hits * group.total
    ) * 100 < MIN_DIFFERENCE_PCT * group.total * rest.total:
        return False
    return _chance(group, rest) * 100 < CHANCE_BELOW_PCT


def _chance(group: _Tally, rest: _Tally) -> Fraction:
    """How often the same sore mornings, spread at random over both groups, would give the group this many or more.

    The one-sided Fisher exact (hypergeometric) probability, exact as a
    fraction; a gate against splits that chance alone makes, never shown.
    """
    everyone = group.total + rest.total
    sore = group.hits + rest.hits
    ways = sum(
        math.comb(sore, k) * math.comb(everyone - sore, group.total - k)
        for k in range(group.hits, min(sore, group.total) + 1)
    )
    return Fraction(ways, math.comb(everyone, group.total))


def _tally(sore: Iterable[bool]) -> _Tally:
    items = list(sore)
    return _Tally(sum(items), len(items))


def _sore(run: RunEntry) -> bool:
    return run.pain_next_morning is not None and run.pain_next_morning >= SORE_NEXT_MORNING


def _week_sore(week: WeekLoad) -> bool | None:
    if week.runs == 0 or week.max_pain_next_morning is None:
        return None
    return week.max_pain_next_morning >= SORE_NEXT_MORNING


def _of(hits: int, total: int) -> str:
    return f"{hits} of {total}"


def _your(hits: int, total: int) -> str:
    if hits == 0:
        return f"none of your {total}"
    if hits == total:
        return f"all {total} of your"
    return f"{hits} of your {total}"


# --- Week groups ---------------------------------------------------------------------------


def _distance_pattern(weeks: Sequence[WeekLoad], unit: str) -> list[Pattern]:
    rows = [(w.distance_m, sore) for w in weeks if (sore := _week_sore(w)) is not None]
    best = _best_cut(rows, MIN_GROUP_WEEKS)
    if best is None:
        return []
    cut_m, above, below = best
    label = _cut_label(rows, cut_m, unit)
    return [
        Pattern(
            code="distance",
            sentence=(
                f"Next-morning pain ≥ {SORE_NEXT_MORNING} followed {_of(above.hits, above.total)} weeks above "
                f"{label}, and {_of(below.hits, below.total)} weeks of {label} or less."
            ),
            patient_sentence=(
                f"Your hip was sore the morning after a run in {_your(above.hits, above.total)} weeks above {label}, "
                f"and in {_your(below.hits, below.total)} weeks of {label} or less."
            ),
            hits=above.hits,
            total=above.total,
            contrast_hits=below.hits,
            contrast_total=below.total,
        )
    ]


def _strength_pattern(weeks: Sequence[WeekLoad]) -> list[Pattern]:
    few = _tally(
        s
        for w in weeks
        if (s := _week_sore(w)) is not None and w.strength_sessions < STRENGTH_SESSIONS_A_WEEK
    )
    enough = _tally(
        s
        for w in weeks
        if (s := _week_sore(w)) is not None and w.strength_sessions >= STRENGTH_SESSIONS_A_WEEK
    )
    if not _clear(few, enough, MIN_GROUP_WEEKS):
        return []
    n = STRENGTH_SESSIONS_A_WEEK
    return [
        Pattern(
            code="strength",
            sentence=(
                f"Next-morning pain ≥ {SORE_NEXT_MORNING} followed {_of(few.hits, few.total)} weeks with fewer than "
                f"{n} strength sessions, and {_of(enough.hits, enough.total)} weeks with {n} or more."
            ),
            patient_sentence=(
                f"Your hip was sore the morning after a run in {_your(few.hits, few.total)} weeks with fewer than {n} "
                f"strength sessions, and in {_your(enough.hits, enough.total)} weeks with {n} or more."
            ),
            hits=few.hits,
            total=few.total,
            contrast_hits=enough.hits,
            contrast_total=enough.total,
        )
    ]


# --- Run groups ----------------------------------------------------------------------------


def _category_patterns(
    runs: Sequence[RunEntry],
    code: str,
    value: Callable[[RunEntry], str],
    phrases: Mapping[str, tuple[str, str]],
    *,
    contrast: str = "other runs",
) -> list[Pattern]:
    """Runs of each value against all other runs (of `runs`)."""
    found: list[Pattern] = []
    for key in sorted({value(r) for r in runs}):
        if key not in phrases:
            continue
        group = _tally(_sore(r) for r in runs if value(r) == key)
        rest = _tally(_sore(r) for r in runs if value(r) != key)
        if _clear(group, rest, MIN_GROUP_RUNS):
            staff, plain = phrases[key]
            found.append(_run_pattern(f"{code}_{key}", group, rest, staff, contrast, plain, contrast))
    return found


def _shoe_age_pattern(
    runs: Sequence[RunEntry], answered: Sequence[RunEntry], shoes: Mapping[int, ShoeInfo], unit: str
) -> list[Pattern]:
    # Distance on a pair before a run = its total − the runs in it from that run on.
    worn_before: dict[int, int] = {}
    for shoe_id, shoe in shoes.items():
        remaining = shoe.distance_m
        in_shoe = sorted((r for r in runs if r.shoe_id == shoe_id), key=lambda r: r.day, reverse=True)
        for run in in_shoe:
            remaining -= run.distance_m
            worn_before[id(run)] = max(remaining, 0)
    rows = [(worn_before[id(r)], _sore(r)) for r in answered if id(r) in worn_before]
    best = _best_cut(rows, MIN_GROUP_RUNS)
    if best is None:
        return []
    cut_m, older, fresher = best
    label = _cut_label(rows, cut_m, unit)
    return [
        Pattern(
            code="shoe_age",
            sentence=(
                f"Next-morning pain ≥ {SORE_NEXT_MORNING} followed {_of(older.hits, older.total)} runs in shoes that "
                f"had done more than {label}, and {_of(fresher.hits, fresher.total)} runs in shoes with less."
            ),
            patient_sentence=(
                f"Your hip was sore the morning after {_your(older.hits, older.total)} runs in shoes that had "
                f"done more than {label}, and after {_your(fresher.hits, fresher.total)} runs in fresher shoes."
            ),
            hits=older.hits,
            total=older.total,
            contrast_hits=fresher.hits,
            contrast_total=fresher.total,
        )
    ]


def _body_patterns(answered: Sequence[RunEntry], body: Sequence[BodyEntry]) -> list[Pattern]:
    by_day = {b.day: b for b in body}
    found: list[Pattern] = []

    def short_night(b: BodyEntry) -> bool | None:
        if b.sleep_hours is None and b.sleep_quality is None:
            return None
        short = b.sleep_hours is not None and b.sleep_hours < SHORT_SLEEP_HOURS
        poor = b.sleep_quality is not None and b.sleep_quality <= POOR_SLEEP_QUALITY_MAX
        return short or poor

    def stressed(b: BodyEntry) -> bool | None:
        return None if b.stress is None else b.stress >= HIGH_STRESS

    checks: list[tuple[str, Callable[[BodyEntry], bool | None], str, str, str, str]] = [
        (
            "sleep",
            short_night,
            f"runs after a short or poor night (under {SHORT_SLEEP_HOURS} h or poor sleep)",
            "runs after a good night",
            f"runs after a short or poor night's sleep (under {SHORT_SLEEP_HOURS} hours)",
            "runs after a good night's sleep",
        ),
        (
            "stress",
            stressed,
            f"runs on days of stress ≥ {HIGH_STRESS}/10",
            "runs on calmer days",
            "runs on stressful days",
            "runs on calmer days",
        ),
    ]
    for code, flag, staff_group, staff_rest, plain_group, plain_rest in checks:
        marked: list[tuple[bool, bool]] = []
        for run in answered:
            entry = by_day.get(run.day)
            mark = None if entry is None else flag(entry)
            if mark is not None:
                marked.append((mark, _sore(run)))
        group = _tally(s for m, s in marked if m)
        rest = _tally(s for m, s in marked if not m)
        if _clear(group, rest, MIN_GROUP_RUNS):
            found.append(_run_pattern(code, group, rest, staff_group, staff_rest, plain_group, plain_rest))
    return found


def _cycle_patterns(answered: Sequence[RunEntry], body: Sequence[BodyEntry]) -> list[Pattern]:
    cycle_days = {b.day: b.cycle_day for b in body if b.cycle_day is not None}
    if not cycle_days:
        return []
    # Each check-in implies its cycle's first day; a miscounted day implies one a day or two off, so
    # starts closer than the shortest cycle are one start (the earliest).
    starts: list[date] = []
    for start in sorted({day - timedelta(days=c - 1) for day, c in cycle_days.items()}):
        if not starts or start - starts[-1] >= timedelta(days=SHORTEST_CYCLE_DAYS):
            starts.append(start)
    found: list[Pattern] = []
    premenstrual: list[tuple[bool, bool]] = []
    period: list[tuple[bool, bool]] = []
    for run in answered:
        before = [s for s in starts if s <= run.day]
        after = [s for s in starts if s > run.day]
        if not before:
            continue  # no cycle known on that day
        day_of_cycle = (run.day - before[-1]).days + 1
        period.append((day_of_cycle <= PERIOD_DAYS, _sore(run)))
        if after:
            premenstrual.append(((after[0] - run.day).days <= PREMENSTRUAL_DAYS, _sore(run)))
    for code, marked, staff_group, plain_group in (
        (
            "cycle_premenstrual",
            premenstrual,
            f"runs in the {PREMENSTRUAL_DAYS} days before a period",
            "runs in the week before your period",
        ),
        (
            "cycle_period",
            period,
            f"runs on period days 1–{PERIOD_DAYS}",
            "runs in the first days of your period",
        ),
    ):
        group = _tally(s for m, s in marked if m)
        rest = _tally(s for m, s in marked if not m)
        if _clear(group, rest, MIN_GROUP_RUNS):
            found.append(
                _run_pattern(
                    code,
                    group,
                    rest,
                    staff_group,
                    "runs on other cycle days",
                    plain_group,
                    "runs at other times of your cycle",
                )
            )
    return found


def _run_pattern(
    code: str,
    group: _Tally,
    rest: _Tally,
    staff_group: str,
    staff_rest: str,
    plain_group: str,
    plain_rest: str,
) -> Pattern:
    return Pattern(
        code=code,
        sentence=(
            f"Next-morning pain ≥ {SORE_NEXT_MORNING} followed {_of(group.hits, group.total)} {staff_group}, "
            f"and {_of(rest.hits, rest.total)} {staff_rest}."
        ),
        patient_sentence=(
            f"Your hip was sore the morning after {_your(group.hits, group.total)} {plain_group}, "
            f"and after {_your(rest.hits, rest.total)} {plain_rest}."
        ),
        hits=group.hits,
        total=group.total,
        contrast_hits=rest.hits,
        contrast_total=rest.total,
    )


# --- Cuts ----------------------------------------------------------------------------------


def _best_cut(rows: Sequence[tuple[int, bool]], min_group: int) -> tuple[int, _Tally, _Tally] | None:
    """The cut (metres) whose rows above it are sorest against those at or below it, if the contrast is clear.

    Ties go to the larger group above (the plainer statement).
    """
    best: tuple[float, int, int, _Tally, _Tally] | None = None
    for cut in sorted({value for value, _ in rows}):
        above = _tally(s for v, s in rows if v > cut)
        below = _tally(s for v, s in rows if v <= cut)
        if not _clear(above, below, min_group):
            continue
        score = (_difference(above.hits, above.total, below.hits, below.total), above.total)
        if best is None or score > (best[0], best[1]):
            best = (score[0], score[1], cut, above, below)
    if best is None:
        return None
    return best[2], best[3], best[4]


def _cut_label(rows: Sequence[tuple[int, bool]], cut_m: int, unit: str) -> str:
    """The roundest distance in `unit` that splits the rows as `cut_m` does: low ≤ label < high ("40 km").

    low is the highest row at or below the cut, high the lowest above it; a
    multiple of 1000 if one fits, else of 500, 100, 50, 10, 5, a whole number, one decimal, and so on.
    """
    low = Decimal(max(v for v, _ in rows if v <= cut_m))
    high = Decimal(min(v for v, _ in rows if v > cut_m))
    per_unit = Decimal(KM) if unit == "km" else MILE_M_EXACT
    for step in _ROUND_STEPS:
        label = (low / per_unit / step).to_integral_value(rounding=ROUND_CEILING) * step
        if low <= label * per_unit < high:
            return f"{label.normalize():f} {unit}"
    return f"{low:f} m"  # pragma: no cover - a step of 0.0001 unit always fits between two whole metres
