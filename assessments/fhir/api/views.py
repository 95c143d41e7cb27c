"""The FHIR API's endpoints: thin views over assessments.fhir.bundle, behind `fhir_endpoint`.

`fhir_endpoint` does what every call shares, in this order: only GET (405),
the API off while no client is active (404), the bearer token (401), the
client's rate (429), JSON only (406); then the view, whose FhirError becomes
an OperationOutcome. Each view that shows a patient's record records one
access event naming the client.
"""

import logging
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from fhir.resources.R4B.resource import Resource

from assessments.fhir.api.capability import DEFINITION_TYPES, capability_statement
from assessments.fhir.api.owners import READABLE_BY_ID, owner_patient_id
from assessments.fhir.api.ratelimit import rate_check
from assessments.fhir.api.responses import FhirError, FhirResponse, error_response
from assessments.fhir.api.scopes import readable_types, reads_everything
from assessments.fhir.bundle import RESOURCE_TYPES, patient_resources, questionnaires
from assessments.fhir.clients.services import api_is_on, client_for_token, client_used
from assessments.models import FhirClient
from clinic.audit.models import AccessActor
from clinic.audit.services import access_record
from clinic.staff.access import token_view
from patients.models import Patient

FhirView = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)

JSON_FORMATS = {"json", "application/json", "application/fhir+json"}
JSON_MEDIA_RANGES = JSON_FORMATS | {"*/*", "application/*"}
# Asked for by every call that may carry them; the rest of a query is checked per view.
COMMON_PARAMS = {"_format"}
REALM = 'Bearer realm="Stride FHIR API"'


def fhir_endpoint(*, authenticated: bool = True) -> Callable[[FhirView], FhirView]:
    def decorate(view: FhirView) -> FhirView:
        @wraps(view)
        def endpoint(request: HttpRequest, **kwargs: str) -> HttpResponse:
            try:
                if request.method not in ("GET", "HEAD"):
                    raise FhirError(
                        405, "not-supported", "The API is read-only: use GET.", headers={"Allow": "GET, HEAD"}
                    )
                if not api_is_on():
                    raise FhirError(404, "not-found", "The FHIR API is off: no API client is active.")
                client = _authenticate(request) if authenticated else None
                if client is not None:
                    wait = rate_check(client.pk)
                    if wait is not None:
                        raise FhirError(
                            429,
                            "throttled",
                            "Too many calls this minute for this client: try again after Retry-After seconds.",
                            headers={"Retry-After": str(wait)},
                        )
                    client_used(client=client)
                _check_format(request)
                return view(request, client=client, **kwargs)
            except FhirError as error:
                return error_response(error)
            except Exception:
                # Logged as Django logs a server error (the log's PHI filter applies), answered in FHIR.
                logger.exception("FHIR API: %s failed", view.__name__)
                return error_response(
                    FhirError(500, "exception", "The server could not answer this request.")
                )

        return token_view(endpoint)

    return decorate


