"""Demo intakes for upcoming evaluations: two submitted, one in progress.

The first submitted intake raises only the RED-S advisory (a BMI under 18.5 and low vitamin D);
the second suspected bone stress with a fever (stop running, see a GP today) and feeling run
down after a jump in distance.

The rest of the demo's evaluations keep a sent, untouched invitation. Answers
go through the real step forms and services, so scores and flags are
computed exactly as for a patient. Idempotent: an invitation that already has
answers is left alone.
"""

from datetime import timedelta

from django.utils import timezone

from patients.booking.choices import AppointmentStatus, VisitKind
from patients.intake.selectors import privacy_notice_in_force
from patients.intake.services.invitations import intake_issue_token
from patients.intake.services.responses import intake_response_for, intake_step_save, intake_submit
from patients.intake.steps import STEPS
from patients.models import IntakeInvitation, PrivacyNotice

# The demo clinic's own privacy notice, published in the admin: the demo's consents name its version.
DEMO_PRIVACY_NOTICE_VERSION = "2026-09"

SCREEN_CODES = (
    "fever",
    "hot_swollen",
    "cannot_bear_weight",
    "recent_trauma",
    "deformity",
    "sudden_severe",
    "weight_loss",
    "night_sweats",
    "cancer_history",
    "steroids",
    "limp",
    "bladder_bowel",
    "leg_weakness",
    "groin_lump",
    "pulsing_lump",
    "pale_cold_leg",
    "fatigue",
)


def _answers(*, flagged: bool, low_bmi: bool = False) -> dict[str, dict[str, object]]:
    screen = {f"rf_{code}": "no" for code in SCREEN_CODES}
    if flagged:
        screen["rf_fatigue"] = "yes"
        screen["rf_fever"] = "yes"  # fever alone: a same-day GP visit
    pain = {
        "pain_lateral_hip": ["right"],
        "nprs_worst_7d": "6",
        "nprs_now": "2",
        "nprs_during_run": "4",
        "pain_pattern": "with_loading",
        "run_onset": "after_distance",
        "run_onset_km": "8",
        "aggravating": ["running", "lying_on_side", "stairs"],
        "easing": ["rest"],
        "settle_time": "1_24h",
        "night_pain": "lying_on_side",
        "onset_mode": "gradual",
        "treatments_tried": ["rest", "stretching"],
    }
    if flagged:
        # Groin pain that comes on earlier in each run: suspected femoral neck bone stress.
        pain.update(
            {
                "pain_anterior_hip_groin": ["left"],
                "pain_lateral_hip": [],
                "onset_getting_earlier": "yes",
                "nprs_worst_7d": "7",
                "aggravating": ["running", "hopping"],
            }
        )
    return {
        "about": {
            "emergency_contact_name": "Alex Demo",
            "emergency_contact_phone": "07700 900555",
            "occupation": "Teacher",
            "sitting_hours_per_day": "5",
            "height_cm": "172",
            "weight_kg": "52" if low_bmi else "64",  # 52 kg at 172 cm: BMI 17.6
        },
        "running": {
            "years_running": "5",
            "runs_per_week": "4",
            "weekly_km_now": "48" if flagged else "35",
            "weekly_km_earlier": "32",
            "longest_run_km": "21",
            "typical_pace_min_per_km": "5:20",
            "surfaces": ["road", "trail"],
            "recent_changes": ["more_mileage", "new_plan"],
            "shoe_unit": "km",
            "shoe1_model": "Demo Runner 3",
            "shoe1_distance": "520",
            "goals": "Run the spring marathon without hip pain.",
        },
        "pain": pain,
        "health": {
            **screen,
            "alcohol_units_per_week": "4",
            **({"bh_low_vitamin_d": "yes"} if low_bmi else {}),
            "medications": "None",
            "conditions": "None",
            "sleep_hours": "7",
            "life_stress": "4",
        },
        "outcomes": {
            **{
                f"lefs_{n}": str(v)
                for n, v in enumerate([3, 2, 2, 3, 2, 3, 3, 2, 1, 1, 0, 1, 2, 2, 3, 3, 2, 2, 3, 3], 1)
            },
            "psfs_activity_1": "Running 10 km",
            "psfs_rating_1": "3",
            "psfs_activity_2": "Stairs",
            "psfs_rating_2": "6",
            "psfs_activity_3": "Hill repeats",
            "psfs_rating_3": "2",
        },
        "consent": {
            "consent_treatment": "on",
            "consent_privacy": "on",
            "signature_name": "Demo Patient",
            "reminder_appointment": "on",
            "reminder_home_exercise": "on",
        },
    }


def _fill(invitation: IntakeInvitation, steps: list[str], *, flagged: bool, low_bmi: bool) -> None:
    intake_issue_token(invitation=invitation, sent=True)  # as if the email had gone out
    invitation.refresh_from_db()
    IntakeInvitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())
    response = intake_response_for(invitation=invitation)
    answers = _answers(flagged=flagged, low_bmi=low_bmi)
    # Contact details as the patient would see them: pre-filled from the record.
    on_record = STEPS["about"].initial_from(response)
    answers["about"] = {
        **{k: str(v) for k, v in on_record.items() if v not in (None, "")},
        **answers["about"],
    }
    for step in steps:
        form = STEPS[step](data=answers[step], patient=invitation.patient)
        if not form.is_valid():
            raise ValueError(f"Demo intake step {step} is invalid: {form.errors.as_text()}")
        response = intake_step_save(
            response=response, step=step, answers=form.answers(), version=response.version
        )
    if steps == list(STEPS):
        intake_submit(response=response, version=response.version)


def _privacy_notice() -> None:
    """The clinic's notice as the clinic admin published it (Django admin, Privacy notices)."""
    if PrivacyNotice.objects.filter(version=DEMO_PRIVACY_NOTICE_VERSION).exists():
        return
    text = privacy_notice_in_force().text  # the wording shipped with Stride, adopted by the clinic
    PrivacyNotice.objects.create(
        version=DEMO_PRIVACY_NOTICE_VERSION,
        text=text,
        published_at=timezone.now() - timedelta(days=60),
    )


def load() -> int:
    """Fill the first three upcoming evaluations' intakes (RED-S advisory, flagged, in progress)."""
    invitations = list(
        IntakeInvitation.objects.filter(
            appointment__status=AppointmentStatus.BOOKED,
            appointment__appointment_type__kind=VisitKind.INITIAL_EVALUATION,
            appointment__starts_at__gt=timezone.now(),
            revoked_at__isnull=True,
        )
        .select_related("patient", "appointment")
        .order_by("appointment__starts_at", "pk")[:3]
    )
    # (steps, flagged, low BMI)
    plans = [(list(STEPS), False, True), (list(STEPS), True, False), (["about", "running"], False, False)]
    _privacy_notice()
    made = 0
    for invitation, (steps, flagged, low_bmi) in zip(invitations, plans, strict=False):
        if hasattr(invitation, "response") or invitation.submitted_at:
            continue
        _fill(invitation, steps, flagged=flagged, low_bmi=low_bmi)
        made += 1
    return made
