"""A patient's full record as one JSON document (the right of access).

Each app contributes a section. `patients` adds "patient" (demographics) here;
later apps register theirs in their AppConfig.ready():

    from patients.identity.export import register_export_section

    def _assessments_section(patient):
        return [assessment_as_dict(a) for a in patient.assessments.all()]

    register_export_section("assessments", _assessments_section)

A builder takes the Patient and returns JSON-serialisable data (dates and
datetimes are fine; DjangoJSONEncoder writes them as ISO 8601). Sections
appear in registration order. This module imports nothing from clinic.audit:
the view records the export as an access.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from patients.models import Patient

SectionBuilder = Callable[[Patient], object]
FORMAT = "stride.patient-export"
VERSION = 1

_SECTIONS: dict[str, SectionBuilder] = {}


def register_export_section(name: str, builder: SectionBuilder) -> None:
    """Add a section to every patient export (call from AppConfig.ready())."""
    if name in _SECTIONS and _SECTIONS[name] is not builder:
        raise ValueError(f"Export section {name!r} is already registered.")
    _SECTIONS[name] = builder


def export_sections() -> tuple[str, ...]:
    return tuple(_SECTIONS)


def patient_export(*, patient: Patient, now: datetime | None = None) -> dict[str, object]:
    """The whole record of `patient`: a header and one entry per registered section."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "clinic": settings.CLINIC_NAME,
        "exported_at": now or timezone.now(),
        "patient_id": patient.pk,
        "sections": {name: builder(patient) for name, builder in _SECTIONS.items()},
    }


def _patient_section(patient: Patient) -> dict[str, object]:
    fields = [f for f in Patient._meta.concrete_fields if f.name not in {"id", "archived_by"}]
    data: dict[str, object] = {f.name: f.value_from_object(patient) for f in fields}
    for name in ("sex", "preferred_contact", "referral_source"):
        data[f"{name}_display"] = getattr(patient, f"get_{name}_display")()
    data["id"] = patient.pk
    data["archived_by"] = str(patient.archived_by) if patient.archived_by_id else None
    return data


def model_as_dict(obj: object, *, exclude: frozenset[str] = frozenset()) -> dict[str, object]:
    """Every concrete field of a row; foreign keys as their id (for export sections)."""
    data: dict[str, object] = {}
    for field in obj._meta.concrete_fields:  # type: ignore[attr-defined]
        if field.name in exclude:
            continue
        data[field.attname] = field.value_from_object(obj)
    return data


def _appointments_section(patient: Patient) -> list[dict[str, object]]:
    rows = []
    for appointment in patient.appointments.select_related(
        "appointment_type", "therapist", "location"
    ).prefetch_related("events"):
        row = model_as_dict(appointment)
        row["appointment_type_name"] = appointment.appointment_type.name
        row["therapist_name"] = appointment.therapist.display_name
        row["location_name"] = appointment.location.name
        row["events"] = [model_as_dict(event) for event in appointment.events.all()]
        rows.append(row)
    return rows


def _intake_section(patient: Patient) -> list[dict[str, object]]:
    # Token hashes are credentials, not the patient's data.
    rows = []
    for invitation in patient.intake_invitations.all():
        row = model_as_dict(invitation, exclude=frozenset({"token_hash"}))
        response = getattr(invitation, "response", None)
        if response is not None:
            row["response"] = model_as_dict(response)
            row["red_flags"] = [model_as_dict(flag) for flag in response.red_flags.all()]
        rows.append(row)
    return rows


register_export_section("patient", _patient_section)
register_export_section("appointments", _appointments_section)
register_export_section("intake", _intake_section)
