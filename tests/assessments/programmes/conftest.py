import pytest

from tests.assessments.programmes.support import DOB, start_programme
from tests.factories import PatientFactory


@pytest.fixture
def programme(therapist):
    """A six-week programme from START for Robin O'Strider (an apostrophe for the link's identity check)."""
    patient = PatientFactory(first_name="Robin", last_name="O'Strider", date_of_birth=DOB)
    return start_programme(therapist, patient=patient)
