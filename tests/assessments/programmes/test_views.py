"""The therapist's programme pages and the clinic admin's exercise catalogue, through the client."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Exercise, Programme, VisitNote
from assessments.programmes.rules import READINESS_CODES
from clinic.audit.models import AccessEvent
from clinic.messaging.models import ScheduledMessage
from tests.assessments.programmes.support import (
    START,
    at,
    run,
    send_week,
    start_programme,
)
from tests.factories import AppointmentFactory, PatientFactory, SignedAssessmentFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def friday():
    with time_machine.travel(at(START - timedelta(days=3), 10), tick=False) as traveller:
        yield traveller


def plan_data(**overrides: object) -> dict[str, object]:
    data = {
        "start_date": "2026-03-02",
        "planned_weeks": "6",
        "visits_per_week": "2",
        "goals": "Half marathon",
        "target_run_pain_max": "3",
        "target_lsi_percent": "90",
        "target_continuous_run_min": "30",
        "race_name": "Riverside Half",
        "race_date": "2026-05-10",
        "progression_rules": "Add a band when easy.",
        "baseline_morning_pain": "1",
        "runs_per_week": "3",
        "exercise_days": ["0", "2", "4"],
        "reminder_time": "08:00",
        "checkin_weekday": "6",
        "checkin_time": "18:00",
    }
    data.update(overrides)
    return data


def test_therapist_starts_a_programme_from_a_signed_assessment(therapist_client, therapist, friday):
    patient = PatientFactory(first_name="Robin", last_name="Strider")
    assessment = SignedAssessmentFactory(patient=patient, therapist=therapist)
    url = reverse("assessments:programme_new", args=[assessment.pk])
    page = therapist_client.get(url)
    assert page.status_code == 200 and "New 4–8 week programme for Robin Strider" in page.content.decode()
    refused = therapist_client.post(url, plan_data(planned_weeks="9"))
    assert refused.status_code == 400 and "A programme lasts 4 to 8 weeks." in refused.content.decode()
    response = therapist_client.post(url, plan_data())
    programme = Programme.objects.get(patient=patient)
    assert response["Location"] == reverse("assessments:programme_detail", args=[programme.pk])
    assert (programme.planned_weeks, programme.race_name, programme.exercise_days) == (
        6,
        "Riverside Half",
        "0,2,4",
    )
    html = therapist_client.get(response["Location"]).content.decode()
    assert "Foundation strength · weeks 2–3" in html and "Clamshell: 3 × 15 per side, 2×/week" in html
    assert AccessEvent.objects.filter(
        patient_id=patient.pk, view_name="assessments:programme_detail"
    ).exists()


def test_a_draft_assessment_offers_no_programme(therapist_client, therapist):
    from assessments.record.services.assessment import assessment_start

    draft = assessment_start(patient=PatientFactory(), therapist=therapist)
    html = therapist_client.get(reverse("assessments:programme_new", args=[draft.pk])).content.decode()
    assert "A programme starts from a signed assessment" in html
    assert (
        therapist_client.post(reverse("assessments:programme_new", args=[draft.pk]), plan_data()).status_code
        == 400
    )
    assert not Programme.objects.exists()


def test_front_desk_cannot_open_programmes(front_desk_client, therapist):
    programme = start_programme(therapist)
    assert (
        front_desk_client.get(reverse("assessments:programme_detail", args=[programme.pk])).status_code == 403
    )
    assert front_desk_client.get(reverse("assessments:programme_list")).status_code == 403


def test_edit_plan_and_the_history_lists_the_change(therapist_client, therapist):
    programme = start_programme(therapist)
    url = reverse("assessments:programme_edit", args=[programme.pk])
    data = plan_data(
        version=str(programme.version),
        reminder_time="07:15",
        reassess_mid_on="2026-03-29",
        reassess_end_on="2026-04-12",
    )
    assert therapist_client.post(url, data).status_code == 302
    html = therapist_client.get(reverse("assessments:programme_detail", args=[programme.pk])).content.decode()
    assert "Home-exercise reminder time: 08:00:00 → 07:15:00" in html
    stale = therapist_client.post(url, {**data, "reminder_time": "09:00"})
    assert stale.status_code == 409
    assert "Changed elsewhere: your input is not saved yet" in stale.content.decode()


def test_phase_page_saves_doses_and_warns_on_contraindications(therapist_client, therapist):
    programme = start_programme(therapist, code="FAI_CAM")
    phase = programme.phases.get(kind="heavy_functional")
    url = reverse("assessments:programme_phase", args=[programme.pk, phase.pk])
    page = therapist_client.get(url)
    assert page.status_code == 200
    deep = Exercise.objects.get(code="DEEP_SQUAT")
    data = {
        "version": str(programme.version),
        "start_week": "4",
        "end_week": "5",
        "notes": "",
        "ex-TOTAL_FORMS": "1",
        "ex-INITIAL_FORMS": "0",
        "ex-MIN_NUM_FORMS": "0",
        "ex-MAX_NUM_FORMS": "20",
        "ex-0-exercise": str(deep.pk),
        "ex-0-sets": "3",
        "ex-0-reps": "8",
        "ex-0-frequency_per_week": "2",
    }
    response = therapist_client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Deep squat is usually avoided with Femoroacetabular impingement (cam)" in html
    assert list(phase.exercises.values_list("exercise__code", "sets", "reps")) == [("DEEP_SQUAT", 3, 8)]
    bad = therapist_client.post(url, {**data, "version": str(programme.version + 1), "ex-0-reps": "60"})
    assert bad.status_code == 400 and "Reps are 1–50." in bad.content.decode()


def test_readiness_and_override_pages(therapist_client, therapist):
    programme = start_programme(therapist)
    url = reverse("assessments:programme_readiness", args=[programme.pk])
    data = {f"done_{c}": "on" for c in READINESS_CODES} | {f"pain_{c}": "1" for c in READINESS_CODES}
    assert therapist_client.post(url, {**data, "pain_BOUNDING": ""}).status_code == 400
    assert therapist_client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.run_stage == 1
    ladder = reverse("assessments:programme_ladder", args=[programme.pk])
    assert (
        "Give the reason" in therapist_client.post(ladder, {"to_stage": "3", "reason": ""}).content.decode()
    )
    therapist_client.post(
        ladder,
        {"to_stage": "3", "reason": "Ran 30 min pain-free before the injury", "version": programme.version},
    )
    html = therapist_client.get(ladder).content.decode()
    programme.refresh_from_db()
    assert programme.run_stage == 3
    assert "Reason:</em> Ran 30 min pain-free before the injury" in html


def test_alert_is_on_the_dashboard_and_resolved_there(therapist_client, therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK", runs_per_week=2)
    send_week(programme, 1, runs=[run(START + timedelta(days=1))], run_pain_during=2, pain_next_morning=0)
    with time_machine.travel(at(START + timedelta(days=8)), tick=False):
        html = therapist_client.get(reverse("assessments:programme_list")).content.decode()
        assert "Check-ins that need your review" in html and "Running pain with a bone stress injury" in html
        alert = programme.alerts.get()
        response = therapist_client.post(
            reverse("assessments:programme_alert_resolve", args=[programme.pk, alert.pk]),
            {"resolution": "Called: stop running, review Friday", "next": "list"},
        )
    assert response["Location"] == reverse("assessments:programme_list")
    alert.refresh_from_db()
    assert alert.resolved_by == therapist


def test_visit_note_is_added_and_listed(therapist_client, therapist):
    programme = start_programme(therapist)
    url = reverse("assessments:programme_visit_note", args=[programme.pk])
    assert therapist_client.post(url, {"visit_date": "2026-03-05", "done": ""}).status_code == 400
    therapist_client.post(
        url,
        {
            "visit_date": "2026-03-05",
            "done": "Soft tissue, progressed clams",
            "response": "Less pain on stairs",
            "plan_changes": "Add side plank",
        },
    )
    note = VisitNote.objects.get()
    assert (note.author, note.plan_changes) == (therapist, "Add side plank")
    assert (
        "Less pain on stairs"
        in therapist_client.get(reverse("assessments:programme_detail", args=[programme.pk])).content.decode()
    )


def test_booking_in_one_go_reports_conflicts_per_slot(
    therapist_client, therapist, physio, location, follow_up
):
    programme = start_programme(therapist, planned_weeks=4)
    other = PatientFactory(last_name="Busy")
    with time_machine.travel(at(START - timedelta(days=3), 10), tick=False):
        AppointmentFactory(
            patient=other,
            therapist=physio,
            location=location,
            appointment_type=follow_up,
            starts_at=datetime(2026, 3, 11, 10, tzinfo=UTC),
            created_by=therapist,
        )
        url = reverse("assessments:programme_book", args=[programme.pk])
        wrong = therapist_client.post(
            url,
            {
                "therapist": physio.pk,
                "location": location.pk,
                "appointment_type": follow_up.pk,
                "weekdays": ["0"],
                "at": "10:00",
            },
        )
        assert "Choose 2 weekdays (visits per week)." in wrong.content.decode()
        response = therapist_client.post(
            url,
            {
                "therapist": physio.pk,
                "location": location.pk,
                "appointment_type": follow_up.pk,
                "weekdays": ["0", "2"],
                "at": "10:00",
            },
        )
    html = response.content.decode()
    assert "7 booked, 1 not booked" in html
    assert "Wed 11 Mar 2026 10:00" in html and "Sam Physio already has an appointment at that time." in html
    assert "Free nearby:" in html
    assert programme.visits.count() == 7


def test_staff_never_see_a_programme_link_only_email_one(therapist_client, therapist):
    programme = start_programme(therapist)
    detail = therapist_client.get(reverse("assessments:programme_detail", args=[programme.pk]))

    # The old "show" action now emails, like every other way of issuing a link.
    response = therapist_client.post(
        reverse("assessments:programme_link", args=[programme.pk]), {"action": "show"}, follow=True
    )

    for page in (detail, response):
        assert page.status_code == 200
        assert "/clinical/p/" not in page.content.decode()
    assert (
        ScheduledMessage.objects.filter(
            kind="programme_link", status="pending", to_email=programme.patient.email
        ).count()
        == 1
    )


def test_outcomes_and_discharge_close_the_programme_with_a_measured_result(therapist_client, therapist):
    programme = start_programme(therapist)
    send_week(programme, 1, pain_worst=6)
    send_week(programme, 2, pain_worst=2)
    lefs = {f"lefs_{n}": "3" for n in range(1, 21)}
    therapist_client.post(
        reverse("assessments:programme_outcome", args=[programme.pk]),
        {
            "timepoint": "end",
            "nprs_worst": "2",
            **lefs,
            "version": Programme.objects.get(pk=programme.pk).version,
        },
    )
    url = reverse("assessments:programme_discharge", args=[programme.pk])
    html = therapist_client.get(url).content.decode()
    assert "Goals met?" in html and "Outcome change against the MCID" in html
    assert "much better (MCID 2 points or 33 %)" in html  # worst pain 6 → 2
    bridge = Exercise.objects.get(code="BRIDGE")
    response = therapist_client.post(
        url,
        {
            "reason": "goals_met",
            "psfs_goals_met": "true",
            "maintenance": [bridge.pk],
            "home_plan": "Bridges twice a week",
            "notes": "Back to 10 km.",
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.status, programme.discharge_reason, programme.discharged_by) == (
        "discharged",
        "goals_met",
        therapist,
    )
    assert programme.discharge_summary["outcomes"][-1]["verdict"] == "much better (MCID 2 points or 33 %)"
    assert list(
        programme.phases.get(kind="maintenance").exercises.values_list("exercise__code", "frequency_per_week")
    ) == [("BRIDGE", 2)]
    summary = therapist_client.get(url).content.decode()
    assert "Discharge summary" in summary and "Bridges twice a week" in summary


def test_discharge_waits_for_open_alerts(therapist_client, therapist):
    programme = start_programme(therapist)
    send_week(programme, 1, flag_unwell=True)
    response = therapist_client.post(
        reverse("assessments:programme_discharge", args=[programme.pk]), {"reason": "plateau"}
    )
    assert (
        response.status_code == 400
        and "Resolve the open alerts before discharging." in response.content.decode()
    )


# --- The exercise catalogue --------------------------------------------------------------------------


# 0003 seeded databases made before the squash; the squash seeds new ones.
@pytest.mark.parametrize(
    "migration",
    [
        "0003_seed_exercise_catalogue",
        "0001_squashed_0006_history_programme_links_no_truncate",
    ],
)
def test_catalogue_is_seeded_from_catalogue_py_by_the_data_migration(migration):
    from importlib import import_module

    from django.apps import apps

    from assessments.exercises.catalogue import CATALOGUE

    seed = import_module(f"assessments.migrations.{migration}").seed
    Exercise.objects.all().delete()
    seed(apps, None)
    seed(apps, None)  # adds nothing the second time
    assert Exercise.objects.count() == len(CATALOGUE) == 46
    clam = Exercise.objects.get(code="CLAM")
    assert (clam.category, clam.dose_text, clam.frequency_per_week) == ("strength", "3 × 15 per side", 2)


def test_clinic_admin_adds_and_edits_exercises_with_validation(clinic_admin_client):
    url = reverse("assessments:exercise_new")
    data = {
        "code": "wall_sit",
        "name": "Wall sit",
        "category": "strength",
        "target_area": "Quadriceps",
        "default_sets": "3",
        "default_hold_s": "45",
        "default_reps": "10",
        "load_note": "Bodyweight",
        "frequency_per_week": "2",
        "instructions": "Slide down the wall.",
        "is_active": "on",
    }
    refused = clinic_admin_client.post(url, data)
    assert refused.status_code == 400 and "only one of them" in refused.content.decode()
    assert (
        clinic_admin_client.post(
            url, {**data, "default_reps": "", "contraindicated_for": ["HIP_OA"]}
        ).status_code
        == 302
    )
    wall = Exercise.objects.get(code="WALL_SIT")
    assert (wall.default_hold_s, wall.contraindicated_for) == (45, ["HIP_OA"])
    edit = reverse("assessments:exercise_edit", args=[wall.pk])
    clinic_admin_client.post(
        edit,
        {**data, "code": "OTHER", "default_reps": "", "name": "Wall squat hold", "version": wall.version},
    )
    wall.refresh_from_db()
    assert (wall.code, wall.name) == ("WALL_SIT", "Wall squat hold")


def test_therapists_cannot_edit_the_catalogue(therapist_client):
    assert therapist_client.get(reverse("assessments:exercise_list")).status_code == 403


def test_email_a_link_now_unlocks_and_queues_the_email(therapist_client, therapist):
    from django.utils import timezone

    from clinic.messaging.models import ScheduledMessage

    programme = start_programme(therapist)
    Programme.objects.filter(pk=programme.pk).update(link_failed_checks=5, link_locked_at=timezone.now())
    therapist_client.post(reverse("assessments:programme_link", args=[programme.pk]), {"action": "email"})
    programme.refresh_from_db()
    assert (programme.link_failed_checks, programme.link_locked_at) == (0, None)
    assert (
        ScheduledMessage.objects.filter(
            kind="programme_link", status="pending", to_email=programme.patient.email
        ).count()
        == 1
    )
