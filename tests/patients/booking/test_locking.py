"""Two people changing one appointment: the second change from an old page is refused (409)."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from clinic.locking import StaleVersionError
from clinic.staff.choices import Role
from patients.booking.choices import AppointmentStatus
from patients.booking.services import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    evaluation_book,
)
from patients.models import Appointment, Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.usefixtures("frozen_monday")

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
WEDNESDAY_1115 = datetime(2026, 11, 25, 11, 15, tzinfo=UTC)


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


def two_desks(make_user) -> list[Client]:
    """Two front-desk users, each in their own browser."""
    clients = []
    for name in ("Fran Desk", "Fred Counter"):
        client = Client()
        client.force_login(make_user(Role.FRONT_DESK, full_name=name))
        clients.append(client)
    return clients


@pytest.fixture
def desks(make_user):
    return two_desks(make_user)


def move(client, appointment, *, date, time, therapist, version):
    return client.post(
        reverse("patients:appointment_reschedule", args=[appointment.pk]),
        {"date": date, "time": time, "therapist": therapist.pk, "version": version},
    )


# --- services ------------------------------------------------------------------------------------


def test_each_change_bumps_the_version(booked, front_desk, physio):
    moved = appointment_reschedule(
        appointment=booked, starts_at=WEDNESDAY_1115, by=front_desk, expected_version=1
    )
    cancelled = appointment_cancel(
        appointment=booked, by=front_desk, cancelled_by="patient", reason="Unwell", expected_version=2
    )

    assert (moved.version, cancelled.version) == (2, 3)
    assert Appointment.objects.get(pk=booked.pk).version == 3


def test_a_stale_move_raises_and_changes_nothing(booked, front_desk):
    appointment_mark(appointment=booked, action="arrived", by=front_desk, expected_version=1)
    before = Appointment.objects.filter(pk=booked.pk).values().get()

    with pytest.raises(StaleVersionError):
        appointment_reschedule(
            appointment=booked, starts_at=WEDNESDAY_1115, by=front_desk, expected_version=1
        )
    with pytest.raises(StaleVersionError):
        appointment_mark(appointment=booked, action="completed", by=front_desk, expected_version=1)

    assert Appointment.objects.filter(pk=booked.pk).values().get() == before


def test_booking_adds_an_email_with_a_new_version_but_never_replaces_one(
    front_desk, physio, location, evaluation
):
    no_email = PatientFactory(email="", phone="07700 900123")
    stale_copy = Patient.objects.get(pk=no_email.pk)
    Patient.objects.filter(pk=no_email.pk).update(email="saved@example.com", version=2)

    evaluation_book(
        patient=stale_copy,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=TUESDAY_10,
        booked_by=front_desk,
        email="typed@example.com",
    )
    other = PatientFactory(email="", phone="07700 900124")
    evaluation_book(
        patient=other,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=WEDNESDAY_1115,
        booked_by=front_desk,
        email="added@example.com",
    )

    assert Patient.objects.filter(pk=no_email.pk).values_list("email", "version").get() == (
        "saved@example.com",
        2,
    )
    assert Patient.objects.filter(pk=other.pk).values_list("email", "version").get() == (
        "added@example.com",
        2,
    )


# --- pages ---------------------------------------------------------------------------------------


def test_move_then_a_stale_cancel_gets_the_conflict_with_the_typed_reason(desks, booked, physio):
    first, second = desks

    moved = move(first, booked, date="2026-11-25", time="11:15", therapist=physio, version=1)
    refused = second.post(
        reverse("patients:appointment_cancel", args=[booked.pk]),
        {"cancelled_by": "patient", "reason": "Travelling", "version": 1},
    )

    assert (moved.status_code, refused.status_code) == (302, 409)
    current = Appointment.objects.get(pk=booked.pk)
    assert (current.status, current.starts_at, current.version) == (
        AppointmentStatus.BOOKED,
        WEDNESDAY_1115,
        2,
    )
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert 'value="Travelling"' in page
    assert page.count('name="version" value="2"') == 5  # every form on the page names the current version
    differences = {d.label: (d.saved, d.typed) for d in refused.context["conflict"].differences}
    assert differences == {"Cancelled by": ("", "Patient"), "Reason": ("", "Travelling")}


def test_two_moves_from_one_version_keep_the_second_users_time_in_the_form(desks, booked, physio, colleague):
    first, second = desks

    move(first, booked, date="2026-11-25", time="11:15", therapist=physio, version=1)
    refused = move(second, booked, date="2026-11-26", time="14:30", therapist=colleague, version=1)

    assert refused.status_code == 409
    assert Appointment.objects.get(pk=booked.pk).starts_at == WEDNESDAY_1115
    page = refused.content.decode()
    assert 'value="2026-11-26"' in page
    assert 'value="14:30"' in page
    differences = {d.label: (d.saved, d.typed) for d in refused.context["conflict"].differences}
    assert differences["Date"] == ("2026-11-25", "2026-11-26")
    assert differences["Therapist"] == ("Sam Physio", "Priya Physio")
    again = second.post(
        reverse("patients:appointment_reschedule", args=[booked.pk]),
        {**refused.context["reschedule_form"].data, "version": 2},
    )
    assert again.status_code == 302
    assert Appointment.objects.get(pk=booked.pk).therapist == colleague


def test_a_quick_action_from_an_old_day_list_is_refused(booked, make_user, time_machine):
    time_machine.move_to(datetime(2026, 11, 24, 9, 55, tzinfo=UTC), tick=False)
    first, second = two_desks(make_user)  # signed in on the day, so the sessions are fresh
    today = second.get(reverse("patients:today")).content.decode()
    assert 'name="version" value="1"' in today

    first.post(reverse("patients:appointment_mark", args=[booked.pk, "no_show"]), {"version": 1})
    refused = second.post(
        reverse("patients:appointment_mark", args=[booked.pk, "arrived"]),
        {"version": 1, "next": reverse("patients:today")},
    )

    assert refused.status_code == 409
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.NO_SHOW
    assert "Changed elsewhere" in refused.content.decode()
