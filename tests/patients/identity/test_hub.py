"""The patient hub: sections registered by each app, shown by role; the appointments card."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.staff.choices import Role
from patients.booking.choices import AppointmentStatus
from patients.booking.selectors import PAST_VISITS_SHOWN, patient_visits
from patients.identity import hub
from patients.models import Appointment
from tests.clinic.logins import login_verified
from tests.factories import PatientFactory, UserFactory
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db

# Monday 1 June 2026, 09:00 UTC: 10:00 in London (BST), so a UTC time shown as is would be wrong.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _visit(patient, therapist, location, kind, starts_at, status=AppointmentStatus.BOOKED) -> Appointment:
    return Appointment.objects.create(
        patient=patient,
        therapist=therapist,
        location=location,
        appointment_type=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=kind.duration_minutes),
        status=status,
        created_by=UserFactory(),
    )


def _hub(client, patient) -> str:
    response = client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_patient_detail_template_loads_no_clinical_tags():
    source = (Path(settings.BASE_DIR) / "templates/patients/identity/patient_detail.html").read_text()

    assert "assessments_tags" not in source
    assert "programme_tags" not in source
    assert "patient_clinical" not in source


def test_hub_sections_are_registered_by_both_apps_in_order():
    sections = hub.hub_sections()

    assert [(s.name, s.roles) for s in sections] == [
        ("appointments", ()),
        ("red_flags", (Role.THERAPIST,)),
        ("intake", ()),
        ("reminders", ()),
        ("clinical", (Role.THERAPIST,)),
        ("programmes", (Role.THERAPIST,)),
        ("careteam", (Role.CLINIC_ADMIN,)),
        ("documents", (Role.CLINIC_ADMIN,)),
    ]


@pytest.mark.parametrize(
    ("role", "clinical"),
    [(Role.THERAPIST, True), (Role.CLINIC_ADMIN, True), (Role.FRONT_DESK, False)],
)
def test_hub_shows_the_clinical_sections_to_therapists_and_admins_only(client, role, clinical):
    user = UserFactory(role=role)
    patient = PatientFactory()
    if role == Role.THERAPIST:
        treat(user, patient)
    login_verified(client, user)
    page = _hub(client, patient)

    assert ('id="clinical-heading"' in page, 'id="programmes-heading"' in page) == (clinical, clinical)
    assert ("New assessment" in page, "No programme started." in page) == (clinical, clinical)
    assert ('id="appointments-heading"' in page, 'id="intake-heading"' in page) == (True, True)


def test_hub_hidden_sections_cost_no_query(client, front_desk, therapist):
    patient = PatientFactory()
    treat(therapist, patient)
    client.force_login(front_desk)
    with CaptureQueriesContext(connection) as desk:
        _hub(client, patient)
    client.force_login(therapist)
    with CaptureQueriesContext(connection) as physio:
        _hub(client, patient)

    # The therapist's three extra sections read red flags, assessments, outstanding orders and
    # programmes; the care-team rule is one more query.
    assert len(physio) == len(desk) + 5


def test_a_hub_section_name_is_registered_once(monkeypatch):
    monkeypatch.setattr(hub, "_SECTIONS", dict(hub._SECTIONS))
    section = hub.HubSection("notes", "Notes", 50, "notes.html", lambda request, patient: {})
    hub.register_hub_section(section)
    hub.register_hub_section(section)  # the same section again (ready() twice) is fine

    with pytest.raises(ValueError, match="already registered"):
        hub.register_hub_section(hub.HubSection("notes", "Other", 60, "other.html", section.context))


def test_hub_without_visits_says_none_booked(front_desk_client):
    page = _hub(front_desk_client, PatientFactory())

    assert "No appointments booked." in page
    assert 'id="upcoming-visits-heading"' not in page


def test_hub_lists_upcoming_then_past_visits_in_the_clinic_zone(
    front_desk_client, physio, location, evaluation, follow_up
):
    patient = PatientFactory()
    past = _visit(
        patient,
        physio,
        location,
        evaluation,
        datetime(2026, 5, 20, 13, 0, tzinfo=UTC),
        AppointmentStatus.COMPLETED,
    )
    upcoming = _visit(patient, physio, location, follow_up, datetime(2026, 6, 10, 8, 30, tzinfo=UTC))
    _visit(PatientFactory(), physio, location, follow_up, datetime(2026, 6, 11, 8, 30, tzinfo=UTC))

    with time_machine.travel(NOW, tick=False):
        page = _hub(front_desk_client, patient)

    card = page.split('id="appointments-heading"')[1].split('id="intake-heading"')[0]
    upcoming_part, past_part = card.split('id="past-visits-heading"')
    assert 'id="upcoming-visits-heading"' in upcoming_part
    assert reverse("patients:appointment", args=[upcoming.pk]) in upcoming_part
    assert "Wed 10 Jun 2026, 09:30–10:00</a>" in upcoming_part
    assert "Follow-up" in upcoming_part and "Initial evaluation" not in upcoming_part
    assert ">Booked</span>" in upcoming_part
    assert reverse("patients:appointment", args=[past.pk]) in past_part
    assert "Wed 20 May 2026, 14:00–15:00</a>" in past_part
    assert "Initial evaluation" in past_part and ">Completed</span>" in past_part
    assert "Sam Physio" in past_part and "Riverside" in past_part
    assert "Past <span" in past_part and "(1)</span>" in past_part
    assert card.count("<tr class=") == 2


def test_patient_visits_counts_a_visit_under_way_as_upcoming(physio, location, evaluation, follow_up):
    patient = PatientFactory()
    under_way = _visit(
        patient, physio, location, evaluation, NOW - timedelta(minutes=30), AppointmentStatus.ARRIVED
    )
    cancelled = _visit(
        patient, physio, location, follow_up, NOW + timedelta(days=2), AppointmentStatus.CANCELLED
    )
    earlier = _visit(patient, physio, location, follow_up, NOW - timedelta(days=7), AppointmentStatus.NO_SHOW)

    visits = patient_visits(patient=patient, now=NOW)

    assert ([a.pk for a in visits.upcoming], [a.pk for a in visits.past], visits.past_count) == (
        [under_way.pk, cancelled.pk],
        [earlier.pk],
        1,
    )


def _history(patient, physio, location, kind, count: int, *, hour: int) -> None:
    for week in range(count):
        starts_at = NOW.replace(hour=hour) - timedelta(weeks=week + 1)
        _visit(patient, physio, location, kind, starts_at, AppointmentStatus.COMPLETED)


@pytest.mark.parametrize("past", [PAST_VISITS_SHOWN + 1, 3 * PAST_VISITS_SHOWN])
def test_hub_visits_take_the_same_queries_however_long_the_history(
    front_desk_client, physio, location, follow_up, past
):
    few, many = PatientFactory(), PatientFactory()
    _history(few, physio, location, follow_up, PAST_VISITS_SHOWN + 1, hour=9)
    _history(many, physio, location, follow_up, past, hour=11)
    for hour, patient in ((9, few), (11, many)):
        _visit(patient, physio, location, follow_up, NOW.replace(hour=hour) + timedelta(days=3))

    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as baseline:
            _hub(front_desk_client, few)
        with CaptureQueriesContext(connection) as listed:
            page = _hub(front_desk_client, many)

    assert len(listed) == len(baseline)
    assert f"(latest {PAST_VISITS_SHOWN} of {past})" in page
    assert page.split('id="past-visits-heading"')[1].count("<tr class=") == PAST_VISITS_SHOWN
