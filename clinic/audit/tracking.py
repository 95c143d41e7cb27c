"""Change history for patient and clinical models (see the package docstring)."""

import contextlib
from collections.abc import Sequence
from typing import Any, TypeVar

import pghistory
import pgtrigger
from django.db import connection, models

M = TypeVar("M", bound=type[models.Model])


def no_truncate() -> pgtrigger.Trigger:
    """A statement-level trigger that refuses TRUNCATE (row-level DELETE triggers never see one).

    pgtrigger's Protect has no statement-level TRUNCATE form, hence a plain
    trigger. `manage.py flush` (the test runner's reset) passes it through
    clinic.audit's `flush` command.
    """
    return pgtrigger.Trigger(
        name="no_truncate",
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
    )


def audit_trackers(*, exclude: Sequence[str] = ()) -> tuple[pghistory.RowEvent, ...]:
    """The project's standard events: every insert, every real update, every delete.

    An update that changes nothing but `auto_now` fields (or the `exclude`d
    ones) records no event. Fresh instances per model: pghistory binds each
    tracker to one event model.
    """
    return (
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=list(exclude), exclude_auto=True)),
        pghistory.DeleteEvent(),
    )


def audit_track(
    model: M,
    *,
    exclude: Sequence[str] = (),
    app_label: str | None = None,
    model_name: str | None = None,
) -> M:
    """Record every change of `model` in an append-only `<Model>AuditEvent` table.

    `exclude` names fields that are neither copied into the events nor make an
    update an event (secrets, drafts, sign-in times). `app_label` puts the event
    table of a proxy of another package's model (django-otp's devices) in one
    of ours. The event table refuses UPDATE, DELETE and TRUNCATE at the
    database level.
    """
    tracked = [f.name for f in (model._meta.concrete_model or model)._meta.local_fields]
    return pghistory.track(
        *audit_trackers(exclude=[name for name in exclude if name in tracked]),
        exclude=list(exclude),
        append_only=True,
        # "<Model>Event" is pghistory's default; the suffix keeps clear of domain
        # models of that name (patients.AppointmentEvent).
        model_name=model_name or f"{model.__name__}AuditEvent",
        app_label=app_label,
        obj_field=pghistory.ObjForeignKey(related_name="audit_events", related_query_name="audit_events"),
        meta={"triggers": [no_truncate()]},
    )(model)


def audit_tracked(model: M | None = None, /, *, exclude: Sequence[str] = ()) -> Any:
    """Class decorator: `@audit_tracked`, or `@audit_tracked(exclude=[...])` (see audit_track).

    `instance.audit_events` lists an object's events;
    `clinic.audit.selectors.change_history` shows them.
    """
    if model is None:
        return lambda cls: audit_track(cls, exclude=exclude)
    return audit_track(model, exclude=exclude)


def history_context(**metadata: Any) -> contextlib.AbstractContextManager[object]:
    """Label the changes made inside the block, e.g. `with history_context(task="send_reminders"):`.

    Requests get user, URL and request id from AuditHistoryMiddleware; use this in
    Celery tasks and management commands. pghistory.context on PostgreSQL, a no-op
    on SQLite (where pghistory's SQL prefix would break every write).
    """
    if connection.vendor != "postgresql":
        return contextlib.nullcontext()
    return pghistory.context(**metadata)
