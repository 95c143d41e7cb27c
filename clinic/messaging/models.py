from django.db import models
from django.db.models import Q

from clinic.messaging.choices import MessageStatus


class ScheduledMessage(models.Model):
    """One email the clinic will send, is sending, or has sent (the outbox).

    Rows refer to what they are about by model label and primary key, and to
    the patient by id, so the outbox needs no import of the apps above it.
    """

    kind = models.CharField(max_length=64)
    to_email = models.EmailField()
    about_label = models.CharField(max_length=100, blank=True)
    about_pk = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    due_at = models.DateTimeField()
    # Past this moment the message is pointless (e.g. a reminder for a visit
    # that has started) and is marked expired instead of sent late.
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    # Idempotency: kind + object + due slot, so a reminder can never be queued twice.
    key = models.CharField(max_length=200, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200, blank=True, help_text="Recorded when sent.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values),
                name="messaging_scheduledmessage_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENT) | Q(sent_at__isnull=False),
                name="messaging_scheduledmessage_sent_has_time",
            ),
        ]
        indexes = [
            # The dispatcher's sweep: pending rows ordered by due time.
            models.Index(
                fields=["due_at"],
                name="messaging_sm_due_pending",
                condition=Q(status=MessageStatus.PENDING),
            ),
            # Moving and cancelling the reminders of one appointment/programme.
            models.Index(fields=["about_label", "about_pk"], name="messaging_sm_about"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} at {self.due_at:%Y-%m-%d %H:%M} ({self.status})"
