"""Examination items of domain.md §4.1, §4.2, §4.6 and §4.7: stance eyes open and closed with its cap,
muscle length, the impact/function screen, hop trials, leg length and C-sign, and the hop guard."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import MuscleLength, Observation, SingleLegStance, SpecialTest
from assessments.record import measures
from assessments.record.presenters import comparison, derived_values, finding_text, record_sections
from assessments.record.selectors import assessment_for_page, hop_lsi, sls_norm, strength_lsi
from assessments.record.services.assessment import assessment_start
from tests.assessments.record.forms_data import browser_post
from tests.assessments.record.helpers import save, signed
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

D = Decimal
COMMON = {"performed": True, "not_performed_reason": "", "pain_provoked": False, "familiar_pain": False}
BSI = [{"code": "BSI_FEM_NECK", "side": "right", "certainty": "working"}]


def _aged(years: int):
    today = timezone.localdate()
    return PatientFactory(date_of_birth=date(today.year - years, 1, 1))


# --- Pure rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("involved", "uninvolved", "shown", "below"),
    [(D("179.9"), D(200), D("90.0"), True), (D(180), D(200), D("90.0"), False), (142, 150, D("94.7"), False)],
)
def test_lsi_pass_mark_is_applied_before_rounding(involved, uninvolved, shown, below):
    assert measures.limb_symmetry_index(involved, uninvolved) == shown
    assert measures.limb_symmetry_index_exact(involved, uninvolved) == D(involved) * 100 / D(uninvolved)
    assert measures.lsi_below_pass_mark(involved, uninvolved) is below
    assert measures.lsi_flagged(measures.limb_symmetry_index_exact(involved, uninvolved)) is below


@pytest.mark.parametrize(
    ("best", "age", "cap", "expected"),
    [
        (D(30), 25, 30, measures.SLS_NOT_COMPARABLE),  # a 30 s screen cannot show a 44 s norm
        (D(30), 65, 30, measures.SLS_NOT_COMPARABLE),  # norm 32 s
        (D(30), 75, 30, measures.SLS_MEETS),  # norm 21 s, within the cap
        (D(45), 25, 45, measures.SLS_MEETS),  # norm 44 s, within the cap
        (D(20), 75, 30, measures.SLS_BELOW),  # stopped before the cap: compared
        (D("29.9"), 25, 30, measures.SLS_BELOW),
        (D(30), 25, None, measures.SLS_BELOW),  # no cap recorded: compared as timed
        (D(50), 25, 60, measures.SLS_MEETS),
    ],
)
def test_sls_norm_status_takes_the_cap_into_account(best, age, cap, expected):
    assert measures.sls_norm_status(best, age, cap) == expected


@pytest.mark.parametrize(("best", "cap"), [(D(30), 40), (D(31), 30), (D(30), True)])
def test_sls_norm_status_rejects_bad_cap_or_time_over_it(best, cap):
    with pytest.raises(ValueError):
        measures.sls_norm_status(best, 30, cap)


def test_hop_best_distance_is_the_longest_trial():
    assert measures.hop_best_distance([D(130), D("142.04"), D(138)]) == D("142.0")


@pytest.mark.parametrize("trials", [[D("400.1")], [], [1, 2, 3, 4], "142"])
def test_hop_best_distance_rejects_bad_trials(trials):
    with pytest.raises(ValueError):
        measures.hop_best_distance(trials)


# --- Database and model constraints -------------------------------------------------------------

DB_CASES = [
    ("musclelength_rating_valid", MuscleLength, {"test": "thomas", "side": "left", "rating": "tight"}),
    ("musclelength_rating_when_done", MuscleLength, {"test": "thomas", "side": "left", "rating": ""}),
    ("musclelength_side_is_a_limb", MuscleLength, {"test": "calf", "side": "bilateral", "rating": "normal"}),
    ("musclelength_test_valid", MuscleLength, {"test": "neck", "side": "left", "rating": "normal"}),
    (
        "musclelength_not_tested_is_empty",
        MuscleLength,
        {"test": "ober", "side": "left", "pain": True, "performed": False, "not_performed_reason": "time"},
    ),
    (
        "specialtest_completed_only_for_impact_screen",
        SpecialTest,
        {"test": "fadir", "side": "left", "result": "negative", "completed": True},
    ),
    (
        "specialtest_distance_trial_1_cm_range",
        SpecialTest,
        {"test": "hop_distance", "side": "left", "distance_trial_1_cm": D(401), "distance_cm": D(40)},
    ),
    (
        "specialtest_trials_in_order",
        SpecialTest,
        {"test": "hop_distance", "side": "left", "distance_trial_2_cm": D(100), "distance_cm": D(100)},
    ),
    (
        "specialtest_best_when_trials",
        SpecialTest,
        {"test": "hop_distance", "side": "left", "distance_trial_1_cm": D(100), "result": "negative"},
    ),
    (
        "specialtest_bone_stress_reason_only_for_hops",
        SpecialTest,
        {"test": "lunge", "side": "left", "completed": True, "bone_stress_reason": "cleared"},
    ),
    ("specialtest_result_when_done", SpecialTest, {"test": "jog", "side": "left"}),
    (
        "singlelegstance_max_valid",
        SingleLegStance,
        {"side": "left", "trial_1_s": D(20), "best_time_s": D(20), "max_s": 40},
    ),
    (
        "singlelegstance_within_cap",
        SingleLegStance,
        {"side": "left", "trial_1_s": D(35), "best_time_s": D(35), "max_s": 30},
    ),
    (
        "singlelegstance_closed_set_with_open_trials",
        SingleLegStance,
        {
            "side": "left",
            "eyes": "closed",
            "trial_1_s": D(5),
            "best_time_s": D(5),
            "closed_trial_1_s": D(4),
            "closed_best_time_s": D(4),
        },
    ),
    (
        "singlelegstance_closed_trials_in_order",
        SingleLegStance,
        {"side": "left", "closed_trial_1_s": D(4), "closed_trial_3_s": D(5), "closed_best_time_s": D(5)},
    ),
    (
        "singlelegstance_closed_trial_2_s_range",
        SingleLegStance,
        {"side": "left", "closed_trial_1_s": D(4), "closed_trial_2_s": D(61), "closed_best_time_s": D(4)},
    ),
    (
        "observation_shorter_side_needs_difference",
        Observation,
        {"leg_length_diff_cm": D(0), "leg_length_shorter_side": "left"},
    ),
    ("observation_method_needs_difference", Observation, {"leg_length_method": "true"}),
    (
        "observation_leg_length_method_valid",
        Observation,
        {"leg_length_diff_cm": D(1), "leg_length_method": "tape"},
    ),
    ("observation_c_sign_valid", Observation, {"c_sign": "maybe"}),
]


@pytest.mark.parametrize(("name", "model", "values"), DB_CASES, ids=[c[0] for c in DB_CASES])
def test_database_refuses_with_the_named_constraint(draft, name, model, values):
    with pytest.raises(IntegrityError, match=f"assessments_{name}"), transaction.atomic():
        model.objects.create(assessment=draft, **{**COMMON, **values})


@pytest.mark.parametrize(("name", "model", "values"), DB_CASES, ids=[c[0] for c in DB_CASES])
def test_full_clean_refuses_the_same_rows(draft, name, model, values):
    row = model(assessment=draft, **{**COMMON, **values})

    with pytest.raises(ValidationError):
        row.full_clean()


def test_full_clean_names_distance_trials_on_another_test(draft):
    row = SpecialTest(
        assessment=draft, test="hop", side="left", hops_completed=5, distance_trial_1_cm=D(100), **COMMON
    )

    with pytest.raises(ValidationError) as error:
        row.full_clean()

    assert "Distance trials are for the hop for distance only." in error.value.messages


def test_full_clean_accepts_the_new_items(draft):
    rows = [
        MuscleLength(
            assessment=draft, test="hamstring_90_90", side="left", rating="reduced", pain=True, **COMMON
        ),
        SpecialTest(assessment=draft, test="step_up", side="right", completed=False, **COMMON),
        SpecialTest(
            assessment=draft,
            test="hop_distance",
            side="left",
            distance_trial_1_cm=D(120),
            distance_trial_2_cm=D(131),
            distance_cm=D(131),
            bone_stress_reason="Cleared by MRI",
            **COMMON,
        ),
        SingleLegStance(
            assessment=draft,
            side="left",
            trial_1_s=D(30),
            best_time_s=D(30),
            closed_trial_1_s=D(9),
            closed_best_time_s=D(9),
            max_s=30,
            **COMMON,
        ),
        Observation(
            assessment=draft,
            leg_length_diff_cm=D("1.5"),
            leg_length_shorter_side="right",
            leg_length_method="apparent",
            c_sign="positive",
            **COMMON,
        ),
    ]
    for row in rows:
        row.full_clean()
        row.save()
    assert MuscleLength.objects.filter(assessment=draft).count() == 1


# --- Through the service ---------------------------------------------------------------------


def test_stance_eyes_open_and_closed_on_the_same_side(draft, therapist):
    save(
        draft,
        therapist,
        findings={
            "single_leg_stance": {
                ("left",): {
                    "trial_1_s": D(25),
                    "trial_2_s": D(30),
                    "closed_trial_1_s": D("6.5"),
                    "closed_trial_2_s": D("8.2"),
                    "max_s": 30,
                },
                ("right",): {"trial_1_s": D(18), "closed_trial_1_s": D(4), "max_s": 30},
            }
        },
    )

    left = SingleLegStance.objects.get(assessment=draft, side="left")
    assert (left.best_time_s, left.closed_best_time_s, left.max_s) == (D("30.0"), D("8.2"), 30)
    assert finding_text(left) == (
        "best ≥ 30 s (reached the cap; trials 25.0, 30.0); eyes closed best 8.2 s (trials 6.5, 8.2); cap 30 s"
    )


def test_capped_screen_is_not_read_as_below_the_norm(therapist):
    assessment = assessment_start(patient=_aged(25), therapist=therapist)
    save(
        assessment,
        therapist,
        findings={
            "single_leg_stance": {
                ("left",): {"trial_1_s": D(30), "max_s": 30},
                ("right",): {"trial_1_s": D(22), "max_s": 30},
            }
        },
    )
    record = assessment_for_page(assessment.pk)

    result = sls_norm(record)

    assert (result.below, result.not_comparable) == ({"left": False, "right": True}, ("left",))
    values = derived_values(record)
    assert values["sls-left"] == "best ≥ 30 s · capped, not comparable with the norm"
    assert values["sls-right"] == "best 22.0 s · below norm"


def test_stance_over_the_cap_is_refused(draft, therapist):
    with pytest.raises(ValidationError):
        save(draft, therapist, findings={"single_leg_stance": {("left",): {"trial_1_s": D(35), "max_s": 30}}})
    assert SingleLegStance.objects.filter(assessment=draft).count() == 0


def test_muscle_length_per_test_and_side(draft, therapist):
    save(
        draft,
        therapist,
        findings={
            "muscle_length": {
                ("thomas", "right"): {"rating": "reduced", "pain": True},
                ("thomas", "left"): {"rating": "normal"},
                ("calf", "left"): {"performed": False, "not_performed_reason": "time"},
            }
        },
    )

    rows = {(r.test, r.side): r for r in MuscleLength.objects.filter(assessment=draft)}
    assert (rows[("thomas", "right")].rating, rows[("thomas", "right")].pain) == ("reduced", True)
    assert rows[("thomas", "right")].pain_provoked is True
    assert [finding_text(rows[k]) for k in (("thomas", "right"), ("thomas", "left"), ("calf", "left"))] == [
        "Reduced length; pain on stretch",
        "Normal length",
        "Not tested (no time)",
    ]


def test_impact_screen_pain_zero_is_not_not_tested(draft, therapist):
    save(
        draft,
        therapist,
        findings={
            "special": {
                ("jog", "left"): {"completed": True, "pain_nprs": 0},
                ("jog", "right"): {"completed": False, "pain_nprs": 4},
                ("lunge", "right"): {"performed": False, "not_performed_reason": "pain_too_high"},
            }
        },
    )

    rows = {(r.test, r.side): r for r in SpecialTest.objects.filter(assessment=draft)}
    assert (rows[("jog", "left")].completed, rows[("jog", "left")].pain_nprs) == (True, 0)
    assert [finding_text(rows[k]) for k in (("jog", "left"), ("jog", "right"), ("lunge", "right"))] == [
        "completed; pain 0/10",
        "not completed; pain 4/10",
        "Not tested (pain too high)",
    ]


def test_hop_trials_are_stored_and_best_and_lsi_derived(draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "right"},
        findings={
            "special": {
                ("hop_distance", "right"): {"distance_trial_1_cm": D(130), "distance_trial_2_cm": D(142)},
                ("hop_distance", "left"): {
                    "distance_trial_1_cm": D(150),
                    "distance_trial_2_cm": D(148),
                    "distance_trial_3_cm": D(149),
                },
            }
        },
    )

    right = SpecialTest.objects.get(assessment=draft, side="right")
    assert (right.distance_trials, right.distance_cm) == ([D(130), D(142)], D("142.0"))
    lsi = hop_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.flagged) == (D("94.7"), False)


def test_hop_lsi_just_under_the_pass_mark_is_flagged_though_shown_as_ninety(draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "right"},
        findings={
            "special": {
                ("hop_distance", "right"): {"distance_trial_1_cm": D("179.9")},
                ("hop_distance", "left"): {"distance_trial_1_cm": D(200)},
            }
        },
    )

    lsi = hop_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.exact, lsi.flagged) == (D("90.0"), D("89.95"), True)


def test_strength_lsi_of_ninety_passes(draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "right"},
        findings={
            "strength": {
                ("hip_abductors", "right"): {"position": "supine", "trial_1_n": D(180)},
                ("hip_abductors", "left"): {"position": "supine", "trial_1_n": D(200)},
            }
        },
    )

    (lsi,) = strength_lsi(assessment_for_page(draft.pk))
    assert (lsi.percent, lsi.flagged) == (D("90.0"), False)


# --- Bone stress: no hop or jump without a reason ----------------------------------------------


def test_service_refuses_a_hop_without_reason_when_bone_stress_is_suspected(draft, therapist):
    save(draft, therapist, impressions=BSI)

    with pytest.raises(ValidationError) as error:
        save(draft, therapist, findings={"special": {("jump", "left"): {"completed": True}}})

    assert error.value.message_dict == {
        "bone_stress_reason": [
            "Bone stress is suspected: do not hop or jump. To record it anyway, give the reason it was done."
        ]
    }
    assert SpecialTest.objects.filter(assessment=draft).count() == 0


def test_hop_with_a_reason_is_stored_when_bone_stress_is_suspected(draft, therapist):
    save(draft, therapist, impressions=BSI)
    save(
        draft,
        therapist,
        findings={
            "special": {("hop", "left"): {"hops_completed": 10, "bone_stress_reason": "MRI clear on 1 Dec"}}
        },
    )

    row = SpecialTest.objects.get(assessment=draft)
    assert (row.hops_completed, row.bone_stress_reason) == (10, "MRI clear on 1 Dec")
    assert finding_text(row) == "10 hops; done with suspected bone stress: MRI clear on 1 Dec"


def test_edit_page_hop_guard_is_a_field_error_that_keeps_typed_values(therapist_client, draft, therapist):
    save(draft, therapist, impressions=BSI)
    url = reverse("assessments:edit", kwargs={"pk": draft.pk})
    data = browser_post(
        draft,
        **{
            "sp-hop_distance-left-distance_trial_1_cm": "131.5",
            "sp-jog-left-completed": "true",
            "ml-piriformis-left-rating": "reduced",
        },
    )

    response = therapist_client.post(url, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Bone stress is suspected: do not hop or jump." in page
    assert 'value="131.5"' in page
    # The rest of the page is saved; the hop is not.
    assert list(SpecialTest.objects.filter(assessment=draft).values_list("test", flat=True)) == ["jog"]
    assert MuscleLength.objects.get(assessment=draft).rating == "reduced"


def test_edit_page_hop_guard_counts_an_impression_posted_with_it(therapist_client, draft):
    url = reverse("assessments:edit", kwargs={"pk": draft.pk})
    data = browser_post(draft, **{"imp-0-code": "BSI_PELVIS", "sp-jump-right-completed": "true"})

    response = therapist_client.post(url, data)

    assert response.status_code == 400
    assert "Bone stress is suspected: do not hop or jump." in response.content.decode()
    assert SpecialTest.objects.filter(assessment=draft).count() == 0


def test_edit_page_hop_with_reason_is_saved_and_shown(therapist_client, draft, therapist):
    save(draft, therapist, impressions=BSI)
    url = reverse("assessments:edit", kwargs={"pk": draft.pk})
    data = browser_post(
        draft,
        **{"sp-jump-left-completed": "true", "sp-jump-left-bone_stress_reason": "Cleared by the consultant"},
    )

    response = therapist_client.post(url, data)

    assert response.status_code == 302
    assert SpecialTest.objects.get(assessment=draft).bone_stress_reason == "Cleared by the consultant"
    detail = therapist_client.get(reverse("assessments:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "done with suspected bone stress: Cleared by the consultant" in detail


# --- The form round trip -----------------------------------------------------------------------

POSTED = {
    "obs-leg_length_diff_cm": "1.2",
    "obs-leg_length_shorter_side": "left",
    "obs-leg_length_method": "true",
    "obs-c_sign": "positive",
    "sls-left-max_s": "45",
    "sls-left-trial_1_s": "41",
    "sls-left-closed_trial_1_s": "7.5",
    "ml-ober-right-rating": "reduced",
    "ml-ober-right-pain": "on",
    "sp-step_up-right-completed": "false",
    "sp-step_up-right-pain_nprs": "3",
    "sp-hop_distance-right-distance_trial_1_cm": "120",
    "sp-hop_distance-right-distance_trial_2_cm": "126.5",
}


def test_form_round_trip_of_the_new_items(therapist_client, draft):
    url = reverse("assessments:edit", kwargs={"pk": draft.pk})

    response = therapist_client.post(url, browser_post(draft, **POSTED))

    assert response.status_code == 302
    obs = Observation.objects.get(assessment=draft)
    assert (obs.leg_length_diff_cm, obs.leg_length_shorter_side, obs.leg_length_method, obs.c_sign) == (
        D("1.2"),
        "left",
        "true",
        "positive",
    )
    sls = SingleLegStance.objects.get(assessment=draft)
    assert (sls.max_s, sls.best_time_s, sls.closed_best_time_s) == (45, D("41.0"), D("7.5"))
    ober = MuscleLength.objects.get(assessment=draft)
    assert (ober.test, ober.side, ober.rating, ober.pain) == ("ober", "right", "reduced", True)
    hop = SpecialTest.objects.get(assessment=draft, test="hop_distance")
    assert (hop.distance_trials, hop.distance_cm) == ([D(120), D("126.5")], D("126.5"))
    step = SpecialTest.objects.get(assessment=draft, test="step_up")
    assert (step.completed, step.pain_nprs) == (False, 3)
    # What the page shows again is what was posted.
    again = browser_post(draft)
    assert {name: again[name] for name in POSTED} == {
        **POSTED,
        "obs-leg_length_diff_cm": "1.2",
        "sls-left-trial_1_s": "41.0",
        "sls-left-closed_trial_1_s": "7.5",
        "sp-hop_distance-right-distance_trial_1_cm": "120.0",
        "sp-hop_distance-right-distance_trial_2_cm": "126.5",
    }


def test_form_needs_the_shorter_side_for_a_difference(therapist_client, draft):
    url = reverse("assessments:edit", kwargs={"pk": draft.pk})

    response = therapist_client.post(url, browser_post(draft, **{"obs-leg_length_diff_cm": "1.0"}))

    assert response.status_code == 400
    assert "Give the shorter side." in response.content.decode()
    assert Observation.objects.filter(assessment=draft).count() == 0


def test_form_refuses_an_eyes_closed_set_with_trials_marked_eyes_closed(therapist_client, draft):
    url = reverse("assessments:edit", kwargs={"pk": draft.pk})
    data = browser_post(
        draft, **{"sls-left-eyes": "closed", "sls-left-trial_1_s": "5", "sls-left-closed_trial_1_s": "4"}
    )

    response = therapist_client.post(url, data)

    assert response.status_code == 400
    assert "With an eyes-closed set, trials 1–3 are the eyes-open set." in response.content.decode()


# --- Record, print and comparison ---------------------------------------------------------------

FINDINGS = {
    "observation": {
        (): {
            "leg_length_diff_cm": D("1.0"),
            "leg_length_shorter_side": "right",
            "leg_length_method": "apparent",
            "c_sign": "positive",
        }
    },
    "single_leg_stance": {("right",): {"trial_1_s": D(30), "closed_trial_1_s": D(6), "max_s": 30}},
    "muscle_length": {("hamstring_90_90", "right"): {"rating": "reduced"}},
    "special": {
        ("lunge", "right"): {"completed": True, "pain_nprs": 5},
        ("hop_distance", "right"): {"distance_trial_1_cm": D(110), "distance_trial_2_cm": D(118)},
        ("hop_distance", "left"): {"distance_trial_1_cm": D(140)},
    },
}


def test_print_summary_shows_the_new_items(therapist_client, draft, therapist):
    save(draft, therapist, findings=FINDINGS)
    signed(draft, therapist)

    page = therapist_client.get(reverse("assessments:summary", kwargs={"pk": draft.pk})).content.decode()

    for text in (
        "leg length difference 1.0 cm, right shorter (apparent length)",
        "C-sign positive",
        "best ≥ 30 s (reached the cap; trials 30.0); eyes closed best 6.0 s (trials 6.0); cap 30 s",
        "Muscle length",
        "Reduced length",
        "Impact and function screen, hop tests",
        "completed; pain 5/10",
        "best 118.0 cm (trials 110.0, 118.0)",
        "LSI 84.3 % (below 90 %)",
    ):
        assert text in page


def test_comparison_shows_changes_of_the_new_items(therapist_client, patient, therapist):
    first = assessment_start(patient=patient, therapist=therapist)
    save(first, therapist, findings=FINDINGS)
    signed(first, therapist)
    second = assessment_start(patient=patient, therapist=therapist, kind="reassessment")
    save(
        second,
        therapist,
        header={"index_side": "right"},
        findings={
            "observation": {
                (): {"leg_length_diff_cm": D("0.5"), "leg_length_shorter_side": "right", "c_sign": "negative"}
            },
            "single_leg_stance": {("right",): {"trial_1_s": D(30), "closed_trial_1_s": D(11), "max_s": 30}},
            "muscle_length": {("hamstring_90_90", "right"): {"rating": "normal"}},
            "special": {
                ("lunge", "right"): {"completed": True, "pain_nprs": 1},
                ("hop_distance", "right"): {"distance_trial_1_cm": D(136)},
                ("hop_distance", "left"): {"distance_trial_1_cm": D(141)},
            },
        },
    )
    previous, current = assessment_for_page(first.pk), assessment_for_page(second.pk)

    rows = {
        (c.section, c.label): (c.before, c.after, c.delta, c.trend) for c in comparison(previous, current)
    }

    assert rows[("Observation", "Leg length difference")] == ("1.0 cm", "0.5 cm", "-0.5 cm", "")
    assert rows[("Observation", "C-sign")] == ("Positive", "Negative", "changed", "better")
    assert rows[("Single-leg stance eyes closed", "Right")] == ("6.0 s", "11.0 s", "+5.0 s", "better")
    assert rows[("Muscle length", "Hamstring 90/90, right")] == (
        "Reduced length",
        "Normal length",
        "changed",
        "better",
    )
    assert rows[("Impact screen pain", "Lunge, right")] == ("5", "1", "-4", "better")
    assert rows[("Hop for distance", "best, right")] == ("118.0 cm", "136.0 cm", "+18.0 cm", "better")
    page = therapist_client.get(reverse("assessments:detail", kwargs={"pk": second.pk})).content.decode()
    assert "Muscle length: Hamstring 90/90, right" in page
    assert "Impact screen pain: Lunge, right" in page


def test_record_sections_split_special_tests_and_the_impact_screen(draft, therapist):
    save(
        draft,
        therapist,
        findings={**FINDINGS, "special": {**FINDINGS["special"], ("fadir", "right"): {"result": "positive"}}},
    )

    sections = record_sections(assessment_for_page(draft.pk))

    assert [line.key for line in sections["special"]] == ["fadir"]
    assert [line.key for line in sections["impact"]] == ["lunge", "hop_distance"]
    assert [line.key for line in sections["muscle_length"]] == ["hamstring_90_90"]


# --- The page loads the new rows in fixed queries ------------------------------------------------


def _many(count: int) -> dict:
    tests = ("thomas", "ober", "hamstring_90_90", "piriformis", "calf")[:count]
    impact = ("jog", "jump", "step_up", "lunge", "hop")[:count]
    return {
        "muscle_length": {(t, side): {"rating": "normal"} for t in tests for side in ("left", "right")},
        "special": {
            **{(t, "left"): ({"hops_completed": 5} if t == "hop" else {"completed": True}) for t in impact},
            ("hop_distance", "left"): {"distance_trial_1_cm": D(100)},
        },
    }


@pytest.mark.parametrize("page", ["assessments:edit", "assessments:detail"])
def test_pages_load_new_rows_without_a_query_per_row(therapist_client, patient, therapist, page):
    counts = []
    for count in (1, 5):
        assessment = assessment_start(patient=PatientFactory(), therapist=therapist)
        save(assessment, therapist, findings=_many(count))
        with CaptureQueriesContext(connection) as queries:
            response = therapist_client.get(reverse(page, kwargs={"pk": assessment.pk}))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_signed_record_keeps_the_items_read_only(draft, therapist):
    save(draft, therapist, findings=FINDINGS)
    signed_assessment = signed(draft, therapist)

    with pytest.raises(Exception, match="read-only"), transaction.atomic():
        MuscleLength.objects.filter(assessment=signed_assessment).update(rating="normal")
