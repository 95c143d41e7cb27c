"""The training timeline pages: the therapist's (audited, care team) and the patient's by link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Run, Shoe
from assessments.programmes.services.links import link_issue
from assessments.training.services import run_log
from clinic.audit.models import AccessEvent
from tests.assessments.programmes.support import DOB, START, at, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

pytestmark = [pytest.mark.django_db]

BIG_WEEKS = {2, 5, 8, 10, 11}  # 48 km weeks, each with a sore next morning; the others 30 km, settled
TODAY = START + timedelta(weeks=12, days=-1)  # the Sunday ending week 12
BAR = re.compile(r'<rect class="chart-bar[^"]*"[^>]*data-x="([^"]+)" data-value="([^"]+)">')
CELL = re.compile(r'<td data-series="distance" data-x="([^"]+)">([^<]+)</td>')
STAFF_SENTENCE = "Next-morning pain ≥ 3 followed 5 of 5 weeks above 30 km, and 0 of 7 weeks of 30 km or less."
PATIENT_SENTENCE = (
    "Your hip was sore the morning after a run in all 5 of your weeks above 30 km, "
    "and in none of your 7 weeks of 30 km or less."
)


def _runner(therapist, weeks: int = 12):
    patient = PatientFactory(first_name="Robin", last_name="Strider", date_of_birth=DOB)
    programme = start_programme(therapist, patient=patient)
    shoe = Shoe.objects.create(patient=patient, name="Pegasus 40", first_run_on=START)
    for week in range(weeks):
        km = 16 if week in BIG_WEEKS else 10
        for day in (0, 2, 4):
            Run.objects.create(
                patient=patient,
                programme=programme,
                day=START + timedelta(weeks=week, days=day),
                distance_m=km * 1000,
                duration_s=km * 360,
                shoe=shoe,
                pain_next_morning=4 if week in BIG_WEEKS and day == 4 else 1,
            )
    return programme


def _get(client, programme):
    with time_machine.travel(at(TODAY, 18), tick=False):
        return client.get(reverse("assessments:training_timeline", args=[programme.pk]))


def test_the_therapist_sees_the_weeks_the_pattern_and_the_shoes(therapist_client, therapist):
    programme = _runner(therapist)
    response = _get(therapist_client, programme)
    assert response.status_code == 200
    html = response.content.decode()
    assert STAFF_SENTENCE in html
    assert 'data-pattern="distance"' in html
    assert '<th scope="row">Pegasus 40</th><td>2 Mar 2026</td><td>450 km</td><td>30 km left</td>' in html
    # Every bar is a row of the table with the same number (16 weeks shown, 4 before the start empty).
    bars = BAR.findall(html)
    assert bars == CELL.findall(html)
    assert [v for _, v in bars] == [
        *"0000",
        "30",
        "30",
        "48",
        "30",
        "30",
        "48",
        "30",
        "30",
        "48",
        "30",
        "48",
        "48",
    ]
    assert 'role="img"' in html and html.count("<svg") == 3
    # The Sunday of TODAY is not over: its week is "so far".
    assert html.count("so far") == 1


def test_the_week_still_going_is_so_far_and_not_a_cutback(therapist_client, therapist):
    programme = _runner(therapist)
    with time_machine.travel(at(TODAY + timedelta(days=1), 18), tick=False):
        html = therapist_client.get(
            reverse("assessments:training_timeline", args=[programme.pk])
        ).content.decode()
    row = html[html.index('<tr data-week="2026-05-25">') :]
    row = row[: row.index("</tr>")]
    assert "so far" in row
    assert "<td>yes</td>" not in row


def test_the_therapist_sees_the_training_alerts(therapist_client, therapist):
    programme = _runner(therapist)
    with time_machine.travel(at(TODAY, 7), tick=False):
        run_log(
            patient=programme.patient,
            programme=programme,
            day=TODAY,
            distance_m=25_000,
            duration_s=9000,
        )
    html = _get(therapist_client, programme).content.decode()
    # 25 km today on top of week 12's 48 km, after 48 km in week 11: the 10 % rule and the ACWR; and no
    # cutback for 5 weeks.
    assert re.findall(r'data-training-alert="(\w+)"', html) == [
        "training_ten_percent",
        "training_acwr",
        "training_no_cutback",
    ]
    assert (
        "Weekly distance in the week of 18 May 2026 is 73 km so far, up 52.1 % on the week before (48 km)"
        in html
    )
    assert "3 open alerts from the log" in html


def test_the_read_is_audited(therapist_client, therapist):
    programme = _runner(therapist, weeks=2)
    _get(therapist_client, programme)
    (event,) = AccessEvent.objects.filter(patient_id=programme.patient_id)
    assert (event.user_id, event.actor) == (therapist.pk, "staff")


def test_front_desk_cannot_open_it(front_desk_client, therapist):
    programme = _runner(therapist, weeks=1)
    assert _get(front_desk_client, programme).status_code == 403


def test_no_such_programme_is_404(therapist_client):
    assert therapist_client.get(reverse("assessments:training_timeline", args=[999_999])).status_code == 404


def test_queries_do_not_grow_with_the_log(therapist_client, therapist):
    counts = []
    for weeks in (2, 12):
        programme = _runner(therapist, weeks=weeks)
        with CaptureQueriesContext(connection) as queries:
            assert _get(therapist_client, programme).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _sign_in(client, programme, therapist):
    token = link_issue(programme=programme, by=therapist, emailed=False)
    client.get(reverse("assessments:checkin_start", args=[token]))
    response = client.post(
        reverse("assessments:checkin_check"),
        {"last_name": "strider", "dob_day": DOB.day, "dob_month": DOB.month, "dob_year": DOB.year},
        REMOTE_ADDR="203.0.113.7",
    )
    assert pass_code_step(client, response, "assessments:checkin_code").status_code == 302


def test_the_patient_sees_their_timeline_in_plain_words(client, therapist):
    programme = _runner(therapist)
    programme.run_stage = 2
    programme.save(update_fields=["run_stage"])
    with time_machine.travel(at(TODAY, 18), tick=False):
        _sign_in(client, programme, therapist)
        response = client.get(reverse("assessments:training_timeline_patient"))
    html = response.content.decode()
    assert response.status_code == 200
    assert PATIENT_SENTENCE in html
    assert STAFF_SENTENCE not in html
    assert "Stage 2 of" in html and "Up to 3 runs a week, with a rest day between runs" in html
    assert "<strong>Pegasus 40</strong>: 450 km (30 km before they are due for replacing)." in html
    bars = BAR.findall(html)
    assert bars[:5] == [("2 Feb", "0"), ("9 Feb", "0"), ("16 Feb", "0"), ("23 Feb", "0"), ("2 Mar", "30")]
    assert bars == CELL.findall(html)
    assert AccessEvent.objects.filter(patient_id=programme.patient_id, actor="patient").exists()


def test_a_stopped_runner_is_told_not_to_run(client, therapist):
    programme = _runner(therapist, weeks=2)
    programme.run_stage, programme.running_stopped = 2, True
    programme.save(update_fields=["run_stage", "running_stopped"])
    with time_machine.travel(at(TODAY, 18), tick=False):
        _sign_in(client, programme, therapist)
        html = client.get(reverse("assessments:training_timeline_patient")).content.decode()
    assert "Please don&#x27;t run for now." in html or "Please don't run for now." in html
    assert "Stage 2 of" not in html


def test_without_a_session_the_patient_page_asks_for_the_link(client):
    response = client.get(reverse("assessments:training_timeline_patient"))
    assert response.status_code in (200, 302, 403)
    assert "Pegasus" not in response.content.decode()
