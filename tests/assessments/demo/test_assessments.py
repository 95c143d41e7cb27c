"""The demo clinic's assessments: realistic, signed, with an MRI pending, a re-assessment and a stale draft."""

import pytest

from assessments.demo import assessments as demo
from assessments.models import Assessment, ImagingOrder
from assessments.record.presenters import comparison
from assessments.record.selectors import assessment_for_page, previous_signed, stale_drafts, strength_lsi
from patients.booking.choices import AppointmentStatus, VisitKind
from patients.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_clinic(demo_diary):
    """Six patients in treatment: a completed evaluation five weeks ago and three completed follow-ups since."""
    demo_diary(patients=6, weeks_ago=5)


def test_demo_assessments(demo_clinic):
    made = demo.load()

    evaluated = Appointment.objects.filter(
        status=AppointmentStatus.COMPLETED, appointment_type__kind=VisitKind.INITIAL_EVALUATION
    )
    initial = Assessment.objects.filter(kind="initial", status="signed")
    assert sorted(initial.values_list("appointment_id", flat=True)) == sorted(
        evaluated.values_list("pk", flat=True)
    )
    assert made == initial.count() + 2
    mri = ImagingOrder.objects.get()
    assert (mri.modality, mri.status, mri.assessment.impressions.get().code) == (
        "MRI",
        "ordered",
        "BSI_FEM_NECK",
    )
    reassessment = assessment_for_page(Assessment.objects.get(kind="reassessment", status="signed").pk)
    (lsi,) = (
        c for c in comparison(previous_signed(reassessment), reassessment) if c.section == "Strength LSI"
    )
    assert (lsi.after, lsi.trend) == ("92.0 %", "better")
    assert strength_lsi(reassessment)[0].flagged is False
    draft = Assessment.objects.get(status="draft")
    assert list(stale_drafts(therapist=draft.therapist)) == [draft]


def test_demo_assessments_load_once(demo_clinic):
    demo.load()
    count = Assessment.objects.count()

    assert demo.load() == 0
    assert Assessment.objects.count() == count
