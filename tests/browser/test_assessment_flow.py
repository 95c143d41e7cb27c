"""A therapist assesses today's patient: intake pre-fill and flags, full examination, MRI order, sign, print."""

import pytest
from django.utils import timezone

from assessments.models import Assessment, ImagingOrder
from clinic.staff.choices import Role
from patients.booking.choices import AppointmentStatus
from tests.assessments.record.intake_helpers import submitted_intake
from tests.browser.support import sign_in
from tests.factories import PASSWORD, AppointmentFactory, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _todays_visit(physio, location, evaluation, patient):
    return AppointmentFactory(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=timezone.now().replace(second=0, microsecond=0),
        status=AppointmentStatus.ARRIVED,
    )


def test_therapist_records_signs_and_prints_an_assessment(page, live_server, physio, location, evaluation):
    patient = PatientFactory(first_name="Robin", last_name="Strider")
    submitted_intake(patient)
    _todays_visit(physio, location, evaluation, patient)
    physio.user.email = "sam.physio@stride.test"
    physio.user.save()

    sign_in(page, live_server, "sam.physio@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/patients/my-day/")
    page.get_by_role("link", name="Start or continue the assessment of Robin Strider").click()

    # The start page shows the intake and its red flag.
    page.get_by_text("Red flag:").first.wait_for()
    assert page.get_by_text("Possible bone stress injury").first.is_visible()
    page.get_by_role("button", name="Start assessment").click()

    # The subjective part is pre-filled; the patient's words sit beside it.
    page.locator("#id_s-nprs_now").wait_for()
    assert page.locator("#id_s-nprs_now").input_value() == "3"
    page.locator("#id_s-nprs_now").fill("4")
    page.locator("#id_a-index_side").select_option("right")
    page.locator("#id_a-body_weight_kg").fill("62")

    # Observation, stance, squat, strength, ROM, special tests, palpation.
    page.locator("#id_obs-posture").select_option("leaning_back")
    page.locator("#id_obs-cadence_spm").fill("162")
    page.locator("#id_sls-right-trial_1_s").fill("18.2")
    page.locator("#id_sls-right-trial_2_s").fill("21.4")
    page.locator("#id_sls-right-trendelenburg").select_option("drops_lt_2cm")
    page.locator("#id_sls-left-trial_1_s").fill("45")
    page.locator("#id_dls-depth").select_option("partial")
    page.locator("#id_dls-knee_valgus").check()
    for side in ("left", "right"):
        for criterion in (
            "overall_impression",
            "weight_transfer",
            "lumbopelvic_alignment",
            "leg_alignment",
            "foot_alignment",
        ):
            rating = (
                "poor" if side == "right" and criterion in ("weight_transfer", "leg_alignment") else "good"
            )
            page.locator(f"#id_slsq-{side}-{criterion}").select_option(rating)
    page.locator("#id_str-hip_abductors-position").select_option("side_lying")
    page.locator("#id_str-hip_abductors-lever_arm_m").fill("0.42")
    page.locator("#id_str-hip_abductors-right-trial_1_n").fill("135")
    page.locator("#id_str-hip_abductors-left-trial_1_n").fill("160")
    page.locator("#id_rom-internal_rotation-right-degrees").fill("22")
    page.locator("#id_rom-internal_rotation-right-end_range_pain").check()
    page.locator("#id_rom-internal_rotation-left-degrees").fill("35")
    page.locator("#id_sp-fadir-right-result").select_option("positive")
    page.locator("#id_sp-fadir-left-result").select_option("negative")
    page.locator("#add-impact").select_option("hop")
    page.locator("[data-test-group='impact']").get_by_role("button", name="Add test").click()
    page.locator("#id_sp-hop-right-not_tested").select_option("contraindicated")
    page.locator("#id_pal-greater_trochanter-right-tenderness").select_option("mild")
    page.locator("#id_a-pain_rest_nprs").fill("2")
    page.locator("#id_a-pain_provocative_nprs").fill("6")
    page.locator("#id_imp-0-code").select_option("BSI_FEM_NECK")
    page.locator("#id_imp-0-side").select_option("right")
    page.locator("#id_imp-0-certainty").select_option("provisional")
    page.locator("#id_a-plan").fill("Stop running; MRI via sports physician; review in 1 week.")

    # Autosave computes the derived values while typing.
    page.locator("[data-derived='lsi-hip_abductors']").get_by_text("LSI 84.4 % (below 90 %)").wait_for()
    assert page.locator("[data-derived='sls-right']").inner_text().startswith("best 21.4 s")

    # Suspected bone stress: raise the MRI order the page prompts for.
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Suspected bone stress injury: advise the patient to stop running").wait_for()
    page.get_by_role("button", name="Save and raise MRI order").click()
    assert page.locator("#id_modality").input_value() == "MRI"
    page.locator("#id_indication_detail").fill(
        "Groin pain on impact, earlier in each run, night pain; FADIR +."
    )
    page.get_by_role("button", name="Raise order").click()
    page.get_by_text("MRI order raised.").wait_for()

    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("Signed by").wait_for()
    assessment = Assessment.objects.get(patient=patient)
    assert (assessment.status, assessment.signed_by) == ("signed", physio.user)
    assert ImagingOrder.objects.get(assessment=assessment).modality == "MRI"

    page.get_by_role("link", name="Printable summary").click()
    page.get_by_role("heading", name="Physiotherapy assessment summary").wait_for()
    summary = page.content()
    assert "LSI 84.4 %" in summary
    assert "advised to stop running" in summary
    assert "Internal notes" not in summary
    # The heading is in the DOM before the print stylesheet has loaded.
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print").is_visible()


def test_draft_is_saved_at_once_when_the_session_is_about_to_end(page, live_server):
    from assessments.record.services.assessment import assessment_start

    UserFactory(role=Role.THERAPIST, email="terry@stride.test")
    therapist = UserFactory._meta.model.objects.get(email="terry@stride.test")
    assessment = assessment_start(patient=PatientFactory(), therapist=therapist)
    sign_in(page, live_server, "terry@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/clinical/assessments/{assessment.pk}/edit/")

    page.locator("#id_a-plan").fill("Typed just before the session ended")
    # What session.js dispatches 30 s before the end; autosave must not wait for its 2 s pause.
    page.evaluate(
        "document.dispatchEvent(new CustomEvent('stride:session-expiring',"
        " {detail: {secondsLeft: 30, passiveHeader: 'X-Stride-Session-Passive'}}))"
    )

    page.locator("[data-autosave-status]").get_by_text("Saved").wait_for(timeout=1500)
    assessment.refresh_from_db()
    assert (assessment.plan, assessment.version) == ("Typed just before the session ended", 2)
