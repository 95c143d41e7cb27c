"""The 4–8 week programme (domain.md §8.1–8.2): its plan, phases, exercises, visits and history."""

from datetime import date, time, timedelta

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from assessments.exercises.catalogue import MAX_DISTANCE_M, MAX_REPS, MAX_SETS
from assessments.models.base import NPRS_VALIDATORS, choice_valid, in_range
from assessments.models.exercise import dose_text
from assessments.programmes.choices import (
    PLANNED_WEEKS_MAX,
    PLANNED_WEEKS_MIN,
    DashboardStatus,
    DischargeReason,
    PhaseKind,
    ProgrammeStatus,
    RevisionAction,
    VisitPurpose,
)
from assessments.programmes.rules import (
    RUN_LADDER,
    ZERO_IMPACT_WEEKS_DEFAULT,
    ZERO_IMPACT_WEEKS_MAX,
    ZERO_IMPACT_WEEKS_MIN,
)
from clinic.audit.tracking import audit_tracked
from clinic.staff.validators import validate_time_zone

HOLD_MIN_S, HOLD_MAX_S = 5, 300  # per-patient dose bounds
WEEKDAYS_PATTERN = r"^[0-6](,[0-6]){0,6}$"


def _clinic_zone() -> str:
    return settings.CLINIC_TIME_ZONE


# The check-in summary is a cache of the check-ins (each of which is audited), not a change of the plan.
CHECKIN_SUMMARY_FIELDS = ("last_checkin_at", "last_checkin_on", "last_checkin_week", "checkin_status")


