from datetime import UTC, datetime, time

import pytest
import time_machine

from clinic.staff.choices import Weekday
from clinic.staff.models import OpeningHours, WorkingHours
from patients.booking.choices import VisitKind
from patients.models import AppointmentType
from tests.factories import LocationFactory, TherapistProfileFactory, UserFactory

# Monday 23 November 2026, 07:00 in London (GMT, UTC+0).
MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def frozen_monday():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def location(db):
    location = LocationFactory(name="Riverside")
    for weekday in Weekday:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=time(8), closes=time(19))
    return location


def _therapist(location, name: str):
    from clinic.staff.choices import Role

    profile = TherapistProfileFactory(
        user=UserFactory(role=Role.THERAPIST, full_name=name), display_name=name, locations=[location]
    )
    for weekday in Weekday:
        WorkingHours.objects.create(
            therapist=profile, location=location, weekday=weekday, starts=time(9), ends=time(17)
        )
    return profile


@pytest.fixture
def physio(location):
    return _therapist(location, "Sam Physio")


@pytest.fixture
def colleague(location):
    return _therapist(location, "Priya Physio")


@pytest.fixture
def evaluation(db):
    return AppointmentType.objects.create(
        name="Initial evaluation",
        kind=VisitKind.INITIAL_EVALUATION,
        duration_minutes=60,
        requires_intake=True,
    )


@pytest.fixture
def follow_up(db):
    return AppointmentType.objects.create(name="Follow-up", kind=VisitKind.FOLLOW_UP, duration_minutes=30)


# The intake tests' fixtures (an invited patient and their link), shared like the booking ones.
from tests.patients.intake.support import desk, intake_cache, invitation, token, visit  # noqa: E402, F401
