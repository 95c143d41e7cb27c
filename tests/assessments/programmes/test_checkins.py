"""The patient's programme link: token scoping (one patient, one programme), lock-out, autosave and resume."""

import hashlib
import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from assessments.models import CheckIn, Exercise, ProgrammeLink, RunLog
from assessments.programmes.services.discharge import programme_discharge
from assessments.programmes.services.links import link_issue, links_revoke
from tests.assessments.programmes.support import DOB, START, at, start_programme
from tests.clinic.messaging.support import deliver_due
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

SUNDAY = START + timedelta(days=6)
UNAVAILABLE = "This link has expired or can't be used"


@pytest.fixture
def sunday():
    with time_machine.travel(at(SUNDAY, 19), tick=False) as traveller:
        yield traveller


@pytest.fixture
def token(programme, therapist, sunday):
    return link_issue(programme=programme, by=therapist, emailed=False)


def open_link(client, token: str):
    return client.get(reverse("assessments:checkin_start", args=[token]))


def check(client, *, last_name: str = "o strider", dob: date = DOB, ip: str = "203.0.113.7"):
    return client.post(
        reverse("assessments:checkin_check"),
        {"last_name": last_name, "dob_day": dob.day, "dob_month": dob.month, "dob_year": dob.year},
        REMOTE_ADDR=ip,
    )


def sign_in(client, token: str, **kwargs: object):
    open_link(client, token)
    response = pass_code_step(client, check(client, **kwargs), "assessments:checkin_code")
    assert response.status_code == 302, response.content.decode()[:1500]
    return response


# --- The link and the identity check ---------------------------------------------------------------


def test_only_the_tokens_hash_is_stored(programme, token):
    link = ProgrammeLink.objects.get(programme=programme)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in ProgrammeLink.objects.filter(pk=link.pk).values().get().values()]
    assert not any(token in value for value in stored)


