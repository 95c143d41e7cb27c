"""A programme patient signed in by link in October 2026, when the sample files were recorded."""

from datetime import UTC, date, datetime
from pathlib import Path

from django.urls import reverse

from assessments.programmes.services.links import link_issue
from tests.assessments.programmes.support import DOB, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# Monday 5 October 2026: the samples' week.
START = date(2026, 10, 5)
# Wednesday 14 October 2026, noon UTC (13:00 in London): after every sample run.
NOW = datetime(2026, 10, 14, 12, 0, tzinfo=UTC)
UPLOAD = reverse("assessments:training_import")
PREVIEW = reverse("assessments:training_import_preview")
CANCEL = reverse("assessments:training_import_cancel")


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def runner_programme(therapist, *, first_name: str = "Robin", last_name: str = "Strider"):
    patient = PatientFactory(first_name=first_name, last_name=last_name, date_of_birth=DOB)
    return start_programme(
        therapist, patient=patient, start_date=START, now=datetime(2026, 10, 2, 9, tzinfo=UTC)
    )


def sign_in(client, programme, therapist, *, last_name: str = "strider") -> None:
    """Open the programme link on `client` and pass the identity check (and the emailed code)."""
    token = link_issue(programme=programme, by=therapist, emailed=False)
    client.get(reverse("assessments:checkin_start", args=[token]))
    response = client.post(
        reverse("assessments:checkin_check"),
        {"last_name": last_name, "dob_day": DOB.day, "dob_month": DOB.month, "dob_year": DOB.year},
        REMOTE_ADDR="203.0.113.7",
    )
    assert pass_code_step(client, response, "assessments:checkin_code").status_code == 302
