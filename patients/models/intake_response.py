"""The patient's intake answers, the red flags they raise, and reminder choices.

One IntakeResponse per invitation. Numbers are typed, range-checked columns
(the ranges of patients.intake.choices.RANGES, enforced by validators and by
named check constraints); multi-selects and questionnaire items are JSON (it
works on SQLite and PostgreSQL alike). `draft` keeps the raw input of steps
not yet saved with "Next", so a closed tab loses nothing.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from clinic.audit.tracking import audit_tracked
from patients.intake.choices import (
    RANGES,
    CancerTreated,
    NightPain,
    NsaidUse,
    OnsetMode,
    PainPattern,
    RunOnset,
    SettleTime,
)


def _number(name: str, verbose_name: str) -> models.Field:
    low, high, places, _ = RANGES[name]
    validators = [MinValueValidator(low), MaxValueValidator(high)]
    if places == 0:
        return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, validators=validators)
    digits = len(str(int(high))) + places
    return models.DecimalField(
        verbose_name, max_digits=digits, decimal_places=places, null=True, blank=True, validators=validators
    )


def _range_constraint(name: str) -> models.CheckConstraint:
    low, high, _, unit = RANGES[name]
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": low, f"{name}__lte": high}),
        name=f"patients_intakeresponse_{name}_range",
        violation_error_message=f"{name} must be {low}–{high}{' ' + unit if unit else ''}.",
    )


def _choice_constraint(name: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__in": ["", *choices.values]}), name=f"patients_intakeresponse_{name}_valid"
    )


CHOICE_FIELDS = {
    "pain_pattern": PainPattern,
    "run_onset": RunOnset,
    "settle_time": SettleTime,
    "night_pain": NightPain,
    "nsaid_use": NsaidUse,
    "onset_mode": OnsetMode,
    "cancer_treated": CancerTreated,
}


# History of every saved answer (medications, conditions, red-flag screen,
# consent); the autosaved draft of unsaved steps is left out.
@audit_tracked(exclude=["draft"])
class IntakeResponse(models.Model):
    invitation = models.OneToOneField(
        "patients.IntakeInvitation", on_delete=models.PROTECT, related_name="response"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="intake_responses")
    # Optimistic locking: every saved step bumps it; a stale tab gets a conflict.
    version = models.PositiveIntegerField(default=0)
    steps_done = models.JSONField(default=list, blank=True)
    # Raw input per step not yet saved with "Next": {step: {field: [values]}}.
    draft = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set on submission when any red flag was raised; cleared when all are signed off.
    needs_review = models.BooleanField(default=False)

    # About you (as the patient gives it; the record itself is not changed).
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    referrer = models.CharField(max_length=200, blank=True)
    occupation = models.CharField(max_length=120, blank=True)
    sitting_hours_per_day = _number("sitting_hours_per_day", "sitting hours per day")
    height_cm = _number("height_cm", "height (cm)")
    weight_kg = _number("weight_kg", "weight (kg)")

    # Running history.
    years_running = _number("years_running", "years running")
    runs_per_week = _number("runs_per_week", "runs per week")
    weekly_km_now = _number("weekly_km_now", "weekly distance now (km)")
    weekly_km_earlier = _number("weekly_km_earlier", "weekly distance 4–6 weeks ago (km)")
    # Derived by patients.intake.training_load, never typed.
    weekly_km_change_pct = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    load_spike = models.BooleanField(default=False)
    longest_run_km = _number("longest_run_km", "longest recent run (km)")
    typical_pace_min_per_km = _number("typical_pace_min_per_km", "typical pace (min/km)")
    surfaces = models.JSONField(default=list, blank=True)
    recent_changes = models.JSONField(default=list, blank=True)
    cutback_weeks = models.BooleanField(null=True, blank=True)
    cross_training = models.JSONField(default=list, blank=True)
    cross_training_sessions_per_week = _number(
        "cross_training_sessions_per_week", "cross-training sessions a week"
    )
    shoes = models.JSONField(default=list, blank=True)  # [{"model": str, "km": number}]
    race_name = models.CharField(max_length=120, blank=True)
    race_date = models.DateField(null=True, blank=True)
    race_distance_km = _number("race_distance_km", "race distance (km)")
    goals = models.TextField(blank=True, max_length=2000)

    # Your pain (domain.md §2).
    pain_locations = models.JSONField(default=dict, blank=True)  # {region: "left" | "right" | "both"}
    pain_spread = models.JSONField(default=list, blank=True)
    pain_quality = models.JSONField(default=list, blank=True)
    nprs_worst_7d = _number("nprs_worst_7d", "worst pain, last 7 days")
    nprs_now = _number("nprs_now", "pain now")
    nprs_during_run = _number("nprs_during_run", "pain during a run")
    nprs_next_morning = _number("nprs_next_morning", "pain the morning after a run")
    pain_pattern = models.CharField(max_length=20, blank=True, choices=PainPattern.choices)
    # Asked when the pain is there all the time: does activity, rest or position change it?
    constant_pain_changes = models.BooleanField(null=True, blank=True)
    run_onset = models.CharField(max_length=20, blank=True, choices=RunOnset.choices)
    run_onset_km = _number("run_onset_km", "pain starts after (km)")
    onset_getting_earlier = models.BooleanField(null=True, blank=True)
    aggravating = models.JSONField(default=list, blank=True)
    easing = models.JSONField(default=list, blank=True)
    settle_time = models.CharField(max_length=20, blank=True, choices=SettleTime.choices)
    night_pain = models.CharField(max_length=20, blank=True, choices=NightPain.choices)
    morning_stiffness_min = _number("morning_stiffness_min", "morning stiffness (minutes)")
    mechanical = models.JSONField(default=list, blank=True)
    neuro = models.JSONField(default=list, blank=True)
    neuro_location = models.CharField(max_length=200, blank=True)
    nsaid_use = models.CharField(max_length=20, blank=True, choices=NsaidUse.choices)
    onset_date = models.DateField(null=True, blank=True)
    onset_mode = models.CharField(max_length=20, blank=True, choices=OnsetMode.choices)
    trauma_at_onset = models.BooleanField(null=True, blank=True)
    trauma_detail = models.CharField(max_length=300, blank=True)
    treatments_tried = models.JSONField(default=list, blank=True)

    # Health screen: red-flag answers {code: bool}, RED-S screen {code: answer}.
    screen = models.JSONField(default=dict, blank=True)
    # Asked after a yes to "Have you ever had cancer?".
    cancer_treated = models.CharField(max_length=20, blank=True, choices=CancerTreated.choices)
    alcohol_units_per_week = _number("alcohol_units_per_week", "alcohol (units a week)")
    bone_health = models.JSONField(default=dict, blank=True)
    previous_injuries = models.JSONField(default=list, blank=True)
    previous_injuries_detail = models.CharField(max_length=500, blank=True)
    surgery = models.CharField("previous hip or back surgery", max_length=500, blank=True)
    medications = models.TextField(blank=True, max_length=2000)
    conditions = models.TextField("other conditions", blank=True, max_length=2000)
    sleep_hours = _number("sleep_hours", "sleep (hours a night)")
    life_stress = _number("life_stress", "life stress (0–10)")

    # Baseline outcome measures: item answers, and scores from patients.outcomes.scoring.
    lefs_items = models.JSONField(default=list, blank=True)
    lefs_score = _number("lefs_score", "LEFS (0–80)")
    psfs_activities = models.JSONField(
        default=list, blank=True
    )  # [{"id": n, "activity": str, "rating": 0–10}]
    psfs_score = _number("psfs_score", "PSFS (mean 0–10)")
    hoos_items = models.JSONField(default=dict, blank=True)  # {subscale: [0–4 | None, …]}
    hoos_pain = _number("hoos_pain", "HOOS pain")
    hoos_symptoms = _number("hoos_symptoms", "HOOS symptoms")
    hoos_adl = _number("hoos_adl", "HOOS daily living")
    hoos_sport = _number("hoos_sport", "HOOS sport and recreation")
    hoos_qol = _number("hoos_qol", "HOOS quality of life")

    # Consent.
    consent_treatment = models.BooleanField(default=False)
    consent_privacy = models.BooleanField(default=False)
    # The privacy notice the patient read and agreed to (PrivacyNotice.version, or the default's).
    privacy_notice_version = models.CharField(max_length=40, blank=True)
    reminder_opt_ins = models.JSONField(default=dict, blank=True)  # {ReminderCategory: bool}
    signature_name = models.CharField("signed (typed full name)", max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            *(_range_constraint(name) for name in RANGES),
            *(_choice_constraint(name, choices) for name, choices in CHOICE_FIELDS.items()),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | Q(consent_treatment=True, consent_privacy=True, signed_at__isnull=False)
                & ~Q(signature_name=""),
                name="patients_intakeresponse_submitted_has_consent",
                violation_error_message="A submitted intake needs consent and a signature.",
            ),
            models.CheckConstraint(
                condition=Q(weekly_km_change_pct__isnull=True) | Q(weekly_km_change_pct__gte=-100),
                name="patients_intakeresponse_weekly_km_change_pct_range",
            ),
        ]
        indexes = [
            # intake_latest_submitted(patient): a patient's newest submitted intake.
            models.Index(
                fields=["patient", "-submitted_at"],
                name="patients_intake_submitted",
                condition=Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Intake {self.pk} ({'submitted' if self.submitted_at else 'in progress'})"

    @property
    def hoos_scores(self) -> dict[str, object]:
        return {name: getattr(self, f"hoos_{name}") for name in ("pain", "symptoms", "adl", "sport", "qol")}
