"""Change history of what a patient or reviewer may ask about: red flags, intake answers, reminder choices.

Each change lands in its append-only `<Model>AuditEvent` table (PostgreSQL
triggers), with the request's context: who (the signed-in member of staff, or
nobody when the patient acts through their link), which URL and which request.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.intake.choices import ActionLevel, RedFlagCode, ReminderCategory
from patients.models import IntakeResponse, RedFlag, ReminderPreference
from tests.patients.careteam.support import treat
from tests.patients.intake.support import complete_steps, health_data, post_step

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_red_flag_clearance_is_recorded_with_the_clinician(therapist_client, therapist, patient):
    treat(therapist, patient)
    flag = RedFlag.objects.create(
        patient=patient,
        flag_code=RedFlagCode.values[0],
        action_level=ActionLevel.values[0],
        detected_at=timezone.now(),
    )
    url = reverse("patients:redflag_clear", args=[flag.pk])

    response = therapist_client.post(
        url, {"action_taken": "Phoned: no fever since.", "referred_to": "GP", "next": "patient"}
    )

    assert response.status_code == 302
    event = flag.audit_events.get(pgh_label="update")
    assert (event.cleared_by_id, event.action_taken, event.referred_to) == (
        therapist.pk,
        "Phoned: no fever since.",
        "GP",
    )
    assert event.cleared_at is not None
    assert event.pgh_context.metadata == {
        "user": therapist.pk,
        "url": url,
        "request_id": response["X-Request-ID"],
    }
    assert list(flag.audit_events.order_by("pgh_id").values_list("pgh_label", flat=True)) == [
        "insert",
        "update",
    ]


def test_an_intake_answer_change_is_recorded_with_the_patients_request(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=("about", "running", "pain", "health"))
    url = reverse("patients:intake_step", args=["health"])

    response = post_step(patient_client, invitation, "health", health_data(medications="Ibuprofen 200 mg"))

    assert response.status_code == 302
    intake = IntakeResponse.objects.get(invitation=invitation)
    changes = [e for e in intake.audit_events.order_by("pgh_id") if e.pgh_label == "update"]
    assert [e.medications for e in changes][-2:] == ["None", "Ibuprofen 200 mg"]
    last = changes[-1]
    assert last.conditions == "Asthma"
    # The patient acts through their link: no staff account, the portal's URL and request.
    assert last.pgh_context.metadata == {"user": None, "url": url, "request_id": response["X-Request-ID"]}


def test_autosaved_drafts_do_not_fill_the_history(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=("about",))
    intake = IntakeResponse.objects.get(invitation=invitation)
    before = intake.audit_events.count()

    IntakeResponse.objects.filter(pk=intake.pk).update(draft={"running": {"runs_per_week": ["4"]}})

    assert intake.audit_events.count() == before
    assert "draft" not in {f.name for f in intake.audit_events.model._meta.fields}


def test_reminder_choice_changes_are_recorded(patient):
    preference = ReminderPreference.objects.create(
        patient=patient, category=ReminderCategory.values[0], opted_in=True, recorded_at=timezone.now()
    )

    ReminderPreference.objects.filter(pk=preference.pk).update(opted_in=False)

    assert list(preference.audit_events.order_by("pgh_id").values_list("pgh_label", "opted_in")) == [
        ("insert", True),
        ("update", False),
    ]


def test_invitation_events_are_recorded(invitation):
    assert invitation.audit_events.filter(pgh_label="insert").count() == 1
