"""A patient completes the intake on a phone from the emailed link; the therapist sees the flags."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from clinic.messaging.services import message_deliver, messages_claim_due
from clinic.staff.choices import Role
from patients.booking.services import appointment_book
from patients.models import IntakeResponse, RedFlag
from tests.browser.support import give_emailed_code, sign_in
from tests.factories import PASSWORD, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEFS = [3, 2, 2, 3, 2, 3, 3, 2, 1, 1, 0, 1, 2, 2, 3, 3, 2, 2, 3, 3]  # domain.md §7.3 E1: 43


def _emailed_link(mailoutbox) -> str:
    for message_id in messages_claim_due(now=timezone.now()):
        message_deliver(message_id=message_id)
    email = next(m for m in mailoutbox if "questionnaire" in m.subject)
    return re.search(r"https?://\S+/patients/intake/\S+/", email.body).group(0)


def _radio(page, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_patient_completes_intake_on_a_phone_and_therapist_sees_flags(
    phone_page, page, live_server, physio, location, evaluation, mailoutbox, settings
):
    cache.clear()
    settings.SITE_URL = live_server.url
    zone = ZoneInfo(location.time_zone)
    day = (timezone.now().astimezone(zone) + timedelta(days=4)).date()
    desk = UserFactory(role=Role.FRONT_DESK)
    patient = PatientFactory(
        first_name="Robin", last_name="O'Strider", date_of_birth=date(1990, 5, 17), email="robin@example.com"
    )
    appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=datetime.combine(day, time(10), tzinfo=zone),
        booked_by=desk,
    )
    link = _emailed_link(mailoutbox)
    errors: list[str] = []
    # CSP violations and script errors show up in the console; missing files as failed responses.
    phone_page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None
    )
    phone_page.on(
        "response", lambda r: errors.append(r.url) if r.status == 404 and "favicon" not in r.url else None
    )

    # The link: nothing about the patient until the check.
    phone_page.goto(link)
    assert "/patients/intake/check/" in phone_page.url
    assert "Strider" not in phone_page.content()
    phone_page.get_by_label("Last name").fill("o'strider")
    phone_page.get_by_label("Day").fill("17")
    phone_page.get_by_label("Month").fill("5")
    phone_page.get_by_label("Year").fill("1990")
    phone_page.get_by_role("button", name="Continue").click()

    # A phone new to the patient: the one-time code from the email, typed into the page.
    assert "/patients/intake/code/" in phone_page.url
    assert "Enter the code we emailed to r***@example.com" in phone_page.content()
    code_input = phone_page.get_by_label("Code from the email")
    assert (code_input.get_attribute("inputmode"), code_input.get_attribute("autocomplete")) == (
        "numeric",
        "one-time-code",
    )
    give_emailed_code(phone_page, mailoutbox)

    # About you: contact details come from the record.
    phone_page.get_by_role("heading", name="About you").wait_for()
    assert phone_page.locator("#id_email").input_value() == "robin@example.com"
    phone_page.locator("#id_emergency_contact_name").fill("Sam Strider")
    phone_page.locator("#id_emergency_contact_phone").fill("07700 900456")
    phone_page.get_by_label("About how many hours a day do you sit?").fill("7")
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth + 1"
    assert phone_page.evaluate(no_sideways_scroll)
    phone_page.get_by_role("button", name="Next").click()

    # Running history.
    phone_page.get_by_role("heading", name="Running history").wait_for()
    phone_page.get_by_label("How many years have you been running?").fill("4")
    phone_page.get_by_label("How many runs a week do you usually do?").fill("4")
    phone_page.get_by_label("Kilometres a week now").fill("40")
    phone_page.get_by_label("Kilometres a week 4–6 weeks ago").fill("30")
    phone_page.get_by_label("Trail").check()
    phone_page.get_by_label("What would you like to get back to, or achieve?").fill(
        "Trail marathon in spring"
    )
    phone_page.get_by_role("button", name="Next").click()

    # Your pain: groin pain coming on earlier in each run (bone stress).
    phone_page.get_by_role("heading", name="Your pain").wait_for()
    phone_page.locator("#id_pain_anterior_hip_groin_1").check()  # right
    _radio(phone_page, "nprs_worst_7d", "7")
    _radio(phone_page, "nprs_now", "3")
    _radio(phone_page, "pain_pattern", "with_loading")
    _radio(phone_page, "onset_getting_earlier", "yes")
    _radio(phone_page, "night_pain", "none")
    _radio(phone_page, "onset_mode", "gradual")
    phone_page.get_by_role("button", name="Next").click()

    # The health screen shows the safety advice at once.
    phone_page.get_by_role("heading", name="Health screen").wait_for()
    assert phone_page.get_by_role("heading", name="Stop running and call the clinic today").is_visible()
    for radio in phone_page.locator('input[type="radio"][name^="rf_"][value="no"]').all():
        radio.check()
    _radio(phone_page, "rf_fever", "yes")
    phone_page.get_by_label("About how many units of alcohol do you drink in a usual week?").fill("4")
    phone_page.get_by_role("button", name="Next").click()

    # Outcome measures: LEFS and three PSFS activities.
    phone_page.get_by_role("heading", name="How your hip affects you").wait_for()
    for n, value in enumerate(LEFS, start=1):
        _radio(phone_page, f"lefs_{n}", str(value))
    for n, (activity, rating) in enumerate([("Running 10 km", 3), ("Stairs", 5), ("Hills", 2)], start=1):
        phone_page.locator(f"#id_psfs_activity_{n}").fill(activity)
        _radio(phone_page, f"psfs_rating_{n}", str(rating))
    phone_page.get_by_role("button", name="Next").click()

    # Consent.
    phone_page.get_by_role("heading", name="Consent").wait_for()
    phone_page.locator("#id_consent_treatment").check()
    phone_page.locator("#id_consent_privacy").check()
    phone_page.get_by_label("Appointment reminders").check()
    phone_page.get_by_label("Type your full name to sign").fill("Robin O'Strider")
    phone_page.get_by_role("button", name="Next").click()

    # Review and send.
    phone_page.get_by_role("heading", name="Check your answers").wait_for()
    assert phone_page.get_by_text("Trail marathon in spring").is_visible()
    phone_page.get_by_role("button", name="Send my answers").click()
    phone_page.get_by_role("heading", name="Thank you").wait_for()
    assert phone_page.get_by_role("heading", name="See your GP today").is_visible()  # fever alone
    assert errors == []

    response = IntakeResponse.objects.get(patient=patient)
    assert (response.lefs_score, str(response.psfs_score), response.load_spike) == (43, "3.33", True)
    assert sorted(RedFlag.objects.values_list("flag_code", flat=True)) == ["bone_stress", "infection"]

    # The therapist opens the patient's hub and the summary: flags first.
    sign_in(page, live_server, physio.user.email, PASSWORD)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    assert page.get_by_text("Red flags to review before treatment").is_visible()
    page.get_by_role("link", name="Open intake summary").first.click()
    page.get_by_role("heading", name="Red flags").wait_for()
    assert page.get_by_text("Possible infection").first.is_visible()
    assert page.get_by_text("Possible bone stress injury").first.is_visible()
    assert page.get_by_text("43").first.is_visible()


def test_autosave_keeps_typing_when_the_tab_is_closed(
    browser, live_server, physio, location, evaluation, mailoutbox, settings
):
    cache.clear()
    settings.SITE_URL = live_server.url
    zone = ZoneInfo(location.time_zone)
    day = (timezone.now().astimezone(zone) + timedelta(days=4)).date()
    patient = PatientFactory(last_name="Lindqvist", date_of_birth=date(1985, 2, 3))
    appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=datetime.combine(day, time(11), tzinfo=zone),
        booked_by=UserFactory(role=Role.FRONT_DESK),
    )
    link = _emailed_link(mailoutbox)

    def open_on_a_new_phone():
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        phone.goto(link)
        phone.get_by_label("Last name").fill("Lindqvist")
        phone.get_by_label("Day").fill("3")
        phone.get_by_label("Month").fill("2")
        phone.get_by_label("Year").fill("1985")
        phone.get_by_role("button", name="Continue").click()
        give_emailed_code(phone, mailoutbox)  # each new browser context is a new device
        return context, phone

    first, phone = open_on_a_new_phone()
    phone.get_by_role("heading", name="About you").wait_for()
    phone.locator("#id_emergency_contact_name").fill("Ana Lindqvist")
    phone.locator("#id_occupation").fill("Night-shift nurse")
    phone.get_by_text("Saved at").wait_for()
    first.close()  # the tab is gone without pressing Next

    second, phone = open_on_a_new_phone()
    phone.get_by_role("heading", name="About you").wait_for()
    assert phone.locator("#id_emergency_contact_name").input_value() == "Ana Lindqvist"
    assert phone.locator("#id_occupation").input_value() == "Night-shift nurse"
    second.close()
