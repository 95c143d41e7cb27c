"""Booking's Celery tasks: thin wrappers over its services."""

from celery import shared_task

from clinic.audit.tracking import history_context
from patients.booking.online.verification import verifications_purge
from patients.booking.services import holds_release_expired


@shared_task(name="patients.booking_holds_release")
def holds_release_task() -> int:
    """Beat, every minute: free the online holds nobody confirmed in time, so the calendar clears.

    Also deletes online booking attempts past their keeping time (verifications_purge).
    """
    with history_context(task="patients.booking_holds_release"):
        released = holds_release_expired()
        verifications_purge()
        return released
