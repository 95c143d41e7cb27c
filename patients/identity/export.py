"""A patient's full record as one JSON document (the right of access).

Each app contributes sections from its AppConfig.ready(), declared next to
the code that builds them and naming the models they cover:

    from patients.identity.export import ExportSection, register_export_sections

    SECTIONS = (ExportSection("assessments", assessments_section, models=("assessments.Assessment",)),)
    register_export_sections(SECTIONS)

A builder takes the Patient and returns JSON-serialisable data (dates and
datetimes are fine; DjangoJSONEncoder writes them as ISO 8601). Sections
appear in registration order.

Every model that holds a patient's data (one with a foreign key to Patient,
or to such a model, or a `patient_id` column) is either covered by a section
or listed, with a reason, in an app's EXPORT_EXCLUDED mapping registered
through register_export_exclusions(); a test walks the models to hold that.
Credentials (link token hashes) are never exported.

This module imports nothing from clinic.audit: the view records the export
as an access.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import KINDS
from patients.models import Patient

SectionBuilder = Callable[[Patient], object]
FORMAT = "stride.patient-export"
VERSION = 1


@dataclass(frozen=True)
class ExportSection:
    name: str
    build: SectionBuilder
    # Model labels ("app_label.ModelName") whose rows the section exports.
    models: tuple[str, ...] = ()


_SECTIONS: dict[str, ExportSection] = {}
_EXCLUDED: dict[str, str] = {}

# The reason every app gives for pghistory's event tables.
HISTORY_EXCLUSION = (
    "Change history: earlier versions of rows the export holds in their current form, "
    "kept for the audit trail."
)


def register_export_section(name: str, builder: SectionBuilder, models: Iterable[str] = ()) -> None:
    """Add a section to every patient export (call from AppConfig.ready())."""
    section = ExportSection(name, builder, tuple(models))
    existing = _SECTIONS.get(name)
    if existing is not None and existing != section:
        raise ValueError(f"Export section {name!r} is already registered.")
    _SECTIONS[name] = section


def register_export_sections(sections: Iterable[ExportSection]) -> None:
    for section in sections:
        register_export_section(section.name, section.build, section.models)


def register_export_exclusions(excluded: Mapping[str, str]) -> None:
    """Record models deliberately left out of the export, each with its reason."""
    for label, reason in excluded.items():
        if not reason.strip():
            raise ValueError(f"Excluding {label!r} from the export needs a reason.")
        _EXCLUDED[label] = reason


def export_sections() -> tuple[str, ...]:
    return tuple(_SECTIONS)


def export_covered_models() -> dict[str, str]:
    """Model label → the section that exports its rows."""
    return {label: section.name for section in _SECTIONS.values() for label in section.models}


def export_exclusions() -> dict[str, str]:
    """Model label → why its rows are not in the export."""
    return dict(_EXCLUDED)


def patient_export(*, patient: Patient, now: datetime | None = None) -> dict[str, object]:
    """The whole record of `patient`: a header and one entry per registered section."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "clinic": settings.CLINIC_NAME,
        "exported_at": now or timezone.now(),
        "patient_id": patient.pk,
        "sections": {name: section.build(patient) for name, section in _SECTIONS.items()},
    }


def model_as_dict(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, object]:
    """Every concrete field of a row; foreign keys as their id; `<name>_display` for coded fields."""
    skipped = set(exclude)
    data: dict[str, object] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skipped:
            continue
        value = field.value_from_object(obj)
        data[field.attname] = value
        if field.choices and not field.is_relation and isinstance(value, str | int):
            data[f"{field.name}_display"] = dict(field.flatchoices).get(value, value)
    return data


