"""The demo's calendar shows a working week whenever the demo is loaded."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clinic.staff import demo as staff_demo
from patients.booking.choices import AppointmentStatus
from patients.demo import appointments as demo_appointments
from patients.demo import patients as patients_demo
from patients.models import Appointment

pytestmark = pytest.mark.django_db

# A Thursday afternoon: days behind, one under way, days ahead.
THURSDAY = datetime(2026, 11, 26, 14, 40, tzinfo=UTC)


def _this_week(now: datetime) -> list[Appointment]:
    zone = ZoneInfo("Europe/London")
    day = now.astimezone(zone).date()
    monday = datetime.combine(day - timedelta(days=day.weekday()), datetime.min.time(), tzinfo=zone)
    return list(
        Appointment.objects.filter(starts_at__gte=monday, starts_at__lt=monday + timedelta(days=7))
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("therapist", "appointment_type")
    )


def test_demo_week_has_every_therapist_several_types_and_statuses_and_tops_up_once():
    with time_machine.travel(THURSDAY, tick=False):
        staff = staff_demo.load()
        patients = patients_demo.load()
        demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
        week = _this_week(THURSDAY)

        days = {(a.therapist.display_name, a.starts_at.date()) for a in week}
        assert {name for name, _ in days} == {"Priya Raman, MCSP", "Sam Okafor, MCSP"}
        # Every weekday both work, and Sam's Saturday morning, has visits.
        assert len(days) >= 11
        assert len({a.appointment_type.name for a in week}) >= 3
        assert {AppointmentStatus.COMPLETED, AppointmentStatus.BOOKED} <= {a.status for a in week}
        assert any(a.starts_at < THURSDAY for a in week) and any(a.starts_at > THURSDAY for a in week)

        assert demo_appointments.load_this_week(patients, staff["desk@stride.example"]) == 0

    # A week later, with nothing loaded meanwhile, the new week is filled too.
    later = THURSDAY + timedelta(days=7)
    with time_machine.travel(later, tick=False):
        demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
        assert len({(a.therapist_id, a.starts_at.date()) for a in _this_week(later)}) >= 11
