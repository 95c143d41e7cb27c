"""The therapist's intake summary: flags first, clinical answers for clinicians only, bounded queries."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from clinic.audit.models import AccessEvent
from clinic.staff.choices import Role
from patients.intake.selectors import intake_latest_submitted
from patients.models import IntakeResponse
from tests.clinic.logins import login_verified
from tests.factories import UserFactory
from tests.patients.intake.support import (
    complete_steps,
    health_data,
    running_data,
    sign_in_to_intake,
    version,
)

pytestmark = pytest.mark.usefixtures("clean_cache")


@pytest.fixture
def submitted(client, token, invitation):
    """A submitted intake with an infection flag (fever) and a hernia flag."""
    sign_in_to_intake(client, token)
    complete_steps(
        client,
        invitation,
        health=health_data(rf_fever="yes", rf_groin_lump="yes"),
        running=running_data(goals='Sub-2 half <b>marathon</b> & "more"'),
    )
    client.post(reverse("patients:intake_submit"), {"version": version(invitation)})
    client.logout()
    return IntakeResponse.objects.get(invitation_id=invitation.pk)


def test_therapist_sees_flags_first_then_pain_load_history_goals_scores(client, submitted, physio):
    client.force_login(physio.user)

    response = client.get(reverse("patients:intake_summary", args=[submitted.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    headings = ["Red flags", "Pain", "Running load", "History", "Goals", "Baseline scores"]
    positions = [html.index(f'">{heading}</h2>') for heading in headings]
    assert positions == sorted(positions)
    assert "Possible infection" in html and "Same-day GP review" in html  # fever alone
    assert html.index("Possible infection") < html.index("Groin lump on coughing")  # most urgent first
    assert "30 km/week</strong> 4–6 weeks ago → <strong>44 km/week</strong> now (+46.7 %)" in html
    assert "Rise over 10 %" in html
    assert "<strong>43</strong> / 80" in html and "<strong>3.33</strong> / 10" in html
    assert escape('Sub-2 half <b>marathon</b> & "more"') in html and "<b>marathon</b>" not in html
    assert "5:30 /km" in html


def test_summary_records_an_access_to_the_patients_record(client, submitted, physio):
    client.force_login(physio.user)

    client.get(reverse("patients:intake_summary", args=[submitted.pk]))

    event = AccessEvent.objects.get(view_name="patients:intake_summary")
    assert (event.patient_id, event.object_label, event.object_pk) == (
        submitted.patient_id,
        "patients.intakeresponse",
        str(submitted.pk),
    )


def test_front_desk_cannot_read_clinical_answers(client, submitted, front_desk):
    client.force_login(front_desk)

    summary = client.get(reverse("patients:intake_summary", args=[submitted.pk]))
    hub = client.get(reverse("patients:detail", args=[submitted.patient_id])).content.decode()
    appointment = client.get(
        reverse("patients:appointment", args=[submitted.invitation.appointment_id])
    ).content.decode()

    assert summary.status_code == 403
    assert "The patient gave new contact details" in hub and "RS1 2AB" in hub
    for page in (hub, appointment):
        assert "Red flag to review" in page
        assert "Open intake summary" not in page
        assert "infection" not in page.lower()


def test_clinic_admin_can_read_the_summary(client, submitted):
    login_verified(client, UserFactory(role=Role.CLINIC_ADMIN))

    assert client.get(reverse("patients:intake_summary", args=[submitted.pk])).status_code == 200


def test_hub_and_appointment_page_link_the_summary_for_therapists(client, submitted, physio):
    client.force_login(physio.user)

    hub = client.get(reverse("patients:detail", args=[submitted.patient_id])).content.decode()
    appointment = client.get(
        reverse("patients:appointment", args=[submitted.invitation.appointment_id])
    ).content.decode()

    link = reverse("patients:intake_summary", args=[submitted.pk])
    assert link in hub and link in appointment
    assert "Intake: Completed" in hub


def test_summary_of_an_unsubmitted_intake_says_so(client, token, invitation, physio):
    sign_in_to_intake(client, token)
    complete_steps(
        client,
        invitation,
        steps=["about", "running", "pain", "health"],
        health=health_data(rf_cancer_history="yes", cancer_treated="within_5y"),
    )
    client.force_login(physio.user)

    html = client.get(
        reverse("patients:intake_summary", args=[IntakeResponse.objects.get().pk])
    ).content.decode()

    assert "Not submitted yet" in html
    assert "Unexplained weight loss, night sweats or history of cancer" in html


@pytest.mark.parametrize("flags", [1, 5])
def test_summary_query_count_is_bounded(
    client, token, invitation, physio, flags, django_assert_max_num_queries
):
    questions = ["fever", "groin_lump", "cancer_history", "sudden_severe", "bladder_bowel"][:flags]
    sign_in_to_intake(client, token)
    health = health_data(**{f"rf_{q}": "yes" for q in questions}, cancer_treated="within_5y")
    complete_steps(client, invitation, health=health)
    client.post(reverse("patients:intake_submit"), {"version": version(invitation)})
    client.force_login(physio.user)
    url = reverse("patients:intake_summary", args=[IntakeResponse.objects.get().pk])

    # Session, user, second factor, roles; the intake and its flags; the access event.
    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.content.decode().count("Clear this flag") == flags


def test_unknown_summary_is_404(client, physio):
    client.force_login(physio.user)

    assert client.get(reverse("patients:intake_summary", args=[999999])).status_code == 404


def test_latest_submitted_intake_for_the_assessment_prefill(submitted, invitation):
    latest = intake_latest_submitted(patient=invitation.patient)

    assert latest == submitted
    assert (latest.nprs_worst_7d, latest.lefs_score, latest.load_spike) == (6, 43, True)
    assert sorted(f.flag_code for f in latest.red_flags.all()) == ["hernia", "infection"]
