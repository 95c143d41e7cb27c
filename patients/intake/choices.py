"""Answer vocabularies and plausibility ranges of the online intake (domain.md §1–3, §9).

Values are the stored codes; labels are what the patient reads. The ranges
are the plausibility bounds of domain.md (not clinical norms): the model's
validators and named check constraints, and the forms, are all built from
RANGES so the three can never disagree.
"""

from decimal import Decimal
from typing import NamedTuple

from django.db import models


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
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


class PainRegion(models.TextChoices):
    ANTERIOR_HIP_GROIN = "anterior_hip_groin", "Front of the hip / groin"
    DEEP_GROIN = "deep_groin", "Deep in the groin"
    LATERAL_HIP = "lateral_hip", "Outside of the hip (the bony point)"
    LATERAL_THIGH = "lateral_thigh", "Outside of the thigh"
    FRONT_THIGH = "front_thigh", "Front of the thigh"
    LATERAL_KNEE = "lateral_knee", "Outside of the knee"
    SHIN = "shin", "Shin"
    POSTERIOR_HIP = "posterior_hip", "Back of the hip / buttock"
    SIT_BONE = "sit_bone", "Under the sit bone"
    INNER_THIGH = "inner_thigh", "Inner thigh"
    LOW_BACK = "low_back", "Low back"
    SACRUM = "sacrum", "Bottom of the spine, between the buttocks (sacrum)"


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
    NONE = "none", "It stays in one place"
    DOWN_THIGH = "down_thigh", "Down the thigh"
    INTO_GROIN = "into_groin", "Into the groin"
    FROM_LOW_BACK = "from_low_back", "From the low back"
    DOWN_LEG = "down_leg", "Down the back of the leg to the calf or foot"


class PainQuality(models.TextChoices):
    SHARP = "sharp", "Sharp"
    DULL_ACHE = "dull_ache", "Dull or aching"
    BURNING = "burning", "Burning"
    STABBING = "stabbing", "Stabbing"
    THROBBING = "throbbing", "Throbbing"
    PINCHING = "pinching", "Pinching"
    TINGLING = "tingling", "Tingling"


class PainPattern(models.TextChoices):
    CONSTANT = "constant", "It's there all the time"
    INTERMITTENT = "intermittent", "It comes and goes"
    WITH_LOADING = "with_loading", "Only when I run or load the leg"


class RunOnset(models.TextChoices):
    AT_START = "at_start", "From the start of a run"
    AFTER_DISTANCE = "after_distance", "After a certain distance"
    AT_END = "at_end", "Only at the end or after the run"
    NOT_RUNNING = "not_running", "I'm not running at the moment"


class Aggravating(models.TextChoices):
    RUNNING = "running", "Running"
    UPHILL = "uphill", "Running uphill"
    DOWNHILL = "downhill", "Running downhill"
    SPEED_WORK = "speed_work", "Speed work"
    STAIRS = "stairs", "Stairs"
    LYING_ON_SIDE = "lying_on_side", "Lying on the painful side"
    SITTING = "sitting", "Sitting for a long time"
    CROSSING_LEGS = "crossing_legs", "Crossing my legs"
    DEEP_SQUAT = "deep_squat", "Deep squats"
    LIFTING_KNEE = "lifting_knee", "Lifting the knee"
    TWISTING = "twisting", "Twisting"
    HOPPING = "hopping", "Hopping or jumping"
    WALKING = "walking", "Walking"
    STANDING = "standing", "Standing"


class Easing(models.TextChoices):
    REST = "rest", "Rest"
    WARMING_UP = "warming_up", "Warming up"
    ICE = "ice", "Ice"
    HEAT = "heat", "Heat"
    NSAIDS = "nsaids", "Anti-inflammatory painkillers (e.g. ibuprofen)"
    STRETCHING = "stretching", "Stretching"
    CHANGING_POSITION = "changing_position", "Changing position"


class SettleTime(models.TextChoices):
    UNDER_1H = "under_1h", "Less than an hour"
    H1_24 = "1_24h", "1 to 24 hours"
    NEXT_DAY = "next_day", "It's still there the next day"


class NightPain(models.TextChoices):
    NONE = "none", "No pain at night"
    LYING_ON_SIDE = "lying_on_side", "Only when I lie on that side"
    WAKES = "wakes", "It wakes me from sleep"
    CONSTANT = "constant", "It's constant through the night"


class Mechanical(models.TextChoices):
    CLICKING = "clicking", "Clicking or popping"
    CATCHING = "catching", "Catching"
    LOCKING = "locking", "Locking"
    GIVING_WAY = "giving_way", "Giving way or feeling unstable"


