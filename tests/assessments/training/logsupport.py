"""A programme patient signed in to their programme pages by link, and rows of their training log."""

from datetime import timedelta

from django.urls import reverse

from assessments.models import Run
from assessments.programmes.services.links import link_issue
from tests.assessments.programmes.support import DOB, START, at, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

# Wednesday of the programme's first week, mid-morning (the clinic's time zone is GMT then).
WEDNESDAY = START + timedelta(days=2)
NOW = at(WEDNESDAY, 10)


def programme_for(therapist, *, first_name: str = "Robin", last_name: str = "Strider"):
    patient = PatientFactory(first_name=first_name, last_name=last_name, date_of_birth=DOB)
    return start_programme(therapist, patient=patient)


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


def logged_run(patient, day, *, km: float = 5, minutes: int = 30, programme=None, **fields: object) -> Run:
    return Run.objects.create(
        patient=patient,
        programme=programme,
        day=day,
        distance_m=round(km * 1000),
        duration_s=minutes * 60,
        **fields,
    )
