"""One patient's record as validated FHIR R4 resources and as a collection Bundle.

The interface the FHIR API and the access-request pack use:

- `patient_resources(patient, resource_types=None)`: the patient's resources,
  each a validated fhir.resources R4B object whose id is stable and unique
  across the clinic for its type (`Observation/sls-12-left`), so a search and
  the bundle name the same resources;
- `patient_bundle(patient)`: a Bundle of type "collection" as a JSON-ready dict,
  validated, every reference resolving to an entry of it;
- `RESOURCE_TYPES`: the types the export can produce;
- `questionnaires()`: the Questionnaires and the local CodeSystem the
  responses and codes point at (not patient-specific).

Each builder reads its part of the record with a fixed number of queries
(select_related / prefetch_related), so the queries per patient are bounded.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from assessments.fhir import careplan, communication, conditions, observations, responses, training
from assessments.fhir.base import instant, make
from assessments.fhir.codes import canonical_base
from assessments.fhir.patient import build_patient
from assessments.fhir.questionnaires import questionnaire_resources
from assessments.fhir.scheduling import scheduling_resources
from patients.models import Patient


@dataclass(frozen=True)
class Builder:
    types: tuple[str, ...]
    build: Callable[[Patient], Iterable[Resource]]


BUILDERS: tuple[Builder, ...] = (
    Builder(("Patient",), lambda patient: [build_patient(patient)]),
    Builder(("Appointment", "Encounter"), scheduling_resources),
    Builder(("QuestionnaireResponse", "Observation"), responses.response_resources),
    Builder(("Observation",), observations.finding_resources),
    Builder(("Condition", "Flag", "ServiceRequest", "DiagnosticReport"), conditions.condition_resources),
    Builder(("CarePlan", "Goal"), careplan.careplan_resources),
    Builder(("Observation",), careplan.readiness_resources),
    Builder(("Communication",), communication.communication_resources),
    Builder(("Observation",), training.training_resources),
)

RESOURCE_TYPES: tuple[str, ...] = tuple(dict.fromkeys(t for builder in BUILDERS for t in builder.types))


def patient_resources(patient: Patient, *, resource_types: set[str] | None = None) -> list[Resource]:
    """The patient's resources (only those of `resource_types` when given), Patient first."""
    wanted = set(RESOURCE_TYPES) if resource_types is None else set(resource_types)
    resources: list[Resource] = []
    for builder in BUILDERS:
        if wanted.isdisjoint(builder.types):
            continue
        resources.extend(r for r in builder.build(patient) if r.get_resource_type() in wanted)
    return resources


def full_url(resource: Resource) -> str:
    return f"{canonical_base()}/{resource.get_resource_type()}/{resource.id}"


def patient_bundle(patient: Patient) -> dict[str, object]:
    """The whole record as a validated collection Bundle (JSON-ready dict); references resolve inside it."""
    resources = patient_resources(patient)
    bundle = make(
        Bundle,
        {
            "id": f"patient-{patient.pk}-record",
            "type": "collection",
            "timestamp": instant(timezone.now()),
            # The resources were validated as they were built; the Bundle validates the rest.
            "entry": [{"fullUrl": full_url(r), "resource": r} for r in resources],
        },
    )
    data = bundle.model_dump(mode="json")
    unresolved = unresolved_references(data)
    if unresolved:
        raise ValueError(f"References that name no resource in the bundle: {sorted(unresolved)}")
    return data


def questionnaires() -> list[Resource]:
    """The Questionnaires Stride's responses point at, and the local CodeSystem (not patient-specific)."""
    return questionnaire_resources()


def _references(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def bundle_references(bundle: dict[str, object]) -> list[str]:
    """Every `reference` string in the bundle's resources."""
    return list(_references(bundle.get("entry", [])))


def unresolved_in(resources: Iterable[Resource]) -> set[str]:
    """References of `resources` that name none of them."""
    dumped = [r.model_dump(mode="json") for r in resources]
    return unresolved_references({"entry": [{"resource": r} for r in dumped]})


def unresolved_references(bundle: dict[str, object]) -> set[str]:
    """References that name no resource of the bundle ("Type/id" or its full URL)."""
    entries: list = bundle.get("entry") or []  # type: ignore[assignment]
    present: set[str] = set()
    for entry in entries:
        resource = entry["resource"]
        present.add(f"{resource['resourceType']}/{resource['id']}")
        if entry.get("fullUrl"):
            present.add(entry["fullUrl"])
    return {reference for reference in bundle_references(bundle) if reference not in present}
