import pytest


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
        # The version a freshly created patient's edit form is loaded with.
        "version": "1",
    }
