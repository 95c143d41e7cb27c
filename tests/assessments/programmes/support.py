"""Building programmes and check-ins through the services, as the pages would."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import time_machine

from assessments.programmes.services.checkins import checkin_for, checkin_submit
from tests.factories import PatientFactory, ProgrammeFactory

# Monday 2 March 2026 (GMT): programme weeks start on Mondays.
START = date(2026, 3, 2)
# The `programme` fixture's patient, Robin O'Strider, was born on this day.
DOB = date(1988, 4, 12)
NOON = time(12, 0)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def plan(**overrides: object) -> dict[str, object]:
    values = {
        "start_date": START,
        "planned_weeks": 6,
        "visits_per_week": 2,
        "goals": "Run the spring half marathon",
        "exercise_days": "0,2,4",
        "reminder_time": time(8, 0),
        "checkin_weekday": 6,
        "checkin_time": time(18, 0),
        "baseline_morning_pain": 1,
        "runs_per_week": 3,
    }
    values.update(overrides)
    return values


def start_programme(
    therapist, *, patient=None, code: str = "GTPS_GLUT_TEND", now: datetime | None = None, **overrides: object
):
    """A programme started at `now` (default: the Friday before START) from a fresh signed assessment."""
    patient = patient or PatientFactory(first_name="Robin", last_name="Strider")
    with time_machine.travel(now or at(START - timedelta(days=3)), tick=False):
        return ProgrammeFactory(
            patient=patient, therapist=therapist, assessment__impression=code, **plan(**overrides)
        )


def run(day: date, km: str = "5", minutes: int = 30) -> dict[str, object]:
    return {
        "date": day,
        "distance_km": Decimal(km),
        "minutes": minutes,
        "surface": "road",
        "shoes": "Pegasus",
    }


def send_week(
    programme, week: int, *, runs: list[dict] | None = None, when: datetime | None = None, **answers: object
):
    """Send week `week`'s check-in (at the week's Sunday evening unless `when`); returns the SubmitResult."""
    values = {
        "pain_now": 2,
        "pain_worst": 3,
        "sessions_done": 3,
        "run_pain_during": None,
        "run_pain_after": None,
        "pain_next_morning": None,
        "sleep": "ok",
        "stress": "low",
        "comments": "",
        "flag_night_pain": False,
        "flag_unwell": False,
        "flag_nerve": False,
        "flag_pain_earlier": False,
        "flag_pain_walking": False,
        "flag_pain_in_bed": False,
        "flag_pain_hopping": False,
    }
    values.update(answers)
    when = when or at(programme.week_start(week) + timedelta(days=6), 19)
    with time_machine.travel(when, tick=False):
        checkin = checkin_for(programme=programme, week=week)
        result = checkin_submit(checkin=checkin, answers=values, runs=runs or [], version=checkin.version)
    programme.refresh_from_db()
    return result
