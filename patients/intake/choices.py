"""Answer vocabularies and plausibility ranges of the online intake (domain.md §1–3, §9).

Values are the stored codes; labels are what the patient reads. The ranges
are the plausibility bounds of domain.md (not clinical norms): the model's
validators and named check constraints, and the forms, are all built from
RANGES so the three can never disagree.
"""

from decimal import Decimal
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Range(NamedTuple):
    low: Decimal
    high: Decimal
    decimal_places: int  # 0: a whole number
    unit: str = ""


def _r(low: str, high: str, places: int, unit: str = "") -> Range:
    return Range(Decimal(low), Decimal(high), places, unit)


# Field name -> plausibility range (domain.md §1 and §2).
RANGES: dict[str, Range] = {
    "sitting_hours_per_day": _r("0", "24", 1, "hours"),
    "height_cm": _r("100", "230", 1, "cm"),
    "weight_kg": _r("30", "250", 1, "kg"),
    "years_running": _r("0", "80", 1, "years"),
    "runs_per_week": _r("0", "14", 0, "runs"),
    "weekly_km_now": _r("0", "300", 1, "km"),
    "weekly_km_earlier": _r("0", "300", 1, "km"),
    "longest_run_km": _r("0", "250", 1, "km"),
    "typical_pace_min_per_km": _r("2.5", "15", 2, "min/km"),
    "cross_training_sessions_per_week": _r("0", "14", 0, "sessions"),
    "race_distance_km": _r("0", "250", 1, "km"),
    "nprs_worst_7d": _r("0", "10", 0),
    "nprs_now": _r("0", "10", 0),
    "nprs_during_run": _r("0", "10", 0),
    "nprs_next_morning": _r("0", "10", 0),
    "run_onset_km": _r("0", "100", 1, "km"),
    "morning_stiffness_min": _r("0", "240", 0, "minutes"),
    "sleep_hours": _r("0", "14", 1, "hours"),
    "life_stress": _r("0", "10", 0),
    # UK units a week; above 200 is not a plausible answer (†).
    "alcohol_units_per_week": _r("0", "200", 0, "units"),
    # Scores computed by patients.outcomes.scoring, never typed.
    "lefs_score": _r("0", "80", 0),
    "psfs_score": _r("0", "10", 2),
    "hoos_pain": _r("0", "100", 2),
    "hoos_symptoms": _r("0", "100", 2),
    "hoos_adl": _r("0", "100", 2),
    "hoos_sport": _r("0", "100", 2),
    "hoos_qol": _r("0", "100", 2),
}
SHOE_KM_MAX = 3000
KM_PER_MILE = Decimal("1.609344")


