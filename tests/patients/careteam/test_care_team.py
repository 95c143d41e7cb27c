"""Care-team access: therapists read the records of patients they treat; others break the glass."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.audit.choices import SecurityEventKind
from clinic.audit.models import AccessEvent, SecurityEvent
from clinic.staff.choices import Role
from patients.careteam.selectors import care_team_q
from patients.careteam.services import access_grant_open, care_assign
from patients.models import AccessGrant, CareAssignment, Patient, RedFlag
from tests.clinic.logins import login_verified
from tests.factories import (
    AppointmentFactory,
    AssessmentFactory,
    PatientFactory,
    ProgrammeFactory,
    SignedAssessmentFactory,
    TherapistProfileFactory,
    UserFactory,
)
from tests.patients.identity.test_views import patient_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    """A therapist with no visit, assessment, programme or assignment with the patient."""
    user = UserFactory(role=Role.THERAPIST, full_name="Olly Outsider")
    TherapistProfileFactory(user=user)
    return user


def _hub(patient: Patient) -> str:
    return reverse("patients:detail", kwargs={"pk": patient.pk})


def test_outside_the_care_team_the_hub_is_the_break_glass_page(client, outsider, patient):
    login_verified(client, outsider)
    response = client.get(_hub(patient))
    assert response.status_code == 403
    body = response.content.decode()
    assert "is not in your care team" in body
    assert reverse("patients:break_glass", kwargs={"pk": patient.pk}) in body
    assert 'name="reason"' in body
    # Nothing of the record was shown, so nothing was recorded as read.
    assert not AccessEvent.objects.filter(patient_id=patient.pk).exists()


@pytest.mark.parametrize("relation", ["visit", "assessment", "programme", "assignment"])
def test_each_relation_puts_the_therapist_in_the_care_team(client, patient, relation, clinic_admin):
    profile = TherapistProfileFactory(user=UserFactory(role=Role.THERAPIST))
    user = profile.user
    if relation == "visit":
        AppointmentFactory(patient=patient, therapist=profile)
    elif relation == "assessment":
        AssessmentFactory(patient=patient, therapist=user)
    elif relation == "programme":
        ProgrammeFactory(patient=patient, therapist=user)
    else:
        care_assign(patient=patient, therapist=user, by=clinic_admin)
    login_verified(client, user)
    assert client.get(_hub(patient)).status_code == 200
    assert AccessEvent.objects.filter(patient_id=patient.pk, user=user).count() == 1


def test_a_cancelled_visit_is_not_treatment(client, patient):
    profile = TherapistProfileFactory(user=UserFactory(role=Role.THERAPIST))
    AppointmentFactory(patient=patient, therapist=profile, status="cancelled")
    login_verified(client, profile.user)
    assert client.get(_hub(patient)).status_code == 403


def test_clinic_admin_and_front_desk_are_not_limited_by_the_care_team(
    client, patient, clinic_admin, front_desk
):
    login_verified(client, clinic_admin)
    assert client.get(_hub(patient)).status_code == 200
    login_verified(client, front_desk)
    assert client.get(_hub(patient)).status_code == 200


def test_breaking_the_glass_grants_audits_and_expires(client, outsider, patient):
    login_verified(client, outsider)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = client.post(
            reverse("patients:break_glass", kwargs={"pk": patient.pk}),
            {"reason": "Covering Sam's clinic today; patient phoned about new pain.", "next": _hub(patient)},
        )
        assert response.status_code == 302
        assert response["Location"] == _hub(patient)
        grant = AccessGrant.objects.get(user=outsider, patient=patient)
        assert grant.reason.startswith("Covering Sam's clinic")
        assert grant.expires_at == start + timedelta(hours=4)
        event = SecurityEvent.objects.get(kind=SecurityEventKind.BREAK_GLASS)
        assert event.user_id == outsider.pk
        assert f"patient {patient.pk}" in event.detail
        assert client.get(_hub(patient)).status_code == 200
        assert AccessEvent.objects.filter(patient_id=patient.pk, user=outsider).count() == 1
    # Signed in afresh each time: the session's own idle limit is not what is tested here.
    with time_machine.travel(start + timedelta(hours=3, minutes=59), tick=False):
        login_verified(client, outsider)
        assert client.get(_hub(patient)).status_code == 200
    with time_machine.travel(start + timedelta(hours=4, minutes=1), tick=False):
        login_verified(client, outsider)
        assert client.get(_hub(patient)).status_code == 403


def test_a_reason_is_required_and_what_was_typed_is_kept(client, outsider, patient):
    login_verified(client, outsider)
    response = client.post(reverse("patients:break_glass", kwargs={"pk": patient.pk}), {"reason": "need it"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "need it" in body
    assert "at least 10 characters" in body
    assert not AccessGrant.objects.exists()


def test_the_grant_never_redirects_off_site(client, outsider, patient):
    login_verified(client, outsider)
    response = client.post(
        reverse("patients:break_glass", kwargs={"pk": patient.pk}),
        {"reason": "Covering a colleague this afternoon.", "next": "https://evil.example/steal"},
    )
    assert response["Location"] == _hub(patient)


def test_a_refused_write_saves_nothing(client, outsider, patient):
    login_verified(client, outsider)
    response = client.post(
        reverse("patients:redflag_raise", kwargs={"pk": patient.pk}),
        {"code": "night_constant", "action_level": "urgent_orthopaedic", "note": "Phoned in."},
    )
    assert response.status_code == 403
    assert not RedFlag.objects.filter(patient=patient).exists()


def test_the_record_pages_of_the_clinical_record_are_guarded_too(client, outsider, patient):
    """Pages that load the record themselves (not by the patient's id in the URL) refuse as well."""
    assessment = SignedAssessmentFactory(patient=patient, therapist=UserFactory(role=Role.THERAPIST))
    login_verified(client, outsider)
    response = client.get(reverse("assessments:detail", kwargs={"pk": assessment.pk}))
    assert response.status_code == 403
    assert "is not in your care team" in response.content.decode()


def test_a_record_that_does_not_exist_is_still_404(client, outsider):
    login_verified(client, outsider)
    assert client.get(reverse("patients:detail", kwargs={"pk": 999999})).status_code == 404


def test_a_therapist_who_registers_a_patient_is_in_their_care_team(client, outsider):
    login_verified(client, outsider)
    response = client.post(
        reverse("patients:create"),
        patient_data(first_name="Nia", last_name="Newcomer", email="nia@example.com"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    patient = Patient.objects.get(last_name="Newcomer")
    assert CareAssignment.objects.filter(patient=patient, therapist=outsider, ended_at__isnull=True).exists()
    assert client.get(_hub(patient)).status_code == 200


def test_clinic_admin_assigns_and_ends_an_assignment(client, clinic_admin, outsider, patient):
    login_verified(client, clinic_admin)
    response = client.post(
        reverse("patients:care_assign", kwargs={"pk": patient.pk}),
        {"therapist": outsider.pk, "reason": "Cover"},
    )
    assert response.status_code == 302
    assignment = CareAssignment.objects.get(patient=patient, therapist=outsider)
    hub = client.get(_hub(patient)).content.decode()
    assert 'id="careteam-heading"' in hub and "Olly Outsider" in hub
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.CARE_TEAM_CHANGE, user=outsider).count() == 1
    client.post(reverse("patients:care_unassign", kwargs={"pk": assignment.pk}))
    assignment.refresh_from_db()
    assert assignment.ended_at is not None and assignment.ended_by == clinic_admin
    login_verified(client, outsider)
    assert client.get(_hub(patient)).status_code == 403


def test_therapists_cannot_assign_themselves(client, outsider, patient):
    login_verified(client, outsider)
    response = client.post(
        reverse("patients:care_assign", kwargs={"pk": patient.pk}), {"therapist": outsider.pk}
    )
    assert response.status_code == 403
    assert not CareAssignment.objects.exists()


def test_the_admin_reviews_every_grant_but_not_their_own(client, clinic_admin, outsider, patient):
    grant = access_grant_open(user=outsider, patient=patient, reason="Covering the colleague list today.")
    login_verified(client, clinic_admin)
    page = client.get(reverse("patients:access_grants")).content.decode()
    assert "Covering the colleague list today." in page
    assert f'data-grant="{grant.pk}"' in page
    client.post(
        reverse("patients:access_grant_review", kwargs={"pk": grant.pk}), {"note": "Checked the rota."}
    )
    grant.refresh_from_db()
    assert grant.reviewed_by == clinic_admin and grant.review_note == "Checked the rota."
    assert f'data-grant="{grant.pk}"' not in client.get(reverse("patients:access_grants")).content.decode()
    assert (
        f'data-grant="{grant.pk}"'
        in client.get(reverse("patients:access_grants"), {"show": "all"}).content.decode()
    )
    own = access_grant_open(user=clinic_admin, patient=patient, reason="Checking the record myself.")
    client.post(reverse("patients:access_grant_review", kwargs={"pk": own.pk}))
    own.refresh_from_db()
    assert own.reviewed_at is None


def test_the_review_list_is_for_clinic_admins_only(client, outsider):
    login_verified(client, outsider)
    assert client.get(reverse("patients:access_grants")).status_code == 403


def test_lists_of_many_patients_can_be_limited_to_the_care_team(outsider, patient, clinic_admin):
    other = PatientFactory()
    care_assign(patient=patient, therapist=outsider, by=clinic_admin)
    visible = set(Patient.objects.filter(care_team_q(outsider, field="pk")).values_list("pk", flat=True))
    assert visible == {patient.pk}
    assert other.pk in set(
        Patient.objects.filter(care_team_q(clinic_admin, field="pk")).values_list("pk", flat=True)
    )
