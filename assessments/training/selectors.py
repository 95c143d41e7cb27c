"""Reads of the training log: the pure modules' entries, shoes with their totals, a week's totals."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from assessments.models import BodyCheckIn, Run, Shoe, TrainingPreferences, TrainingSession
from assessments.training.alerts import ShoeInfo, shoe_over_limit
from assessments.training.choices import RunSurface
from assessments.training.load import KM, BodyEntry, RunEntry, SessionEntry
from patients.models import Patient


def preferences_of(patient: Patient) -> TrainingPreferences:
    """The patient's log preferences; an unsaved default (the clinic's unit, no consent) when none yet."""
    found = TrainingPreferences.objects.filter(patient=patient).first()
    return found if found is not None else TrainingPreferences(patient=patient)


def run_entry(run: Run) -> RunEntry:
    return RunEntry(
        day=run.day,
        distance_m=run.distance_m,
        duration_s=run.duration_s,
        session_type=run.session_type,
        surface=run.surface,
        shoe_id=run.shoe_id,
        pain_during=run.pain_during,
        pain_onset_m=run.pain_onset_m,
        pain_onset_s=run.pain_onset_s,
        pain_evening=run.pain_evening,
        pain_next_morning=run.pain_next_morning,
        started_at=run.started_at,
    )


def _shoes_with_totals(patient: Patient) -> QuerySet[Shoe]:
    # The total counts every run in the pair, whatever window the caller reads.
    return (
        Shoe.objects.filter(patient=patient)
        .annotate(logged_m=Coalesce(Sum("runs__distance_m"), 0), logged_runs=Count("runs"))
        .order_by("retired_on", "-first_run_on", "pk")
    )


def shoe_info(shoe: Shoe) -> ShoeInfo:
    """`shoe` annotated by _shoes_with_totals."""
    return ShoeInfo(
        id=shoe.pk,
        name=shoe.name,
        distance_m=shoe.starting_distance_m + shoe.logged_m,  # type: ignore[attr-defined]
        first_run_on=shoe.first_run_on or getattr(shoe, "first_logged_on", None),
        retired_on=shoe.retired_on,
    )


def training_entries(
    patient: Patient, *, since: date | None = None
) -> tuple[list[RunEntry], list[SessionEntry], list[BodyEntry], list[ShoeInfo]]:
    """The patient's log as the pure modules read it (4 queries), oldest first.

    `since` limits runs, sessions and body check-ins to that day onwards; the
    shoes are all of them with their totals over every run. A cycle day is
    read only while the patient consents (it is deleted on withdrawal anyway).
    """
    window = Q() if since is None else Q(day__gte=since)
    runs = [
        run_entry(run)
        for run in Run.objects.filter(window, patient=patient).order_by("day", "started_at", "pk")
    ]
    sessions = [
        SessionEntry(day=s.day, kind=s.kind, minutes=s.minutes)
        for s in TrainingSession.objects.filter(window, patient=patient).order_by("day", "pk")
    ]
    body = [
        BodyEntry(
            day=b.day,
            hip_feel=b.hip_feel,
            sleep_hours=float(b.sleep_hours) if b.sleep_hours is not None else None,
            sleep_quality=b.sleep_quality,
            stress=b.stress,
            illness=b.illness,
            cycle_day=b.cycle_day,
        )
        for b in BodyCheckIn.objects.filter(window, patient=patient).order_by("day", "pk")
    ]
    shoes = [
        shoe_info(shoe) for shoe in _shoes_with_totals(patient).annotate(first_logged_on=Min("runs__day"))
    ]
    return runs, sessions, body, shoes


def shoe_limit_m() -> int:
    """The clinic's replacement distance (SHOE_REPLACEMENT_KM) in metres."""
    return settings.SHOE_REPLACEMENT_KM * KM


@dataclass(frozen=True)
class ShoeRow:
    """A pair on the patient's shoes page: the total and whether it is due for replacement."""

    shoe: Shoe
    distance_m: int
    runs: int
    last_run_on: date | None
    due: bool

    @property
    def is_new(self) -> bool:
        """No run logged in them yet."""
        return self.runs == 0


