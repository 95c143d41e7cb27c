"""The endpoints: metadata, Patient read and $everything, search by patient, errors as OperationOutcome."""

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from assessments.fhir.api.owners import READABLE_BY_ID
from assessments.fhir.bundle import RESOURCE_TYPES, patient_bundle, patient_resources
from clinic.audit.chain import chain_verify
from clinic.audit.models import AccessActor, AccessEvent
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import KINDS
from patients.models import Patient
from tests.assessments.fhir.api.conftest import Fhir
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
PATIENT_FACING = [name for name, kind in KINDS.items() if kind.patient_facing]


def _error(response, status: int, code: str) -> OperationOutcome:
    assert response.status_code == status
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    outcome = OperationOutcome.model_validate(response.json())
    assert [(i.severity, i.code) for i in outcome.issue] == [("error", code)]
    return outcome


def _searchset(response) -> Bundle:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    bundle = Bundle.model_validate(response.json())
    assert bundle.type == "searchset"
    assert bundle.total == len(bundle.entry or [])
    for entry in bundle.entry or []:
        assert (
            entry.fullUrl
            == f"http://testserver/fhir/{entry.resource.get_resource_type()}/{entry.resource.id}"
        )
    return bundle


# --- metadata -------------------------------------------------------------------------------------


def test_metadata_is_a_valid_capability_statement(issued):
    response = Fhir(None).get("/fhir/metadata")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    statement = CapabilityStatement.model_validate(response.json())
    assert statement.fhirVersion == "4.0.1"
    assert statement.kind == "instance"
    assert statement.format == ["application/fhir+json", "json"]
    (rest,) = statement.rest
    assert rest.mode == "server"
    assert [s.text for s in rest.security.service] == ["token"]
    by_type = {r.type: r for r in rest.resource}
    assert set(RESOURCE_TYPES) | {"Questionnaire", "CodeSystem"} == set(by_type)
    assert {i.code for i in by_type["Patient"].interaction} == {"read", "search-type"}
    assert [o.name for o in by_type["Patient"].operation] == ["everything"]
    for resource_type in set(RESOURCE_TYPES) - {"Patient"}:
        read = ["read"] if resource_type in READABLE_BY_ID else []
        assert [i.code for i in by_type[resource_type].interaction] == [*read, "search-type"]
        assert [p.name for p in by_type[resource_type].searchParam] == ["patient"]
    assert {"Observation", "QuestionnaireResponse"}.isdisjoint(READABLE_BY_ID)
    assert AccessEvent.objects.count() == 0


# --- Patient --------------------------------------------------------------------------------------


def test_patient_read_is_the_exported_patient_and_one_access_event_naming_the_client(fhir, issued, patient):
    response = fhir.get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 200
    assert response.json() == patient_resources(patient, resource_types={"Patient"})[0].model_dump(
        mode="json"
    )
    (event,) = AccessEvent.objects.all()
    assert event.patient_id == patient.pk
    assert event.actor == AccessActor.API_CLIENT
    assert event.client_name == "Riverside GP practice"
    assert event.user is None
    assert event.view_name == "fhir:patient_read"


def test_each_call_writes_exactly_one_access_event(fhir, patient):
    calls = [
        f"/fhir/Patient/{patient.pk}",
        f"/fhir/Patient/{patient.pk}/$everything",
        f"/fhir/Appointment?patient={patient.pk}",
        f"/fhir/Observation?patient=Patient/{patient.pk}",
        f"/fhir/Patient?_id={patient.pk}",
    ]
    for number, path in enumerate(calls, start=1):
        assert fhir.get(path).status_code == 200, path
        assert AccessEvent.objects.count() == number, path
    assert set(AccessEvent.objects.values_list("client_name", "patient_id")) == {
        ("Riverside GP practice", patient.pk)
    }


def test_an_api_clients_access_event_is_in_the_hash_chain(fhir, patient, db):
    fhir.get(f"/fhir/Patient/{patient.pk}")

    event = AccessEvent.objects.get()
    assert event.row_hash is not None
    report = chain_verify("audit_accessevent")
    assert report.breaks == ()
    assert report.head_hash == AccessEvent.objects.get(pk=event.pk).row_hash


def test_everything_of_a_demo_patient_has_the_export_bundles_resources(demo_clinic, fhir):
    # The demo patient with the fullest record: the most resources in their export.
    patient = max(Patient.objects.order_by("pk"), key=lambda p: len(patient_resources(p)))
    exported = patient_bundle(patient)

    bundle = _searchset(fhir.get(f"/fhir/Patient/{patient.pk}/$everything"))

    assert bundle.total == len(exported["entry"]) > 20
    served = [f"{e.resource.get_resource_type()}/{e.resource.id}" for e in bundle.entry]
    assert served == [f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in exported["entry"]]
    assert AccessEvent.objects.filter(patient_id=patient.pk, view_name="fhir:patient_everything").count() == 1


