"""The emailed code: hashed, 10 minutes, 5 tries, rate limits, and no way to tell who is a patient."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from clinic.messaging.emails import message_render
from patients.models import Appointment, BookingVerification, Patient
from tests.factories import PatientFactory
from tests.patients.booking.online.support import (
    DETAILS,
    IP,
    choose,
    code_messages,
    emailed_code,
    enter_code,
    give_details,
)

pytestmark = [pytest.mark.usefixtures("frozen_monday"), pytest.mark.django_db]

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def at_code(client, location, physio, online_follow_up):
    """A browser that chose Tuesday 10:00 and gave its details: the code is emailed."""
    choose(client, location, online_follow_up, physio, TUESDAY_10)
    assert give_details(client)["Location"] == reverse("book:code")
    return client


def test_the_code_is_stored_only_as_a_keyed_hash(at_code):
    code = emailed_code()
    verification = BookingVerification.objects.get()
    assert verification.code_hash and code not in verification.code_hash
    assert len(verification.code_hash) == 64
    body = message_render(code_messages().first()).body
    assert "Rosa" not in body and "Quill" not in body


def test_five_wrong_codes_end_the_attempt_and_the_right_one_no_longer_works(at_code):
    code = emailed_code()
    wrong = "000000" if code != "000000" else "111111"
    pages = [enter_code(at_code, wrong) for _ in range(5)]

    assert [p.status_code for p in pages] == [400] * 5
    assert "4 tries left" in pages[0].content.decode()
    assert "1 try left" in pages[3].content.decode()
    assert "no longer works" in pages[4].content.decode()
    response = enter_code(at_code, code)
    assert response.status_code == 400 and "no longer works" in response.content.decode()
    assert BookingVerification.objects.get().ended_at is not None
    assert not Appointment.objects.exists() and not Patient.objects.exists()


def test_an_expired_code_is_refused(at_code, frozen_monday):
    code = emailed_code()
    frozen_monday.shift(timedelta(minutes=10))

    response = enter_code(at_code, code)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_code_just_inside_its_ten_minutes_works(at_code, frozen_monday):
    code = emailed_code()
    frozen_monday.shift(timedelta(minutes=9, seconds=59))

    assert enter_code(at_code, code)["Location"] == reverse("book:confirm")


def _normalised(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def test_a_known_and_an_unknown_email_get_the_same_answers(client, location, physio, online_follow_up):
    PatientFactory(first_name="Rosa", last_name="Quill", email="rosa.quill@example.com")
    answers = []
    for email in ("rosa.quill@example.com", "rosa.quinn@example.com"):
        client.cookies.clear()
        choose(client, location, online_follow_up, physio, TUESDAY_10)
        posted = give_details(client, email=email)
        page = client.get(reverse("book:code"))
        answers.append(
            (
                posted.status_code,
                posted["Location"],
                page.status_code,
                [t.name for t in page.templates],
                _normalised(page.content),
            )
        )
    known, unknown = answers
    # Both are masked the same way (r***@example.com), so the pages are identical.
    assert known == unknown
    assert code_messages().count() == 2


def test_the_per_address_limit_answers_kindly(client, location, physio, online_follow_up):
    with override_settings(ONLINE_BOOKING_CODES_PER_IP_PER_HOUR=2):
        for n in range(2):
            choose(client, location, online_follow_up, physio, TUESDAY_10)
            assert give_details(client, email=f"runner{n}@example.com").status_code == 302
        response = give_details(client, email="runner9@example.com")
        # Another address is not affected.
        other = give_details(client, email="runner8@example.com", ip="198.51.100.4")

    assert response.status_code == 429
    page = response.content.decode()
    assert "try again in an hour" in page and "01632 960 000" in page
    assert 'value="runner9@example.com"' in page  # the typed details are kept
    assert other.status_code == 302
    assert code_messages().count() == 3


def test_the_per_email_limits_answer_kindly(client, location, physio, online_follow_up, frozen_monday):
    choose(client, location, online_follow_up, physio, TUESDAY_10)
    with override_settings(
        ONLINE_BOOKING_CODES_PER_EMAIL_PER_HOUR=2, ONLINE_BOOKING_CODES_PER_EMAIL_PER_DAY=3
    ):
        assert [give_details(client, ip=f"198.51.100.{n}").status_code for n in range(3)] == [302, 302, 429]
        # Capitals make no difference.
        assert give_details(client, email="Rosa.Quill@Example.com", ip="198.51.100.9").status_code == 429
        frozen_monday.shift(timedelta(hours=1, seconds=1))
        assert give_details(client, ip="198.51.100.10").status_code == 302
        assert give_details(client, ip="198.51.100.11").status_code == 429  # the day's three are used
    assert code_messages().count() == 3


def test_the_daily_site_limit_answers_kindly(client, location, physio, online_follow_up):
    choose(client, location, online_follow_up, physio, TUESDAY_10)
    with override_settings(ONLINE_BOOKING_CODES_PER_DAY=1):
        assert give_details(client, email="a@example.com").status_code == 302
        response = give_details(client, email="b@example.com", ip="198.51.100.4")
    assert response.status_code == 429
    assert "very busy today" in response.content.decode()


def test_a_filled_honeypot_pretends_and_creates_nothing(client, location, physio, online_follow_up):
    choose(client, location, online_follow_up, physio, TUESDAY_10)

    response = give_details(client, website="http://spam.example")

    assert response["Location"] == reverse("book:code")
    page = client.get(reverse("book:code"))
    assert page.status_code == 200 and "r***@example.com" in page.content.decode()
    assert not BookingVerification.objects.exists()
    assert not code_messages().exists()
    assert enter_code(client, "123456").status_code == 400
    assert not Appointment.objects.exists() and not Patient.objects.exists()


def test_the_honeypot_is_hidden_and_labelled(client, location, physio, online_follow_up):
    choose(client, location, online_follow_up, physio, TUESDAY_10)
    page = client.get(reverse("book:details")).content.decode()
    assert 'class="book-honeypot" aria-hidden="true"' in page
    assert "Leave this empty" in page


def test_a_new_code_replaces_the_old_one(at_code):
    old = emailed_code()
    response = at_code.post(reverse("book:code"), {"action": "resend"}, REMOTE_ADDR=IP)
    assert "sent a new code" in response.content.decode()
    new = emailed_code()

    if old != new:
        assert enter_code(at_code, old).status_code == 400
    assert enter_code(at_code, new)["Location"] == reverse("book:confirm")


def test_invalid_details_keep_every_valid_value_and_announce_the_error(
    client, location, physio, online_follow_up
):
    choose(client, location, online_follow_up, physio, TUESDAY_10)

    response = give_details(client, email="not-an-email")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in page
    assert 'value="Rosa"' in page and 'value="Quill"' in page and 'value="07700 900456"' in page
    assert "Enter an email address like name@example.com." in page
    assert not BookingVerification.objects.exists()
    assert DETAILS["date_of_birth"] in page


def test_changing_the_details_starts_from_what_was_typed(at_code):
    page = at_code.get(reverse("book:details")).content.decode()
    assert 'value="rosa.quill@example.com"' in page and 'value="Quill"' in page

    at_code.post(reverse("book:details"), {**DETAILS, "email": "rosa@new.example.com"}, REMOTE_ADDR=IP)

    first, second = BookingVerification.objects.order_by("pk")
    assert first.ended_at is not None and second.email == "rosa@new.example.com"
    assert enter_code(at_code)["Location"] == reverse("book:confirm")
