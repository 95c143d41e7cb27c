"""Optimistic locking shared by every app (the frame: imports no app above clinic).

Every record two people can edit carries a `version` column. A form is loaded
with the version it shows; the service that saves it locks the row, compares
the posted version with the stored one and refuses the save when they differ,
so the second of two editors never overwrites the first without seeing it.
Every change made through a service bumps the version, whether or not it came
from that form, so a form opened before any change is out of date.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from clinic.audit.selectors import last_change

CHANGED_ELSEWHERE = (
    "This record was changed elsewhere after you opened it; your input has not been saved yet."
)


class StaleVersionError(ValidationError):
    """The record changed since the editor loaded it: nothing was saved."""

    def __init__(
        self, *, current_version: int, updated_at: datetime | None, message: str = CHANGED_ELSEWHERE
    ) -> None:
        super().__init__(message, code="stale")
        self.current_version = current_version
        self.updated_at = updated_at


def check_version(locked: models.Model, expected_version: int | None) -> None:
    """Refuse a save that names another version than the locked row's; None skips the check.

    None is for callers that act on the row as it is now (a system task, a
    service that has just locked and read it); a form always posts a version.
    """
    current = locked.version  # type: ignore[attr-defined]
    if expected_version is not None and current != expected_version:
        raise StaleVersionError(current_version=current, updated_at=getattr(locked, "updated_at", None))


@dataclass(frozen=True)
class Difference:
    """A field whose saved value differs from what the user typed."""

    label: str
    saved: str
    typed: str


@dataclass(frozen=True)
class Conflict:
    """What a conflict page shows: who changed the record, when, and how it differs now."""

    version: int
    updated_at: datetime | None
    changed_by: object | None
    differences: list[Difference] = field(default_factory=list)


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the user reads it: the choice label, the date or time as the widget writes it."""
    if isinstance(value, list | tuple):
        return ", ".join(_shown(field, item) for item in value)
    value = field.prepare_value(value)
    if value is None or value == "":
        return ""
    if isinstance(value, date | time) and getattr(field.widget, "format", None):
        return str(field.widget.format_value(value))
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices if not isinstance(label, list | tuple)}
        return labels.get(str(value), str(value))
    return str(value)


def _same(field: forms.Field, saved: Any, typed: Any) -> bool:
    """Whether the typed value means the saved one ("90" and 90.0, "08:00" and 08:00:00)."""
    empty: tuple[object, ...] = (None, "", [], ())
    if saved in empty and typed in empty:
        return True
    try:
        return field.clean(typed) == saved
    except ValidationError:
        return False


def conflict_for(
    exc: StaleVersionError,
    *,
    current: models.Model,
    form: forms.BaseForm | None = None,
    saved: dict[str, object] | None = None,
    fields: Iterable[str] | None = None,
) -> Conflict:
    """The conflict page's facts for `current` (the row as saved now).

    With a bound `form`, each of its fields whose saved value (taken from
    `saved`, else the attribute of `current` of the same name) differs from
    the typed one is listed, so the user sees both before saving again.
    """
    change = last_change(obj=current)
    differences: list[Difference] = []
    if form is not None and form.is_bound:
        values = saved or {}
        for name in fields if fields is not None else form.fields:
            bound, field = form[name], form.fields[name]
            if bound.is_hidden or name == "version":
                continue
            stored = values[name] if name in values else getattr(current, name, None)
            typed = bound.value()
            if not _same(field, stored, typed):
                differences.append(
                    Difference(
                        label=str(bound.label), saved=_shown(field, stored), typed=_shown(field, typed)
                    )
                )
    return Conflict(
        version=exc.current_version,
        updated_at=change.at if change else exc.updated_at,
        changed_by=change.user if change else None,
        differences=differences,
    )
