"""The documents slice in the patient's export: answered access requests and the reports emailed."""

from assessments.models import AccessRequest, DocumentSend
from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import Patient


def access_requests_section(patient: Patient) -> list[dict[str, object]]:
    return [
        model_as_dict(row)
        for row in AccessRequest.objects.filter(patient=patient).order_by("produced_at", "pk")
    ]


def document_sends_section(patient: Patient) -> list[dict[str, object]]:
    rows = DocumentSend.objects.filter(programme__patient=patient).order_by("created_at", "pk")
    return [model_as_dict(row) for row in rows]


SECTIONS = (
    ExportSection("access_requests", access_requests_section, models=("assessments.AccessRequest",)),
    ExportSection("document_sends", document_sends_section, models=("assessments.DocumentSend",)),
)

EXPORT_EXCLUDED = {
    "assessments.AccessRequestAuditEvent": HISTORY_EXCLUSION,
    "assessments.DocumentSendAuditEvent": HISTORY_EXCLUSION,
}
