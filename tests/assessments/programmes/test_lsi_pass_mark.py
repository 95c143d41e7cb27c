"""The discharge review applies the 90 % LSI pass mark before rounding (89.95 % shows as 90.0 % and fails)."""

from decimal import Decimal

import pytest

from assessments.programmes.services.discharge import discharge_review
from assessments.record.services.assessment import assessment_sign, assessment_start
from tests.assessments.programmes.support import start_programme
from tests.assessments.record.helpers import complete, save

pytestmark = pytest.mark.django_db

D = Decimal
STRENGTH = "Strength limb symmetry 90 % or more in every muscle group tested"
HOP = "Hop test limb symmetry 90 % or more (if tested)"


def _reassessed(programme, therapist, involved: Decimal):
    """A signed re-assessment: abductors and hop for distance `involved` on the right against 200 on the left."""
    assessment = assessment_start(patient=programme.patient, therapist=therapist, kind="reassessment")
    complete(assessment, therapist)
    save(
        assessment,
        therapist,
        findings={
            "strength": {
                ("hip_abductors", "right"): {"position": "supine", "trial_1_n": involved},
                ("hip_abductors", "left"): {"position": "supine", "trial_1_n": D(200)},
            },
            "special": {
                ("hop_distance", "right"): {"distance_trial_1_cm": involved},
                ("hop_distance", "left"): {"distance_trial_1_cm": D(200)},
            },
        },
    )
    assessment.refresh_from_db()
    assessment_sign(assessment=assessment, by=therapist)


@pytest.mark.parametrize(("involved", "met"), [(D("179.9"), False), (D(180), True)])
def test_discharge_lsi_criteria_compare_the_unrounded_value(therapist, involved, met):
    programme = start_programme(therapist)
    _reassessed(programme, therapist, involved)

    criteria = {check.label: check.met for check in discharge_review(programme).criteria}

    assert (criteria[STRENGTH], criteria[HOP]) == (met, met)
