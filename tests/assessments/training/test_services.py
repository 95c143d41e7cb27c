"""The training log's services and selectors: shoes and their totals, the intake's shoes, consent, edits, reads."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from assessments.models import BodyCheckIn, Run, Shoe, TrainingPreferences
from assessments.training import services
from assessments.training.load import BodyEntry, RunEntry, SessionEntry
from assessments.training.selectors import checkin_prefill, shoe_rows, training_entries, week_totals
from patients.identity.export import export_covered_models, patient_export
from tests.assessments.record.intake_helpers import submitted_intake
from tests.assessments.training.logsupport import NOW, WEDNESDAY, logged_run, programme_for, sign_in
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

MONDAY = WEDNESDAY - timedelta(days=2)


@pytest.fixture
def patient():
    return PatientFactory()


def test_a_shoe_s_total_is_its_starting_distance_plus_its_runs_and_the_prompt_comes_at_the_limit(
    patient, settings
):
    settings.SHOE_REPLACEMENT_KM = 480
    shoe = services.shoe_add(patient=patient, name="Pegasus", starting_distance_m=470_000)
    other = services.shoe_add(patient=patient, name="Spare")
    logged_run(patient, MONDAY, km=9.999, shoe=shoe)
    logged_run(patient, MONDAY, km=30, shoe=other)
    logged_run(PatientFactory(), MONDAY, km=30)
    rows = {row.shoe.name: row for row in shoe_rows(patient)}
    assert (rows["Pegasus"].distance_m, rows["Pegasus"].runs, rows["Pegasus"].due) == (479_999, 1, False)

    logged_run(patient, WEDNESDAY, km=0.001, shoe=shoe)

    rows = {row.shoe.name: row for row in shoe_rows(patient)}
    assert (rows["Pegasus"].distance_m, rows["Pegasus"].runs, rows["Pegasus"].due) == (480_000, 2, True)
    assert rows["Pegasus"].last_run_on == WEDNESDAY
    assert (rows["Spare"].distance_m, rows["Spare"].due) == (30_000, False)


def test_a_retired_pair_is_never_due_and_retires_only_after_its_first_run(patient):
    shoe = services.shoe_add(patient=patient, name="Old", starting_distance_m=900_000, first_run_on=MONDAY)

    with pytest.raises(ValidationError):
        services.shoe_retire(shoe=shoe, on=MONDAY - timedelta(days=1))
    services.shoe_retire(shoe=shoe, on=WEDNESDAY)

    (row,) = shoe_rows(patient)
    assert (row.shoe.retired_on, row.due) == (WEDNESDAY, False)


def test_the_intake_s_shoes_seed_the_list_once(patient):
    response = submitted_intake(patient, flag=None)
    response.shoes = [
        {"model": "Nike Pegasus 40", "distance": "200", "unit": "mi", "km": "321.9"},
        {"model": "", "distance": "50", "unit": "km", "km": "50.0"},
        {"model": "Trail shoes", "km": None},
    ]
    response.save()

    first = services.shoes_seed_from_intake(patient=patient)
    again = services.shoes_seed_from_intake(patient=patient)

    assert [(s.name, s.starting_distance_m, s.from_intake) for s in first] == [
        ("Nike Pegasus 40", 321_900, True),
        ("Shoes 2 (from your intake)", 50_000, True),
        ("Trail shoes", 0, True),
    ]
    assert again == [] and Shoe.objects.count() == 3


def test_without_a_submitted_intake_no_shoes_are_seeded(patient):
    assert services.shoes_seed_from_intake(patient=patient) == []


def test_a_cycle_day_needs_consent_and_withdrawal_deletes_every_one(patient):
    with pytest.raises(ValidationError) as refused:
        services.body_checkin_save(patient=patient, day=MONDAY, hip_feel=1, cycle_day=3)
    assert refused.value.message_dict == {
        "cycle_day": ["Cycle tracking is off: turn it on in your settings first."]
    }

    services.cycle_tracking_consent(patient=patient)
    services.body_checkin_save(patient=patient, day=MONDAY, hip_feel=1, cycle_day=3)
    services.body_checkin_save(patient=patient, day=WEDNESDAY, hip_feel=2, cycle_day=5)
    deleted = services.cycle_tracking_withdraw(patient=patient)

    preferences = TrainingPreferences.objects.get()
    assert deleted == 2
    assert list(BodyCheckIn.objects.values_list("cycle_day", flat=True)) == [None, None]
    assert preferences.cycle_tracking_on is False and preferences.cycle_tracking_withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.body_checkin_save(patient=patient, day=WEDNESDAY, hip_feel=2, cycle_day=5)
    services.cycle_tracking_consent(patient=patient)
    assert TrainingPreferences.objects.get().cycle_tracking_on is True


def test_a_run_in_another_patient_s_shoes_is_refused(patient):
    theirs = services.shoe_add(patient=PatientFactory(), name="Theirs")

    with pytest.raises(ValidationError) as refused:
        services.run_log(
            patient=patient, programme=None, day=MONDAY, distance_m=5000, duration_s=1800, shoe=theirs
        )

    assert refused.value.message_dict == {"shoe": ["Choose shoes from your list."]}
    assert Run.objects.count() == 0


def test_a_run_s_onset_keeps_only_what_its_kind_names(patient):
    run = services.run_log(
        patient=patient,
        programme=None,
        day=MONDAY,
        distance_m=5000,
        duration_s=1800,
        pain_during=3,
        pain_onset="time",
        pain_onset_m=1000,
        pain_onset_s=600,
    )

    changed = services.run_update(run=run, version=1, pain_onset="distance", pain_onset_m=2000)

    assert (run.pain_onset_m, run.pain_onset_s) == (None, 600)
    assert (changed.pain_onset_m, changed.pain_onset_s, changed.version) == (2000, None, 2)
    with pytest.raises(services.RunConflictError):
        services.run_update(run=run, version=1, pain_evening=2)
    with pytest.raises(ValidationError):
        services.run_update(run=run, version=2, pain_onset="distance", pain_onset_m=6000)


def test_training_entries_read_the_log_in_four_queries(patient, django_assert_num_queries):
    shoe = services.shoe_add(patient=patient, name="Pegasus", starting_distance_m=1000, first_run_on=None)
    logged_run(patient, MONDAY - timedelta(days=30), km=10, shoe=shoe)
    logged_run(
        patient,
        MONDAY,
        km=5,
        shoe=shoe,
        pain_during=2,
        pain_onset="distance",
        pain_onset_m=4000,
        pain_next_morning=1,
    )
    services.session_log(patient=patient, day=MONDAY, kind="strength", minutes=30)
    services.cycle_tracking_consent(patient=patient)
    services.body_checkin_save(
        patient=patient, day=MONDAY, hip_feel=2, sleep_hours=Decimal("7.5"), stress=4, cycle_day=9
    )
    logged_run(PatientFactory(), MONDAY, km=42)

    with django_assert_num_queries(4):
        runs, sessions, body, shoes = training_entries(patient, since=MONDAY - timedelta(days=7))

    assert runs == [
        RunEntry(
            day=MONDAY,
            distance_m=5000,
            duration_s=1800,
            shoe_id=shoe.pk,
            pain_during=2,
            pain_onset_m=4000,
            pain_next_morning=1,
        )
    ]
    assert sessions == [SessionEntry(day=MONDAY, kind="strength", minutes=30)]
    assert body == [BodyEntry(day=MONDAY, hip_feel=2, sleep_hours=7.5, stress=4, cycle_day=9)]
    assert [(s.id, s.distance_m, s.first_run_on) for s in shoes] == [
        (shoe.pk, 16_000, MONDAY - timedelta(days=30))
    ]


def test_a_week_s_totals_and_the_check_in_s_pre_fill(patient):
    shoe = services.shoe_add(patient=patient, name="Pegasus")
    logged_run(
        patient,
        MONDAY,
        km=5.004,
        minutes=31,
        pain_during=2,
        pain_onset="time",
        pain_onset_s=600,
        pain_next_morning=1,
    )
    logged_run(patient, WEDNESDAY, km=12.5, minutes=70, surface="cambered_road", shoe=shoe, pain_evening=3)
    logged_run(patient, MONDAY - timedelta(days=1), km=30)  # the Sunday before: another week

    totals = week_totals(patient, start=MONDAY, end=MONDAY + timedelta(days=6))
    prefill = checkin_prefill(patient, start=MONDAY, end=MONDAY + timedelta(days=6))

    assert (totals.runs, totals.distance_m, totals.duration_s, totals.longest_m) == (2, 17_504, 6060, 12_500)
    assert (totals.pain_during, totals.pain_evening, totals.pain_next_morning) == (2, 3, 1)
    assert prefill.runs == [
        {"date": MONDAY, "distance_km": Decimal("5.00"), "minutes": 31, "surface": "road", "shoes": ""},
        {
            "date": WEDNESDAY,
            "distance_km": Decimal("12.50"),
            "minutes": 70,
            "surface": "cambered",
            "shoes": "Pegasus",
        },
    ]
    assert prefill.answers == {"run_pain_during": 2, "run_pain_after": 3, "pain_next_morning": 1}
    assert checkin_prefill(patient, start=MONDAY + timedelta(days=7), end=MONDAY + timedelta(days=13)) is None


def test_the_patient_s_export_holds_the_whole_log(patient):
    services.preferences_set_unit(patient=patient, unit="mi")
    shoe = services.shoe_add(patient=patient, name="Pegasus")
    logged_run(patient, MONDAY, shoe=shoe, note="Felt good")
    services.session_log(patient=patient, day=MONDAY, kind="swimming", minutes=45)
    services.body_checkin_save(patient=patient, day=MONDAY, hip_feel=1)
    logged_run(PatientFactory(), MONDAY, note="Someone else")

    section = json.loads(json.dumps(patient_export(patient=patient), cls=DjangoJSONEncoder))["sections"][
        "training_log"
    ]

    assert section["preferences"]["distance_unit"] == "mi"
    assert [s["name"] for s in section["shoes"]] == ["Pegasus"]
    assert [(r["note"], r["shoe_id"], r["distance_m"]) for r in section["runs"]] == [
        ("Felt good", shoe.pk, 5000)
    ]
    assert [s["kind_display"] for s in section["sessions"]] == ["Swimming"]
    assert [b["hip_feel"] for b in section["body_checkins"]] == [1]
    covered = export_covered_models()
    for label in ("TrainingPreferences", "Shoe", "Run", "TrainingSession", "BodyCheckIn"):
        assert covered[f"assessments.{label}"] == "training_log"


@pytest.mark.usefixtures("clean_cache")
def test_the_weekly_check_in_page_starts_from_the_week_s_log(client, therapist):
    programme = programme_for(therapist)
    logged_run(
        programme.patient,
        MONDAY,
        km=6,
        minutes=35,
        pain_during=1,
        pain_onset="time",
        pain_onset_s=900,
        pain_next_morning=2,
    )
    with time_machine.travel(NOW + timedelta(days=4, hours=8), tick=False):  # Sunday evening of week 1
        sign_in(client, programme, therapist)
        html = client.get(reverse("assessments:checkin_week", args=[1])).content.decode()

    assert 'id="log-prefill"' in html and "1 run this week" in html
    assert 'name="run-0-distance_km" value="6.00"' in html
    assert 'name="run-0-minutes" value="35"' in html
    assert 'name="pain_next_morning" value="2"' in html
    assert 'name="run_pain_during" value="1"' in html


@pytest.mark.postgres
def test_a_deleted_run_stays_in_its_change_history(patient):
    run = logged_run(patient, WEDNESDAY, km=12, pain_during=6, pain_onset="distance", pain_onset_m=4000)
    run_pk = run.pk

    services.run_delete(run=run)

    assert not Run.objects.filter(pk=run_pk).exists()
    history = Run.pgh_event_model.objects.filter(pgh_obj_id=run_pk).order_by("pgh_id")
    assert list(history.values_list("pgh_label", flat=True))[-1] == "delete"
    assert history.last().distance_m == 12000 and history.last().pain_during == 6
