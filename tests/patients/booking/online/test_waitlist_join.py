"""From the public slot list to the waitlist: the same details and emailed code, then the days that suit."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from patients.booking.waitlist.choices import PartOfDay
from patients.models import BookingVerification, Patient, WaitlistEntry
from tests.factories import PatientFactory
from tests.patients.booking.online.support import DETAILS, IP, enter_code, give_details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits():
    cache.clear()


def _join_from_the_slot_list(client, location, appointment_type):
    slots = client.get(reverse("book:slots", args=[location.pk, appointment_type.pk]))
    assert "None of these times suit?" in slots.content.decode()
    start = client.post(
        reverse("book:waitlist_start", args=[location.pk, appointment_type.pk]), REMOTE_ADDR=IP
    )
    assert start["Location"] == reverse("book:details")
    details = client.get(reverse("book:details"))
    assert "Join the waitlist" in details.content.decode()
    assert give_details(client).status_code == 302
    return enter_code(client)


def test_a_new_runner_joins_the_waitlist_after_the_emailed_code(client, location, physio, online_follow_up):
    after_code = _join_from_the_slot_list(client, location, online_follow_up)

    assert after_code.status_code == 302
    assert after_code["Location"].startswith(reverse("waitlist:join"))
    attempt = BookingVerification.objects.get()
    assert (attempt.purpose, attempt.therapist, attempt.starts_at) == ("waitlist", None, None)
    page = client.get(after_code["Location"])
    assert page.status_code == 200
    joined = client.post(
        reverse("waitlist:join"),
        {
            "location": location.pk,
            "type": online_follow_up.pk,
            "weekdays": ["1", "3"],
            "parts_of_day": [str(PartOfDay.MORNING)],
            "until": page.context["form"].initial["until"].isoformat(),
        },
    )
    assert joined.status_code == 200
    entry = WaitlistEntry.objects.get()
    assert entry.patient == Patient.objects.get(email=DETAILS["email"])
    assert entry.appointment_type == online_follow_up


def test_a_known_runner_joins_on_their_own_record(client, location, physio, online_follow_up):
    known = PatientFactory(
        first_name=DETAILS["first_name"],
        last_name=DETAILS["last_name"],
        date_of_birth=DETAILS["date_of_birth"],
        email=DETAILS["email"],
    )
    _join_from_the_slot_list(client, location, online_follow_up)

    assert BookingVerification.objects.get().patient == known
    assert Patient.objects.count() == 1


def test_no_code_no_waitlist(client, location, physio, online_follow_up):
    client.post(reverse("book:waitlist_start", args=[location.pk, online_follow_up.pk]), REMOTE_ADDR=IP)
    give_details(client)
    wrong = enter_code(client, "000000")

    assert wrong.status_code == 400
    assert (
        client.get(
            reverse("waitlist:join"), {"location": location.pk, "type": online_follow_up.pk}
        ).status_code
        == 403
    )
