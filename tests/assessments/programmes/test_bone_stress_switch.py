"""A running programme's bone-stress state follows the record: signing, red flags and imaging reports switch it."""

from datetime import timedelta

import pytest
import time_machine

from assessments.imaging.services import imaging_order_advance, imaging_order_create
from assessments.messages import AssessmentMessageKind
from assessments.models import ProgrammeAlert, ProgrammeRevision
from assessments.programmes.rules import READINESS_CODES
from assessments.programmes.services.bone_stress import programme_bone_stress_refresh
from assessments.programmes.services.ladder import readiness_record
from assessments.record.selectors import has_bone_stress
from assessments.record.services.assessment import assessment_sign, assessment_start
from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from patients.flags.services import red_flag_clear, red_flag_raise
from patients.intake.choices import FlagSource, RedFlagCode
from patients.models import RedFlag
from tests.assessments.programmes.support import START, at, start_programme
from tests.assessments.record.helpers import complete, save
from tests.assessments.record.intake_helpers import submitted_intake

pytestmark = pytest.mark.django_db

GTPS = {"code": "GTPS_GLUT_TEND", "side": "right", "certainty": "working"}
BSI = {"code": "BSI_FEM_NECK", "side": "right", "certainty": "provisional"}
WEEK_2 = at(START + timedelta(days=9))
SWITCH_KINDS = ("bone_stress_suspected", "bone_stress_cleared")


def _switches(programme):
    """(alert kinds, revision summaries, alert emails) of the bone-stress switches, oldest first."""
    alerts = list(
        ProgrammeAlert.objects.filter(programme=programme, kind__in=SWITCH_KINDS).order_by("created_at", "pk")
    )
    revisions = ProgrammeRevision.objects.filter(programme=programme, action="bone_stress").order_by(
        "at", "pk"
    )
    emails = ScheduledMessage.objects.filter(
        kind=AssessmentMessageKind.PROGRAMME_ALERT,
        key__in=[f"programme:{programme.pk}:alert:{a.pk}" for a in alerts],
    )
    return [a.kind for a in alerts], [r.summary for r in revisions], emails.count()


def _state(programme):
    programme.refresh_from_db()
    return programme.bone_stress, programme.bone_stress_since


def _sign_reassessment(programme, therapist, impressions):
    later = assessment_start(patient=programme.patient, therapist=therapist, kind="reassessment")
    complete(later, therapist)
    save(later, therapist, impressions=impressions)
    later.refresh_from_db()
    return assessment_sign(assessment=later, by=therapist)


def _clinician_flag(programme, therapist):
    return red_flag_raise(
        patient=programme.patient,
        code=RedFlagCode.BONE_STRESS,
        source=FlagSource.CLINICIAN,
        action_level="stop_running_urgent_medical",
        note="Phoned: groin pain now comes on earlier in each run.",
        by=therapist,
    )


def _mri(programme, therapist, finding, *, days_ago=0):
    order = imaging_order_create(
        assessment=programme.assessment,
        by=therapist,
        modality="MRI",
        region="hip",
        side="right",
        indication="suspected_bsi",
        indication_detail="Groin pain on impact.",
        urgency="urgent",
        route="referred_to_sports_physician",
    )
    return imaging_order_advance(
        order=order,
        by=therapist,
        status="reported",
        expected_version=1,
        reported_on=WEEK_2.date() - timedelta(days=days_ago),
        report_summary="Report.",
        report_finding=finding,
    )


def test_signing_a_bone_stress_impression_switches_the_programme_on(therapist):
    programme = start_programme(therapist)
    before = _state(programme)

    with time_machine.travel(WEEK_2, tick=False):
        _sign_reassessment(programme, therapist, [GTPS, BSI])

    assert before == (False, None)
    assert _state(programme) == (True, WEEK_2.date())
    assert _switches(programme) == (
        ["bone_stress_suspected"],
        ["Bone stress now suspected (assessment signed): no impact, running stopped until cleared."],
        1,
    )
    assert has_bone_stress(programme=programme) is True


