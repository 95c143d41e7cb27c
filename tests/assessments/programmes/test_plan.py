"""The programme's plan: length 4–8 weeks (database and form), phases and doses validated, revisions."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Exercise, PrescribedExercise, Programme, ProgrammeOutcome, ProgrammeRevision
from assessments.programmes.choices import PhaseKind
from assessments.programmes.forms.plan import PhaseForm, ProgrammeForm, prescription_formset
from assessments.programmes.services.plan import (
    ExerciseLine,
    ProgrammeError,
    contraindication_warnings,
    phase_move,
    phase_save,
    programme_start,
    programme_update,
)
from assessments.record.services.assessment import assessment_start
from tests.assessments.programmes.support import START, plan, start_programme
from tests.assessments.record.intake_helpers import submitted_intake
from tests.factories import PatientFactory, SignedAssessmentFactory

pytestmark = [pytest.mark.django_db]


# domain.md §7.3 E1 and §7.4 E1.
LEFS_E1 = [3, 2, 2, 3, 2, 3, 3, 2, 1, 1, 0, 1, 2, 2, 3, 3, 2, 2, 3, 3]
PSFS_E1 = [
    {"id": 1, "activity": "Running 5 km", "rating": 3},
    {"id": 2, "activity": "Stairs", "rating": 5},
    {"id": 3, "activity": "Hopping", "rating": 2},
]


# --- Length: 4 to 8 weeks in the database and in the form ---------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("weeks", [0, 3, 9, 12])
def test_planned_weeks_outside_4_to_8_is_refused_by_the_database(programme, weeks):
    with (
        pytest.raises(IntegrityError, match="assessments_programme_planned_weeks_range"),
        transaction.atomic(),
    ):
        Programme.objects.filter(pk=programme.pk).update(planned_weeks=weeks)


@pytest.mark.parametrize("weeks", [4, 8])
def test_planned_weeks_at_the_bounds_are_stored(programme, weeks):
    Programme.objects.filter(pk=programme.pk).update(planned_weeks=weeks)
    programme.refresh_from_db()
    assert programme.planned_weeks == weeks


def _form_data(**overrides: object) -> dict[str, object]:
    data = {
        "start_date": "2026-03-02",
        "planned_weeks": "6",
        "visits_per_week": "2",
        "goals": "",
        "target_run_pain_max": "3",
        "target_lsi_percent": "90",
        "target_continuous_run_min": "30",
        "race_name": "",
        "race_date": "",
        "progression_rules": "",
        "baseline_morning_pain": "0",
        "runs_per_week": "3",
        "exercise_days": ["0", "3"],
        "reminder_time": "08:00",
        "checkin_weekday": "6",
        "checkin_time": "18:00",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("weeks", "valid"), [("3", False), ("4", True), ("6", True), ("8", True), ("9", False)]
)
def test_form_accepts_4_to_8_weeks_only(weeks, valid):
    form = ProgrammeForm(_form_data(planned_weeks=weeks), creating=True)
    assert form.is_valid() == valid
    if not valid:
        assert form.errors["planned_weeks"] == ["A programme lasts 4 to 8 weeks."]


def test_form_values_encode_exercise_days_and_refuse_night_reminders():
    form = ProgrammeForm(_form_data(reminder_time="23:30"), creating=True)
    assert not form.is_valid()
    assert form.errors["reminder_time"] == ["Choose a time between 07:00 and 21:00 (no messages at night)."]
    form = ProgrammeForm(_form_data(), creating=True)
    assert form.is_valid(), form.errors
    assert form.values()["exercise_days"] == "0,3"


def test_service_refuses_a_length_outside_4_to_8(therapist):
    assessment = SignedAssessmentFactory(therapist=therapist)
    with pytest.raises(ValidationError) as error:
        programme_start(assessment=assessment, by=therapist, values=plan(planned_weeks=9))
    assert error.value.message_dict == {"planned_weeks": ["A programme lasts 4 to 8 weeks."]}


# --- Start ------------------------------------------------------------------------------------


def test_programme_starts_only_from_a_signed_assessment(therapist):
    draft = assessment_start(patient=PatientFactory(), therapist=therapist)
    with pytest.raises(ProgrammeError, match="signed assessment"):
        programme_start(assessment=draft, by=therapist, values=plan())
    assert Programme.objects.count() == 0


def test_start_builds_four_phases_with_catalogue_exercises_and_a_revision(programme):
    phases = {p.kind: p for p in programme.phases.all()}
    assert [(k, phases[k].start_week, phases[k].end_week) for k in PhaseKind.values if k in phases] == [
        ("settle", 1, 1),
        ("strengthen", 2, 3),
        ("heavy_functional", 4, 5),
        ("return_to_run", 5, 6),
    ]
    codes = [i.exercise.code for i in phases["strengthen"].exercises.order_by("order")]
    assert codes == ["BRIDGE", "CLAM", "SL_ABD", "SIDE_PLANK", "BAND_WALK"]
    clam = phases["strengthen"].exercises.get(exercise__code="CLAM")
    assert (clam.sets, clam.reps, clam.per_side, clam.frequency_per_week) == (3, 15, True, 2)
    assert (programme.reassess_mid_on.isoformat(), programme.reassess_end_on.isoformat()) == (
        "2026-03-29",
        "2026-04-12",
    )
    assert list(programme.revisions.values_list("action", flat=True)) == ["created"]
    assert programme.current_phase == "settle" and not programme.bone_stress


def test_start_leaves_out_exercises_contraindicated_for_the_impression(therapist):
    assessment = SignedAssessmentFactory(therapist=therapist, impression="BSI_FEM_NECK")
    values = {k: v for k, v in plan().items() if k != "runs_per_week"}
    started = programme_start(assessment=assessment, by=therapist, values=values)
    assert started.bone_stress and started.runs_per_week == 2  # two rest days between runs
    codes = set(
        PrescribedExercise.objects.filter(phase__programme=started).values_list("exercise__code", flat=True)
    )
    assert "PLYO" not in codes  # BSI: no impact until cleared
    assert "XTRAIN_POOL_RUN" in codes


def test_one_active_programme_per_patient(therapist, programme):
    again = SignedAssessmentFactory(patient=programme.patient, therapist=therapist)
    with pytest.raises(ProgrammeError, match="already has an active programme"):
        programme_start(assessment=again, by=therapist, values=plan())


def test_baseline_outcome_comes_from_the_submitted_intake(therapist):
    patient = PatientFactory()
    response = submitted_intake(patient)
    response.lefs_items = LEFS_E1
    response.psfs_activities = PSFS_E1
    response.save()
    started = start_programme(therapist, patient=patient)
    baseline = ProgrammeOutcome.objects.get(programme=started, timepoint="baseline")
    assert (baseline.source, baseline.lefs_score, baseline.psfs_score, baseline.nprs_worst) == (
        "patient",
        43,
        Decimal("3.33"),
        6,
    )
    assert [a["activity"] for a in baseline.psfs] == ["Running 5 km", "Stairs", "Hopping"]


# --- Phases and doses ---------------------------------------------------------------------------


def _line(code: str, **dose: object) -> ExerciseLine:
    base = {
        "sets": 3,
        "reps": 10,
        "hold_s": None,
        "distance_m": None,
        "per_side": False,
        "frequency_per_week": 2,
        "load_note": "",
        "notes": "",
    }
    base.update(dose)
    return ExerciseLine(Exercise.objects.get(code=code), base)


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ({"sets": 11}, "Ensure this value is less than or equal to 10."),
        ({"sets": 0}, "Ensure this value is greater than or equal to 1."),
        ({"reps": 51}, "Ensure this value is less than or equal to 50."),
        ({"reps": None, "hold_s": 4}, "Ensure this value is greater than or equal to 5."),
        ({"reps": None, "hold_s": 301}, "Ensure this value is less than or equal to 300."),
        ({"frequency_per_week": 8}, "Ensure this value is less than or equal to 7."),
        ({"frequency_per_week": 0}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_phase_save_refuses_doses_out_of_range(therapist, programme, dose, message):
    phase = programme.phases.get(kind="strengthen")
    with pytest.raises(ValidationError) as error:
        phase_save(
            phase=phase,
            by=therapist,
            expected_version=programme.version,
            values={"start_week": 2, "end_week": 3, "notes": ""},
            lines=[_line("CLAM", **dose)],
        )
    assert message in " ".join(error.value.messages)


@pytest.mark.postgres
def test_database_refuses_two_amounts_in_one_dose(programme):
    item = PrescribedExercise.objects.filter(phase__programme=programme, reps__isnull=False).first()
    with (
        pytest.raises(IntegrityError, match="assessments_prescribedexercise_one_amount"),
        transaction.atomic(),
    ):
        PrescribedExercise.objects.filter(pk=item.pk).update(hold_s=30)


def test_phase_save_replaces_the_list_and_records_what_changed(therapist, programme):
    phase = programme.phases.get(kind="strengthen")
    phase_save(
        phase=phase,
        by=therapist,
        expected_version=programme.version,
        values={"start_week": 2, "end_week": 3, "notes": "Bands from week 3"},
        lines=[_line("CLAM", sets=3, reps=20, per_side=True), _line("SIDE_PLANK", reps=None, hold_s=45)],
    )
    assert [(i.exercise.code, i.dose_text) for i in phase.exercises.order_by("order")] == [
        ("CLAM", "3 × 20 per side"),
        ("SIDE_PLANK", "3 × 45 s"),
    ]
    revision = ProgrammeRevision.objects.filter(programme=programme).first()
    assert revision.action == "phase_changed" and revision.by == therapist
    labels = sorted(c["label"] for c in revision.changes)
    assert labels == ["Content and aims", "Dose", "Dose", "Removed", "Removed", "Removed"]
    programme.refresh_from_db()
    assert programme.version == 2


def test_phase_weeks_must_fit_the_programme(therapist, programme):
    phase = programme.phases.get(kind="strengthen")
    form = PhaseForm({"start_week": "3", "end_week": "9", "notes": ""}, instance=phase, planned_weeks=6)
    assert not form.is_valid()
    assert form.errors["end_week"] == ["Weeks are 1 to 6."]
    form = PhaseForm({"start_week": "4", "end_week": "3", "notes": ""}, instance=phase, planned_weeks=6)
    assert form.errors["end_week"] == ["The phase cannot end before it starts."]


def test_prescription_form_reports_each_dose_problem_next_to_its_field(programme):
    phase = programme.phases.get(kind="strengthen")
    clam = Exercise.objects.get(code="CLAM")
    data = {
        "ex-TOTAL_FORMS": "1",
        "ex-INITIAL_FORMS": "0",
        "ex-MIN_NUM_FORMS": "0",
        "ex-MAX_NUM_FORMS": "20",
        "ex-0-exercise": str(clam.pk),
        "ex-0-sets": "12",
        "ex-0-reps": "10",
        "ex-0-hold_s": "30",
        "ex-0-frequency_per_week": "9",
    }
    formset = prescription_formset(phase, data)
    assert not formset.is_valid()
    assert formset.forms[0].errors == {
        "sets": ["Sets are 1–10."],
        "frequency_per_week": ["1–7 times a week."],
        "hold_s": ["Give reps, a hold or a distance: only one of them."],
    }


def test_contraindication_is_a_warning_not_a_block(therapist):
    fai = start_programme(therapist, code="FAI_CAM")
    deep_squat = Exercise.objects.get(code="DEEP_SQUAT")
    assert contraindication_warnings(deep_squat, ["FAI_CAM"]) == ["FAI_CAM"]
    phase = fai.phases.get(kind="heavy_functional")
    phase_save(
        phase=phase,
        by=therapist,
        expected_version=fai.version,
        values={"start_week": 4, "end_week": 5, "notes": ""},
        lines=[_line("DEEP_SQUAT")],
    )
    assert list(phase.exercises.values_list("exercise__code", flat=True)) == ["DEEP_SQUAT"]


def test_phase_move_is_the_clinicians_and_recorded(therapist, programme):
    phase_move(programme=programme, by=therapist, kind="strengthen", note="Pain settled")
    programme.refresh_from_db()
    assert programme.current_phase == "strengthen"
    assert programme.revisions.first().summary == "Moved to foundation strength. Pain settled"


# --- Plan changes --------------------------------------------------------------------------------


def test_update_lists_each_change_and_follows_the_dates(therapist, programme):
    programme_update(
        programme=programme,
        by=therapist,
        expected_version=programme.version,
        values={"planned_weeks": 8, "reminder_time": time(7, 30)},
    )
    programme.refresh_from_db()
    assert programme.reassess_end_on.isoformat() == "2026-04-26"
    revision = programme.revisions.first()
    assert [(c["label"], c["old"], c["new"]) for c in revision.changes] == [
        ("Planned weeks", "6", "8"),
        ("Home-exercise reminder time", "08:00:00", "07:30:00"),
        ("End-of-programme re-assessment", "2026-04-12", "2026-04-26"),
    ]


def test_update_with_a_stale_version_is_refused(therapist, programme):
    from assessments.record.services.errors import StaleVersionError

    programme_update(programme=programme, by=therapist, expected_version=1, values={"goals": "10 km"})
    with pytest.raises(StaleVersionError):
        programme_update(programme=programme, by=therapist, expected_version=1, values={"goals": "5 km"})


def test_shortening_the_programme_clips_phases(therapist, programme):
    programme_update(
        programme=programme, by=therapist, expected_version=programme.version, values={"planned_weeks": 4}
    )
    spans = {p.kind: (p.start_week, p.end_week) for p in programme.phases.all()}
    assert spans["return_to_run"] == (4, 4) and spans["heavy_functional"] == (4, 4)


def test_start_date_is_monday_in_fixture():
    assert START.weekday() == 0
