"""Return-to-run gating through the services, against worked cases (domain.md §8.3–8.4)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from assessments.messages import AssessmentMessageKind
from assessments.models import LadderStep, ProgrammeAlert, ReadinessCheck
from assessments.programmes.rules import READINESS_CODES
from assessments.programmes.services.ladder import (
    ladder_override,
    ladder_preview,
    programme_impact_clear,
    programme_impact_stop,
    readiness_record,
)
from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from tests.assessments.programmes.support import START, at, run, send_week, start_programme

pytestmark = [pytest.mark.django_db]

ALL_PASS = {code: (True, 0) for code in READINESS_CODES}


def on_ladder(therapist, *, code: str = "GTPS_GLUT_TEND"):
    """A programme whose patient passed the readiness checklist in week 1 (stage 1).

    With bone stress, impact stopped 7 weeks before and a clearance recorded: the gate is open.
    """
    programme = start_programme(therapist, code=code, runs_per_week=2 if code.startswith("BSI") else 3)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        if code.startswith("BSI"):
            programme_impact_stop(programme=programme, by=therapist, on=START - timedelta(weeks=7))
            programme_impact_clear(
                programme=programme, by=therapist, note="Sports physician: MRI healed", on=START
            )
        readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    programme.refresh_from_db()
    return programme


def runs(week_start, minutes: int = 30, count: int = 3) -> list[dict]:
    return [run(week_start + timedelta(days=2 * n), "5", minutes) for n in range(count)]


# (case, impression, answers, minutes per run, stage after, last step, alert)
CASES = [
    (
        "advances when pain ≤ 3 and settled",
        "GTPS_GLUT_TEND",
        {"run_pain_during": 2, "run_pain_after": 2, "pain_next_morning": 1},
        30,
        2,
        "advance",
        None,
    ),
    (
        "pain exactly 3 still advances",
        "GTPS_GLUT_TEND",
        {"run_pain_during": 3, "run_pain_after": 3, "pain_next_morning": 0},
        30,
        2,
        "advance",
        None,
    ),
    (
        "holds when run pain is 4/10",
        "GTPS_GLUT_TEND",
        {"run_pain_during": 4, "run_pain_after": 3, "pain_next_morning": 1},
        30,
        1,
        "hold",
        None,
    ),
    (
        "holds when next-morning pain rose",
        "GTPS_GLUT_TEND",
        {"run_pain_during": 2, "run_pain_after": 2, "pain_next_morning": 3},
        30,
        1,
        "hold",
        None,
    ),
    (
        "holds when the next stage is > 10 % more load",
        "GTPS_GLUT_TEND",
        {"run_pain_during": 1, "run_pain_after": 1, "pain_next_morning": 1},
        20,
        1,
        "hold",
        None,
    ),
    (
        "run pain above 5 on stage 1 stops and alerts (no easier stage)",
        "GTPS_GLUT_TEND",
        {"run_pain_during": 6, "run_pain_after": 3, "pain_next_morning": 1},
        30,
        1,
        "stop",
        "run_pain_high",
    ),
    (
        "bone stress: any running pain stops and alerts",
        "BSI_FEM_NECK",
        {"run_pain_during": 1, "run_pain_after": 1, "pain_next_morning": 0},
        30,
        1,
        "stop",
        "bone_stress_run_pain",
    ),
    (
        "bone stress: pain-free runs advance",
        "BSI_FEM_NECK",
        {"run_pain_during": 0, "run_pain_after": 0, "pain_next_morning": 0},
        30,
        2,
        "advance",
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "code", "answers", "minutes", "stage", "action", "alert"), CASES, ids=[c[0] for c in CASES]
)
def test_ladder_gate_after_a_check_in(therapist, case, code, answers, minutes, stage, action, alert):
    programme = on_ladder(therapist, code=code)
    count = 2 if programme.bone_stress else 3
    result = send_week(programme, 1, runs=runs(START, minutes, count), **answers)
    assert programme.run_stage == stage
    assert programme.running_stopped == (action == "stop")
    step = LadderStep.objects.filter(programme=programme).first()
    assert (step.action, step.by, step.after_week) == (action, None, 1)
    assert step.reasons == list(result.decision.reasons)
    assert [a.kind for a in ProgrammeAlert.objects.filter(programme=programme)] == ([alert] if alert else [])


def test_hold_reasons_name_the_rule(therapist):
    programme = on_ladder(therapist)
    result = send_week(programme, 1, runs=runs(START, 20), run_pain_during=4, pain_next_morning=3)
    text = " ".join(result.decision.reasons)
    assert "must stay at 3/10 or less" in text
    assert "Next-morning pain (3/10) was above your usual morning level (1/10)" in text
    assert result.decision.action == "hold"


def test_weekly_load_never_rises_more_than_10_percent(therapist):
    programme = on_ladder(therapist)
    # 3 × 20 min = 60 min logged; stage 2 plans 3 × 30 = 90 min (+50 %).
    result = send_week(
        programme, 1, runs=runs(START, 20), run_pain_during=1, run_pain_after=1, pain_next_morning=1
    )
    assert result.decision.reasons == (
        "Stage 2 would raise your weekly running time from 60 to 90 minutes (+50.0 %), more than 10 %: "
        "repeat this stage before moving up.",
    )


def test_gate_reads_only_check_ins_since_the_last_step(therapist):
    programme = on_ladder(therapist)
    send_week(programme, 1, runs=runs(START), run_pain_during=2, run_pain_after=2, pain_next_morning=1)
    assert programme.run_stage == 2
    # Week 1's check-in is behind the step: week 2 alone decides.
    send_week(
        programme,
        2,
        runs=runs(START + timedelta(weeks=1)),
        run_pain_during=1,
        run_pain_after=1,
        pain_next_morning=1,
    )
    assert programme.run_stage == 3
    send_week(
        programme,
        3,
        runs=runs(START + timedelta(weeks=2)),
        run_pain_during=5,
        run_pain_after=2,
        pain_next_morning=1,
    )
    assert programme.run_stage == 3
    assert list(LadderStep.objects.filter(programme=programme).values_list("action", flat=True)) == [
        "hold",
        "advance",
        "advance",
        "start",
    ]


def test_no_runs_logged_holds(therapist):
    programme = on_ladder(therapist)
    result = send_week(programme, 1)
    assert programme.run_stage == 1
    assert result.decision.reasons == (
        "No runs logged at this stage yet: log a week of runs at this stage first.",
    )


def test_bone_stress_alert_email_says_only_that_a_check_in_needs_review(therapist):
    therapist.email = "terry@stride.test"
    therapist.save()
    programme = on_ladder(therapist, code="BSI_FEM_NECK")
    send_week(programme, 1, runs=runs(START, count=2), run_pain_during=2, pain_next_morning=0)
    alert = ProgrammeAlert.objects.get(programme=programme)
    assert "pain during running 2/10 with a bone stress injury" in alert.detail
    message = ScheduledMessage.objects.get(kind=AssessmentMessageKind.PROGRAMME_ALERT)
    assert (message.to_email, message.key) == (
        "terry@stride.test",
        f"programme:{programme.pk}:alert:{alert.pk}",
    )
    email = message_render(message)
    assert email.subject == "A patient's check-in needs your review"
    body = email.body + email.alternatives[0][0]
    assert f"/clinical/programmes/{programme.pk}/" in body
    for detail in ("Robin", "Strider", "pain", "bone", "2/10", "BSI"):
        assert detail not in body


def test_bone_stress_pain_alerts_even_before_the_ladder(therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK")
    send_week(programme, 1, runs=[run(START + timedelta(days=1))], run_pain_during=1, pain_next_morning=0)
    assert programme.run_stage == 0
    assert [a.kind for a in programme.alerts.all()] == ["bone_stress_run_pain"]


def test_red_flag_answer_alerts_the_therapist(therapist):
    programme = start_programme(therapist)
    send_week(programme, 1, flag_night_pain=True)
    alert = ProgrammeAlert.objects.get(programme=programme)
    assert alert.kind == "red_flag"
    assert "Pain at night that wakes you" in alert.detail


# --- Readiness and overrides ----------------------------------------------------------------------


def test_readiness_not_passed_keeps_the_patient_off_the_ladder(therapist):
    programme = start_programme(therapist)
    results = {**ALL_PASS, "HOP_IN_PLACE": (True, 3)}
    check, step = readiness_record(programme=programme, by=therapist, results=results, notes="Sore hopping")
    programme.refresh_from_db()
    assert (check.passed, step, programme.run_stage) == (False, None, 0)
    assert check.recorded_by == therapist and check.results["HOP_IN_PLACE"] == {"done": True, "pain": 3}
    assert ladder_preview(programme).action == "not_ready"


def test_readiness_passed_starts_stage_1(therapist):
    programme = on_ladder(therapist)
    assert programme.run_stage == 1
    step = LadderStep.objects.get(programme=programme)
    assert (step.action, step.from_stage, step.to_stage, step.by) == ("start", 0, 1, therapist)
    assert ReadinessCheck.objects.get(programme=programme).passed


def test_readiness_needs_every_test(therapist):
    programme = start_programme(therapist)
    with pytest.raises(ValidationError, match="every test"):
        readiness_record(programme=programme, by=therapist, results={"WALK_30_MIN": (True, 0)})


def test_override_is_recorded_with_the_reason_and_what_the_rules_said(therapist):
    programme = on_ladder(therapist, code="BSI_FEM_NECK")
    send_week(programme, 1, runs=runs(START, count=2), run_pain_during=1, pain_next_morning=0)
    assert programme.running_stopped
    step = ladder_override(
        programme=programme, by=therapist, to_stage=1, reason="MRI clear; pain from a fall"
    )
    programme.refresh_from_db()
    assert (programme.run_stage, programme.running_stopped) == (1, False)
    assert (step.action, step.by, step.override_reason) == (
        "override",
        therapist,
        "MRI clear; pain from a fall",
    )
    assert step.reasons[0] == "The rules said: hold."
    revision = programme.revisions.first()
    assert revision.changes == [
        {
            "label": "Return-to-run stage",
            "old": "stage 1, 5 × (walk 4 min / jog 2 min) (stopped)",
            "new": "stage 1, 5 × (walk 4 min / jog 2 min)",
        },
    ]


def test_override_without_a_reason_is_refused(therapist):
    programme = on_ladder(therapist)
    with pytest.raises(ValidationError) as error:
        ladder_override(programme=programme, by=therapist, to_stage=4, reason="  ")
    assert error.value.message_dict == {"reason": ["Give the reason for overriding the ladder."]}
    programme.refresh_from_db()
    assert programme.run_stage == 1