def test_refresh_twice_raises_one_alert(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(WEEK_2, tick=False):
        _sign_reassessment(programme, therapist, [BSI])
        again = programme_bone_stress_refresh(programme=programme)

    assert again is False
    assert _switches(programme)[0] == ["bone_stress_suspected"]


def test_signing_without_the_bone_stress_impression_switches_it_off(therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK", runs_per_week=2)
    assert programme.bone_stress is True

    with time_machine.travel(WEEK_2, tick=False):
        _sign_reassessment(programme, therapist, [GTPS])

    assert _state(programme)[0] is False
    assert _switches(programme)[0] == ["bone_stress_cleared"]
    assert has_bone_stress(programme=programme) is False


def test_a_clinician_red_flag_switches_it_on_and_clearing_it_switches_it_off(therapist):
    programme = start_programme(therapist)

    with time_machine.travel(WEEK_2, tick=False):
        flag = _clinician_flag(programme, therapist)
        on = _state(programme)
        red_flag_clear(flag=flag, by=therapist, action_taken="MRI normal; sports physician agrees.")

    assert on == (True, WEEK_2.date())
    assert _state(programme) == (False, WEEK_2.date())
    kinds, summaries, emails = _switches(programme)
    assert (kinds, emails) == (["bone_stress_suspected", "bone_stress_cleared"], 2)
    assert summaries[1] == (
        "Bone stress no longer suspected (bone-stress red flag cleared): running resumes only when you clear it."
    )
    latest = (
        ProgrammeRevision.objects.filter(programme=programme, action="bone_stress")
        .order_by("at", "pk")
        .last()
    )
    assert latest.by == therapist


def test_an_intake_red_flag_switches_it_on(therapist):
    programme = start_programme(therapist)

    with time_machine.travel(WEEK_2, tick=False):
        submitted_intake(programme.patient, flag=RedFlagCode.BONE_STRESS)

    assert _state(programme) == (True, WEEK_2.date())
    assert _switches(programme)[0] == ["bone_stress_suspected"]


def test_another_red_flag_changes_nothing(therapist):
    programme = start_programme(therapist)

    with time_machine.travel(WEEK_2, tick=False):
        submitted_intake(programme.patient, flag=RedFlagCode.NIGHT_CONSTANT)

    assert (_state(programme), _switches(programme)) == ((False, None), ([], [], 0))


def test_clearing_one_of_two_bone_stress_reasons_leaves_it_on(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(WEEK_2, tick=False):
        flag = _clinician_flag(programme, therapist)
        _mri(programme, therapist, "stress_reaction")
        red_flag_clear(flag=flag, by=therapist, action_taken="Seen in clinic.")

    assert _state(programme)[0] is True
    assert _switches(programme)[0] == ["bone_stress_suspected"]


def test_an_mri_reported_as_a_stress_reaction_switches_it_on_and_stops_running(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        readiness_record(
            programme=programme, by=therapist, results={code: (True, 0) for code in READINESS_CODES}
        )
    programme.refresh_from_db()
    assert (programme.run_stage, programme.running_stopped) == (1, False)

    with time_machine.travel(WEEK_2, tick=False):
        _mri(programme, therapist, "stress_reaction")

    programme.refresh_from_db()
    assert (programme.bone_stress, programme.bone_stress_since, programme.running_stopped) == (
        True,
        WEEK_2.date(),
        True,
    )
    assert _switches(programme)[1] == [
        "Bone stress now suspected (MRI of the hip reported: stress reaction (bone stress injury)): "
        "no impact, running stopped until cleared."
    ]


def test_a_later_normal_mri_switches_it_off_without_resuming_running(therapist):
    programme = start_programme(therapist)
    with time_machine.travel(at(START + timedelta(days=1)), tick=False):
        readiness_record(
            programme=programme, by=therapist, results={code: (True, 0) for code in READINESS_CODES}
        )
    with time_machine.travel(WEEK_2, tick=False):
        _mri(programme, therapist, "stress_reaction", days_ago=5)
        _mri(programme, therapist, "normal")

    programme.refresh_from_db()
    assert (programme.bone_stress, programme.running_stopped, programme.run_stage) == (False, True, 1)
    assert _switches(programme)[0] == ["bone_stress_suspected", "bone_stress_cleared"]


def test_a_discharged_programme_is_not_switched(therapist):
    programme = start_programme(therapist)
    type(programme).objects.filter(pk=programme.pk).update(
        status="discharged", discharged_at=WEEK_2, discharge_reason="goals_met"
    )

    with time_machine.travel(WEEK_2, tick=False):
        _clinician_flag(programme, therapist)

    assert (_state(programme), _switches(programme)) == ((False, None), ([], [], 0))
    assert RedFlag.objects.filter(patient=programme.patient).count() == 1


def test_switch_email_says_only_that_the_programme_needs_review(therapist):
    therapist.email = "terry@stride.test"
    therapist.save()
    programme = start_programme(therapist)

    with time_machine.travel(WEEK_2, tick=False):
        _clinician_flag(programme, therapist)

    alert = ProgrammeAlert.objects.get(programme=programme, kind="bone_stress_suspected")
    message = ScheduledMessage.objects.get(key=f"programme:{programme.pk}:alert:{alert.pk}")
    email = message_render(message)
    body = email.body + email.alternatives[0][0]
    assert (message.to_email, email.subject) == (
        "terry@stride.test",
        "A patient's programme needs your review",
    )
    assert f"/clinical/programmes/{programme.pk}/" in body
    assert [word for word in ("Robin", "Strider", "bone", "stress", "BSI") if word in body] == []
