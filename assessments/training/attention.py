"""What the training log puts in front of the therapist: alerts on the programme dashboard, the bone-stress flag.

`training_attention_refresh` runs after the log changes (a run typed in,
changed or imported, shoes added). It reads the last weeks of the log once,
asks the pure rules (`alerts.training_alerts` over `load.weekly_load`) what
stands today, and:

- raises each alert as a `ProgrammeAlert` on the patient's active programme,
  once per alert key (the week or the pair of shoes it is about:
  `services.ladder.alert_raise` with `key`), so saving another run never
  doubles it and a resolved alert stays resolved; the dashboard counts and
  orders open alerts in SQL (`selectors.with_dashboard_status`), so nothing
  is computed per row on read;
- when pain comes on earlier in successive runs (the bone-stress warning of
  S4), raises the bone-stress red flag through `patients.flags` with the
  clinic's action level for it (stop running, urgent medical review). The
  flag's save re-evaluates bone stress (`services.bone_stress.red_flag_saved`):
  the programme switches to bone-stress mode and the ladder stops running.
  An open bone-stress flag is never doubled; once cleared, a later run that
  shows the trend again raises a new one.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Programme, ProgrammeAlert, Run
from assessments.programmes.choices import AlertKind, ProgrammeStatus
from assessments.programmes.services.ladder import alert_raise
from assessments.training import alerts as rules
from assessments.training.load import ACWR_WINDOW_DAYS, monday_of, weekly_load
from assessments.training.selectors import preferences_of, training_entries
from clinic.messaging.services import About
from patients.flags.services import red_flag_raise
from patients.intake.choices import FlagSource, RedFlagCode
from patients.intake.redflags import LEVELS
from patients.models import Patient, RedFlag

# The weeks of log the alerts read (the ACWR's 28 days are read before the first).
LOOKBACK_WEEKS = 12
ACWR_ALERT_ABOVE = rules.ACWR_ALERT_ABOVE

KINDS = {
    rules.TEN_PERCENT: AlertKind.TRAINING_TEN_PERCENT,
    rules.ACWR: AlertKind.TRAINING_ACWR,
    rules.PAIN_RISING: AlertKind.TRAINING_PAIN_RISING,
    rules.SHOES: AlertKind.TRAINING_SHOES,
    rules.NO_CUTBACK: AlertKind.TRAINING_NO_CUTBACK,
    rules.ONSET_EARLIER: AlertKind.TRAINING_ONSET_EARLIER,
}


@dataclass
class Attention:
    """What a refresh found (`found`), the programme alerts standing for it, and the bone-stress flag."""

    found: list[rules.TrainingAlert] = field(default_factory=list)
    alerts: list[ProgrammeAlert] = field(default_factory=list)
    flag: RedFlag | None = None


def active_programme(patient_id: int) -> Programme | None:
    return (
        Programme.objects.filter(patient_id=patient_id, status=ProgrammeStatus.ACTIVE)
        .select_related("therapist", "patient")
        .order_by("-start_date", "-pk")
        .first()
    )


def local_today(programme: Programme | None, now: datetime) -> date:
    zone = programme.time_zone if programme is not None else settings.CLINIC_TIME_ZONE
    return now.astimezone(ZoneInfo(zone)).date()


def alert_key(alert: rules.TrainingAlert) -> str:
    """The programme alert's key: the alert's own (a week's Monday, a pair of shoes).

    Onset getting earlier names its latest run's day; its alert is keyed by
    that day's week, so each further painful run that week finds the same
    alert (the red flag, raised once, is what stops running).
    """
    key = alert.key
    if alert.code == rules.ONSET_EARLIER:
        key = monday_of(date.fromisoformat(key)).isoformat()
    return f"training:{alert.code}:{key}"


def alerts_today(patient: Patient, *, today: date, unit: str) -> list[rules.TrainingAlert]:
    """The training log's alerts that stand today (reads the log once)."""
    first_week = monday_of(today) - timedelta(weeks=LOOKBACK_WEEKS - 1)
    runs, sessions, _body, shoes = training_entries(
        patient, since=first_week - timedelta(days=ACWR_WINDOW_DAYS)
    )
    weeks = weekly_load(runs=runs, sessions=sessions, first_week=first_week, last_week=today)
    return rules.training_alerts(
        weeks=weeks,
        runs=runs,
        shoes=shoes,
        today=today,
        shoe_limit_m=settings.SHOE_REPLACEMENT_KM * 1000,
        unit=unit,
    )


@transaction.atomic
def training_attention_refresh(*, patient: Patient, now: datetime | None = None) -> Attention:
    """Raise what the training log says today (call in the transaction that changed the log).

    Side effects: a ProgrammeAlert per standing alert not raised before under
    its key (with the therapist's email, as every programme alert), on the
    active programme (none without one); the bone-stress red flag (source
    training log) when pain comes on earlier in each run, which switches the
    programme to bone-stress mode and stops running.
    """
    now = now or timezone.now()
    programme = active_programme(patient.pk)
    today = local_today(programme, now)
    found = alerts_today(patient, today=today, unit=preferences_of(patient).distance_unit)
    result = Attention(found=found)
    if programme is not None:
        result.alerts = [
            alert_raise(
                programme=programme, checkin=None, kind=KINDS[a.code], detail=a.message, key=alert_key(a)
            )
            for a in found
        ]
    onset = next((a for a in found if a.code == rules.ONSET_EARLIER), None)
    if onset is not None:
        result.flag = _bone_stress_flag(patient, onset, now=now)
    return result


def _bone_stress_flag(patient: Patient, onset: rules.TrainingAlert, *, now: datetime) -> RedFlag:
    open_flag = RedFlag.objects.filter(
        patient=patient, flag_code=RedFlagCode.BONE_STRESS, cleared_at__isnull=True
    ).first()
    if open_flag is not None:
        return open_flag
    # The flag is about the latest run of the trend (its key is that run's day).
    run = (
        Run.objects.filter(patient=patient, day=date.fromisoformat(onset.key))
        .filter(Q(pain_onset_m__isnull=False) | Q(pain_onset_s__isnull=False))
        .order_by("-started_at", "-pk")
        .first()
    )
    return red_flag_raise(
        patient=patient,
        code=RedFlagCode.BONE_STRESS,
        source=FlagSource.TRAINING_LOG,
        action_level=str(LEVELS[RedFlagCode.BONE_STRESS]),
        note=f"Training log: {onset.message}",
        about=About.of(run) if run is not None else None,
        now=now,
    )
