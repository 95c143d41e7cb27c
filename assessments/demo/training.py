"""Demo training logs (fictional; for `make run`): three runners with 14 weeks each.

- **The mileage runner** (logs in miles): most weeks 19–24 mi, every third or
  so a big week above 30 mi; after four of the five big weeks the hip is sore
  the next morning (3–4/10), after the smaller weeks it is not. The timeline's
  pattern sentence says so with the counts.
- **The onset runner**: steady weeks, then in the last fortnight pain during
  each run comes on earlier (8 km in, then 6, 4.5, 3, 2): the bone-stress
  warning (the training alerts raise it).
- **The worn-shoes runner**: the pair named in the intake had 380 km in it
  before the log; with the logged runs it is well past the clinic's
  replacement distance, and a new pair started three weeks ago (the
  timeline's "new shoes" marker). The older weeks came from a Strava export.

Each runner also logs strength sessions and most days' body check-in. Rows
are bulk-created (fast), then the training alerts are raised once per runner
as logging a run would. Runners are the first active programmes without
bone stress, by last name. Loaded once: a clinic with any logged run is left
alone (idempotent). Runs before the programme started belong to no programme.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from assessments.models import BodyCheckIn, Programme, Run, Shoe, TrainingPreferences, TrainingSession
from assessments.programmes.choices import ProgrammeStatus
from assessments.training.attention import training_attention_refresh
from assessments.training.choices import (
    PainOnset,
    PainQuality,
    RunSource,
    RunSurface,
    SessionKind,
    SessionType,
)

WEEKS = 14
MILE = 1609.344


@dataclass
class _Log:
    """One runner's rows, built before they are written in bulk."""

    programme: Programme
    runs: list[Run] = field(default_factory=list)
    sessions: list[TrainingSession] = field(default_factory=list)
    body: list[BodyCheckIn] = field(default_factory=list)

    def run(self, day: date, km: float, minutes_per_km: float, **values: object) -> Run:
        programme = self.programme if day >= self.programme.start_date else None
        run = Run(
            patient=self.programme.patient,
            programme=programme,
            day=day,
            distance_m=round(km * 1000),
            duration_s=round(km * minutes_per_km * 60),
            **values,
        )
        self.runs.append(run)
        return run


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(today: date) -> list[date]:
    """The Mondays of the last WEEKS weeks, oldest first (this week last)."""
    this = _monday(today)
    return [this - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]


def _shoe(programme: Programme, name: str, **values: object) -> Shoe:
    return Shoe.objects.create(patient=programme.patient, name=name, **values)


def _body_week(
    log: _Log, monday: date, today: date, *, sleep: str = "7.5", stress: int = 3, hip: int = 1
) -> None:
    for offset in (0, 1, 3, 4, 6):
        day = monday + timedelta(days=offset)
        if day <= today:
            log.body.append(
                BodyCheckIn(
                    patient=log.programme.patient,
                    day=day,
                    hip_feel=hip,
                    sleep_hours=Decimal(sleep),
                    sleep_quality=4,
                    stress=stress,
                )
            )


def _strength(log: _Log, monday: date, today: date, *, times: int = 2) -> None:
    for offset in (1, 4)[:times]:
        day = monday + timedelta(days=offset)
        if day <= today:
            log.sessions.append(
                TrainingSession(patient=log.programme.patient, day=day, kind=SessionKind.STRENGTH, minutes=35)
            )


# --- The three runners --------------------------------------------------------------------------------

# Weekly miles: big weeks (above 30 mi) at 2, 5, 7, 10 and 12; sore mornings after all but week 7's.
_MILEAGE_WEEKS = (20, 22, 32, 19, 23, 33, 21, 33, 20, 22, 34, 21, 32, 12)
_MILEAGE_SORE = {2, 5, 10, 12}


def _mileage_runner(programme: Programme, today: date) -> _Log:
    log = _Log(programme)
    TrainingPreferences.objects.create(patient=programme.patient, distance_unit="mi")
    road = _shoe(programme, "Brooks Ghost 15", first_run_on=today - timedelta(weeks=WEEKS + 4))
    trail = _shoe(programme, "Salomon Speedcross 6", first_run_on=today - timedelta(weeks=WEEKS + 10))
    for index, monday in enumerate(_weeks(today)):
        miles = _MILEAGE_WEEKS[index]
        big = miles > 30
        sore = index in _MILEAGE_SORE
        long_mi = round(miles * 0.4, 1)
        rest = (miles - long_mi) / 3
        plan = [
            (1, rest, SessionType.EASY, RunSurface.ROAD, road),
            (3, rest, SessionType.TEMPO if index % 2 else SessionType.EASY, RunSurface.ROAD, road),
            (4, rest, SessionType.EASY, RunSurface.TRAIL, trail),
            (6, long_mi, SessionType.LONG, RunSurface.ROAD, road),
        ]
        for offset, mi, kind, surface, shoe in plan:
            day = monday + timedelta(days=offset)
            if day > today:
                continue
            is_long = kind == SessionType.LONG
            # The hip speaks up on the long run only; the other runs are pain-free.
            pain = (4 if sore else 2) if is_long and big else (2 if is_long else 0)
            log.run(
                day,
                mi * MILE / 1000,
                5.6 if kind != SessionType.TEMPO else 4.9,
                session_type=kind,
                surface=surface,
                shoe=shoe,
                pain_during=pain,
                pain_onset=PainOnset.DISTANCE if pain else PainOnset.NONE,
                pain_onset_m=round(mi * MILE * 0.7) if pain else None,
                pain_evening=pain,
                # The morning after today's run has not come yet.
                pain_next_morning=None if day >= today else (4 if sore and is_long else min(pain, 1)),
                pain_quality=PainQuality.DULL if pain else "",
            )
        _body_week(log, monday, today, stress=6 if big else 3)
        _strength(log, monday, today)
    return log


