"""Suspected bone stress: one rule (pure) and one predicate over the record (has_bone_stress)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments.exercises import catalogue
from assessments.models import Programme
from assessments.programmes.services.plan import programme_start
from assessments.record.bone_stress import BONE_STRESS_CODES, bone_stress_suspected
from assessments.record.choices import BSI_CODES, ImpressionCode
from assessments.record.selectors import assessment_for_page, has_bone_stress
from assessments.record.services.assessment import assessment_sign, assessment_start
from patients.flags.services import red_flag_clear
from patients.intake.choices import FlagSource, RedFlagCode
from patients.models import RedFlag
from tests.assessments.programmes.support import START, at, plan, start_programme
from tests.assessments.programmes.test_views import plan_data
from tests.assessments.record.helpers import complete, save
from tests.assessments.record.intake_helpers import submitted_intake
from tests.factories import PatientFactory

GTPS = {"code": "GTPS_GLUT_TEND", "side": "right", "certainty": "working"}
BSI = {"code": "BSI_FEM_NECK", "side": "right", "certainty": "provisional"}


# --- The rule (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "flag", "expected"),
    [
        (["BSI_FEM_NECK"], False, True),
        (["GTPS_GLUT_TEND", "BSI_PELVIS"], False, True),
        (["GTPS_GLUT_TEND", "BSI_FEM_SHAFT"], False, True),
        (["GTPS_GLUT_TEND", "ITBS"], False, False),
        (["GTPS_GLUT_TEND"], True, True),
        ([], True, True),
        ([], False, False),
    ],
)
def test_bone_stress_suspected_from_any_impression_or_an_open_flag(codes, flag, expected):
    assert bone_stress_suspected(impression_codes=codes, open_bone_stress_flag=flag) is expected


@pytest.mark.parametrize(("codes", "flag"), [("BSI_FEM_NECK", False), ([], None), ([], 1)])
def test_bone_stress_suspected_rejects_bad_input(codes, flag):
    with pytest.raises(ValueError):
        bone_stress_suspected(impression_codes=codes, open_bone_stress_flag=flag)


def test_bone_stress_codes_are_one_list():
    assert BONE_STRESS_CODES == ("BSI_FEM_NECK", "BSI_FEM_SHAFT", "BSI_PELVIS")
    assert set(BONE_STRESS_CODES) <= set(ImpressionCode.values)
    assert BSI_CODES == frozenset(BONE_STRESS_CODES)
    assert catalogue.BONE_STRESS is BONE_STRESS_CODES


# --- The predicate over the record ----------------------------------------------------------------


def _assessment(patient, therapist, impressions):
    assessment = assessment_start(patient=patient, therapist=therapist)
    complete(assessment, therapist)
    save(assessment, therapist, impressions=impressions)
    return assessment_for_page(assessment.pk)


def _clinician_flag(patient):
    return RedFlag.objects.create(
        patient=patient,
        flag_code=RedFlagCode.BONE_STRESS,
        source=FlagSource.CLINICIAN,
        action_level="stop_running_urgent_medical",
        detected_at=timezone.now(),
    )


@pytest.mark.django_db
def test_has_bone_stress_with_a_secondary_impression(patient, therapist):
    assessment = _assessment(patient, therapist, [GTPS, BSI])

    assert [(i.code, i.is_primary) for i in assessment.impressions.all()] == [
        ("GTPS_GLUT_TEND", True),
        ("BSI_FEM_NECK", False),
    ]
    assert has_bone_stress(assessment=assessment) is True


@pytest.mark.django_db
def test_has_bone_stress_with_an_open_intake_red_flag(patient, therapist):
    submitted_intake(patient, flag=RedFlagCode.BONE_STRESS)

    assessment = _assessment(patient, therapist, [GTPS])

    assert has_bone_stress(assessment=assessment) is True


@pytest.mark.django_db
def test_has_bone_stress_with_an_open_flag_from_another_source(patient, therapist):
    _clinician_flag(patient)

    assert has_bone_stress(assessment=_assessment(patient, therapist, [GTPS])) is True


@pytest.mark.django_db
def test_has_bone_stress_false_once_the_red_flag_is_cleared(patient, therapist):
    submitted_intake(patient, flag=RedFlagCode.BONE_STRESS)
    flag = RedFlag.objects.get(patient=patient)
    red_flag_clear(
        flag=flag, by=therapist, action_taken="MRI clear; running resumed with the GP's agreement."
    )

    assessment = _assessment(patient, therapist, [GTPS])

    assert RedFlag.objects.get(pk=flag.pk).cleared_at is not None
    assert has_bone_stress(assessment=assessment) is False


@pytest.mark.django_db
def test_has_bone_stress_false_with_neither(patient, therapist):
    submitted_intake(patient, flag=RedFlagCode.NIGHT_CONSTANT)
    PatientFactory()  # someone else's flag does not count
    _clinician_flag(PatientFactory())

    assert has_bone_stress(assessment=_assessment(patient, therapist, [GTPS])) is False


@pytest.mark.django_db
def test_has_bone_stress_reads_without_the_page_annotation(patient, therapist):
    _clinician_flag(patient)
    assessment = _assessment(patient, therapist, [GTPS])
    plain = type(assessment).objects.get(pk=assessment.pk)

    assert (hasattr(plain, "open_bone_stress_flag"), has_bone_stress(assessment=plain)) == (False, True)


@pytest.mark.django_db
def test_has_bone_stress_takes_exactly_one_record(patient, therapist):
    assessment = _assessment(patient, therapist, [GTPS])

    with pytest.raises(TypeError):
        has_bone_stress()
    with pytest.raises(TypeError):
        has_bone_stress(assessment=assessment, programme=object())


# --- A programme's bone-stress mode ---------------------------------------------------------------

FRIDAY = at(START - timedelta(days=3))


def _signed_with_secondary_bsi(therapist):
    """A signed assessment: gluteal tendinopathy primary, femoral neck bone stress secondary."""
    with time_machine.travel(FRIDAY, tick=False):
        assessment = assessment_start(patient=PatientFactory(), therapist=therapist)
        complete(assessment, therapist)
        save(assessment, therapist, impressions=[GTPS, BSI])
        assessment.refresh_from_db()
        return assessment_sign(assessment=assessment, by=therapist)


@pytest.mark.django_db
def test_programme_started_with_a_secondary_impression_is_in_bone_stress_mode(therapist):
    assessment = _signed_with_secondary_bsi(therapist)
    values = {k: v for k, v in plan().items() if k != "runs_per_week"}

    with time_machine.travel(FRIDAY, tick=False):
        programme = programme_start(assessment=assessment, by=therapist, values=values)

    assert (programme.bone_stress, programme.runs_per_week) == (True, 2)
    assert has_bone_stress(programme=programme) is True


@pytest.mark.django_db
def test_programme_sees_a_bone_stress_flag_raised_after_the_start(therapist):
    programme = start_programme(therapist)
    assert (programme.bone_stress, has_bone_stress(programme=programme)) == (False, False)

    _clinician_flag(programme.patient)

    assert has_bone_stress(programme=programme) is True


@pytest.mark.django_db
def test_programme_sees_a_bone_stress_impression_signed_after_the_start(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=27)), tick=False):
        later = assessment_start(patient=programme.patient, therapist=therapist, kind="reassessment")
        complete(later, therapist)
        save(later, therapist, impressions=[GTPS, BSI])
        draft_counts = has_bone_stress(programme=programme)
        later.refresh_from_db()
        assessment_sign(assessment=later, by=therapist)

    assert (draft_counts, has_bone_stress(programme=programme)) == (False, True)


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_secondary_bone_stress_impression_puts_a_new_programme_in_bone_stress_mode(
    therapist_client, therapist
):
    """A secondary BSI impression now sets the bone-stress programme; before, only a primary one did."""
    assessment = _signed_with_secondary_bsi(therapist)
    url = reverse("assessments:programme_new", args=[assessment.pk])

    with time_machine.travel(FRIDAY, tick=False):
        page = therapist_client.get(url)
        offered = page.context["form"].initial["runs_per_week"]
        started = therapist_client.post(url, plan_data(runs_per_week=str(offered)))
        programme = Programme.objects.get(patient=assessment.patient)
        ladder = therapist_client.get(reverse("assessments:programme_ladder", args=[programme.pk]))
        detail = therapist_client.get(reverse("assessments:programme_detail", args=[programme.pk]))

    assert (offered, started.status_code) == (2, 302)
    assert (programme.bone_stress, programme.runs_per_week) == (True, 2)
    assert "Bone stress injury: every run must be pain-free." in ladder.content.decode()
    assert "bone stress injury: running must be pain-free" in detail.content.decode()
    assert ladder.context["stage"].bone_stress is True


@pytest.mark.django_db
def test_open_bone_stress_flag_turns_an_existing_programme_to_pain_free_running(therapist_client, therapist):
    programme = start_programme(therapist)
    url = reverse("assessments:programme_ladder", args=[programme.pk])
    before = therapist_client.get(url).content.decode()

    _clinician_flag(programme.patient)
    after = therapist_client.get(url).content.decode()

    warning = "3 runs a week leave no room for two rest days between runs with a bone stress injury"
    assert ("Bone stress injury: every run must be pain-free." in before, warning in before) == (False, False)
    assert ("Bone stress injury: every run must be pain-free." in after, warning in after) == (True, True)
