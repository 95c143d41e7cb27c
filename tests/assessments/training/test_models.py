"""The training log's rules live in the database too: every range and pairing is a named constraint."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from assessments.models import BodyCheckIn, Run, Shoe, TrainingPreferences, TrainingSession
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 4)


@pytest.fixture
def patient():
    return PatientFactory()


def refused(model, constraint: str, **values: object) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model.objects.create(**values)


def run_values(patient, **overrides: object) -> dict[str, object]:
    return {"patient": patient, "day": DAY, "distance_m": 5000, "duration_s": 1800, **overrides}


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"distance_m": 0}, "assessments_run_distance_range"),
        ({"distance_m": 300_001}, "assessments_run_distance_range"),
        ({"duration_s": 0}, "assessments_run_duration_range"),
        ({"pain_during": 11}, "assessments_run_pain_during_range"),
        ({"pain_evening": 11}, "assessments_run_pain_evening_range"),
        ({"pain_next_morning": 11}, "assessments_run_pain_next_morning_range"),
        ({"session_type": "jog"}, "assessments_run_session_type_valid"),
        ({"surface": "sand"}, "assessments_run_surface_valid"),
        ({"source": "email"}, "assessments_run_source_valid"),
        ({"pain_quality": "hot"}, "assessments_run_pain_quality_valid"),
        ({"pain_onset": "distance"}, "assessments_run_onset_matches_kind"),
        ({"pain_onset": "time", "pain_onset_m": 100}, "assessments_run_onset_matches_kind"),
        ({"pain_onset": "none", "pain_onset_s": 60}, "assessments_run_onset_matches_kind"),
        ({"pain_onset": "distance", "pain_onset_m": 5001}, "assessments_run_onset_within_distance"),
        ({"pain_onset": "time", "pain_onset_s": 1801}, "assessments_run_onset_within_time"),
        ({"pain_onset": "none", "pain_during": 2}, "assessments_run_no_onset_no_pain"),
        ({"avg_cadence_spm": 20}, "assessments_run_cadence_range"),
        ({"elevation_gain_m": 20_001}, "assessments_run_elevation_range"),
        ({"version": 0}, "assessments_run_version_positive"),
    ],
)
def test_the_database_refuses_an_impossible_run(patient, overrides, constraint):
    refused(Run, constraint, **run_values(patient, **overrides))


def test_the_database_keeps_a_run_at_its_bounds(patient):
    run = Run.objects.create(
        **run_values(
            patient,
            distance_m=300_000,
            pain_during=10,
            pain_onset="distance",
            pain_onset_m=300_000,
            pain_evening=0,
            pain_next_morning=10,
            avg_cadence_spm=260,
        )
    )

    assert (run.distance_m, run.pace_s_per_km) == (300_000, 6)


def test_the_database_refuses_impossible_sessions_check_ins_shoes_and_preferences(patient):
    refused(
        TrainingSession,
        "assessments_trainingsession_minutes_range",
        patient=patient,
        day=DAY,
        kind="yoga_pilates",
        minutes=601,
    )
    refused(
        TrainingSession,
        "assessments_trainingsession_kind_valid",
        patient=patient,
        day=DAY,
        kind="darts",
        minutes=30,
    )
    refused(BodyCheckIn, "assessments_bodycheckin_hip_feel_range", patient=patient, day=DAY, hip_feel=11)
    refused(
        BodyCheckIn, "assessments_bodycheckin_sleep_hours_range", patient=patient, day=DAY, sleep_hours=17
    )
    refused(
        BodyCheckIn, "assessments_bodycheckin_sleep_quality_range", patient=patient, day=DAY, sleep_quality=6
    )
    refused(BodyCheckIn, "assessments_bodycheckin_stress_range", patient=patient, day=DAY, stress=11)
    refused(BodyCheckIn, "assessments_bodycheckin_cycle_day_range", patient=patient, day=DAY, cycle_day=61)
    refused(
        BodyCheckIn,
        "assessments_bodycheckin_note_needs_illness",
        patient=patient,
        day=DAY,
        illness_note="Flu",
    )
    refused(Shoe, "assessments_shoe_has_name", patient=patient, name="")
    refused(
        Shoe, "assessments_shoe_starting_range", patient=patient, name="Old", starting_distance_m=5_000_001
    )
    refused(
        Shoe,
        "assessments_shoe_retired_after_first_run",
        patient=patient,
        name="Old",
        first_run_on=DAY,
        retired_on=date(2026, 3, 1),
    )
    refused(
        TrainingPreferences, "assessments_trainingpreferences_unit_valid", patient=patient, distance_unit="yd"
    )
    refused(
        TrainingPreferences,
        "assessments_trainingpreferences_withdrawn_needs_consent",
        patient=patient,
        cycle_tracking_withdrawn_at="2026-03-04T10:00:00Z",
    )


def test_one_body_check_in_a_day(patient):
    BodyCheckIn.objects.create(patient=patient, day=DAY, hip_feel=2)

    refused(BodyCheckIn, "assessments_bodycheckin_one_per_day", patient=patient, day=DAY, hip_feel=3)


def test_the_log_is_history_tracked_but_the_cycle_day_never_enters_the_history(patient):
    run = Run.objects.create(**run_values(patient))
    entry = BodyCheckIn.objects.create(patient=patient, day=DAY, hip_feel=2, cycle_day=14)
    entry.cycle_day = 15
    entry.hip_feel = 3
    entry.save()

    assert [e.pgh_label for e in run.audit_events.all()] == ["insert"]
    events = list(entry.audit_events.order_by("pgh_id"))
    assert [(e.pgh_label, e.hip_feel) for e in events] == [("insert", 2), ("update", 3)]
    assert not hasattr(events[0], "cycle_day")