def test_an_unknown_or_archived_patient_is_404(fhir, clinic_admin):
    archived = PatientFactory()
    Patient.all_objects.filter(pk=archived.pk).update(archived_at="2026-01-01T00:00:00Z")

    for pk in ("999999", str(archived.pk), "abc", "1.5"):
        _error(fhir.get(f"/fhir/Patient/{pk}"), 404, "not-found")
        _error(fhir.get(f"/fhir/Patient/{pk}/$everything"), 404, "not-found")
    assert AccessEvent.objects.count() == 0


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["{pk}", "Patient/{pk}", "http://testserver/fhir/Patient/{pk}"])
def test_search_by_patient_in_either_reference_form(demo_clinic, fhir, reference):
    patient = Patient.objects.filter(appointments__isnull=False).order_by("pk").first()
    expected = [r.id for r in patient_resources(patient, resource_types={"Appointment"})]

    bundle = _searchset(fhir.get("/fhir/Appointment", {"patient": reference.format(pk=patient.pk)}))

    assert [e.resource.id for e in bundle.entry] == expected
    assert expected
    assert {e.resource.get_resource_type() for e in bundle.entry} == {"Appointment"}
    assert bundle.link[0].relation == "self"


def test_every_exported_type_is_searchable_by_patient(demo_clinic, fhir):
    patient = max(Patient.objects.order_by("pk"), key=lambda p: len(patient_resources(p)))
    counts = {}
    for resource_type in RESOURCE_TYPES:
        if resource_type == "Patient":
            bundle = _searchset(fhir.get("/fhir/Patient", {"_id": patient.pk}))
        else:
            bundle = _searchset(fhir.get(f"/fhir/{resource_type}", {"patient": patient.pk}))
        counts[resource_type] = bundle.total
        assert {e.resource.get_resource_type() for e in bundle.entry or []} <= {resource_type}

    assert sum(counts.values()) == len(patient_bundle(patient)["entry"])


def test_a_search_for_a_patient_that_does_not_exist_is_empty_and_unrecorded(fhir):
    bundle = _searchset(fhir.get("/fhir/Observation", {"patient": "999999"}))

    assert bundle.total == 0
    assert AccessEvent.objects.count() == 0


def test_questionnaires_are_read_and_searched_without_a_patient(fhir):
    bundle = _searchset(fhir.get("/fhir/Questionnaire"))
    assert bundle.total >= 5
    first = bundle.entry[0].resource

    response = fhir.get(f"/fhir/Questionnaire/{first.id}")

    assert response.status_code == 200
    assert response.json()["id"] == first.id
    _error(fhir.get("/fhir/Questionnaire/no-such-questionnaire"), 404, "not-found")
    assert AccessEvent.objects.count() == 0


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"patient": ""},
        {"subject": "1"},
        {"patient": "Practitioner/1"},
        {"patient": "https://elsewhere.example/fhir/Patient/1"},
        {"patient": "1", "code": "x"},
    ],
    ids=["none", "empty", "unsupported", "not-a-patient", "another-server", "extra"],
)
def test_bad_search_parameters_are_400(fhir, patient, query):
    _error(fhir.get("/fhir/Observation", query), 400, "invalid")


def test_a_repeated_parameter_is_400(fhir, patient):
    _error(fhir.get(f"/fhir/Observation?patient={patient.pk}&patient={patient.pk}"), 400, "invalid")


def test_an_unknown_type_or_path_is_404(fhir, patient):
    _error(fhir.get("/fhir/Practitioner", {"patient": patient.pk}), 404, "not-supported")
    _error(fhir.get("/fhir/Practitioner/1"), 404, "not-supported")
    _error(fhir.get(f"/fhir/Patient/{patient.pk}/$validate/x"), 404, "not-found")


def _send_a_patient_email() -> None:
    """The demo's outbox has sent nothing (no worker ran): mark one patient email sent, a Communication."""
    message = (
        ScheduledMessage.objects.filter(patient_id__isnull=False, kind__in=PATIENT_FACING)
        .order_by("pk")
        .first()
    )
    ScheduledMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, sent_at=timezone.now())


