"""The demo clinic shows a programme switched to bone stress by an MRI reported mid-programme."""

import pytest

from assessments.demo import assessments as demo
from assessments.demo import programmes as demo_programmes
from assessments.models import ImagingOrder, ProgrammeAlert, ProgrammeRevision

pytestmark = pytest.mark.django_db


def test_demo_mri_reported_as_a_stress_reaction_switches_its_programme(demo_diary):
    demo_diary(patients=7, weeks_ago=8)
    demo.load()

    demo_programmes.load()

    order = ImagingOrder.objects.get(report_finding="stress_reaction")
    programme = order.patient.programmes.get()
    alert = ProgrammeAlert.objects.get(programme=programme, kind="bone_stress_suspected")
    revision = ProgrammeRevision.objects.get(programme=programme, action="bone_stress")
    assert (order.modality, order.status, programme.bone_stress, programme.status) == (
        "MRI",
        "reported",
        True,
        "active",
    )
    assert programme.bone_stress_since is not None and alert.resolved_at is None
    assert revision.summary.startswith("Bone stress now suspected (MRI of the hip reported: stress reaction")
