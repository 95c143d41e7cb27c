"""What the programme records over the weeks: check-ins and runs, the run ladder, alerts, outcomes, links."""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from assessments.exercises.choices import Surface
from assessments.models.base import NPRS_VALIDATORS, choice_valid, decimal_range, in_range
from assessments.programmes.choices import (
    CHECKIN_SAFETY_QUESTIONS,
    CHECKIN_WEEKS_MAX,
    CheckInStatus,
)
from clinic.audit.tracking import audit_tracked

SESSIONS_MAX = 21
RUN_KM_MAX = Decimal(100)
RUN_MIN_MAX = 600

_PAINS = ("pain_now", "pain_worst", "run_pain_during", "run_pain_after", "pain_next_morning")


@audit_tracked
class CheckIn(models.Model):
    """The patient's weekly check-in (by link), autosaved as a draft until sent.

    `draft` keeps the form's raw input as typed (nothing is lost, even when
    not yet valid); the columns hold the last valid answers. `version` stops
    two tabs or devices from overwriting each other.
    """

    programme = models.ForeignKey("assessments.Programme", on_delete=models.CASCADE, related_name="checkins")
    week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(CHECKIN_WEEKS_MAX)]
    )
    status = models.CharField(max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    draft = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    pain_now = models.PositiveSmallIntegerField("pain now", null=True, blank=True, validators=NPRS_VALIDATORS)
    pain_worst = models.PositiveSmallIntegerField(
        "worst pain this week", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    run_pain_during = models.PositiveSmallIntegerField(
        "worst pain during runs", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    run_pain_after = models.PositiveSmallIntegerField(
        "worst pain after runs (that evening)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    pain_next_morning = models.PositiveSmallIntegerField(
        "worst pain the morning after a run", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    sessions_done = models.PositiveSmallIntegerField(
        "exercise sessions done", null=True, blank=True, validators=[MaxValueValidator(SESSIONS_MAX)]
    )
    # What was prescribed that week (the plan's exercise days), kept as it was then.
    sessions_prescribed = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(7)])
    sleep = models.CharField(max_length=200, blank=True)
    stress = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True, max_length=2000)
    flag_night_pain = models.BooleanField(null=True, blank=True)
    flag_unwell = models.BooleanField(null=True, blank=True)
    flag_nerve = models.BooleanField(null=True, blank=True)
    # Bone-stress questions (CHECKIN_BONE_STRESS_QUESTIONS); None: not asked (sent before they were).
    flag_pain_earlier = models.BooleanField(null=True, blank=True)
    flag_pain_walking = models.BooleanField(null=True, blank=True)
    flag_pain_in_bed = models.BooleanField(null=True, blank=True)
    flag_pain_hopping = models.BooleanField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "week"],
                name="assessments_checkin_one_per_week",
                violation_error_message="This week already has a check-in.",
            ),
            in_range(
                "assessments_checkin_week_range", "week", 1, CHECKIN_WEEKS_MAX, "No such programme week."
            ),
            choice_valid("assessments_checkin_status_valid", "status", CheckInStatus.values, blank=False),
            *[
                in_range(f"assessments_checkin_{name}_range", name, 0, 10, "Pain is 0 to 10.")
                for name in _PAINS
            ],
            in_range(
                "assessments_checkin_sessions_range", "sessions_done", 0, SESSIONS_MAX, "Sessions are 0–21."
            ),
            in_range(
                "assessments_checkin_prescribed_range", "sessions_prescribed", 0, 7, "Sessions are 0–7."
            ),
            models.CheckConstraint(
                condition=Q(status=CheckInStatus.DRAFT, submitted_at__isnull=True)
                | Q(status=CheckInStatus.SUBMITTED, submitted_at__isnull=False),
                name="assessments_checkin_submitted_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessments_checkin_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Check-in week {self.week} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == CheckInStatus.SUBMITTED

    @property
    def red_flag_answers(self) -> list[str]:
        """The safety questions answered "yes" (CHECKIN_SAFETY_QUESTIONS order)."""
        return [name for name, _ in CHECKIN_SAFETY_QUESTIONS if getattr(self, name)]


@audit_tracked
class RunLog(models.Model):
    """One run in the patient's training log (domain.md §8.6): date, distance, time, surface, shoes."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="runs")
    date = models.DateField()
    distance_km = models.DecimalField(
        "distance (km)", max_digits=5, decimal_places=2, validators=decimal_range(0, RUN_KM_MAX)
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(RUN_MIN_MAX)]
    )
    surface = models.CharField(max_length=12, choices=Surface.choices, blank=True)
    shoes = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            in_range("assessments_runlog_distance_range", "distance_km", 0, 100, "Distance is 0–100 km."),
            in_range("assessments_runlog_minutes_range", "minutes", 1, RUN_MIN_MAX, "Time is 1–600 minutes."),
            choice_valid("assessments_runlog_surface_valid", "surface", Surface.values),
        ]

    def __str__(self) -> str:
        return f"{self.distance_km} km in {self.minutes} min on {self.date:%Y-%m-%d}"
