"""Enumerations of the clinical record (values follow domain.md §0, §4–§6)."""

from collections.abc import Iterable

from django.db import models

from assessments.record.bone_stress import BONE_STRESS_CODES
from assessments.record.measures import MMT_GRADES


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# One row per side (domain.md §0): sided findings are stored for a limb only.
LIMB_SIDES = (Side.LEFT, Side.RIGHT)
INDEX_SIDES = (Side.LEFT, Side.RIGHT, Side.BILATERAL)


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", "Initial assessment"
    REASSESSMENT = "reassessment", "Re-assessment"
    DISCHARGE = "discharge", "Discharge assessment"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class NotPerformedReason(models.TextChoices):
    CONTRAINDICATED = "contraindicated", "Contraindicated"
    PAIN_TOO_HIGH = "pain_too_high", "Pain too high"
    RED_FLAG = "red_flag", "Red flag"
    TIME = "time", "No time"
    OTHER = "other", "Other"


# --- Subjective (§1, §2) -------------------------------------------------------------


class OnsetMode(models.TextChoices):
    SUDDEN = "sudden", "Sudden"
    GRADUAL = "gradual", "Gradual"


class PainPattern(models.TextChoices):
    CONSTANT = "constant", "Constant"
    INTERMITTENT = "intermittent", "Intermittent"
    WITH_LOADING = "with_loading", "Only with running or loading"


class NightPain(models.TextChoices):
    NONE = "none", "None"
    LYING_ON_SIDE = "lying_on_side", "Only when lying on the side"
    WAKES = "wakes", "Wakes me from sleep"
    CONSTANT = "constant", "Constant at night"


# --- Observation and gait (§4.1) -----------------------------------------------------


class Posture(models.TextChoices):
    UPRIGHT = "upright", "Upright"
    LEANING_BACK = "leaning_back", "Trunk leaning back, rib cage behind pelvis"
    FORWARD_FLEXED = "forward_flexed", "Forward flexed"


class TrunkLean(models.TextChoices):
    NONE = "none", "None"
    FORWARD = "forward", "Forward"
    BACKWARD = "backward", "Backward"
    LATERAL = "lateral", "Lateral"


class FootStrike(models.TextChoices):
    REARFOOT = "rearfoot", "Rearfoot (heel)"
    MIDFOOT = "midfoot", "Midfoot"
    FOREFOOT = "forefoot", "Forefoot"


# --- Single-leg stance and squats (§4.2–§4.4) ----------------------------------------


class Eyes(models.TextChoices):
    OPEN = "open", "Eyes open"
    CLOSED = "closed", "Eyes closed"


# The single-leg stance's time cap (§4.2): a 30 s screen, or 45/60 s to compare with the norms.
SLS_CAP_CHOICES = [(cap, f"{cap} s") for cap in (30, 45, 60)]


class LegLengthMethod(models.TextChoices):
    TRUE = "true", "True (ASIS to medial malleolus)"
    APPARENT = "apparent", "Apparent (umbilicus to medial malleolus)"


class Trendelenburg(models.TextChoices):
    RISES_OR_LEVEL = "rises_or_level", "Pelvis rises or level (negative)"
    DROPS_LT_2CM = "drops_lt_2cm", "Drops < 2 cm (positive)"
    DROPS_GT_2CM = "drops_gt_2cm", "Drops > 2 cm (positive)"


TRENDELENBURG_POSITIVE = (Trendelenburg.DROPS_LT_2CM, Trendelenburg.DROPS_GT_2CM)


class SquatDepth(models.TextChoices):
    FULL = "full", "Full"
    PARALLEL = "parallel", "Parallel"
    PARTIAL = "partial", "Partial"
    UNABLE = "unable", "Unable"


# The double-leg squat's compensations, one boolean column each (name, label).
SQUAT_COMPENSATIONS = (
    ("heel_lift", "Heel lift"),
    ("knee_valgus", "Knee valgus"),
    ("trunk_lean", "Trunk lean"),
    ("weight_shift", "Weight shift"),
    ("pelvic_tilt", "Pelvic tilt"),
)


class Rating(models.TextChoices):
    GOOD = "good", "Good"
    POOR = "poor", "Poor"


# measures.SLS_CRITERIA in order, with the wording of domain.md §4.4.
SINGLE_LEG_SQUAT_CRITERIA = (
    ("overall_impression", "Overall impression"),
    ("weight_transfer", "Weight transfer"),
    ("lumbopelvic_alignment", "Lumbopelvic alignment"),
    ("leg_alignment", "Leg alignment"),
    ("foot_alignment", "Foot alignment"),
)

# --- Strength (§4.5) -----------------------------------------------------------------


