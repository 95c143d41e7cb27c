"""What the programme records over the weeks: check-ins and runs, the run ladder, alerts, outcomes, links."""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from assessments.models.base import NPRS_VALIDATORS, choice_valid, decimal_range, in_range
from assessments.programme_choices import (
    CHECKIN_WEEKS_MAX,
    AlertKind,
    CheckInStatus,
    LadderAction,
    OutcomeSource,
    OutcomeTimepoint,
    Surface,
)
from assessments.programme_rules import RUN_LADDER
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
        return [name for name in ("flag_night_pain", "flag_unwell", "flag_nerve") if getattr(self, name)]


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


@audit_tracked
class ReadinessCheck(models.Model):
    """The readiness-to-run checklist (§8.4) as recorded: who, when, each test's result (append-only).

    `results` maps each checklist code to {"done": bool, "pain": 0–10}.
    """

    programme = models.ForeignKey(
        "assessments.Programme", on_delete=models.PROTECT, related_name="readiness_checks"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    results = models.JSONField(default=dict)
    passed = models.BooleanField()
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Readiness {'passed' if self.passed else 'not passed'} {self.recorded_at:%Y-%m-%d}"


@audit_tracked
class LadderStep(models.Model):
    """One decision on the return-to-run ladder, by the rules or by the therapist (append-only).

    `after_week` is the latest sent check-in's week when the step was taken:
    the ladder gate reads the check-ins after it. An override records why.
    """

    programme = models.ForeignKey(
        "assessments.Programme", on_delete=models.PROTECT, related_name="ladder_steps"
    )
    action = models.CharField(max_length=10, choices=LadderAction.choices)
    from_stage = models.PositiveSmallIntegerField()
    to_stage = models.PositiveSmallIntegerField()
    after_week = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True, max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            choice_valid("assessments_ladderstep_action_valid", "action", LadderAction.values, blank=False),
            in_range("assessments_ladderstep_from_range", "from_stage", 0, len(RUN_LADDER), "No such stage."),
            in_range("assessments_ladderstep_to_range", "to_stage", 0, len(RUN_LADDER), "No such stage."),
            models.CheckConstraint(
                condition=~Q(action=LadderAction.OVERRIDE) | (~Q(override_reason="") & Q(by__isnull=False)),
                name="assessments_ladderstep_override_has_reason",
                violation_error_message="An override records who made it and why.",
            ),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: stage {self.from_stage} → {self.to_stage}"


@audit_tracked
class ProgrammeAlert(models.Model):
    """Something in a check-in the therapist must review (shown on the dashboard until resolved)."""

    programme = models.ForeignKey("assessments.Programme", on_delete=models.PROTECT, related_name="alerts")
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    kind = models.CharField(max_length=24, choices=AlertKind.choices)
    detail = models.TextField(max_length=2000)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            choice_valid("assessments_programmealert_kind_valid", "kind", AlertKind.values, blank=False),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True, resolution="")
                | (Q(resolved_at__isnull=False, resolved_by__isnull=False) & ~Q(resolution="")),
                name="assessments_programmealert_resolution_complete",
                violation_error_message="A resolved alert records who resolved it, when and how.",
            ),
            models.UniqueConstraint(
                fields=["checkin", "kind"],
                name="assessments_programmealert_once_per_checkin",
            ),
        ]
        indexes = [
            # The dashboard's open alerts.
            models.Index(
                fields=["programme"], name="assessments_alert_open", condition=Q(resolved_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


@audit_tracked
class ProgrammeOutcome(models.Model):
    """Outcome measures at baseline, week 4 and the end (domain.md §7): item answers, scores computed.

    `psfs` lists {"id", "activity", "rating"}; follow-ups re-rate the baseline's
    activities (same ids). Scores come from patients.outcomes, never typed.
    """

    programme = models.ForeignKey("assessments.Programme", on_delete=models.CASCADE, related_name="outcomes")
    timepoint = models.CharField(max_length=10, choices=OutcomeTimepoint.choices)
    source = models.CharField(max_length=10, choices=OutcomeSource.choices)
    lefs_items = models.JSONField(default=list, blank=True)
    lefs_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(80)])
    psfs = models.JSONField(default=list, blank=True)
    psfs_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    nprs_worst = models.PositiveSmallIntegerField(
        "worst pain, last 7 days", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "timepoint"], name="assessments_programmeoutcome_one_per_timepoint"
            ),
            choice_valid(
                "assessments_programmeoutcome_timepoint_valid",
                "timepoint",
                OutcomeTimepoint.values,
                blank=False,
            ),
            choice_valid(
                "assessments_programmeoutcome_source_valid", "source", OutcomeSource.values, blank=False
            ),
            in_range("assessments_programmeoutcome_lefs_range", "lefs_score", 0, 80, "LEFS is 0–80."),
            in_range("assessments_programmeoutcome_psfs_range", "psfs_score", 0, 10, "PSFS is 0–10."),
            in_range("assessments_programmeoutcome_nprs_range", "nprs_worst", 0, 10, "Pain is 0 to 10."),
        ]

    def __str__(self) -> str:
        return f"{self.get_timepoint_display()} outcomes"


class ProgrammeLink(models.Model):
    """One link token to the patient's programme pages; only its SHA-256 hash is stored.

    A token is made when an email is rendered (or staff copy a link) and works
    until `expires_at`; every link of a programme stops at once when the
    identity check locks (Programme.link_locked_at) or staff revoke them.
    """

    programme = models.ForeignKey("assessments.Programme", on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="assessments_programmelink_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"Programme link {self.pk}"
