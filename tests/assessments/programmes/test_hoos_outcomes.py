"""HOOS at baseline and at the end of every hip programme, with its change on the discharge summary (§7.1)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Programme, ProgrammeOutcome
from assessments.programmes.services.discharge import discharge_review
from patients.intake.forms.health import OutcomesForm
from tests.assessments.programmes.support import start_programme
from tests.assessments.record.intake_helpers import submitted_intake
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

D = Decimal
# domain.md §7.5 E1.
HOOS_E1 = {
    "symptoms": [1, 1, 2, 2, 1],
    "pain": [1, 2, 1, 2, 1, 0, 1, 1, 2, 1],
    "adl": [0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0],
    "sport": [2, 3, 2, 1],
    "qol": [3, 2, 2, 2],
}
HOOS_E1_SCORES = {
    "hoos_pain": D("70.00"),
    "hoos_symptoms": D("65.00"),
    "hoos_adl": D("89.71"),
    "hoos_sport": D("50.00"),
    "hoos_qol": D("43.75"),
}
LEFS = {f"lefs_{n}": "3" for n in range(1, 21)}


def version_of(programme: Programme) -> int:
    """The version the outcome page is loaded with now."""
    return Programme.objects.get(pk=programme.pk).version


def _scores(outcome: ProgrammeOutcome) -> dict[str, object]:
    return {name: getattr(outcome, name) for name in HOOS_E1_SCORES}


def test_intake_asks_hoos_by_default_with_every_item_optional():
    form = OutcomesForm()

    hoos = [field for name, field in form.fields.items() if name.startswith("hoos_")]
    assert len(hoos) == 40
    assert {field.required for field in hoos} == {False}


def test_baseline_outcome_takes_hoos_from_the_intake(therapist):
    patient = PatientFactory()
    response = submitted_intake(patient)
    response.hoos_items = HOOS_E1
    for name, score in HOOS_E1_SCORES.items():
        setattr(response, name, score)
    response.save()

    programme = start_programme(therapist, patient=patient)

    baseline = ProgrammeOutcome.objects.get(programme=programme, timepoint="baseline")
    assert (baseline.hoos_items, _scores(baseline)) == (HOOS_E1, HOOS_E1_SCORES)


def _hoos_post(items: dict[str, list[int | None]]) -> dict[str, str]:
    return {
        f"hoos_{name}_{i}": "" if value is None else str(value)
        for name, values in items.items()
        for i, value in enumerate(values, start=1)
    }


def test_end_outcome_scores_hoos_and_the_discharge_summary_shows_its_change(therapist_client, therapist):
    patient = PatientFactory()
    response = submitted_intake(patient)
    response.hoos_items = HOOS_E1
    for name, score in HOOS_E1_SCORES.items():
        setattr(response, name, score)
    response.save()
    programme = start_programme(therapist, patient=patient)
    # Better everywhere; two pain items skipped (8 of 10 answered is enough).
    end = {
        "symptoms": [0, 1, 1, 1, 0],
        "pain": [0, 1, 0, 1, 0, 0, 0, None, None, 0],
        "adl": [0] * 17,
        "sport": [1, 1, 1, 0],
        "qol": [2, 1, 1, 1],
    }

    posted = therapist_client.post(
        reverse("assessments:programme_outcome", args=[programme.pk]),
        {"timepoint": "end", "nprs_worst": "2", **LEFS, **_hoos_post(end), "version": version_of(programme)},
    )

    assert posted.status_code == 302
    outcome = ProgrammeOutcome.objects.get(programme=programme, timepoint="end")
    assert _scores(outcome) == {
        "hoos_pain": D("93.75"),
        "hoos_symptoms": D("85.00"),
        "hoos_adl": D("100.00"),
        "hoos_sport": D("81.25"),
        "hoos_qol": D("68.75"),
    }
    rows = {
        c.measure: (c.baseline, c.latest, c.change, c.verdict) for c in discharge_review(programme).outcomes
    }
    assert rows["HOOS pain (0–100)"] == ("70", "93.75", "+23.75", "better")
    assert rows["HOOS quality of life (0–100)"] == ("43.75", "68.75", "+25", "better")
    page = therapist_client.get(
        reverse("assessments:programme_discharge", args=[programme.pk])
    ).content.decode()
    assert "HOOS sport and recreation (0–100)" in page


def test_end_outcome_without_hoos_answers_is_kept_without_scores(therapist_client, therapist):
    programme = start_programme(therapist)

    posted = therapist_client.post(
        reverse("assessments:programme_outcome", args=[programme.pk]),
        {"timepoint": "end", "nprs_worst": "2", **LEFS, "version": version_of(programme)},
    )

    assert posted.status_code == 302
    outcome = ProgrammeOutcome.objects.get(programme=programme, timepoint="end")
    assert (outcome.hoos_items, set(_scores(outcome).values())) == ({}, {None})
    measures = [c.measure for c in discharge_review(programme).outcomes]
    assert [m for m in measures if m.startswith("HOOS")] == []
