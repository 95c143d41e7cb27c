"""The return-to-run ladder: readiness checks and each step decided (domain.md §8.3–8.4)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models.base import choice_valid, in_range
from assessments.programmes.choices import LadderAction
from assessments.programmes.rules import RUN_LADDER
from clinic.audit.tracking import audit_tracked


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

    Every decision is a step; the next decision reads only the check-ins
    sent since the last step (`at`), less those it read (`checkin_weeks`).
    `after_week` is the latest sent check-in's week when the step was taken.
    An override records who made it and why.
    """

    programme = models.ForeignKey(
        "assessments.Programme", on_delete=models.PROTECT, related_name="ladder_steps"
    )
    action = models.CharField(max_length=10, choices=LadderAction.choices)
    from_stage = models.PositiveSmallIntegerField()
    to_stage = models.PositiveSmallIntegerField()
    after_week = models.PositiveSmallIntegerField(default=0)
    # The weeks of the check-ins this decision read (none for a therapist's step).
    checkin_weeks = models.JSONField(default=list, blank=True)
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
