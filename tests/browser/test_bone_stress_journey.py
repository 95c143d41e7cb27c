"""Suspected bone stress from intake to the ladder: MRI order, the zero-impact gate, a painful run stops running."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from assessments.exercises.services import catalogue_sync
from assessments.messages import AssessmentMessageKind
from assessments.models import Assessment, ImagingOrder, Programme, ProgrammeAlert
from assessments.programmes.choices import CHECKIN_SAFETY_QUESTIONS, AlertKind
from assessments.programmes.rules import READINESS_CODES
from assessments.programmes.views.plan import local_today
from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentStatus
from tests.assessments.record.intake_helpers import submitted_intake
from tests.browser.support import emailed_programme_link, give_emailed_code, sign_in
from tests.factories import PASSWORD, AppointmentFactory, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pass_readiness(page) -> None:
    """Record every test of the checklist as done without pain."""
    page.get_by_role("link", name="Record the checklist").click()
    page.get_by_role("heading", name="Readiness-to-run checklist").wait_for()
    for code in READINESS_CODES:
        page.locator(f"#id_done_{code}").check()
        page.locator(f"#id_pain_{code}").fill("0")
    page.get_by_role("button", name="Record checklist").click()


def test_bone_stress_patient_runs_only_after_the_gate_and_a_painful_run_stops_it(
    browser, page, live_server, physio, location, evaluation, mailoutbox
):
    catalogue_sync()  # transactional tests flush the seeded catalogue between tests
    physio.user.email = "sam.physio@stride.test"
    physio.user.save()
    patient = PatientFactory(first_name="Robin", last_name="Strider", email="robin@example.com")
    submitted_intake(patient)  # with an open bone-stress red flag
    AppointmentFactory(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=timezone.now().replace(second=0, microsecond=0),
        status=AppointmentStatus.ARRIVED,
    )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())

    # The therapist assesses the patient from My day: a bone-stress impression, the MRI order, signed.
    sign_in(page, live_server, "sam.physio@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/patients/my-day/")
    page.get_by_role("link", name="Start or continue the assessment of Robin Strider").click()
    page.get_by_text("Possible bone stress injury").first.wait_for()
    page.get_by_role("button", name="Start assessment").click()
    page.locator("#id_s-nprs_now").wait_for()
    page.locator("#id_s-nprs_now").fill("4")
    page.locator("#id_a-index_side").select_option("right")
    page.locator("#id_sp-fadir-right-result").select_option("positive")
    page.locator("#add-impact").select_option("hop")
    page.locator("[data-test-group='impact']").get_by_role("button", name="Add test").click()
    page.locator("#id_sp-hop-right-not_tested").select_option("contraindicated")
    page.locator("#id_imp-0-code").select_option("BSI_FEM_NECK")
    page.locator("#id_imp-0-side").select_option("right")
    page.locator("#id_imp-0-certainty").select_option("provisional")
    page.locator("#id_a-plan").fill("Stop running; MRI via sports physician.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Suspected bone stress injury: advise the patient to stop running").wait_for()
    page.get_by_role("button", name="Save and raise MRI order").click()
    assert page.locator("#id_modality").input_value() == "MRI"
    page.locator("#id_indication_detail").fill("Groin pain on impact, earlier in each run; FADIR +.")
    page.get_by_role("button", name="Raise order").click()
    page.get_by_text("MRI order raised.").wait_for()
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("Signed by").wait_for()
    assessment = Assessment.objects.get(patient=patient)
    assert assessment.status == "signed"
    assert ImagingOrder.objects.get(assessment=assessment).modality == "MRI"

    # A programme from the signed assessment runs in bone-stress mode.
    page.goto(f"{live_server.url}/clinical/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Start a programme").click()
    page.get_by_role("heading", name="New 4–8 week programme for Robin Strider").wait_for()
    page.locator("#id_start_date").fill(monday.isoformat())
    page.locator("#id_planned_weeks").fill("6")
    page.locator("#id_goals").fill("Run the Riverside Half pain-free")
    page.get_by_role("button", name="Start programme").click()
    page.get_by_text("Programme started.").wait_for()
    programme = Programme.objects.get(patient=patient)
    assert page.get_by_text("bone stress injury: running must be pain-free").is_visible()

    # The ladder: the zero-impact gate is closed, with both reasons.
    page.get_by_role("link", name="Return to run").first.click()
    page.locator("#gate-state").wait_for()
    assert page.locator("#gate-state").inner_text() == "not ready"
    clinic_today = local_today(programme)  # the gate counts days in the programme's time zone
    days_left = (monday + timedelta(weeks=6) - clinic_today).days
    assert page.locator("#gate-days-left").inner_text() == f"{days_left} days left"
    assert page.locator("#gate-clearance").inner_text() == "No clearance recorded."
    assert page.locator("#rules-action").inner_text() == "not ready"
    reasons = page.locator("#rules-reasons").inner_text()
    assert f"{days_left} days left" in reasons
    assert "no clinician's clearance of a return to impact is recorded yet" in reasons

    # Passing the readiness checklist does not start running while the gate is closed.
    _pass_readiness(page)
    page.get_by_text("Readiness checklist passed; running has not started (see the ladder).").wait_for()
    assert page.locator("#current-stage").inner_text() == "Not running yet"
    assert page.locator("#rules-action").inner_text() == "not ready"
    programme.refresh_from_db()
    assert (programme.run_stage, programme.ladder_steps.count()) == (0, 0)

    # The zero-impact period began 43 days ago: it has passed, but the clearance is still missing.
    stopped = clinic_today - timedelta(days=43)
    page.locator("#id_stop-on").fill(stopped.isoformat())
    page.locator("#id_stop-weeks").select_option("6")
    page.get_by_role("button", name="Record the zero-impact period").click()
    page.get_by_text("Zero-impact period recorded.").wait_for()
    assert page.locator("#gate-state").inner_text() == "not ready"
    assert page.locator("#gate-reasons").inner_text() == (
        "Bone stress: no clinician's clearance of a return to impact is recorded yet."
    )
    assert page.locator("#rules-action").inner_text() == "not ready"

    # A clearance without pain-free walking is refused; with it, the gate opens.
    page.locator("#id_clear-note").fill("Sports physician: repeat MRI healed, no pain on hopping.")
    page.get_by_role("button", name="Record the clearance").click()
    page.get_by_text("Clear a return to impact only once walking is pain-free.").wait_for()
    assert page.locator("#gate-state").inner_text() == "not ready"
    page.locator("#id_clear-walking_pain_free").check()
    page.get_by_role("button", name="Record the clearance").click()
    page.get_by_text("Clearance of a return to impact recorded.").wait_for()
    assert page.locator("#gate-state").inner_text() == "open"
    assert page.locator("#rules-action").inner_text() == "start"

    # Now the checklist starts the ladder at stage 1.
    _pass_readiness(page)
    page.get_by_text("Readiness checklist passed: running starts at stage 1.").wait_for()
    assert page.locator("#current-stage").inner_text().startswith("Stage 1 of ")
    programme.refresh_from_db()
    assert (programme.run_stage, programme.running_stopped) == (1, False)

    # The patient, on a phone, sends this week's check-in with a run that hurt.
    page.goto(f"{live_server.url}/clinical/programmes/{programme.pk}/")
    link = emailed_programme_link(page, mailoutbox)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    patient_page = phone.new_page()
    patient_page.set_default_timeout(10_000)
    patient_page.goto(live_server.url + urlsplit(link).path)  # SITE_URL points at the real site
    patient_page.get_by_label("Last name").fill("strider")
    patient_page.get_by_label("Day").fill("12")
    patient_page.get_by_label("Month").fill("4")
    patient_page.get_by_label("Year").fill("1988")
    patient_page.get_by_role("button", name="Continue").click()
    give_emailed_code(patient_page, mailoutbox)  # a phone new to the patient
    patient_page.get_by_role("heading", name="Hello Robin").wait_for()
    patient_page.get_by_role("link", name="Answer this week's check-in (week 1)").click()
    patient_page.locator('input[name="pain_now"][value="1"]').check()
    patient_page.locator('input[name="pain_worst"][value="3"]').check()
    patient_page.locator("#id_sessions_done").fill("3")
    patient_page.locator("#id_run-0-date").fill(today.isoformat())
    patient_page.locator("#id_run-0-distance_km").fill("1.5")
    patient_page.locator("#id_run-0-minutes").fill("15")
    patient_page.locator("#id_run-0-surface").select_option("road")
    patient_page.locator('input[name="run_pain_during"][value="2"]').check()
    patient_page.locator('input[name="run_pain_after"][value="2"]').check()
    patient_page.locator('input[name="pain_next_morning"][value="1"]').check()
    for name, _ in CHECKIN_SAFETY_QUESTIONS:
        patient_page.locator(f"input[name={name}][value=no]").check()
    patient_page.get_by_role("button", name="Send").click()
    patient_page.get_by_text("your week 1 check-in is sent").wait_for()
    assert patient_page.get_by_text("Please stop running for now and contact the clinic.").is_visible()
    phone.close()

    # Running is stopped and the therapist is alerted, on the pages and by email.
    programme.refresh_from_db()
    assert (programme.run_stage, programme.running_stopped) == (1, True)
    page.goto(f"{live_server.url}/clinical/programmes/{programme.pk}/ladder/")
    page.locator("#current-stage").wait_for()
    assert page.locator("#current-stage").inner_text() == "Running stopped at stage 1 until you review it."
    page.goto(f"{live_server.url}/clinical/programmes/{programme.pk}/")
    page.get_by_role("heading", name="Needs your review").wait_for()
    alert = ProgrammeAlert.objects.get(programme=programme, kind=AlertKind.BONE_STRESS_RUN_PAIN)
    shown = page.locator(f'[data-alert="{alert.pk}"]')
    assert shown.locator("strong").inner_text() == "Running pain with a bone stress injury"
    assert "pain during running 2/10 with a bone stress injury" in shown.inner_text()
    assert alert.checkin.week == 1
    assert (
        ScheduledMessage.objects.filter(
            kind=AssessmentMessageKind.PROGRAMME_ALERT,
            to_email="sam.physio@stride.test",
            key=f"programme:{programme.pk}:alert:{alert.pk}",
        ).count()
        == 1
    )
