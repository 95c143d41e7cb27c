"""Training alerts reach the programme dashboard, once each; onset getting earlier raises the bone-stress flag."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from assessments.models import ProgrammeAlert
from assessments.programmes.selectors import dashboard
from assessments.programmes.services.ladder import alert_resolve
from assessments.training.imports.activity import ParsedActivity
from assessments.training.imports.plan import Upload
from assessments.training.imports.services import runs_import
from assessments.training.services import run_log, shoe_add
from clinic.messaging.models import ScheduledMessage
from patients.intake.choices import ActionLevel, FlagSource, RedFlagCode
from patients.models import RedFlag
from tests.assessments.programmes.support import START, at, start_programme
from tests.factories import PatientFactory

pytestmark = [pytest.mark.django_db]


def log(patient, programme, day, *, km: int = 8, minutes: int = 48, **values):
    """A run logged on `day` at 7am (the clock then too), as the patient's log page saves it."""
    with time_machine.travel(at(day, 7), tick=False):
        return run_log(
            patient=patient,
            programme=programme,
            day=day,
            distance_m=km * 1000,
            duration_s=minutes * 60,
            **values,
        )


def onset(metres: int) -> dict[str, object]:
    return {"pain_during": 4, "pain_onset": "distance", "pain_onset_m": metres}


def _kinds(programme) -> list[str]:
    return sorted(ProgrammeAlert.objects.filter(programme=programme).values_list("kind", flat=True))


def test_pain_coming_on_earlier_raises_the_bone_stress_flag_and_stops_running(therapist):
    programme = start_programme(therapist)
    programme.run_stage = 2
    programme.save(update_fields=["run_stage"])
    patient = programme.patient
    log(patient, programme, START, **onset(6000))
    log(patient, programme, START + timedelta(days=2), **onset(4500))
    assert not RedFlag.objects.filter(patient=patient).exists()
    log(patient, programme, START + timedelta(days=4), **onset(3000))
    (flag,) = RedFlag.objects.filter(patient=patient)
    assert (flag.flag_code, flag.source, flag.action_level) == (
        RedFlagCode.BONE_STRESS,
        FlagSource.TRAINING_LOG,
        ActionLevel.STOP_RUNNING_URGENT_MEDICAL,
    )
    assert flag.note.startswith(
        "Training log: Pain came on earlier in each of the last 3 painful runs (6 km on"
    )
    assert flag.about_label == "assessments.run"
    programme.refresh_from_db()
    assert (programme.bone_stress, programme.running_stopped) == (True, True)
    assert _kinds(programme) == ["bone_stress_suspected", "training_onset_earlier"]


def test_another_run_does_not_double_the_flag_or_the_alert(therapist):
    programme = start_programme(therapist)
    patient = programme.patient
    for n, metres in enumerate((6000, 4500, 3000)):
        log(patient, programme, START + timedelta(days=2 * n), **onset(metres))
    log(patient, programme, START + timedelta(days=6), **onset(2000))
    assert RedFlag.objects.filter(patient=patient).count() == 1
    assert _kinds(programme) == ["bone_stress_suspected", "training_onset_earlier"]


def test_the_flag_is_raised_without_an_active_programme():
    patient = PatientFactory()
    for n, metres in enumerate((6000, 4500, 3000)):
        log(patient, None, START + timedelta(days=2 * n), **onset(metres))
    (flag,) = RedFlag.objects.filter(patient=patient)
    assert flag.flag_code == RedFlagCode.BONE_STRESS
    assert not ProgrammeAlert.objects.exists()


def test_later_onset_raises_nothing(therapist):
    programme = start_programme(therapist)
    patient = programme.patient
    for n, metres in enumerate((3000, 4500, 6000)):
        log(patient, programme, START + timedelta(days=2 * n), **onset(metres))
    assert not RedFlag.objects.filter(patient=patient).exists()
    assert _kinds(programme) == []


def _ten_percent_weeks(programme):
    patient = programme.patient
    for day in (0, 2, 4):
        log(patient, programme, START + timedelta(days=day), km=6, minutes=36)
    log(patient, programme, START + timedelta(days=7), km=10, minutes=60)
    log(patient, programme, START + timedelta(days=9), km=10, minutes=60)


