"""Raising a red flag by hand from the patient hub, and clearing any flag there."""

import pytest
from django.urls import reverse

from clinic.audit.models import AccessEvent
from clinic.messaging.services import About
from patients.flags.services import red_flag_raise
from patients.models import RedFlag
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db

RAISE = {
    "code": "bone_stress",
    "action_level": "stop_running_urgent_medical",
    "note": "Night pain on the phone.",
}


@pytest.fixture(autouse=True)
def _treating(therapist, patient):
    """The therapist of these tests treats the patient (the care-team rule is tested in tests/patients/careteam)."""
    treat(therapist, patient)


def test_redflag_raise_view_by_a_therapist_raises_a_clinician_flag(therapist_client, therapist, patient):
    response = therapist_client.post(reverse("patients:redflag_raise", args=[patient.pk]), RAISE)
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    flag = RedFlag.objects.get()
    assert (flag.patient, flag.source, flag.flag_code, flag.action_level, flag.raised_by, flag.note) == (
        patient,
        "clinician",
        "bone_stress",
        "stop_running_urgent_medical",
        therapist,
        "Night pain on the phone.",
    )
    assert AccessEvent.objects.filter(patient_id=patient.pk).exists()


def test_redflag_raise_view_by_a_clinic_admin_raises_a_flag(clinic_admin_client, clinic_admin, patient):
    response = clinic_admin_client.post(
        reverse("patients:redflag_raise", args=[patient.pk]),
        {**RAISE, "code": "hernia", "action_level": "routine_gp"},
    )
    assert response.status_code == 302
    assert list(RedFlag.objects.values_list("flag_code", "raised_by")) == [("hernia", clinic_admin.pk)]


def test_redflag_raise_view_is_refused_to_the_front_desk(front_desk_client, patient):
    url = reverse("patients:redflag_raise", args=[patient.pk])
    assert front_desk_client.get(url).status_code == 403
    assert front_desk_client.post(url, RAISE).status_code == 403
    assert RedFlag.objects.count() == 0


def test_redflag_raise_view_keeps_the_errors_next_to_the_fields(therapist_client, patient):
    response = therapist_client.post(
        reverse("patients:redflag_raise", args=[patient.pk]), {"code": "bone_stress"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "action_level": ["Choose how urgent the action is."],
        "note": ["Say what you found."],
    }
    assert RedFlag.objects.count() == 0


def test_patient_hub_lists_flags_of_every_source_and_clears_one(therapist_client, therapist, patient):
    checkin_flag = red_flag_raise(
        patient=patient,
        code="bone_stress",
        source="checkin",
        action_level="stop_running_urgent_medical",
        note="Week 2 check-in, answered yes: pain when walking",
        about=About(label="assessments.checkin", pk="9"),
    )
    html = therapist_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert 'id="red_flags-heading"' in html
    assert "Patient (weekly check-in)" in html and "Week 2 check-in, answered yes: pain when walking" in html
    assert reverse("patients:redflag_raise", args=[patient.pk]) in html

    response = therapist_client.post(
        reverse("patients:redflag_clear", args=[checkin_flag.pk]),
        {"action_taken": "Seen: MRI clear, running resumes.", "next": "patient"},
    )
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    checkin_flag.refresh_from_db()
    assert (checkin_flag.is_open, checkin_flag.cleared_by, checkin_flag.action_taken) == (
        False,
        therapist,
        "Seen: MRI clear, running resumes.",
    )


def test_patient_hub_shows_the_front_desk_only_that_a_flag_waits(front_desk_client, therapist, patient):
    red_flag_raise(
        patient=patient,
        code="hernia",
        source="clinician",
        action_level="routine_gp",
        note="Lump",
        by=therapist,
    )
    html = front_desk_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Red flag to review" in html
    assert "Lump" not in html and "red_flags-heading" not in html
