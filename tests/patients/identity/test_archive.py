"""Soft delete: archiving a patient hides the record from everyone but clinic admins; nothing is deleted."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from clinic.staff.choices import Role
from patients.identity.selectors import patient_search
from patients.identity.services import patient_archive
from patients.models import Patient
from tests.clinic.logins import login_verified
from tests.factories import PatientFactory, UserFactory
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(clinic_admin):
    patient = PatientFactory(first_name="Archie", last_name="Vedder")
    return patient_archive(patient=patient, by=clinic_admin)


def test_clinic_admin_archives_a_patient(clinic_admin_client, clinic_admin):
    patient = PatientFactory()

    response = clinic_admin_client.post(reverse("patients:archive", args=[patient.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("patients:list")
    stored = Patient.all_objects.get(pk=patient.pk)
    assert stored.archived_at is not None
    assert stored.archived_by == clinic_admin
    assert f"{patient.full_name} archived." in response.content.decode()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST])
def test_only_clinic_admins_archive(client, role):
    patient = PatientFactory()
    client.force_login(UserFactory(role=role))

    response = client.post(reverse("patients:archive", args=[patient.pk]))

    assert response.status_code == 403
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_archive_is_post_only(clinic_admin_client):
    patient = PatientFactory()

    assert clinic_admin_client.get(reverse("patients:archive", args=[patient.pk])).status_code == 405
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_archiving_twice_keeps_the_first_time_and_person(archived, make_user):
    first_at = archived.archived_at

    patient_archive(patient=archived, by=make_user(Role.CLINIC_ADMIN))

    stored = Patient.all_objects.get(pk=archived.pk)
    assert (stored.archived_at, stored.archived_by_id) == (first_at, archived.archived_by_id)


def test_default_manager_hides_archived_patients(archived):
    active = PatientFactory()

    assert list(Patient.objects.all()) == [active]
    assert set(Patient.all_objects.all()) == {active, archived}


def test_archived_patients_are_out_of_search_and_list(front_desk_client, archived):
    assert list(patient_search(query="Vedder")) == []
    response = front_desk_client.get(reverse("patients:list"), {"q": "Vedder"})
    assert list(response.context["page"]) == []
    assert reverse("patients:detail", args=[archived.pk]) not in response.content.decode()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST])
def test_archived_hub_is_404_for_staff(client, archived, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("patients:detail", args=[archived.pk])).status_code == 404


def test_archived_hub_opens_for_clinic_admin_read_only(clinic_admin_client, archived):
    response = clinic_admin_client.get(reverse("patients:detail", args=[archived.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "This record is read-only and hidden from search." in page
    assert reverse("patients:edit", args=[archived.pk]) not in page
    assert reverse("patients:archive", args=[archived.pk]) not in page


def test_archived_record_cannot_be_edited(clinic_admin_client, archived):
    assert clinic_admin_client.get(reverse("patients:edit", args=[archived.pk])).status_code == 404


def test_hub_offers_archive_to_clinic_admins_only(client, make_user):
    patient = PatientFactory()
    action = reverse("patients:archive", args=[patient.pk])
    login_verified(client, make_user(Role.CLINIC_ADMIN))
    assert action in client.get(reverse("patients:detail", args=[patient.pk])).content.decode()

    client.force_login(make_user(Role.FRONT_DESK))
    assert action not in client.get(reverse("patients:detail", args=[patient.pk])).content.decode()


# A patient may take back an entry of their own training log typed by mistake; the row's
# change history keeps it (the log's models are history-tracked, deletes included).
OWN_LOG_ENTRY_DELETES = {"assessments:training_run_delete", "assessments:training_session_delete"}


def test_no_delete_route_for_patients():
    assert [
        r.name for r in project_routes() if "delete" in r.name and r.name not in OWN_LOG_ENTRY_DELETES
    ] == []


def test_admin_site_cannot_delete_patients(clinic_admin, archived):
    model_admin = admin_site._registry[Patient]
    request = RequestFactory().get("/")
    request.user = clinic_admin

    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, archived) is False
    assert "delete_selected" not in model_admin.get_actions(request)


def test_admin_site_still_lists_archived_patients(archived, clinic_admin):
    request = RequestFactory().get("/")
    request.user = clinic_admin

    assert archived in admin_site._registry[Patient].get_queryset(request)


@pytest.mark.postgres
def test_archiving_is_in_the_change_history(clinic_admin_client, clinic_admin):
    patient = PatientFactory()

    clinic_admin_client.post(reverse("patients:archive", args=[patient.pk]))

    event = Patient.pgh_event_model.objects.filter(pgh_obj_id=patient.pk, pgh_label="update").get()
    assert event.archived_by_id == clinic_admin.pk
    assert event.pgh_context.metadata["user"] == clinic_admin.pk


def test_patient_with_upcoming_visit_cannot_be_archived(
    frozen_monday, clinic_admin_client, clinic_admin, physio, location, follow_up
):
    from datetime import UTC, datetime

    from patients.booking.services import appointment_book

    patient = PatientFactory()
    appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=follow_up,
        starts_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
        booked_by=clinic_admin,
    )

    response = clinic_admin_client.post(reverse("patients:archive", args=[patient.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Cancel the patient's upcoming appointments before archiving the record."
    ]
    patient.refresh_from_db()
    assert patient.archived_at is None
