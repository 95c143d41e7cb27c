"""Programme alerts: what the rules raise for the therapist to resolve."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models.base import choice_valid
from assessments.models.checkin import CheckIn
from assessments.programmes.choices import AlertKind
from clinic.audit.tracking import audit_tracked


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
    # What an alert without a check-in is about, so raising it again finds it (e.g.
    # "training:training_acwr:2026-11-23"); "" for the check-in's and bone-stress alerts.
    key = models.CharField(max_length=80, blank=True, default="")

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
            models.UniqueConstraint(
                fields=["programme", "key"],
                condition=~Q(key=""),
                name="assessments_programmealert_once_per_key",
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
