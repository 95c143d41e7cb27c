"""The Django admin: patient and clinical rows read-only or absent, audited, and never searched by name."""

import pytest
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from clinic.audit.models import AccessEvent
from clinic.messaging.models import ScheduledMessage
from patients.models import Appointment, Patient
from tests.clinic.logins import login_verified
from tests.factories import AppointmentFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _holds_patient_data(model: type) -> bool:
    fields = {f.name for f in model._meta.get_fields()}
    return model is Patient or "patient" in fields or "patient_id" in fields


@pytest.fixture
def superuser():
    return UserFactory(email="root@stride.test", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    return login_verified(client, superuser)


def test_no_clinical_record_model_is_in_the_admin():
    assert [m for m in admin_site._registry if m._meta.app_label == "assessments"] == []


def test_every_admin_page_of_patient_rows_is_read_only_and_unsearchable(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    patient_models = [m for m in admin_site._registry if _holds_patient_data(m)]

    assert {Patient, Appointment, ScheduledMessage} <= set(patient_models)
    for model in patient_models:
        model_admin = admin_site._registry[model]
        assert model_admin.has_add_permission(request) is False, model
        assert model_admin.has_change_permission(request) is False, model
        assert model_admin.has_delete_permission(request) is False, model
        assert model_admin.get_search_fields(request) == (), model


def test_every_patient_model_of_the_project_is_covered():
    # A new model about patients must be registered read-only or not at all.
    project = [m for m in apps.get_models() if m.__module__.startswith(("patients", "assessments", "clinic"))]
    # The audit trail's own rows name patients by id only; reading them is not reading a record.
    registered = [
        m for m in project if m in admin_site._registry and _holds_patient_data(m) and m is not AccessEvent
    ]
    assert registered
    for model in registered:
        assert hasattr(admin_site._registry[model], "access_patient_id"), model


def test_patient_list_names_no_patient_and_has_no_search_box(admin_client):
    PatientFactory(first_name="Robin", last_name="Strider", email="robin@example.com")

    page = admin_client.get(reverse("admin:patients_patient_changelist")).content.decode()

    assert "Strider" not in page
    assert "robin@example.com" not in page
    assert 'name="q"' not in page
    assert AccessEvent.objects.count() == 0


def test_a_search_in_the_url_finds_nothing_by_name(admin_client):
    PatientFactory(last_name="Strider")
    PatientFactory(last_name="Walker")

    response = admin_client.get(reverse("admin:patients_patient_changelist"), {"q": "Strider"})

    # No search fields: the query string is refused, not used as a search.
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["cl"].result_count == 2


def test_opening_a_patient_in_the_admin_writes_an_access_event(admin_client, superuser):
    patient = PatientFactory(last_name="Strider")

    response = admin_client.get(reverse("admin:patients_patient_change", args=[patient.pk]))

    assert response.status_code == 200
    assert "Strider" in response.content.decode()
    event = AccessEvent.objects.get()
    assert (event.user, event.patient_id, event.object_label, event.object_pk) == (
        superuser,
        patient.pk,
        "patients.patient",
        str(patient.pk),
    )
    assert event.view_name == "admin:patients_patient_change"


def test_a_patient_history_page_in_the_admin_writes_an_access_event(admin_client):
    patient = PatientFactory()

    response = admin_client.get(reverse("admin:patients_patient_history", args=[patient.pk]))

    assert response.status_code == 200
    assert list(AccessEvent.objects.values_list("patient_id", "view_name")) == [
        (patient.pk, "admin:patients_patient_history")
    ]


def test_posting_a_change_to_a_patient_in_the_admin_is_refused(admin_client):
    patient = PatientFactory(last_name="Strider")

    response = admin_client.post(
        reverse("admin:patients_patient_change", args=[patient.pk]), {"last_name": "Changed"}
    )

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.last_name == "Strider"
    assert AccessEvent.objects.count() == 0


def test_a_missing_patient_in_the_admin_records_nothing(admin_client):
    response = admin_client.get(reverse("admin:patients_patient_change", args=[999999]))

    assert response.status_code in (302, 404)
    assert AccessEvent.objects.count() == 0


def test_opening_an_appointment_in_the_admin_records_its_patient(admin_client):
    appointment = AppointmentFactory()

    listing = admin_client.get(reverse("admin:patients_appointment_changelist")).content.decode()
    response = admin_client.get(reverse("admin:patients_appointment_change", args=[appointment.pk]))

    assert appointment.patient.last_name not in listing
    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.patient_id, event.object_label, event.object_pk) == (
        appointment.patient_id,
        "patients.appointment",
        str(appointment.pk),
    )


def test_outbox_rows_in_the_admin_show_no_address_and_are_audited(admin_client):
    patient = PatientFactory()
    row = ScheduledMessage.objects.create(
        kind="test", to_email="robin@example.com", patient_id=patient.pk, due_at="2026-03-02T09:00Z", key="k1"
    )

    listing = admin_client.get(reverse("admin:messaging_scheduledmessage_changelist")).content.decode()
    response = admin_client.get(reverse("admin:messaging_scheduledmessage_change", args=[row.pk]))

    assert "robin@example.com" not in listing
    assert 'name="q"' not in listing
    assert response.status_code == 200
    assert list(AccessEvent.objects.values_list("patient_id", flat=True)) == [patient.pk]
