"""The patient's forms: every message next to its question (never hidden), the privacy notice in force,
the version agreed to stored with the consent, phone-friendly inputs, the check-in's tap scale."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.documents.record import record_context
from assessments.programmes.portal.forms import CheckInForm
from assessments.record.prefill import subjective_from_intake
from patients.identity.export import patient_export
from patients.intake.forms.widgets import TapScale
from patients.intake.selectors import DEFAULT_PRIVACY_NOTICE_VERSION, privacy_notice_in_force
from patients.models import IntakeResponse, PrivacyNotice
from tests.patients.intake.support import (
    complete_steps,
    consent_data,
    health_data,
    pain_data,
    post_step,
    running_data,
)

pytestmark = pytest.mark.usefixtures("clean_cache")


def _input(html: str, name: str, value: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', html) or re.search(
        rf'<input[^>]*value="{value}"[^>]*name="{name}"[^>]*>', html
    )
    assert match, f"no input {name}={value}"
    return match.group(0)


def _message(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field_id}_error">(.*?)</p>', html, re.S)
    assert match, f"no visible message for {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.mark.parametrize(
    ("step", "data", "name", "first_input", "message"),
    [
        ("pain", pain_data(nprs_now=""), "nprs_now", "3", "Choose a number from 0 to 10."),
        ("health", health_data(rf_fever=""), "rf_fever", "yes", "Answer yes or no."),
        ("pain", pain_data(pain_pattern=""), "pain_pattern", "with_loading", "Choose one answer."),
    ],
)
def test_a_missing_radio_answer_has_its_message_next_to_the_question(
    patient_client, invitation, step, data, name, first_input, message
):
    complete_steps(patient_client, invitation, steps=("about", "running"))
    data = {key: value for key, value in data.items() if value != ""}
    response = post_step(patient_client, invitation, step, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert _message(html, f"id_{name}") == f"!Error: {message}"
    radio = _input(html, name, first_input)
    assert 'aria-invalid="true"' in radio and "is-invalid" in radio
    described = re.search(r'aria-describedby="([^"]+)"', radio).group(1).split()
    assert f"id_{name}_error" in described
    # The banner is an alert and links to the first question to change, by its first input.
    banner = re.search(
        r'<div class="alert alert-danger" role="alert" id="error-summary">(.*?)</div>', html, re.S
    )
    assert f'href="#id_{name}_0"' in banner.group(1)
    assert f'id="id_{name}_0"' in html
    # No message is left in Bootstrap's hidden .invalid-feedback.
    assert "invalid-feedback" not in html


def test_lefs_psfs_and_hoos_items_show_their_messages(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=("about", "running", "pain", "health"))
    response = post_step(
        patient_client,
        invitation,
        "outcomes",
        {"psfs_activity_1": "Running 10 km", "hoos_pain_1": "9"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert _message(html, "id_lefs_1") == "!Error: Choose an answer."
    assert _message(html, "id_psfs_rating_1") == "!Error: Rate this activity from 0 to 10."
    assert _message(html, "id_hoos_pain_1") == "!Error: Choose one of the answers."
    for name, value in (("lefs_1", "0"), ("psfs_rating_1", "0"), ("hoos_pain_1", "0")):
        assert f"id_{name}_error" in _input(html, name, value)


def test_required_questions_are_marked_in_words_before_submission(patient_client, invitation):
    html = patient_client.get(reverse("patients:intake_step", args=["pain"])).content.decode()
    legend = re.search(r"<legend[^>]*>\s*Pain right now(.*?)</legend>", html, re.S).group(1)
    assert "(required)" in legend
    assert "required" in _input(html, "nprs_now", "0")
    optional = re.search(r"<legend[^>]*>\s*Pain during a run(.*?)</legend>", html, re.S).group(1)
    assert "(required)" not in optional


def test_phone_and_number_inputs_bring_up_the_right_keyboard(patient_client, invitation):
    html = patient_client.get(reverse("patients:intake_step", args=["about"])).content.decode()
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone and "form-control" in phone
    assert 'type="tel"' in re.search(r'<input[^>]*name="emergency_contact_phone"[^>]*>', html).group(0)
    assert 'autocomplete="email"' in re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'inputmode="decimal"' in re.search(r'<input[^>]*name="weight_kg"[^>]*>', html).group(0)
    assert 'inputmode="decimal"' in re.search(r'<input[^>]*name="sitting_hours_per_day"[^>]*>', html).group(0)


def test_pace_typed_as_minutes_and_seconds_comes_back_as_typed(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=("about",))
    data = {key: value for key, value in running_data().items() if key != "typical_pace_min_per_km"}
    data.update(typical_pace_min_per_km_min="5", typical_pace_min_per_km_sec="45")
    assert post_step(patient_client, invitation, "running", data).status_code == 302
    response = IntakeResponse.objects.get(invitation=invitation)
    assert str(response.typical_pace_min_per_km) == "5.75"

    page = patient_client.get(reverse("patients:intake_step", args=["running"])).content.decode()
    assert 'value="5"' in _box(page, "min") and 'value="45"' in _box(page, "sec")
    complete_steps(patient_client, invitation, steps=("pain", "health", "outcomes", "consent"))
    review = patient_client.get(reverse("patients:intake_review")).content.decode()
    assert "<dd>5:45 min/km</dd>" in review and "5.75" not in review
    assert "<dd>168</dd>" in review and "168.0" not in review  # no trailing .0


def _box(html: str, part: str) -> str:
    return re.search(rf'<input[^>]*name="typical_pace_min_per_km_{part}"[^>]*>', html).group(0)


def test_a_wrong_pace_keeps_both_boxes_and_says_why(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=("about",))
    response = post_step(
        patient_client,
        invitation,
        "running",
        {"typical_pace_min_per_km_min": "5", "typical_pace_min_per_km_sec": "75", "version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a pace from 2:30 to 15:00" in _message(html, "id_typical_pace_min_per_km")
    assert 'value="75"' in _box(html, "sec") and 'aria-invalid="true"' in _box(html, "sec")
    draft = IntakeResponse.objects.get(invitation=invitation).draft["running"]
    assert draft["typical_pace_min_per_km"] == ["5", "75"]
    # The draft comes back in the two boxes.
    page = patient_client.get(reverse("patients:intake_step", args=["running"])).content.decode()
    assert 'value="75"' in _box(page, "sec")


# --- The privacy notice ---------------------------------------------------------------------------


def test_without_a_published_notice_the_shipped_default_is_shown_and_agreed_to(patient_client, invitation):
    complete_steps(patient_client, invitation, steps=("about", "running", "pain", "health", "outcomes"))
    html = patient_client.get(reverse("patients:intake_step", args=["consent"])).content.decode()
    assert 'id="privacy-notice"' in html and f"Version {DEFAULT_PRIVACY_NOTICE_VERSION}" in html
    assert "Your rights: you can ask for a copy of your record" in html
    assert f'name="privacy_notice_version" value="{DEFAULT_PRIVACY_NOTICE_VERSION}"' in html
    # The notice comes before the box that says it was read.
    assert html.index('id="privacy-notice"') < html.index('name="consent_privacy"')

    data = consent_data(privacy_notice_version=DEFAULT_PRIVACY_NOTICE_VERSION)
    assert post_step(patient_client, invitation, "consent", data).status_code == 302
    assert (
        IntakeResponse.objects.get(invitation=invitation).privacy_notice_version
        == DEFAULT_PRIVACY_NOTICE_VERSION
    )


def test_the_newest_published_notice_is_in_force_and_its_version_is_kept_with_the_consent(
    patient_client, invitation
):
    now = timezone.now()
    PrivacyNotice.objects.create(
        version="2026-06", text="Old wording.", published_at=now - timedelta(days=90)
    )
    PrivacyNotice.objects.create(version="2026-11", text="Current wording.\n\nSecond part.", published_at=now)
    PrivacyNotice.objects.create(version="2027-01", text="A draft.", published_at=None)
    PrivacyNotice.objects.create(version="2027-02", text="Not yet.", published_at=now + timedelta(days=9))
    assert privacy_notice_in_force().version == "2026-11"

    complete_steps(patient_client, invitation, steps=("about", "running", "pain", "health", "outcomes"))
    html = patient_client.get(reverse("patients:intake_step", args=["consent"])).content.decode()
    assert "<p>Current wording.</p>" in html and "<p>Second part.</p>" in html
    assert "Old wording." not in html and "A draft." not in html and "Not yet." not in html

    # A notice published while the page was open: read it again before agreeing.
    stale = post_step(patient_client, invitation, "consent", consent_data(privacy_notice_version="2026-06"))
    assert stale.status_code == 400
    assert "The privacy notice has changed since this page was opened" in _message(
        stale.content.decode(), "id_consent_privacy"
    )

    ok = post_step(patient_client, invitation, "consent", consent_data(privacy_notice_version="2026-11"))
    assert ok.status_code == 302
    response = IntakeResponse.objects.get(invitation=invitation)
    assert response.privacy_notice_version == "2026-11"
    patient_client.post(reverse("patients:intake_submit"), {"version": response.version})
    response.refresh_from_db()
    assert response.submitted_at is not None and response.privacy_notice_version == "2026-11"

    # The patient's export (JSON of the access pack) and the readable record name the version.
    export = patient_export(patient=response.patient)
    assert export["sections"]["intake"][0]["response"]["privacy_notice_version"] == "2026-11"
    consent_rows = dict(record_context(response.patient)["intakes"][0]["steps"])["Consent"]
    assert {row.label: row.value for row in consent_rows}["Privacy notice agreed to (version)"] == "2026-11"


def test_a_published_notice_cannot_be_changed_in_the_admin(admin_client):
    notice = PrivacyNotice.objects.create(version="2026-11", text="Wording.", published_at=timezone.now())
    page = admin_client.get(reverse("admin:patients_privacynotice_change", args=[notice.pk])).content.decode()
    assert 'name="text"' not in page and "Wording." in page
    draft = PrivacyNotice.objects.create(version="2027-01", text="Draft.")
    page = admin_client.get(reverse("admin:patients_privacynotice_change", args=[draft.pk])).content.decode()
    assert 'name="text"' in page


# --- The weekly check-in uses the intake's tap scale ----------------------------------------------


def test_the_check_in_pain_questions_use_the_intake_tap_scale():
    form = CheckInForm()
    for name in ("pain_now", "pain_worst", "run_pain_during", "run_pain_after", "pain_next_morning"):
        assert isinstance(form.fields[name].widget, TapScale)
    html = render_to_string("patients/widgets/field.html", {"field": form["pain_now"]})
    assert '<div class="scale-row">' in html
    assert html.count('class="scale-input"') == 11

    bound = CheckInForm({"pain_now": "11", "flag_night_pain": "maybe"})
    bound.is_valid()
    html = render_to_string("patients/widgets/field.html", {"field": bound["pain_now"]})
    assert "Use a number from 0 (no pain) to 10." in html and 'id="id_pain_now_error"' in html
    assert 'aria-describedby="id_pain_now_helptext id_pain_now_error"' in html


def test_the_assessment_pre_fill_shows_the_pace_and_distances_as_typed(patient_client, invitation):
    complete_steps(patient_client, invitation)
    response = IntakeResponse.objects.get(invitation=invitation)
    patient_client.post(reverse("patients:intake_submit"), {"version": response.version})

    extra = dict(subjective_from_intake(response.patient)["extra"])
    assert extra["Typical pace (min/km)"] == "5:30"  # typed as 5:30
    assert extra["Shoes"] == "Pegasus 40 (650 km)"
    assert extra["Height (cm)"] == "168"
