"""The ladder reads the training log: a week's logged runs decide as the check-in's totals would."""

from datetime import timedelta

import pytest

from assessments.models import LadderStep, ProgrammeAlert, Run
from tests.assessments.programmes.support import START, send_week
from tests.assessments.programmes.test_ladder import on_ladder, runs

pytestmark = [pytest.mark.django_db]

SETTLED = {"run_pain_during": 1, "run_pain_after": 1, "pain_next_morning": 1}


def log(programme, day, *, km: float = 5, minutes: int = 30, **pains: int | None) -> Run:
    return Run.objects.create(
        patient=programme.patient,
        programme=programme,
        day=day,
        distance_m=int(km * 1000),
        duration_s=minutes * 60,
        **pains,
    )


def log_week(programme, week_start, *, minutes: int = 30, count: int = 3, **pains: int | None) -> list[Run]:
    return [
        log(programme, week_start + timedelta(days=2 * n), minutes=minutes, **pains) for n in range(count)
    ]


def decided(programme) -> tuple[str, int, bool]:
    programme.refresh_from_db()
    step = LadderStep.objects.filter(programme=programme).first()
    return step.action, programme.run_stage, programme.running_stopped


def test_settled_logged_runs_advance_like_settled_totals(therapist):
    by_log = on_ladder(therapist)
    log_week(by_log, START, pain_during=2, pain_evening=2, pain_next_morning=1)
    send_week(by_log, 1, **SETTLED)
    by_totals = on_ladder(therapist)
    send_week(by_totals, 1, runs=runs(START), run_pain_during=2, run_pain_after=2, pain_next_morning=1)
    assert decided(by_log) == decided(by_totals) == ("advance", 2, False)


def test_a_logged_painful_run_holds_although_the_check_in_says_little(therapist):
    by_log = on_ladder(therapist)
    log_week(by_log, START, pain_during=1, pain_evening=1, pain_next_morning=1, count=2)
    log(by_log, START + timedelta(days=4), pain_during=4, pain_evening=3, pain_next_morning=1)
    # The check-in's own totals would advance: run pain 1, settled.
    result = send_week(by_log, 1, runs=runs(START), **SETTLED)
    by_totals = on_ladder(therapist)
    expected = send_week(
        by_totals, 1, runs=runs(START), run_pain_during=4, run_pain_after=3, pain_next_morning=1
    )
    assert decided(by_log) == decided(by_totals) == ("hold", 1, False)
    assert result.decision.reasons == expected.decision.reasons
    assert "Pain during running reached 4/10 in the week of 2026-03-02" in " ".join(result.decision.reasons)


def test_a_logged_run_above_5_stops_and_alerts_as_the_totals_would(therapist):
    by_log = on_ladder(therapist)
    log_week(by_log, START, pain_during=1, pain_evening=1, pain_next_morning=1, count=2)
    log(by_log, START + timedelta(days=4), pain_during=6, pain_evening=3, pain_next_morning=1)
    send_week(by_log, 1, runs=runs(START), **SETTLED)
    by_totals = on_ladder(therapist)
    send_week(by_totals, 1, runs=runs(START), run_pain_during=6, run_pain_after=3, pain_next_morning=1)
    assert decided(by_log) == decided(by_totals) == ("stop", 1, True)
    kinds = [a.kind for a in ProgrammeAlert.objects.filter(programme=by_log)]
    assert kinds == [a.kind for a in ProgrammeAlert.objects.filter(programme=by_totals)] == ["run_pain_high"]


def test_next_morning_pain_of_a_logged_run_holds(therapist):
    programme = on_ladder(therapist)
    log_week(programme, START, pain_during=1, pain_evening=1, pain_next_morning=1, count=2)
    log(programme, START + timedelta(days=4), pain_during=1, pain_evening=1, pain_next_morning=3)
    result = send_week(programme, 1, **SETTLED)
    assert decided(programme) == ("hold", 1, False)
    assert "Next-morning pain (3/10) was above your usual morning level (1/10)" in " ".join(
        result.decision.reasons
    )


def test_step_down_after_a_painful_logged_week_on_stage_2(therapist):
    programme = on_ladder(therapist)
    send_week(programme, 1, runs=runs(START), run_pain_during=2, run_pain_after=2, pain_next_morning=1)
    assert programme.run_stage == 2
    week2 = START + timedelta(weeks=1)
    log_week(programme, week2, pain_during=1, pain_evening=1, pain_next_morning=1, count=2)
    log(programme, week2 + timedelta(days=4), pain_during=6, pain_evening=4, pain_next_morning=2)
    send_week(programme, 2, runs=runs(week2), **SETTLED)
    twin = on_ladder(therapist)
    send_week(twin, 1, runs=runs(START), run_pain_during=2, run_pain_after=2, pain_next_morning=1)
    send_week(twin, 2, runs=runs(week2), run_pain_during=6, run_pain_after=4, pain_next_morning=2)
    assert decided(programme) == decided(twin) == ("step_down", 1, False)


def test_logged_minutes_replace_the_check_in_totals(therapist):
    programme = on_ladder(therapist)
    # 3 × 20 min logged; the check-in's run rows say 3 × 30 min (enough to move up).
    log_week(programme, START, minutes=20, pain_during=1, pain_evening=1, pain_next_morning=1)
    result = send_week(programme, 1, runs=runs(START, 30), **SETTLED)
    assert result.decision.reasons == (
        "Stage 2 would raise your weekly running time from 60 to 90 minutes (+50.0 %), more than 10 %: "
        "repeat this stage before moving up.",
    )


def test_runs_of_other_weeks_or_patients_are_not_read(therapist):
    programme = on_ladder(therapist)
    log(programme, START - timedelta(days=1), pain_during=8)  # the Sunday before week 1
    log(programme, START + timedelta(days=7), pain_during=8)  # week 2
    other = on_ladder(therapist)
    log(other, START + timedelta(days=2), pain_during=8)
    send_week(programme, 1, runs=runs(START), run_pain_during=2, run_pain_after=2, pain_next_morning=1)
    assert decided(programme) == ("advance", 2, False)
