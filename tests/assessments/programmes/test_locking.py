"""Two therapists changing one programme: the programme's version locks the whole plan.

The plan, every phase with its prescriptions, the phase the patient is in and
the return-to-run ladder are edited against the programme's version; a save
from a page loaded before another change gets the conflict page (409).
"""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Exercise, Programme, ProgrammeOutcome
from assessments.programmes.services.discharge import outcome_record
from clinic.staff.choices import Role
from tests.patients.careteam.support import treat

pytestmark = [pytest.mark.django_db]


def plan_data(programme: Programme, **overrides: object) -> dict[str, object]:
    """The plan form as loaded from `programme` (the support module's plan()), with its version."""
    data = {
        "start_date": "2026-03-02",
        "planned_weeks": "6",
        "visits_per_week": "2",
        "goals": "Run the spring half marathon",
        "target_run_pain_max": str(programme.target_run_pain_max),
        "target_lsi_percent": str(programme.target_lsi_percent),
        "target_continuous_run_min": str(programme.target_continuous_run_min),
        "race_name": "",
        "race_date": "",
        "progression_rules": programme.progression_rules,
        "baseline_morning_pain": "1",
        "runs_per_week": "3",
        "exercise_days": ["0", "2", "4"],
        "reminder_time": "08:00",
        "checkin_weekday": "6",
        "checkin_time": "18:00",
        "reassess_mid_on": programme.reassess_mid_on.isoformat(),
        "reassess_end_on": programme.reassess_end_on.isoformat(),
        "version": str(programme.version),
    }
    data.update(overrides)
    return data


@pytest.fixture
def therapists(therapist, make_user, programme):
    """The programme's therapist and a colleague covering (assigned to the patient), each in their own browser."""
    colleague = make_user(Role.THERAPIST, full_name="Cora Colleague")
    treat(colleague, programme.patient)
    clients = []
    for user in (therapist, colleague):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def differences(response) -> dict[str, tuple[str, str]]:
    return {d.label: (d.saved, d.typed) for d in response.context["conflict"].differences}


def test_two_plan_edits_from_one_version_second_gets_the_conflict(therapists, programme):
    first, second = therapists
    url = reverse("assessments:programme_edit", args=[programme.pk])
    loaded = plan_data(programme)

    saved = first.post(url, {**loaded, "reminder_time": "07:15"})
    refused = second.post(url, {**loaded, "goals": "Finish the Riverside 10k"})

    assert (saved.status_code, refused.status_code) == (302, 409)
    programme.refresh_from_db()
    assert (programme.reminder_time.strftime("%H:%M"), programme.goals) == (
        "07:15",
        "Run the spring half marathon",
    )
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert "Finish the Riverside 10k" in page  # still in the goals box
    assert f'name="version" value="{programme.version}"' in page
    assert differences(refused) == {
        "Goals in the patient's words": ("Run the spring half marathon", "Finish the Riverside 10k"),
        "Home-exercise reminder time": ("07:15", "08:00"),
    }


def phase_data(programme: Programme, exercise: Exercise, *, reps: str) -> dict[str, object]:
    return {
        "version": str(programme.version),
        "start_week": "4",
        "end_week": "5",
        "notes": "",
        "ex-TOTAL_FORMS": "1",
        "ex-INITIAL_FORMS": "0",
        "ex-MIN_NUM_FORMS": "0",
        "ex-MAX_NUM_FORMS": "20",
        "ex-0-exercise": str(exercise.pk),
        "ex-0-sets": "3",
        "ex-0-reps": reps,
        "ex-0-frequency_per_week": "2",
    }


def test_two_dose_edits_of_one_phase_second_gets_the_conflict_with_its_doses(therapists, programme):
    first, second = therapists
    phase = programme.phases.get(kind="heavy_functional")
    url = reverse("assessments:programme_phase", args=[programme.pk, phase.pk])
    squat = Exercise.objects.get(code="DEEP_SQUAT")

    saved = first.post(url, phase_data(programme, squat, reps="8"))
    refused = second.post(url, {**phase_data(programme, squat, reps="12"), "notes": "Slow lowering"})

    assert (saved.status_code, refused.status_code) == (302, 409)
    assert list(phase.exercises.values_list("exercise__code", "reps")) == [("DEEP_SQUAT", 8)]
    phase.refresh_from_db()
    assert phase.notes == ""
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert 'name="ex-0-reps" value="12"' in page
    assert "Slow lowering" in page
    assert differences(refused) == {"Content and aims": ("", "Slow lowering")}


def test_a_phase_move_from_an_old_page_is_refused_with_the_note_kept(therapists, programme):
    first, second = therapists
    url = reverse("assessments:programme_phase_move", args=[programme.pk])
    version = programme.version

    moved = first.post(url, {"kind": "strengthen", "note": "Pain settled", "version": version})
    refused = second.post(url, {"kind": "heavy_functional", "note": "Ready for load", "version": version})

    assert (moved.status_code, refused.status_code) == (302, 409)
    programme.refresh_from_db()
    assert programme.current_phase == "strengthen"
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert 'value="Ready for load"' in page
    assert differences(refused)["Why (optional)"] == ("", "Ready for load")


def test_a_ladder_override_from_an_old_page_is_refused(therapists, programme):
    first, second = therapists
    url = reverse("assessments:programme_ladder", args=[programme.pk])
    version = programme.version

    first.post(url, {"form": "override", "to_stage": "2", "reason": "Ran pain-free", "version": version})
    refused = second.post(
        url, {"form": "override", "to_stage": "4", "reason": "Raced last month", "version": version}
    )

    assert refused.status_code == 409
    programme.refresh_from_db()
    assert (programme.run_stage, programme.ladder_steps.count()) == (2, 1)
    page = refused.content.decode()
    assert "Raced last month" in page
    assert "Record override" in page
    assert differences(refused)["Reason for overriding the rules"] == ("", "Raced last month")


def test_a_clinicians_outcome_form_opened_before_the_patient_answered_is_refused(therapist_client, programme):
    url = reverse("assessments:programme_outcome", args=[programme.pk])
    loaded = therapist_client.get(f"{url}?timepoint=end")
    version = loaded.context["programme"].version
    outcome_record(
        programme=programme,
        timepoint="end",
        lefs_items=[4] * 20,
        psfs_ratings=[],
        nprs_worst=1,
        source="patient",
        by=None,
    )

    lefs = {f"lefs_{n}": "3" for n in range(1, 21)}
    refused = therapist_client.post(url, {"timepoint": "end", "nprs_worst": "6", **lefs, "version": version})

    assert refused.status_code == 409
    kept = ProgrammeOutcome.objects.get(programme=programme, timepoint="end")
    assert (kept.source, kept.nprs_worst, kept.lefs_score) == ("patient", 1, 80)
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert f'name="version" value="{version + 1}"' in page
    assert refused.context["form"]["nprs_worst"].value() == "6"
