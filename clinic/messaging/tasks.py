"""The outbox's Celery tasks: the dispatcher (beat) and one send per row."""

from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import ChannelError

from clinic.celery import app
from clinic.messaging.health import outbox_alert_check
from clinic.messaging.services import (
    CLAIM_BATCH,
    heartbeat,
    message_deliver,
    messages_claim_due,
    retry_ids,
)


def _queue_depth(queue: str) -> int | None:
    """Send tasks waiting in the broker queue, or None when the broker cannot say."""
    try:
        with app.connection_for_read() as conn:
            return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
    except ChannelError as exc:
        # Redis keeps a queue as a list, which it deletes when the last task is
        # taken (or the broker loses its data): "not found" there means empty.
        if "NOT_FOUND" in str(exc):
            return 0
        return None
    except Exception:  # noqa: BLE001 -- an unknown depth only makes the sweep cautious
        return None


def _enqueue(message_id: int, *, retry: bool) -> None:
    # Retries skip the backlog of first sends.
    queue = settings.MESSAGE_PRIORITY_QUEUE if retry else settings.CELERY_TASK_DEFAULT_QUEUE
    send_message_task.apply_async(kwargs={"message_id": message_id}, queue=queue)


@shared_task(name="messaging.dispatch_due")
def dispatch_due_task() -> int:
    """Beat, every MESSAGE_DISPATCH_INTERVAL s: claim due outbox rows and enqueue one send each.

    Claims no more than the room left in the broker queue, so a backlog waits
    in the database (where it can be moved or cancelled), not in the broker.
    With the queue empty, rows queued past the grace period lost their task
    and are queued again. Each sweep records a heartbeat for /healthz.
    """
    depth = _queue_depth(settings.CELERY_TASK_DEFAULT_QUEUE)
    room = (
        CLAIM_BATCH if depth is None else max(0, min(CLAIM_BATCH, settings.MESSAGE_QUEUE_MAX_DEPTH - depth))
    )
    claimed = messages_claim_due(limit=room, queue_empty=depth == 0)
    retries = retry_ids(claimed)
    for message_id in claimed:
        # The claim has committed by now; on_commit also covers callers
        # that run this inside a transaction.
        transaction.on_commit(partial(_enqueue, message_id, retry=message_id in retries))
    heartbeat("dispatch")
    # Trouble (failures, stuck attempts, an old backlog) emails the clinic admins
    # directly, at most once per OUTBOX_ALERT_INTERVAL_SECONDS; it never raises.
    outbox_alert_check()
    return len(claimed)


@shared_task(
    name="messaging.send_message",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.MESSAGE_SEND_TIME_LIMIT,
    # The attempt is cut a little before the hard limit so its outcome (a retry) is
    # recorded: 10 s before it, or a quarter of a short limit (2 s of 3), never most of it.
    soft_time_limit=max(
        1, settings.MESSAGE_SEND_TIME_LIMIT - min(10, max(1, settings.MESSAGE_SEND_TIME_LIMIT // 4))
    ),
)
def send_message_task(message_id: int) -> str:
    """Send one queued row. A transient failure puts the row back in the
    outbox with its retry time; the dispatcher queues the retry."""
    return message_deliver(message_id=message_id).value
