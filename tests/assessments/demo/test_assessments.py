"""The demo clinic's assessments: realistic, signed, with an MRI pending, a re-assessment and a stale draft."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.demo import assessments as demo
from assessments.models import Assessment, ImagingOrder
from assessments.record.presenters import comparison
from assessments.record.selectors import assessment_for_page, previous_signed, stale_drafts, strength_lsi
from patients.booking.choices import AppointmentStatus, VisitKind
from patients.models import Appointment
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_clinic(physio, location, evaluation, follow_up):
    """Six patients in treatment: a completed evaluation weeks ago and three completed follow-ups since.

    (patients.demo.appointments builds such a diary for `make run`; here it is made directly.)
    """
    booked_by = UserFactory()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for index in range(6):
        patient = PatientFactory(last_name=f"Demo{index}", date_of_birth=date(1980 + index, 5, 1))
        first = now - timedelta(weeks=5, hours=index * 2)
        visits = [(evaluation, first)] + [(follow_up, first + timedelta(weeks=w)) for w in (1, 2, 3)]
        for kind, starts_at in visits:
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
