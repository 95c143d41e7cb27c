"""The offer's claim link and the join page, as the patient uses them."""

import time
from datetime import timedelta

import pytest
from django.conf import settings

from clinic.audit.models import AccessActor, AccessEvent
from patients.booking.choices import AppointmentStatus
from patients.booking.waitlist.choices import PartOfDay, WaitlistStatus
from patients.booking.waitlist.services import waitlist_match
from patients.booking.waitlist.views import VERIFIED
from patients.models import Appointment, WaitlistEntry
from tests.factories import PatientFactory
from tests.patients.booking.links import emailed_path
from tests.patients.booking.waitlist.support import cancel, join

pytestmark = pytest.mark.usefixtures("clean_cache")


@pytest.fixture
def two_offers(full_wednesday, frozen_monday, location, online_follow_up, front_desk):
    first = join(PatientFactory(last_name="First", email="first@example.com"), location, online_follow_up)
    frozen_monday.shift(timedelta(minutes=1))
    second = join(PatientFactory(last_name="Second", email="second@example.com"), location, online_follow_up)
    cancel(full_wednesday, front_desk)
    waitlist_match(location=location)
    return first, second


def test_the_first_to_confirm_gets_the_time_and_the_other_is_told_it_is_taken(
    client, two_offers, mailoutbox, physio
):
    first, second = two_offers
    first_path = emailed_path(mailoutbox, "offer", to="first@example.com")
    second_path = emailed_path(mailoutbox, "offer", to="second@example.com")

    shown = client.get(second_path)
    won = client.post(second_path)
    lost = client.post(first_path)

    assert shown.status_code == 200
    assert "Wednesday 25 November 2026, 10:00–10:30" in shown.content.decode()
    assert (won.status_code, lost.status_code) == (200, 409)
    assert "This time is booked for you" in won.content.decode()
    assert "That time has been taken — you are still on the waitlist" in lost.content.decode()
    booked = Appointment.objects.get(therapist=physio, status=AppointmentStatus.BOOKED)
    assert booked.patient == second.patient
    assert WaitlistEntry.objects.get(pk=first.pk).status == WaitlistStatus.ACTIVE
    assert set(AccessEvent.objects.filter(view_name="waitlist:offer").values_list("actor", flat=True)) == {
        AccessActor.PATIENT
    }


def test_an_expired_offer_says_so_and_books_nothing(client, two_offers, mailoutbox, frozen_monday, physio):
    path = emailed_path(mailoutbox, "offer", to="first@example.com")
    frozen_monday.shift(timedelta(minutes=settings.WAITLIST_OFFER_MINUTES))

    shown = client.get(path)
    refused = client.post(path)

    assert "This offer has expired" in shown.content.decode()
    assert 'method="post"' not in shown.content.decode()
    assert refused.status_code == 410
    assert not Appointment.objects.filter(therapist=physio, status=AppointmentStatus.BOOKED).exists()


def test_an_unknown_offer_token_is_not_found(client, two_offers):
    assert client.get("/book/offer/" + "A" * 43 + "/").status_code == 404
    assert client.post("/book/offer/" + "A" * 43 + "/").status_code == 404


def test_joining_needs_a_verified_patient(client, location, online_follow_up):
    response = client.get("/book/waitlist/join/", {"location": location.pk, "type": online_follow_up.pk})

    assert response.status_code == 403
    assert "confirm your email first" in response.content.decode()


def test_a_verified_patient_joins_with_the_days_and_times_that_suit(
    client, frozen_monday, location, online_follow_up, physio
):
    patient = PatientFactory()
    session = client.session
    session[VERIFIED] = {"id": patient.pk, "until": int(time.time()) + 600}
    session.save()

    refused = client.post(
        "/book/waitlist/join/",
        {"location": location.pk, "type": online_follow_up.pk, "weekdays": ["0", "2"], "until": "2026-12-10"},
    )
    joined = client.post(
        "/book/waitlist/join/",
        {
            "location": location.pk,
            "type": online_follow_up.pk,
            "therapist": physio.pk,
            "weekdays": ["0", "2"],
            "parts_of_day": [str(PartOfDay.EVENING)],
            "until": "2026-12-10",
        },
    )

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Choose at least one time of day, or give a time range." in page
    assert 'value="2026-12-10"' in page  # a failed save keeps what was typed
    assert joined.status_code == 200
    entry = WaitlistEntry.objects.get()
    assert (entry.patient, entry.therapist, entry.weekdays, entry.parts_of_day) == (
        patient,
        physio,
        0b101,
        PartOfDay.EVENING,
    )
