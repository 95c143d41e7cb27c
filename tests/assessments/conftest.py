import pytest

from assessments.record.services.assessment import assessment_start
from tests.factories import PatientFactory
from tests.patients.conftest import evaluation, follow_up, location, physio  # noqa: F401


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Robin", last_name="Strider")


@pytest.fixture
def draft(patient, therapist):
    """A draft started by the `therapist` fixture (the client's user)."""
    return assessment_start(patient=patient, therapist=therapist)
