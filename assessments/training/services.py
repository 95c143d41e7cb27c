"""Writes to the training log: runs, sessions, the daily body check-in, shoes and the patient's choices.

Each function is one transaction and checks what the database cannot (a
run's shoes are the patient's own; a cycle day only with consent); the named
constraints check every range again and come back as the field's message.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import BodyCheckIn, Programme, Run, Shoe, TrainingPreferences, TrainingSession
from assessments.record.services.findings import save_checked
from assessments.training.attention import training_attention_refresh
from assessments.training.choices import DistanceUnit, PainOnset, RunSource
from assessments.training.selectors import preferences_of
from patients.intake.selectors import intake_latest_submitted
from patients.models import Patient

# The run's columns a patient may change after logging it (imports' fields stay as read).
RUN_EDITABLE = (
    "day",
    "distance_m",
    "duration_s",
    "session_type",
    "surface",
    "shoe",
    "pain_during",
    "pain_onset",
    "pain_onset_m",
    "pain_onset_s",
    "pain_evening",
    "pain_next_morning",
    "pain_quality",
    "note",
)


class TrainingLogError(ValueError):
    pass


class RunConflictError(TrainingLogError):
    """The run changed on another device or in another tab since this page was loaded."""


def _check_shoe(*, patient: Patient, shoe: Shoe | None) -> None:
    if shoe is not None and shoe.patient_id != patient.pk:
        raise ValidationError({"shoe": "Choose shoes from your list."})


def _normalise_onset(run: Run) -> None:
    """Only the onset the kind names is kept; no pain means no onset."""
    if run.pain_onset != PainOnset.DISTANCE:
        run.pain_onset_m = None
    if run.pain_onset != PainOnset.TIME:
        run.pain_onset_s = None


@transaction.atomic
def run_log(
    *,
    patient: Patient,
    programme: Programme | None,
    day: date,
    distance_m: int,
    duration_s: int,
    session_type: str = "easy",
    surface: str = "road",
    shoe: Shoe | None = None,
    pain_during: int | None = None,
    pain_onset: str = "",
    pain_onset_m: int | None = None,
    pain_onset_s: int | None = None,
    pain_evening: int | None = None,
    pain_next_morning: int | None = None,
    pain_quality: str = "",
    note: str = "",
    source: str = RunSource.MANUAL,
    started_at: datetime | None = None,
    elevation_gain_m: int | None = None,
    avg_cadence_spm: int | None = None,
    refresh: bool = True,
) -> Run:
    """Add a run to the patient's log (typed in, or confirmed from an import).

    Side effects: the row; the training log's alerts and bone-stress flag
    (attention.training_attention_refresh), unless `refresh` is False (an
    import saving many runs refreshes once, after the last).
    """
    _check_shoe(patient=patient, shoe=shoe)
    run = Run(
        patient=patient,
        programme=programme,
        day=day,
        started_at=started_at,
        distance_m=distance_m,
        duration_s=duration_s,
        session_type=session_type,
        surface=surface,
        shoe=shoe,
        pain_during=pain_during,
        pain_onset=pain_onset,
        pain_onset_m=pain_onset_m,
        pain_onset_s=pain_onset_s,
        pain_evening=pain_evening,
        pain_next_morning=pain_next_morning,
        pain_quality=pain_quality,
        note=note.strip(),
        source=source,
        elevation_gain_m=elevation_gain_m,
        avg_cadence_spm=avg_cadence_spm,
    )
    _normalise_onset(run)
    run.full_clean(validate_constraints=False)
    save_checked(run)
    if refresh:
        training_attention_refresh(patient=patient)
    return run


@transaction.atomic
def run_update(*, run: Run, version: int, **changes: object) -> Run:
    """Change a logged run (evening and next-morning pain come later), refusing a stale `version`.

    Side effects: the row's new values and its version + 1.
    """
    unknown = set(changes) - set(RUN_EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    current = Run.objects.select_for_update().get(pk=run.pk)
    if current.version != version:
        raise RunConflictError("This run was changed on another device since you opened it.")
    if "shoe" in changes:
        _check_shoe(patient=current.patient, shoe=changes["shoe"])  # type: ignore[arg-type]
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) and name == "note" else value)
    _normalise_onset(current)
    current.version += 1
    current.full_clean(validate_constraints=False)
    save_checked(current)
    training_attention_refresh(patient=current.patient)
    return current


@transaction.atomic
def run_delete(*, run: Run) -> None:
    """Take a run out of the log (logged by mistake). The change history keeps it."""
    Run.objects.filter(pk=run.pk).delete()


@transaction.atomic
def session_log(*, patient: Patient, day: date, kind: str, minutes: int, note: str = "") -> TrainingSession:
    """Add a strength or cross-training session."""
    session = TrainingSession(patient=patient, day=day, kind=kind, minutes=minutes, note=note.strip())
    session.full_clean(validate_constraints=False)
    save_checked(session)
    return session


@transaction.atomic
def session_delete(*, session: TrainingSession) -> None:
    TrainingSession.objects.filter(pk=session.pk).delete()


@transaction.atomic
def body_checkin_save(
    *,
    patient: Patient,
    day: date,
    hip_feel: int | None,
    sleep_hours: Decimal | None = None,
    sleep_quality: int | None = None,
    stress: int | None = None,
    illness: bool = False,
    illness_note: str = "",
    cycle_day: int | None = None,
) -> BodyCheckIn:
    """The day's one-line check-in, created or replaced (one per day).

    A cycle day is refused unless the patient consents to cycle tracking.
    """
    if cycle_day is not None and not preferences_of(patient).cycle_tracking_on:
        raise ValidationError({"cycle_day": "Cycle tracking is off: turn it on in your settings first."})
    entry = BodyCheckIn.objects.select_for_update().filter(patient=patient, day=day).first() or BodyCheckIn(
        patient=patient, day=day
    )
    entry.hip_feel = hip_feel
    entry.sleep_hours = sleep_hours
    entry.sleep_quality = sleep_quality
    entry.stress = stress
    entry.illness = illness
    entry.illness_note = illness_note.strip() if illness else ""
    entry.cycle_day = cycle_day
    entry.full_clean(validate_constraints=False, validate_unique=False)
    save_checked(entry)
    return entry


def _preferences_for_update(patient: Patient) -> TrainingPreferences:
    preferences, _ = TrainingPreferences.objects.select_for_update().get_or_create(patient=patient)
    return preferences


@transaction.atomic
def preferences_set_unit(*, patient: Patient, unit: str) -> TrainingPreferences:
    """The unit the patient types and reads distances in (storage stays in metres)."""
    if unit not in DistanceUnit.values:
        raise ValidationError({"distance_unit": "Choose kilometres or miles."})
    preferences = _preferences_for_update(patient)
    preferences.distance_unit = unit
    save_checked(preferences)
    return preferences


@transaction.atomic
def cycle_tracking_consent(*, patient: Patient, now: datetime | None = None) -> TrainingPreferences:
    """The patient's explicit consent to log their menstrual cycle day (a new consent after a withdrawal)."""
    preferences = _preferences_for_update(patient)
    if not preferences.cycle_tracking_on:
        preferences.cycle_tracking_consented_at = now or timezone.now()
        save_checked(preferences)
    return preferences


