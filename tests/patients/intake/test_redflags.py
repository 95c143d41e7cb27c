"""Red flags (domain.md §3): the pure rules, the flags a submission records, advice, sign-off."""

import pytest
from django.urls import reverse

from patients.intake.choices import ActionLevel, RedFlagCode
from patients.intake.redflags import Flag, evaluate, patient_advice
from patients.intake.services.responses import redflag_clear
from patients.models import IntakeResponse, RedFlag
from tests.patients.intake.support import complete_steps, health_data, pain_data, sign_in_to_intake, version

pytestmark = pytest.mark.usefixtures("clean_cache")

CALM = {
    "screen": {},
    "pain_locations": {"lateral_hip": "right"},
    "aggravating": ["running", "stairs"],
    "night_pain": "lying_on_side",
    "pain_pattern": "with_loading",
    "onset_getting_earlier": False,
    "previous_injuries": ["back_pain"],
    "bone_health": {"irregular_periods": "no"},
    "load_spike": True,
    "age": 35,
}
E, U, S, ORTHO, G, A = (
    ActionLevel.EMERGENCY_SAME_DAY,
    ActionLevel.URGENT_MEDICAL,
    ActionLevel.STOP_RUNNING_URGENT_MEDICAL,
    ActionLevel.URGENT_ORTHOPAEDIC,
    ActionLevel.ROUTINE_GP,
    ActionLevel.ADVISORY,
)

# (changes to calm answers, the one flag expected)
ONE_FLAG = [
    ({"screen": {"fever": True}}, RedFlagCode.INFECTION, E),
    ({"screen": {"hot_swollen": True}}, RedFlagCode.INFECTION, E),
    ({"screen": {"cannot_bear_weight": True}}, RedFlagCode.FRACTURE, E),
    ({"screen": {"recent_trauma": True, "deformity": True}}, RedFlagCode.FRACTURE, E),
    ({"screen": {"sudden_severe": True}}, RedFlagCode.SUDDEN_SEVERE, U),
    (
        {"pain_locations": {"anterior_hip_groin": "left"}, "aggravating": ["hopping"]},
        RedFlagCode.BONE_STRESS,
        S,
    ),
    ({"pain_locations": {"deep_groin": "right"}, "onset_getting_earlier": True}, RedFlagCode.BONE_STRESS, S),
    ({"pain_pattern": "constant"}, RedFlagCode.NIGHT_CONSTANT, U),
    ({"screen": {"weight_loss": True}}, RedFlagCode.MALIGNANCY, U),
    ({"screen": {"night_sweats": True}}, RedFlagCode.MALIGNANCY, U),
    ({"screen": {"cancer_history": True}}, RedFlagCode.MALIGNANCY, U),
    ({"screen": {"limp": True}, "age": 16}, RedFlagCode.SCFE, ORTHO),
    ({"screen": {"bladder_bowel": True}}, RedFlagCode.CAUDA_EQUINA, E),
    ({"screen": {"leg_weakness": True}}, RedFlagCode.CAUDA_EQUINA, E),
    ({"screen": {"groin_lump": True}}, RedFlagCode.HERNIA, G),
    ({"screen": {"pulsing_lump": True}}, RedFlagCode.VASCULAR, E),
    ({"screen": {"pale_cold_leg": True}}, RedFlagCode.VASCULAR, E),
    ({"bone_health": {"irregular_periods": "yes"}}, RedFlagCode.OVERTRAINING_REDS, A),
    ({"bone_health": {"under_fuelling": "yes"}}, RedFlagCode.OVERTRAINING_REDS, A),
    ({"bone_health": {"low_bone_density": "yes"}}, RedFlagCode.OVERTRAINING_REDS, A),
    ({"previous_injuries": ["stress_fracture"]}, RedFlagCode.OVERTRAINING_REDS, A),
    (
        {"pain_locations": {"lateral_hip": "both"}, "screen": {"fatigue": True}},
        RedFlagCode.OVERTRAINING_REDS,
        A,
    ),
]


