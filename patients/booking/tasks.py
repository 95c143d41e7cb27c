"""Booking's Celery tasks: thin wrappers over its services."""

from celery import shared_task

from clinic.audit.tracking import history_context
from patients.booking.services import holds_release_expired


@shared_task(name="patients.booking_holds_release")
def holds_release_task() -> int:
    """Beat, every minute: free the online holds nobody confirmed in time, so the calendar clears."""
    with history_context(task="patients.booking_holds_release"):
        return holds_release_expired()
