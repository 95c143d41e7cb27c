"""The assessment on a tablet, a phone and a desktop: no typed value lost, tests added as needed, nothing scrolls sideways."""

import re
from decimal import Decimal

import pytest

from assessments.models import RangeOfMotion, SingleLegStance, StrengthTest
from assessments.record.services.assessment import assessment_start
from clinic.staff.choices import Role
from tests.assessments.record.helpers import signed
from tests.browser.axe import assert_accessible
from tests.browser.support import sign_in
from tests.factories import PASSWORD, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


def _therapist(email):
    UserFactory(role=Role.THERAPIST, email=email)
    return UserFactory._meta.model.objects.get(email=email)


@pytest.mark.parametrize("viewport", ["tablet", "phone", "desktop"])
def test_assessment_on_a_tablet_and_a_phone(request, viewport, live_server):
    page = request.getfixturevalue(f"{viewport}_page")
    therapist = _therapist(f"tess.{viewport}@stride.test")
    patient = PatientFactory()
    signed(assessment_start(patient=patient, therapist=therapist), therapist)
    draft = assessment_start(patient=patient, therapist=therapist, kind="reassessment")
    sign_in(page, live_server, therapist.email, PASSWORD)
    edit = f"{live_server.url}/clinical/assessments/{draft.pk}/edit/"
    page.goto(edit)

    # Only the chosen tests are on the page: the core set, far fewer inputs than the whole catalogue.
    fields = page.evaluate(
        "document.querySelectorAll('#assessment-form input, #assessment-form select').length"
    )
    assert fields < 300
    assert page.locator("#id_str-hip_abductors-left-trial_1_n").is_visible()
    assert page.locator("#id_str-quadriceps-left-trial_1_n").count() == 0
    # Nothing scrolls sideways; the section bar fits (it scrolls within itself) and stays on screen.
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    bar = page.locator("[data-section-bar]").bounding_box()
    assert bar["x"] >= 0 and bar["x"] + bar["width"] <= page.viewport_size["width"]
    # The bar marks the section in view.
    page.locator("#sec-palpation").evaluate("section => section.scrollIntoView()")
    page.locator("[data-section-bar] a[href='#sec-palpation'][aria-current]").wait_for()
    # Number entry: decimal keypad, the domain's range and the unit as text beside the input.
    force = page.locator("#id_str-hip_abductors-left-trial_1_n")
    assert (force.get_attribute("inputmode"), force.get_attribute("max")) == ("decimal", "1500")
    assert page.locator("#id_sls-left-trial_1_s").locator("xpath=..").inner_text().strip() == "s"
    if viewport != "phone":
        # Left and right side by side; on a phone they stack.
        left = page.locator("#id_str-hip_abductors-left-mmt_grade").bounding_box()
        right = page.locator("#id_str-hip_abductors-right-mmt_grade").bounding_box()
        assert right["x"] > left["x"] + left["width"]
    else:
        left = page.locator("#id_str-hip_abductors-left-mmt_grade").bounding_box()
        right = page.locator("#id_str-hip_abductors-right-mmt_grade").bounding_box()
        assert right["y"] > left["y"]

    # Add a test: it appears at once (no round trip), and its value saves.
    page.locator("#add-rom").select_option("flexion")
    page.locator("[data-test-group='rom']").get_by_role("button", name="Add test").click()
    page.locator("#id_rom-flexion-left-degrees").fill("115")
    # Enter in a field moves on instead of submitting.
    page.locator("#id_rom-flexion-left-degrees").press("Enter")
    assert page.url == edit
    assert page.evaluate("document.activeElement.id") != "id_rom-flexion-left-degrees"
    # An empty test added by mistake comes off again.
    page.locator("#add-palpation").select_option("itb")
    page.locator("[data-test-group='palpation']").get_by_role("button", name="Add test").click()
    page.get_by_role("button", name=re.compile("Remove Lateral thigh")).click()
    assert page.locator("#id_pal-itb-left-tenderness").count() == 0

    # Valid stance times and forces, one value out of range: save, and nothing valid is lost.
    page.locator("#id_sls-left-trial_1_s").fill("9")
    page.locator("#id_sls-right-trial_1_s").fill("14")
    page.locator("#id_str-hip_abductors-position").select_option("side_lying")
    page.locator("#id_str-hip_abductors-left-trial_1_n").fill("141")
    page.locator("#id_str-hip_abductors-right-trial_1_n").fill("139")
    page.locator("#id_str-hip_abductors-lever_arm_m").fill("5")
    page.get_by_role("button", name="Save draft", exact=True).click()
    page.get_by_text("Saved, except").wait_for()
    lever = page.locator("#id_str-hip_abductors-lever_arm_m")
    assert lever.input_value() == "5"
    assert lever.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{lever.get_attribute('aria-describedby')}")
    assert "less than or equal to 1.20" in message.inner_text() and message.is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)

    page.goto(edit)
    # Shown back as typed: 9, not 9.0.
    assert page.locator("#id_sls-left-trial_1_s").input_value() == "9"
    assert page.locator("#id_sls-right-trial_1_s").input_value() == "14"
    assert page.locator("#id_str-hip_abductors-left-trial_1_n").input_value() == "141"
    assert page.locator("#id_str-hip_abductors-right-trial_1_n").input_value() == "139"
    assert page.locator("#id_rom-flexion-left-degrees").input_value() == "115"
    assert {row.side: row.trial_1_n for row in StrengthTest.objects.filter(assessment=draft)} == {
        "left": Decimal(141),
        "right": Decimal(139),
    }
    assert SingleLegStance.objects.filter(assessment=draft).count() == 2
    assert RangeOfMotion.objects.get(assessment=draft, movement="flexion").degrees == 115
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)

    page.goto(f"{live_server.url}/clinical/assessments/{draft.pk}/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)
