"""The API's CapabilityStatement (GET /fhir/metadata): what it serves and how a client authenticates."""

from django.utils import timezone

from assessments.fhir.api.owners import READABLE_BY_ID
from assessments.fhir.bundle import RESOURCE_TYPES

FHIR_VERSION = "4.0.1"
# Definitions every client may read (not patient data): what the responses and codes point at.
DEFINITION_TYPES = ("Questionnaire", "CodeSystem")
SEARCH_BY_PATIENT = {
    "name": "patient",
    "type": "reference",
    "documentation": "The patient the resources belong to: an id or Patient/<id>. Required.",
}


def _patient_data_resource(resource_type: str) -> dict[str, object]:
    if resource_type == "Patient":
        return {
            "type": "Patient",
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [{"name": "_id", "type": "token", "documentation": "The patient's id. Required."}],
            "operation": [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                    "documentation": "GET Patient/<id>/$everything: every resource of the patient's record "
                    "(needs every type: patient/*.read).",
                }
            ],
        }
    reads = [{"code": "read"}] if resource_type in READABLE_BY_ID else []
    return {
        "type": resource_type,
        "interaction": [*reads, {"code": "search-type"}],
        "searchParam": [SEARCH_BY_PATIENT],
    }


def capability_statement(*, base_url: str) -> dict[str, object]:
    resources = [_patient_data_resource(t) for t in RESOURCE_TYPES]
    resources += [
        {"type": t, "interaction": [{"code": "read"}, {"code": "search-type"}]} for t in DEFINITION_TYPES
    ]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": "Stride",
        "kind": "instance",
        "software": {"name": "Stride"},
        "implementation": {"description": "Stride's read-only FHIR API for trusted systems", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Every call but this one needs a bearer token a clinic admin issued.",
                "security": {
                    # Text only: R4's restful-security-service codes (OAuth, SMART-on-FHIR, Basic, …)
                    # name flows this API does not run; its tokens are bearer tokens (RFC 6750).
                    "service": [{"text": "token"}],
                    "description": "Authorization: Bearer <token>. Per-client API tokens with SMART-style scopes: patient/*.read, "
                    "or patient/<Type>.read for single types.",
                },
                "resource": resources,
            }
        ],
    }
