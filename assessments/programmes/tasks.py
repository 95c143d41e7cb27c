"""Celery tasks of the clinical record: thin wrappers over services."""

from celery import shared_task

from assessments.programmes.services.reminders import programme_reminders_top_up
from clinic.audit.tracking import history_context


@shared_task(name="assessments.programme_reminders_top_up")
def programme_reminders_top_up_task() -> int:
    """Daily: extend each active programme's home-exercise reminders to the 14-day horizon."""
    with history_context(task="assessments.programme_reminders_top_up"):
        return programme_reminders_top_up()