@transaction.atomic
def cycle_tracking_withdraw(*, patient: Patient, now: datetime | None = None) -> int:
    """Withdraw consent to cycle tracking: every stored cycle day is deleted. Returns how many."""
    preferences = _preferences_for_update(patient)
    if preferences.cycle_tracking_on:
        preferences.cycle_tracking_withdrawn_at = now or timezone.now()
        save_checked(preferences)
    # Also clears any left from an earlier consent; the change history never holds cycle days.
    return BodyCheckIn.objects.filter(patient=patient, cycle_day__isnull=False).update(cycle_day=None)


@transaction.atomic
def shoe_add(
    *,
    patient: Patient,
    name: str,
    first_run_on: date | None = None,
    starting_distance_m: int = 0,
    from_intake: bool = False,
) -> Shoe:
    """A new pair on the patient's shoe list (the timeline marks their first run as "new shoes")."""
    shoe = Shoe(
        patient=patient,
        name=name.strip(),
        first_run_on=first_run_on,
        starting_distance_m=starting_distance_m,
        from_intake=from_intake,
    )
    shoe.full_clean(validate_constraints=False)
    save_checked(shoe)
    training_attention_refresh(patient=patient)
    return shoe


@transaction.atomic
def shoe_retire(*, shoe: Shoe, on: date | None) -> Shoe:
    """Retire a pair (`on` a day) or bring it back (`on` None); runs stay counted in it."""
    shoe = Shoe.objects.select_for_update().get(pk=shoe.pk)
    if on is not None and shoe.first_run_on is not None and on < shoe.first_run_on:
        raise ValidationError({"retired_on": "Shoes are retired after their first run."})
    shoe.retired_on = on
    save_checked(shoe)
    return shoe


def _intake_km(answer: dict[str, object]) -> Decimal:
    try:
        km = Decimal(str(answer.get("km") or 0))
    except InvalidOperation:
        return Decimal(0)
    return km if km.is_finite() and km >= 0 else Decimal(0)


@transaction.atomic
def shoes_seed_from_intake(*, patient: Patient) -> list[Shoe]:
    """The shoes the patient named in their intake, once: later calls add nothing.

    Side effect: one Shoe per named pair (`from_intake`), with the distance the
    intake gave as its starting distance.
    """
    if Shoe.objects.filter(patient=patient, from_intake=True).exists():
        return []
    response = intake_latest_submitted(patient=patient)
    if response is None:
        return []
    shoes = []
    for index, answer in enumerate(response.shoes or [], start=1):
        if not isinstance(answer, dict):
            continue
        name = str(answer.get("model") or "").strip()[:100] or f"Shoes {index} (from your intake)"
        metres = min(int(_intake_km(answer) * 1000), 5_000_000)
        shoes.append(shoe_add(patient=patient, name=name, starting_distance_m=metres, from_intake=True))
    return shoes
