"""The care-team rule over every staff URL that names a patient's record.

Each route with an id in its URL is either listed here with the record it
opens, or exempt with a reason; a new route must choose (the completeness
test fails otherwise). For each record route: a therapist outside the care
team gets the break-the-glass page (GET, or POST for POST-only pages, before
anything is saved); the treating therapist does not; a grant opens it.
"""

import pytest
from django.urls import reverse

from assessments.imaging.services import imaging_order_create
from clinic.staff.access import view_is_public
from clinic.staff.choices import Role
from patients.careteam.services import access_grant_open
from patients.flags.services import red_flag_raise
from patients.intake.choices import FlagSource
from tests.clinic.logins import login_verified
from tests.factories import (
    AppointmentFactory,
    IntakeInvitationFactory,
    ProgrammeFactory,
    TherapistProfileFactory,
    UserFactory,
)
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# route → how to fill its URL from the record set (see `records`)
RECORD_ROUTES = {
    "patients:detail": {"pk": "patient"},
    "patients:edit": {"pk": "patient"},
    "patients:appointment": {"pk": "appointment"},
    "patients:appointment_mark": {"pk": "appointment", "action": "arrived"},
    "patients:appointment_reschedule": {"pk": "appointment"},
    "patients:appointment_cancel": {"pk": "appointment"},
    "patients:intake_resend": {"pk": "invitation"},
    "patients:reminder_turn_on": {"pk": "patient", "category": "appointment_reminders"},
    "patients:redflag_raise": {"pk": "patient"},
    "patients:redflag_clear": {"pk": "flag"},
    "assessments:start": {"patient_pk": "patient"},
    "assessments:for_appointment": {"pk": "appointment"},
    "assessments:detail": {"pk": "assessment"},
    "assessments:edit": {"pk": "assessment"},
    "assessments:autosave": {"pk": "assessment"},
    "assessments:summary": {"pk": "assessment"},
    "assessments:imaging_new": {"pk": "assessment"},
    "assessments:imaging_detail": {"pk": "imaging"},
    "assessments:programme_new": {"assessment_pk": "assessment"},
    "assessments:programme_detail": {"pk": "programme"},
    "assessments:programme_edit": {"pk": "programme"},
    "assessments:programme_phase": {"pk": "programme", "phase_pk": "phase"},
    "assessments:programme_phase_move": {"pk": "programme"},
    "assessments:programme_progress": {"pk": "programme"},
    "assessments:training_timeline": {"pk": "programme"},
    "assessments:programme_ladder": {"pk": "programme"},
    "assessments:programme_readiness": {"pk": "programme"},
    "assessments:programme_alert_resolve": {"pk": "programme", "alert_pk": "sample"},
    "assessments:programme_visit_note": {"pk": "programme"},
    "assessments:programme_book": {"pk": "programme"},
    "assessments:programme_link": {"pk": "programme"},
    "assessments:programme_outcome": {"pk": "programme"},
    "assessments:programme_discharge": {"pk": "programme"},
    "assessments:summary_pdf": {"pk": "assessment"},
    "assessments:discharge_report_pdf": {"pk": "programme"},
    "assessments:exercise_sheet_pdf": {"pk": "programme"},
    "assessments:discharge_report_email": {"pk": "programme"},
}
EXEMPT = {
    "patients:break_glass": "the way into a record outside the care team",
    "patients:archive": "clinic admins only (not limited by the care team)",
    "patients:access_report": "clinic admins only",
    "patients:export": "clinic admins only",
    "patients:care_assign": "clinic admins only",
    "patients:care_unassign": "clinic admins only",
    "patients:access_grant_review": "clinic admins only",
    "patients:intake_summary": "opens an intake response: listed below with its own record",
    "assessments:access_request": "clinic admins only (the access-request pack)",
    "assessments:exercise_edit": "the exercise catalogue, no patient",
    "assessments:exercise_media": "the exercise catalogue's image or video, no patient",
    "messaging:retry": "clinic admins only (the outbox)",
    "patients:online_request_approve": "the desk's answer to an online booking (no clinical record)",
    "patients:online_request_decline": "the desk's answer to an online booking (no clinical record)",
    "patients:identity_review": "the desk's duplicate check of an online booking (identity only)",
    "fhir_clients:rotate": "clinic admins only, no patient",
    "fhir_clients:revoke": "clinic admins only, no patient",
    "fhir:patient_read": "API clients by token, not staff (no care team)",
    "fhir:patient_everything": "API clients by token, not staff (no care team)",
    "fhir:read": "API clients by token, not staff (no care team)",
    "fhir:unknown": "API clients by token, not staff (no care team)",
}
# Routes whose URL holds an id but are checked with a record made below rather than by RECORD_ROUTES.
EXTRA = {"patients:intake_summary"}


