"""Red flags (domain.md §3) through the intake: the flags a submission records, the advice shown, sign-off."""

import pytest
from django.urls import reverse

from patients.flags.services import red_flag_clear
from patients.intake.choices import ActionLevel, RedFlagCode
from patients.models import IntakeResponse, RedFlag
from tests.patients.intake.support import complete_steps, health_data, pain_data, sign_in_to_intake, version

pytestmark = pytest.mark.usefixtures("clean_cache")

E, U, GP_TODAY, G = (
    ActionLevel.EMERGENCY_SAME_DAY,
    ActionLevel.URGENT_MEDICAL,
    ActionLevel.GP_SAME_DAY,
    ActionLevel.ROUTINE_GP,
)
# Every trigger and near miss at the pure-rule level: test_redflag_triggers.py and test_worked_cases.py.


# --- Through the form ------------------------------------------------------------------------


# (question answered yes, the flag, its level, what the patient reads first)
SCREEN_CASES = [
    ("fever", RedFlagCode.INFECTION, GP_TODAY, "See your GP today"),
    ("cannot_bear_weight", RedFlagCode.FRACTURE, E, "Go to A&amp;E now"),
    ("sudden_severe", RedFlagCode.SUDDEN_SEVERE, U, "See your GP within 1–2 days"),
    ("weight_loss", RedFlagCode.MALIGNANCY, U, "See your GP within 1–2 days"),
    ("bladder_bowel", RedFlagCode.CAUDA_EQUINA, E, "Go to A&amp;E now"),
    ("groin_lump", RedFlagCode.HERNIA, G, "See your GP in the next few weeks"),
    ("pale_cold_leg", RedFlagCode.VASCULAR, E, "Go to A&amp;E now"),
]


@pytest.mark.parametrize(
    ("question", "code", "level", "heading"), SCREEN_CASES, ids=[c[0] for c in SCREEN_CASES]
)
def test_a_yes_in_the_screen_marks_the_intake_for_review(
    patient_client, invitation, question, code, level, heading
):
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
    assert f'<h2 class="h5">{heading}</h2>' in html
    assert html.count('class="safety-step') == 1
    assert ('<h2 class="h5">Go to A&amp;E now</h2>' in html) == (level == E)


def test_bone_stress_answers_on_the_pain_step_raise_a_flag_and_advice(patient_client, invitation):
    pain = pain_data(pain_anterior_hip_groin=["right"], onset_getting_earlier="yes")
    complete_steps(patient_client, invitation, steps=["about", "running", "pain"], pain=pain)

    # The advice shows at once, on the next step.
    health_page = patient_client.get(reverse("patients:intake_step", args=["health"])).content.decode()
    assert '<h2 class="h5">Stop running and call the clinic today</h2>' in health_page

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

    red_flag_clear(flag=first, by=physio.user, action_taken="Phoned: no fever for a week.")
    response.refresh_from_db()
    assert response.needs_review is True
    red_flag_clear(flag=second, by=physio.user, action_taken="GP review booked.", referred_to="GP")
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
        red_flag_clear(flag=RedFlag.objects.get(), by=physio.user, action_taken="  ")


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
