"""Booking pages: the front desk's flow, errors kept next to the fields."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentStatus
from patients.booking.services import appointment_book
from patients.models import Appointment, IntakeInvitation, Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.usefixtures("frozen_monday")

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

# A patient link in a page: the intake or programme token path.
LINK_PATH = re.compile(r"/(?:intake|clinical/p)/[A-Za-z0-9_-]{20,}")


def new_patient_post(physio, location, kind, **overrides):
    data = {
        "first_name": "Robin",
        "last_name": "Strider",
        "date_of_birth": "1990-05-17",
        "sex": "female",
        "email": "robin.strider@example.com",
        "phone": "07700 900321",
        "appointment_type": kind.pk,
        "location": location.pk,
        "therapist": physio.pk,
        "date": "2026-11-24",
        "time": "10:00",
        "notes": "Outer hip pain on long runs",
    }
    data.update(overrides)
    return data


def test_calendar_slot_link_prefills_booking_form(front_desk_client, physio, location, evaluation):
    response = front_desk_client.get(
        reverse("patients:book"),
        {"location": location.pk, "therapist": physio.pk, "start": TUESDAY_10.isoformat()},
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert (form["date"].value().isoformat(), form["time"].value().strftime("%H:%M")) == (
        "2026-11-24",
        "10:00",
    )
    assert (form["therapist"].value(), form["appointment_type"].value()) == (physio.pk, evaluation.pk)


def test_book_new_patient_in_one_flow(front_desk_client, physio, location, evaluation):
    response = front_desk_client.post(
        reverse("patients:book"), new_patient_post(physio, location, evaluation)
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:appointment", args=[appointment.pk])
    assert appointment.patient.email == "robin.strider@example.com"
    assert appointment.notes == "Outer hip pain on long runs"
    page = front_desk_client.get(response["Location"]).content.decode()
    assert "Intake: Sent" in page


def test_duplicate_warning_keeps_input_and_confirm_books(front_desk_client, physio, location, evaluation):
    PatientFactory(first_name="Robin", last_name="Strider", date_of_birth=date(1990, 5, 17))
    data = new_patient_post(physio, location, evaluation, email="other@example.com")

    first = front_desk_client.post(reverse("patients:book"), data)

    assert first.status_code == 400
    assert first.context["form"].errors["confirm_new"][0].startswith("This may be a patient we already have")
    assert b'value="other@example.com"' in first.content
    assert [p.first_name for p in first.context["form"].duplicates] == ["Robin"]
    second = front_desk_client.post(reverse("patients:book"), {**data, "confirm_new": "on"})
    assert second.status_code == 302
    assert Patient.objects.filter(first_name="Robin").count() == 2


def test_double_booking_shows_reason_and_alternatives_and_creates_nothing(
    front_desk_client, front_desk, physio, location, evaluation
):
    appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=TUESDAY_10,
        booked_by=front_desk,
    )
    response = front_desk_client.post(
        reverse("patients:book"), new_patient_post(physio, location, evaluation)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["time"] == ["Sam Physio already has an appointment at that time."]
    assert b'value="Robin"' in response.content
    assert Patient.objects.filter(first_name="Robin").count() == 0
    slots = response.context["alternatives"]
    assert slots[0].starts_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC) or slots[0].starts_at > TUESDAY_10
    # Choosing an offered slot books it with everything typed before.
    retry = front_desk_client.post(
        reverse("patients:book"),
        {
            **new_patient_post(physio, location, evaluation),
            "slot": f"{physio.pk}|{slots[-1].starts_at.isoformat()}",
        },
    )
    assert retry.status_code == 302
    assert Appointment.objects.get(patient__first_name="Robin").starts_at == slots[-1].starts_at


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2026-11-20"}, "time", "That time is in the past: choose a time from now on."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        (
            {"phone": "12ab"},
            "phone",
            "Enter a phone number of 7 to 15 digits, e.g. 07700 900123 or +44 7700 900123.",
        ),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth", "Date of birth cannot be in the future."),
        ({"first_name": ""}, "first_name", "Required for a new patient."),
        ({"time": "18:00"}, "time", "Sam Physio is not working at Riverside at that time."),
        (
            {"email": "", "phone": "07700 900321"},
            "email",
            "An initial evaluation sends the online intake form by email: add the patient's email address here.",
        ),
    ],
    ids=["past", "email", "phone", "future-dob", "name", "outside-hours", "intake-needs-email"],
)
def test_bad_input_gets_message_next_to_field_and_keeps_input(
    front_desk_client, physio, location, evaluation, overrides, field, message
):
    response = front_desk_client.post(
        reverse("patients:book"), new_patient_post(physio, location, evaluation, **overrides)
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert b"Outer hip pain on long runs" in response.content
    assert Appointment.objects.count() == 0


def test_existing_patient_without_email_can_have_it_added(front_desk_client, physio, location, evaluation):
    patient = PatientFactory(email="", phone="07700 900555")
    data = {
        "patient": patient.pk,
        "appointment_type": evaluation.pk,
        "location": location.pk,
        "therapist": physio.pk,
        "date": "2026-11-24",
        "time": "10:00",
        "email": "found@example.com",
    }

    response = front_desk_client.post(reverse("patients:book"), data)

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.email == "found@example.com"
    assert IntakeInvitation.objects.filter(patient=patient).count() == 1


def test_booking_page_finds_existing_patient(front_desk_client, physio, location):
    PatientFactory(first_name="Quentin", last_name="Marathon")

    response = front_desk_client.post(
        f"{reverse('patients:book')}?location={location.pk}", {"search": "1", "q": "marathon"}
    )

    assert response.status_code == 200
    assert [p.last_name for p in response.context["matches"]] == ["Marathon"]
    assert Appointment.objects.count() == 0


@pytest.fixture
def booked(front_desk, physio, location, evaluation):
    return appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=TUESDAY_10,
        booked_by=front_desk,
    )


def test_check_in_from_today_list(client, front_desk, booked, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 9, 55, tzinfo=UTC), tick=False)
    client.force_login(front_desk)
    front_desk_client = client
    today = front_desk_client.get(reverse("patients:today"))
    assert [a.pk for a in today.context["appointments"]] == [booked.pk]

    response = front_desk_client.post(
        reverse("patients:appointment_mark", args=[booked.pk, "arrived"]),
        {"next": reverse("patients:today"), "version": booked.version},
    )

    assert response["Location"] == reverse("patients:today")
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.ARRIVED


def test_reschedule_view_clash_keeps_input(
    front_desk_client, front_desk, booked, physio, location, follow_up
):
    appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=follow_up,
        starts_at=TUESDAY_10 + timedelta(hours=3),
        booked_by=front_desk,
    )
    data = {"date": "2026-11-24", "time": "13:00", "therapist": physio.pk, "version": booked.version}

    response = front_desk_client.post(reverse("patients:appointment_reschedule", args=[booked.pk]), data)

    assert response.status_code == 400
    assert response.context["reschedule_form"].errors["time"] == [
        "Sam Physio already has an appointment at that time."
    ]
    assert b'value="13:00"' in response.content


def test_reschedule_and_cancel_views(front_desk_client, booked, physio):
    moved = front_desk_client.post(
        reverse("patients:appointment_reschedule", args=[booked.pk]),
        {"date": "2026-11-25", "time": "11:15", "therapist": physio.pk, "version": booked.version},
    )
    # The page after the move carries the moved visit's version.
    cancelled = front_desk_client.post(
        reverse("patients:appointment_cancel", args=[booked.pk]),
        {"cancelled_by": "patient", "reason": "Travelling", "version": booked.version + 1},
    )

    assert (moved.status_code, cancelled.status_code) == (302, 302)
    booked.refresh_from_db()
    assert booked.starts_at == datetime(2026, 11, 25, 11, 15, tzinfo=UTC)
    assert (booked.status, booked.cancel_reason) == (AppointmentStatus.CANCELLED, "Travelling")
    history = front_desk_client.get(reverse("patients:appointment", args=[booked.pk])).content.decode()
    assert "Rescheduled by" in history
    assert "Cancelled by" in history


def test_cancel_without_reason_shows_error(front_desk_client, booked):
    response = front_desk_client.post(
        reverse("patients:appointment_cancel", args=[booked.pk]),
        {"cancelled_by": "patient", "version": booked.version},
    )

    assert response.status_code == 400
    assert response.context["cancel_form"].errors["reason"] == ["This field is required."]


def test_front_desk_cannot_obtain_a_usable_intake_link_by_any_url(front_desk_client, booked):
    invitation = IntakeInvitation.objects.get(appointment=booked)
    appointment_page = front_desk_client.get(reverse("patients:appointment", args=[booked.pk]))

    resend = front_desk_client.post(reverse("patients:intake_resend", args=[invitation.pk]), follow=True)
    old_copy_url = front_desk_client.post(f"/patients/intake-invitations/{invitation.pk}/link/")

    for response in (appointment_page, resend):
        assert response.status_code == 200
        assert LINK_PATH.search(response.content.decode()) is None
    assert old_copy_url.status_code == 404
    # The new link went by email to the address on record, not to the screen.
    assert ScheduledMessage.objects.filter(
        kind="intake_invitation", status="pending", to_email=booked.patient.email
    ).exists()


def test_resend_keeps_the_invitation_and_queues_an_email(front_desk_client, booked):
    invitation = IntakeInvitation.objects.get(appointment=booked)

    response = front_desk_client.post(reverse("patients:intake_resend", args=[invitation.pk]), follow=True)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert IntakeInvitation.objects.filter(appointment=booked).count() == 1
    # The booking's email and the resend's.
    assert ScheduledMessage.objects.filter(kind="intake_invitation", status="pending").count() == 2
    assert "the links sent earlier still work" in response.content.decode()


def test_the_resend_form_offers_to_stop_earlier_links_unticked(front_desk_client, booked):
    html = front_desk_client.get(reverse("patients:appointment", args=[booked.pk])).content.decode()

    assert '<input class="form-check-input" type="checkbox" name="stop_earlier" id="id_stop_earlier">' in html
    assert "Also stop the links sent earlier (for example, sent to a wrong address)" in html


def test_calendar_day_shows_visits_and_free_slots(front_desk_client, booked, location, physio):
    response = front_desk_client.get(
        reverse("patients:calendar"), {"location": location.pk, "date": "2026-11-24"}
    )

    page = response.content.decode()
    assert booked.patient.display_name in page
    assert f"therapist={physio.pk}&amp;start=2026-11-24T09%3A00%3A00%2B00%3A00" in page
    visit_cells = [c for row in response.context["rows"] for c in row.cells if c.kind == "appointment"]
    assert [(c.appointment.pk, c.rowspan) for c in visit_cells] == [(booked.pk, 4)]


def test_calendar_week_view(front_desk_client, booked, location):
    response = front_desk_client.get(
        reverse("patients:calendar"), {"location": location.pk, "date": "2026-11-26", "view": "week"}
    )

    assert response.context["days"][0].isoformat() == "2026-11-23"
    assert booked.patient.display_name in response.content.decode()


def _queries(client, url, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_day_lists_query_count_does_not_grow_with_visits(
    front_desk_client, front_desk, physio, location, follow_up
):
    pages = [
        (reverse("patients:today"), None),
        (reverse("patients:calendar"), {"location": location.pk, "date": "2026-11-23"}),
        (reverse("patients:calendar"), {"location": location.pk, "date": "2026-11-23", "view": "week"}),
    ]

    def book_at(index):
        appointment_book(
            patient=PatientFactory(),
            therapist=physio,
            location=location,
            appointment_type=follow_up,
            starts_at=datetime(2026, 11, 23, 9, tzinfo=UTC) + timedelta(minutes=30 * index),
            booked_by=front_desk,
        )

    book_at(0)
    with_one = [_queries(front_desk_client, url, params) for url, params in pages]
    for index in range(1, 5):
        book_at(index)
    with_five = [_queries(front_desk_client, url, params) for url, params in pages]

    assert with_five == with_one


def test_export_holds_appointments_and_intake_without_token_hashes(booked):
    from patients.identity.export import patient_export

    document = patient_export(patient=booked.patient)

    appointments = document["sections"]["appointments"]
    assert [(a["id"], a["status"], a["appointment_type_name"]) for a in appointments] == [
        (booked.pk, "booked", "Initial evaluation")
    ]
    assert [e["action"] for e in appointments[0]["events"]] == ["booked"]
    intake = document["sections"]["intake"]
    assert [i["appointment_id"] for i in intake] == [booked.pk]
    assert "token_hash" not in intake[0]
