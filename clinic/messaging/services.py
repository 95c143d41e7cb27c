"""Outbox operations: schedule, move, cancel, claim and deliver messages.

Callers create, move and cancel rows inside the same transaction as the change
that causes them, so a reminder can never outlive the booking it is about.
"""

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageObsolete, get_kind

CLAIM_BATCH = 200


@dataclass(frozen=True)
class About:
    """What a message is about, by label and primary key."""

    label: str
    pk: str

    @classmethod
    def of(cls, obj: models.Model) -> "About":
        return cls(label=obj._meta.label_lower, pk=str(obj.pk))


@transaction.atomic
def schedule_message(
    *,
    kind: str,
    to: str,
    due_at: datetime,
    key: str,
    about: About | None = None,
    patient_id: int | None = None,
    expires_at: datetime | None = None,
) -> ScheduledMessage:
    """Queue a message; with an existing key, move the pending row instead.

    A row already sent (or sending) under the key is left as it is, so calling
    this twice never sends twice. Runs in a transaction of its own (or the
    caller's), which the row lock needs.
    """
    get_kind(kind)
    # get_or_create re-reads after a unique-key race, so two callers with a
    # new key end with one row rather than an IntegrityError.
    message, created = ScheduledMessage.objects.select_for_update().get_or_create(
        key=key, defaults={"kind": kind, "to_email": to, "due_at": due_at}
    )
    if not created and message.status not in {MessageStatus.PENDING, MessageStatus.CANCELLED}:
        return message
    message.to_email = to
    message.due_at = due_at
    message.expires_at = expires_at
    message.status = MessageStatus.PENDING
    message.about_label = about.label if about else ""
    message.about_pk = about.pk if about else ""
    message.patient_id = patient_id
    message.full_clean()
    message.save()
    return message


def message_move(*, key: str, due_at: datetime, expires_at: datetime | None = None) -> bool:
    """Move a pending message to a new due time (e.g. the visit was rescheduled)."""
    return bool(
        ScheduledMessage.objects.filter(key=key, status=MessageStatus.PENDING).update(
            due_at=due_at, expires_at=expires_at, updated_at=timezone.now()
        )
    )


def messages_cancel(*, about: About, kinds: list[str] | None = None) -> int:
    """Cancel the pending messages about one object (optionally of some kinds)."""
    query = ScheduledMessage.objects.filter(
        about_label=about.label, about_pk=about.pk, status=MessageStatus.PENDING
    )
    if kinds is not None:
        query = query.filter(kind__in=kinds)
    return query.update(status=MessageStatus.CANCELLED, updated_at=timezone.now())


def message_cancel(*, key: str) -> bool:
    return bool(
        ScheduledMessage.objects.filter(key=key, status=MessageStatus.PENDING).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
    )


def message_retry(*, message: ScheduledMessage) -> ScheduledMessage:
    """Put a failed message back in the queue, due now (staff retry button)."""
    if message.status != MessageStatus.FAILED:
        raise ValueError("Only a failed message can be retried.")
    message.status = MessageStatus.PENDING
    message.due_at = timezone.now()
    message.attempts = 0
    message.last_error = ""
    message.save(update_fields=["status", "due_at", "attempts", "last_error", "updated_at"])
    return message


def messages_claim_due(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim due rows for sending and return their ids.

    Rows are locked with SKIP LOCKED, so two dispatchers running at once claim
    disjoint sets. A row stuck in `sending` past the lease (its worker died) is
    claimed again. Rows past their expiry are marked expired instead.
    """
    now = now or timezone.now()
    lease_start = now - timedelta(seconds=settings.MESSAGE_SENDING_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            ScheduledMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=MessageStatus.PENDING, due_at__lte=now)
                | Q(status=MessageStatus.SENDING, claimed_at__lt=lease_start)
            )
            .order_by("due_at")[:limit]
        )
        expired = [m.pk for m in rows if m.expires_at is not None and m.expires_at <= now]
        claimed = [m.pk for m in rows if m.pk not in expired]
        ScheduledMessage.objects.filter(pk__in=expired).update(status=MessageStatus.EXPIRED, updated_at=now)
        ScheduledMessage.objects.filter(pk__in=claimed).update(
            status=MessageStatus.SENDING, claimed_at=now, updated_at=now
        )
    return claimed


class Delivery(Enum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    CANCELLED = "cancelled"


# SMTP replies worth trying again later (4xx: the server is busy or limited).
def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        # No reply code (e.g. no STARTTLS on the server): a setup fault, not busy.
        return False
    return isinstance(exc, ConnectionError | TimeoutError | OSError)


def _describe(exc: Exception) -> str:
    # Class and SMTP code only: server replies can echo addresses back.
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:300]


def message_deliver(*, message_id: int, final_attempt: bool) -> Delivery:
    """Send one claimed row and record the outcome.

    The row is locked while it is sent, and only a row still in `sending` is
    sent, so a task delivered twice sends one email. A transient failure
    leaves the row in `sending` for a retry unless this is the final attempt,
    which marks it failed; a permanent failure marks it failed at once.
    """
    with transaction.atomic():
        message = ScheduledMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.SENDING:
            return Delivery.SKIPPED
        message.attempts += 1
        try:
            email = message_render(message)
            email.send()
        except MessageObsolete:
            message.status = MessageStatus.CANCELLED
            message.save(update_fields=["status", "attempts", "updated_at"])
            return Delivery.CANCELLED
        except Exception as exc:  # noqa: BLE001 -- any failure is recorded on the row
            message.last_error = _describe(exc)
            transient = _is_transient(exc)
            if not transient or final_attempt:
                message.status = MessageStatus.FAILED
            else:
                # Keep the claim fresh so the lease sweeper leaves the retry alone.
                message.claimed_at = timezone.now()
            message.save(update_fields=["status", "attempts", "last_error", "claimed_at", "updated_at"])
            return Delivery.RETRY if transient and not final_attempt else Delivery.FAILED
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.subject = email.subject[:200]
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "subject", "attempts", "last_error", "updated_at"])
        return Delivery.SENT
