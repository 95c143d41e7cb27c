import pytest

from tests.factories import PatientFactory


@pytest.fixture
def patient(db):
    return PatientFactory()


@pytest.fixture
def patient_form_data():
    """A complete, valid PatientForm submission."""
    return {
        "first_name": "Robin",
        "last_name": "Strider",
        "preferred_name": "",
        "date_of_birth": "1990-05-17",
        "sex": "female",
        "email": "robin.strider@example.com",
        "phone": "07700 900456",
        "preferred_contact": "email",
        "address_line1": "",
        "address_line2": "",
        "town": "",
        "postcode": "",
        "emergency_contact_name": "",
        "emergency_contact_phone": "",
        "emergency_contact_relationship": "",
        "referral_source": "self",
        "referral_detail": "",
    }


@pytest.fixture
def admin_web(client, clinic_admin):
    """A client signed in as a clinic admin who has given the second factor."""
    from tests.clinic.logins import login_verified

    return login_verified(client, clinic_admin)
