"""A token reads only what its scopes allow; the scope rules themselves (pure)."""

import pytest

from assessments.fhir.api.scopes import (
    SCOPE_ALL,
    readable_types,
    reads_everything,
    scope_problems,
    scopes_for,
)
from assessments.fhir.bundle import RESOURCE_TYPES
from clinic.audit.models import AccessEvent
from tests.assessments.fhir.api.conftest import Fhir

KNOWN = ("Patient", "Observation", "Appointment")


def test_the_wildcard_reads_every_known_type():
    assert readable_types([SCOPE_ALL], KNOWN) == set(KNOWN)
    assert reads_everything([SCOPE_ALL], KNOWN)


def test_single_types_read_only_themselves():
    scopes = scopes_for(["Observation", "Patient"])

    assert scopes == ["patient/Observation.read", "patient/Patient.read"]
    assert readable_types(scopes, KNOWN) == {"Observation", "Patient"}
    assert not reads_everything(scopes, KNOWN)


@pytest.mark.parametrize(
    "scope", ["patient/*.write", "user/*.read", "patient/Practitioner.read", "Observation", "patient/*.*"]
)
def test_other_scopes_grant_nothing_and_are_refused(scope):
    assert readable_types([scope], KNOWN) == set()
    assert scope_problems([scope], KNOWN) != []


def test_no_scope_is_refused():
    assert scope_problems([], KNOWN) == ["A client needs at least one scope."]
    assert scope_problems([SCOPE_ALL, "patient/Observation.read"], KNOWN) == []


@pytest.mark.django_db
def test_a_token_limited_to_observations_reads_only_observations(make_api_client, patient):
    issued = make_api_client(name="Running lab", scopes=["patient/Observation.read"])
    fhir = Fhir(issued.token)

    assert fhir.get("/fhir/Observation", {"patient": patient.pk}).status_code == 200
    assert AccessEvent.objects.count() == 1
    refused = [
        f"/fhir/Patient/{patient.pk}",
        f"/fhir/Patient?_id={patient.pk}",
        f"/fhir/Patient/{patient.pk}/$everything",
        *(f"/fhir/{t}?patient={patient.pk}" for t in RESOURCE_TYPES if t not in {"Observation", "Patient"}),
    ]
    for path in refused:
        response = fhir.get(path)
        assert response.status_code == 403, path
        assert response.json()["issue"][0]["code"] == "forbidden"
    assert AccessEvent.objects.count() == 1


@pytest.mark.django_db
def test_everything_needs_every_type_even_when_all_are_listed_one_by_one(make_api_client, patient):
    issued = make_api_client(name="Sports physician", scopes=scopes_for(RESOURCE_TYPES))

    assert Fhir(issued.token).get(f"/fhir/Patient/{patient.pk}/$everything").status_code == 200
