"""The runner's training log (by the programme link): runs, other sessions, daily body check-ins, shoes.

Distances are stored in metres and times in seconds whatever unit the patient
types in; pace is derived, never stored. Every range is also a named check
constraint, and every row is history-tracked like the rest of the record.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from assessments.models.base import NPRS_VALIDATORS, choice_valid, decimal_range, in_range
from assessments.training.choices import (
    CADENCE_MAX_SPM,
    CADENCE_MIN_SPM,
    CYCLE_DAY_MAX,
    ELEVATION_GAIN_MAX_M,
    NOTE_MAX,
    RUN_DISTANCE_MAX_M,
    RUN_DURATION_MAX_S,
    SESSION_MINUTES_MAX,
    SHOE_STARTING_MAX_M,
    SLEEP_HOURS_MAX,
    DistanceUnit,
    PainOnset,
    PainQuality,
    RunSource,
    RunSurface,
    SessionKind,
    SessionType,
    SleepQuality,
)
from clinic.audit.tracking import audit_tracked


def default_distance_unit() -> str:
    """The clinic's unit (TRAINING_DISTANCE_UNIT) until the patient picks theirs."""
    return getattr(settings, "TRAINING_DISTANCE_UNIT", DistanceUnit.KM)


@audit_tracked
class TrainingPreferences(models.Model):
    """The patient's choices for the log: the unit they type distances in, consent to cycle tracking.

    Cycle tracking is on while consented and not withdrawn since; withdrawing
    deletes the stored cycle days (the service does, in the same transaction).
    """

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="training_preferences"
    )
    distance_unit = models.CharField(
        max_length=2, choices=DistanceUnit.choices, default=default_distance_unit
    )
    cycle_tracking_consented_at = models.DateTimeField(null=True, blank=True)
    cycle_tracking_withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "training preferences"
        verbose_name_plural = "training preferences"
        constraints = [
            choice_valid(
                "assessments_trainingpreferences_unit_valid",
                "distance_unit",
                DistanceUnit.values,
                blank=False,
            ),
            models.CheckConstraint(
                condition=Q(cycle_tracking_withdrawn_at__isnull=True)
                | Q(cycle_tracking_consented_at__isnull=False),
                name="assessments_trainingpreferences_withdrawn_needs_consent",
                violation_error_message="Only a consent that was given can be withdrawn.",
            ),
        ]

    def __str__(self) -> str:
        return f"Training preferences ({self.distance_unit})"

    @property
    def cycle_tracking_on(self) -> bool:
        consented, withdrawn = self.cycle_tracking_consented_at, self.cycle_tracking_withdrawn_at
        return consented is not None and (withdrawn is None or withdrawn < consented)


