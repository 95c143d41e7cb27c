from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.audit.tracking import audit_tracked
from patients.intake.choices import IntakeStatus


@audit_tracked
class IntakeInvitation(models.Model):
    """A patient's link to the online intake, bound to one patient and visit.

    Its links are IntakeLinkToken rows, one per emailed token; the
    invitation's expiry, lock and submission close all of them at once.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="intake_invitations"
    )
    appointment = models.ForeignKey(
        "patients.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_invitations",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(failed_checks__lte=50), name="patients_intakeinvitation_failed_checks_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"Intake invitation {self.pk} ({self.status})"

    @property
    def status(self) -> str:
        """Where the patient is with the intake, as the front desk sees it."""
        if self.submitted_at:
            return IntakeStatus.COMPLETED
        if self.revoked_at:
            return IntakeStatus.REVOKED
        if self.locked_at:
            return IntakeStatus.LOCKED
        if self.expires_at and self.expires_at <= timezone.now():
            return IntakeStatus.EXPIRED
        if self.started_at:
            return IntakeStatus.IN_PROGRESS
        if self.opened_at:
            return IntakeStatus.OPENED
        # Queued or delivered: the front desk's job is done either way;
        # sent_at tells when the email actually left.
        return IntakeStatus.SENT

    def get_status_display(self) -> str:
        return IntakeStatus(self.status).label


@audit_tracked
class IntakeLinkToken(models.Model):
    """One link token of an intake invitation; only its SHA-256 hash is stored.

    A token is made when an invitation email is rendered, so a resend adds
    one and earlier ones keep working until they expire or staff stop them
    (`revoked_at`). `issued_by` is the member of staff whose resend the email
    answered (None for the system's own emails: the booking's invitation, the
    nudges); `staff_issued` marks the patient's access through such a link.
    """

    invitation = models.ForeignKey(
        "patients.IntakeInvitation", on_delete=models.CASCADE, related_name="tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_issued = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="patients_intakelinktoken_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"Intake link {self.pk}"
