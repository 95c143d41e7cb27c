from django.db import models
from django.db.models import F, Q

from clinic.audit.tracking import audit_tracked


@audit_tracked
class AppointmentLink(models.Model):
    """One emailed manage link of an appointment (cancel or move it); only the SHA-256 hash is stored.

    Made when a confirmation or rescheduled email is rendered, so each email
    carries its own; a token reaches exactly its one appointment.
    """

    appointment = models.ForeignKey(
        "patients.Appointment", on_delete=models.CASCADE, related_name="manage_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("issued_at")),
                name="patients_appointmentlink_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"Manage link {self.pk}"