@audit_tracked
class Shoe(models.Model):
    """One pair of running shoes; its running total is the starting distance plus the runs logged in it."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="shoes")
    name = models.CharField(max_length=100)
    first_run_on = models.DateField("first run in them", null=True, blank=True)
    starting_distance_m = models.PositiveIntegerField(
        "distance before logging (m)",
        default=0,
        validators=[MaxValueValidator(SHOE_STARTING_MAX_M)],
    )
    retired_on = models.DateField(null=True, blank=True)
    # Seeded from the intake's running-history shoe answers.
    from_intake = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["retired_on", "-first_run_on", "pk"]
        constraints = [
            in_range(
                "assessments_shoe_starting_range",
                "starting_distance_m",
                0,
                SHOE_STARTING_MAX_M,
                "Starting distance is 0–5,000 km.",
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="assessments_shoe_has_name",
                violation_error_message="Name the shoes.",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True)
                | Q(first_run_on__isnull=True)
                | Q(retired_on__gte=F("first_run_on")),
                name="assessments_shoe_retired_after_first_run",
                violation_error_message="Shoes are retired after their first run.",
            ),
        ]
        indexes = [models.Index(fields=["patient", "retired_on"], name="assessments_shoe_patient")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


_RUN_PAINS = ("pain_during", "pain_evening", "pain_next_morning")


@audit_tracked
class Run(models.Model):
    """One run in the patient's log, typed in or imported from a watch file.

    Pain during the run has its onset: none, a distance into it
    (`pain_onset_m`) or a time into it (`pain_onset_s`), "" when not said.
    Evening and next-morning pain are filled in later from the run's row.
    `version` stops two devices from overwriting each other's edit.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="runs")
    programme = models.ForeignKey(
        "assessments.Programme", on_delete=models.PROTECT, related_name="runs", null=True, blank=True
    )
    day = models.DateField()
    started_at = models.DateTimeField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(
        "distance (m)", validators=[MinValueValidator(1), MaxValueValidator(RUN_DISTANCE_MAX_M)]
    )
    duration_s = models.PositiveIntegerField(
        "time (s)", validators=[MinValueValidator(1), MaxValueValidator(RUN_DURATION_MAX_S)]
    )
    session_type = models.CharField(max_length=10, choices=SessionType.choices, default=SessionType.EASY)
    surface = models.CharField(max_length=14, choices=RunSurface.choices, default=RunSurface.ROAD)
    shoe = models.ForeignKey(Shoe, on_delete=models.PROTECT, related_name="runs", null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, validators=NPRS_VALIDATORS)
    pain_onset = models.CharField(max_length=8, choices=PainOnset.choices, blank=True)
    pain_onset_m = models.PositiveIntegerField(null=True, blank=True)
    pain_onset_s = models.PositiveIntegerField(null=True, blank=True)
    pain_evening = models.PositiveSmallIntegerField(null=True, blank=True, validators=NPRS_VALIDATORS)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True, validators=NPRS_VALIDATORS)
    pain_quality = models.CharField(max_length=5, choices=PainQuality.choices, blank=True)
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    source = models.CharField(max_length=10, choices=RunSource.choices, default=RunSource.MANUAL)
    elevation_gain_m = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(ELEVATION_GAIN_MAX_M)]
    )
    avg_cadence_spm = models.PositiveSmallIntegerField(
        "average cadence (steps/min)",
        null=True,
        blank=True,
        validators=[MinValueValidator(CADENCE_MIN_SPM), MaxValueValidator(CADENCE_MAX_SPM)],
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["day", "started_at", "pk"]
        constraints = [
            in_range(
                "assessments_run_distance_range",
                "distance_m",
                1,
                RUN_DISTANCE_MAX_M,
                "Distance is up to 300 km.",
            ),
            in_range(
                "assessments_run_duration_range",
                "duration_s",
                1,
                RUN_DURATION_MAX_S,
                "Time is up to 48 hours.",
            ),
            choice_valid(
                "assessments_run_session_type_valid", "session_type", SessionType.values, blank=False
            ),
            choice_valid("assessments_run_surface_valid", "surface", RunSurface.values, blank=False),
            choice_valid("assessments_run_pain_onset_valid", "pain_onset", PainOnset.values),
            choice_valid("assessments_run_pain_quality_valid", "pain_quality", PainQuality.values),
            choice_valid("assessments_run_source_valid", "source", RunSource.values, blank=False),
            *[
                in_range(f"assessments_run_{name}_range", name, 0, 10, "Pain is 0 to 10.")
                for name in _RUN_PAINS
            ],
            models.CheckConstraint(
                condition=(
                    Q(pain_onset=PainOnset.DISTANCE)
                    & Q(pain_onset_m__isnull=False, pain_onset_s__isnull=True)
                )
                | (Q(pain_onset=PainOnset.TIME) & Q(pain_onset_s__isnull=False, pain_onset_m__isnull=True))
                | (
                    Q(pain_onset__in=["", PainOnset.NONE])
                    & Q(pain_onset_m__isnull=True, pain_onset_s__isnull=True)
                ),
                name="assessments_run_onset_matches_kind",
                violation_error_message="Say when the pain started as a distance or a time into the run.",
            ),
            models.CheckConstraint(
                condition=Q(pain_onset_m__isnull=True) | Q(pain_onset_m__lte=F("distance_m")),
                name="assessments_run_onset_within_distance",
                violation_error_message="The pain started within the run's distance.",
            ),
            models.CheckConstraint(
                condition=Q(pain_onset_s__isnull=True) | Q(pain_onset_s__lte=F("duration_s")),
                name="assessments_run_onset_within_time",
                violation_error_message="The pain started within the run's time.",
            ),
            models.CheckConstraint(
                condition=~Q(pain_onset=PainOnset.NONE) | Q(pain_during__isnull=True) | Q(pain_during=0),
                name="assessments_run_no_onset_no_pain",
                violation_error_message="A run without pain has no pain score above 0.",
            ),
            in_range(
                "assessments_run_elevation_range",
                "elevation_gain_m",
                0,
                ELEVATION_GAIN_MAX_M,
                "Elevation gain is up to 20,000 m.",
            ),
            in_range(
                "assessments_run_cadence_range",
                "avg_cadence_spm",
                CADENCE_MIN_SPM,
                CADENCE_MAX_SPM,
                "Cadence is 30–260 steps a minute.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessments_run_version_positive"),
        ]
        indexes = [
            # The patient's log and the week's totals read runs by patient and day.
            models.Index(fields=["patient", "day"], name="assessments_run_day"),
            # Import duplicates are matched on the start time.
            models.Index(
                fields=["patient", "started_at"],
                name="assessments_run_start",
                condition=Q(started_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Run of {self.distance_m} m on {self.day:%Y-%m-%d}"

    @property
    def duration(self) -> timedelta:
        return timedelta(seconds=self.duration_s)

    @property
    def pace_s_per_km(self) -> Decimal:
        return (Decimal(self.duration_s) * 1000 / Decimal(self.distance_m)).quantize(Decimal(1))


@audit_tracked
class TrainingSession(models.Model):
    """A strength or cross-training session: its kind and minutes."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="training_sessions"
    )
    day = models.DateField()
    kind = models.CharField(max_length=12, choices=SessionKind.choices)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(SESSION_MINUTES_MAX)]
    )
    note = models.CharField(max_length=NOTE_MAX, blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            choice_valid("assessments_trainingsession_kind_valid", "kind", SessionKind.values, blank=False),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=SESSION_MINUTES_MAX),
                name="assessments_trainingsession_minutes_range",
                violation_error_message="Minutes are 1–600.",
            ),
        ]
        indexes = [models.Index(fields=["patient", "day"], name="assessments_tsession_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.minutes} min on {self.day:%Y-%m-%d}"


# The cycle day is never copied into the change history: withdrawing consent deletes it for good.
@audit_tracked(exclude=["cycle_day"])
class BodyCheckIn(models.Model):
    """The patient's one-line daily body check-in (one per day).

    `cycle_day` is stored only while the patient consents to cycle tracking,
    and is left out of the change history so that withdrawal deletes it.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="body_checkins")
    day = models.DateField()
    hip_feel = models.PositiveSmallIntegerField(
        "how the hip feels (0–10)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    sleep_hours = models.DecimalField(
        max_digits=3, decimal_places=1, null=True, blank=True, validators=decimal_range(0, SLEEP_HOURS_MAX)
    )
    sleep_quality = models.PositiveSmallIntegerField(choices=SleepQuality.choices, null=True, blank=True)
    stress = models.PositiveSmallIntegerField(
        "stress (0–10)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    illness = models.BooleanField("unwell today", default=False)
    illness_note = models.CharField(max_length=200, blank=True)
    cycle_day = models.PositiveSmallIntegerField(
        "day of the menstrual cycle",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(CYCLE_DAY_MAX)],
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "day"],
                name="assessments_bodycheckin_one_per_day",
                violation_error_message="This day already has a body check-in.",
            ),
            in_range("assessments_bodycheckin_hip_feel_range", "hip_feel", 0, 10, "Hip feel is 0 to 10."),
            in_range(
                "assessments_bodycheckin_sleep_hours_range",
                "sleep_hours",
                0,
                SLEEP_HOURS_MAX,
                "Sleep is 0–16 hours.",
            ),
            in_range(
                "assessments_bodycheckin_sleep_quality_range", "sleep_quality", 1, 5, "Sleep quality is 1–5."
            ),
            in_range("assessments_bodycheckin_stress_range", "stress", 0, 10, "Stress is 0 to 10."),
            in_range(
                "assessments_bodycheckin_cycle_day_range", "cycle_day", 1, CYCLE_DAY_MAX, "Cycle day is 1–60."
            ),
            models.CheckConstraint(
                condition=Q(illness=True) | Q(illness_note=""),
                name="assessments_bodycheckin_note_needs_illness",
                violation_error_message="A note about illness goes with being unwell.",
            ),
        ]

    def __str__(self) -> str:
        return f"Body check-in {self.day:%Y-%m-%d}"
