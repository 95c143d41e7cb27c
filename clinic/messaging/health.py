"""Outbox health: whether the reminders that fell due went out, in numbers and words.

`outbox_health` reads the numbers (a handful of cheap queries, each served by
a partial index of ScheduledMessage); `health_problems` turns them into plain
words against the thresholds in settings, with no database access. /healthz,
/healthz/outbox and the Outbox page show the result; `outbox_alert_check`,
run by the dispatcher on each sweep, emails the clinic admins when it is bad.
None of it carries an address, a name or anything else about a patient.
"""

import contextlib
import logging
import smtplib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone, translation

from clinic.messaging.choices import MessageStatus
from clinic.messaging.emails import render_email_parts
from clinic.messaging.letterhead import letterhead_email
from clinic.messaging.models import OutboxHeartbeat, ScheduledMessage
from clinic.staff.roles import clinic_admin_emails

logger = logging.getLogger(__name__)

DAY = timedelta(hours=24)
# OutboxHeartbeat names (see the model).
DISPATCH = "dispatch"
DELIVERY = "delivery"
ALERT = "alert"
# Seconds the alert waits for the mail server at most (EMAIL_TIMEOUT if shorter).
ALERT_SMTP_TIMEOUT = 10


class Severity(StrEnum):
    """The page's three states: green, amber, red (always shown with words too)."""

    OK = "ok"
    ATTENTION = "attention"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Thresholds:
    """When the outbox counts as degraded (see the "Outbox health" settings)."""

    max_overdue_seconds: int
    dispatch_stale_seconds: int
    max_stuck: int
    max_failed_24h: int
    # An attempt older than this is stuck (MESSAGE_SENDING_LEASE_SECONDS).
    sending_lease_seconds: int

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            max_overdue_seconds=settings.OUTBOX_HEALTH_MAX_OVERDUE_SECONDS,
            dispatch_stale_seconds=settings.OUTBOX_HEALTH_DISPATCH_STALE_SECONDS,
            max_stuck=settings.OUTBOX_HEALTH_MAX_STUCK,
            max_failed_24h=settings.OUTBOX_HEALTH_MAX_FAILED_24H,
            sending_lease_seconds=settings.MESSAGE_SENDING_LEASE_SECONDS,
        )


@dataclass(frozen=True)
class OutboxHealth:
    """The outbox at one moment. Counts only: no recipient, kind or patient."""

    checked_at: datetime
    # Rows due by now and not yet sent (pending, queued or sending).
    backlog: int
    # How long ago the oldest of them fell due; None without a backlog.
    oldest_due_age_seconds: int | None
    # Pending rows of the backlog waiting for a retry after a transient failure.
    retry_waiting: int
    queued_count: int
    # Attempts that started longer ago than the lease (their worker died mid-send).
    stuck_sending: int
    failed_24h: int
    sent_24h: int
    expired_24h: int
    # Rows due in the last 24 h that did not go out: failed, expired or still unsent.
    due_24h_not_sent: int
    last_dispatch_at: datetime | None
    last_delivery_at: datetime | None
    last_alert_at: datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def severity(self) -> Severity:
        if self.problems:
            return Severity.PROBLEM
        if self.failed_24h or self.expired_24h or self.retry_waiting:
            return Severity.ATTENTION
        return Severity.OK

    @property
    def severity_label(self) -> str:
        return {
            Severity.OK: "All clear",
            Severity.ATTENTION: "Needs attention",
            Severity.PROBLEM: "Not working",
        }[self.severity]

    @property
    def oldest_due_at(self) -> datetime | None:
        if self.oldest_due_age_seconds is None:
            return None
        return self.checked_at - timedelta(seconds=self.oldest_due_age_seconds)

    @property
    def summary(self) -> str:
        """One sentence for the top of the Outbox page."""
        if self.problems:
            return "Reminders are not going out as they should."
        if self.failed_24h or self.expired_24h or self.retry_waiting:
            return (
                "Sending works, but some messages have not gone out: "
                "they failed, expired or are waiting to be tried again."
            )
        return "Every message due in the last 24 hours went out or is on its way."

    def as_json(self) -> dict[str, object]:
        """The numbers for /healthz/outbox (times as ISO 8601 UTC)."""
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, datetime):
                data[name] = value.isoformat()
        return {"status": "ok" if self.ok else "degraded", **data}


