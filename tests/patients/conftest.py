from datetime import UTC, datetime

import pytest
import time_machine

from patients.booking.services import appointment_book
from patients.intake.services.invitations import intake_issue_token
from tests.factories import PatientFactory
from tests.patients.intake.support import DOB, VISIT

# Monday 23 November 2026, 07:00 in London (GMT, UTC+0).
MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def frozen_monday():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


# --- An invited patient: the intake's and the patient links' tests -------------------------------


@pytest.fixture
def visit(frozen_monday, physio, location, evaluation, front_desk):
    """Rosa Quill's initial evaluation on Friday 27 November, booked on Monday: it sends the intake."""
    patient = PatientFactory(
        first_name="Rosa", last_name="Quill", date_of_birth=DOB, email="rosa.quill@example.com"
    )
    return appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=VISIT,
        booked_by=front_desk,
    )


@pytest.fixture
def invitation(visit):
    return visit.intake_invitations.get()


@pytest.fixture
def token(invitation):
    """The invitation's link token, as the emailed link carries it."""
    return intake_issue_token(invitation=invitation, sent=True)
