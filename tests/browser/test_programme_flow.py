"""A therapist starts a 6-week programme from a signed assessment; the patient logs a week by link;
the therapist's chart shows it."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from assessments.exercises.services import catalogue_sync
from assessments.models import CheckIn, Programme
from assessments.programmes.choices import CHECKIN_SAFETY_QUESTIONS
from tests.browser.axe import assert_accessible
from tests.browser.support import emailed_programme_link, give_emailed_code, sign_in
from tests.factories import PASSWORD, PatientFactory, SignedAssessmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_programme_from_assessment_to_the_therapists_chart(browser, page, live_server, physio, mailoutbox):
    catalogue_sync()  # transactional tests flush the seeded catalogue between tests
    physio.user.email = "sam.physio@stride.test"
    physio.user.save()
    patient = PatientFactory(first_name="Robin", last_name="Strider", email="robin@example.com")
    assessment = SignedAssessmentFactory(patient=patient, therapist=physio.user)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())

    # The therapist starts a 6-week programme from the signed assessment.
    sign_in(page, live_server, "sam.physio@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/clinical/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Start a programme").click()
    page.get_by_role("heading", name="New 4–8 week programme for Robin Strider").wait_for()
    page.locator("#id_start_date").fill(monday.isoformat())
    page.locator("#id_planned_weeks").fill("6")
    page.locator("#id_goals").fill("Run the Riverside Half pain-free")
    page.locator("#id_race_name").fill("Riverside Half")
    page.get_by_role("button", name="Start programme").click()
    page.get_by_text("Programme started.").wait_for()
    programme = Programme.objects.get(patient=patient)
    assert (programme.planned_weeks, programme.start_date) == (6, monday)
    assert page.get_by_text("Week 1 of 6").is_visible()

    # A link for the patient, emailed to the address on record.
    link = emailed_programme_link(page, mailoutbox)
    assert "/clinical/p/" in link

    # The patient, on a phone, opens the link and confirms who they are.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    patient_page = phone.new_page()
    patient_page.set_default_timeout(10_000)
    patient_page.goto(live_server.url + urlsplit(link).path)  # SITE_URL points at the real site
    assert "/clinical/p/check/" in patient_page.url  # the token has left the address bar
    patient_page.get_by_label("Last name").fill("strider")
    patient_page.get_by_label("Day").fill("12")
    patient_page.get_by_label("Month").fill("4")
    patient_page.get_by_label("Year").fill("1988")
    patient_page.get_by_role("button", name="Continue").click()
    give_emailed_code(patient_page, mailoutbox)  # a phone new to the patient
    patient_page.get_by_role("heading", name="Hello Robin").wait_for()
    assert patient_page.get_by_role("heading", name="This week's exercises").is_visible()
    assert patient_page.get_by_role("heading", name="Clamshell").is_visible()  # settle phase, with its dose
    assert patient_page.get_by_text("3 × 15 per side").first.is_visible()
    assert patient_page.get_by_text("Pass the readiness checklist").is_visible()

    # The week's check-in: typed answers are autosaved and come back after a reload.
    patient_page.get_by_role("link", name="Answer this week's check-in (week 1)").click()
    assert_accessible(patient_page)  # pain as the intake's 0-10 buttons to tap
    patient_page.locator('input[name="pain_now"][value="2"]').check()
    patient_page.locator('input[name="pain_worst"][value="4"]').check()
    patient_page.locator("#id_sessions_done").fill("3")
    patient_page.get_by_text("Saved at").wait_for()
    patient_page.reload()
    assert patient_page.locator('input[name="pain_worst"][value="4"]').is_checked()
    patient_page.locator("#id_run-0-date").fill(monday.isoformat())
    patient_page.locator("#id_run-0-distance_km").fill("5.5")
    patient_page.locator("#id_run-0-minutes").fill("32")
    patient_page.locator("#id_run-0-surface").select_option("road")
    patient_page.locator('input[name="run_pain_during"][value="2"]').check()
    patient_page.locator('input[name="run_pain_after"][value="1"]').check()
    patient_page.locator('input[name="pain_next_morning"][value="1"]').check()
    for name, _ in CHECKIN_SAFETY_QUESTIONS:
        patient_page.locator(f"input[name={name}][value=no]").check()
    patient_page.get_by_role("button", name="Send").click()
    patient_page.get_by_text("your week 1 check-in is sent").wait_for()
    phone.close()
    checkin = CheckIn.objects.get(programme=programme, week=1)
    assert (checkin.status, checkin.pain_worst, checkin.runs.get().minutes) == ("submitted", 4, 32)

    # The therapist's chart and its table show the week.
    page.goto(f"{live_server.url}/clinical/programmes/{programme.pk}/progress/")
    page.get_by_role("heading", name="Pain by week").wait_for()
    assert (
        page.locator('svg[data-chart="pain"] circle[data-series="worst"][data-x="W1"]').get_attribute(
            "data-value"
        )
        == "4"
    )
    assert page.locator('[data-chart-table="pain"] td[data-series="worst"][data-x="W1"]').inner_text() == "4"
    assert (
        page.locator('[data-chart-table="distance"] td[data-series="km"][data-x="W1"]').inner_text() == "5.5"
    )
    assert page.get_by_role("img", name="Pain by week").is_visible()
