import pytest

from assessments.record.services.assessment import assessment_start


@pytest.fixture
def draft(patient, therapist):
    """A draft started by the `therapist` fixture (the client's user)."""
    return assessment_start(patient=patient, therapist=therapist)
