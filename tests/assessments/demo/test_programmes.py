"""The demo clinic's programmes: every scenario present, idempotent."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.demo import assessments as demo
from assessments.demo import programmes as demo_programmes
from assessments.models import Programme
from assessments.programmes.selectors import dashboard
from patients.booking.choices import AppointmentStatus
from patients.models import Appointment
from tests.assessments.programmes.support import seeded_catalogue  # noqa: F401 -- autouse fixture
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_clinic(physio, location, evaluation, follow_up):
    """Seven patients a few weeks into treatment (as patients.demo.appointments makes for `make run`)."""
    booked_by = UserFactory()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for index in range(7):
        patient = PatientFactory(last_name=f"Demo{index}", date_of_birth=date(1980 + index, 5, 1))
        first = now - timedelta(weeks=8, hours=index * 2)
        for kind, starts_at in [(evaluation, first)] + [
            (follow_up, first + timedelta(weeks=w)) for w in (1, 2, 3)
        ]:
            Appointment.objects.create(
                patient=patient,
                therapist=physio,
                location=location,
                appointment_type=kind,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=kind.duration_minutes),
                status=AppointmentStatus.COMPLETED,
                created_by=booked_by,
            )
    demo.load()


def test_demo_programmes_cover_every_scenario(demo_clinic):
    assert demo_programmes.load() == 7
    rows = dashboard(therapist=None, today=timezone.localdate())
    statuses = sorted(r.status.status for r in rows)
    assert statuses.count("attention") >= 1 and "behind" in statuses and "on_track" in statuses
    assert any(r.programme.run_stage >= 2 for r in rows)  # one on the run ladder
    bone = next(r for r in rows if r.programme.bone_stress)
    assert bone.status.status == "attention" and bone.open_alerts
    discharged = Programme.objects.get(status="discharged")
    assert (
        discharged.discharge_reason == "goals_met" and discharged.phases.filter(kind="maintenance").exists()
    )


def test_demo_programmes_load_once(demo_clinic):
    demo_programmes.load()
    count = Programme.objects.count()
    assert demo_programmes.load() == 0
    assert Programme.objects.count() == count
