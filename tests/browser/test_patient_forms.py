"""The intake on a phone, a tablet and a desktop: no hidden error, a 0-10 scale that fits a phone,
the privacy notice agreed to, and a pace typed as 5:45 that comes back as 5:45."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clinic.messaging.services import message_deliver, messages_claim_due
from clinic.staff.choices import Role
from patients.booking.services import appointment_book
from patients.intake.choices import PainRegion
from patients.intake.selectors import privacy_notice_in_force
from patients.models import IntakeResponse
from tests.browser.axe import assert_accessible
from tests.browser.support import give_emailed_code, sign_in
from tests.factories import PASSWORD, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def _emailed_link(mailoutbox) -> str:
    for message_id in messages_claim_due(now=timezone.now()):
        message_deliver(message_id=message_id)
    email = next(m for m in mailoutbox if "questionnaire" in m.subject)
    return re.search(r"https?://\S+/patients/intake/\S+/", email.body).group(0)


def _radio(page, name: str, value: str):
    return page.locator(f'input[name="{name}"][value="{value}"]')


def _next(page) -> None:
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()


def _assert_message_next_to(page, name: str, message: str) -> None:
    """The message is visible, starts with "Error:", and the question's inputs point at it."""
    error = page.locator(f"#id_{name}_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(f"Error: {message}")
    first = page.locator(f"#id_{name}_0")
    expect(first).to_have_attribute("aria-invalid", "true")
    assert f"id_{name}_error" in (first.get_attribute("aria-describedby") or "").split()
    # The message is inside the question's own fieldset, next to its legend.
    assert page.locator(f"#div_id_{name}").locator(f"#id_{name}_error").count() == 1


def _scale_fits_one_row(page) -> None:
    """At 360 px the 11 buttons of a 0-10 scale sit on one row, each at least 24 px wide."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 780})
    try:
        boxes = [_radio(page, "nprs_now", str(n)).locator("xpath=..").bounding_box() for n in range(11)]
        assert {round(box["y"]) for box in boxes} == {round(boxes[0]["y"])}, boxes
        assert min(box["width"] for box in boxes) >= 24
        assert boxes[-1]["x"] + boxes[-1]["width"] <= 360
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        page.set_viewport_size(size)


def test_the_intake_never_hides_an_error_and_keeps_the_notice_and_the_pace(
    device_page, page, live_server, physio, location, evaluation, mailoutbox, settings
):
    cache.clear()
    settings.SITE_URL = live_server.url
    zone = ZoneInfo(location.time_zone)
    day = (timezone.now().astimezone(zone) + timedelta(days=4)).date()
    patient = PatientFactory(
        first_name="Robin", last_name="Strider", date_of_birth=date(1990, 5, 17), email="robin@example.com"
    )
    appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=datetime.combine(day, time(10), tzinfo=zone),
        booked_by=UserFactory(role=Role.FRONT_DESK),
    )
    phone = device_page

    # The identity check: the date-of-birth boxes are form fields labelled Day, Month and Year.
    phone.goto(_emailed_link(mailoutbox))
    phone.get_by_label("Last name").fill("Strider")
    for label, value in (("Day", "17"), ("Month", "5"), ("Year", "1990")):
        box = phone.get_by_label(label)
        expect(box).to_have_class(re.compile(r"\bform-control\b"))
        box.fill(value)
    assert_accessible(phone)
    phone.get_by_role("button", name="Continue").click()
    give_emailed_code(phone, mailoutbox)

    # About you: required questions say so in words; the phone boxes bring up the dial pad.
    phone.get_by_role("heading", name="About you").wait_for()
    expect(phone.locator("label[for=id_emergency_contact_name]")).to_contain_text("(required)")
    expect(phone.locator("#id_phone")).to_have_attribute("type", "tel")
    assert_accessible(phone)
    phone.locator("#id_emergency_contact_name").fill("Sam Strider")
    phone.locator("#id_emergency_contact_phone").fill("07700 900456")
    phone.locator("#id_height_cm").fill("168")
    _next(phone)

    # Running history: the pace in two number boxes, minutes and seconds.
    phone.get_by_role("heading", name="Running history").wait_for()
    phone.get_by_label("How many years have you been running?").fill("4")
    phone.get_by_label("How many runs a week do you usually do?").fill("4")
    phone.get_by_label("Kilometres a week now").fill("30")
    phone.get_by_label("Kilometres a week 4–6 weeks ago").fill("28")
    expect(phone.get_by_label("Minutes")).to_have_attribute("inputmode", "numeric")
    phone.get_by_label("Minutes").fill("5")
    phone.get_by_label("Seconds").fill("45")
    phone.get_by_label("What would you like to get back to, or achieve?").fill("Parkrun without pain")
    assert_accessible(phone)
    _next(phone)

    # Your pain, sent with nothing answered: each 0-10 scale and choice shows its message.
    phone.get_by_role("heading", name="Your pain").wait_for()
    _scale_fits_one_row(phone)
    _next(phone)
    banner = phone.locator("#error-summary")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner.get_by_role("link")).to_have_attribute("href", f"#id_pain_{PainRegion.values[0]}_0")
    _assert_message_next_to(phone, "nprs_worst_7d", "Choose a number from 0 to 10.")
    _assert_message_next_to(phone, "nprs_now", "Choose a number from 0 to 10.")
    _assert_message_next_to(phone, "pain_pattern", "Choose one answer.")
    assert_accessible(phone)
    phone.locator("#id_pain_lateral_hip_1").check()
    _radio(phone, "nprs_worst_7d", "4").check()
    _radio(phone, "nprs_now", "2").check()
    expect(_radio(phone, "nprs_now", "2")).to_be_checked()
    _radio(phone, "pain_pattern", "with_loading").check()
    _radio(phone, "night_pain", "none").check()
    _radio(phone, "onset_mode", "gradual").check()
    _next(phone)

    # The Yes/No health screen.
    phone.get_by_role("heading", name="Health screen").wait_for()
    _next(phone)
    _assert_message_next_to(phone, "rf_fever", "Answer yes or no.")
    assert_accessible(phone)
    for radio in phone.locator('input[type="radio"][name^="rf_"][value="no"]').all():
        radio.check()
    phone.get_by_label("About how many units of alcohol do you drink in a usual week?").fill("2")
    _next(phone)

    # LEFS, PSFS and HOOS: a missing item, an activity named but not rated, an answer not offered.
    phone.get_by_role("heading", name="How your hip affects you").wait_for()
    phone.locator("#id_psfs_activity_1").fill("Running 5 km")
    phone.evaluate("document.querySelector('#id_hoos_pain_1_4').value = '9'")
    phone.locator("#id_hoos_pain_1_4").check()
    _next(phone)
    _assert_message_next_to(phone, "lefs_1", "Choose an answer.")
    _assert_message_next_to(phone, "psfs_rating_1", "Rate this activity from 0 to 10.")
    _assert_message_next_to(phone, "hoos_pain_1", "Choose one of the answers.")
    assert_accessible(phone)
    for n in range(1, 21):
        _radio(phone, f"lefs_{n}", "3").check()
    for n, activity in enumerate(["Running 5 km", "Stairs", "Hills"], start=1):
        phone.locator(f"#id_psfs_activity_{n}").fill(activity)
        _radio(phone, f"psfs_rating_{n}", "5").check()
    _radio(phone, "hoos_pain_1", "1").check()
    _next(phone)

    # Consent: the notice in force, with its version, above the boxes.
    phone.get_by_role("heading", name="Consent").wait_for()
    notice = privacy_notice_in_force()
    section = phone.locator("#privacy-notice")
    expect(section).to_be_visible()
    expect(section).to_contain_text(f"Version {notice.version}")
    expect(section).to_contain_text("Your rights")
    assert_accessible(phone)
    phone.locator("#id_consent_treatment").check()
    phone.locator("#id_consent_privacy").check()
    phone.get_by_label("Type your full name to sign").fill("Robin Strider")
    _next(phone)

    # Review: the pace and the height as typed.
    phone.get_by_role("heading", name="Check your answers").wait_for()
    expect(phone.get_by_text("5:45 min/km")).to_be_visible()
    expect(phone.locator("dd", has_text=re.compile(r"^168$"))).to_be_visible()
    assert "5.75" not in phone.content() and "168.0" not in phone.content()
    assert_accessible(phone)
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    assert_accessible(phone)

    response = IntakeResponse.objects.get(patient=patient)
    assert response.privacy_notice_version == notice.version
    assert str(response.typical_pace_min_per_km) == "5.75"

    # The therapist's summary shows the pace as the patient typed it.
    sign_in(page, live_server, physio.user.email, PASSWORD)
    page.goto(live_server.url + reverse("patients:intake_summary", args=[response.pk]))
    expect(page.get_by_text("5:45 /km")).to_be_visible()