@pytest.mark.parametrize(
    ("change", "code", "level"), ONE_FLAG, ids=[f"{c}-{i}" for i, (_, c, _) in enumerate(ONE_FLAG)]
)
def test_each_red_flag_answer_raises_its_flag(change, code, level):
    assert evaluate({**CALM, **change}) == [Flag(code=code, action_level=level)]


def test_calm_answers_raise_nothing():
    assert evaluate(CALM) == []
    assert evaluate({}) == []


@pytest.mark.parametrize(
    "change",
    [
        {"screen": {"recent_trauma": True}},  # trauma without deformity or weight-bearing problem
        {"screen": {"limp": True}, "age": 18},  # the SCFE prompt is for under-18s
        {"screen": {"steroids": True}},  # steroids without deep or constant pain
        {"aggravating": ["hopping"]},  # hopping hurts, but not in the groin
        {"pain_locations": {"lateral_hip": "both"}, "load_spike": True},  # no fatigue
        {"bone_health": {"irregular_periods": "prefer_not", "low_vitamin_d": "yes"}},
    ],
)
def test_near_misses_raise_nothing(change):
    assert evaluate({**CALM, **change}) == []


def test_avn_needs_steroids_or_alcohol_with_deep_constant_pain():
    flags = evaluate({**CALM, "screen": {"heavy_alcohol": True}, "pain_locations": {"deep_groin": "left"}})

    assert Flag(RedFlagCode.AVN, U) in flags


def test_flags_are_listed_most_urgent_first():
    flags = evaluate({**CALM, "screen": {"groin_lump": True, "fever": True, "cancer_history": True}})

    assert [f.action_level for f in flags] == [E, U, G]


def test_answers_must_be_a_mapping():
    with pytest.raises(ValueError, match="mapping"):
        evaluate([("fever", True)])


def test_advice_for_the_patient():
    assert patient_advice([]).call_clinic is False
    urgent = patient_advice([Flag(RedFlagCode.INFECTION, E)])
    assert (urgent.call_clinic, urgent.urgent_care_today, urgent.stop_running) == (True, True, False)
    assert patient_advice([Flag(RedFlagCode.BONE_STRESS, S)]).stop_running is True
    assert patient_advice([Flag(RedFlagCode.OVERTRAINING_REDS, A)]).advisory_only is True


# --- Through the form ------------------------------------------------------------------------


SCREEN_CASES = [
    ("fever", RedFlagCode.INFECTION, E),
    ("cannot_bear_weight", RedFlagCode.FRACTURE, E),
    ("sudden_severe", RedFlagCode.SUDDEN_SEVERE, U),
    ("weight_loss", RedFlagCode.MALIGNANCY, U),
    ("bladder_bowel", RedFlagCode.CAUDA_EQUINA, E),
    ("groin_lump", RedFlagCode.HERNIA, G),
    ("pale_cold_leg", RedFlagCode.VASCULAR, E),
]


@pytest.mark.parametrize(("question", "code", "level"), SCREEN_CASES, ids=[c[0] for c in SCREEN_CASES])
def test_a_yes_in_the_screen_marks_the_intake_for_review(patient_client, invitation, question, code, level):
    complete_steps(patient_client, invitation, health=health_data(**{f"rf_{question}": "yes"}))

    done = patient_client.post(
        reverse("patients:intake_submit"), {"version": version(invitation)}, follow=True
    )

    response = IntakeResponse.objects.get(invitation_id=invitation.pk)
    assert response.needs_review is True
    assert list(RedFlag.objects.values_list("flag_code", "action_level", "source", "patient_id")) == [
        (code, level, "patient", invitation.patient_id)
    ]
    html = done.content.decode()
    assert "Please call us on" in html
    assert ("seek urgent medical care today" in html) == (level == E)


def test_bone_stress_answers_on_the_pain_step_raise_a_flag_and_advice(patient_client, invitation):
    pain = pain_data(pain_anterior_hip_groin=["right"], onset_getting_earlier="yes")
    complete_steps(patient_client, invitation, steps=["about", "running", "pain"], pain=pain)

    # The advice shows at once, on the next step.
    health_page = patient_client.get(reverse("patients:intake_step", args=["health"])).content.decode()
    assert "Please stop running until you have spoken to us." in health_page

    complete_steps(patient_client, invitation, steps=["health", "outcomes", "consent"])
    patient_client.post(reverse("patients:intake_submit"), {"version": version(invitation)})
    assert set(RedFlag.objects.values_list("flag_code", flat=True)) == {RedFlagCode.BONE_STRESS}