def _authenticate(request: HttpRequest) -> FhirClient:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise FhirError(
            401,
            "login",
            "No bearer token: send Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": REALM},
        )
    client = client_for_token(token.strip())
    if client is None:
        raise FhirError(
            401,
            "login",
            "The token is not valid: unknown, replaced or revoked.",
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    return client


def _check_format(request: HttpRequest) -> None:
    not_json = FhirError(406, "not-supported", "This API answers in JSON only (application/fhir+json).")
    requested = request.GET.get("_format")
    # An unencoded "+" arrives as a space: application/fhir+json.
    if (
        requested is not None
        and requested.split(";")[0].strip().lower().replace(" ", "+") not in JSON_FORMATS
    ):
        raise not_json
    accept = request.headers.get("Accept", "").strip()
    if accept:
        ranges = {part.split(";")[0].strip().lower() for part in accept.split(",")}
        if ranges.isdisjoint(JSON_MEDIA_RANGES):
            raise not_json


def _check_params(query: QueryDict, allowed: set[str]) -> None:
    unknown = sorted(set(query) - allowed - COMMON_PARAMS)
    if unknown:
        offered = ", ".join(sorted(allowed)) or "none"
        raise FhirError(
            400,
            "invalid",
            f"Unsupported search parameter {', '.join(unknown)} (this search takes: {offered}).",
        )
    for name in allowed | COMMON_PARAMS:
        if len(query.getlist(name)) > 1:
            raise FhirError(400, "invalid", f"Give {name} once.")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata").rstrip("/")


def _patient(fhir_id: str) -> Patient | None:
    """The patient of Patient/<fhir_id> (its id is the patient's primary key), archived ones excluded."""
    if not fhir_id.isascii() or not fhir_id.isdigit() or len(fhir_id) > 18:
        return None
    return Patient.objects.filter(pk=int(fhir_id)).first()


def _patient_or_404(fhir_id: str) -> Patient:
    patient = _patient(fhir_id)
    if patient is None:
        raise FhirError(404, "not-found", "No patient with that id.")
    return patient


def _require_scope(client: FhirClient, resource_type: str) -> None:
    if resource_type not in readable_types(client.scopes, RESOURCE_TYPES):
        raise FhirError(
            403, "forbidden", f"This client's scopes do not include patient/{resource_type}.read."
        )


def _audit(request: HttpRequest, client: FhirClient, patient: Patient) -> None:
    access_record(
        request=request, patient_id=patient.pk, actor=AccessActor.API_CLIENT, client_name=client.name
    )


def _searchset(request: HttpRequest, resources: list[Resource], *, self_path: str) -> dict[str, object]:
    base = _base_url(request)
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "link": [{"relation": "self", "url": request.build_absolute_uri(self_path)}],
        "entry": [
            {
                "fullUrl": f"{base}/{r.get_resource_type()}/{r.id}",
                "resource": r.model_dump(mode="json"),
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }


def _self_path(request: HttpRequest, params: dict[str, str]) -> str:
    return f"{request.path}?{urlencode(params)}" if params else request.path


@fhir_endpoint(authenticated=False)
def metadata(request: HttpRequest, *, client: None) -> HttpResponse:
    _check_params(request.GET, set())
    return FhirResponse(capability_statement(base_url=_base_url(request)))


@fhir_endpoint()
def patient_read(request: HttpRequest, *, client: FhirClient, pk: str) -> HttpResponse:
    _require_scope(client, "Patient")
    _check_params(request.GET, set())
    patient = _patient_or_404(pk)
    _audit(request, client, patient)
    resources = patient_resources(patient, resource_types={"Patient"})
    return FhirResponse(resources[0].model_dump(mode="json"))


@fhir_endpoint()
def patient_everything(request: HttpRequest, *, client: FhirClient, pk: str) -> HttpResponse:
    if not reads_everything(client.scopes, RESOURCE_TYPES):
        raise FhirError(403, "forbidden", "Patient/<id>/$everything needs the scope patient/*.read.")
    _check_params(request.GET, set())
    patient = _patient_or_404(pk)
    _audit(request, client, patient)
    return FhirResponse(_searchset(request, patient_resources(patient), self_path=request.path))


@fhir_endpoint()
def search(request: HttpRequest, *, client: FhirClient, resource_type: str) -> HttpResponse:
    if resource_type in DEFINITION_TYPES:
        _check_params(request.GET, set())
        found = [r for r in questionnaires() if r.get_resource_type() == resource_type]
        return FhirResponse(_searchset(request, found, self_path=request.path))
    if resource_type not in RESOURCE_TYPES:
        raise FhirError(404, "not-supported", f"The API serves no {resource_type[:40]} resources.")
    _require_scope(client, resource_type)
    name = "_id" if resource_type == "Patient" else "patient"
    _check_params(request.GET, {name})
    value = request.GET.get(name, "").strip()
    if not value:
        raise FhirError(400, "invalid", f"A {resource_type} search needs {name}=<patient id>.")
    # A reference may be relative (Patient/12) or absolute on this server's base.
    fhir_id = (
        value.removeprefix(f"{_base_url(request)}/").removeprefix("Patient/") if name == "patient" else value
    )
    if "/" in fhir_id:
        raise FhirError(
            400, "invalid", f"{name} is a patient's id, Patient/<id> or its full URL on this server."
        )
    patient = _patient(fhir_id)
    self_path = _self_path(request, {name: value})
    if patient is None:
        # No such patient (or archived): an empty result, and nothing shown to record.
        return FhirResponse(_searchset(request, [], self_path=self_path))
    _audit(request, client, patient)
    found = patient_resources(patient, resource_types={resource_type})
    return FhirResponse(_searchset(request, found, self_path=self_path))


@fhir_endpoint()
def read(request: HttpRequest, *, client: FhirClient, resource_type: str, resource_id: str) -> HttpResponse:
    if resource_type in DEFINITION_TYPES:
        _check_params(request.GET, set())
        for resource in questionnaires():
            if resource.get_resource_type() == resource_type and resource.id == resource_id:
                return FhirResponse(resource.model_dump(mode="json"))
        raise FhirError(404, "not-found", f"No {resource_type} with that id.")
    if resource_type not in RESOURCE_TYPES:
        raise FhirError(404, "not-supported", f"The API serves no {resource_type[:40]} resources.")
    if resource_type not in READABLE_BY_ID:
        raise FhirError(
            404,
            "not-supported",
            f"{resource_type} resources are read by search: {resource_type}?patient=<patient id>.",
        )
    _require_scope(client, resource_type)
    _check_params(request.GET, set())
    missing = FhirError(404, "not-found", f"No {resource_type} with that id.")
    patient_id = owner_patient_id(resource_type, resource_id)
    patient = Patient.objects.filter(pk=patient_id).first() if patient_id is not None else None
    if patient is None:
        raise missing
    for resource in patient_resources(patient, resource_types={resource_type}):
        if resource.id == resource_id:
            _audit(request, client, patient)
            return FhirResponse(resource.model_dump(mode="json"))
    raise missing


@fhir_endpoint()
def unknown(request: HttpRequest, *, client: FhirClient, rest: str) -> HttpResponse:
    raise FhirError(404, "not-found", "No such FHIR endpoint: see /fhir/metadata.")
