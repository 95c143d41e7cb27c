"""Two people editing one patient: the second save from an old version is refused, never merged silently."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.locking import StaleVersionError
from clinic.messaging.models import ScheduledMessage
from clinic.staff.choices import Role
from patients.identity.services import patient_archive, patient_update
from patients.models import Patient
from tests.factories import PatientFactory, ScheduledMessageFactory

pytestmark = pytest.mark.django_db


def form_data(patient: Patient, **overrides: object) -> dict[str, object]:
    """The edit form as the browser posts it, loaded from `patient` as it is now."""
    return {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "preferred_name": patient.preferred_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "email": patient.email,
        "phone": patient.phone,
        "preferred_contact": patient.preferred_contact,
        "address_line1": patient.address_line1,
        "address_line2": patient.address_line2,
        "town": patient.town,
        "postcode": patient.postcode,
        "emergency_contact_name": patient.emergency_contact_name,
        "emergency_contact_phone": patient.emergency_contact_phone,
        "emergency_contact_relationship": patient.emergency_contact_relationship,
        "referral_source": patient.referral_source,
        "referral_detail": patient.referral_detail,
        "version": patient.version,
        **overrides,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reminder_to(patient: Patient, **fields: object) -> ScheduledMessage:
    return ScheduledMessageFactory(
        kind="appointment_reminder",
        to_email=patient.email,
        patient_id=patient.pk,
        due_at=timezone.now() + timedelta(days=1),
        **fields,
    )


# --- the service ---------------------------------------------------------------------------------


def test_patient_update_from_a_stale_version_raises_and_changes_nothing():
    patient = PatientFactory(phone="07700 900123", email="ada@example.com")
    patient_update(patient=Patient.objects.get(pk=patient.pk), expected_version=1, town="Newtown")
    before = Patient.objects.filter(pk=patient.pk).values().get()

    with pytest.raises(StaleVersionError) as raised:
        patient_update(patient=patient, expected_version=1, phone="07700 900999", email="new@example.com")

    assert raised.value.current_version == 2
    assert Patient.objects.filter(pk=patient.pk).values().get() == before


def test_patient_update_bumps_the_version_only_when_something_changed():
    patient = PatientFactory(town="Oldtown")

    saved = patient_update(patient=patient, expected_version=1, town="Newtown")
    unchanged = patient_update(patient=patient, expected_version=2, town="Newtown")

    assert (saved.version, unchanged.version, patient.version) == (2, 2, 2)
    assert Patient.objects.get(pk=patient.pk).version == 2


def test_archiving_bumps_the_version_so_an_open_edit_form_is_refused(clinic_admin):
    patient = PatientFactory()

    patient_archive(patient=patient, by=clinic_admin)

    assert Patient.all_objects.get(pk=patient.pk).version == 2
    with pytest.raises(StaleVersionError):
        patient_update(patient=patient, expected_version=1, town="Anywhere")


def test_a_new_email_readdresses_the_patients_unsent_emails_only():
    patient = PatientFactory(email="old@example.com")
    waiting = reminder_to(patient)
    claimed = reminder_to(patient, status="queued")
    sent = reminder_to(patient, status="sent", sent_at=timezone.now())
    therapist_alert = ScheduledMessageFactory(to_email="therapist@example.com", patient_id=patient.pk)

    patient_update(patient=patient, expected_version=1, email="New@Example.com")

    addresses = dict(ScheduledMessage.objects.values_list("pk", "to_email"))
    assert addresses == {
        waiting.pk: "new@example.com",
        claimed.pk: "new@example.com",
        sent.pk: "old@example.com",
        therapist_alert.pk: "therapist@example.com",
    }


# --- the edit page -------------------------------------------------------------------------------


def test_two_front_desk_users_phone_then_email_second_gets_the_conflict(make_user):
    """User 1 changes the phone; user 2, from the same version, changes the email and is refused."""
    patient = PatientFactory(first_name="Ada", phone="07700 900123", email="ada@example.com")
    reminder = reminder_to(patient)
    first = signed_in(make_user(Role.FRONT_DESK, full_name="Fran Desk"))
    second = signed_in(make_user(Role.FRONT_DESK, full_name="Fred Counter"))
    url = reverse("patients:edit", args=[patient.pk])
    assert first.get(url).status_code == second.get(url).status_code == 200

    saved = first.post(url, form_data(patient, phone="07700 900999"))
    refused = second.post(url, form_data(patient, email="ada.new@example.com"))

    assert saved.status_code == 302
    assert refused.status_code == 409
    current = Patient.objects.get(pk=patient.pk)
    assert (current.phone, current.email, current.version) == ("07700 900999", "ada@example.com", 2)
    reminder.refresh_from_db()
    assert reminder.to_email == "ada@example.com"
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert "Changed elsewhere: your input is not saved yet" in page
    # The typed address is kept in the form, which now carries the current version.
    assert 'value="ada.new@example.com"' in page
    assert 'name="version" value="2"' in page
    differences = {d.label: (d.saved, d.typed) for d in refused.context["conflict"].differences}
    assert differences == {
        "Email": ("ada@example.com", "ada.new@example.com"),
        "Phone": ("07700 900999", "07700 900123"),
    }


@pytest.mark.postgres
def test_the_conflict_names_who_saved_first(make_user):
    patient = PatientFactory()
    first = signed_in(make_user(Role.FRONT_DESK, full_name="Fran Desk"))
    second = signed_in(make_user(Role.FRONT_DESK, full_name="Fred Counter"))
    url = reverse("patients:edit", args=[patient.pk])

    first.post(url, form_data(patient, town="Newtown"))
    refused = second.post(url, form_data(patient, town="Oldtown"))

    assert refused.status_code == 409
    assert refused.context["conflict"].changed_by.full_name == "Fran Desk"
    assert "Fran Desk" in refused.content.decode()


def test_saving_again_from_the_conflict_page_applies_the_input(front_desk_client):
    patient = PatientFactory(email="ada@example.com")
    url = reverse("patients:edit", args=[patient.pk])
    patient_update(patient=Patient.objects.get(pk=patient.pk), expected_version=1, town="Newtown")

    refused = front_desk_client.post(url, form_data(patient, email="ada.new@example.com"))
    again = front_desk_client.post(url, {**refused.context["form"].data})

    assert (refused.status_code, again.status_code) == (409, 302)
    current = Patient.objects.get(pk=patient.pk)
    assert (current.email, current.version) == ("ada.new@example.com", 3)


def test_a_post_without_its_version_is_refused(front_desk_client):
    patient = PatientFactory(town="Oldtown")
    data = form_data(patient, town="Newtown")
    del data["version"]

    response = front_desk_client.post(reverse("patients:edit", args=[patient.pk]), data)

    assert response.status_code == 409
    assert Patient.objects.get(pk=patient.pk).town == "Oldtown"
