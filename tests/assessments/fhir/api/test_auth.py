"""Bearer tokens: none, unknown, revoked, rotated (with and without grace); the API off without a client."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from assessments.fhir.clients.services import fhir_client_revoke, fhir_client_rotate, token_digest
from assessments.models import FhirClient
from clinic.audit.models import AccessEvent
from tests.assessments.fhir.api.conftest import Fhir

pytestmark = pytest.mark.django_db


def _outcome(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert [(i["severity"], i["code"]) for i in body["issue"]] == [("error", code)]
    return body


def test_no_token_is_401_with_an_operation_outcome(issued, patient):
    response = Fhir(None).get(f"/fhir/Patient/{patient.pk}")

    _outcome(response, 401, "login")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer stride_not-a-real-token", "Token x"]
)
def test_a_malformed_or_unknown_token_is_401(issued, patient, header):
    response = Fhir(None).get(f"/fhir/Patient/{patient.pk}", Authorization=header)

    _outcome(response, 401, "login")


def test_a_staff_session_is_no_token(issued, patient, clinic_admin_client):
    response = clinic_admin_client.get(f"/fhir/Patient/{patient.pk}")

    _outcome(response, 401, "login")


def test_a_valid_token_reads_the_patient(fhir, patient):
    response = fhir.get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 200
    assert response.json()["resourceType"] == "Patient"
    assert response.json()["id"] == str(patient.pk)


def test_a_revoked_token_is_refused(issued, make_api_client, clinic_admin, patient):
    make_api_client(name="Another system")  # the API stays on
    fhir_client_revoke(client=issued.client, by=clinic_admin)

    _outcome(Fhir(issued.token).get(f"/fhir/Patient/{patient.pk}"), 401, "login")


def test_rotation_without_grace_stops_the_old_token_at_once(issued, clinic_admin, patient):
    new = fhir_client_rotate(client=issued.client, grace=timedelta(0), by=clinic_admin)

    _outcome(Fhir(issued.token).get(f"/fhir/Patient/{patient.pk}"), 401, "login")
    assert Fhir(new.token).get(f"/fhir/Patient/{patient.pk}").status_code == 200


def test_the_rotated_token_works_through_its_grace_and_not_after(issued, clinic_admin, patient):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        new = fhir_client_rotate(client=issued.client, grace=timedelta(hours=1), by=clinic_admin)
    path = f"/fhir/Patient/{patient.pk}"

    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert Fhir(issued.token).get(path).status_code == 200
        assert Fhir(new.token).get(path).status_code == 200
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        _outcome(Fhir(issued.token).get(path), 401, "login")
        assert Fhir(new.token).get(path).status_code == 200


def test_a_second_rotation_stops_the_first_token_even_within_its_grace(issued, clinic_admin, patient):
    second = fhir_client_rotate(client=issued.client, grace=timedelta(days=7), by=clinic_admin)
    third = fhir_client_rotate(client=issued.client, grace=timedelta(days=7), by=clinic_admin)
    path = f"/fhir/Patient/{patient.pk}"

    _outcome(Fhir(issued.token).get(path), 401, "login")
    assert Fhir(second.token).get(path).status_code == 200
    assert Fhir(third.token).get(path).status_code == 200


def test_revoking_ends_a_rotated_token_in_its_grace_too(issued, make_api_client, clinic_admin, patient):
    make_api_client(name="Another system")
    new = fhir_client_rotate(client=issued.client, grace=timedelta(days=1), by=clinic_admin)
    fhir_client_revoke(client=issued.client, by=clinic_admin)

    for token in (issued.token, new.token):
        _outcome(Fhir(token).get(f"/fhir/Patient/{patient.pk}"), 401, "login")


def test_the_api_is_off_without_an_active_client(issued, clinic_admin, patient):
    fhir_client_revoke(client=issued.client, by=clinic_admin)

    for path in ("/fhir/metadata", f"/fhir/Patient/{patient.pk}", "/fhir/Observation"):
        body = _outcome(Fhir(issued.token).get(path), 404, "not-found")
        assert "off" in body["issue"][0]["diagnostics"]


def test_the_api_is_off_before_any_client_exists(db):
    _outcome(Fhir(None).get("/fhir/metadata"), 404, "not-found")


def test_the_api_is_read_only(fhir, patient):
    response = fhir.http.post(
        f"/fhir/Patient/{patient.pk}", {}, headers={"Authorization": f"Bearer {fhir.token}"}
    )

    _outcome(response, 405, "not-supported")
    assert response["Allow"] == "GET, HEAD"


def test_last_used_is_noted(fhir, issued, patient):
    assert issued.client.last_used_at is None

    fhir.get(f"/fhir/Patient/{patient.pk}")

    issued.client.refresh_from_db()
    assert issued.client.last_used_at is not None


def test_the_token_is_stored_only_as_its_hash(issued, clinic_admin):
    rotated = fhir_client_rotate(client=issued.client, grace=timedelta(hours=1), by=clinic_admin)
    row = FhirClient.objects.get(pk=issued.client.pk)

    assert row.token_hash == token_digest(rotated.token)
    assert row.previous_token_hash == token_digest(issued.token)
    assert len(row.token_prefix) < len(rotated.token) // 3
    # No column of any table holds either token in clear (the change history included).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')"
        )
        columns = cursor.fetchall()
        holders = []
        for table, column in columns:
            for token in (issued.token, rotated.token):
                cursor.execute(
                    f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1',  # noqa: S608 -- names from the catalogue
                    [f"%{token[len('stride_') :]}%"],
                )
                if cursor.fetchone():
                    holders.append(f"{table}.{column}")
    assert holders == []
    # Created and rotated: two change-history events, neither copying a digest.
    assert row.audit_events.count() == 2
