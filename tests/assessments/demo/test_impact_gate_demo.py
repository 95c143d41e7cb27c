"""The demo's bone stress patients show the zero-impact gate: one not ready, one cleared and on the ladder."""

import pytest
from django.utils import timezone

from assessments.demo import assessments as demo
from assessments.demo import programmes as demo_programmes
from assessments.models import Programme
from assessments.programmes.selectors import stage_info

pytestmark = pytest.mark.django_db


def test_demo_bone_stress_patients_show_the_gate(demo_diary):
    demo_diary(patients=13, weeks_ago=8)  # three bone stress pictures (every sixth patient)
    demo.load()
    demo_programmes.load()
    today = timezone.localdate()
    gates = {}
    for programme in Programme.objects.filter(bone_stress=True).order_by("start_date"):
        gate = stage_info(programme, today=today).gate
        gates[programme.pk] = (gate.ready, gate.cleared, gate.days_left > 0, programme.run_stage)
    # Not ready (days left, no clearance): the two bone stress pictures from the start, and the
    # patients whose MRI switched bone stress on mid-programme; one cleared and on stage 2.
    assert (False, False, True, 0) in gates.values()
    assert sorted(gates.values())[-1] == (True, True, False, 2)
    assert [g for g in gates.values() if g[0]] == [(True, True, False, 2)]
    cleared = Programme.objects.get(bone_stress=True, impact_cleared_on__isnull=False)
    assert "repeat MRI" in cleared.impact_clearance_note and cleared.impact_cleared_by == cleared.therapist
