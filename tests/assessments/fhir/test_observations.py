"""Examination Observations built from single findings: values, trials, side, not-done tests, LSI."""

from decimal import Decimal

import pytest

from assessments.fhir.bundle import patient_resources, unresolved_in
from assessments.models import SingleLegStance, SpecialTest, StrengthTest
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _observations(patient) -> dict[str, dict]:
    return {
        r.id: r.model_dump(mode="json") for r in patient_resources(patient, resource_types={"Observation"})
    }


def _component(observation: dict, code: str) -> dict:
    (found,) = [c for c in observation["component"] if c["code"]["coding"][0]["code"] == code]
    return found


def test_single_leg_stance_exports_best_time_trials_side_and_eyes_closed_apart():
    assessment = AssessmentFactory(index_side="right")
    stance = SingleLegStance.objects.create(
        assessment=assessment,
        side="left",
        trial_1_s=Decimal("20.5"),
        trial_2_s=Decimal("31.0"),
        best_time_s=Decimal("31.0"),
        closed_trial_1_s=Decimal("8.0"),
        closed_best_time_s=Decimal("8.0"),
        max_s=45,
        trendelenburg="drops_lt_2cm",
        pain_provoked=True,
        pain_nprs=3,
    )

    observations = _observations(assessment.patient)

    opened = observations[f"sls-{stance.pk}-left"]
    assert opened["status"] == "preliminary"
    assert opened["valueQuantity"] == {
        "value": 31.0,
        "unit": "s",
        "system": "http://unitsofmeasure.org",
        "code": "s",
    }
    assert [_component(opened, f"trial.{n}")["valueQuantity"]["value"] for n in (1, 2)] == [20.5, 31.0]
    assert _component(opened, "exam.sls-time-cap")["valueQuantity"]["value"] == 45
    assert _component(opened, "exam.trendelenburg")["valueString"] == "Drops < 2 cm (positive)"
    assert _component(opened, "laterality")["valueCodeableConcept"]["coding"][0]["code"] == "7771000"
    pain = [c for c in opened["component"] if c["code"]["coding"][0]["code"] == "72514-3"]
    assert [c["valueQuantity"]["value"] for c in pain] == [3]
    closed = observations[f"sls-{stance.pk}-left-closed"]
    assert closed["valueQuantity"]["value"] == 8.0
    assert closed["code"]["coding"][0]["code"] == "exam.sls-eyes-closed"


def test_a_test_not_done_has_no_value_and_says_why():
    assessment = AssessmentFactory()
    test = SpecialTest.objects.create(
        assessment=assessment,
        test="hop",
        side="right",
        performed=False,
        not_performed_reason="contraindicated",
    )

    observation = _observations(assessment.patient)[f"special-test-{test.pk}-right"]

    assert observation["dataAbsentReason"]["coding"][0]["code"] == "not-performed"
    assert observation["dataAbsentReason"]["text"] == "Contraindicated"
    assert not {key for key in observation if key.startswith("value")}
    assert [c["code"]["coding"][0]["code"] for c in observation["component"]] == ["laterality"]


def test_a_positive_special_test_is_interpreted_positive():
    assessment = AssessmentFactory()
    test = SpecialTest.objects.create(
        assessment=assessment,
        test="fadir",
        side="right",
        result="positive",
        pain_provoked=True,
        familiar_pain=True,
    )

    observation = _observations(assessment.patient)[f"special-test-{test.pk}-right"]

    assert observation["valueCodeableConcept"]["coding"][0]["code"] == "result.positive"
    assert observation["interpretation"][0]["coding"][0]["code"] == "POS"
    assert _component(observation, "pain.familiar")["valueBoolean"] is True


def test_strength_on_both_sides_gives_force_trials_torque_and_the_limb_symmetry_index():
    assessment = AssessmentFactory(index_side="left", body_weight_kg=Decimal("62.0"))
    rows = {}
    for side, force, per_kg in (("left", "135.0", "0.91"), ("right", "160.0", "1.08")):
        rows[side] = StrengthTest.objects.create(
            assessment=assessment,
            muscle_group="hip_abductors",
            side=side,
            position="supine",
            trial_1_n=Decimal(force),
            peak_force_n=Decimal(force),
            lever_arm_m=Decimal("0.42"),
            torque_nm=Decimal(force) * Decimal("0.42"),
            torque_nm_per_kg=Decimal(per_kg),
        )

    resources = patient_resources(assessment.patient, resource_types={"Observation"})
    observations = {r.id: r.model_dump(mode="json") for r in resources}

    left = observations[f"strength-{rows['left'].pk}-left"]
    assert (left["valueQuantity"]["value"], left["valueQuantity"]["unit"]) == (135.0, "N")
    assert _component(left, "exam.torque-per-kg")["valueQuantity"]["code"] == "N.m/kg"
    assert _component(left, "exam.lever-arm")["valueQuantity"]["value"] == 0.42
    lsi = observations[f"lsi-{assessment.pk}-hip-abductors"]
    assert lsi["valueQuantity"]["value"] == 84.4
    assert lsi["interpretation"][0]["coding"][0]["code"] == "L"
    assert lsi["valueQuantity"]["unit"] == "%"
    assert {d["reference"] for d in lsi["derivedFrom"]} == {
        f"Observation/strength-{rows['left'].pk}-left",
        f"Observation/strength-{rows['right'].pk}-right",
    }
    assert unresolved_in(patient_resources(assessment.patient)) == set()
