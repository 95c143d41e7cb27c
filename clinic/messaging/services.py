"""Outbox operations: schedule, move, cancel, claim and deliver messages.

Callers create, move and cancel rows inside the same transaction as the change
that causes them, so a reminder can never outlive the booking it is about.

Delivery is claim → attempt → send → record: the attempt (count and start
time) commits before the SMTP conversation, which runs outside any
transaction, and the outcome is recorded after it. A worker killed mid-send
leaves a row in `sending` that the lease reclaims; the resend carries the same
Message-ID, so mail systems recognise it.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.messaging.choices import UNSENT_STATUSES, MessageStatus
from clinic.messaging.emails import message_render
from clinic.messaging.models import OutboxHeartbeat, ScheduledMessage
from clinic.messaging.registry import MessageObsolete, address_refused, get_kind
from clinic.messaging.timing import quiet_hours_adjust

logger = logging.getLogger(__name__)

# The most rows one sweep claims, whatever room the queue has.
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
    time_zone: str | None = None,
) -> ScheduledMessage:
    """Queue a message under an idempotency key, or move the unsent row with that key.

    A key names one message (reminder keys carry what they are about, e.g. the
    appointment's sequence), so a row already sending or sent under it is left
    as it is and calling this twice never sends twice. A queued row goes back
    to pending at its new time; its task, if it runs, finds it no longer queued.
    Patient emails due later keep quiet hours in `time_zone` (the clinic's by
    default). Runs in a transaction of its own (or the caller's), which the
    row lock needs.
    """
    message_kind = get_kind(kind)
    now = timezone.now()
    if message_kind.patient_facing and due_at > now:
        due_at = quiet_hours_adjust(
            due_at,
            zone=time_zone or settings.CLINIC_TIME_ZONE,
            quiet=settings.MESSAGE_QUIET_HOURS,
            deadline=expires_at,
            now=now,
        )
    # get_or_create re-reads after a unique-key race, so two callers with a
    # new key end with one row rather than an IntegrityError.
    message, created = ScheduledMessage.objects.select_for_update().get_or_create(
        key=key, defaults={"kind": kind, "to_email": to, "due_at": due_at}
    )
    if not created and message.status not in {*UNSENT_STATUSES, MessageStatus.CANCELLED}:
        return message
    message.to_email = to
    message.due_at = due_at
    message.expires_at = expires_at
    message.status = MessageStatus.PENDING
    message.claimed_at = None
    message.next_attempt_at = None
    message.about_label = about.label if about else ""
    message.about_pk = about.pk if about else ""
    message.patient_id = patient_id
    message.full_clean()
    message.save()
    return message


def messages_cancel(
    *, about: About, kinds: list[str] | None = None, keep_keys: set[str] | None = None
) -> int:
    """Cancel the unsent messages about one object (optionally of some kinds).

    Queued rows are cancelled too: their task finds them cancelled and sends
    nothing. A row whose attempt has started (sending) cannot be recalled.
    `keep_keys` spares the rows the caller is about to (re)schedule.
    """
    query = ScheduledMessage.objects.filter(
        about_label=about.label, about_pk=about.pk, status__in=UNSENT_STATUSES
    )
    if kinds is not None:
        query = query.filter(kind__in=kinds)
    if keep_keys:
        query = query.exclude(key__in=keep_keys)
    return query.update(status=MessageStatus.CANCELLED, updated_at=timezone.now())


def message_cancel(*, key: str) -> bool:
    return bool(
        ScheduledMessage.objects.filter(key=key, status__in=UNSENT_STATUSES).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now()
        )
    )


def message_retry(*, message: ScheduledMessage) -> ScheduledMessage:
    """Put a failed message back in the queue, due now (staff retry button)."""
    if message.status != MessageStatus.FAILED:
        raise ValueError("Only a failed message can be retried.")
    message.status = MessageStatus.PENDING
    message.due_at = timezone.now()
    message.next_attempt_at = None
    message.failed_at = None
    message.attempts = 0
    message.last_error = ""
    message.save(
        update_fields=[
            "status",
            "due_at",
            "next_attempt_at",
            "failed_at",
            "attempts",
            "last_error",
            "updated_at",
        ]
    )
    return message


def heartbeat(name: str, at: datetime | None = None) -> None:
    OutboxHeartbeat.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})


def messages_claim_due(
    *, now: datetime | None = None, limit: int = CLAIM_BATCH, queue_empty: bool = False
) -> list[int]:
    """Claim due rows for sending (pending → queued) and return their ids.

    Rows are locked with SKIP LOCKED, so two dispatchers running at once claim
    disjoint sets. Three kinds of row are claimed, oldest first: pending rows
    due now (a retry once its `next_attempt_at` has come); rows stuck in
    `sending` past the lease (their worker died mid-send: the attempt is
    counted, and the last allowed one makes the row failed); and, when the
    caller saw the broker queue empty, rows queued longer than the grace
    period (their task was lost with the broker's data), or else longer than
    the lease. Rows past their expiry are marked expired instead.
    """
    now = now or timezone.now()
    if limit <= 0:
        return []
    lease_start = now - timedelta(seconds=settings.MESSAGE_SENDING_LEASE_SECONDS)
    grace_start = now - timedelta(seconds=settings.MESSAGE_QUEUED_GRACE_SECONDS)
    # One query per kind of row, each served by its own partial index.
    wanted = [
        Q(status=MessageStatus.SENDING, sending_since__lt=lease_start),
        Q(status=MessageStatus.PENDING, due_at__lte=now)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)),
    ]
    # A queued row whose task has not started: lost after the grace once the queue has
    # drained, and in any case after a whole lease (a backlog that never drains).
    lost_since = grace_start if queue_empty else lease_start
    wanted.insert(1, Q(status=MessageStatus.QUEUED, claimed_at__lt=lost_since))
    with transaction.atomic():
        rows: list[ScheduledMessage] = []
        for condition in wanted:
            if len(rows) >= limit:
                break
            rows += (
                ScheduledMessage.objects.select_for_update(skip_locked=True)
                .filter(condition)
                .order_by("due_at")
                .only("pk", "status", "attempts", "expires_at")[: limit - len(rows)]
            )
        expired = [m.pk for m in rows if m.expires_at is not None and m.expires_at <= now]
        spent = [
            m.pk
            for m in rows
            if m.pk not in expired
            and m.status == MessageStatus.SENDING
            and m.attempts >= settings.MESSAGE_MAX_ATTEMPTS
        ]
        claims = [m.pk for m in rows if m.pk not in expired and m.pk not in spent]
        ScheduledMessage.objects.filter(pk__in=expired).update(status=MessageStatus.EXPIRED, updated_at=now)
        ScheduledMessage.objects.filter(pk__in=spent).update(
            status=MessageStatus.FAILED,
            failed_at=now,
            last_error="Stopped: the last attempt did not finish (the worker was lost).",
            updated_at=now,
        )
        ScheduledMessage.objects.filter(pk__in=claims).update(
            status=MessageStatus.QUEUED, claimed_at=now, sending_since=None, updated_at=now
        )
    return claims


def retry_ids(message_ids: list[int]) -> set[int]:
    """Which of these rows have been attempted before (their sends take the priority queue)."""
    return set(
        ScheduledMessage.objects.filter(pk__in=message_ids, attempts__gt=0).values_list("pk", flat=True)
    )


class Delivery(Enum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class SmtpFault:
    """What went wrong with one attempt: the SMTP code (None without one) and text."""

    code: int | None
    text: str
    transient: bool
    recipient_refused: bool = False

    def describe(self) -> str:
        return (f"{self.code} " if self.code else "") + self.text


def _reply_text(raw: bytes | str) -> str:
    text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


def smtp_fault(exc: Exception) -> SmtpFault:
    """Classify a send failure; 4xx replies and dropped connections are worth a retry."""
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        codes = [code for code, _ in replies]
        text = "; ".join(_reply_text(reply) for _, reply in replies) or name
        code = max(codes) if codes else None
        transient = bool(codes) and all(400 <= c < 500 for c in codes)
        return SmtpFault(code, f"{name}: {text}", transient, recipient_refused=not transient)
    if isinstance(exc, smtplib.SMTPResponseException):
        transient = 400 <= exc.smtp_code < 500
        refused = isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError) and not transient
        return SmtpFault(
            exc.smtp_code,
            f"{name}: {_reply_text(exc.smtp_error)}",
            transient,
            recipient_refused=refused and exc.smtp_code in {550, 551, 553},
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SmtpFault(None, f"{name}: {exc}", True)
    if isinstance(exc, smtplib.SMTPException):
        # No reply code (e.g. no STARTTLS on the server): a setup fault, not busy.
        return SmtpFault(None, f"{name}: {exc}", False)
    # The send task's soft time limit cut the attempt short (a slow server, which may
    # have stored the message already): worth a retry, with the same Message-ID.
    transient = isinstance(exc, ConnectionError | TimeoutError | OSError | SoftTimeLimitExceeded)
    return SmtpFault(None, f"{name}: {exc}", transient)


def message_id_header(message_id: int) -> str:
    """The row's Message-ID, the same on every attempt."""
    return f"<outbox-{message_id}@{settings.MESSAGE_ID_DOMAIN}>"


def _retry_wait(attempts: int) -> timedelta:
    waits = settings.MESSAGE_RETRY_BACKOFF_SECONDS
    return timedelta(seconds=waits[min(attempts, len(waits)) - 1]) if waits else timedelta(0)


def message_attempt(*, message_id: int) -> tuple[ScheduledMessage, EmailMultiAlternatives] | Delivery:
    """Start one attempt: lock the row, check it still applies, render it and count the attempt.

    Only a queued row is attempted, so a task delivered twice (or a task for a
    row moved or cancelled since its claim) sends nothing. Commits before
    returning: the count survives whatever happens during the send.
    """
    now = timezone.now()
    with transaction.atomic():
        message = ScheduledMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return Delivery.SKIPPED
        if message.expires_at is not None and message.expires_at <= now:
            message.status = MessageStatus.EXPIRED
            message.save(update_fields=["status", "updated_at"])
            return Delivery.EXPIRED
        try:
            email = message_render(message)
        except MessageObsolete:
            message.status = MessageStatus.CANCELLED
            message.save(update_fields=["status", "updated_at"])
            return Delivery.CANCELLED
        email.extra_headers["Message-ID"] = message_id_header(message.pk)
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.sending_since = now
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "sending_since", "next_attempt_at", "updated_at"])
    return message, email


def message_record(
    *, message: ScheduledMessage, subject: str = "", fault: SmtpFault | None = None
) -> Delivery:
    """Record how an attempt ended, if the row is still the one that attempt started.

    A row reclaimed by the lease in the meantime (a new attempt started) is
    left to that attempt.
    """
    now = timezone.now()
    current = ScheduledMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, sending_since=message.sending_since
    )
    if fault is None:
        current.update(
            status=MessageStatus.SENT, sent_at=now, subject=subject[:200], last_error="", updated_at=now
        )
        heartbeat("delivery", now)
        return Delivery.SENT
    error = fault.describe()[:500]
    if fault.transient and message.attempts < settings.MESSAGE_MAX_ATTEMPTS:
        retry_at = now + _retry_wait(message.attempts)
        if get_kind(message.kind).patient_facing:
            retry_at = quiet_hours_adjust(
                retry_at,
                # The row does not record its location's zone; the clinic's is the rule.
                zone=settings.CLINIC_TIME_ZONE,
                quiet=settings.MESSAGE_QUIET_HOURS,
                deadline=message.expires_at,
                now=now,
            )
        current.update(
            status=MessageStatus.PENDING,
            next_attempt_at=retry_at,
            sending_since=None,
            claimed_at=None,
            last_error=error,
            updated_at=now,
        )
        return Delivery.RETRY
    if current.update(status=MessageStatus.FAILED, failed_at=now, last_error=error, updated_at=now) and (
        fault.recipient_refused and fault.code and 500 <= fault.code < 600
    ):
        address_refused(message, fault.code, fault.describe())
    return Delivery.FAILED


def message_deliver(*, message_id: int) -> Delivery:
    """Attempt, send and record one queued row (what the send task does)."""
    started = message_attempt(message_id=message_id)
    if isinstance(started, Delivery):
        return started
    message, email = started
    try:
        email.send()
    except Exception as exc:  # noqa: BLE001 -- any failure is recorded on the row
        fault = smtp_fault(exc)
        logger.warning(
            "Outbox message %s attempt %s failed: %s",
            message.pk,
            message.attempts,
            fault.code or type(exc).__name__,
        )
        return message_record(message=message, fault=fault)
    return message_record(message=message, subject=str(email.subject))
