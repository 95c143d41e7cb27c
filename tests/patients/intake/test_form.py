"""The intake form: steps, validation, drafts and autosave, resume, conflicts, scores, submission."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from patients.intake.choices import RANGES, IntakeStatus
from patients.intake.selectors import patient_reminder_opt_ins
from patients.models import IntakeResponse, ReminderPreference
from tests.patients.intake.support import (
    LEFS_E1,
    complete_steps,
    outcomes_data,
    post_step,
    running_data,
    sign_in_to_intake,
    version,
)
from tests.patients.intake.support import STEP_DATA as DATA

pytestmark = pytest.mark.usefixtures("clean_cache")

LEFS_E2 = [4, 3, 3, 4, 3, 4, 4, 3, 2, 2, 1, 2, 3, 3, 4, 4, 3, 2, 3, 4]
HOOS_E1 = {
    "pain": [1, 2, 1, 2, 1, 0, 1, 1, 2, 1],
    "symptoms": [1, 1, 2, 2, 1],
    "adl": [0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0],
    "sport": [2, 3, 2, 1],
    "qol": [3, 2, 2, 2],
}


def _response(invitation) -> IntakeResponse:
    return IntakeResponse.objects.get(invitation_id=invitation.pk)


def test_complete_intake_stores_typed_answers_and_computed_scores(patient_client, invitation):
    complete_steps(patient_client, invitation)

    response = _response(invitation)
    assert response.steps_done == list(DATA)
    assert (response.sitting_hours_per_day, response.height_cm, response.weight_kg) == (
        Decimal("8.0"),
        Decimal("168.0"),
        Decimal("61.5"),
    )
    assert (response.weekly_km_now, response.weekly_km_earlier) == (Decimal("44.0"), Decimal("30.0"))
    assert (response.weekly_km_change_pct, response.load_spike) == (Decimal("46.7"), True)
    assert response.typical_pace_min_per_km == Decimal("5.50")
    assert response.shoes == [{"model": "Pegasus 40", "distance": "650", "unit": "km", "km": "650.0"}]
    assert response.pain_locations == {"lateral_hip": "right", "posterior_hip": "right"}
    assert (response.nprs_worst_7d, response.nprs_now, response.pain_pattern) == (6, 3, "with_loading")
    assert response.screen == dict.fromkeys(response.screen, False) and len(response.screen) == 17
    assert (response.alcohol_units_per_week, response.cancer_treated, response.constant_pain_changes) == (
        6,
        "",
        None,
    )
    assert response.lefs_items == LEFS_E1
    assert response.lefs_score == 43  # domain.md §7.3 E1
    assert response.psfs_score == Decimal("3.33")  # §7.4 E1
    assert [a["rating"] for a in response.psfs_activities] == [3, 5, 2]
    assert response.signature_name == "Rosa Quill" and response.signed_at is not None
    assert response.reminder_opt_ins["appointment"] is True
    assert response.reminder_opt_ins["home_exercise"] is False
    invitation.refresh_from_db()
    assert invitation.started_at is not None
    assert invitation.status == IntakeStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("lefs", "psfs", "lefs_score", "psfs_score"),
    [
        (LEFS_E2, [8, 6, 7, 9, 5], 61, Decimal("7.00")),
        ([0] * 20, [0, 0, 0], 0, Decimal("0.00")),
        ([4] * 20, [10, 10, 10], 80, Decimal("10.00")),
    ],
    ids=["E2", "floor", "ceiling"],
)
def test_outcome_scores_match_the_worked_examples(
    patient_client, invitation, lefs, psfs, lefs_score, psfs_score
):
    response = post_step(patient_client, invitation, "outcomes", outcomes_data(lefs=lefs, psfs=psfs))

    assert response.status_code == 302
    stored = _response(invitation)
    assert (stored.lefs_score, stored.psfs_score) == (lefs_score, psfs_score)


def _hoos_post(items: dict[str, list[int | None]]) -> dict[str, str]:
    return {
        f"hoos_{name}_{n}": str(v)
        for name, values in items.items()
        for n, v in enumerate(values, 1)
        if v is not None
    }


def test_hoos_scores_when_the_clinic_enables_it(patient_client, invitation, settings):
    settings.INTAKE_HOOS_ENABLED = True
    page = patient_client.get(reverse("patients:intake_step", args=["outcomes"]))
    assert "Hip questionnaire (HOOS)" in page.content.decode()

    response = post_step(patient_client, invitation, "outcomes", {**outcomes_data(), **_hoos_post(HOOS_E1)})

    assert response.status_code == 302
    stored = _response(invitation)
    assert stored.hoos_scores == {
        "pain": Decimal("70.00"),
        "symptoms": Decimal("65.00"),
        "adl": Decimal("89.71"),
        "sport": Decimal("50.00"),
        "qol": Decimal("43.75"),
    }
    assert stored.hoos_items["adl"] == HOOS_E1["adl"]


def test_hoos_missing_item_rules(patient_client, invitation, settings):
    settings.INTAKE_HOOS_ENABLED = True
    adl_nine = [1, 2, 1, 1, 0, 1, 1, 2, 1] + [None] * 8
    items = {
        "pain": [1, 2, 1, 2] + [None] * 6,
        "symptoms": [2, 2, 1, None, None],
        "adl": adl_nine,
        "sport": [None] * 4,
        "qol": [None] * 4,
    }

    post_step(patient_client, invitation, "outcomes", {**outcomes_data(), **_hoos_post(items)})

    assert _response(invitation).hoos_scores == {
        "pain": None,
        "symptoms": Decimal("58.33"),
        "adl": Decimal("72.22"),
        "sport": None,
        "qol": None,
    }
    items["adl"] = adl_nine[:8] + [None] * 9
    post_step(patient_client, invitation, "outcomes", {**outcomes_data(), **_hoos_post(items)})
    assert _response(invitation).hoos_adl is None


def test_hoos_is_asked_by_default(patient_client):
    page = patient_client.get(reverse("patients:intake_step", args=["outcomes"]))

    assert "Hip questionnaire (HOOS): Symptoms and stiffness in the last week" in page.content.decode()
    assert "Rolling over in bed" in page.content.decode()  # LEFS item 20


# Every ranged or required answer, with a wrong value: (step, field, value, message next to it).
INVALID = [
    ("about", "sitting_hours_per_day", "25", "Enter a number from 0 to 24 hours."),
    ("about", "sitting_hours_per_day", "-1", "Enter a number from 0 to 24 hours."),
    ("about", "height_cm", "99", "Enter a number from 100 to 230 cm."),
    ("about", "height_cm", "tall", "Enter a number, like 25 or 25.5."),
    ("about", "weight_kg", "251", "Enter a number from 30 to 250 kg."),
    ("about", "phone", "call me", "Enter a phone number of 7 to 15 digits"),
    ("about", "email", "not-an-email", "Enter an email address like name@example.com."),
    ("about", "emergency_contact_name", "", "Enter the name of someone we can call."),
    ("running", "years_running", "81", "Enter a number from 0 to 80 years."),
    ("running", "runs_per_week", "15", "Enter a whole number from 0 to 14."),
    ("running", "runs_per_week", "3.5", "Enter a whole number from 0 to 14."),
    ("running", "weekly_km_now", "301", "Enter a number from 0 to 300 km."),
    ("running", "weekly_km_earlier", "-5", "Enter a number from 0 to 300 km."),
    ("running", "weekly_km_now", "", "Enter a number from 0 to 300 km."),
    ("running", "longest_run_km", "251", "Enter a number from 0 to 250 km."),
    ("running", "typical_pace_min_per_km", "2:00", "Enter a pace from 2:30 to 15:00 minutes per km"),
    ("running", "typical_pace_min_per_km", "5:75", "Enter a pace from 2:30 to 15:00 minutes per km"),
    ("running", "typical_pace_min_per_km", "16", "Enter a pace from 2:30 to 15:00 minutes per km"),
    ("running", "cross_training_sessions_per_week", "15", "Enter a whole number from 0 to 14."),
    ("running", "race_distance_km", "251", "Enter a number from 0 to 250 km."),
    ("running", "race_date", "2026-01-01", "The race date is in the past."),
    ("running", "shoe1_distance", "3001", "Enter a distance from 0 to 3000 km (1,864 miles)."),
    ("running", "goals", "", "Tell us what you&#x27;d like to achieve, in a few words."),
    ("pain", "nprs_worst_7d", "11", "Choose a number from 0 to 10."),
    ("pain", "nprs_worst_7d", "-1", "Choose a number from 0 to 10."),
    ("pain", "nprs_now", "5.5", "Choose a number from 0 to 10."),
    ("pain", "nprs_now", "", "Choose a number from 0 to 10."),
    ("pain", "nprs_during_run", "12", "Choose a number from 0 to 10."),
    ("pain", "nprs_next_morning", "11", "Choose a number from 0 to 10."),
    ("pain", "run_onset_km", "101", "Enter a number from 0 to 100 km."),
    ("pain", "morning_stiffness_min", "241", "Enter a whole number from 0 to 240."),
    ("pain", "onset_date", "2030-01-01", "The start date can&#x27;t be in the future."),
    ("pain", "onset_date", "1980-01-01", "The start date is before your date of birth."),
    ("pain", "pain_pattern", "", "Choose one answer."),
    ("health", "sleep_hours", "15", "Enter a number from 0 to 14 hours."),
    ("health", "life_stress", "11", "Choose a number from 0 to 10."),
    ("health", "rf_fever", "", "Answer yes or no."),
    ("health", "rf_fever", "maybe", "Answer yes or no."),
    ("outcomes", "lefs_1", "5", "Choose one of the answers."),
    ("outcomes", "lefs_20", "", "Choose an answer."),
    ("outcomes", "psfs_rating_1", "11", "Choose a number from 0 to 10."),
    ("outcomes", "psfs_activity_3", "", "Name the activity you rated."),
    ("consent", "consent_treatment", "", "Tick this box to agree to assessment and treatment."),
    ("consent", "signature_name", " ", "Type your full name to sign."),
]


@pytest.mark.parametrize(
    ("step", "field", "value", "message"), INVALID, ids=[f"{s}-{f}-{v!r}" for s, f, v, _ in INVALID]
)
def test_each_ranged_answer_is_checked_in_plain_language(
    patient_client, invitation, step, field, value, message
):
    data = DATA[step]()
    data[field] = value

    response = post_step(patient_client, invitation, step, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    # The message sits with its field (its id names the field), and the step is not saved.
    error = html.index(f'id="id_{field}_error"')
    assert message in html[error : error + 300]
    stored = _response(invitation)
    assert step not in stored.steps_done
    if value.strip():
        assert stored.draft[step][field] == [value]  # kept as typed


def test_pain_needs_at_least_one_place(patient_client, invitation):
    data = {
        k: v
        for k, v in DATA["pain"]().items()
        if not k.startswith("pain_") or k in {"pain_quality", "pain_pattern"}
    }

    response = post_step(patient_client, invitation, "pain", data)

    assert response.status_code == 400
    assert "Tick at least one place where you feel pain." in response.content.decode()


def test_psfs_needs_three_activities(patient_client, invitation):
    response = post_step(patient_client, invitation, "outcomes", outcomes_data(psfs=[4, 5]))

    assert response.status_code == 400
    assert "Name at least 3 activities." in response.content.decode()


def test_shoe_distance_in_miles_is_stored_in_km(patient_client, invitation):
    post_step(patient_client, invitation, "running", running_data(shoe_unit="mi", shoe1_distance="300"))

    assert _response(invitation).shoes[0]["km"] == "482.8"


def test_errors_keep_everything_typed_and_save_a_draft(patient_client, invitation):
    data = running_data(weekly_km_now="301", goals="Back to parkrun")

    response = post_step(patient_client, invitation, "running", data)
    reopened = patient_client.get(reverse("patients:intake_step", args=["running"]))

    assert response.status_code == 400
    for html in (response.content.decode(), reopened.content.decode()):
        assert 'value="301"' in html
        assert "Back to parkrun" in html
        assert re.search(r'value="trail"[^>]*checked', html)
    assert _response(invitation).draft["running"]["weekly_km_now"] == ["301"]


def test_autosave_keeps_a_draft_that_the_step_shows_again(patient_client, invitation):
    response = patient_client.post(
        reverse("patients:intake_autosave", args=["about"]),
        {**DATA["about"](), "occupation": "Half-typed occupa", "version": version(invitation)},
    )
    reopened = patient_client.get(reverse("patients:intake_step", args=["about"]))

    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert "Half-typed occupa" in reopened.content.decode()
    assert "about" not in _response(invitation).steps_done
    invitation.refresh_from_db()
    assert invitation.started_at is not None


def test_drop_the_session_and_resume_from_another_device(patient_client, invitation, token):
    complete_steps(patient_client, invitation, steps=["about", "running"])
    patient_client.post(
        reverse("patients:intake_autosave", args=["pain"]),
        {"nprs_now": "4", "pain_lateral_hip": ["left"], "version": version(invitation)},
    )

    laptop = Client()
    sign_in_to_intake(laptop, token)
    resumed = laptop.get(reverse("patients:intake_resume"))
    about = laptop.get(reverse("patients:intake_step", args=["about"])).content.decode()
    running = laptop.get(reverse("patients:intake_step", args=["running"])).content.decode()
    pain = laptop.get(reverse("patients:intake_step", args=["pain"])).content.decode()

    assert resumed["Location"] == reverse("patients:intake_step", args=["pain"])
    assert "Kim Quill" in about and "Mill Lane Surgery" in about
    assert 'value="44.0"' in running and "Run the half marathon without hip pain" in running
    assert re.search(r'name="nprs_now" value="4"[^>]*checked', pain)
    assert re.search(r'name="pain_lateral_hip" value="left"[^>]*checked', pain)


def test_about_starts_from_the_record(patient_client):
    html = patient_client.get(reverse("patients:intake_step", args=["about"])).content.decode()

    assert "rosa.quill@example.com" in html
    assert "07700 900123" in html


def test_two_tabs_the_stale_one_gets_a_conflict_with_its_input_kept(patient_client, invitation):
    stale = version(invitation)
    assert post_step(patient_client, invitation, "about", version=stale).status_code == 302

    response = post_step(
        patient_client, invitation, "about", DATA["about"](occupation="Nurse"), version=stale
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "changed in another window or on another device" in html
    assert 'value="Nurse"' in html
    assert _response(invitation).occupation == "Accountant"
    # Pressing Next again (with the fresh version) saves it.
    assert (
        post_step(patient_client, invitation, "about", DATA["about"](occupation="Nurse")).status_code == 302
    )
    assert _response(invitation).occupation == "Nurse"


def test_back_and_later_keep_what_is_typed(patient_client, invitation):
    back = post_step(patient_client, invitation, "running", running_data(weekly_km_now="abc"), action="back")
    later = post_step(patient_client, invitation, "pain", {"nprs_now": "7"}, action="later")

    assert back["Location"] == reverse("patients:intake_step", args=["about"])
    assert later.status_code == 200
    assert "Your answers are saved" in later.content.decode()
    draft = _response(invitation).draft
    assert draft["running"]["weekly_km_now"] == ["abc"] and draft["pain"]["nprs_now"] == ["7"]
    # "Finish later" ends the intake session on this device.
    assert patient_client.get(reverse("patients:intake_step", args=["pain"])).status_code == 403


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'


def test_hostile_text_is_stored_as_typed_and_shown_escaped(patient_client, invitation):
    complete_steps(
        patient_client,
        invitation,
        running=running_data(goals=HOSTILE),
        health=DATA["health"](medications=HOSTILE),
    )

    review = patient_client.get(reverse("patients:intake_review")).content.decode()

    stored = _response(invitation)
    assert stored.goals == HOSTILE and stored.medications == HOSTILE
    assert "<script>alert" not in review and "<img src=x" not in review
    assert escape(HOSTILE) in review


def test_review_lists_unfinished_steps_and_submit_refuses_them(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=["about", "running"])

    review = patient_client.get(reverse("patients:intake_review")).content.decode()
    submit = patient_client.post(
        reverse("patients:intake_submit"), {"version": version(invitation)}, follow=True
    )

    assert review.count("Not finished yet.") == 4
    assert "Send my answers" not in review
    assert "Please finish: Your pain, Health screen" in submit.content.decode()
    assert _response(invitation).submitted_at is None


def test_submission_closes_the_link_cancels_nudges_and_keeps_reminder_choices(
    patient_client, invitation, token
):
    complete_steps(patient_client, invitation)
    nudges = ScheduledMessage.objects.filter(kind="intake_not_completed")
    assert nudges.count() == 2 and all(n.status == MessageStatus.PENDING for n in nudges)

    done = patient_client.post(
        reverse("patients:intake_submit"), {"version": version(invitation)}, follow=True
    )

    html = done.content.decode()
    assert "Thank you" in html
    assert "Please contact us" not in html  # no red flags in these answers
    assert "Quill" not in html and "Half marathon" not in html
    response = _response(invitation)
    invitation.refresh_from_db()
    assert response.submitted_at is not None and response.needs_review is False
    assert invitation.status == IntakeStatus.COMPLETED
    assert set(nudges.values_list("status", flat=True)) == {MessageStatus.CANCELLED}
    assert patient_reminder_opt_ins(patient_id=invitation.patient_id) == {
        "appointment": True,
        "home_exercise": False,
        "weekly_checkin": True,
        "outcome_due": False,
        "shoe_mileage": False,
    }
    assert ReminderPreference.objects.filter(source="intake").count() == 5
    # The link now shows the generic page, and the form is closed.
    again = Client().get(reverse("patients:intake_start", args=[token]))
    assert "This link has been used or has expired" in again.content.decode()
    assert patient_client.get(reverse("patients:intake_step", args=["about"])).status_code == 403
    # Reloading the thank-you page shows no answers either.
    assert "Rosa" not in patient_client.get(reverse("patients:intake_done")).content.decode()


def test_intake_pages_carry_no_inline_script_and_no_store(patient_client, invitation):
    from tests.clinic.test_headers import inline_code

    complete_steps(patient_client, invitation, steps=["about"])
    for url in [reverse("patients:intake_step", args=[s]) for s in DATA] + [
        reverse("patients:intake_review")
    ]:
        response = patient_client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
        assert "no-store" in response["Cache-Control"]


def test_every_input_has_a_label(patient_client, settings):
    from html.parser import HTMLParser

    settings.INTAKE_HOOS_ENABLED = True

    class Inputs(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: list[str] = []
            self.labelled: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names = dict(attrs)
            if tag in {"input", "select", "textarea"} and names.get("type") not in {"hidden", "submit"}:
                self.ids.append(names.get("id") or "")
            if tag == "label" and names.get("for"):
                self.labelled.add(names["for"])

    for step in DATA:
        parser = Inputs()
        parser.feed(patient_client.get(reverse("patients:intake_step", args=[step])).content.decode())
        unlabelled = [i for i in parser.ids if i not in parser.labelled]
        assert parser.ids and unlabelled == [], (step, unlabelled)


def test_nul_and_control_characters_never_cause_a_server_error(patient_client, invitation):
    response = post_step(
        patient_client, invitation, "running", running_data(goals="Run\x00 fast\x01", weekly_km_now="4\x000")
    )

    assert response.status_code == 400
    assert _response(invitation).draft["running"]["goals"] == ["Run fast\x01"]


def test_a_post_without_its_version_is_treated_as_stale(patient_client, invitation):
    response = patient_client.post(reverse("patients:intake_step", args=["about"]), DATA["about"]())

    assert response.status_code == 409
    assert "about" not in _response(invitation).steps_done


@hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        [
            "years_running",
            "runs_per_week",
            "weekly_km_now",
            "weekly_km_earlier",
            "longest_run_km",
            "typical_pace_min_per_km",
            "race_distance_km",
            "shoe1_distance",
            "race_date",
            "goals",
        ]
    ),
    value=st.one_of(st.text(max_size=40), st.decimals(allow_nan=True).map(str), st.integers().map(str)),
)
def test_any_input_is_answered_with_a_page_never_an_error(patient_client, invitation, field, value):
    response = post_step(patient_client, invitation, "running", running_data(**{field: value}))

    assert response.status_code in {302, 400}
    if response.status_code == 302:
        stored = _response(invitation)
        for name in (
            "years_running",
            "runs_per_week",
            "weekly_km_now",
            "weekly_km_earlier",
            "longest_run_km",
        ):
            low, high, _, _ = RANGES[name]
            value = getattr(stored, name)
            assert value is None or low <= value <= high
