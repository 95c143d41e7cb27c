"""The patient link to a programme's pages (the weekly check-in), one patient and one programme."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.audit.tracking import audit_tracked


@audit_tracked
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
