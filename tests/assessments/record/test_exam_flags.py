"""The examination's red-flag rule (assessments.record.exam_flags), pure."""

import pytest

from assessments.record.choices import REFER_CODES
from assessments.record.exam_flags import REFER_FLAGS, ExamFlag, SpecialFinding, examination_flags


def test_examination_flags_positive_fulcrum_and_painful_jog_are_one_bone_stress_flag():
    tests = [
        SpecialFinding("fulcrum", "left", True, "positive"),
        SpecialFinding("jog", "left", True, pain_nprs=4),
        SpecialFinding("fadir", "left", True, "positive"),
    ]
    assert examination_flags(tests=tests, impression_codes=["GTPS_GLUT_TEND"]) == [
        ExamFlag(
            "bone_stress",
            "stop_running_urgent_medical",
            "Examination: fulcrum test positive (left); light jog painful (left), pain 4/10",
        )
    ]


@pytest.mark.parametrize(
    "finding",
    [
        SpecialFinding("hop", "right", True, pain_provoked=True),
        SpecialFinding("hop_distance", "right", True, "positive"),
        SpecialFinding("jump", "right", True, pain_nprs=2),
    ],
)
def test_examination_flags_pain_on_an_impact_test_is_bone_stress(finding):
    [flag] = examination_flags(tests=[finding], impression_codes=[])
    assert (flag.code, flag.action_level) == ("bone_stress", "stop_running_urgent_medical")


@pytest.mark.parametrize(
    "finding",
    [
        SpecialFinding("hop", "right", False, pain_provoked=False),
        SpecialFinding("hop", "right", True, "negative", pain_nprs=0),
        SpecialFinding("fulcrum", "right", True, "negative"),
        SpecialFinding("step_up", "right", True, pain_nprs=3),
        SpecialFinding("fulcrum", "right", False),
    ],
)
def test_examination_flags_none_without_a_positive_or_painful_finding(finding):
    assert examination_flags(tests=[finding], impression_codes=[]) == []


def test_examination_flags_every_referral_impression_has_its_flag():
    assert set(REFER_FLAGS) == set(REFER_CODES)
    assert examination_flags(tests=[], impression_codes=["SEPTIC", "HERNIA_INGUINAL"]) == [
        ExamFlag("infection", "emergency_same_day", "Examination: impression: Septic arthritis (refer)"),
        ExamFlag("hernia", "routine_gp", "Examination: impression: Inguinal hernia (refer)"),
    ]


def test_examination_flags_rejects_one_string_of_codes():
    with pytest.raises(ValueError, match="not one string"):
        examination_flags(tests=[], impression_codes="TUMOUR")
