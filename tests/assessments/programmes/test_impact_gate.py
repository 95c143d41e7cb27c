"""The zero-impact gate of bone stress through the services and pages (domain.md §8.2–8.4, S4)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.exercises.catalogue import exercise_by_code
from assessments.models import Exercise, LadderStep, PrescribedExercise, Programme, ProgrammeAlert
from assessments.programmes.choices import PhaseKind
from assessments.programmes.phase_plans import default_phases
from assessments.programmes.rules import READINESS_CODES
from assessments.programmes.selectors import impact_stopped_since, stage_info
from assessments.programmes.services.ladder import (
    ladder_override,
    ladder_preview,
    programme_impact_clear,
    programme_impact_stop,
    readiness_record,
)
from assessments.programmes.services.links import link_issue
from assessments.record.bone_stress import BONE_STRESS_CODES
from tests.assessments.programmes.support import DOB, START, at, run, send_week, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

pytestmark = [pytest.mark.django_db]

ALL_PASS = {code: (True, 0) for code in READINESS_CODES}
WEEK_2 = START + timedelta(days=10)  # Thursday of week 2
SIX_WEEKS = START + timedelta(weeks=6)  # the first day impact may start


def bone_stress_programme(therapist, **overrides):
    patient = PatientFactory(first_name="Robin", last_name="O'Strider", date_of_birth=DOB)
    return start_programme(therapist, patient=patient, code="BSI_FEM_NECK", runs_per_week=2, **overrides)


def clear(
    programme, therapist, *, on=SIX_WEEKS, note="Sports physician: repeat MRI healed, pain-free walking"
):
    with time_machine.travel(at(on), tick=False):
        return programme_impact_clear(programme=programme, by=therapist, note=note, on=on)


# --- The gate's defaults and the ladder page ---------------------------------------------------------


def test_impact_stops_at_the_programme_start_by_default(therapist):
    programme = bone_stress_programme(therapist)
    assert (impact_stopped_since(programme), programme.zero_impact_weeks) == (START, 6)


def test_ladder_page_says_not_ready_with_days_left_and_missing_clearance(therapist_client, therapist):
    programme = bone_stress_programme(therapist)
    with time_machine.travel(at(WEEK_2), tick=False):
        html = therapist_client.get(
            reverse("assessments:programme_ladder", args=[programme.pk])
        ).content.decode()
        decision = ladder_preview(programme)
    assert 'id="gate-state">not ready<' in html
    assert 'id="gate-days-left">32 days left<' in html
    assert "<strong>No clearance recorded.</strong>" in html
    assert decision.action == "not_ready"
    assert decision.reasons == (
        "Bone stress: no impact for 6 weeks from 2026-03-02; 32 days left (impact from 2026-04-13 at the earliest).",
        "Bone stress: no clinician's clearance of a return to impact is recorded yet.",
        "Running starts once the readiness-to-run checklist is passed: every test done with pain 2/10 or less.",
    )
    assert 'id="rules-action">not ready<' in html


def test_not_ready_before_six_weeks_even_with_clearance(therapist):
    programme = bone_stress_programme(therapist)
    clear(programme, therapist, on=WEEK_2)
    with time_machine.travel(at(SIX_WEEKS - timedelta(days=1)), tick=False):
        gate = stage_info(programme).gate
    assert (gate.ready, gate.days_left, gate.cleared) == (False, 1, True)


def test_not_ready_after_six_weeks_without_clearance(therapist):
    programme = bone_stress_programme(therapist)
    with time_machine.travel(at(SIX_WEEKS), tick=False):
        gate = stage_info(programme).gate
        readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    programme.refresh_from_db()
    assert (gate.ready, gate.period_passed, gate.cleared) == (False, True, False)
    # The checklist passed, but running does not start: the gate is closed.
    assert (programme.run_stage, LadderStep.objects.filter(programme=programme).count()) == (0, 0)
    assert programme.revisions.first().summary.startswith(
        "Readiness checklist passed. Running does not start:"
    )


def test_ready_after_six_weeks_with_clearance_and_the_ladder_starts(therapist):
    programme = bone_stress_programme(therapist)
    clear(programme, therapist)
    with time_machine.travel(at(SIX_WEEKS), tick=False):
        assert stage_info(programme).gate.ready
        _, step = readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    programme.refresh_from_db()
    assert (programme.run_stage, step.action) == (1, "start")


def test_zero_impact_period_is_settable_6_to_8_weeks(therapist):
    programme = bone_stress_programme(therapist)
    with time_machine.travel(at(WEEK_2), tick=False):
        programme_impact_stop(
            programme=programme, by=therapist, on=START + timedelta(days=3), weeks=8, note="MRI: neck"
        )
        with pytest.raises(ValidationError) as error:
            programme_impact_stop(programme=programme, by=therapist, on=START, weeks=5)
        assert error.value.message_dict == {"weeks": ["No impact for 6 to 8 weeks."]}
        with pytest.raises(ValidationError):
            programme_impact_stop(programme=programme, by=therapist, on=WEEK_2 + timedelta(days=1))
    programme.refresh_from_db()
    assert (programme.impact_stopped_on, programme.zero_impact_weeks) == (START + timedelta(days=3), 8)
    revision = programme.revisions.first()
    assert (revision.action, revision.by, revision.summary) == (
        "impact",
        therapist,
        "No impact from 5 Mar 2026 for 8 weeks (impact from 30 Apr 2026 at the earliest, with clearance): MRI: neck",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(zero_impact_weeks=9)


def test_a_later_switch_on_restarts_the_period(therapist):
    programme = bone_stress_programme(therapist)
    clear(programme, therapist)
    Programme.objects.filter(pk=programme.pk).update(bone_stress_since=SIX_WEEKS + timedelta(days=2))
    programme.refresh_from_db()
    with time_machine.travel(at(SIX_WEEKS + timedelta(days=3)), tick=False):
        gate = stage_info(programme).gate
    # The clearance was for the earlier episode.
    assert (impact_stopped_since(programme), gate.ready, gate.cleared, gate.days_left) == (
        SIX_WEEKS + timedelta(days=2),
        False,
        False,
        41,
    )


def test_readiness_page_warns_against_impact_tests_while_the_gate_is_closed(therapist_client, therapist):
    programme = bone_stress_programme(therapist)
    url = reverse("assessments:programme_readiness", args=[programme.pk])
    with time_machine.travel(at(WEEK_2), tick=False):
        closed = therapist_client.get(url).content.decode()
    clear(programme, therapist)
    with time_machine.travel(at(SIX_WEEKS), tick=False):
        open_ = therapist_client.get(url).content.decode()
    assert 'id="impact-tests-warning"' in closed and "Do not do the impact tests" in closed
    assert 'id="impact-tests-warning"' not in open_


# --- Clearance ------------------------------------------------------------------------------------------


def test_clearance_form_records_who_when_and_the_note_with_a_revision(therapist_client, therapist):
    programme = bone_stress_programme(therapist)
    url = reverse("assessments:programme_ladder", args=[programme.pk])
    with time_machine.travel(at(SIX_WEEKS), tick=False):
        response = therapist_client.post(
            url,
            {
                "form": "impact_clear",
                "version": programme.version,
                "clear-on": SIX_WEEKS.isoformat(),
                "clear-walking_pain_free": "on",
                "clear-note": "Dr Hale, sports physician: repeat MRI healed",
            },
        )
        assert response.status_code == 302
        html = therapist_client.get(url).content.decode()
    programme.refresh_from_db()
    assert (programme.impact_cleared_on, programme.impact_cleared_by, programme.impact_clearance_note) == (
        SIX_WEEKS,
        therapist,
        "Dr Hale, sports physician: repeat MRI healed",
    )
    revision = programme.revisions.first()
    assert (revision.action, revision.by, revision.changes) == (
        "impact",
        therapist,
        [{"label": "Return to impact cleared", "old": "not cleared", "new": "2026-04-13"}],
    )
    assert 'id="gate-state">open<' in html
    assert programme.audit_events.filter(impact_cleared_on=SIX_WEEKS).exists()  # pghistory keeps the change


def test_clearance_needs_a_note_and_pain_free_walking(therapist_client, therapist):
    programme = bone_stress_programme(therapist)
    url = reverse("assessments:programme_ladder", args=[programme.pk])
    with time_machine.travel(at(SIX_WEEKS), tick=False):
        response = therapist_client.post(url, {"form": "impact_clear", "clear-on": SIX_WEEKS.isoformat()})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Clear a return to impact only once walking is pain-free." in html
    assert "Say who cleared the return to impact and on what basis." in html
    programme.refresh_from_db()
    assert programme.impact_cleared_on is None


def test_clearance_before_impact_stopped_is_refused(therapist):
    programme = bone_stress_programme(therapist)
    with time_machine.travel(at(WEEK_2), tick=False), pytest.raises(ValidationError) as error:
        programme_impact_clear(programme=programme, by=therapist, note="GP", on=START - timedelta(days=1))
    assert error.value.message_dict == {
        "on": ["The clearance must be on or after the day impact stopped (2 Mar 2026)."]
    }


def test_clearance_is_complete_or_absent_in_the_database(therapist):
    programme = bone_stress_programme(therapist)
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(impact_cleared_on=START)


# --- Override -----------------------------------------------------------------------------------------------


def test_gate_override_needs_a_reason(therapist):
    programme = bone_stress_programme(therapist)
    with time_machine.travel(at(WEEK_2), tick=False), pytest.raises(ValidationError) as error:
        ladder_override(programme=programme, by=therapist, to_stage=1, reason=" ")
    assert error.value.message_dict == {"reason": ["Give the reason for overriding the ladder."]}
    programme.refresh_from_db()
    assert (programme.run_stage, programme.impact_gate_overridden_on) == (0, None)


def test_gate_override_is_audited(therapist):
    programme = bone_stress_programme(therapist)
    with time_machine.travel(at(WEEK_2), tick=False):
        step = ladder_override(
            programme=programme,
            by=therapist,
            to_stage=1,
            reason="Imaging excluded bone stress; MRI report awaited",
        )
        gate = stage_info(programme).gate
    programme.refresh_from_db()
    assert (step.action, step.by, step.override_reason) == (
        "override",
        therapist,
        "Imaging excluded bone stress; MRI report awaited",
    )
    assert step.reasons[:2] == [
        "Overrides the zero-impact gate of bone stress.",
        "The rules said: not_ready.",
    ]
    assert (programme.run_stage, programme.impact_gate_overridden_on, gate.ready, gate.overridden) == (
        1,
        WEEK_2,
        True,
        True,
    )
    assert programme.revisions.first().summary == (
        "Ladder override to stage 1, 5 × (walk 4 min / jog 2 min) (zero-impact gate overridden): "
        "Imaging excluded bone stress; MRI report awaited"
    )


# --- On the ladder ------------------------------------------------------------------------------------------


def test_gate_closing_on_the_ladder_stops_running_at_the_next_check_in(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    # Bone stress suspected from week 2 (no clearance): the next check-in stops running, pain-free or not.
    Programme.objects.filter(pk=programme.pk).update(
        bone_stress=True, bone_stress_since=START + timedelta(weeks=1)
    )
    programme.refresh_from_db()
    result = send_week(
        programme,
        2,
        runs=[run(START + timedelta(days=8))],
        run_pain_during=0,
        run_pain_after=0,
        pain_next_morning=0,
    )
    assert (result.decision.action, programme.running_stopped) == ("stop", True)
    step = LadderStep.objects.filter(programme=programme).first()
    assert (step.action, step.checkin_weeks) == ("stop", [2])
    assert [a.kind for a in programme.alerts.all()] == ["bone_stress_run_pain"]


def test_step_down_is_recorded_with_a_revision_and_an_alert(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    three = [run(START + timedelta(days=2 * n)) for n in range(3)]
    send_week(programme, 1, runs=three, run_pain_during=2, run_pain_after=2, pain_next_morning=1)
    assert programme.run_stage == 2
    week2 = [run(START + timedelta(days=7 + 2 * n)) for n in range(3)]
    result = send_week(programme, 2, runs=week2, run_pain_during=6, run_pain_after=4, pain_next_morning=1)
    assert (result.decision.action, programme.run_stage, programme.running_stopped) == ("step_down", 1, False)
    step = LadderStep.objects.filter(programme=programme).first()
    assert (step.action, step.from_stage, step.to_stage, step.checkin_weeks) == ("step_down", 2, 1, [2])
    assert programme.revisions.first().summary == (
        "The week 2 check-in: stepped down to stage 1, 5 × (walk 4 min / jog 2 min)."
    )
    assert [a.kind for a in ProgrammeAlert.objects.filter(programme=programme)] == ["run_pain_high"]


def test_a_late_check_in_is_read_by_the_next_decision(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    week2 = [run(START + timedelta(days=7 + 2 * n)) for n in range(3)]
    send_week(programme, 2, runs=week2, run_pain_during=1, run_pain_after=1, pain_next_morning=1)
    assert programme.run_stage == 2
    # Week 1's check-in, sent late, reports 4/10: the next decision reads it and holds.
    week1 = [run(START + timedelta(days=2 * n)) for n in range(3)]
    late = at(START + timedelta(days=14), 9)
    result = send_week(
        programme, 1, runs=week1, when=late, run_pain_during=4, run_pain_after=2, pain_next_morning=1
    )
    assert (result.decision.action, programme.run_stage) == ("hold", 2)
    assert LadderStep.objects.filter(programme=programme).first().checkin_weeks == [1]


def test_runs_above_the_plan_are_flagged_in_the_step(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        readiness_record(programme=programme, by=therapist, results=ALL_PASS)
    five = [run(START + timedelta(days=n), "3", 20) for n in range(5)]
    result = send_week(programme, 1, runs=five, run_pain_during=1, run_pain_after=1, pain_next_morning=1)
    assert (result.decision.action, programme.run_stage) == ("hold", 1)
    step = LadderStep.objects.filter(programme=programme).first()
    assert step.reasons == [
        "Stage 2 would raise your weekly running time from 60 to 90 minutes (+50.0 %), more than 10 %: "
        "repeat this stage before moving up.",
        "5 runs were logged in the week of 2026-03-02; the plan is 3 a week, with rest days between runs. "
        "The 2 extra runs do not count towards moving up.",
    ]


def test_distance_rise_over_ten_percent_alerts_and_warns_the_patient(therapist):
    programme = start_programme(therapist)
    send_week(
        programme,
        1,
        runs=[run(START + timedelta(days=n * 2), "4") for n in range(3)],
        run_pain_during=1,
        run_pain_after=1,
        pain_next_morning=1,
    )
    send_week(
        programme,
        2,
        runs=[run(START + timedelta(days=7 + n * 2), "5") for n in range(3)],
        run_pain_during=1,
        run_pain_after=1,
        pain_next_morning=1,
    )
    alert = ProgrammeAlert.objects.get(programme=programme, kind="distance_rise")
    warning = (
        "Weekly running distance rose from 12 to 15 km (+25.0 %), more than 10 % in a week: keep next week's "
        "distance the same or lower."
    )
    assert alert.detail == f"Week 2 check-in: {warning}"
    assert stage_info(programme).distance_warning == warning


# --- The patient's page -----------------------------------------------------------------------------------


@pytest.fixture
def plyo_programme(therapist):
    """A bone-stress programme whose current phase has plyometrics added (as a therapist could)."""
    programme = bone_stress_programme(therapist)
    phase = programme.phases.get(kind=programme.current_phase)
    PrescribedExercise.objects.create(
        phase=phase, exercise=Exercise.objects.get(code="PLYO"), order=9, load_note="20 foot contacts"
    )
    return programme


def home(client, programme, therapist, day):
    """The patient's page on `day`, signed in through a fresh link."""
    with time_machine.travel(at(day), tick=False):
        token = link_issue(programme=programme, by=therapist, emailed=False)
        client.get(reverse("assessments:checkin_start", args=[token]))
        response = client.post(
            reverse("assessments:checkin_check"),
            {"last_name": "o strider", "dob_day": DOB.day, "dob_month": DOB.month, "dob_year": DOB.year},
        )
        response = pass_code_step(client, response, "assessments:checkin_code")
        assert response.status_code == 302
        return client.get(reverse("assessments:checkin_home")).content.decode()