def _routes_with_ids() -> set[str]:
    return {
        route.name
        for route in project_routes()
        if not view_is_public(route.view) and ("/1/" in route.url or "/sample/" in route.url)
    }


def test_every_route_with_an_id_is_listed_or_exempt():
    assert _routes_with_ids() - set(RECORD_ROUTES) - set(EXEMPT) == set()
    assert set(RECORD_ROUTES) - _routes_with_ids() == set(), "listed routes that no longer exist"


@pytest.fixture
def records(db):
    treating = TherapistProfileFactory(user=UserFactory(role=Role.THERAPIST, full_name="Tess Treating"))
    programme = ProgrammeFactory(therapist=treating.user)
    patient = programme.patient
    assessment = programme.assessment
    appointment = AppointmentFactory(patient=patient, therapist=treating)
    invitation = IntakeInvitationFactory(patient=patient, appointment=appointment)
    flag = red_flag_raise(
        patient=patient,
        code="night_constant",
        source=FlagSource.CLINICIAN,
        action_level=_a_level(),
        note="Phoned in.",
        by=treating.user,
    )
    imaging = imaging_order_create(assessment=assessment, by=treating.user, **_imaging_fields())
    return {
        "treating": treating.user,
        "patient": patient,
        "assessment": assessment,
        "programme": programme,
        "phase": programme.phases.first(),
        "appointment": appointment,
        "invitation": invitation,
        "flag": flag,
        "imaging": imaging,
    }


def _a_level() -> str:
    from patients.intake.choices import ActionLevel

    return ActionLevel.values[-1]


def _imaging_fields() -> dict[str, object]:
    from tests.assessments.imaging.test_imaging import MRI

    return dict(MRI)


def _url(name: str, records: dict) -> str:
    kwargs = {}
    for key, source in RECORD_ROUTES[name].items():
        obj = records.get(source)
        kwargs[key] = obj.pk if obj is not None else (1 if key.endswith("pk") else source)
    return reverse(name, kwargs=kwargs)


def _open(client, url: str):
    response = client.get(url)
    if response.status_code == 405:  # a POST-only page: an empty form, refused before anything is saved
        response = client.post(url, {})
    return response


@pytest.fixture
def outsider(db):
    user = UserFactory(role=Role.THERAPIST, full_name="Olly Outsider")
    TherapistProfileFactory(user=user)
    return user


@pytest.mark.parametrize("name", sorted(RECORD_ROUTES))
def test_outside_the_care_team_every_record_page_asks_to_break_the_glass(client, records, outsider, name):
    login_verified(client, outsider)
    response = _open(client, _url(name, records))
    assert response.status_code == 403, name
    assert "is not in your care team" in response.content.decode()


@pytest.mark.parametrize("name", sorted(RECORD_ROUTES))
def test_the_treating_therapist_and_a_granted_one_are_let_in(client, records, outsider, name):
    url = _url(name, records)
    login_verified(client, records["treating"])
    assert client.get(url).status_code != 403, name
    access_grant_open(user=outsider, patient=records["patient"], reason="Covering Tess's list today.")
    login_verified(client, outsider)
    assert client.get(url).status_code != 403, name


def test_the_intake_summary_follows_the_rule(client, outsider, records):
    from patients.intake.services.responses import intake_response_for

    response_row = intake_response_for(invitation=records["invitation"])
    url = reverse("patients:intake_summary", kwargs={"pk": response_row.pk})
    login_verified(client, outsider)
    assert client.get(url).status_code == 403
    login_verified(client, records["treating"])
    assert client.get(url).status_code != 403