# Pain during each run in the last fortnight, with how far in it started (km).
_ONSETS = ((3, 8.0), (4, 6.0), (4, 4.5), (5, 3.0), (5, 2.0))


def _onset_runner(programme: Programme, today: date) -> _Log:
    log = _Log(programme)
    shoe = _shoe(programme, "Asics Novablast 4", first_run_on=today - timedelta(weeks=WEEKS + 2))
    # The last five run days (Monday, Wednesday, Friday of the last fortnight, up to today).
    run_days = [
        monday + timedelta(days=offset)
        for monday in _weeks(today)[-3:]
        for offset in (0, 2, 4)
        if monday + timedelta(days=offset) <= today
    ][-len(_ONSETS) :]
    for monday in _weeks(today):
        for offset, km in ((0, 6.0), (2, 7.0), (4, 8.0), (6, 10.0)):
            day = monday + timedelta(days=offset)
            if day > today or (day > run_days[0] and day not in run_days):
                continue
            if day in run_days:
                pain, onset_km = _ONSETS[run_days.index(day)]
                log.run(
                    day,
                    max(km, onset_km + 1),
                    5.3,
                    shoe=shoe,
                    pain_during=pain,
                    pain_onset=PainOnset.DISTANCE,
                    pain_onset_m=round(onset_km * 1000),
                    pain_evening=pain,
                    pain_next_morning=None if day >= today else pain - 1,
                    pain_quality=PainQuality.SHARP,
                    note="Sore from earlier on" if pain >= 4 else "",
                )
            else:
                log.run(
                    day, km, 5.3, shoe=shoe, pain_during=0, pain_onset=PainOnset.NONE, pain_next_morning=0
                )
        _body_week(log, monday, today, hip=3 if monday >= _monday(run_days[0]) else 1)
        _strength(log, monday, today)
    return log


def _worn_shoes_runner(programme: Programme, today: date) -> _Log:
    log = _Log(programme)
    worn = _shoe(programme, "Hoka Clifton 8", starting_distance_m=380_000, from_intake=True)
    new_from = _monday(today) - timedelta(weeks=2)
    new = _shoe(programme, "Hoka Clifton 9", first_run_on=new_from + timedelta(days=1))
    zone = ZoneInfo(programme.time_zone)
    for index, monday in enumerate(_weeks(today)):
        for offset, km in ((1, 7.0), (3, 8.0), (5, 12.0)):
            day = monday + timedelta(days=offset)
            if day > today:
                continue
            imported = index < 8
            shoe = new if day >= new_from + timedelta(days=1) and offset != 3 else worn
            old_legs = shoe is worn and index >= 8
            log.run(
                day,
                km,
                5.8,
                surface=RunSurface.CAMBERED_ROAD if offset == 5 else RunSurface.ROAD,
                shoe=shoe,
                source=RunSource.STRAVA_CSV if imported else RunSource.MANUAL,
                started_at=datetime.combine(day, time(7, 15), tzinfo=zone).astimezone(UTC)
                if imported
                else None,
                elevation_gain_m=40 + 10 * offset if imported else None,
                pain_during=None if imported else (3 if old_legs else 1),
                pain_onset="" if imported else PainOnset.TIME,
                pain_onset_s=None if imported else 1500,
                pain_next_morning=None if imported or day >= today else (2 if old_legs else 0),
            )
        _body_week(log, monday, today, sleep="6.5" if index % 4 == 0 else "7.5")
        _strength(log, monday, today, times=2 if index % 3 else 1)
    return log


RUNNERS: tuple[Callable[[Programme, date], _Log], ...] = (_mileage_runner, _onset_runner, _worn_shoes_runner)


def load(*, now: datetime | None = None) -> int:
    """Give the demo runners their training logs; returns how many runners got one."""
    now = now or timezone.now()
    today = now.astimezone(ZoneInfo(settings.CLINIC_TIME_ZONE)).date()
    candidates = (
        Programme.objects.filter(status=ProgrammeStatus.ACTIVE, bone_stress=False, running_stopped=False)
        .select_related("patient")
        .order_by("patient__last_name", "patient_id")
    )
    if Run.objects.exists():
        return 0
    made = 0
    for programme, build in zip(list(candidates), RUNNERS, strict=False):
        log = build(programme, today)
        Run.objects.bulk_create(log.runs)
        TrainingSession.objects.bulk_create(log.sessions)
        BodyCheckIn.objects.bulk_create(log.body)
        training_attention_refresh(patient=programme.patient, now=now)
        made += 1
    return made