class Neuro(models.TextChoices):
    PINS_NEEDLES = "pins_needles", "Pins and needles"
    NUMBNESS = "numbness", "Numbness"
    WEAKNESS = "weakness", "Weakness"


class NsaidUse(models.TextChoices):
    NONE = "none", "No"
    OCCASIONAL = "occasional", "Now and then"
    DAILY = "daily", "Every day"


class CancerTreated(models.TextChoices):
    NOW = "now", "I'm having treatment now"
    WITHIN_5Y = "within_5y", "Treatment ended less than 5 years ago"
    OVER_5Y = "over_5y", "Treatment ended 5 or more years ago"


class OnsetMode(models.TextChoices):
    SUDDEN = "sudden", "Suddenly"
    GRADUAL = "gradual", "Gradually"


class Treatment(models.TextChoices):
    REST = "rest", "Rest"
    ICE = "ice", "Ice"
    NSAIDS = "nsaids", "Anti-inflammatory painkillers"
    CORTISONE = "cortisone", "Cortisone (steroid) injection"
    MASSAGE = "massage", "Massage or foam rolling"
    STRETCHING = "stretching", "Stretching"
    PHYSIO = "physio", "Physiotherapy"


class Surface(models.TextChoices):
    ROAD = "road", "Road"
    PAVEMENT = "pavement", "Pavement / concrete"
    TRAIL = "trail", "Trail"
    TRACK = "track", "Track"
    TREADMILL = "treadmill", "Treadmill"
    CAMBERED = "cambered", "Cambered or sloping road"
    HILLS = "hills", "Hills"


class TrainingChange(models.TextChoices):
    MORE_MILEAGE = "more_mileage", "More distance"
    HILLS = "hills", "Added hills"
    SPEED = "speed", "Added speed or interval work"
    NEW_PLAN = "new_plan", "Started a new plan"
    NEW_TERRAIN = "new_terrain", "New terrain"
    NEW_SHOES = "new_shoes", "New shoes"
    GYM = "gym", "New gym or jumping (plyometric) work"
    RETURN = "return", "Came back after a break"
    FEWER_REST_DAYS = "fewer_rest_days", "Skipped rest days"


class CrossTraining(models.TextChoices):
    CYCLING = "cycling", "Cycling (including an exercise bike)"
    SWIMMING = "swimming", "Swimming"
    POOL_RUNNING = "pool_running", "Pool or deep-water running"
    ROWING = "rowing", "Rowing"
    PILATES = "pilates", "Pilates"
    YOGA = "yoga", "Yoga"
    STRENGTH = "strength", "Strength training"


class PreviousInjury(models.TextChoices):
    HIP = "hip", "Hip injury"
    STRESS_FRACTURE = "stress_fracture", "Stress fracture"
    LABRAL_TEAR = "labral_tear", "Labral tear"
    BACK_PAIN = "back_pain", "Back pain"
    OTHER = "other", "Other"


class DistanceUnit(models.TextChoices):
    KM = "km", "Kilometres"
    MI = "mi", "Miles"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class BoneHealthAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Doesn't apply to me"
    PREFER_NOT = "prefer_not", "Prefer not to say"


# The red-flag screen (domain.md §3): code -> the question as the patient reads it.
SCREEN_QUESTIONS: dict[str, str] = {
    "fever": "Have you had a fever or chills, or felt generally unwell, in the last few weeks?",
    "hot_swollen": "Is your hip or groin hot, red or swollen?",
    "cannot_bear_weight": "Are you unable to put weight on the painful leg?",
    "recent_trauma": "Have you had a fall, accident or knock to the hip recently?",
    "deformity": "Does the leg look out of shape, shorter, or turned outwards?",
    "sudden_severe": "Did severe pain or swelling come on suddenly, without a clear reason?",
    "weight_loss": "Have you lost weight recently without trying?",
    "night_sweats": "Do you wake up drenched in sweat at night?",
    "cancer_history": "Have you ever had cancer?",
    "steroids": "Have you taken steroid tablets or injections for more than 3 months?",
    "limp": "Are you limping?",
    "bladder_bowel": (
        "Have you had new problems controlling your bladder or bowels, "
        "or numbness around your bottom or genitals?"
    ),
    "leg_weakness": "Is weakness or numbness in your leg getting worse?",
    "groin_lump": "Have you noticed a lump or bulge in your groin when you cough or strain?",
    "pulsing_lump": "Have you noticed a lump in your groin that throbs or pulses?",
    "pale_cold_leg": "Does your leg or foot go pale, cold or blue?",
    "fatigue": "Have you felt unusually tired or run down for more than two weeks?",
}