def test_the_10_percent_rule_raises_one_alert_for_the_week_with_its_email(therapist):
    programme = start_programme(therapist)
    _ten_percent_weeks(programme)
    (alert,) = ProgrammeAlert.objects.filter(programme=programme)
    assert (alert.kind, alert.checkin, alert.key) == (
        "training_ten_percent",
        None,
        "training:training_ten_percent:2026-03-09",
    )
    assert alert.detail == (
        "Weekly distance in the week of 9 Mar 2026 is 20 km so far, up 11.1 % on the week before (18 km): "
        "more than the 10 % rule allows."
    )
    assert ScheduledMessage.objects.filter(key=f"programme:{programme.pk}:alert:{alert.pk}").count() == 1
    # Another run the same week: still one alert.
    log(programme.patient, programme, START + timedelta(days=11), km=5, minutes=30)
    assert ProgrammeAlert.objects.filter(programme=programme).count() == 1


def test_a_resolved_training_alert_stays_resolved(therapist):
    programme = start_programme(therapist)
    _ten_percent_weeks(programme)
    alert = ProgrammeAlert.objects.get(programme=programme)
    with time_machine.travel(at(START + timedelta(days=10)), tick=False):
        alert_resolve(alert=alert, by=therapist, resolution="Called: easing off next week.")
    log(programme.patient, programme, START + timedelta(days=11), km=5, minutes=30)
    assert list(ProgrammeAlert.objects.filter(programme=programme).values_list("resolved_by", flat=True)) == [
        therapist.pk
    ]


def test_the_dashboard_counts_a_training_alert_as_attention(therapist):
    programme = start_programme(therapist)
    today = START + timedelta(days=9)
    assert dashboard(therapist=therapist, today=today).counts["attention"] == 0
    _ten_percent_weeks(programme)
    page = dashboard(therapist=therapist, today=today)
    assert page.counts["attention"] == 1
    (row,) = page.rows
    assert row.status.status == "attention"
    assert row.status.reasons[0] == "Open alert: training log: weekly distance up more than 10 %."


def test_worn_shoes_raise_one_alert_per_pair(therapist):
    programme = start_programme(therapist)
    patient = programme.patient
    with time_machine.travel(at(START), tick=False):
        worn = shoe_add(patient=patient, name="Old Ghosts", starting_distance_m=479_000)
        shoe_add(patient=patient, name="New Pegasus", starting_distance_m=20_000)
    assert _kinds(programme) == []
    log(patient, programme, START + timedelta(days=1), km=2, minutes=12, shoe=worn)
    (alert,) = ProgrammeAlert.objects.filter(programme=programme)
    assert (alert.kind, alert.key) == ("training_shoes", f"training:training_shoes:shoe-{worn.pk}")
    assert alert.detail == "The shoes “Old Ghosts” have done 481 km, past the replacement distance of 480 km."
    log(patient, programme, START + timedelta(days=3), km=2, minutes=12, shoe=worn)
    assert ProgrammeAlert.objects.filter(programme=programme).count() == 1


def test_an_import_raises_the_alerts_once_after_its_last_run(therapist):
    programme = start_programme(therapist)
    patient = programme.patient
    for day in (0, 2, 4):
        log(patient, programme, START + timedelta(days=day), km=6, minutes=36)
    week2 = datetime.combine(START + timedelta(days=7), time(7), tzinfo=UTC)
    uploads = [
        Upload(
            f"{n}-0",
            f"run{n}.gpx",
            ParsedActivity(week2 + timedelta(days=n), 5000, 1800, None, None, "gpx", "running"),
        )
        for n in range(5)
    ]
    with time_machine.travel(at(START + timedelta(days=12), 9), tick=False):
        runs_import(patient=patient, programme=programme, uploads=uploads, keys={u.key for u in uploads})
    # 25 km after 18 km: one 10 % alert for the week, raised after the last of the five runs.
    (alert,) = ProgrammeAlert.objects.filter(programme=programme)
    assert (alert.kind, alert.key) == ("training_ten_percent", "training:training_ten_percent:2026-03-09")
    assert "is 25 km so far, up 38.9 % on the week before (18 km)" in alert.detail
