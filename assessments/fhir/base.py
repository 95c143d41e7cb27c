"""What every builder shares: making a validated resource, references, ids and times."""

from datetime import UTC, date, datetime, time
from typing import TypeVar

from django.utils import timezone
from django.utils.functional import Promise
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.resource import Resource

R = TypeVar("R", bound=Resource)


def _pruned(value: object) -> object:
    """`value` without None, empty strings, empty lists and empty dicts (FHIR allows no empty element).

    Translatable wording (the intake's questions and labels, lazy) becomes plain text in
    the active language: the clinic's own outside the patient pages.
    """
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        items = [_pruned(item) for item in value]
        return [item for item in items if item not in (None, "", [], {})]
    return value


def make(model: type[R], data: dict[str, object]) -> R:
    """The resource `model` built from `data` (empty elements dropped); raises if FHIR R4B refuses it."""
    pruned = _pruned(data)
    payload: dict[str, object] = dict(pruned) if isinstance(pruned, dict) else {}
    payload["resourceType"] = model.get_resource_type()
    return model.model_validate(payload)


def ref(resource_type: str, resource_id: str | int, display: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        data["display"] = str(display)
    return data


def reference_of(resource: Resource) -> dict[str, object]:
    return ref(resource.get_resource_type(), str(resource.id))


def instant(value: datetime | None) -> str | None:
    """An aware datetime as FHIR's dateTime/instant (UTC, seconds)."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def day_start(value: date) -> str:
    """A date as the start of that day in the clinic's zone, for a dateTime that needs a time."""
    return instant(timezone.make_aware(datetime.combine(value, time.min))) or ""


def observation(
    *,
    obs_id: str,
    code: dict[str, object],
    value: dict[str, object],
    patient_id: int,
    when: object,
    derived_from: str | None = None,
    final: bool = True,
    kind: tuple[str, str] = ("survey", "Survey"),
    components: list | None = None,
    period: tuple[str, str] | None = None,
) -> Observation:
    """An Observation of the patient: `derived_from` names the QuestionnaireResponse it was scored from."""
    from assessments.fhir.codes import category  # noqa: PLC0415 -- codes reads settings; base stays import-light

    data: dict[str, object] = {
        "id": obs_id,
        "status": "final" if final else "preliminary",
        "category": category(*kind),
        "code": code,
        "subject": ref("Patient", patient_id),
        "derivedFrom": [ref("QuestionnaireResponse", derived_from)] if derived_from else None,
        "component": components,
        **value,
    }
    if period is not None:
        data["effectivePeriod"] = {"start": period[0], "end": period[1]}
    else:
        data["effectiveDateTime"] = when if isinstance(when, str) else instant(when)  # type: ignore[arg-type]
    return make(Observation, data)
