"""The demo clinic's programmes: every scenario present, idempotent."""

import pytest
from django.utils import timezone

from assessments.demo import assessments as demo
from assessments.demo import programmes as demo_programmes
from assessments.models import Programme
from assessments.programmes.selectors import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed_demo_clinic(demo_diary):
    """Seven patients eight weeks into treatment, with the demo assessments."""
    demo_diary(patients=7, weeks_ago=8)
    demo.load()


def test_demo_programmes_cover_every_scenario(assessed_demo_clinic):
    assert demo_programmes.load() == 7
    rows = dashboard(therapist=None, today=timezone.localdate()).rows
    statuses = sorted(r.status.status for r in rows)
    assert statuses.count("attention") >= 1 and "behind" in statuses and "on_track" in statuses
    assert any(r.programme.run_stage >= 2 for r in rows)  # one on the run ladder
    bone = next(r for r in rows if r.programme.bone_stress)
    assert bone.status.status == "attention" and bone.open_alerts
    discharged = Programme.objects.get(status="discharged")
    assert (
        discharged.discharge_reason == "goals_met" and discharged.phases.filter(kind="maintenance").exists()
    )


def test_demo_programmes_load_once(assessed_demo_clinic):
    demo_programmes.load()
    count = Programme.objects.count()
    assert demo_programmes.load() == 0
    assert Programme.objects.count() == count


def test_demo_programmes_have_a_check_in_and_a_clinician_red_flag(assessed_demo_clinic):
    from patients.models import RedFlag

    demo_programmes.load()
    assert sorted(
        RedFlag.objects.filter(source__in=["checkin", "clinician"]).values_list(
            "source", "flag_code", "action_level"
        )
    ) == [
        ("checkin", "bone_stress", "stop_running_urgent_medical"),
        ("clinician", "night_constant", "urgent_medical"),
    ]
