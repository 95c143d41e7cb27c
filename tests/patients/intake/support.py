"""Helpers for the intake tests: the visit's time, the identity check, each step's data."""

from datetime import UTC, date, datetime

from django.urls import reverse

from patients.models import IntakeResponse
from tests.patients.links.support import pass_code_step

# The visit: Friday 27 November 2026, 10:00 London (the tests run on Monday the 23rd).
VISIT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
DOB = date(1988, 4, 12)

LEFS_E1 = [3, 2, 2, 3, 2, 3, 3, 2, 1, 1, 0, 1, 2, 2, 3, 3, 2, 2, 3, 3]
SCREEN_CODES = [
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
]


def about_data(**overrides: object) -> dict[str, object]:
    return {
        "phone": "07700 900123",
        "email": "rosa.quill@example.com",
        "address_line1": "1 Mill Lane",
        "town": "Riverside",
        "postcode": "RS1 2AB",
        "emergency_contact_name": "Kim Quill",
        "emergency_contact_phone": "07700 900456",
        "emergency_contact_relationship": "Partner",
        "gp_practice": "Mill Lane Surgery",
        "referrer": "Club coach",
        "occupation": "Accountant",
        "sitting_hours_per_day": "8",
        "height_cm": "168",
        "weight_kg": "61.5",
        **overrides,
    }


def running_data(**overrides: object) -> dict[str, object]:
    return {
        "years_running": "6",
        "runs_per_week": "4",
        "weekly_km_now": "44",
        "weekly_km_earlier": "30",
        "longest_run_km": "21",
        "typical_pace_min_per_km": "5:30",
        "surfaces": ["road", "trail"],
        "recent_changes": ["more_mileage", "hills"],
        "cutback_weeks": "no",
        "cross_training": ["cycling"],
        "cross_training_sessions_per_week": "1",
        "shoe_unit": "km",
        "shoe1_model": "Pegasus 40",
        "shoe1_distance": "650",
        "race_name": "Riverside Half",
        "race_date": "2027-03-14",
        "race_distance_km": "21.1",
        "goals": "Run the half marathon without hip pain",
        **overrides,
    }


def pain_data(**overrides: object) -> dict[str, object]:
    return {
        "pain_lateral_hip": ["right"],
        "pain_posterior_hip": ["right"],
        "pain_quality": ["dull_ache"],
        "nprs_worst_7d": "6",
        "nprs_now": "3",
        "nprs_during_run": "5",
        "nprs_next_morning": "2",
        "pain_pattern": "with_loading",
        "run_onset": "after_distance",
        "run_onset_km": "8",
        "onset_getting_earlier": "no",
        "aggravating": ["running", "lying_on_side", "stairs"],
        "easing": ["rest"],
        "settle_time": "1_24h",
        "night_pain": "lying_on_side",
        "morning_stiffness_min": "10",
        "nsaid_use": "occasional",
        "onset_date": "2026-09-01",
        "onset_mode": "gradual",
        "trauma_at_onset": "no",
        "treatments_tried": ["rest", "stretching"],
        **overrides,
    }


def health_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {f"rf_{code}": "no" for code in SCREEN_CODES}
    data.update(
        {
            "alcohol_units_per_week": "6",
            "medications": "None",
            "conditions": "Asthma",
            "sleep_hours": "7.5",
            "life_stress": "4",
        }
    )
    data.update(overrides)
    return data


def outcomes_data(
    lefs: list[int] = LEFS_E1, psfs: list[int] = (3, 5, 2), **overrides: object
) -> dict[str, object]:
    data: dict[str, object] = {f"lefs_{n}": str(value) for n, value in enumerate(lefs, start=1)}
    activities = ["Running 10 km", "Climbing stairs", "Hill repeats", "Sitting through a film", "Hopping"]
    for n, rating in enumerate(psfs, start=1):
        data[f"psfs_activity_{n}"] = activities[n - 1]
        data[f"psfs_rating_{n}"] = str(rating)
    data.update(overrides)
    return data


def consent_data(**overrides: object) -> dict[str, object]:
    return {
        "consent_treatment": "on",
        "consent_privacy": "on",
        "signature_name": "Rosa Quill",
        "reminder_appointment": "on",
        "reminder_weekly_checkin": "on",
        **overrides,
    }


STEP_DATA = {
    "about": about_data,
    "running": running_data,
    "pain": pain_data,
    "health": health_data,
    "outcomes": outcomes_data,
    "consent": consent_data,
}


def open_link(client, token: str):
    return client.get(reverse("patients:intake_start", args=[token]))


def check(client, *, last_name: str = "Quill", dob: date = DOB, ip: str = "203.0.113.7"):
    return client.post(
        reverse("patients:intake_check"),
        {"last_name": last_name, "dob_day": dob.day, "dob_month": dob.month, "dob_year": dob.year},
        REMOTE_ADDR=ip,
    )


def sign_in_to_intake(client, token: str, **kwargs: object):
    """Open the link, pass the identity check and (on a browser new to the patient) the emailed code."""
    open_link(client, token)
    response = pass_code_step(client, check(client, **kwargs), "patients:intake_code")
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def version(invitation) -> int:
    response = IntakeResponse.objects.filter(invitation_id=invitation.pk).first()
    return response.version if response else 0


def post_step(client, invitation, step: str, data: dict[str, object] | None = None, **extra: object):
    payload = dict(STEP_DATA[step]() if data is None else data)
    payload.setdefault("version", version(invitation))
    payload.update(extra)
    return client.post(reverse("patients:intake_step", args=[step]), payload)


def complete_steps(client, invitation, steps=tuple(STEP_DATA), **data: dict[str, object]) -> None:
    for step in steps:
        response = post_step(client, invitation, step, data.get(step))
        assert response.status_code == 302, (step, response.content.decode()[:3000])
