"""FHIR Bulk Data output: one NDJSON file per resource type and the manifest that lists them.

The files hold every exported patient's resources, each checked as the
bundle is (built through fhir.resources, references resolving within the
patient's own resources), and the Questionnaires and CodeSystem they name.
The manifest has the shape of a Bulk Data export's completion response
(transactionTime, request, requiresAccessToken, output, error), with each
file's URL relative to the manifest.
"""

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from assessments.fhir.base import instant
from assessments.fhir.bundle import patient_resources, questionnaires, unresolved_in
from assessments.fhir.codes import canonical_base
from patients.models import Patient

MANIFEST = "manifest.json"


def _line(resource: object) -> str:
    return json.dumps(resource.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))  # type: ignore[attr-defined]


def write_ndjson(
    *,
    patients: Iterable[Patient],
    out_dir: Path,
    request: str,
    now: datetime,
    on_patient: Callable[[Patient], None] | None = None,
) -> dict[str, object]:
    """Write the patients' resources to `out_dir`, one `<Type>.ndjson` per type, and the manifest.

    `on_patient` is called once each patient's resources are written (the
    command records the access there). Returns the manifest.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, IO[str]] = {}
    counts: dict[str, int] = {}

    def write(resource: object) -> None:
        kind = resource.get_resource_type()  # type: ignore[attr-defined]
        if kind not in files:
            files[kind] = (out_dir / f"{kind}.ndjson").open("w", encoding="utf-8")
            counts[kind] = 0
        files[kind].write(_line(resource) + "\n")
        counts[kind] += 1

    try:
        for patient in patients:
            resources = patient_resources(patient)
            unresolved = unresolved_in(resources)
            if unresolved:
                raise ValueError(
                    f"Patient {patient.pk}: references that resolve to nothing: {sorted(unresolved)}"
                )
            for resource in resources:
                write(resource)
            if on_patient is not None:
                on_patient(patient)
        for resource in questionnaires():
            write(resource)
    finally:
        for handle in files.values():
            handle.close()
    manifest: dict[str, object] = {
        "transactionTime": instant(now),
        "request": request,
        "requiresAccessToken": False,
        "output": [{"type": kind, "url": f"{kind}.ndjson", "count": counts[kind]} for kind in sorted(counts)],
        "error": [],
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def export_request(patient_ids: list[int] | None) -> str:
    """The Bulk Data kick-off URL this export answers (all patients, or a list of them)."""
    base = f"{canonical_base()}/Patient/$export"
    if not patient_ids:
        return base
    return base + "?patient=" + ",".join(f"Patient/{pk}" for pk in patient_ids)
