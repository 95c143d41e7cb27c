from django.db import models


class MessageStatus(models.TextChoices):
    """A row's place in the outbox.

    pending → queued (claimed by the dispatcher, its send task handed to the
    broker) → sending (an attempt has started and is counted) → sent. A
    transient failure puts the row back to pending with `next_attempt_at`;
    the last attempt or a permanent refusal makes it failed.
    """

    PENDING = "pending", "Pending"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


# Rows that may still go out: moving or cancelling what they are about touches these.
UNSENT_STATUSES = (MessageStatus.PENDING, MessageStatus.QUEUED)

# Rows still to go out or going out now: the outbox lists these first, soonest due first.
WAITING_STATUSES = (MessageStatus.PENDING, MessageStatus.QUEUED, MessageStatus.SENDING)
