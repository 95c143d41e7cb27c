"""The clinic admin's API client pages: create (token once), rotate, revoke; no other role reaches them."""

import re

import pytest
from django.urls import reverse

from assessments.fhir.clients.services import token_digest
from assessments.models import FhirClient
from tests.assessments.fhir.api.conftest import Fhir

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'value="(stride_[A-Za-z0-9_-]{43})"')
NEW = {
    "name": "Riverside GP practice",
    "contact": "IT desk, it@riverside.example",
    "access": "all",
}


def _token(response) -> str:
    (token,) = TOKEN.findall(response.content.decode())
    return token


@pytest.mark.parametrize("client_fixture", ["front_desk_client", "therapist_client"])
@pytest.mark.parametrize("name", ["list", "new", "rotate", "revoke"])
def test_front_desk_and_therapists_cannot_reach_the_client_pages(request, issued, client_fixture, name):
    client = request.getfixturevalue(client_fixture)
    kwargs = {"pk": issued.client.pk} if name in {"rotate", "revoke"} else {}
    url = reverse(f"fhir_clients:{name}", kwargs=kwargs)

    assert client.get(url).status_code == 403
    assert client.post(url, NEW | {"grace_hours": "0"}).status_code == 403
    assert FhirClient.objects.count() == 1
    assert FhirClient.objects.get().revoked_at is None


def test_a_new_client_shows_its_token_once_and_the_token_works(clinic_admin_client, clinic_admin, patient):
    response = clinic_admin_client.post(reverse("fhir_clients:new"), NEW)

    assert response.status_code == 200
    token = _token(response)
    client = FhirClient.objects.get()
    assert client.name == "Riverside GP practice"
    assert client.scopes == ["patient/*.read"]
    assert client.created_by == clinic_admin
    assert client.token_hash == token_digest(token)
    listing = clinic_admin_client.get(reverse("fhir_clients:list"))
    assert listing.status_code == 200
    assert "Riverside GP practice" in listing.content.decode()
    assert token not in listing.content.decode()
    assert client.token_prefix in listing.content.decode()
    assert Fhir(token).get(f"/fhir/Patient/{patient.pk}").status_code == 200


def test_a_client_limited_to_some_types(clinic_admin_client):
    response = clinic_admin_client.post(
        reverse("fhir_clients:new"), NEW | {"access": "some", "resource_types": ["Observation", "Condition"]}
    )

    assert response.status_code == 200
    assert FhirClient.objects.get().scopes == ["patient/Condition.read", "patient/Observation.read"]


def test_a_failed_save_keeps_the_values_and_says_why_at_the_field(clinic_admin_client, issued):
    response = clinic_admin_client.post(
        reverse("fhir_clients:new"), NEW | {"name": "riverside gp practice", "access": "some"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="riverside gp practice"' in page
    assert 'value="IT desk, it@riverside.example"' in page
    assert "Tick at least one type" in page
    assert 'aria-invalid="true"' in page
    assert FhirClient.objects.count() == 1
    assert TOKEN.findall(page) == []


def test_a_duplicate_name_is_refused_next_to_the_name(clinic_admin_client, issued):
    response = clinic_admin_client.post(reverse("fhir_clients:new"), NEW | {"name": "RIVERSIDE GP practice"})

    assert response.status_code == 400
    page = response.content.decode()
    # Announced at the field: the input names its error, and the error holds the reason.
    assert 'aria-describedby="id_name_helptext id_name_error"' in page
    error = page[page.index('id="id_name_error"') :]
    assert error.index("A client of that name exists") < error.index("</div>")
    assert FhirClient.objects.count() == 1


def test_rotate_shows_a_new_token_and_the_old_one_stops_without_grace(clinic_admin_client, issued, patient):
    url = reverse("fhir_clients:rotate", kwargs={"pk": issued.client.pk})
    assert clinic_admin_client.get(url).status_code == 200

    response = clinic_admin_client.post(url, {"grace_hours": "0"})

    assert response.status_code == 200
    new = _token(response)
    assert new != issued.token
    assert Fhir(issued.token).get(f"/fhir/Patient/{patient.pk}").status_code == 401
    assert Fhir(new).get(f"/fhir/Patient/{patient.pk}").status_code == 200


def test_rotate_with_grace_keeps_the_old_token_for_a_while(clinic_admin_client, issued, patient):
    url = reverse("fhir_clients:rotate", kwargs={"pk": issued.client.pk})

    response = clinic_admin_client.post(url, {"grace_hours": "24"})

    assert "The previous token works until" in response.content.decode()
    assert Fhir(issued.token).get(f"/fhir/Patient/{patient.pk}").status_code == 200


def test_revoke_asks_first_then_stops_every_token(clinic_admin_client, issued, make_api_client, patient):
    make_api_client(name="Another system")
    url = reverse("fhir_clients:revoke", kwargs={"pk": issued.client.pk})
    assert clinic_admin_client.get(url).status_code == 200
    assert FhirClient.objects.get(pk=issued.client.pk).revoked_at is None

    response = clinic_admin_client.post(url)

    assert response.status_code == 302
    assert FhirClient.objects.get(pk=issued.client.pk).revoked_at is not None
    assert Fhir(issued.token).get(f"/fhir/Patient/{patient.pk}").status_code == 401
    # A revoked client gets no new token.
    rotate = clinic_admin_client.post(
        reverse("fhir_clients:rotate", kwargs={"pk": issued.client.pk}), {"grace_hours": "0"}
    )
    assert rotate.status_code == 400
    assert TOKEN.findall(rotate.content.decode()) == []


def test_changes_are_in_the_change_history_with_who_made_them(clinic_admin_client, clinic_admin, issued):
    clinic_admin_client.post(
        reverse("fhir_clients:rotate", kwargs={"pk": issued.client.pk}), {"grace_hours": "0"}
    )
    clinic_admin_client.post(reverse("fhir_clients:revoke", kwargs={"pk": issued.client.pk}))

    events = list(issued.client.audit_events.order_by("pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update", "update"]
    assert events[-1].revoked_at is not None
    assert all(not hasattr(e, "token_hash") for e in events)
    assert events[1].pgh_context.metadata["user"] == clinic_admin.pk