@pytest.mark.usefixtures("clean_cache")
def test_patient_page_hides_impact_items_until_clearance(client, plyo_programme, therapist):
    html = home(client, plyo_programme, therapist, WEEK_2)
    assert "Please don't run, jog, jump or hop for now." in html
    assert "Walk for 30 minutes" in html and "Single-leg squat × 10, each leg" in html
    for impact in (
        "Jog on the spot",
        "Jump squats",
        "Bounding",
        "Hop on the spot",
        "Stage 1 of",
        "Hops, bounding",
    ):
        assert impact not in html
    assert "32 more days without running, jumping or hopping" in html
    # Six weeks on, still no clearance: still nothing about running or impact.
    html = home(client, plyo_programme, therapist, SIX_WEEKS)
    assert "Jog on the spot" not in html and "Hops, bounding" not in html
    assert (
        "Your time without running, jumping or hopping is complete, and a clinician&#x27;s clearance" in html
    )
    clear(plyo_programme, therapist)
    html = home(client, plyo_programme, therapist, SIX_WEEKS)
    assert "Jog on the spot for 1 minute" in html and "Hops, bounding and jump squats (plyometrics)" in html
    assert "Please don't run, jog, jump or hop" not in html


@pytest.mark.usefixtures("clean_cache")
def test_patient_page_warns_of_a_distance_rise(client, therapist):
    patient = PatientFactory(first_name="Robin", last_name="O'Strider", date_of_birth=DOB)
    programme = start_programme(therapist, patient=patient)
    for week, km in ((1, "4"), (2, "5")):
        days = [programme.week_start(week) + timedelta(days=2 * n) for n in range(3)]
        send_week(
            programme,
            week,
            runs=[run(d, km) for d in days],
            run_pain_during=1,
            run_pain_after=1,
            pain_next_morning=1,
        )
    html = home(client, programme, therapist, START + timedelta(days=15))
    assert (
        'id="distance-warning">Weekly running distance rose from 12 to 15 km (+25.0 %), more than 10 % in a '
        "week: keep next week&#x27;s distance the same or lower.</div>"
    ) in html


