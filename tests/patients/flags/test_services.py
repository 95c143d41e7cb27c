"""The red-flag lifecycle: one raise and one clear for every source."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.messaging.services import About
from patients.flags.services import red_flag_clear, red_flag_raise
from patients.intake.choices import ActionLevel, FlagSource, RedFlagCode
from patients.models import RedFlag

pytestmark = pytest.mark.django_db


def test_red_flag_raise_by_a_clinician_records_who_what_and_level(patient, therapist):
    flag = red_flag_raise(
        patient=patient,
        code=RedFlagCode.BONE_STRESS,
        source=FlagSource.CLINICIAN,
        action_level=ActionLevel.STOP_RUNNING_URGENT_MEDICAL,
        note="  Phoned: groin pain now wakes her at night.  ",
        by=therapist,
    )
    flag.refresh_from_db()
    assert (flag.patient, flag.flag_code, flag.source, flag.action_level, flag.raised_by, flag.note) == (
        patient,
        "bone_stress",
        "clinician",
        "stop_running_urgent_medical",
        therapist,
        "Phoned: groin pain now wakes her at night.",
    )
    assert (flag.is_open, flag.about_label, flag.about_pk, flag.intake_response) == (True, "", "", None)


def test_red_flag_raise_by_a_clinician_needs_a_note(patient, therapist):
    with pytest.raises(ValidationError) as excinfo:
        red_flag_raise(
            patient=patient,
            code=RedFlagCode.HERNIA,
            source=FlagSource.CLINICIAN,
            action_level=ActionLevel.ROUTINE_GP,
            note="   ",
            by=therapist,
        )
    assert excinfo.value.message_dict == {"note": ["Say what you found."]}
    assert RedFlag.objects.count() == 0


def test_red_flag_raise_refuses_an_unknown_code_or_level(patient, therapist):
    with pytest.raises(ValidationError) as code:
        red_flag_raise(
            patient=patient,
            code="gout",
            source=FlagSource.CLINICIAN,
            action_level="advisory",
            note="x",
            by=therapist,
        )
    with pytest.raises(ValidationError) as level:
        red_flag_raise(
            patient=patient,
            code="hernia",
            source=FlagSource.CLINICIAN,
            action_level="soon",
            note="x",
            by=therapist,
        )
    assert (code.value.message_dict, level.value.message_dict) == (
        {"code": ["Choose a red flag."]},
        {"action_level": ["Choose an action level."]},
    )


def test_red_flag_raise_for_the_same_record_returns_the_flag_already_raised(patient, therapist):
    about = About(label="assessments.checkin", pk="41")
    first = red_flag_raise(
        patient=patient,
        code="bone_stress",
        source=FlagSource.CHECKIN,
        action_level="stop_running_urgent_medical",
        about=about,
    )
    red_flag_clear(flag=first, by=therapist, action_taken="Seen: MRI clear.")
    again = red_flag_raise(
        patient=patient,
        code="bone_stress",
        source=FlagSource.CHECKIN,
        action_level="stop_running_urgent_medical",
        about=about,
    )
    assert (again.pk, RedFlag.objects.count()) == (first.pk, 1)


def test_red_flag_database_refuses_an_incomplete_about_pair(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        RedFlag.objects.create(
            patient=patient,
            flag_code="hernia",
            source="checkin",
            action_level="routine_gp",
            about_label="assessments.checkin",
            detected_at=timezone.now(),
        )


def test_red_flag_database_refuses_a_second_flag_of_one_code_for_one_record(patient):
    values = {
        "patient": patient,
        "flag_code": "hernia",
        "source": "examination",
        "action_level": "routine_gp",
        "about_label": "assessments.assessment",
        "about_pk": "7",
        "detected_at": timezone.now(),
    }
    RedFlag.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        RedFlag.objects.create(**values)


def test_red_flag_database_refuses_an_unknown_source(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        RedFlag.objects.create(
            patient=patient,
            flag_code="hernia",
            source="email",
            action_level="routine_gp",
            detected_at=timezone.now(),
        )


def test_red_flag_clear_works_for_every_source(patient, therapist):
    flags = [
        red_flag_raise(
            patient=patient,
            code="night_constant",
            source=source,
            action_level="urgent_medical",
            note="found",
            by=therapist,
            about=About(label="assessments.checkin", pk=str(n)),
        )
        for n, source in enumerate(FlagSource.values)
        if source != FlagSource.PATIENT
    ]
    for flag in flags:
        red_flag_clear(flag=flag, by=therapist, action_taken="GP review booked.", referred_to=" GP ")
    assert list(RedFlag.objects.order_by("pk").values_list("source", "cleared_by", "referred_to")) == [
        ("checkin", therapist.pk, "GP"),
        ("training_log", therapist.pk, "GP"),
        ("examination", therapist.pk, "GP"),
        ("clinician", therapist.pk, "GP"),
    ]
    with pytest.raises(ValidationError) as excinfo:
        red_flag_clear(flag=flags[0], by=therapist, action_taken="Again.")
    assert excinfo.value.messages == ["This red flag has already been cleared."]
