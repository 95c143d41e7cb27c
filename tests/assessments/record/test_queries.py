"""Query counts of the assessment pages and the patient hub stay fixed as the record grows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.record.choices import MuscleGroup
from assessments.record.presenters import comparison
from assessments.record.selectors import assessment_for_page, previous_signed
from assessments.record.services.assessment import assessment_start
from tests.assessments.record.helpers import save, signed
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db

# Session and user (2; roles and device come from the session's access snapshot); the assessment and one query per related table (12);
# the previous signed assessment for the comparison and the findings it compares (2); open red flags;
# the audit row; the care-team rule (1). The session is not rewritten within a minute of the last write.
EDIT_QUERIES = 19
DETAIL_QUERIES = 18


def _findings(count: int) -> dict:
    groups = MuscleGroup.values[:count]
    return {
        "strength": {
            (g, side): {"mmt_grade": "4", "position": "supine", "trial_1_n": Decimal(100)}
            for g in groups
            for side in ("left", "right")
        },
        "rom": {
            (m, "left"): {"degrees": 20}
            for m in ("flexion", "extension", "abduction", "adduction", "internal_rotation")[:count]
        },
        "palpation": {
            (s, "right"): {"tenderness": "mild"}
            for s in ("itb", "piriformis", "iliopsoas", "asis_aiis", "femoral_shaft")[:count]
        },
    }


def _reassessment(patient, therapist, count):
    """A signed initial assessment and a re-assessment (compared with it), `count` findings of each kind."""
    first = assessment_start(patient=patient, therapist=therapist)
    save(
        first,
        therapist,
        findings=_findings(count),
        header={"index_side": "right"},
        subjective={"nprs_now": 2},
        impressions=[{"code": "ITBS"}],
    )
    signed(first, therapist)
    second = assessment_start(patient=patient, therapist=therapist, kind="reassessment")
    save(
        second,
        therapist,
        findings=_findings(count),
        header={"index_side": "right"},
        impressions=[{"code": "ITBS"}, {"code": "WEAKNESS_IMBALANCE"}][:count],
        factors=["footwear", "surface"][:count],
    )
    return second


@pytest.mark.parametrize("count", [1, 5])
def test_edit_page_queries_do_not_grow_with_findings(
    therapist_client, django_assert_num_queries, patient, therapist, count
):
    assessment = _reassessment(patient, therapist, count)

    with django_assert_num_queries(EDIT_QUERIES):
        response = therapist_client.get(reverse("assessments:edit", kwargs={"pk": assessment.pk}))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_record_page_queries_do_not_grow_with_findings(
    therapist_client, django_assert_num_queries, patient, therapist, count
):
    assessment = _reassessment(patient, therapist, count)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = therapist_client.get(reverse("assessments:detail", kwargs={"pk": assessment.pk}))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_patient_hub_queries_do_not_grow_with_assessments(therapist_client, patient, therapist, count):
    url = reverse("patients:detail", kwargs={"pk": patient.pk})
    treat(therapist, patient)
    with CaptureQueriesContext(connection) as empty:
        therapist_client.get(url)
    for _ in range(count):
        signed(assessment_start(patient=patient, therapist=therapist), therapist)

    with CaptureQueriesContext(connection) as listed:
        response = therapist_client.get(url)

    # The hub's clinical section: the list, outstanding orders, and (once there is a row) primary impressions.
    assert len(listed) == len(empty) + 1
    assert response.content.decode().count("Signed ") == count


def _compared_findings(*, abductors: int, hop: int, rom: int, sign: str, rating: str) -> dict:
    return {
        "strength": {
            ("hip_abductors", "right"): {
                "mmt_grade": "4",
                "position": "supine",
                "trial_1_n": Decimal(abductors),
            },
            ("hip_abductors", "left"): {"mmt_grade": "5", "position": "supine", "trial_1_n": Decimal(150)},
        },
        "rom": {("flexion", "right"): {"degrees": rom}, ("flexion", "left"): {"degrees": 120}},
        "observation": {
            (): {"leg_length_diff_cm": Decimal("0.5"), "leg_length_shorter_side": "right", "c_sign": sign}
        },
        "single_leg_stance": {
            ("right",): {"trial_1_s": Decimal(hop // 10), "closed_trial_1_s": Decimal("6.5"), "max_s": 30}
        },
        "muscle_length": {("hamstring_90_90", "right"): {"rating": rating}},
        "special": {
            ("fadir", "right"): {"result": "positive" if rating == "reduced" else "negative"},
            ("hop_distance", "right"): {"distance_trial_1_cm": Decimal(hop)},
            ("hop_distance", "left"): {"distance_trial_1_cm": Decimal("150.5")},
        },
        "palpation": {("itb", "right"): {"tenderness": "mild"}},
    }


def test_comparison_reads_two_queries_and_the_same_values_as_the_whole_record(
    django_assert_num_queries, patient, therapist
):
    first = assessment_start(patient=patient, therapist=therapist)
    before = _compared_findings(abductors=117, hop=120, rom=95, sign="positive", rating="reduced")
    save(first, therapist, findings=before, header={"index_side": "right", "pain_rest_nprs": 4})
    save(first, therapist, subjective={"nprs_now": 4}, impressions=[{"code": "ITBS"}])
    signed(first, therapist)
    second = assessment_start(patient=patient, therapist=therapist, kind="reassessment")
    after = _compared_findings(abductors=138, hop=141, rom=110, sign="negative", rating="normal")
    save(second, therapist, findings=after, header={"index_side": "right", "pain_rest_nprs": 1})
    save(second, therapist, impressions=[{"code": "WEAKNESS_IMBALANCE"}])
    current = assessment_for_page(second.pk)

    with django_assert_num_queries(2):
        previous = previous_signed(current)
    with django_assert_num_queries(0):
        changes = comparison(previous, current)

    assert changes == comparison(assessment_for_page(first.pk), current)
    assert {c.section for c in changes} == {
        "Pain",
        "Strength LSI",
        "Strength MMT",
        "Hop for distance",
        "Observation",
        "Single-leg stance",
        "Range of motion",
        "Muscle length",
        "Special tests",
        "Single-leg stance eyes closed",
        "Impression",
    }
