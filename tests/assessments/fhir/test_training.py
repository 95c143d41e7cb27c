"""The training log in the FHIR export: runs, sessions and body check-ins as activity Observations."""

from datetime import UTC, datetime, timedelta

import pytest

from assessments.fhir.bundle import patient_bundle, patient_resources
from assessments.fhir.codes import local_system
from assessments.models import BodyCheckIn, Shoe, TrainingSession
from assessments.training import services
from tests.assessments.training.logsupport import WEDNESDAY, logged_run
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _local_code(coded: dict) -> str:
    (coding,) = [c for c in coded["coding"] if c["system"] == local_system()]
    return coding["code"]


@pytest.fixture
def runner():
    patient = PatientFactory()
    shoe = Shoe.objects.create(patient=patient, name="Trail shoes", starting_distance_m=0)
    logged_run(
        patient,
        WEDNESDAY,
        km=12.5,
        minutes=70,
        shoe=shoe,
        surface="trail",
        pain_during=4,
        pain_onset="distance",
        pain_onset_m=6000,
        pain_evening=3,
        pain_next_morning=5,
        started_at=datetime(2026, 11, 25, 7, 30, tzinfo=UTC),
        elevation_gain_m=210,
        avg_cadence_spm=172,
    )
    TrainingSession.objects.create(
        patient=patient, day=WEDNESDAY - timedelta(days=1), kind="strength", minutes=40
    )
    services.cycle_tracking_consent(patient=patient)
    BodyCheckIn.objects.create(
        patient=patient, day=WEDNESDAY, hip_feel=6, sleep_hours=7, sleep_quality=3, stress=8, cycle_day=12
    )
    return patient


def test_a_logged_run_is_an_activity_observation_with_its_pain_answers(runner):
    observations = {
        r.id: r.model_dump(mode="json") for r in patient_resources(runner, resource_types={"Observation"})
    }
    run = next(o for key, o in observations.items() if key.startswith("logrun-"))

    assert run["category"][0]["coding"][0]["code"] == "activity"
    assert run["valueQuantity"] == {
        "value": 12.5,
        "unit": "km",
        "system": "http://unitsofmeasure.org",
        "code": "km",
    }
    assert run["effectiveDateTime"].startswith("2026-11-25T07:30:00")
    parts = {_local_code(c["code"]): c for c in run["component"]}
    assert parts["activity.run-duration"]["valueQuantity"]["value"] == 70
    assert parts["activity.run-shoes"]["valueString"] == "Trail shoes"
    assert parts["activity.run-elevation-gain"]["valueQuantity"]["value"] == 210
    assert parts["activity.run-pain-during"]["valueQuantity"]["value"] == 4
    assert parts["activity.run-pain-onset-distance"]["valueQuantity"]["value"] == 6
    assert parts["activity.run-pain-next-morning"]["valueQuantity"]["value"] == 5
    session = next(o for key, o in observations.items() if key.startswith("logsession-"))
    assert session["valueQuantity"]["value"] == 40


def test_the_body_check_in_goes_without_the_cycle_day_and_the_bundle_validates(runner):
    bundle = patient_bundle(runner)
    body = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"].startswith("logbody-"))

    parts = {_local_code(c["code"]): c for c in body["component"]}
    assert parts["activity.stress"]["valueQuantity"]["value"] == 8
    assert not any("cycle" in code for code in parts)
