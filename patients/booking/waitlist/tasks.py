"""The waitlist's Celery tasks: thin wrappers over its services."""

from celery import shared_task

from clinic.audit.tracking import history_context
from patients.booking.waitlist.services import waitlist_match_all, waitlist_match_freed


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