@audit_tracked(exclude=CHECKIN_SUMMARY_FIELDS)
class Programme(models.Model):
    """A patient's 4–8 week programme, started from a signed assessment.

    The therapist moves the patient between phases (§8.2, never automatic);
    the return-to-run ladder position is `run_stage` (0 = not started) and
    moves through the ladder services only. Reminder settings are local wall
    times in `time_zone`. `version` is the optimistic lock of plan edits.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="programmes")
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text="The signed assessment the programme starts from.",
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programmes"
    )
    status = models.CharField(max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE)
    start_date = models.DateField()
    planned_weeks = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(PLANNED_WEEKS_MIN), MaxValueValidator(PLANNED_WEEKS_MAX)]
    )
    visits_per_week = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    goals = models.TextField("goals in the patient's words", blank=True, max_length=2000)
    target_run_pain_max = models.PositiveSmallIntegerField(
        "target: pain on runs at most (0–10)", null=True, blank=True, default=3, validators=NPRS_VALIDATORS
    )
    target_lsi_percent = models.PositiveSmallIntegerField(
        "target: strength LSI at least (%)",
        null=True,
        blank=True,
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )
    target_continuous_run_min = models.PositiveSmallIntegerField(
        "target: continuous run (min)",
        null=True,
        blank=True,
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
    )
    race_name = models.CharField("goal race", max_length=120, blank=True)
    race_date = models.DateField(null=True, blank=True)
    progression_rules = models.TextField("progression rules", blank=True, max_length=3000)
    current_phase = models.CharField(max_length=20, choices=PhaseKind.choices, default=PhaseKind.SETTLE)
    # Bone stress suspected (has_bone_stress), as last evaluated: set at the start, then switched
    # on or off only by programme_bone_stress_refresh. has_bone_stress(programme=...) reads it
    # together with the record now, so a change not yet refreshed can only add bone stress.
    bone_stress = models.BooleanField(default=False, editable=False)
    # The day (programme time zone) bone stress was last switched on: impact stopped since then.
    bone_stress_since = models.DateField(null=True, blank=True, editable=False)
    # The zero-impact gate of bone stress (rules.impact), set through services.ladder only.
    impact_stopped_on = models.DateField(
        "impact stopped on",
        null=True,
        blank=True,
        editable=False,
        help_text="Empty: the day bone stress was switched on, else the programme start.",
    )
    zero_impact_weeks = models.PositiveSmallIntegerField(
        "weeks without impact", default=ZERO_IMPACT_WEEKS_DEFAULT, editable=False
    )
    impact_cleared_on = models.DateField("return to impact cleared on", null=True, blank=True, editable=False)
    impact_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    impact_clearance_note = models.TextField("clearance note", blank=True, max_length=1000, editable=False)
    # A therapist's override of the closed gate (a LadderStep records who and why); counts from this day.
    impact_gate_overridden_on = models.DateField(null=True, blank=True, editable=False)
    baseline_morning_pain = models.PositiveSmallIntegerField(
        "usual morning pain (0–10)",
        default=0,
        validators=NPRS_VALIDATORS,
        help_text="Next-morning pain above this holds the run ladder (§8.3).",
    )
    runs_per_week = models.PositiveSmallIntegerField(
        "planned runs a week on the ladder",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    run_stage = models.PositiveSmallIntegerField(default=0, editable=False)
    running_stopped = models.BooleanField(default=False, editable=False)
    # Home-exercise days (Monday = 0), comma-separated; reminders go out on them.
    exercise_days = models.CharField(max_length=13, default="0,2,4")
    reminder_time = models.TimeField("home-exercise reminder time", default=time(8, 0))
    checkin_weekday = models.PositiveSmallIntegerField("weekly check-in day", default=6)
    checkin_time = models.TimeField("check-in request time", default=time(18, 0))
    time_zone = models.CharField(max_length=64, default=_clinic_zone, validators=[validate_time_zone])
    reassess_mid_on = models.DateField("week-4 re-assessment", null=True, blank=True)
    reassess_end_on = models.DateField("end-of-programme re-assessment", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The patient link's identity check: failures lock every link until staff issue a new one.
    link_failed_checks = models.PositiveSmallIntegerField(default=0)
    link_locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices, blank=True)
    discharge_notes = models.TextField("discharge summary", blank=True, max_length=4000)
    home_plan = models.TextField("home plan", blank=True, max_length=3000)
    # The measured result at discharge (goals, outcome changes vs MCID, criteria), frozen.
    discharge_summary = models.JSONField(default=dict, blank=True, editable=False)
    # The sent check-ins summarised for the dashboard, so its order and counts are one query
    # (set by services.status.programme_status_refresh only; manage.py programme_status_check).
    # The rules that depend on today and on red flags, imaging and alerts are applied in SQL.
    last_checkin_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_checkin_on = models.DateField(null=True, blank=True, editable=False)  # in `time_zone`
    last_checkin_week = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # programme_status of the check-ins alone: attention (pain rising), behind (adherence), on_track.
    checkin_status = models.CharField(
        max_length=12, choices=DashboardStatus.choices, default=DashboardStatus.ON_TRACK, editable=False
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_weeks__gte=PLANNED_WEEKS_MIN, planned_weeks__lte=PLANNED_WEEKS_MAX),
                name="assessments_programme_planned_weeks_range",
                violation_error_message=f"A programme lasts {PLANNED_WEEKS_MIN} to {PLANNED_WEEKS_MAX} weeks.",
            ),
            models.CheckConstraint(
                condition=Q(visits_per_week__gte=1, visits_per_week__lte=5),
                name="assessments_programme_visits_range",
                violation_error_message="Visits per week are 1–5.",
            ),
            choice_valid("assessments_programme_status_valid", "status", ProgrammeStatus.values, blank=False),
            choice_valid(
                "assessments_programme_checkin_status_valid",
                "checkin_status",
                DashboardStatus.values,
                blank=False,
            ),
            choice_valid("assessments_programme_phase_valid", "current_phase", PhaseKind.values, blank=False),
            choice_valid("assessments_programme_reason_valid", "discharge_reason", DischargeReason.values),
            models.CheckConstraint(
                condition=Q(status=ProgrammeStatus.ACTIVE, discharged_at__isnull=True, discharge_reason="")
                | (
                    Q(status=ProgrammeStatus.DISCHARGED, discharged_at__isnull=False)
                    & ~Q(discharge_reason="")
                ),
                name="assessments_programme_discharge_complete",
                violation_error_message="A discharged programme records when and why.",
            ),
            in_range(
                "assessments_programme_target_pain_range", "target_run_pain_max", 0, 10, "Pain is 0–10."
            ),
            in_range(
                "assessments_programme_target_lsi_range",
                "target_lsi_percent",
                50,
                100,
                "LSI target 50–100 %.",
            ),
            in_range(
                "assessments_programme_target_run_range",
                "target_continuous_run_min",
                5,
                180,
                "Continuous run target 5–180 min.",
            ),
            in_range(
                "assessments_programme_morning_pain_range", "baseline_morning_pain", 0, 10, "Pain is 0–10."
            ),
            in_range("assessments_programme_runs_range", "runs_per_week", 1, 7, "Runs per week are 1–7."),
            models.CheckConstraint(
                condition=Q(
                    zero_impact_weeks__gte=ZERO_IMPACT_WEEKS_MIN, zero_impact_weeks__lte=ZERO_IMPACT_WEEKS_MAX
                ),
                name="assessments_programme_zero_impact_weeks_range",
                violation_error_message=f"No impact for {ZERO_IMPACT_WEEKS_MIN} to {ZERO_IMPACT_WEEKS_MAX} weeks.",
            ),
            models.CheckConstraint(
                condition=Q(
                    impact_cleared_on__isnull=True, impact_cleared_by__isnull=True, impact_clearance_note=""
                )
                | (
                    Q(impact_cleared_on__isnull=False, impact_cleared_by__isnull=False)
                    & ~Q(impact_clearance_note="")
                ),
                name="assessments_programme_impact_clearance_complete",
                violation_error_message="A clearance records who cleared impact, when, and a note.",
            ),
            in_range(
                "assessments_programme_run_stage_range",
                "run_stage",
                0,
                len(RUN_LADDER),
                f"Ladder stages are 0–{len(RUN_LADDER)}.",
            ),
            in_range("assessments_programme_checkin_day_range", "checkin_weekday", 0, 6, "Pick a weekday."),
            models.CheckConstraint(
                condition=Q(exercise_days__regex=WEEKDAYS_PATTERN),
                name="assessments_programme_exercise_days_format",
                violation_error_message="Pick at least one exercise day.",
            ),
            models.CheckConstraint(
                condition=Q(link_failed_checks__lte=50), name="assessments_programme_failed_checks_bounded"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="assessments_programme_version_positive"
            ),
            # One programme at a time per patient (a new one after discharge).
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status=ProgrammeStatus.ACTIVE),
                name="assessments_programme_one_active_per_patient",
                violation_error_message="This patient already has an active programme.",
            ),
        ]
        indexes = [
            # The therapist's dashboard: their active programmes.
            models.Index(
                fields=["therapist", "start_date"],
                name="assessments_prog_active",
                condition=Q(status=ProgrammeStatus.ACTIVE),
            ),
            models.Index(fields=["patient", "-start_date"], name="assessments_prog_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.planned_weeks}-week programme for {self.patient} from {self.start_date:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.status == ProgrammeStatus.ACTIVE

    @property
    def end_date(self) -> date:
        """The last day of the planned weeks."""
        return self.start_date + timedelta(days=7 * self.planned_weeks - 1)

    @property
    def exercise_weekdays(self) -> list[int]:
        return sorted({int(d) for d in self.exercise_days.split(",") if d.strip().isdigit()})

    def week_of(self, day: date) -> int:
        """Programme week of `day`, counted from 1 (0 before the start)."""
        if day < self.start_date:
            return 0
        return (day - self.start_date).days // 7 + 1

    def week_start(self, week: int) -> date:
        return self.start_date + timedelta(days=7 * (week - 1))


@audit_tracked
class ProgrammePhase(models.Model):
    """One phase of the plan (§8.2) with its planned weeks; the maintenance plan has none."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(max_length=20, choices=PhaseKind.choices)
    start_week = models.PositiveSmallIntegerField(null=True, blank=True)
    end_week = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField("content and aims", blank=True, max_length=1500)

    class Meta:
        ordering = ["start_week", "pk"]
        constraints = [
            choice_valid("assessments_programmephase_kind_valid", "kind", PhaseKind.values, blank=False),
            models.UniqueConstraint(
                fields=["programme", "kind"],
                name="assessments_programmephase_one_per_kind",
                violation_error_message="The programme already has this phase.",
            ),
            models.CheckConstraint(
                condition=Q(kind=PhaseKind.MAINTENANCE, start_week__isnull=True, end_week__isnull=True)
                | (
                    ~Q(kind=PhaseKind.MAINTENANCE)
                    & Q(
                        start_week__gte=1,
                        end_week__lte=PLANNED_WEEKS_MAX,
                        start_week__lte=models.F("end_week"),
                    )
                ),
                name="assessments_programmephase_weeks_valid",
                violation_error_message=f"A phase runs from week 1–{PLANNED_WEEKS_MAX}, ending no earlier than it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


@audit_tracked
class PrescribedExercise(models.Model):
    """An exercise of a phase with this patient's dose (validated: sets 1–10, reps 1–50, hold 5–300 s)."""

    phase = models.ForeignKey(ProgrammePhase, on_delete=models.CASCADE, related_name="exercises")
    exercise = models.ForeignKey("assessments.Exercise", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    sets = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_REPS)]
    )
    hold_s = models.PositiveSmallIntegerField(
        "hold (s)",
        null=True,
        blank=True,
        validators=[MinValueValidator(HOLD_MIN_S), MaxValueValidator(HOLD_MAX_S)],
    )
    distance_m = models.PositiveSmallIntegerField(
        "distance (m)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DISTANCE_M)],
    )
    per_side = models.BooleanField(default=False)
    frequency_per_week = models.PositiveSmallIntegerField(
        "times a week", default=2, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    load_note = models.CharField("load", max_length=300, blank=True)
    notes = models.CharField("note for the patient", max_length=300, blank=True)
    # Why an exercise to avoid with suspected bone stress was prescribed all the same.
    contraindication_reason = models.CharField(
        "reason for prescribing despite bone stress", max_length=300, blank=True
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "exercise"],
                name="assessments_prescribedexercise_once_per_phase",
                violation_error_message="This exercise is already in the phase.",
            ),
            in_range(
                "assessments_prescribedexercise_sets_range", "sets", 1, MAX_SETS, f"Sets are 1–{MAX_SETS}."
            ),
            in_range(
                "assessments_prescribedexercise_reps_range", "reps", 1, MAX_REPS, f"Reps are 1–{MAX_REPS}."
            ),
            in_range(
                "assessments_prescribedexercise_hold_range",
                "hold_s",
                HOLD_MIN_S,
                HOLD_MAX_S,
                f"Holds are {HOLD_MIN_S}–{HOLD_MAX_S} s.",
            ),
            in_range(
                "assessments_prescribedexercise_distance_range",
                "distance_m",
                1,
                MAX_DISTANCE_M,
                f"Distances are 1–{MAX_DISTANCE_M} m.",
            ),
            models.CheckConstraint(
                condition=Q(frequency_per_week__gte=1, frequency_per_week__lte=7),
                name="assessments_prescribedexercise_frequency_range",
                violation_error_message="Frequency is 1–7 times a week.",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True, hold_s__isnull=True)
                | Q(reps__isnull=True, distance_m__isnull=True)
                | Q(hold_s__isnull=True, distance_m__isnull=True),
                name="assessments_prescribedexercise_one_amount",
                violation_error_message="Give reps, a hold or a distance: only one of them.",
            ),
            models.CheckConstraint(
                condition=Q(sets__isnull=True)
                | Q(reps__isnull=False)
                | Q(hold_s__isnull=False)
                | Q(distance_m__isnull=False),
                name="assessments_prescribedexercise_sets_need_amount",
                violation_error_message="Sets need reps, a hold or a distance.",
            ),
            models.CheckConstraint(
                condition=Q(sets__isnull=False)
                | Q(reps__isnull=False)
                | Q(hold_s__isnull=False)
                | Q(distance_m__isnull=False)
                | ~Q(load_note=""),
                name="assessments_prescribedexercise_has_dose",
                violation_error_message="Give a dose: sets and reps, a hold, a distance or a load note.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} ({self.dose_text})"

    @property
    def shown_load_note(self) -> str:
        """The load note in the active language.

        The catalogue's Spanish for a patient reading Spanish while the note is still the
        exercise's own English; a note the therapist changed is shown as they typed it.
        """
        if self.load_note == self.exercise.load_note:
            return self.exercise.in_language("load_note")
        return self.load_note

    @property
    def shown_dose_text(self) -> str:
        """The dose in the active language ("3 × 15 por lado"), for patient pages and the sheet."""
        return dose_text(
            sets=self.sets,
            reps=self.reps,
            hold_s=self.hold_s,
            distance_m=self.distance_m,
            per_side=self.per_side,
            load_note=self.shown_load_note,
            per_side_format=gettext("%(dose)s per side"),
        )

    @property
    def dose_text(self) -> str:
        return dose_text(
            sets=self.sets,
            reps=self.reps,
            hold_s=self.hold_s,
            distance_m=self.distance_m,
            per_side=self.per_side,
            load_note=self.load_note,
        )


class ProgrammeVisit(models.Model):
    """A visit booked against the programme (the appointment lives in patients)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="visits")
    appointment = models.OneToOneField(
        "patients.Appointment", on_delete=models.PROTECT, related_name="programme_visit"
    )
    purpose = models.CharField(max_length=20, choices=VisitPurpose.choices, default=VisitPurpose.FOLLOW_UP)

    class Meta:
        constraints = [
            choice_valid(
                "assessments_programmevisit_purpose_valid", "purpose", VisitPurpose.values, blank=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for programme {self.programme_id}"


@audit_tracked
class VisitNote(models.Model):
    """A follow-up visit's note: what was done, the response, plan changes (append-only)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="visit_notes")
    appointment = models.ForeignKey(
        "patients.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visit_date = models.DateField()
    done = models.TextField("what was done", max_length=3000)
    response = models.TextField("patient's response", blank=True, max_length=2000)
    plan_changes = models.TextField("plan changes", blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visit_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(done=""),
                name="assessments_visitnote_has_text",
                violation_error_message="Say what was done.",
            ),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Visit note {self.visit_date:%Y-%m-%d}"


class ProgrammeRevision(models.Model):
    """One change of the programme in words: what changed, when and by whom (append-only).

    `changes` lists {"label", "old", "new"}; the full row history is also in
    the audit trail (pghistory events of the tracked models).
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="revisions")
    action = models.CharField(max_length=20, choices=RevisionAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the rules acted on a patient's check-in.",
    )
    at = models.DateTimeField()
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            choice_valid(
                "assessments_programmerevision_action_valid", "action", RevisionAction.values, blank=False
            ),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"
