"""Red-flag triggers through the intake form: the new questions, the flags a submission records,
what the patient reads, and the therapist's summary (docs/clinical-rules.md, "Red-flag triggers")."""

import pytest
from django.urls import reverse

from patients.intake.choices import ActionLevel, RedFlagCode
from patients.models import IntakeResponse, RedFlag
from tests.patients.intake.support import (
    about_data,
    complete_steps,
    health_data,
    pain_data,
    post_step,
    version,
)

pytestmark = pytest.mark.usefixtures("clean_cache")


def _submit(client, invitation, **steps):
    complete_steps(client, invitation, **steps)
    return client.post(reverse("patients:intake_submit"), {"version": version(invitation)}, follow=True)


def _flags():
    return sorted(RedFlag.objects.values_list("flag_code", "action_level"))


def _headings(html: str) -> list[str]:
    return [part.split("</h2>")[0] for part in html.split('<h2 class="h5">')[1:]]


def test_fever_alone_is_a_same_day_gp_visit_not_a_and_e(patient_client, invitation):
    done = _submit(patient_client, invitation, health=health_data(rf_fever="yes"))

    html = done.content.decode()
    assert _flags() == [(RedFlagCode.INFECTION, ActionLevel.GP_SAME_DAY)]
    assert _headings(html) == ["See your GP today"]
    assert "See your GP today: call your GP surgery now and ask for an urgent appointment" in html
    assert "Go to A&amp;E now if you have a fever and a hot or swollen hip together" in html


def test_fever_with_a_hot_swollen_hip_sends_the_patient_to_a_and_e(patient_client, invitation):
    done = _submit(patient_client, invitation, health=health_data(rf_fever="yes", rf_hot_swollen="yes"))

    assert _flags() == [(RedFlagCode.INFECTION, ActionLevel.EMERGENCY_SAME_DAY)]
    assert _headings(done.content.decode()) == ["Go to A&amp;E now"]


def test_constant_pain_needs_the_follow_up_and_keeps_what_was_typed(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=["about", "running"])

    page = post_step(patient_client, invitation, "pain", pain_data(pain_pattern="constant", nprs_now="4"))

    html = page.content.decode()
    assert page.status_code == 400
    assert "Answer yes or no: does anything change the pain, even a little?" in html
    assert 'name="pain_pattern" value="constant"' in html and "checked" in html
    assert IntakeResponse.objects.get().draft["pain"]["nprs_now"] == ["4"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [("no", [(RedFlagCode.NIGHT_CONSTANT, ActionLevel.URGENT_MEDICAL)]), ("yes", [])],
)
def test_constant_pain_flags_only_when_nothing_changes_it(patient_client, invitation, changes, expected):
    _submit(
        patient_client, invitation, pain=pain_data(pain_pattern="constant", constant_pain_changes=changes)
    )

    assert _flags() == expected
    assert IntakeResponse.objects.get().constant_pain_changes is (changes == "yes")


def test_the_constant_pain_follow_up_is_dropped_when_the_pain_comes_and_goes(patient_client, invitation):
    _submit(
        patient_client, invitation, pain=pain_data(pain_pattern="intermittent", constant_pain_changes="no")
    )

    assert (IntakeResponse.objects.get().constant_pain_changes, _flags()) == (None, [])


def test_a_yes_to_cancer_asks_when_it_was_treated(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=["about", "running", "pain"])

    page = post_step(patient_client, invitation, "health", health_data(rf_cancer_history="yes"))

    assert page.status_code == 400
    assert "Choose when your last cancer treatment was." in page.content.decode()


@pytest.mark.parametrize(
    ("treated", "level", "heading"),
    [
        ("within_5y", ActionLevel.URGENT_MEDICAL, "See your GP within 1–2 days"),
        ("over_5y", ActionLevel.REVIEW_AT_VISIT, "Mention it at your visit"),
    ],
)
def test_a_cancer_history_is_urgent_only_when_recent(patient_client, invitation, treated, level, heading):
    done = _submit(
        patient_client, invitation, health=health_data(rf_cancer_history="yes", cancer_treated=treated)
    )

    assert _flags() == [(RedFlagCode.MALIGNANCY, level)]
    assert _headings(done.content.decode()) == [heading]
    assert IntakeResponse.objects.get().needs_review is True


def test_alcohol_units_are_required_in_plain_words(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=["about", "running", "pain"])

    page = post_step(patient_client, invitation, "health", health_data(alcohol_units_per_week=""))

    assert "Enter a whole number from 0 to 200." in page.content.decode()


@pytest.mark.parametrize(
    ("units", "expected"), [("20", []), ("40", [(RedFlagCode.AVN, ActionLevel.URGENT_MEDICAL)])]
)
def test_higher_risk_drinking_with_deep_groin_pain_raises_avn(patient_client, invitation, units, expected):
    # Rosa is a woman: the higher-risk level is over 35 units a week.
    _submit(
        patient_client,
        invitation,
        pain=pain_data(pain_deep_groin=["right"]),
        health=health_data(alcohol_units_per_week=units),
    )

    assert _flags() == expected


@pytest.mark.parametrize(
    ("weight", "expected"), [("53.2", [(RedFlagCode.OVERTRAINING_REDS, ActionLevel.ADVISORY)]), ("53.8", [])]
)
def test_a_bmi_under_18_5_raises_the_red_s_advisory(patient_client, invitation, weight, expected):
    done = _submit(patient_client, invitation, about=about_data(height_cm="170", weight_kg=weight))

    assert _flags() == expected
    assert _headings(done.content.decode()) == (
        ["Talk about your training at your visit"] if expected else []
    )


def test_thigh_pain_on_hopping_stops_running_at_once(patient_client, invitation):
    pain = pain_data(pain_lateral_thigh=["left"], aggravating=["running", "hopping"])
    complete_steps(patient_client, invitation, steps=["about", "running", "pain"], pain=pain)

    health_page = patient_client.get(reverse("patients:intake_step", args=["health"])).content.decode()

    assert _headings(health_page)[0] == "Stop running and call the clinic today"
    assert "Stop running now, and don&#x27;t hop or jump, until a clinician has checked you." in health_page


def test_summary_shows_the_new_answers(client, patient_client, invitation, physio):
    _submit(
        patient_client,
        invitation,
        about=about_data(height_cm="170", weight_kg="53.2"),
        pain=pain_data(pain_shin=["right"], pain_pattern="constant", constant_pain_changes="no"),
        health=health_data(rf_cancer_history="yes", cancer_treated="over_5y", alcohol_units_per_week="12"),
    )
    client.force_login(physio.user)

    html = client.get(
        reverse("patients:intake_summary", args=[IntakeResponse.objects.get().pk])
    ).content.decode()

    assert "170 cm / 53.2 kg · BMI 18.4" in html and "under 18.5</span>" in html
    assert "12 units a week" in html
    assert "Treatment ended 5 or more years ago" in html
    assert "nothing changes it (not activity, rest or position)" in html
    assert "<td>Shin</td>" in html
    assert "Review at the visit (not urgent)" in html
