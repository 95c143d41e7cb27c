"""Limb symmetry and the single-leg stance norm, recorded through the service (domain.md §4.2, §4.5, §4.7)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.record.presenters import derived_flags, derived_values
from assessments.record.selectors import assessment_for_page, hop_lsi, latest_lsis, sls_norm, strength_lsi
from assessments.record.services.assessment import assessment_start
from tests.assessments.record.helpers import ABDUCTORS, save, signed
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _abductors(draft, therapist, index_side, **header):
    save(
        draft,
        therapist,
        header={"index_side": index_side, "body_weight_kg": D(62), **header},
        findings={"strength": ABDUCTORS},
    )
    return assessment_for_page(draft.pk)


def test_domain_example_abduction_84_4_percent_is_flagged(draft, therapist):
    # 135 N involved vs 160 N uninvolved, 0.42 m lever, 62 kg → 0.91 vs 1.08 N·m/kg, LSI 84.4 % → flag.
    record = _abductors(draft, therapist, "right")

    (lsi,) = strength_lsi(record)
    assert (lsi.involved.torque_nm_per_kg, lsi.uninvolved.torque_nm_per_kg) == (D("0.91"), D("1.08"))
    assert (lsi.percent, lsi.flagged) == (D("84.4"), True)
    assert derived_values(record)["lsi-hip_abductors"] == "LSI 84.4 % (below 90 %)"
    assert "lsi-hip_abductors" in derived_flags(record)


def test_lsi_follows_the_index_side(draft, therapist):
    record = _abductors(draft, therapist, "left")

    (lsi,) = strength_lsi(record)
    assert (lsi.percent, lsi.flagged) == (D("118.5"), False)


@pytest.mark.parametrize(
    ("index_side", "note"),
    [("bilateral", "Both sides painful: no symmetry index."), ("", "Set the painful side to compare.")],
)
def test_no_lsi_without_one_painful_side(draft, therapist, index_side, note):
    record = _abductors(draft, therapist, index_side)

    (lsi,) = strength_lsi(record)
    assert (lsi.percent, lsi.note, lsi.flagged) == (None, note, False)


def test_lsi_refused_across_test_positions(draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "right"},
        findings={
            "strength": {
                ("hip_abductors", "right"): {"position": "side_lying", "trial_1_n": D(135)},
                ("hip_abductors", "left"): {"position": "supine", "trial_1_n": D(160)},
            }
        },
    )

    (lsi,) = strength_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.note) == (None, "Tested in different positions: not comparable.")


def test_lsi_without_a_lever_arm_uses_force(draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "right"},
        findings={
            "strength": {
                ("quadriceps", "right"): {"position": "seated", "trial_1_n": D(300)},
                ("quadriceps", "left"): {"position": "seated", "trial_1_n": D(300)},
            }
        },
    )

    (lsi,) = strength_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.flagged) == (D("100.0"), False)


def test_lsi_is_exactly_90_passes(draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "left"},
        findings={
            "strength": {
                ("hamstrings", "left"): {"position": "prone", "trial_1_n": D(180)},
                ("hamstrings", "right"): {"position": "prone", "trial_1_n": D(200)},
            }
        },
    )

    (lsi,) = strength_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.flagged) == (D("90.0"), False)


def test_kg_typed_forces_are_stored_in_newtons_via_the_form(therapist_client, draft, therapist):
    from assessments.record.forms.bundle import AssessmentForms

    data = {
        "version": "1",
        "str-hip_abductors-unit": "kgf",
        "str-hip_abductors-position": "standing",
        "str-hip_abductors-right-trial_1_n": "10",
    }
    forms = AssessmentForms(assessment_for_page(draft.pk), data)

    assert forms.changes().findings["strength"][("hip_abductors", "right")]["trial_1_n"] == D("98.1")


def test_domain_example_hop_94_7_percent_passes(draft, therapist):
    # Hop 142 vs 150 cm → 94.7 % → pass.
    save(
        draft,
        therapist,
        header={"index_side": "right"},
        findings={
            "special": {
                ("hop_distance", "right"): {"distance_cm": D(142)},
                ("hop_distance", "left"): {"distance_cm": D(150)},
            }
        },
    )

    lsi = hop_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.flagged) == (D("94.7"), False)


# --- Single-leg stance against the age norm (Springer, eyes open, best of 3) -------------------


def _aged(years: int):
    today = timezone.localdate()
    return PatientFactory(date_of_birth=date(today.year - years, 1, 1))


@pytest.mark.parametrize(
    ("age", "norm", "best", "below"),
    [
        (25, D(44), D("43.9"), True),
        (39, D(44), D(44), False),
        (45, D(41), D("30.0"), True),
        (55, D(41), D(41), False),
        (65, D(32), D("31.9"), True),
        (75, D(21), D(25), False),
        (85, D(9), D(8), True),
    ],
)
def test_stance_compared_with_the_age_band_norm(therapist, age, norm, best, below):
    assessment = assessment_start(patient=_aged(age), therapist=therapist)
    save(assessment, therapist, findings={"single_leg_stance": {("left",): {"trial_1_s": best}}})

    result = sls_norm(assessment_for_page(assessment.pk))

    assert (result.age, result.norm_s, result.below) == (age, norm, {"left": below})


def test_eyes_closed_is_not_compared_with_the_eyes_open_norm(therapist):
    assessment = assessment_start(patient=_aged(30), therapist=therapist)
    save(
        assessment,
        therapist,
        findings={"single_leg_stance": {("left",): {"eyes": "closed", "trial_1_s": D(5)}}},
    )

    assert sls_norm(assessment_for_page(assessment.pk)).below == {}


def test_no_norm_under_18(therapist):
    assessment = assessment_start(patient=_aged(16), therapist=therapist)
    save(assessment, therapist, findings={"single_leg_stance": {("left",): {"trial_1_s": D(5)}}})

    result = sls_norm(assessment_for_page(assessment.pk))
    assert (result.norm_s, result.below) == (None, {})


def test_latest_lsis_for_the_programme(draft, therapist, patient):
    signed(draft, therapist)

    assert latest_lsis(patient) == {"hip_abductors": D("84.4")}