def shoe_rows(patient: Patient) -> list[ShoeRow]:
    """The patient's shoes (worn first, retired last), each with its running total (one query)."""
    limit = shoe_limit_m()
    rows = []
    for shoe in _shoes_with_totals(patient).annotate(last_on=Max("runs__day")):
        total = shoe.starting_distance_m + shoe.logged_m  # type: ignore[attr-defined]
        info = ShoeInfo(
            id=shoe.pk,
            name=shoe.name,
            distance_m=total,
            first_run_on=shoe.first_run_on,
            retired_on=shoe.retired_on,
        )
        rows.append(
            ShoeRow(
                shoe=shoe,
                distance_m=total,
                runs=shoe.logged_runs,  # type: ignore[attr-defined]
                last_run_on=shoe.last_on,
                due=not shoe.is_retired and shoe_over_limit(info, limit_m=limit),
            )
        )
    return rows


@dataclass(frozen=True)
class WeekTotals:
    """A week of the log, as the weekly check-in asks for it."""

    runs: int
    distance_m: int
    duration_s: int
    longest_m: int
    pain_during: int | None
    pain_evening: int | None
    pain_next_morning: int | None


def week_totals(patient: Patient, *, start: date, end: date) -> WeekTotals:
    """Runs, distance, time, the longest run and the worst pains of the days `start`..`end` (one query)."""
    totals = Run.objects.filter(patient=patient, day__gte=start, day__lte=end).aggregate(
        runs=Count("pk"),
        distance=Coalesce(Sum("distance_m"), 0),
        duration=Coalesce(Sum("duration_s"), 0),
        longest=Coalesce(Max("distance_m"), 0),
        during=Max("pain_during"),
        evening=Max("pain_evening"),
        morning=Max("pain_next_morning"),
    )
    return WeekTotals(
        runs=totals["runs"],
        distance_m=totals["distance"],
        duration_s=totals["duration"],
        longest_m=totals["longest"],
        pain_during=totals["during"],
        pain_evening=totals["evening"],
        pain_next_morning=totals["morning"],
    )


def week_runs(patient: Patient, *, start: date, end: date) -> list[Run]:
    return list(
        Run.objects.filter(patient=patient, day__gte=start, day__lte=end)
        .select_related("shoe")
        .order_by("day", "started_at", "pk")
    )


def recent_log(patient: Patient, *, today: date, days: int = 14) -> dict[str, list]:
    """The last `days` days of runs and sessions, newest first, and today's body check-in (3 queries)."""
    since = today - timedelta(days=days - 1)
    return {
        "runs": list(
            Run.objects.filter(patient=patient, day__gte=since)
            .select_related("shoe")
            .order_by("-day", "-started_at", "-pk")
        ),
        "sessions": list(
            TrainingSession.objects.filter(patient=patient, day__gte=since).order_by("-day", "-pk")
        ),
        "body": list(BodyCheckIn.objects.filter(patient=patient, day__gte=since).order_by("-day")),
    }


# The weekly check-in's run rows hold at most this many runs, in km to 2 dp and whole minutes.
_CHECKIN_ROWS = 10
_CHECKIN_KM_MAX = Decimal(100)
_CHECKIN_MINUTES_MAX = 600
# The log's surfaces as the check-in's (assessments.exercises.choices.Surface) name them.
_CHECKIN_SURFACE: dict[str, str] = {RunSurface.CAMBERED_ROAD.value: "cambered"}


@dataclass(frozen=True)
class CheckInPrefill:
    """What the week's log already says, in the weekly check-in's own fields."""

    totals: WeekTotals
    runs: list[
        dict[str, object]
    ]  # rows of the check-in's run form (date, distance_km, minutes, surface, shoes)
    answers: dict[str, object]  # run_pain_during, run_pain_after, pain_next_morning: the week's worst


def checkin_prefill(patient: Patient, *, start: date, end: date) -> CheckInPrefill | None:
    """The check-in's runs and run pains from the runs logged `start`..`end`; None when none were (2 queries)."""
    runs = week_runs(patient, start=start, end=end)
    if not runs:
        return None
    rows = [
        {
            "date": run.day,
            "distance_km": min(
                (Decimal(run.distance_m) / KM).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                _CHECKIN_KM_MAX,
            ),
            "minutes": min(max(1, round(run.duration_s / 60)), _CHECKIN_MINUTES_MAX),
            "surface": _CHECKIN_SURFACE.get(run.surface, run.surface),
            "shoes": run.shoe.name if run.shoe else "",
        }
        for run in runs[:_CHECKIN_ROWS]
    ]
    totals = week_totals(patient, start=start, end=end)
    answers: dict[str, object] = {
        name: value
        for name, value in (
            ("run_pain_during", totals.pain_during),
            ("run_pain_after", totals.pain_evening),
            ("pain_next_morning", totals.pain_next_morning),
        )
        if value is not None
    }
    return CheckInPrefill(totals=totals, runs=rows, answers=answers)
