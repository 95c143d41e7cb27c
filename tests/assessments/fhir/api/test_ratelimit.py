"""Calls per client per minute: past FHIR_API_RATE_PER_MINUTE, 429 with Retry-After, per client."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from clinic.audit.models import AccessEvent
from tests.assessments.fhir.api.conftest import Fhir

pytestmark = pytest.mark.django_db
MINUTE = datetime(2026, 12, 1, 10, 0, 15, tzinfo=UTC)


def test_the_call_past_the_limit_is_429_with_retry_after(settings, fhir, make_api_client, patient):
    settings.FHIR_API_RATE_PER_MINUTE = 3
    other = Fhir(make_api_client(name="Another system").token)
    path = f"/fhir/Patient/{patient.pk}"

    with time_machine.travel(MINUTE, tick=False):
        assert [fhir.get(path).status_code for _ in range(3)] == [200, 200, 200]
        refused = fhir.get(path)
        # Another client has a count of its own.
        assert other.get(path).status_code == 200

    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    body = refused.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "throttled"
    assert AccessEvent.objects.filter(client_name="Riverside GP practice").count() == 3
    with time_machine.travel(MINUTE + timedelta(minutes=1), tick=False):
        assert fhir.get(path).status_code == 200


def test_the_default_is_120_a_minute(settings):
    assert settings.FHIR_API_RATE_PER_MINUTE == 120
