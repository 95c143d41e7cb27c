"""The waitlist's Celery tasks: thin wrappers over its services."""

import logging

from celery import shared_task

from clinic.audit.tracking import history_context
from patients.booking.waitlist.services import waitlist_match_all, waitlist_match_freed

logger = logging.getLogger(__name__)


@shared_task(name="patients.waitlist_slot_freed")
def waitlist_slot_freed_task(*, appointment_id: int) -> int:
    """On a cancellation's commit: offer the freed time to the waitlist at once."""
    with history_context(task="patients.waitlist_slot_freed"):
        return waitlist_match_freed(appointment_id=appointment_id)


@shared_task(name="patients.waitlist_match")
def waitlist_match_task() -> int:
    """Beat, every minute: offer newly free times, close lapsed offers and entries."""
    with history_context(task="patients.waitlist_match"):
        return waitlist_match_all()


def waitlist_slot_freed_enqueue(*, appointment_id: int) -> None:
    """Queue the freed-time task (called on a cancellation's commit).

    A broker that cannot take it must not fail the patient's or the desk's
    request: the minute's match offers the time all the same.
    """
    try:
        waitlist_slot_freed_task.delay(appointment_id=appointment_id)
    except Exception:  # noqa: BLE001 -- any broker failure; the beat task covers it
        logger.warning(
            "Waitlist task for cancelled appointment %s not queued; the minute's match will offer it.",
            appointment_id,
        )