def _minutes(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 120:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    return f"{minutes // 60} hours"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def health_problems(
    *,
    now: datetime,
    oldest_due_age_seconds: int | None,
    backlog: int,
    stuck_sending: int,
    failed_24h: int,
    last_dispatch_at: datetime | None,
    thresholds: Thresholds,
) -> list[str]:
    """What is wrong, in plain words; empty when every threshold holds (pure)."""
    problems = []
    if last_dispatch_at is None:
        problems.append("The dispatcher has never run: are the Celery worker and beat running?")
    else:
        quiet = (now - last_dispatch_at).total_seconds()
        if quiet > thresholds.dispatch_stale_seconds:
            problems.append(
                f"The dispatcher last ran {_minutes(quiet)} ago: are the Celery worker and beat running?"
            )
    if oldest_due_age_seconds is not None and oldest_due_age_seconds > thresholds.max_overdue_seconds:
        problems.append(
            f"{_plural(backlog, 'message is', 'messages are')} waiting to be sent; "
            f"the oldest fell due {_minutes(oldest_due_age_seconds)} ago."
        )
    if stuck_sending > thresholds.max_stuck:
        problems.append(
            f"{_plural(stuck_sending, 'message has', 'messages have')} been sending for longer "
            f"than {_minutes(thresholds.sending_lease_seconds)} (a worker stopped mid-send)."
        )
    if failed_24h > thresholds.max_failed_24h:
        problems.append(f"{_plural(failed_24h, 'message', 'messages')} failed in the last 24 hours.")
    return problems


def outbox_health(now: datetime | None = None, *, thresholds: Thresholds | None = None) -> OutboxHealth:
    """Read the outbox's numbers at `now` (default: the current time).

    Six queries, none over every sent row: the backlog through the pending
    and in-flight partial indexes, failures through messaging_sm_failed, and
    the last day's sent and expired rows through messaging_sm_sent and
    messaging_sm_expired.
    """
    now = now or timezone.now()
    thresholds = thresholds or Thresholds.from_settings()
    day_ago = now - DAY
    lease_start = now - timedelta(seconds=thresholds.sending_lease_seconds)
    rows = ScheduledMessage.objects
    in_flight = [MessageStatus.QUEUED, MessageStatus.SENDING]
    in_day = Q(due_at__gte=day_ago, due_at__lte=now)

    # One branch per partial index, so PostgreSQL can combine the two.
    unsent = rows.filter(
        Q(status=MessageStatus.PENDING, due_at__lte=now) | Q(status__in=in_flight, due_at__lte=now)
    ).aggregate(
        backlog=Count("pk"),
        oldest=Min("due_at"),
        in_day=Count("pk", filter=in_day),
        retry_waiting=Count("pk", filter=Q(status=MessageStatus.PENDING, next_attempt_at__gt=now)),
    )
    flight = rows.filter(status__in=in_flight).aggregate(
        queued=Count("pk", filter=Q(status=MessageStatus.QUEUED)),
        stuck=Count("pk", filter=Q(status=MessageStatus.SENDING, sending_since__lt=lease_start)),
    )
    # A row fails after it falls due, so failed_at bounds the rows due in the day as well.
    failed = rows.filter(status=MessageStatus.FAILED, failed_at__gte=day_ago, failed_at__lte=now).aggregate(
        total=Count("pk"), in_day=Count("pk", filter=in_day)
    )
    # Expired rows count from their expiry, the moment they stopped being worth sending.
    expired = rows.filter(
        status=MessageStatus.EXPIRED, expires_at__gte=day_ago, expires_at__lte=now
    ).aggregate(total=Count("pk"), in_day=Count("pk", filter=in_day))
    sent_24h = rows.filter(status=MessageStatus.SENT, sent_at__gte=day_ago, sent_at__lte=now).count()
    beats = dict(
        OutboxHeartbeat.objects.filter(name__in=[DISPATCH, DELIVERY, ALERT]).values_list("name", "at")
    )

    oldest = unsent["oldest"]
    oldest_age = max(0, int((now - oldest).total_seconds())) if oldest is not None else None
    return OutboxHealth(
        checked_at=now,
        backlog=unsent["backlog"],
        oldest_due_age_seconds=oldest_age,
        retry_waiting=unsent["retry_waiting"],
        queued_count=flight["queued"],
        stuck_sending=flight["stuck"],
        failed_24h=failed["total"],
        sent_24h=sent_24h,
        expired_24h=expired["total"],
        due_24h_not_sent=unsent["in_day"] + failed["in_day"] + expired["in_day"],
        last_dispatch_at=beats.get(DISPATCH),
        last_delivery_at=beats.get(DELIVERY),
        last_alert_at=beats.get(ALERT),
        problems=health_problems(
            now=now,
            oldest_due_age_seconds=oldest_age,
            backlog=unsent["backlog"],
            stuck_sending=flight["stuck"],
            failed_24h=failed["total"],
            last_dispatch_at=beats.get(DISPATCH),
            thresholds=thresholds,
        ),
    )


# --- The alert to clinic admins -------------------------------------------------------------


def alert_due(health: OutboxHealth, *, thresholds: Thresholds, failed_threshold: int) -> bool:
    """Whether the numbers call for an alert (pure).

    Many failures, stuck attempts or an old backlog. A stale dispatcher is
    left out: the dispatcher itself runs this check, so it is not stale.
    """
    overdue = (
        health.oldest_due_age_seconds is not None
        and health.oldest_due_age_seconds > thresholds.max_overdue_seconds
    )
    return health.failed_24h >= failed_threshold or health.stuck_sending > thresholds.max_stuck or overdue


@dataclass(frozen=True)
class _AlertSlot:
    taken: bool
    # The last alert's time before this one took the slot (None: the first alert).
    previous: datetime | None = None


def _alert_slot_take(now: datetime) -> _AlertSlot:
    """Take the right to send the alert, unless an alert went out within the interval.

    The "alert" heartbeat row is locked, so of two dispatchers sweeping at once
    one takes the slot and the other then sees the new time.
    """
    cutoff = now - timedelta(seconds=settings.OUTBOX_ALERT_INTERVAL_SECONDS)
    with transaction.atomic():
        row = OutboxHeartbeat.objects.select_for_update().filter(name=ALERT).first()
        if row is None:
            # A concurrent first alert makes get_or_create find that row instead.
            _, created = OutboxHeartbeat.objects.get_or_create(name=ALERT, defaults={"at": now})
            return _AlertSlot(taken=created)
        if row.at > cutoff:
            return _AlertSlot(taken=False)
        previous = row.at
        row.at = now
        row.save(update_fields=["at"])
        return _AlertSlot(taken=True, previous=previous)


def _alert_slot_release(now: datetime, slot: _AlertSlot) -> None:
    """No alert went out after all: let the next sweep try again."""
    taken = OutboxHeartbeat.objects.filter(name=ALERT, at=now)
    if slot.previous is None:
        taken.delete()
    else:
        taken.update(at=slot.previous)


def outbox_alert_check(now: datetime | None = None) -> bool:
    """Email the clinic admins when the outbox is in trouble; True when an alert went out.

    Called by the dispatcher on every sweep. Sends when failures in the last
    24 h reach OUTBOX_ALERT_FAILED_THRESHOLD, or attempts are stuck, or the
    backlog is older than the overdue threshold, and no alert went out within
    OUTBOX_ALERT_INTERVAL_SECONDS. The email goes straight to the mail server
    (not through the outbox, where it would wait behind the backlog) and holds
    counts and a link to the Outbox page only. A failure to send is logged and
    never raised, so it cannot stop the dispatcher.
    """
    now = now or timezone.now()
    try:
        thresholds = Thresholds.from_settings()
        health = outbox_health(now, thresholds=thresholds)
        if not alert_due(
            health, thresholds=thresholds, failed_threshold=settings.OUTBOX_ALERT_FAILED_THRESHOLD
        ):
            return False
        recipients = clinic_admin_emails()
        if not recipients:
            logger.warning("Outbox alert due but there is no active clinic admin to send it to.")
            return False
        slot = _alert_slot_take(now)
        if not slot.taken:
            return False
    except Exception:
        logger.exception("Outbox alert check failed.")
        return False
    try:
        sent = _alert_send(health, recipients)
    except Exception:
        logger.exception("Outbox alert could not be prepared.")
        sent = False
    if not sent:
        # Nothing went out: the next sweep tries again.
        try:
            _alert_slot_release(now, slot)
        except Exception:
            logger.exception("Outbox alert: could not release the alert slot.")
    return sent


def _alert_send(health: OutboxHealth, recipients: list[str]) -> bool:
    """Send the alert to each address over one connection; True when any went out.

    One email per admin, so one refused address does not keep the others from
    theirs. A mail server that does not answer stops the round at once (with a
    short timeout), so the dispatcher is not held up trying every address.
    """
    context = {
        "health": health,
        "outbox_url": f"{settings.SITE_URL}{reverse('messaging:outbox')}",
        "interval": _minutes(settings.OUTBOX_ALERT_INTERVAL_SECONDS),
    }
    # To staff: in the clinic's language, on the letterhead like every email.
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = render_email_parts("outbox-alert", context)
    connection = get_connection(timeout=min(settings.EMAIL_TIMEOUT, ALERT_SMTP_TIMEOUT))
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 -- logged without server details; the sweep goes on
        logger.warning("Outbox alert not sent: the mail server did not answer (%s).", type(exc).__name__)
        return False
    delivered = 0
    try:
        for position, address in enumerate(recipients, start=1):
            try:
                letterhead_email(
                    subject=subject, text=text, html=html, to=[address], connection=connection
                ).send()
            except smtplib.SMTPRecipientsRefused as exc:
                codes = sorted({code for code, _ in exc.recipients.values()})
                logger.warning(
                    "Outbox alert to clinic admin %s of %s refused: %s",
                    position,
                    len(recipients),
                    ", ".join(str(code) for code in codes),
                )
            except Exception as exc:  # noqa: BLE001 -- as above
                logger.warning(
                    "Outbox alert stopped at clinic admin %s of %s: %s",
                    position,
                    len(recipients),
                    getattr(exc, "smtp_code", None) or type(exc).__name__,
                )
                break
            else:
                delivered += 1
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    if delivered:
        logger.warning(
            "Outbox alert sent to %s clinic admin(s): %s failed in 24 h, %s stuck, backlog %s.",
            delivered,
            health.failed_24h,
            health.stuck_sending,
            health.backlog,
        )
    return bool(delivered)
