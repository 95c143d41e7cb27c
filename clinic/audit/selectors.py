"""Read queries over the audit trail."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone
from pghistory.models import Events

from clinic.audit.models import AccessEvent


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


@dataclass(frozen=True)
class PatientDirectory:
    """How the audit log finds patients by name and names them, without importing `patients`.

    The audit trail stores only a patient's id (this app sits below
    `patients`), so the patients app registers these two functions when it
    starts (patients.apps): `search(query, limit)` gives the ids of the
    patients matching a search as the patient list finds them, archived ones
    included; `names(ids)` gives each id's display name.
    """

    search: Callable[[str, int], list[int]]
    names: Callable[[Iterable[int]], dict[int, str]]


_directory: list[PatientDirectory] = []

# At most this many patients match a name search of the audit log; more asks for a narrower search.
PATIENT_MATCHES_MAX = 50


def register_patient_directory(directory: PatientDirectory) -> None:
    _directory[:] = [directory]


def patients_matching(query: str) -> list[int]:
    """The ids of the patients a search finds (at most PATIENT_MATCHES_MAX + 1, so "too many" can be told)."""
    if not _directory or not query.strip():
        return []
    return _directory[0].search(query, PATIENT_MATCHES_MAX + 1)


def patient_names(ids: Iterable[int]) -> dict[int, str]:
    """Each patient id's name, as far as the patients app knows it (none without it)."""
    wanted = {int(i) for i in ids}
    if not _directory or not wanted:
        return {}
    return _directory[0].names(wanted)


def access_events(
    *,
    patient_ids: Iterable[int] | None = None,
    patient_id: int | None = None,
    user_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessEvent]:
    """Access rows, newest first; dates are whole days in the current (clinic) time zone.

    `patient_ids` limits the rows to those patients (a name search's matches:
    each id is a range of index audit_accessevent_patient).
    """
    rows = AccessEvent.objects.select_related("user")
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    if patient_id is not None:
        rows = rows.filter(patient_id=patient_id)
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    if date_from is not None:
        rows = rows.filter(occurred_at__gte=_local_midnight(date_from))
    if date_to is not None:
        rows = rows.filter(occurred_at__lt=_local_midnight(date_to + timedelta(days=1)))
    return rows.order_by("-occurred_at", "-pk")


@dataclass(frozen=True)
class Change:
    """One row of a record's change history, ready to show."""

    at: datetime
    model: str
    label: str
    object_pk: str | None
    diff: dict[str, list[object]]
    user: object | None
    url: str | None
    request_id: str | None


def change_history(*, obj: models.Model, limit: int = 500) -> list[Change]:
    """Changes of `obj` and of every tracked row that refers to it (by a foreign key), newest first.

    Empty on SQLite (the embedded default), where no triggers record changes.
    """
    if connection.vendor != "postgresql":
        return []
    events = list(Events.objects.references(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = get_user_model()._default_manager.in_bulk(user_ids) if user_ids else {}
    changes = []
    for event in events:
        context = event.pgh_context or {}
        user_id = context.get("user")
        changes.append(
            Change(
                at=event.pgh_created_at,
                model=event.pgh_obj_model,
                label=event.pgh_label,
                object_pk=event.pgh_obj_id,
                diff=event.pgh_diff or {},
                user=users.get(user_id) or user_id,
                url=context.get("url"),
                request_id=context.get("request_id"),
            )
        )
    return changes


def last_change(*, obj: models.Model) -> Change | None:
    """The latest recorded change of `obj` itself (who and when), for a conflict page.

    None on SQLite, where no triggers record changes, or for an untracked model.
    """
    if connection.vendor != "postgresql" or not hasattr(obj, "audit_events"):
        return None
    event = Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id").first()
    if event is None:
        return None
    context = event.pgh_context or {}
    user_id = context.get("user")
    user = get_user_model()._default_manager.filter(pk=user_id).first() if user_id else None
    return Change(
        at=event.pgh_created_at,
        model=event.pgh_obj_model,
        label=event.pgh_label,
        object_pk=event.pgh_obj_id,
        diff=event.pgh_diff or {},
        user=user or user_id,
        url=context.get("url"),
        request_id=context.get("request_id"),
    )
