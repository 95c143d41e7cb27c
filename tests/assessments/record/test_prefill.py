"""The subjective part starts from the submitted intake; the patient's words are kept beside edits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Subjective
from assessments.record.prefill import subjective_from_intake
from assessments.record.services.assessment import assessment_start
from tests.assessments.record.helpers import save
from tests.assessments.record.intake_helpers import submitted_intake

pytestmark = pytest.mark.django_db


def test_no_submitted_intake_gives_nothing(patient):
    assert subjective_from_intake(patient) == {}


def test_prefill_maps_the_intake_answers(patient):
    submitted_intake(patient)

    prefill = subjective_from_intake(patient)

    assert prefill["fields"]["nprs_now"] == 3
    assert prefill["fields"]["pain_pattern"] == "with_loading"
    assert prefill["fields"]["weekly_km"] == Decimal(44)
    assert (
        prefill["fields"]["pain_location"]
        == "Front of the hip / groin (right); Outside of the hip (the bony point) (right)"
    )
    assert "coming on earlier in each run" in prefill["fields"]["history"]
    assert prefill["body_weight_kg"] == Decimal("61.5")
    assert [f["code"] for f in prefill["flags"]] == ["bone_stress"]


def test_start_copies_the_intake_and_keeps_it_beside_the_therapists_edit(patient, therapist):
    submitted_intake(patient)
    assessment = assessment_start(patient=patient, therapist=therapist)

    save(assessment, therapist, subjective={"nprs_now": 5, "pain_location": "Right groin"})

    subjective = Subjective.objects.get(assessment=assessment)
    assert (subjective.nprs_now, subjective.pain_location) == (5, "Right groin")
    assert subjective.intake_snapshot["said"]["nprs_now"] == "3"
    assert subjective.intake_snapshot["said"]["pain_pattern"] == "Only with running or loading"
    assert assessment.body_weight_kg == Decimal("61.5")


def test_edit_page_shows_patient_said_and_the_red_flag(therapist_client, patient, therapist):
    submitted_intake(patient)
    assessment = assessment_start(patient=patient, therapist=therapist)
    save(assessment, therapist, subjective={"nprs_now": 5})

    html = therapist_client.get(reverse("assessments:edit", kwargs={"pk": assessment.pk})).content.decode()

    assert "Patient said" in html
    assert "edited by therapist" in html
    assert "Open red flag:" in html
    assert "Red flags from the intake" in html