# Bone health (RED-S screen, optional and sensitive): code -> question.
BONE_HEALTH_QUESTIONS: dict[str, str] = {
    "irregular_periods": "If you have periods: have they become irregular, or stopped for 3 months or more?",
    "under_fuelling": (
        "Have there been times when you weren't eating enough for the training you do, "
        "or have you had an eating disorder?"
    ),
    "low_bone_density": "Have you been told you have low bone density (osteopenia or osteoporosis)?",
    "low_vitamin_d": "Have you been told your vitamin D or calcium is low?",
}


class ReminderCategory(models.TextChoices):
    """Email reminder categories the patient opts into (domain.md §9)."""

    APPOINTMENT = "appointment", "Appointment reminders"
    HOME_EXERCISE = "home_exercise", "Home exercise reminders"
    WEEKLY_CHECKIN = "weekly_checkin", "Weekly check-in requests"
    OUTCOME_DUE = "outcome_due", "Progress questionnaires (weeks 4 and 8)"
    SHOE_MILEAGE = "shoe_mileage", "Running shoe mileage"


class RedFlagCode(models.TextChoices):
    INFECTION = "infection", "Possible infection: fever, unwell, or hot/red/swollen joint"
    FRACTURE = "fracture", "Possible fracture or dislocation: cannot bear weight, or trauma with deformity"
    SUDDEN_SEVERE = "sudden_severe", "Sudden severe pain or swelling"
    BONE_STRESS = (
        "bone_stress",
        "Possible bone stress injury (femoral neck or shaft, pelvis, sacrum, shin): pain on hopping, "
        "earlier in each run, groin pain at night, or a limp with pain on walking",
    )
    NIGHT_CONSTANT = "night_constant", "Night pain that wakes, or constant pain nothing changes (tumour, AVN)"
    MALIGNANCY = "malignancy", "Unexplained weight loss, night sweats or history of cancer"
    AVN = "avn", "Long-term steroids or higher-risk drinking with deep or constant pain (AVN)"
    SCFE = "scfe", "Under 18 with hip pain and a limp (SCFE)"
    CAUDA_EQUINA = "cauda_equina", "Bladder/bowel change or progressive leg weakness/numbness"
    HERNIA = "hernia", "Groin lump on coughing (hernia)"
    VASCULAR = "vascular", "Pulsating groin lump or pale/cold leg (vascular)"
    OVERTRAINING_REDS = (
        "overtraining_reds",
        "Overtraining / RED-S risk: review load, nutrition and bone health",
    )


class ActionLevel(models.TextChoices):
    """Most urgent first (ACTION_LEVEL_ORDER). What the patient is told: patients.intake.redflags.ADVICE."""

    EMERGENCY_SAME_DAY = "emergency_same_day", "Emergency, same day (A&E)"
    URGENT_ORTHOPAEDIC = (
        "urgent_orthopaedic",
        "Same-day orthopaedic assessment (A&E); no weight on the leg, no running",
    )
    GP_SAME_DAY = "gp_same_day", "Same-day GP review"
    URGENT_MEDICAL = "urgent_medical", "Urgent medical review (24–48 h)"
    STOP_RUNNING_URGENT_MEDICAL = (
        "stop_running_urgent_medical",
        "Stop running; urgent medical review (MRI via physician)",
    )
    ROUTINE_GP = "routine_gp", "Routine GP review"
    REVIEW_AT_VISIT = "review_at_visit", "Review at the visit (not urgent)"
    ADVISORY = "advisory", "Advisory: review load and nutrition"


# Most urgent first: flags are listed in this order everywhere.
ACTION_LEVEL_ORDER = [level.value for level in ActionLevel]


class FlagSource(models.TextChoices):
    """What raised a red flag (docs/clinical-rules.md, "Red flags from every source")."""

    PATIENT = "patient", "Patient (intake)"
    CHECKIN = "checkin", "Patient (weekly check-in)"
    TRAINING_LOG = "training_log", "Patient (training log)"
    EXAMINATION = "examination", "Examination"
    CLINICIAN = "clinician", "Clinician"


class IntakeStatus(models.TextChoices):
    NOT_SENT = "not_sent", "Not sent"
    SENT = "sent", "Sent"
    OPENED = "opened", "Opened"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    LOCKED = "locked", "Locked"
