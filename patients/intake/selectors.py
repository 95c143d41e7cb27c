"""Read queries for the intake: the latest submitted answers, flags, reminder choices.

`intake_latest_submitted(patient=…)` is what the assessment form reads to
pre-fill the subjective part of the first visit.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from patients.intake.redflags import Flag, RedFlagAnswers, evaluate
from patients.models import IntakeResponse, Patient, PrivacyNotice, RedFlag, ReminderPreference

# The privacy notice shipped with Stride, in force until the clinic publishes its own
# (templates/patients/intake/privacy_notice_default.txt). Change the version with the text.
DEFAULT_PRIVACY_NOTICE_VERSION = "stride-default-2026-12"
DEFAULT_PRIVACY_NOTICE_TEMPLATE = "patients/intake/privacy_notice_default.txt"


@dataclass(frozen=True)
class Notice:
    version: str
    text: str
    published_at: datetime | None
    clinic_published: bool  # False: the default shipped with Stride

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def privacy_notice_in_force(*, now: datetime | None = None) -> Notice:
    """The newest published PrivacyNotice; without one, the wording shipped with Stride.

    The clinic's own notice is written and published in the admin, never in
    settings: its text and its version then always change together.
    """
    notice = (
        PrivacyNotice.objects.filter(published_at__isnull=False, published_at__lte=now or timezone.now())
        .order_by("-published_at", "-pk")
        .first()
    )
    if notice is not None:
        return Notice(notice.version, notice.text, notice.published_at, clinic_published=True)
    text = render_to_string(
        DEFAULT_PRIVACY_NOTICE_TEMPLATE,
        {"CLINIC_NAME": settings.CLINIC_NAME, "CLINIC_EMAIL": settings.CLINIC_EMAIL},
        using="text",
    )
    return Notice(DEFAULT_PRIVACY_NOTICE_VERSION, text.strip(), None, clinic_published=False)


CONTACT_FIELDS = (
    ("phone", "Phone"),
    ("email", "Email"),
    ("address_line1", "Address"),
    ("address_line2", "Address (line 2)"),
    ("town", "Town"),
    ("postcode", "Postcode"),
    ("emergency_contact_name", "Emergency contact"),
    ("emergency_contact_phone", "Emergency contact phone"),
    ("emergency_contact_relationship", "Emergency contact relationship"),
)


def intake_flag_answers(response: IntakeResponse, *, today: date) -> RedFlagAnswers:
    """The answers the red-flag rules read, from a response (see patients.intake.redflags)."""
    return {
        "screen": response.screen or {},
        "bone_health": response.bone_health or {},
        "pain_locations": response.pain_locations or {},
        "aggravating": response.aggravating or [],
        "easing": response.easing or [],
        "night_pain": response.night_pain or None,
        "pain_pattern": response.pain_pattern or None,
        "constant_pain_changes": response.constant_pain_changes,
        "onset_getting_earlier": response.onset_getting_earlier,
        "nprs_now": response.nprs_now,
        "previous_injuries": response.previous_injuries or [],
        "cancer_treated": response.cancer_treated or None,
        "alcohol_units_per_week": response.alcohol_units_per_week,
        "height_cm": response.height_cm,
        "weight_kg": response.weight_kg,
        "load_spike": response.load_spike,
        "age": response.patient.age_on(today),
        "sex": response.patient.sex,
    }


def intake_provisional_flags(response: IntakeResponse, *, today: date) -> list[Flag]:
    """Flags the answers so far would raise (shown to the patient before submission)."""
    return evaluate(intake_flag_answers(response, today=today))


def intake_latest_submitted(*, patient: Patient) -> IntakeResponse | None:
    """The patient's newest submitted intake, with its red flags, or None.

    For the assessment form's pre-fill: typed answers are plain attributes
    (nprs_worst_7d, nprs_now, pain_locations, pain_pattern, night_pain,
    weekly_km_now, weekly_km_earlier, weekly_km_change_pct, load_spike, goals,
    lefs_score, psfs_activities, psfs_score, hoos_*, screen, …), and
    `response.red_flags.all()` is prefetched (cleared_by included).
    """
    return (
        IntakeResponse.objects.filter(patient=patient, submitted_at__isnull=False)
        .select_related("invitation__appointment")
        .prefetch_related(Prefetch("red_flags", queryset=RedFlag.objects.select_related("cleared_by")))
        .order_by("-submitted_at")
        .first()
    )


def intake_for_summary(*, pk: int) -> IntakeResponse | None:
    """One intake with everything its summary page shows, in two queries."""
    return (
        IntakeResponse.objects.select_related(
            "patient", "invitation__appointment__therapist", "invitation__appointment__appointment_type"
        )
        .prefetch_related(Prefetch("red_flags", queryset=RedFlag.objects.select_related("cleared_by")))
        .filter(pk=pk)
        .first()
    )


def patient_open_red_flags(*, patient: Patient) -> QuerySet[RedFlag]:
    return RedFlag.objects.filter(patient=patient, cleared_at__isnull=True).order_by("detected_at", "pk")


def patient_reminder_opt_ins(*, patient_id: int) -> dict[str, bool]:
    """The patient's email reminder choices by category (absent: not asked yet)."""
    return dict(ReminderPreference.objects.filter(patient_id=patient_id).values_list("category", "opted_in"))


def intake_contact_changes(response: IntakeResponse) -> list[tuple[str, str, str]]:
    """Contact details the patient gave that differ from the record: (label, record, intake)."""
    patient = response.patient
    changes = []
    for name, label in CONTACT_FIELDS:
        given = (getattr(response, name) or "").strip()
        on_record = (getattr(patient, name) or "").strip()
        if given and given.casefold() != on_record.casefold():
            changes.append((label, on_record, given))
    return changes
