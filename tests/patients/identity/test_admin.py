import pytest
from django.urls import reverse

from patients.models import AppointmentType
from tests.clinic.logins import login_verified

pytestmark = pytest.mark.django_db


def test_clinic_admin_configures_appointment_types(client, clinic_admin):
    clinic_admin.is_staff = True
    clinic_admin.save()
    login_verified(client, clinic_admin)

    response = client.post(
        reverse("admin:patients_appointmenttype_add"),
        {
            "name": "Running gait analysis",
            "kind": "follow_up",
            "duration_minutes": 45,
            "colour": "#123abc",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert AppointmentType.objects.get(name="Running gait analysis").duration_minutes == 45


def test_appointment_type_duration_is_validated(client, clinic_admin):
    clinic_admin.is_staff = True
    clinic_admin.save()
    login_verified(client, clinic_admin)

    response = client.post(
        reverse("admin:patients_appointmenttype_add"),
        {"name": "Marathon", "kind": "follow_up", "duration_minutes": 500, "colour": "#123abc"},
    )

    assert response.status_code == 200
    assert "A visit lasts 10 to 180 minutes." in response.content.decode()