def test_no_flag_answers_leave_the_intake_unflagged(patient_client, invitation):
    complete_steps(patient_client, invitation)
    patient_client.post(reverse("patients:intake_submit"), {"version": version(invitation)})

    assert IntakeResponse.objects.get().needs_review is False
    assert RedFlag.objects.count() == 0


def _submitted_with_flags(client, invitation, *questions):
    complete_steps(client, invitation, health=health_data(**{f"rf_{q}": "yes" for q in questions}))
    client.post(reverse("patients:intake_submit"), {"version": version(invitation)})
    return IntakeResponse.objects.get(invitation_id=invitation.pk)


def test_clearing_the_last_flag_ends_needs_review(patient_client, invitation, physio):
    response = _submitted_with_flags(patient_client, invitation, "fever", "groin_lump")
    first, second = RedFlag.objects.order_by("action_level")

    redflag_clear(flag=first, by=physio.user, action_taken="Phoned: no fever for a week.")
    response.refresh_from_db()
    assert response.needs_review is True
    redflag_clear(flag=second, by=physio.user, action_taken="GP review booked.", referred_to="GP")
    response.refresh_from_db()
    second.refresh_from_db()
    assert response.needs_review is False
    assert (second.cleared_by, second.referred_to, second.action_taken) == (
        physio.user,
        "GP",
        "GP review booked.",
    )


def test_clearing_needs_a_note(patient_client, invitation, physio):
    from django.core.exceptions import ValidationError

    _submitted_with_flags(patient_client, invitation, "fever")

    with pytest.raises(ValidationError):
        redflag_clear(flag=RedFlag.objects.get(), by=physio.user, action_taken="  ")


def test_therapist_clears_a_flag_on_the_summary_page(client, token, invitation, physio):
    sign_in_to_intake(client, token)
    response = _submitted_with_flags(client, invitation, "fever")
    flag = RedFlag.objects.get()
    client.force_login(physio.user)

    cleared = client.post(
        reverse("patients:redflag_clear", args=[flag.pk]), {"action_taken": "Seen by GP."}, follow=True
    )

    flag.refresh_from_db()
    assert cleared.redirect_chain[-1][0] == reverse("patients:intake_summary", args=[response.pk])
    assert flag.cleared_by == physio.user and flag.cleared_at is not None
    assert "Red flag cleared" in cleared.content.decode()


def test_front_desk_cannot_clear_a_flag(client, token, invitation, front_desk):
    sign_in_to_intake(client, token)
    _submitted_with_flags(client, invitation, "fever")
    client.force_login(front_desk)

    response = client.post(
        reverse("patients:redflag_clear", args=[RedFlag.objects.get().pk]), {"action_taken": "x"}
    )

    assert response.status_code == 403
    assert RedFlag.objects.get().cleared_at is None


def test_day_lists_show_the_flag_front_desk_that_one_exists_therapist_which(
    client, token, invitation, physio, front_desk, frozen_monday
):
    sign_in_to_intake(client, token)
    _submitted_with_flags(client, invitation, "fever")
    frozen_monday.move_to(invitation.appointment.starts_at.replace(hour=8))

    client.force_login(front_desk)
    desk_html = client.get(reverse("patients:today")).content.decode()
    desk_hub = client.get(reverse("patients:detail", args=[invitation.patient_id])).content.decode()
    client.force_login(physio.user)
    physio_html = client.get(reverse("patients:my_day")).content.decode()
    physio_hub = client.get(reverse("patients:detail", args=[invitation.patient_id])).content.decode()

    assert "Red flag to review" in desk_html and "infection" not in desk_html.lower()
    assert "Red flag to review" in desk_hub and "infection" not in desk_hub.lower()
    assert "Red flag: Possible infection" in physio_html
    assert "Possible infection" in physio_hub and "Open intake summary" in physio_hub