def test_every_resource_of_a_type_read_by_id_is_served_as_exported(demo_clinic, fhir, settings):
    settings.FHIR_API_RATE_PER_MINUTE = 100_000
    _send_a_patient_email()
    read = 0
    for patient in Patient.objects.order_by("pk"):
        for resource in patient_resources(patient, resource_types=set(READABLE_BY_ID) - {"Patient"}):
            response = fhir.get(f"/fhir/{resource.get_resource_type()}/{resource.id}")
            assert response.status_code == 200, f"{resource.get_resource_type()}/{resource.id}"
            assert response.json() == resource.model_dump(mode="json")
            read += 1
            event = AccessEvent.objects.order_by("-pk").first()
            assert (event.patient_id, event.view_name) == (patient.pk, "fhir:read")
    assert read == AccessEvent.objects.count() > 50
    served = {e.object_label for e in AccessEvent.objects.all()}
    assert served == {"patients.patient"}


def test_every_type_read_by_id_has_a_demo_resource_to_read(demo_clinic):
    _send_a_patient_email()
    types = {r.get_resource_type() for p in Patient.objects.all() for r in patient_resources(p)}

    assert set(READABLE_BY_ID) - types == set()


def test_a_read_by_id_that_names_no_resource_is_404(demo_clinic, fhir):
    patient = Patient.objects.filter(appointments__isnull=False).order_by("pk").first()
    appointment = patient_resources(patient, resource_types={"Appointment"})[0]

    for path in (
        "/fhir/Appointment/999999999",
        "/fhir/Condition/impression-999999999",
        "/fhir/Goal/not-a-goal",
        # The row exists, but it is not a resource of that type.
        f"/fhir/CarePlan/{appointment.id}x",
    ):
        _error(fhir.get(path), 404, "not-found")
    assert AccessEvent.objects.count() == 0


def test_a_read_by_id_needs_the_types_scope(demo_clinic, make_api_client):
    patient = Patient.objects.filter(appointments__isnull=False).order_by("pk").first()
    appointment = patient_resources(patient, resource_types={"Appointment"})[0]
    limited = Fhir(make_api_client(name="Lab", scopes=["patient/Observation.read"]).token)

    _error(limited.get(f"/fhir/Appointment/{appointment.id}"), 403, "forbidden")
    assert AccessEvent.objects.count() == 0


def test_a_read_by_id_of_a_searched_type_says_to_search(fhir):
    outcome = _error(fhir.get("/fhir/Observation/sls-1-left"), 404, "not-supported")

    assert "Observation?patient=" in outcome.issue[0].diagnostics


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"_format": "xml"}, {}),
        ({"_format": "application/fhir+xml"}, {}),
        ({}, {"Accept": "application/fhir+xml"}),
        ({}, {"Accept": "text/html"}),
    ],
)
def test_asking_for_anything_but_json_is_406(fhir, patient, query, headers):
    _error(fhir.get(f"/fhir/Patient/{patient.pk}", query, **headers), 406, "not-supported")
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"_format": "json"}, {}),
        ({"_format": "application/fhir+json"}, {}),
        ({}, {"Accept": "application/fhir+json"}),
        ({}, {"Accept": "application/json, text/plain;q=0.5"}),
        ({}, {"Accept": "*/*"}),
    ],
)
def test_json_in_any_spelling_is_served(fhir, patient, query, headers):
    assert fhir.get(f"/fhir/Patient/{patient.pk}", query, **headers).status_code == 200


def test_everything_answers_with_the_dollar_sign_percent_encoded(fhir, patient):
    assert fhir.get(f"/fhir/Patient/{patient.pk}/%24everything").status_code == 200


def test_head_answers_as_get_without_a_body(fhir, patient):
    response = fhir.http.head(
        f"/fhir/Patient/{patient.pk}", headers={"Authorization": f"Bearer {fhir.token}"}
    )

    assert response.status_code == 200
    assert response.content == b""


def test_the_access_report_names_the_client(fhir, patient, clinic_admin_client):
    fhir.get(f"/fhir/Patient/{patient.pk}")

    page = clinic_admin_client.get(reverse("patients:access_report", kwargs={"pk": patient.pk}))

    assert page.status_code == 200
    assert "Riverside GP practice <small" in page.content.decode()


def test_a_read_costs_a_handful_of_queries(fhir, patient, django_assert_max_num_queries):
    fhir.get(f"/fhir/Patient/{patient.pk}")  # last used: written at most once a minute

    # The API on? the client, its last use, the patient, the access event.
    with django_assert_max_num_queries(5):
        assert fhir.get(f"/fhir/Patient/{patient.pk}").status_code == 200
