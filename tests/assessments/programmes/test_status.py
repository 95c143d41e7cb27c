"""Adherence and on track / behind / attention against worked examples, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessments.programmes.selectors import dashboard, week_rows
from assessments.programmes.services.ladder import alert_raise, alert_resolve
from patients.flags.services import red_flag_clear
from tests.assessments.programmes.support import START, at, send_week, start_programme
from tests.factories import PatientFactory

pytestmark = [pytest.mark.django_db]

D = Decimal


def _status(therapist, today: date):
    (row,) = dashboard(therapist=therapist, today=today).rows
    return row.status.status, list(row.status.reasons)


# Each case: the weeks sent as (week, worst pain, sessions done), the day asked, the expected status and reasons.
CASES = [
    ("on track after a full week", [(1, 3, 3)], date(2026, 3, 11), "on_track", []),
    ("before the start", [], date(2026, 2, 27), "on_track", []),
    ("9 days without a check-in is still on track", [], date(2026, 3, 11), "on_track", []),
    (
        "10 days without any check-in",
        [],
        date(2026, 3, 12),
        "attention",
        ["No check-in yet, 10 days after the programme started on 2026-03-02."],
    ),
    (
        "10 days since the last check-in",
        [(1, 3, 3)],
        date(2026, 3, 18),
        "attention",
        ["No check-in for 10 days (last on 2026-03-08)."],
    ),
    (
        "adherence below 50 % is behind",
        [(1, 3, 3), (2, 3, 1)],
        date(2026, 3, 16),
        "behind",
        ["Exercise adherence in the latest week was 33.3 %, below 50 %."],
    ),
    (
        "worst pain rising two weeks in a row",
        [(1, 2, 3), (2, 4, 3), (3, 6, 3)],
        date(2026, 3, 23),
        "attention",
        ["Worst pain has risen two weeks in a row (2 → 4 → 6/10)."],
    ),
    (
        "pain up once, then steady, is on track",
        [(1, 2, 3), (2, 4, 3), (3, 4, 3)],
        date(2026, 3, 23),
        "on_track",
        [],
    ),
    (
        "attention and behind together",
        [(1, 2, 3), (2, 4, 3), (3, 6, 1)],
        date(2026, 3, 23),
        "attention",
        [
            "Worst pain has risen two weeks in a row (2 → 4 → 6/10).",
            "Exercise adherence in the latest week was 33.3 %, below 50 %.",
        ],
    ),
]


@pytest.mark.parametrize(("case", "sent", "today", "status", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_status_worked_examples(therapist, case, sent, today, status, reasons):
    programme = start_programme(therapist)
    for week, worst, done in sent:
        send_week(programme, week, pain_worst=worst, sessions_done=done)
    with time_machine.travel(at(today), tick=False):
        assert _status(therapist, today) == (status, reasons)


def test_exactly_half_the_sessions_is_not_behind(therapist):
    programme = start_programme(therapist, exercise_days="0,3")  # 2 sessions a week
    send_week(programme, 1, sessions_done=1)
    assert _status(therapist, date(2026, 3, 10)) == ("on_track", [])


@pytest.mark.parametrize(
    ("done", "days", "adherence"),
    [
        (3, "0,2,4", D("100.0")),
        (2, "0,2,4", D("66.7")),
        (4, "0,2,4", D("133.3")),
        (0, "0,2,4", D("0.0")),
        (1, "0,1,2,3,4,5,6", D("14.3")),
    ],
)
def test_adherence_is_sessions_done_over_the_plan(therapist, done, days, adherence):
    programme = start_programme(therapist, exercise_days=days)
    send_week(programme, 1, sessions_done=done)
    (row, *_) = week_rows(programme, list(programme.checkins.prefetch_related("runs")))
    assert row.adherence == adherence


def test_prescribed_sessions_are_kept_as_they_were_that_week(therapist):
    from assessments.programmes.services.plan import programme_update

    programme = start_programme(therapist)
    send_week(programme, 1, sessions_done=3)
    programme_update(
        programme=programme,
        by=therapist,
        expected_version=programme.version,
        values={"exercise_days": "0,1,2,3,4,5"},
    )
    programme.refresh_from_db()
    send_week(programme, 2, sessions_done=3)
    rows = week_rows(programme, list(programme.checkins.prefetch_related("runs")))
    assert [(r.sessions_prescribed, r.adherence) for r in rows[:2]] == [(3, D("100.0")), (6, D("50.0"))]


def test_an_open_alert_means_attention_until_resolved(therapist):
    programme = start_programme(therapist)
    result = send_week(programme, 1, flag_unwell=True)
    assert _status(therapist, date(2026, 3, 9)) == (
        "attention",
        ["Open alert: red-flag answer in a check-in.", "1 open red flag to review."],
    )
    alert_resolve(alert=result.alerts[0], by=therapist, resolution="Called: a cold, no fever now.")
    # The check-in's red flag still needs a clinician's sign-off.
    assert _status(therapist, date(2026, 3, 9)) == ("attention", ["1 open red flag to review."])
    red_flag_clear(flag=result.flags[0], by=therapist, action_taken="Called: a cold, no fever now.")
    assert _status(therapist, date(2026, 3, 9)) == ("on_track", [])


def test_dashboard_lists_attention_first(therapist):
    calm = start_programme(therapist, patient=PatientFactory(last_name="Calm"))
    worried = start_programme(therapist, patient=PatientFactory(last_name="Worried"))
    send_week(calm, 1)
    alert_raise(programme=worried, checkin=None, kind="red_flag", detail="Night pain")
    rows = dashboard(therapist=therapist, today=date(2026, 3, 9)).rows
    assert [(r.programme.patient.last_name, r.status.status) for r in rows] == [
        ("Worried", "attention"),
        ("Calm", "on_track"),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_does_not_grow_with_programmes(
    therapist, client, count, django_assert_num_queries
):
    for n in range(count):
        programme = start_programme(therapist, patient=PatientFactory(last_name=f"Runner{n}"))
        for week in (1, 2):
            send_week(programme, week)
    client.force_login(therapist)
    # Session, user (roles and device from the session), profile; counts per status, programmes, check-ins, runs, alerts,
    # open red flags, outstanding imaging (the session is not rewritten within its minute).
    with time_machine.travel(at(START + timedelta(days=16)), tick=False), django_assert_num_queries(10):
        response = client.get(reverse("assessments:programme_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-status="on_track"') == count
