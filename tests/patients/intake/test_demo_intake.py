"""The demo intakes show the red-flag rules: a RED-S advisory from a low BMI, a same-day GP fever case."""

import pytest

from clinic.staff import demo as staff_demo
from patients.demo import appointments as demo_appointments
from patients.demo import intake as demo_intake
from patients.demo import patients as patients_demo
from patients.intake.choices import ActionLevel, RedFlagCode
from patients.intake.redflags import bmi
from patients.models import IntakeResponse, PrivacyNotice

pytestmark = pytest.mark.django_db


def test_demo_intakes_raise_the_red_s_advisory_and_a_same_day_gp_fever():
    staff = staff_demo.load()
    patients = patients_demo.load()
    demo_appointments.load(patients, booked_by=staff["desk@stride.example"])

    assert demo_intake.load() == 3

    submitted = list(IntakeResponse.objects.filter(submitted_at__isnull=False).order_by("submitted_at", "pk"))
    flags = [sorted(r.red_flags.values_list("flag_code", "action_level")) for r in submitted]
    assert flags == [
        [(RedFlagCode.OVERTRAINING_REDS, ActionLevel.ADVISORY)],
        [
            (RedFlagCode.BONE_STRESS, ActionLevel.STOP_RUNNING_URGENT_MEDICAL),
            (RedFlagCode.INFECTION, ActionLevel.GP_SAME_DAY),
            (RedFlagCode.OVERTRAINING_REDS, ActionLevel.ADVISORY),
        ],
    ]
    low = submitted[0]
    assert bmi(height_cm=low.height_cm, weight_kg=low.weight_kg) < 18.5
    assert low.bone_health == {"low_vitamin_d": "yes"}


def test_demo_consents_name_the_clinics_published_privacy_notice():
    staff = staff_demo.load()
    patients = patients_demo.load()
    demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
    demo_intake.load()
    demo_intake.load()  # idempotent: one notice

    notice = PrivacyNotice.objects.get()
    assert notice.version == demo_intake.DEMO_PRIVACY_NOTICE_VERSION and notice.published_at is not None
    submitted = IntakeResponse.objects.filter(submitted_at__isnull=False)
    assert submitted.count() == 2
    assert set(submitted.values_list("privacy_notice_version", flat=True)) == {notice.version}
