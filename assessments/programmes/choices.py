"""Choices of the 4–8 week programme, its check-ins and the exercise catalogue (domain.md §8).

Kept apart from assessments/record/choices.py (the examination's choices) so the two
modules can change independently.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.exercises.catalogue import CATEGORIES
from assessments.exercises.choices import ExerciseCategory
from patients.intake.choices import RedFlagCode

PLANNED_WEEKS_MIN = 4
PLANNED_WEEKS_MAX = 8
# Check-ins can go on a little past the planned end, until discharge.
CHECKIN_WEEKS_MAX = 12


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCHARGED = "discharged", "Discharged"


class DashboardStatus(models.TextChoices):
    """A programme on the therapist's dashboard (rules.programme_status), in the order it lists them."""

    ATTENTION = "attention", "Needs attention"
    BEHIND = "behind", "Behind"
    ON_TRACK = "on_track", "On track"


class PhaseKind(models.TextChoices):
    """The phases of domain.md §8.2; the clinician moves the patient between them."""

    # Lazy: a patient's pages and exercise sheet name the phase in the patient's language.
    SETTLE = "settle", _("Settle and manage load")
    STRENGTHEN = "strengthen", _("Foundation strength")
    HEAVY_FUNCTIONAL = "heavy_functional", _("Heavy and functional strength")
    RETURN_TO_RUN = "return_to_run", _("Return to run")
    MAINTENANCE = "maintenance", _("Maintenance plan")


TREATMENT_PHASES = (
    PhaseKind.SETTLE,
    PhaseKind.STRENGTHEN,
    PhaseKind.HEAVY_FUNCTIONAL,
    PhaseKind.RETURN_TO_RUN,
)

# §8.2 exit gates (proposed †), shown with each phase.
PHASE_EXIT_GATES = {
    PhaseKind.SETTLE: "Daily-activity pain 2/10 or less.",
    PhaseKind.STRENGTHEN: "Pain-monitoring rule met for 2 weeks.",
    PhaseKind.HEAVY_FUNCTIONAL: "Readiness-to-run tests passed.",
    PhaseKind.RETURN_TO_RUN: "Discharge criteria met.",
    PhaseKind.MAINTENANCE: "Keep going twice a week after discharge.",
}


class DischargeReason(models.TextChoices):
    """domain.md §8.6."""

    GOALS_MET = "goals_met", "Goals met"
    PLATEAU = "plateau", "Plateau"
    REFERRED_ON = "referred_on", "Referred on"
    SELF_DISCHARGED = "self_discharged", "Self-discharged"
    DNA = "dna", "Did not attend (DNA)"


if tuple(ExerciseCategory.values) != CATEGORIES:
    raise ImportError("ExerciseCategory must list catalogue.CATEGORIES in order")


class CheckInStatus(models.TextChoices):
    DRAFT = "draft", "Started"
    SUBMITTED = "submitted", "Sent"


class LadderAction(models.TextChoices):
    """What happened on the return-to-run ladder (one LadderStep row each)."""

    START = "start", "Started the ladder"
    ADVANCE = "advance", "Moved up a stage"
    HOLD = "hold", "Held at this stage"
    STEP_DOWN = "step_down", "Moved down a stage"
    STOP = "stop", "Running stopped"
    OVERRIDE = "override", "Therapist override"


class AlertKind(models.TextChoices):
    BONE_STRESS_RUN_PAIN = "bone_stress_run_pain", "Running pain with a bone stress injury"
    RUN_PAIN_HIGH = "run_pain_high", "Running pain above 5/10"
    RED_FLAG = "red_flag", "Red-flag answer in a check-in"
    DISTANCE_RISE = "distance_rise", "Weekly running distance up more than 10 %"
    BONE_STRESS_SUSPECTED = "bone_stress_suspected", "Bone stress now suspected"
    BONE_STRESS_CLEARED = "bone_stress_cleared", "Bone stress no longer suspected"
    # From the training log (assessments.training.attention), one per week or per pair of shoes.
    TRAINING_TEN_PERCENT = "training_ten_percent", "Training log: weekly distance up more than 10 %"
    TRAINING_ACWR = "training_acwr", "Training log: acute:chronic load above 1.5"
    TRAINING_PAIN_RISING = "training_pain_rising", "Training log: pain trend rising"
    TRAINING_SHOES = "training_shoes", "Training log: shoes past their replacement distance"
    TRAINING_NO_CUTBACK = "training_no_cutback", "Training log: no cutback week for 5 weeks"
    TRAINING_ONSET_EARLIER = "training_onset_earlier", "Training log: pain coming on earlier in each run"


class OutcomeTimepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    WEEK_4 = "week_4", "Week 4"
    END = "end", "End of programme"


class OutcomeSource(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"


class VisitPurpose(models.TextChoices):
    FOLLOW_UP = "follow_up", "Follow-up"
    REASSESSMENT = "reassessment", "Re-assessment"


class RevisionAction(models.TextChoices):
    CREATED = "created", "Programme started"
    UPDATED = "updated", "Plan changed"
    PHASE_CHANGED = "phase_changed", "Phase exercises changed"
    PHASE_MOVED = "phase_moved", "Moved to another phase"
    READINESS = "readiness", "Readiness checklist recorded"
    LADDER = "ladder", "Return-to-run stage changed"
    VISITS_BOOKED = "visits_booked", "Visits booked"
    LINK_ISSUED = "link_issued", "Patient link issued"
    IMPACT = "impact", "Zero-impact period or clearance recorded"
    BONE_STRESS = "bone_stress", "Bone stress suspected or cleared"
    DISCHARGED = "discharged", "Discharged"


# The check-in's three red-flag questions (domain.md §9 → §3).
CHECKIN_RED_FLAGS = (
    ("flag_night_pain", _("Pain at night that wakes you, or constant pain that rest does not ease")),
    ("flag_unwell", _("Fever, chills or feeling unwell, or a hot, red or swollen hip")),
    (
        "flag_nerve",
        _("New numbness, pins and needles or weakness in the leg, or trouble controlling bladder or bowel"),
    ),
)
# The check-in's bone-stress questions (domain.md §3; S4, "Stress fracture of the hip": earlier in
# each run, hurting while walking, throbbing at night, sharp pain on hopping).
CHECKIN_BONE_STRESS_QUESTIONS = (
    ("flag_pain_earlier", _("Does your hip or groin pain come on earlier in each run than it used to?")),
    ("flag_pain_walking", _("Does your hip or groin hurt when you walk?")),
    ("flag_pain_in_bed", _("Does your hip or groin ache or throb at night, when you are lying in bed?")),
    (
        "flag_pain_hopping",
        _("If you hopped or jumped this week, did it hurt your hip or groin? (No if you did not.)"),
    ),
)
# Every safety question of the check-in -> the red flag a "yes" raises (its action level is the
# clinic's level for that flag, patients.intake.redflags.LEVELS; docs/clinical-rules.md).
CHECKIN_FLAG_CODES = {
    "flag_night_pain": RedFlagCode.NIGHT_CONSTANT,
    "flag_unwell": RedFlagCode.INFECTION,
    "flag_nerve": RedFlagCode.CAUDA_EQUINA,
    **{name: RedFlagCode.BONE_STRESS for name, _ in CHECKIN_BONE_STRESS_QUESTIONS},
}
CHECKIN_SAFETY_QUESTIONS = (*CHECKIN_RED_FLAGS, *CHECKIN_BONE_STRESS_QUESTIONS)