class MuscleGroup(models.TextChoices):
    HIP_ABDUCTORS = "hip_abductors", "Hip abductors (glute medius)"
    HIP_EXTENSORS = "hip_extensors", "Hip extensors (glute max)"
    HIP_FLEXORS = "hip_flexors", "Hip flexors"
    HIP_ADDUCTORS = "hip_adductors", "Hip adductors"
    HIP_EXTERNAL_ROTATORS = "hip_external_rotators", "Hip external rotators"
    HIP_INTERNAL_ROTATORS = "hip_internal_rotators", "Hip internal rotators"
    HAMSTRINGS = "hamstrings", "Hamstrings"
    QUADRICEPS = "quadriceps", "Quadriceps"
    CALF = "calf", "Calf"
    CORE = "core", "Core"


MMT_CHOICES = [(grade, grade) for grade in MMT_GRADES]


class HhdPosition(models.TextChoices):
    SUPINE = "supine", "Supine"
    SIDE_LYING = "side_lying", "Side-lying"
    STANDING = "standing", "Standing"
    PRONE = "prone", "Prone"
    SEATED = "seated", "Seated"


class Stabilisation(models.TextChoices):
    MANUAL = "manual", "Manual"
    BELT = "belt", "Belt"
    FIXED = "fixed", "Fixed"


class ForceUnit(models.TextChoices):
    """The unit a force is typed in; always stored in newtons (domain.md §0)."""

    NEWTON = "N", "N"
    KGF = "kgf", "kg"


# --- Range of motion (§4.6) ----------------------------------------------------------


class RomMovement(models.TextChoices):
    FLEXION = "flexion", "Flexion"
    EXTENSION = "extension", "Extension"
    ABDUCTION = "abduction", "Abduction"
    ADDUCTION = "adduction", "Adduction"
    INTERNAL_ROTATION = "internal_rotation", "Internal rotation (hip at 90°)"
    EXTERNAL_ROTATION = "external_rotation", "External rotation (hip at 90°)"


class MuscleLengthTest(models.TextChoices):
    """Muscle length tests (§4.6), one per muscle."""

    THOMAS = "thomas", "Thomas test (hip flexors / quadriceps)"
    OBER = "ober", "Ober test (TFL / ITB)"
    HAMSTRING_90_90 = "hamstring_90_90", "Hamstring 90/90"
    PIRIFORMIS = "piriformis", "Piriformis"
    CALF = "calf", "Calf"


class LengthRating(models.TextChoices):
    NORMAL = "normal", "Normal"
    REDUCED = "reduced", "Reduced"


class RomPosition(models.TextChoices):
    SUPINE = "supine", "Supine"
    PRONE = "prone", "Prone"
    SEATED = "seated", "Seated"
    SIDE_LYING = "side_lying", "Side-lying"
    STANDING = "standing", "Standing"


# --- Special tests and palpation (§4.7) ----------------------------------------------


class SpecialTestCode(models.TextChoices):
    FADIR = "fadir", "FADIR"
    FABER = "faber", "FABER"
    THOMAS = "thomas", "Thomas test"
    OBER = "ober", "Ober test"
    LOG_ROLL = "log_roll", "Log roll"
    RESISTED_SLR = "resisted_slr", "Resisted straight-leg raise"
    FULCRUM = "fulcrum", "Fulcrum test"
    HOP = "hop", "Hop test (impact tolerance)"
    HOP_DISTANCE = "hop_distance", "Hop for distance"
    LUMBAR_SCREEN = "lumbar_screen", "Lumbar screen (referred pain reproduced)"
    JOG = "jog", "Light jog"
    JUMP = "jump", "Jump"
    STEP_UP = "step_up", "Step-up"
    LUNGE = "lunge", "Lunge"


# The impact/function screen (§4.7): completed yes/no and pain, per side.
IMPACT_SCREEN_CODES = (
    SpecialTestCode.JOG,
    SpecialTestCode.JUMP,
    SpecialTestCode.STEP_UP,
    SpecialTestCode.LUNGE,
)
# Hops and jumps: not done when bone stress is suspected (§4.7), unless a reason is recorded.
HOP_JUMP_CODES = (SpecialTestCode.HOP, SpecialTestCode.HOP_DISTANCE, SpecialTestCode.JUMP)
# Thomas and Ober are rated as muscle length (MuscleLengthTest) now; kept to read earlier records.
RETIRED_SPECIAL_CODES = (SpecialTestCode.THOMAS, SpecialTestCode.OBER)
RECORDED_SPECIAL_CODES = tuple(code for code in SpecialTestCode if code not in RETIRED_SPECIAL_CODES)
# The form's sections: impact/function screen (with the hop tests), and the other special tests.
IMPACT_SECTION_CODES = (*IMPACT_SCREEN_CODES, SpecialTestCode.HOP, SpecialTestCode.HOP_DISTANCE)
PROVOCATION_CODES = tuple(code for code in RECORDED_SPECIAL_CODES if code not in IMPACT_SECTION_CODES)


