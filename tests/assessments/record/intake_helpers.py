"""A patient's submitted intake with a red flag, made directly (the intake's own tests drive its form)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from patients.models import IntakeResponse, RedFlag
from tests.factories import IntakeInvitationFactory


def submitted_intake(patient, *, flag: str | None = "bone_stress") -> IntakeResponse:
    now = timezone.now()
    invitation = IntakeInvitationFactory(patient=patient, appointment=None, submitted_at=now)
    response = IntakeResponse.objects.create(
        invitation=invitation,
        patient=patient,
        submitted_at=now,
        consent_treatment=True,
        consent_privacy=True,
        signature_name=patient.full_name,
        signed_at=now,
        weight_kg=Decimal("61.5"),
        runs_per_week=4,
        weekly_km_now=Decimal(44),
        weekly_km_earlier=Decimal(30),
        pain_locations={"anterior_hip_groin": "right", "lateral_hip": "right"},
        nprs_now=3,
        nprs_worst_7d=6,
        nprs_during_run=5,
        pain_pattern="with_loading",
        night_pain="lying_on_side",
        onset_date=date(2026, 9, 1),
        onset_mode="gradual",
        run_onset="after_distance",
        run_onset_km=Decimal(8),
        onset_getting_earlier=True,
        aggravating=["running", "hopping", "stairs"],
        easing=["rest"],
        recent_changes=["more_mileage", "hills"],
        treatments_tried=["rest", "stretching"],
        goals="Run the half marathon without hip pain",
        race_name="Riverside Half",
    )
    if flag:
        RedFlag.objects.create(
            patient=patient,
            intake_response=response,
            flag_code=flag,
            action_level="stop_running_urgent_medical",
            detected_at=now,
        )
    return response