def _patient_section(patient: Patient) -> dict[str, object]:
    data = model_as_dict(patient, exclude={"archived_by"})
    data["archived_by"] = str(patient.archived_by) if patient.archived_by_id else None
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
    for invitation in patient.intake_invitations.select_related("response").prefetch_related(
        "response__red_flags", "tokens"
    ):
        row = model_as_dict(invitation)
        row["status"] = invitation.status
        row["links"] = [model_as_dict(token, exclude={"token_hash"}) for token in invitation.tokens.all()]
        response = getattr(invitation, "response", None)
        if response is not None:
            row["response"] = model_as_dict(response)
            row["red_flag_ids"] = [flag.pk for flag in response.red_flags.all()]
        rows.append(row)
    return rows


def _red_flags_section(patient: Patient) -> list[dict[str, object]]:
    """Every red flag, whatever raised it (intake, check-in, examination, clinician)."""
    return [model_as_dict(flag) for flag in patient.red_flags.all()]


def _reminder_preferences_section(patient: Patient) -> list[dict[str, object]]:
    return [model_as_dict(preference) for preference in patient.reminder_preferences.all()]


def _messages_section(patient: Patient) -> list[dict[str, object]]:
    """The emails sent, queued or dropped about the patient (the outbox keeps the patient's id).

    The idempotency key, lease and transport error are the outbox's machinery,
    not the patient's data.
    """
    rows = []
    for message in ScheduledMessage.objects.filter(patient_id=patient.pk).order_by("due_at", "pk"):
        row = model_as_dict(message, exclude={"key", "claimed_at", "last_error"})
        kind = KINDS.get(message.kind)
        row["kind_display"] = kind.label if kind else message.kind
        rows.append(row)
    return rows


def _care_team_section(patient: Patient) -> list[dict[str, object]]:
    """The therapists assigned to the patient (visits, assessments and programmes name theirs)."""
    return [
        model_as_dict(assignment) for assignment in patient.care_assignments.order_by("assigned_at", "pk")
    ]


SECTIONS = (
    ExportSection("patient", _patient_section, models=("patients.Patient",)),
    ExportSection(
        "appointments", _appointments_section, models=("patients.Appointment", "patients.AppointmentEvent")
    ),
    ExportSection(
        "intake",
        _intake_section,
        models=("patients.IntakeInvitation", "patients.IntakeLinkToken", "patients.IntakeResponse"),
    ),
    ExportSection("red_flags", _red_flags_section, models=("patients.RedFlag",)),
    ExportSection(
        "reminder_preferences", _reminder_preferences_section, models=("patients.ReminderPreference",)
    ),
    ExportSection("messages", _messages_section, models=("messaging.ScheduledMessage",)),
    ExportSection("care_team", _care_team_section, models=("patients.CareAssignment",)),
)

EXPORT_EXCLUDED = {
    "patients.PatientAuditEvent": HISTORY_EXCLUSION,
    "patients.AppointmentAuditEvent": HISTORY_EXCLUSION,
    "patients.AppointmentEventAuditEvent": HISTORY_EXCLUSION,
    "patients.IntakeInvitationAuditEvent": HISTORY_EXCLUSION,
    "patients.IntakeResponseAuditEvent": HISTORY_EXCLUSION,
    "patients.RedFlagAuditEvent": HISTORY_EXCLUSION,
    "patients.ReminderPreferenceAuditEvent": HISTORY_EXCLUSION,
    "patients.IntakeLinkTokenAuditEvent": HISTORY_EXCLUSION,
    "patients.LinkCode": "One-time codes of patient links: short-lived credentials, not the patient's data.",
    "patients.LinkDevice": "Browsers that gave a link's one-time code: credentials, not the patient's data.",
    "patients.CareAssignmentAuditEvent": HISTORY_EXCLUSION,
    "patients.AccessGrantAuditEvent": HISTORY_EXCLUSION,
    "patients.AccessGrant": (
        "Staff reads outside the care team, part of the access audit; the clinic answers from the access report."
    ),
    "audit.AccessEvent": (
        "The audit trail of staff who opened the record; the clinic answers from the access report."
    ),
}
