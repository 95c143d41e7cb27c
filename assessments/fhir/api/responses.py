"""The API's responses: FHIR JSON bodies, and every error as an OperationOutcome."""

import json

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"


class FhirResponse(HttpResponse):
    """A FHIR resource (a JSON-ready dict) as `application/fhir+json`."""

    def __init__(self, resource: dict[str, object], *, status: int = 200) -> None:
        super().__init__(
            json.dumps(resource, ensure_ascii=False, separators=(",", ":")),
            content_type=f"{FHIR_JSON}; charset=utf-8",
            status=status,
        )


class FhirError(Exception):
    """Raised anywhere below a view: answered as an OperationOutcome with this status.

    `code` is FHIR's issue type (http://hl7.org/fhir/issue-type): login,
    forbidden, not-found, not-supported, invalid, throttled. `diagnostics`
    says what went wrong in plain words, never a patient's detail.
    """

    def __init__(self, status: int, code: str, diagnostics: str, *, headers: dict[str, str] | None = None):
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.headers = headers or {}


def operation_outcome(*, code: str, diagnostics: str, severity: str = "error") -> dict[str, object]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


def error_response(error: FhirError) -> FhirResponse:
    response = FhirResponse(
        operation_outcome(code=error.code, diagnostics=error.diagnostics), status=error.status
    )
    for name, value in error.headers.items():
        response[name] = value
    return response
