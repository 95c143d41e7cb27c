from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from clinic.dbsearch import PrefixIndex, prefix
from clinic.messaging.choices import WAITING_STATUSES, MessageStatus


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
    # SMTP code and reply text of the last failure (the reply can name the address).
    last_error = models.CharField(max_length=500, blank=True)
    # When the dispatcher queued the row's send task (status queued).
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the current attempt started (status sending); past the lease it is stuck.
    sending_since = models.DateTimeField(null=True, blank=True)
    # A pending row waiting for a retry is not claimed before this.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
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
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENDING) | Q(sending_since__isnull=False),
                name="messaging_scheduledmessage_sending_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.FAILED) | Q(failed_at__isnull=False),
                name="messaging_scheduledmessage_failed_has_time",
            ),
        ]
        indexes = [
            # The dispatcher's sweep: pending rows ordered by due time.
            models.Index(
                fields=["due_at"],
                name="messaging_sm_due_pending",
                condition=Q(status=MessageStatus.PENDING),
            ),
            # The sweeps for lost tasks and stuck attempts.
            models.Index(
                fields=["status", "claimed_at"],
                name="messaging_sm_in_flight",
                condition=Q(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]),
            ),
            # Health: failures in the last day.
            models.Index(
                fields=["failed_at"],
                name="messaging_sm_failed",
                condition=Q(status=MessageStatus.FAILED),
            ),
            # Health: messages sent in the last day (sent rows are most of the table).
            models.Index(
                fields=["sent_at"],
                name="messaging_sm_sent",
                condition=Q(status=MessageStatus.SENT),
            ),
            # Health: messages that expired in the last day.
            models.Index(
                fields=["expires_at"],
                name="messaging_sm_expired",
                condition=Q(status=MessageStatus.EXPIRED),
            ),
            # The outbox page, newest due first, a page at a time after the last row shown.
            models.Index(fields=["due_at", "id"], name="messaging_sm_list"),
            # The outbox page filtered by status.
            models.Index(fields=["status", "due_at", "id"], name="messaging_sm_list_status"),
            # The outbox's default order: what is waiting, soonest due first (clinic.messaging.selectors).
            models.Index(
                fields=["due_at", "id"],
                name="messaging_sm_list_waiting",
                condition=Q(status__in=WAITING_STATUSES),
            ),
            # The outbox filtered by kind.
            models.Index(fields=["kind", "due_at", "id"], name="messaging_sm_list_kind"),
            # The outbox searched by recipient: an address or its start, in any case
            # (to_email__istartswith is UPPER(to_email) LIKE UPPER('abc%')).
            PrefixIndex(prefix(Upper("to_email")), name="messaging_sm_to_prefix"),
            # Moving and cancelling the reminders of one appointment/programme.
            models.Index(fields=["about_label", "about_pk"], name="messaging_sm_about"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} at {self.due_at:%Y-%m-%d %H:%M} ({self.status})"


class OutboxHeartbeat(models.Model):
    """When something last happened in the outbox, by name.

    "dispatch": the dispatcher's last sweep; "delivery": the last message an
    SMTP server accepted; "alert": the last failure alert to clinic admins.
    /healthz reads these to tell a stopped worker from a quiet day.
    """

    name = models.CharField(max_length=32, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
