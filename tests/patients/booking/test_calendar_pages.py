"""The week calendar's page, a move posted from it, and the booking form's defaults."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.booking.services import appointment_book, appointment_cancel
from tests.factories import AppointmentTypeFactory, LocationFactory, PatientFactory

pytestmark = pytest.mark.usefixtures("frozen_monday")

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
WEEK = {"date": "2026-11-25", "view": "week"}


def _book(front_desk, physio, location, kind, starts_at, **patient):
    return appointment_book(
        patient=PatientFactory(**patient),
        therapist=physio,
        location=location,
        appointment_type=kind,
        starts_at=starts_at,
        booked_by=front_desk,
    )


@pytest.mark.parametrize("visits", [1, 4])
def test_week_grid_reads_the_same_few_queries_however_many_visits(
    front_desk_client, front_desk, physio, colleague, location, follow_up, visits
):
    for index in range(visits):
        for therapist in (physio, colleague):
            _book(front_desk, therapist, location, follow_up, TUESDAY_10 + timedelta(minutes=30 * index))

    with CaptureQueriesContext(connection) as captured:
        response = front_desk_client.get(reverse("patients:calendar"), {"location": location.pk, **WEEK})

    blocks = [b for d in response.context["grid"].days for c in d.therapists for b in c.blocks]
    assert len(blocks) == 2 * visits
    assert len(captured) == BASELINE_QUERIES


# Session, user and the location's choices, then the grid's five reads; measured
# once with the page as built, the same for one visit per therapist and for four.
BASELINE_QUERIES = 12


def test_week_grid_places_a_visit_by_its_wall_time_and_leaves_out_cancelled_ones(
    front_desk_client, front_desk, physio, location, evaluation, follow_up
):
    kept = _book(front_desk, physio, location, evaluation, TUESDAY_10, first_name="Kept")
    gone = _book(front_desk, physio, location, follow_up, TUESDAY_10 + timedelta(hours=2), first_name="Gone")
    appointment_cancel(appointment=gone, by=front_desk, cancelled_by="patient", reason="unwell")

    response = front_desk_client.get(reverse("patients:calendar"), {"location": location.pk, **WEEK})

    grid = response.context["grid"]
    tuesday = next(d for d in grid.days if d.day.isoformat() == "2026-11-24")
    (block,) = [b for c in tuesday.therapists for b in c.blocks]
    # The location opens at 08:00: 10:00 is the 25th five-minute row; an hour is 12 rows.
    assert (block.visit.pk, block.row, block.span) == (kept.pk, 25, 12)
    page = response.content.decode()
    assert "Kept" in page and "Gone" not in page
    assert [d.is_today for d in grid.days][:2] == [True, False]
    assert 'class="wk-day-head wk-today" aria-current="date"' in page
    assert f'data-move-url="{reverse("patients:appointment_reschedule", args=[kept.pk])}"' in page


def test_week_filter_shows_one_therapist(front_desk_client, physio, colleague, location):
    response = front_desk_client.get(
        reverse("patients:calendar"), {"location": location.pk, "therapist": colleague.pk, **WEEK}
    )

    assert [c.therapist_id for c in response.context["grid"].days[0].therapists] == [colleague.pk]


def test_visit_type_colours_are_a_stylesheet(front_desk_client):
    kind = AppointmentTypeFactory(colour="#e67700")

    response = front_desk_client.get(reverse("patients:calendar_colours"))

    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert f".type-{kind.pk} {{ --type-colour: #e67700; }}" in response.content.decode()


def _move(client, appointment, *, time, next_url):
    return client.post(
        reverse("patients:appointment_reschedule", args=[appointment.pk]),
        {
            "date": "2026-11-25",
            "time": time,
            "therapist": appointment.therapist_id,
            "version": appointment.version,
            "next": next_url,
        },
    )


def test_a_move_from_the_calendar_goes_back_to_it(
    front_desk_client, front_desk, physio, location, evaluation
):
    appointment = _book(front_desk, physio, location, evaluation, TUESDAY_10)
    back = f"{reverse('patients:calendar')}?location={location.pk}&date=2026-11-24&view=week"

    response = _move(front_desk_client, appointment, time="14:00", next_url=back)

    appointment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, back)
    assert appointment.starts_at == datetime(2026, 11, 25, 14, tzinfo=UTC)


def test_a_refused_move_from_the_calendar_says_why_there_and_moves_nothing(
    front_desk_client, front_desk, physio, location, evaluation, follow_up
):
    appointment = _book(front_desk, physio, location, evaluation, TUESDAY_10)
    _book(front_desk, physio, location, follow_up, datetime(2026, 11, 25, 14, 30, tzinfo=UTC))
    back = f"{reverse('patients:calendar')}?view=week"

    response = _move(front_desk_client, appointment, time="14:00", next_url=back)

    appointment.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, back)
    assert appointment.starts_at == TUESDAY_10
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Sam Physio already has an appointment at that time. Free instead: ")


def test_a_move_never_goes_back_to_another_site(front_desk_client, front_desk, physio, location, evaluation):
    appointment = _book(front_desk, physio, location, evaluation, TUESDAY_10)

    response = _move(front_desk_client, appointment, time="14:00", next_url="//evil.example/")

    assert response["Location"] == reverse("patients:appointment", args=[appointment.pk])


def test_the_booking_form_starts_at_the_only_location_and_today(front_desk_client, location, evaluation):
    form = front_desk_client.get(reverse("patients:book")).context["form"]

    assert (form["location"].value(), form["date"].value().isoformat()) == (location.pk, "2026-11-23")


def test_with_two_locations_the_desk_chooses(front_desk_client, location, evaluation):
    LocationFactory(name="Hillside")

    form = front_desk_client.get(reverse("patients:book")).context["form"]

    assert form["location"].value() is None


def test_a_patient_search_keeps_what_was_typed(front_desk_client, physio, location, evaluation):
    found = PatientFactory(first_name="Quentin", last_name="Marathon")
    typed = {
        "first_name": "Robin",
        "last_name": "Strider",
        "email": "robin@example.com",
        "therapist": physio.pk,
        "time": "10:30",
        "notes": "Outer hip pain",
    }

    searched = front_desk_client.post(reverse("patients:book"), {**typed, "search": "1", "q": "marathon"})

    page = searched.content.decode()
    assert [p.pk for p in searched.context["matches"]] == [found.pk]
    assert 'value="Robin"' in page and 'value="robin@example.com"' in page and "Outer hip pain" in page
    assert searched.context["form"].errors == {}

    chosen = front_desk_client.post(reverse("patients:book"), {**typed, "choose": found.pk})

    assert chosen.context["patient"] == found
    assert chosen.context["form"]["time"].value() == "10:30"
    assert chosen.context["form"]["therapist"].value() == str(physio.pk)


def test_enter_in_a_field_confirms_the_booking_not_the_search_or_a_match(
    front_desk_client, location, evaluation
):
    """A browser's Enter submits with the form's first button: it must be the booking's own."""
    PatientFactory(first_name="Quentin", last_name="Marathon")

    page = front_desk_client.post(reverse("patients:book"), {"search": "1", "q": "marathon"}).content.decode()

    buttons = re.findall(r'<button[^>]*form="booking-form"[^>]*>', page)
    assert buttons, "the search and the matches are buttons of the booking form"
    first = buttons[0]
    assert "name=" not in first and 'aria-hidden="true"' in first
    assert page.index(first) < page.index('id="patient-search"') < page.index("Book for this patient")
    assert "js/booking-form.js" in page


def test_arrival_comes_before_complete_on_the_visit_page(
    front_desk_client, front_desk, physio, location, evaluation
):
    appointment = _book(front_desk, physio, location, evaluation, TUESDAY_10)

    page = front_desk_client.get(reverse("patients:appointment", args=[appointment.pk])).content.decode()

    assert page.index("Mark arrived") < page.index(">Complete<") < page.index("Mark no-show")
