"""Who treats a patient beyond what the diary shows, and reads outside the care team.

A therapist's care team (patients.careteam.selectors) is every patient they
have a visit, an assessment or a programme with, plus the patients a clinic
admin assigned to them (CareAssignment). Anyone else reads a record only by
"breaking the glass": an AccessGrant with a reason, which expires and waits
for a clinic admin's review.
"""

from django.db import models
from django.db.models import F, Q

from clinic.audit.tracking import audit_tracked


@audit_tracked
class CareAssignment(models.Model):
    """A clinic admin's (or the registering therapist's) assignment of a patient to a therapist."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="care_assignments")
    therapist = models.ForeignKey("staff.User", on_delete=models.PROTECT, related_name="care_assignments")
    assigned_by = models.ForeignKey("staff.User", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "therapist"],
                condition=Q(ended_at__isnull=True),
                name="patients_careassignment_one_open",
                violation_error_message="That therapist is already in this patient's care team.",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, ended_by__isnull=True)
                | Q(ended_at__isnull=False, ended_by__isnull=False),
                name="patients_careassignment_ended_with_who",
            ),
        ]
        indexes = [
            models.Index(fields=["therapist", "patient"], name="patients_careassign_therapist"),
        ]

    def __str__(self) -> str:
        return f"Care assignment {self.pk}"


@audit_tracked
class AccessGrant(models.Model):
    """A read of a record outside the care team ("break the glass"): who, why, until when.

    Made only by patients.careteam.services.access_grant_open; the read
    itself is in the access log as usual. A clinic admin reviews every grant.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey("staff.User", on_delete=models.PROTECT, related_name="access_grants")
    reason = models.TextField(max_length=1000)
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="patients_accessgrant_reason"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("granted_at")), name="patients_accessgrant_expires_after"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="patients_accessgrant_reviewed_with_who",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "patient", "expires_at"], name="patients_accessgrant_user"),
            # The admin's review list: unreviewed grants first, newest first.
            models.Index(
                fields=["-granted_at"],
                condition=Q(reviewed_at__isnull=True),
                name="patients_accessgrant_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Access grant {self.pk}"
