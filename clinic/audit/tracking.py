"""Change history for patient and clinical models (see the package docstring)."""

import contextlib
from typing import Any, TypeVar

import pghistory
from django.db import connection, models

M = TypeVar("M", bound=type[models.Model])


def audit_trackers() -> tuple[pghistory.RowEvent, ...]:
    """The project's standard events: every insert, every real update, every delete.

    An update that changes nothing but `auto_now` fields records no event.
    Fresh instances per model: pghistory binds each tracker to one event model.
    """
    return (
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude_auto=True)),
        pghistory.DeleteEvent(),
    )


def audit_tracked(model: M) -> M:
    """Record every change of `model` in an append-only `<Model>AuditEvent` table.

    The event table lives in the model's own app (its migration is made there)
    and refuses UPDATE and DELETE at the database level. `instance.audit_events`
    lists an object's events; `clinic.audit.selectors.change_history` shows them.
    """
    return pghistory.track(
        *audit_trackers(),
        append_only=True,
        # "<Model>Event" is pghistory's default; the suffix keeps clear of domain
        # models of that name (patients.AppointmentEvent).
        model_name=f"{model.__name__}AuditEvent",
        obj_field=pghistory.ObjForeignKey(related_name="audit_events", related_query_name="audit_events"),
    )(model)


def history_context(**metadata: Any) -> contextlib.AbstractContextManager[object]:
    """Label the changes made inside the block, e.g. `with history_context(task="send_reminders"):`.

    Requests get user, URL and request id from AuditHistoryMiddleware; use this in
    Celery tasks and management commands. pghistory.context on PostgreSQL, a no-op
    on SQLite (where pghistory's SQL prefix would break every write).
    """
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    return pghistory.context(**metadata)