# --- The bone-stress phase plan (phase_plans.default_phases) ------------------------------------------------


@pytest.mark.parametrize(
    ("weeks", "zero_impact", "return_to_run"),
    [(4, 6, None), (5, 6, None), (6, 6, None), (7, 6, (7, 7)), (8, 6, (7, 8)), (8, 7, (8, 8)), (8, 8, None)],
)
def test_bone_stress_plan_runs_only_after_the_zero_impact_weeks(weeks, zero_impact, return_to_run):
    plans = {p.kind: p for p in default_phases(weeks, bone_stress=True, zero_impact_weeks=zero_impact)}
    run_phase = plans.get(PhaseKind.RETURN_TO_RUN)
    assert (None if run_phase is None else (run_phase.start_week, run_phase.end_week)) == return_to_run
    codes = {code for p in plans.values() for code in p.codes}
    assert not {c for c in codes if set(exercise_by_code(c).contraindicated_for) & set(BONE_STRESS_CODES)}


@pytest.mark.parametrize("weeks", [4, 6, 8])
def test_plan_without_bone_stress_keeps_its_return_to_run_phase(weeks):
    plans = {p.kind: p for p in default_phases(weeks, bone_stress=False)}
    assert (plans[PhaseKind.RETURN_TO_RUN].start_week, "PLYO" in plans[PhaseKind.RETURN_TO_RUN].codes) == (
        weeks - 1,
        True,
    )


@pytest.mark.parametrize(("weeks", "phases"), [(4, 3), (6, 3), (8, 4)])
def test_bone_stress_programme_starts_without_impact_phases(therapist, weeks, phases):
    programme = bone_stress_programme(therapist, planned_weeks=weeks)
    kinds = list(programme.phases.order_by("start_week", "pk").values_list("kind", "start_week", "end_week"))
    assert len(kinds) == phases
    if weeks == 8:
        assert kinds[-1] == ("return_to_run", 7, 8)
    codes = set(
        PrescribedExercise.objects.filter(phase__programme=programme).values_list("exercise__code", flat=True)
    )
    assert codes.isdisjoint({"PLYO", "HILL_SPRINT"})