class Side(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    BOTH = "both", _("Both")


class PainRegion(models.TextChoices):
    ANTERIOR_HIP_GROIN = "anterior_hip_groin", _("Front of the hip / groin")
    DEEP_GROIN = "deep_groin", _("Deep in the groin")
    LATERAL_HIP = "lateral_hip", _("Outside of the hip (the bony point)")
    LATERAL_THIGH = "lateral_thigh", _("Outside of the thigh")
    FRONT_THIGH = "front_thigh", _("Front of the thigh")
    LATERAL_KNEE = "lateral_knee", _("Outside of the knee")
    SHIN = "shin", _("Shin")
    POSTERIOR_HIP = "posterior_hip", _("Back of the hip / buttock")
    SIT_BONE = "sit_bone", _("Under the sit bone")
    INNER_THIGH = "inner_thigh", _("Inner thigh")
    LOW_BACK = "low_back", _("Low back")
    SACRUM = "sacrum", _("Bottom of the spine, between the buttocks (sacrum)")


# Region groups the red-flag rules read (docs/clinical-rules.md, "Red-flag triggers").
GROIN_REGIONS = frozenset({PainRegion.ANTERIOR_HIP_GROIN, PainRegion.DEEP_GROIN})
# Femoral shaft (thigh), pelvis (buttock, sit bone), sacrum and tibia (shin).
OTHER_BONE_STRESS_REGIONS = frozenset(
    {
        PainRegion.FRONT_THIGH,
        PainRegion.INNER_THIGH,
        PainRegion.LATERAL_THIGH,
        PainRegion.POSTERIOR_HIP,
        PainRegion.SIT_BONE,
        PainRegion.SACRUM,
        PainRegion.SHIN,
    }
)
HIP_REGIONS = frozenset(
    {
        PainRegion.ANTERIOR_HIP_GROIN,
        PainRegion.DEEP_GROIN,
        PainRegion.LATERAL_HIP,
        PainRegion.POSTERIOR_HIP,
        PainRegion.SIT_BONE,
    }
)
KNEE_SHIN_REGIONS = frozenset({PainRegion.LATERAL_KNEE, PainRegion.SHIN})


class Spread(models.TextChoices):
    NONE = "none", _("It stays in one place")
    DOWN_THIGH = "down_thigh", _("Down the thigh")
    INTO_GROIN = "into_groin", _("Into the groin")
    FROM_LOW_BACK = "from_low_back", _("From the low back")
    DOWN_LEG = "down_leg", _("Down the back of the leg to the calf or foot")


class PainQuality(models.TextChoices):
    SHARP = "sharp", _("Sharp")
    DULL_ACHE = "dull_ache", _("Dull or aching")
    BURNING = "burning", _("Burning")
    STABBING = "stabbing", _("Stabbing")
    THROBBING = "throbbing", _("Throbbing")
    PINCHING = "pinching", _("Pinching")
    TINGLING = "tingling", _("Tingling")


class PainPattern(models.TextChoices):
    CONSTANT = "constant", _("It's there all the time")
    INTERMITTENT = "intermittent", _("It comes and goes")
    WITH_LOADING = "with_loading", _("Only when I run or load the leg")


class RunOnset(models.TextChoices):
    AT_START = "at_start", _("From the start of a run")
    AFTER_DISTANCE = "after_distance", _("After a certain distance")
    AT_END = "at_end", _("Only at the end or after the run")
    NOT_RUNNING = "not_running", _("I'm not running at the moment")


class Aggravating(models.TextChoices):
    RUNNING = "running", _("Running")
    UPHILL = "uphill", _("Running uphill")
    DOWNHILL = "downhill", _("Running downhill")
    SPEED_WORK = "speed_work", _("Speed work")
    STAIRS = "stairs", _("Stairs")
    LYING_ON_SIDE = "lying_on_side", _("Lying on the painful side")
    SITTING = "sitting", _("Sitting for a long time")
    CROSSING_LEGS = "crossing_legs", _("Crossing my legs")
    DEEP_SQUAT = "deep_squat", _("Deep squats")
    LIFTING_KNEE = "lifting_knee", _("Lifting the knee")
    TWISTING = "twisting", _("Twisting")
    HOPPING = "hopping", _("Hopping or jumping")
    WALKING = "walking", _("Walking")
    STANDING = "standing", _("Standing")


class Easing(models.TextChoices):
    REST = "rest", _("Rest")
    WARMING_UP = "warming_up", _("Warming up")
    ICE = "ice", _("Ice")
    HEAT = "heat", _("Heat")
    NSAIDS = "nsaids", _("Anti-inflammatory painkillers (e.g. ibuprofen)")
    STRETCHING = "stretching", _("Stretching")
    CHANGING_POSITION = "changing_position", _("Changing position")


class SettleTime(models.TextChoices):
    UNDER_1H = "under_1h", _("Less than an hour")
    H1_24 = "1_24h", _("1 to 24 hours")
    NEXT_DAY = "next_day", _("It's still there the next day")


class NightPain(models.TextChoices):
    NONE = "none", _("No pain at night")
    LYING_ON_SIDE = "lying_on_side", _("Only when I lie on that side")
    WAKES = "wakes", _("It wakes me from sleep")
    CONSTANT = "constant", _("It's constant through the night")


class Mechanical(models.TextChoices):
    CLICKING = "clicking", _("Clicking or popping")
    CATCHING = "catching", _("Catching")
    LOCKING = "locking", _("Locking")
    GIVING_WAY = "giving_way", _("Giving way or feeling unstable")


class Neuro(models.TextChoices):
    PINS_NEEDLES = "pins_needles", _("Pins and needles")
    NUMBNESS = "numbness", _("Numbness")
    WEAKNESS = "weakness", _("Weakness")


class NsaidUse(models.TextChoices):
    NONE = "none", _("No")
    OCCASIONAL = "occasional", _("Now and then")
    DAILY = "daily", _("Every day")


class CancerTreated(models.TextChoices):
    NOW = "now", _("I'm having treatment now")
    WITHIN_5Y = "within_5y", _("Treatment ended less than 5 years ago")
    OVER_5Y = "over_5y", _("Treatment ended 5 or more years ago")


class OnsetMode(models.TextChoices):
    SUDDEN = "sudden", _("Suddenly")
    GRADUAL = "gradual", _("Gradually")


class Treatment(models.TextChoices):
    REST = "rest", _("Rest")
    ICE = "ice", _("Ice")
    NSAIDS = "nsaids", _("Anti-inflammatory painkillers")
    CORTISONE = "cortisone", _("Cortisone (steroid) injection")
    MASSAGE = "massage", _("Massage or foam rolling")
    STRETCHING = "stretching", _("Stretching")
    PHYSIO = "physio", _("Physiotherapy")


class Surface(models.TextChoices):
    ROAD = "road", _("Road")
    PAVEMENT = "pavement", _("Pavement / concrete")
    TRAIL = "trail", _("Trail")
    TRACK = "track", _("Track")
    TREADMILL = "treadmill", _("Treadmill")
    CAMBERED = "cambered", _("Cambered or sloping road")
    HILLS = "hills", _("Hills")


class TrainingChange(models.TextChoices):
    MORE_MILEAGE = "more_mileage", _("More distance")
    HILLS = "hills", _("Added hills")
    SPEED = "speed", _("Added speed or interval work")
    NEW_PLAN = "new_plan", _("Started a new plan")
    NEW_TERRAIN = "new_terrain", _("New terrain")
    NEW_SHOES = "new_shoes", _("New shoes")
    GYM = "gym", _("New gym or jumping (plyometric) work")
    RETURN = "return", _("Came back after a break")
    FEWER_REST_DAYS = "fewer_rest_days", _("Skipped rest days")


class CrossTraining(models.TextChoices):
    CYCLING = "cycling", _("Cycling (including an exercise bike)")
    SWIMMING = "swimming", _("Swimming")
    POOL_RUNNING = "pool_running", _("Pool or deep-water running")
    ROWING = "rowing", _("Rowing")
    PILATES = "pilates", _("Pilates")
    YOGA = "yoga", _("Yoga")
    STRENGTH = "strength", _("Strength training")


class PreviousInjury(models.TextChoices):
    HIP = "hip", _("Hip injury")
    STRESS_FRACTURE = "stress_fracture", _("Stress fracture")
    LABRAL_TEAR = "labral_tear", _("Labral tear")
    BACK_PAIN = "back_pain", _("Back pain")
    OTHER = "other", _("Other")


class DistanceUnit(models.TextChoices):
    KM = "km", _("Kilometres")
    MI = "mi", _("Miles")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class BoneHealthAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Doesn't apply to me")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


# The red-flag screen (domain.md §3): code -> the question as the patient reads it.
SCREEN_QUESTIONS: dict[str, str] = {
    "fever": _("Have you had a fever or chills, or felt generally unwell, in the last few weeks?"),
    "hot_swollen": _("Is your hip or groin hot, red or swollen?"),
    "cannot_bear_weight": _("Are you unable to put weight on the painful leg?"),
    "recent_trauma": _("Have you had a fall, accident or knock to the hip recently?"),
    "deformity": _("Does the leg look out of shape, shorter, or turned outwards?"),
    "sudden_severe": _("Did severe pain or swelling come on suddenly, without a clear reason?"),
    "weight_loss": _("Have you lost weight recently without trying?"),
    "night_sweats": _("Do you wake up drenched in sweat at night?"),
    "cancer_history": _("Have you ever had cancer?"),
    "steroids": _("Have you taken steroid tablets or injections for more than 3 months?"),
    "limp": _("Are you limping?"),
    "bladder_bowel": (
        _(
            "Have you had new problems controlling your bladder or bowels, "
            "or numbness around your bottom or genitals?"
        )
    ),
    "leg_weakness": _("Is weakness or numbness in your leg getting worse?"),
    "groin_lump": _("Have you noticed a lump or bulge in your groin when you cough or strain?"),
    "pulsing_lump": _("Have you noticed a lump in your groin that throbs or pulses?"),
    "pale_cold_leg": _("Does your leg or foot go pale, cold or blue?"),
    "fatigue": _("Have you felt unusually tired or run down for more than two weeks?"),
}

# Bone health (RED-S screen, optional and sensitive): code -> question.
BONE_HEALTH_QUESTIONS: dict[str, str] = {
    "irregular_periods": _(
        "If you have periods: have they become irregular, or stopped for 3 months or more?"
    ),
    "under_fuelling": (
        _(
            "Have there been times when you weren't eating enough for the training you do, "
            "or have you had an eating disorder?"
        )
    ),
    "low_bone_density": _("Have you been told you have low bone density (osteopenia or osteoporosis)?"),
    "low_vitamin_d": _("Have you been told your vitamin D or calcium is low?"),
}


class ReminderCategory(models.TextChoices):
    """Email reminder categories the patient opts into (domain.md §9)."""

    APPOINTMENT = "appointment", _("Appointment reminders")
    HOME_EXERCISE = "home_exercise", _("Home exercise reminders")
    WEEKLY_CHECKIN = "weekly_checkin", _("Weekly check-in requests")
    OUTCOME_DUE = "outcome_due", _("Progress questionnaires (weeks 4 and 8)")
    SHOE_MILEAGE = "shoe_mileage", _("Running shoe mileage")


class RedFlagCode(models.TextChoices):
    INFECTION = "infection", _("Possible infection: fever, unwell, or hot/red/swollen joint")
    FRACTURE = "fracture", _("Possible fracture or dislocation: cannot bear weight, or trauma with deformity")
    SUDDEN_SEVERE = "sudden_severe", _("Sudden severe pain or swelling")
    BONE_STRESS = (
        "bone_stress",
        _(
            "Possible bone stress injury (femoral neck or shaft, pelvis, sacrum, shin): pain on hopping, "
            "earlier in each run, groin pain at night, or a limp with pain on walking"
        ),
    )
    NIGHT_CONSTANT = (
        "night_constant",
        _("Night pain that wakes, or constant pain nothing changes (tumour, AVN)"),
    )
    MALIGNANCY = "malignancy", _("Unexplained weight loss, night sweats or history of cancer")
    AVN = "avn", _("Long-term steroids or higher-risk drinking with deep or constant pain (AVN)")
    SCFE = "scfe", _("Under 18 with hip pain and a limp (SCFE)")
    CAUDA_EQUINA = "cauda_equina", _("Bladder/bowel change or progressive leg weakness/numbness")
    HERNIA = "hernia", _("Groin lump on coughing (hernia)")
    VASCULAR = "vascular", _("Pulsating groin lump or pale/cold leg (vascular)")
    OVERTRAINING_REDS = (
        "overtraining_reds",
        _("Overtraining / RED-S risk: review load, nutrition and bone health"),
    )


class ActionLevel(models.TextChoices):
    """Most urgent first (ACTION_LEVEL_ORDER). What the patient is told: patients.intake.redflags.ADVICE."""

    EMERGENCY_SAME_DAY = "emergency_same_day", _("Emergency, same day (A&E)")
    URGENT_ORTHOPAEDIC = (
        "urgent_orthopaedic",
        _("Same-day orthopaedic assessment (A&E); no weight on the leg, no running"),
    )
    GP_SAME_DAY = "gp_same_day", _("Same-day GP review")
    URGENT_MEDICAL = "urgent_medical", _("Urgent medical review (24–48 h)")
    STOP_RUNNING_URGENT_MEDICAL = (
        "stop_running_urgent_medical",
        _("Stop running; urgent medical review (MRI via physician)"),
    )
    ROUTINE_GP = "routine_gp", _("Routine GP review")
    REVIEW_AT_VISIT = "review_at_visit", _("Review at the visit (not urgent)")
    ADVISORY = "advisory", _("Advisory: review load and nutrition")


# Most urgent first: flags are listed in this order everywhere.
ACTION_LEVEL_ORDER = [level.value for level in ActionLevel]


class FlagSource(models.TextChoices):
    """What raised a red flag (docs/clinical-rules.md, "Red flags from every source")."""

    PATIENT = "patient", _("Patient (intake)")
    CHECKIN = "checkin", _("Patient (weekly check-in)")
    TRAINING_LOG = "training_log", _("Patient (training log)")
    EXAMINATION = "examination", _("Examination")
    CLINICIAN = "clinician", _("Clinician")


class IntakeStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent")
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    LOCKED = "locked", _("Locked")