class TestResult(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class PalpationSite(models.TextChoices):
    GREATER_TROCHANTER = "greater_trochanter", "Greater trochanter"
    ASIS_AIIS = "asis_aiis", "ASIS / AIIS"
    ILIOPSOAS = "iliopsoas", "Iliopsoas"
    ADDUCTOR_ORIGIN = "adductor_origin", "Adductor origin"
    PUBIC_SYMPHYSIS = "pubic_symphysis", "Pubic symphysis"
    ISCHIAL_TUBEROSITY = "ischial_tuberosity", "Ischial tuberosity"
    PIRIFORMIS = "piriformis", "Piriformis"
    ITB = "itb", "Lateral thigh / ITB"
    FEMORAL_SHAFT = "femoral_shaft", "Femoral shaft"
    LUMBAR_SPINE = "lumbar_spine", "Lumbar spine"


class Tenderness(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


# --- Clinical impression (§6) --------------------------------------------------------


class ImpressionCode(models.TextChoices):
    GTPS_GLUT_TEND = "GTPS_GLUT_TEND", "Gluteal tendinopathy / GTPS (incl. trochanteric bursitis)"
    ITBS = "ITBS", "Iliotibial band syndrome"
    HIP_FLEXOR = "HIP_FLEXOR", "Hip flexor (iliopsoas) strain or tendinopathy"
    HAMSTRING = "HAMSTRING", "Hamstring strain or proximal tendinopathy"
    ADDUCTOR = "ADDUCTOR", "Adductor strain / athletic groin pain"
    FAI_CAM = "FAI_CAM", "Femoroacetabular impingement (cam)"
    FAI_PINCER = "FAI_PINCER", "Femoroacetabular impingement (pincer)"
    FAI_MIXED = "FAI_MIXED", "Femoroacetabular impingement (mixed)"
    LABRAL = "LABRAL", "Labral tear"
    HIP_OA = "HIP_OA", "Hip osteoarthritis"
    BSI_FEM_NECK = "BSI_FEM_NECK", "Bone stress injury: femoral neck"
    BSI_FEM_SHAFT = "BSI_FEM_SHAFT", "Bone stress injury: femoral shaft"
    BSI_PELVIS = "BSI_PELVIS", "Bone stress injury: pelvis"
    PIRIFORMIS = "PIRIFORMIS", "Piriformis syndrome"
    LUMBAR_REFERRED = "LUMBAR_REFERRED", "Referred pain from the lumbar spine"
    WEAKNESS_IMBALANCE = "WEAKNESS_IMBALANCE", "Hip/core weakness or muscle imbalance"
    JOINT_IRRITATION = "JOINT_IRRITATION", "Hip joint irritation"
    MERALGIA = "MERALGIA", "Meralgia paresthetica"
    HERNIA_INGUINAL = "HERNIA_INGUINAL", "Inguinal hernia (refer)"
    AVN = "AVN", "Avascular necrosis (refer)"
    SCFE = "SCFE", "Slipped capital femoral epiphysis (refer)"
    SEPTIC = "SEPTIC", "Septic arthritis (refer)"
    TUMOUR = "TUMOUR", "Tumour (refer)"
    OTHER = "OTHER", "Other"


# Bone stress injury impressions (assessments.record.bone_stress holds the one list and the rule).
BSI_CODES = frozenset(ImpressionCode(code) for code in BONE_STRESS_CODES)


def impression_labels(codes: Iterable[str]) -> list[str]:
    """Impression codes as the words staff read (never the code itself)."""
    return [str(ImpressionCode(code).label) if code in ImpressionCode.values else code for code in codes]


# Conditions outside physiotherapy: they always go with a red flag (§6).
REFER_CODES = frozenset(
    {
        ImpressionCode.HERNIA_INGUINAL,
        ImpressionCode.AVN,
        ImpressionCode.SCFE,
        ImpressionCode.SEPTIC,
        ImpressionCode.TUMOUR,
    }
)


class Certainty(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    WORKING = "working", "Working"
    CONFIRMED = "confirmed", "Confirmed"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class Irritability(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ContributingFactor(models.TextChoices):
    GLUTES_WEAK = "glutes_weak", "Glutes weak relative to quads/hamstrings"
    ASYMMETRY = "asymmetry", "Left/right strength asymmetry"
    WEAK_CORE = "weak_core", "Weak core"
    TIGHT_HIP_FLEXORS = "tight_hip_flexors", "Tight hip flexors"
    TIGHT_TFL_ITB = "tight_tfl_itb", "Tight TFL/ITB"
    TIGHT_HAMSTRINGS = "tight_hamstrings", "Tight hamstrings"
    TRAINING_LOAD = "training_load", "Training load error (too much, too soon)"
    RUNNING_FORM = "running_form", "Running form (overstriding, crossover gait)"
    FOOTWEAR = "footwear", "Footwear (worn or changed shoes)"
    SURFACE = "surface", "Surface or terrain (camber, hills)"
    PROLONGED_SITTING = "prolonged_sitting", "Prolonged sitting"
    PREVIOUS_INJURY = "previous_injury", "Previous injury"
    OVERTRAINING_REDS = "overtraining_reds", "Overtraining / RED-S"


# --- Imaging orders (§5) -------------------------------------------------------------