def test_link_drops_the_token_before_showing_anything(client, token):
    response = open_link(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:checkin_check")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_right_details_open_this_weeks_page_on_a_tokenless_url(client, programme, token):
    response = sign_in(client, token)
    assert response["Location"] == reverse("assessments:checkin_home")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Hello Robin" in html
    assert "Week 1 of 6" in html
    # This week's exercises with instructions and dose (the settle phase).
    assert "Clamshell" in html and "3 × 15 per side" in html and "Lie on your side" in html
    assert "Answer this week's check-in (week 1)" in html
    # The run stage and what unlocks it.
    assert "Not running yet." in html and "Pass the readiness checklist" in html


def test_wrong_details_get_one_generic_error_and_five_lock_every_link(client, programme, token, therapist):
    open_link(client, token)
    for _ in range(4):
        response = check(client, last_name="Strider")
        assert response.status_code == 400
        assert "Those details don&#x27;t match our records" in response.content.decode()
    other = link_issue(programme=programme, by=None, emailed=True)
    response = check(client, dob=date(1988, 4, 13))
    assert UNAVAILABLE in response.content.decode()
    programme.refresh_from_db()
    assert programme.link_failed_checks == 5 and programme.link_locked_at is not None
    # Every link of the programme stops, even with the right details.
    open_link(client, other)
    assert UNAVAILABLE in check(client).content.decode()
    # Staff issue a new link: the lock lifts.
    fresh = link_issue(programme=programme, by=therapist, emailed=False)
    sign_in(client, fresh)


@pytest.mark.parametrize("spoil", ["expired", "revoked", "unknown"])
def test_unusable_links_all_get_the_same_page(client, programme, token, therapist, spoil, sunday):
    if spoil == "expired":
        sunday.shift(timedelta(days=15))
    elif spoil == "revoked":
        links_revoke(programme=programme, by=therapist)
    else:
        token = token[:-4] + "AAAA"
    response = open_link(client, token)
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"


def test_another_patients_details_do_not_open_this_link(client, programme, token):
    PatientFactory(first_name="Sam", last_name="Other", date_of_birth=date(1990, 1, 1))
    open_link(client, token)
    response = check(client, last_name="Other", dob=date(1990, 1, 1))
    assert response.status_code == 400
    assert client.get(reverse("assessments:checkin_home")).status_code == 403


def test_another_programmes_link_cannot_reach_this_programme(client, therapist, programme, token, sunday):
    other = start_programme(
        therapist, patient=PatientFactory(first_name="Sam", last_name="Other", date_of_birth=date(1990, 1, 1))
    )
    sunday.move_to(at(SUNDAY, 19))
    other_token = link_issue(programme=other, by=therapist, emailed=False)
    sign_in(client, other_token, last_name="Other", dob=date(1990, 1, 1))
    client.post(reverse("assessments:checkin_autosave", args=[1]), {"pain_now": "7", "version": "1"})
    assert CheckIn.objects.get().programme == other
    # Opening Robin's link with Sam's session asks again, and Sam's details fail there.
    open_link(client, token)
    assert client.get(reverse("assessments:checkin_home")).status_code == 403
    assert check(client, last_name="Other", dob=date(1990, 1, 1)).status_code == 400
    assert not CheckIn.objects.filter(programme=programme).exists()


def test_a_discharged_programmes_link_shows_the_maintenance_plan_only(client, therapist, programme, token):
    bridge = Exercise.objects.get(code="BRIDGE")
    programme_discharge(
        programme=programme,
        by=therapist,
        reason="goals_met",
        notes="",
        maintenance=[bridge],
        home_plan="Strength twice a week; build to 10 km.",
    )
    sign_in(client, token)
    html = client.get(reverse("assessments:checkin_home")).content.decode()
    assert "Your maintenance plan" in html and "Glute bridge" in html and "build to 10 km" in html
    assert "check-in" not in html and "Clamshell" not in html
    assert client.get(reverse("assessments:checkin_week", args=[1])).status_code == 302


def test_pages_need_the_identity_check(client, token):
    open_link(client, token)
    for name, args in (("checkin_home", []), ("checkin_week", [1]), ("checkin_outcome", [])):
        assert client.get(reverse(f"assessments:{name}", args=args)).status_code == 403
    assert client.post(reverse("assessments:checkin_autosave", args=[1])).status_code == 403


def test_session_ends_after_inactivity(client, token, sunday):
    sign_in(client, token)
    assert client.get(reverse("assessments:checkin_home")).status_code == 200
    sunday.shift(timedelta(minutes=121))
    assert client.get(reverse("assessments:checkin_home")).status_code == 403


def test_per_address_limit_slows_guessing(client, programme, token, settings):
    settings.INTAKE_CHECKS_PER_IP_PER_HOUR = 2
    open_link(client, token)
    for _ in range(2):
        check(client, last_name="Wrong", ip="198.51.100.9")
    assert check(client, ip="198.51.100.9").status_code == 429
    programme.refresh_from_db()
    assert programme.link_failed_checks == 2


def test_the_emailed_check_in_request_opens_the_check(client, programme, mailoutbox, sunday):
    deliver_due()
    email = next(m for m in mailoutbox if m.subject == "Your weekly check-in")
    link = re.search(r"https?://\S+/clinical/p/\S+/", email.body).group(0)
    response = client.get(urlsplit(link).path)
    assert response["Location"] == reverse("assessments:checkin_check")
    assert "Hello Robin" in email.body


# --- The check-in: autosave, resume, validation, sending ----------------------------------------------


def week_data(**overrides: object) -> dict[str, object]:
    data = {
        "version": "1",
        "pain_now": "2",
        "pain_worst": "4",
        "sessions_done": "3",
        "run_pain_during": "2",
        "run_pain_after": "1",
        "pain_next_morning": "1",
        "sleep": "7 h, fine",
        "stress": "busy at work",
        "comments": "",
        "flag_night_pain": "no",
        "flag_unwell": "no",
        "flag_nerve": "no",
        "flag_pain_earlier": "no",
        "flag_pain_walking": "no",
        "flag_pain_in_bed": "no",
        "flag_pain_hopping": "no",
        "run-TOTAL_FORMS": "3",
        "run-INITIAL_FORMS": "0",
        "run-MIN_NUM_FORMS": "0",
        "run-MAX_NUM_FORMS": "10",
        "run-0-date": "2026-03-03",
        "run-0-distance_km": "5.2",
        "run-0-minutes": "30",
        "run-0-surface": "road",
        "run-0-shoes": "Pegasus 40",
        "run-1-date": "",
        "run-1-distance_km": "",
        "run-1-minutes": "",
        "run-2-date": "",
        "run-2-distance_km": "",
        "run-2-minutes": "",
        "action": "send",
    }
    data.update(overrides)
    return data


def test_autosave_keeps_what_is_typed_and_the_page_resumes_it(client, programme, token):
    sign_in(client, token)
    url = reverse("assessments:checkin_autosave", args=[1])
    response = client.post(url, {**week_data(), "pain_worst": "6", "run-0-distance_km": "five"})
    assert response.status_code == 200 and response.json()["saved"] is True
    checkin = CheckIn.objects.get(programme=programme, week=1)
    assert (checkin.status, checkin.draft["pain_worst"], checkin.draft["run-0-distance_km"]) == (
        "draft",
        ["6"],
        ["five"],
    )
    # Another device: the same answers come back, as typed (6 tapped on the 0-10 scale).
    client.logout()
    sign_in(client, token)
    html = client.get(reverse("assessments:checkin_week", args=[1])).content.decode()
    assert re.search(r'<input type="radio" name="pain_worst" value="6"[^>]* checked>', html)
    assert 'name="run-0-distance_km" value="five"' in html
    assert 'name="run-0-shoes" value="Pegasus 40"' in html


def test_send_with_errors_keeps_everything_and_shows_them_next_to_the_fields(client, programme, token):
    sign_in(client, token)
    url = reverse("assessments:checkin_week", args=[1])
    response = client.post(
        url, week_data(pain_worst="11", pain_next_morning="", **{"run-0-date": "2026-03-12"})
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Use a number from 0 (no pain) to 10." in html
    assert "Pick a day of this week (2 Mar to 8 Mar)." in html
    checkin = CheckIn.objects.get(programme=programme, week=1)
    assert checkin.status == "draft" and checkin.draft["pain_worst"] == ["11"]


def test_a_logged_run_needs_its_pain_answers(client, programme, token):
    sign_in(client, token)
    response = client.post(reverse("assessments:checkin_week", args=[1]), week_data(run_pain_during=""))
    assert response.status_code == 400
    assert "You logged a run: please give this (0 if no pain)." in response.content.decode()


def test_a_logged_run_needs_its_evening_pain(client, programme, token):
    sign_in(client, token)
    response = client.post(reverse("assessments:checkin_week", args=[1]), week_data(run_pain_after=""))
    assert response.status_code == 400
    assert "You logged a run: please give this (0 if no pain)." in response.content.decode()
    assert CheckIn.objects.get(programme=programme, week=1).status == "draft"


def test_send_stores_the_answers_and_the_training_log(client, programme, token):
    sign_in(client, token)
    response = client.post(reverse("assessments:checkin_week", args=[1]), week_data())
    assert response.status_code == 302 and response["Location"] == reverse("assessments:checkin_home")
    checkin = CheckIn.objects.get(programme=programme, week=1)
    assert (
        checkin.status,
        checkin.pain_worst,
        checkin.sessions_done,
        checkin.sessions_prescribed,
        checkin.draft,
    ) == (
        "submitted",
        4,
        3,
        3,
        {},
    )
    assert list(RunLog.objects.values_list("distance_km", "minutes", "surface", "shoes")) == [
        (Decimal("5.20"), 30, "road", "Pegasus 40"),
    ]
    home = client.get(response["Location"]).content.decode()
    assert "your week 1 check-in is sent" in home
    # Sent is final: autosave and the form are closed.
    assert client.post(reverse("assessments:checkin_autosave", args=[1]), week_data()).status_code == 403
    assert (
        "Week 1 check-in: sent" in client.get(reverse("assessments:checkin_week", args=[1])).content.decode()
    )


def test_add_a_run_keeps_the_draft_and_adds_a_row(client, programme, token):
    sign_in(client, token)
    response = client.post(reverse("assessments:checkin_week", args=[1]), week_data(action="add_run"))
    assert response.status_code == 302 and response["Location"].endswith("?rows=4")
    html = client.get(response["Location"]).content.decode()
    assert 'name="run-3-date"' in html and 'name="run-0-distance_km" value="5.2"' in html


def test_a_red_flag_answer_tells_the_patient_to_call_today(client, programme, token):
    sign_in(client, token)
    client.post(reverse("assessments:checkin_week", args=[1]), week_data(flag_nerve="yes"))
    html = client.get(reverse("assessments:checkin_home")).content.decode()
    assert "Please call us today" in html
    assert programme.alerts.get().kind == "red_flag"


def test_a_bone_stress_answer_tells_the_patient_to_stop_running_and_raises_a_flag(client, programme, token):
    from patients.models import RedFlag

    sign_in(client, token)
    client.post(reverse("assessments:checkin_week", args=[1]), week_data(flag_pain_hopping="yes"))
    html = client.get(reverse("assessments:checkin_home")).content.decode()
    assert "Please stop running now, and don't hop or jump, until a clinician has checked your hip." in html
    assert "so you are seen within 1 to 2 days" in html
    assert list(RedFlag.objects.values_list("source", "flag_code", "action_level")) == [
        ("checkin", "bone_stress", "stop_running_urgent_medical")
    ]


def test_the_check_in_page_asks_the_bone_stress_questions(client, programme, token):
    sign_in(client, token)
    html = client.get(reverse("assessments:checkin_week", args=[1])).content.decode()
    for name in ("flag_pain_earlier", "flag_pain_walking", "flag_pain_in_bed", "flag_pain_hopping"):
        assert f'name="{name}"' in html
    assert "Does your hip or groin hurt when you walk?" in html


def test_weeks_not_yet_open_are_not_offered(client, programme, token):
    sign_in(client, token)
    assert client.get(reverse("assessments:checkin_week", args=[3])).status_code == 302
    assert client.post(reverse("assessments:checkin_autosave", args=[3]), week_data()).status_code == 403
    assert not CheckIn.objects.filter(week=3).exists()


def test_the_questionnaire_opens_before_the_re_assessment_and_is_sent_once(client, programme, token, sunday):
    from assessments.models import ProgrammeOutcome
    from clinic.messaging.models import ScheduledMessage

    sign_in(client, token)
    assert "progress questionnaire" not in client.get(reverse("assessments:checkin_home")).content.decode()
    assert client.get(reverse("assessments:checkin_outcome")).status_code == 302
    sunday.move_to(at(date(2026, 3, 27), 9))  # two days before the week-4 re-assessment
    sign_in(client, link_issue(programme=programme, by=None, emailed=True))  # the reminder's fresh link
    assert (
        "Fill in your progress questionnaire"
        in client.get(reverse("assessments:checkin_home")).content.decode()
    )
    data = {f"lefs_{n}": "3" for n in range(1, 21)} | {"nprs_worst": "2"}
    refused = client.post(reverse("assessments:checkin_outcome"), {**data, "lefs_20": ""})
    assert refused.status_code == 400 and "Choose an answer." in refused.content.decode()
    # The message is shown next to the item (not a hidden .invalid-feedback), and the banner links to it.
    html = refused.content.decode()
    assert '<p class="field-error" id="id_lefs_20_error">' in html and 'href="#id_lefs_20"' in html
    assert 'aria-describedby="id_lefs_20_error"' in html and "invalid-feedback" not in html
    assert client.post(reverse("assessments:checkin_outcome"), data).status_code == 302
    outcome = ProgrammeOutcome.objects.get(programme=programme, timepoint="week_4")
    assert (outcome.source, outcome.lefs_score, outcome.nprs_worst) == ("patient", 60, 2)
    key = f"programme:{programme.pk}:outcome_due:week_4"
    assert ScheduledMessage.objects.get(key=key).status == "cancelled"
    assert client.get(reverse("assessments:checkin_outcome")).status_code == 302  # answered: closed
