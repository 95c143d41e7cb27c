import pytest

from tests.patients.intake.support import sign_in_to_intake


@pytest.fixture
def patient_client(client, token):
    """A client past the intake link's identity check (the patient's own phone or computer)."""
    sign_in_to_intake(client, token)
    return client
