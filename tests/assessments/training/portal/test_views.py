"""The patient's training-log pages by the programme link: phone-sized posts, errors next to fields, scope."""

import re
from datetime import timedelta
from html import unescape as html_unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import BodyCheckIn, Programme, Run, Shoe, TrainingPreferences, TrainingSession
from assessments.training.services import shoe_add
from clinic.audit.models import AccessEvent
from tests.assessments.training.logsupport import NOW, WEDNESDAY, logged_run, programme_for, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

RUN = reverse("assessments:training_run")
LOG = reverse("assessments:training_log")


@pytest.fixture
def wednesday():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def programme(therapist):
    return programme_for(therapist)


@pytest.fixture
def signed_in(client, programme, therapist, wednesday):
    sign_in(client, programme, therapist)
    return client


def _field_error(html: str, field: str) -> str:
    """The error text crispy renders under `field` (id_<field>)."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>([^<]*)</strong>', html)
    return html_unescape(match.group(1).strip()) if match else ""


def test_a_run_logged_with_three_values_is_saved_in_metres_and_seconds(signed_in, programme):
    response = signed_in.post(
        RUN,
        {
            "day": WEDNESDAY.isoformat(),
            "distance": "5.2",
            "duration": "28:36",
            "session_type": "easy",
            "surface": "road",
        },
    )

    assert response.status_code == 302
    run = Run.objects.get()
    assert (run.patient, run.programme, run.day) == (programme.patient, programme, WEDNESDAY)
    assert (run.distance_m, run.duration_s, run.source, run.pain_onset) == (5200, 1716, "manual", "")
    page = signed_in.get(LOG).content.decode()
    assert "Run saved: 5:30 /km." in page
    assert "5.2 km in 28:36" in page


def test_the_run_form_starts_on_today_with_the_usual_pair_of_shoes(signed_in, programme):
    only = shoe_add(patient=programme.patient, name="Pegasus 40")
    first = signed_in.get(RUN).content.decode()
    other = shoe_add(patient=programme.patient, name="Vaporfly")
    two = signed_in.get(RUN).content.decode()
    logged_run(programme.patient, WEDNESDAY - timedelta(days=1), shoe=other)

    html = signed_in.get(RUN).content.decode()

    assert f'value="{WEDNESDAY.isoformat()}"' in html
    assert re.search(rf'<option value="{only.pk}" selected>Pegasus 40</option>', first)
    assert '<option value="" selected>— none or not sure —</option>' in two  # two pairs, none run in yet
    assert re.search(rf'<option value="{other.pk}" selected>Vaporfly</option>', html)


def test_a_refused_run_keeps_every_value_and_puts_the_error_next_to_the_field(signed_in):
    response = signed_in.post(
        RUN,
        {
            "day": WEDNESDAY.isoformat(),
            "distance": "8",
            "duration": "1:75:00",
            "session_type": "tempo",
            "surface": "trail",
            "pain_during": "4",
            "pain_onset": "distance",
            "onset_distance": "9",
            "note": "Windy",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert" id="error-summary"' in html
    assert _field_error(html, "duration") == "Minutes and seconds go up to 59, like 1:05:00."
    assert 'value="8"' in html and 'value="1:75:00"' in html and re.search(r">\s*Windy</textarea>", html)
    assert '<option value="tempo" selected>' in html and '<option value="trail" selected>' in html
    assert re.search(r'value="4"[^>]*checked', html)
    assert Run.objects.count() == 0


def test_pain_during_needs_its_onset_and_the_onset_lies_within_the_run(signed_in):
    base = {
        "day": WEDNESDAY.isoformat(),
        "distance": "5",
        "duration": "30:00",
        "session_type": "easy",
        "surface": "road",
    }

    no_onset = signed_in.post(RUN, {**base, "pain_during": "3", "pain_onset": "none"}).content.decode()
    too_far = signed_in.post(
        RUN, {**base, "pain_during": "3", "pain_onset": "distance", "onset_distance": "6"}
    )
    too_late = signed_in.post(RUN, {**base, "pain_during": "3", "pain_onset": "time", "onset_minutes": "31"})

    assert _field_error(no_onset, "pain_onset") == "You scored pain during the run: say when it started."
    assert (
        _field_error(too_far.content.decode(), "onset_distance")
        == "That is further than the run: check the distance."
    )
    assert (
        _field_error(too_late.content.decode(), "onset_minutes")
        == "That is longer than the run: check the minutes."
    )
    assert Run.objects.count() == 0


def test_a_run_in_the_future_is_refused(signed_in):
    response = signed_in.post(
        RUN,
        {
            "day": (WEDNESDAY + timedelta(days=1)).isoformat(),
            "distance": "5",
            "duration": "30",
            "session_type": "easy",
            "surface": "road",
        },
    )

    assert (
        _field_error(response.content.decode(), "day")
        == "That day hasn't happened yet: pick today or an earlier day."
    )


def test_pain_onset_by_distance_is_stored_in_metres_in_the_patient_s_unit(signed_in, programme):
    TrainingPreferences.objects.create(patient=programme.patient, distance_unit="mi")

    signed_in.post(
        RUN,
        {
            "day": WEDNESDAY.isoformat(),
            "distance": "3.1",
            "duration": "30:00",
            "session_type": "easy",
            "surface": "road",
            "pain_during": "5",
            "pain_onset": "distance",
            "onset_distance": "2",
            "pain_quality": "sharp",
        },
    )

    run = Run.objects.get()
    assert (run.distance_m, run.pain_onset, run.pain_onset_m, run.pain_onset_s) == (
        4989,
        "distance",
        3219,
        None,
    )
    assert (run.pain_during, run.pain_quality) == (5, "sharp")
    assert "3.1 mi in 30:00 (9:41 /mi)" in signed_in.get(LOG).content.decode()


def test_the_next_morning_pain_is_added_later_from_the_run_s_row(signed_in, programme):
    tuesday = WEDNESDAY - timedelta(days=1)
    run = logged_run(
        programme.patient, tuesday, km=6, minutes=36, pain_during=2, pain_onset="time", pain_onset_s=600
    )
    logged_run(programme.patient, WEDNESDAY, km=4)
    log = signed_in.get(LOG).content.decode()
    assert log.count("add next-morning pain") == 1  # Tuesday's; Wednesday's morning after is tomorrow
    assert log.count("next morning: tomorrow") == 1
    edit = reverse("assessments:training_run_edit", args=[run.pk])
    form = signed_in.get(edit).content.decode()
    assert 'value="6"' in form or 'value="6.00"' in form

    response = signed_in.post(
        edit,
        {
            "version": "1",
            "day": tuesday.isoformat(),
            "distance": "6",
            "duration": "36:00",
            "session_type": "easy",
            "surface": "road",
            "pain_during": "2",
            "pain_onset": "time",
            "onset_minutes": "10",
            "pain_evening": "1",
            "pain_next_morning": "3",
        },
    )

    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.pain_evening, run.pain_next_morning, run.pain_onset_s, run.version) == (1, 3, 600, 2)


def test_an_edit_from_a_stale_page_is_refused_and_keeps_what_was_typed(signed_in, programme):
    run = logged_run(programme.patient, WEDNESDAY)
    Run.objects.filter(pk=run.pk).update(version=2)

    response = signed_in.post(
        reverse("assessments:training_run_edit", args=[run.pk]),
        {
            "version": "1",
            "day": WEDNESDAY.isoformat(),
            "distance": "7",
            "duration": "40:00",
            "session_type": "long",
            "surface": "road",
        },
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and 'value="7"' in html and 'name="version" value="2"' in html
    run.refresh_from_db()
    assert run.distance_m == 5000


def test_another_patient_s_link_can_neither_see_nor_change_these_rows(
    client, programme, therapist, wednesday
):
    other = programme_for(therapist, first_name="Sam", last_name="Other")
    theirs = logged_run(programme.patient, WEDNESDAY, note="Robin's run")
    session = TrainingSession.objects.create(
        patient=programme.patient, day=WEDNESDAY, kind="strength", minutes=30
    )
    shoe = shoe_add(patient=programme.patient, name="Robin's Pegasus")
    sign_in(client, other, therapist, last_name="other")

    log = client.get(LOG).content.decode()
    edit = client.get(reverse("assessments:training_run_edit", args=[theirs.pk]))
    delete = client.post(reverse("assessments:training_run_delete", args=[theirs.pk]))
    session_delete = client.post(reverse("assessments:training_session_delete", args=[session.pk]))
    retire = client.post(reverse("assessments:training_shoe_retire", args=[shoe.pk]))
    shoes = client.get(reverse("assessments:training_shoes")).content.decode()
    with_their_shoe = client.post(
        RUN,
        {
            "day": WEDNESDAY.isoformat(),
            "distance": "5",
            "duration": "30",
            "session_type": "easy",
            "surface": "road",
            "shoe": shoe.pk,
        },
    )

    assert "Robin" not in log and "Robin" not in shoes
    assert (edit.status_code, delete.status_code, session_delete.status_code, retire.status_code) == (
        404,
        404,
        404,
        404,
    )
    assert _field_error(with_their_shoe.content.decode(), "shoe") == "Choose shoes from your list."
    assert list(Run.objects.values_list("patient_id", flat=True)) == [programme.patient_id]
    assert TrainingSession.objects.count() == 1
    assert Shoe.objects.get(pk=shoe.pk).retired_on is None


def test_without_the_link_s_session_the_log_pages_are_closed(client, programme, wednesday):
    for url in (LOG, RUN, reverse("assessments:training_shoes"), reverse("assessments:training_settings")):
        assert client.get(url).status_code == 403
    assert client.post(RUN, {"distance": "5"}).status_code == 403
    assert Run.objects.count() == 0


def test_each_page_is_an_audited_read_by_the_patient_and_never_cached(signed_in, programme):
    before = AccessEvent.objects.filter(patient_id=programme.patient_id).count()

    response = signed_in.get(LOG)

    assert "no-store" in response["Cache-Control"]
    event = AccessEvent.objects.filter(patient_id=programme.patient_id).order_by("-pk").first()
    assert AccessEvent.objects.filter(patient_id=programme.patient_id).count() == before + 1
    assert event.actor == "patient"


def test_a_session_is_logged_and_deleted(signed_in, programme):
    response = signed_in.post(
        reverse("assessments:training_session"),
        {"day": WEDNESDAY.isoformat(), "kind": "strength", "minutes": "40"},
    )
    refused = signed_in.post(
        reverse("assessments:training_session"),
        {"day": WEDNESDAY.isoformat(), "kind": "cycling", "minutes": "0"},
    )

    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert (session.kind, session.minutes) == ("strength", 40)
    assert "Strength, 40 min" in signed_in.get(LOG).content.decode()
    assert refused.status_code == 400
    assert _field_error(refused.content.decode(), "minutes") == "1 to 600 minutes."
    assert '<option value="cycling" selected>' in refused.content.decode()
    signed_in.post(reverse("assessments:training_session_delete", args=[session.pk]))
    assert TrainingSession.objects.count() == 0


def test_the_body_check_in_is_one_line_a_day_and_replaced_when_sent_again(signed_in, programme):
    body = reverse("assessments:training_body")
    day = WEDNESDAY.isoformat()

    signed_in.post(
        body, {"day": day, "hip_feel": "3", "sleep_hours": "7.5", "sleep_quality": "4", "stress": "6"}
    )
    signed_in.post(
        body, {"day": day, "hip_feel": "2", "sleep_hours": "6", "illness": "on", "illness_note": "A cold"}
    )
    refused = signed_in.post(body, {"day": day, "hip_feel": "2", "sleep_hours": "17"})

    entry = BodyCheckIn.objects.get()
    assert (entry.hip_feel, entry.sleep_hours, entry.sleep_quality, entry.stress) == (2, 6, None, None)
    assert (entry.illness, entry.illness_note) == (True, "A cold")
    assert refused.status_code == 400
    assert _field_error(refused.content.decode(), "sleep_hours") == "0 to 16 hours."
    assert "Saved for today" in signed_in.get(LOG).content.decode()


def test_the_cycle_day_is_asked_only_after_its_own_consent_and_deleted_on_withdrawal(signed_in, programme):
    settings_url = reverse("assessments:training_settings")
    body = reverse("assessments:training_body")
    assert 'name="cycle_day"' not in signed_in.get(LOG).content.decode()
    signed_in.post(body, {"day": WEDNESDAY.isoformat(), "hip_feel": "1", "cycle_day": "12"})
    assert BodyCheckIn.objects.get().cycle_day is None  # not asked, not stored

    unticked = signed_in.post(settings_url, {"action": "cycle_consent"})
    assert unticked.status_code == 400
    assert TrainingPreferences.objects.filter(cycle_tracking_consented_at__isnull=False).count() == 0
    signed_in.post(settings_url, {"action": "cycle_consent", "agree": "on"})
    assert 'name="cycle_day"' in signed_in.get(LOG).content.decode()
    signed_in.post(body, {"day": WEDNESDAY.isoformat(), "hip_feel": "1", "cycle_day": "12"})
    assert BodyCheckIn.objects.get().cycle_day == 12

    withdrawn = signed_in.post(settings_url, {"action": "cycle_withdraw"}, follow=True).content.decode()

    assert BodyCheckIn.objects.get().cycle_day is None
    assert 'name="cycle_day"' not in signed_in.get(LOG).content.decode()
    assert "Cycle tracking is off, and the 1 cycle day you recorded is deleted." in withdrawn


def test_the_unit_choice_changes_how_distances_are_typed_and_shown(signed_in, programme):
    logged_run(programme.patient, WEDNESDAY, km=8.04672)

    signed_in.post(reverse("assessments:training_settings"), {"action": "unit", "distance_unit": "mi"})

    assert TrainingPreferences.objects.get().distance_unit == "mi"
    assert "5 mi in 30:00" in signed_in.get(LOG).content.decode()
    assert "Distance (miles)" in signed_in.get(RUN).content.decode()


def test_shoes_are_added_with_their_distance_and_retired(signed_in, programme):
    shoes = reverse("assessments:training_shoes")

    signed_in.post(shoes, {"name": "Ghost 15", "first_run_on": "2026-02-01", "starting": "120"})
    refused = signed_in.post(shoes, {"name": "", "starting": "-3"})
    shoe = Shoe.objects.get()
    logged_run(programme.patient, WEDNESDAY, km=10, shoe=shoe)
    page = signed_in.get(shoes).content.decode()
    signed_in.post(reverse("assessments:training_shoe_retire", args=[shoe.pk]))

    assert (shoe.name, shoe.starting_distance_m, str(shoe.first_run_on)) == (
        "Ghost 15",
        120_000,
        "2026-02-01",
    )
    assert "130 km" in page and "1 run logged" in page
    assert _field_error(refused.content.decode(), "name") == "Name the shoes, like “Pegasus 40 (blue)”."
    assert Shoe.objects.get().retired_on == WEDNESDAY
    assert f'<option value="{shoe.pk}"' not in signed_in.get(RUN).content.decode()


def test_the_log_prompts_to_replace_shoes_past_the_clinic_s_distance(signed_in, programme, settings):
    settings.SHOE_REPLACEMENT_KM = 500
    worn = shoe_add(patient=programme.patient, name="Old Clifton", starting_distance_m=490_000)
    fresh = shoe_add(patient=programme.patient, name="New Clifton")
    logged_run(programme.patient, WEDNESDAY - timedelta(days=1), km=9.9, shoe=worn)
    logged_run(programme.patient, WEDNESDAY - timedelta(days=1), km=9.9, shoe=fresh)
    assert f"shoe-prompt-{worn.pk}" not in signed_in.get(LOG).content.decode()

    logged_run(programme.patient, WEDNESDAY, km=0.1, shoe=worn)

    page = signed_in.get(LOG).content.decode()
    assert f'id="shoe-prompt-{worn.pk}"' in page and f"shoe-prompt-{fresh.pk}" not in page
    assert "Your Old Clifton have 500 km in them" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_log_and_shoe_pages_cost_the_same_queries_for_one_row_or_many(signed_in, programme):
    counts = {}
    for rows in (1, 3):
        Run.objects.all().delete()
        TrainingSession.objects.all().delete()
        for n in range(rows):
            shoe = shoe_add(patient=programme.patient, name=f"Pair {rows}-{n}")
            logged_run(programme.patient, WEDNESDAY - timedelta(days=n), shoe=shoe)
            TrainingSession.objects.create(
                patient=programme.patient, day=WEDNESDAY, kind="strength", minutes=30
            )
        counts[rows] = (
            _queries(signed_in, LOG),
            _queries(signed_in, reverse("assessments:training_shoes")),
        )

    assert counts[1] == counts[3]


def test_an_earlier_day_s_body_check_in_opens_with_its_answers(signed_in, programme):
    tuesday = WEDNESDAY - timedelta(days=1)
    BodyCheckIn.objects.create(patient=programme.patient, day=tuesday, hip_feel=4, stress=7)

    log = signed_in.get(LOG).content.decode()
    page = signed_in.get(reverse("assessments:training_body"), {"day": tuesday.isoformat()}).content.decode()
    future = signed_in.get(reverse("assessments:training_body"), {"day": "2026-12-25"}).content.decode()

    assert f'?day={tuesday.isoformat()}">Tue 3 Mar: hip 4/10</a>' in log
    assert f'value="{tuesday.isoformat()}"' in page
    assert re.search(r'name="hip_feel" value="4"[^>]*checked', page)
    assert f'value="{WEDNESDAY.isoformat()}"' in future


def test_when_running_is_stopped_the_log_says_so_and_still_takes_a_run(signed_in, programme):
    assert 'id="not-running"' not in signed_in.get(LOG).content.decode()
    Programme.objects.filter(pk=programme.pk).update(running_stopped=True)

    log = signed_in.get(LOG).content.decode()
    form = signed_in.get(RUN).content.decode()
    response = signed_in.post(
        RUN,
        {
            "day": WEDNESDAY.isoformat(),
            "distance": "3",
            "duration": "20",
            "session_type": "easy",
            "surface": "road",
        },
    )

    assert 'id="not-running"' in log and 'id="not-running"' in form
    assert response.status_code == 302 and Run.objects.count() == 1


def test_a_0_to_10_score_out_of_range_is_announced_next_to_its_scale(signed_in):
    response = signed_in.post(
        RUN,
        {
            "day": WEDNESDAY.isoformat(),
            "distance": "5",
            "duration": "30:00",
            "session_type": "easy",
            "surface": "road",
            "pain_evening": "11",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_pain_evening_help id_pain_evening_error"' in html
    assert 'id="id_pain_evening_error" role="alert">Choose a number from 0 to 10.</div>' in html
