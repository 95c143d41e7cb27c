"""Code systems, units and the local CodeSystem of the FHIR export (docs/fhir.md).

Only codes domain.md §10 lists as checked are taken from an external system:
LOINC 72514-3 (NPRS), the imaging LOINC codes, SNOMED CT 24136001 (hip joint
structure), 7771000 / 24028007 / 51440002 (left / right / both) and 363679005
(imaging), plus the code systems FHIR itself defines (observation category,
condition status, UCUM units). Everything else — LEFS, PSFS, HOOS (their LOINC
codes are unverified), the examination tests, impressions, red flags and the
exercise catalogue — is a code of Stride's own CodeSystem at `local_system()`.
"""

from decimal import Decimal

from django.conf import settings

from assessments.programmes.choices import PhaseKind
from assessments.programmes.rules import READINESS_CHECKLIST, RUN_LADDER
from assessments.record.choices import (
    SINGLE_LEG_SQUAT_CRITERIA,
    SQUAT_COMPENSATIONS,
    ContributingFactor,
    HhdPosition,
    ImpressionCode,
    MuscleGroup,
    MuscleLengthTest,
    PalpationSite,
    RomMovement,
    SpecialTestCode,
)
from patients.intake.choices import RedFlagCode

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
COMMUNICATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/communication-category"
PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
DIAGNOSTIC_SERVICE = "http://terminology.hl7.org/CodeSystem/v2-0074"

NPRS_LOINC = "72514-3"
NPRS_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
HIP_JOINT = "24136001"
IMAGING_CATEGORY = "363679005"
LATERALITY = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "bilateral": ("51440002", "Right and left"),
}
# (modality, region) → LOINC code and display, as domain.md §10 lists them.
IMAGING_LOINC = {
    ("XR", "hip"): ("24762-7", "XR Hip Views"),
    ("MRI", "hip"): ("30687-8", "MR Hip WO contrast"),
    ("MRI", "pelvis_hip"): ("24872-4", "MR Pelvis and Hip"),
    ("US", "hip"): ("24760-1", "US Hip"),
}


def canonical_base() -> str:
    return settings.FHIR_CANONICAL_BASE


def local_system() -> str:
    """The canonical URL of Stride's CodeSystem (stable: FHIR_CANONICAL_BASE names it)."""
    return f"{canonical_base()}/CodeSystem/stride"


def patient_identifier_system() -> str:
    return f"{canonical_base()}/sid/patient"


def questionnaire_url(name: str) -> str:
    return f"{canonical_base()}/Questionnaire/{name}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {"system": system, "code": code}
    if display:
        data["display"] = str(display)
    return data


def concept(
    system: str, code: str, display: str | None = None, *, text: str | None = None
) -> dict[str, object]:
    data: dict[str, object] = {"coding": [coding(system, code, display)]}
    if text:
        data["text"] = str(text)
    return data


def local(code: str, display: str | None = None, *, text: str | None = None) -> dict[str, object]:
    """A concept of the local CodeSystem (`code` must be one LOCAL_CODES or the catalogue names)."""
    return concept(local_system(), code, display or LOCAL_CODES.get(code), text=text)


def text_only(text: str) -> dict[str, object]:
    return {"text": str(text)}


def quantity(value: Decimal | int | float, unit: str, code: str | None = None) -> dict[str, object]:
    """A UCUM quantity: `unit` is shown, `code` (the UCUM code) defaults to it."""
    return {"value": Decimal(str(value)), "unit": unit, "system": UCUM, "code": code or unit}


def score(value: Decimal | int | float) -> dict[str, object]:
    return quantity(value, "{score}")


def category(code: str, display: str) -> list[dict[str, object]]:
    return [concept(OBSERVATION_CATEGORY, code, display)]


def hip_body_site(side: str | None = None) -> dict[str, object]:
    """SNOMED CT hip joint structure; the side goes in the text and in a laterality component."""
    label = {"left": "Left hip", "right": "Right hip", "bilateral": "Both hips"}.get(side or "", "Hip")
    return concept(SNOMED, HIP_JOINT, "Hip joint structure", text=label)


def laterality(side: str) -> dict[str, object] | None:
    """The laterality (SNOMED CT) of a side, or None for a side that is not a limb."""
    if side not in LATERALITY:
        return None
    code, display = LATERALITY[side]
    return concept(SNOMED, code, display)


def nprs_code(specific: str | None = None, text: str | None = None) -> dict[str, object]:
    """LOINC 72514-3; `specific` adds the local code of which pain (worst, now, after runs)."""
    codings = [coding(LOINC, NPRS_LOINC, NPRS_DISPLAY)]
    if specific:
        codings.append(coding(local_system(), specific, LOCAL_CODES.get(specific)))
    data: dict[str, object] = {"coding": codings}
    if text:
        data["text"] = str(text)
    return data


def _labelled(prefix: str, choices: object, what: str) -> dict[str, str]:
    return {f"{prefix}{value}": f"{what}: {label}" for value, label in choices.choices}  # type: ignore[attr-defined]


# The local CodeSystem's concepts (code → display), bar the exercise catalogue's codes,
# which are the catalogue's own (upper case, so they never meet these lower-case ones).
LOCAL_CODES: dict[str, str] = {
    # Outcome scores (no verified LOINC code: domain.md §10).
    "score.lefs": "Lower Extremity Functional Scale (LEFS) total, 0-80",
    "score.psfs": "Patient-Specific Functional Scale (PSFS) mean, 0-10",
    "score.psfs-activity": "PSFS activity rating, 0-10",
    "score.hoos-pain": "HOOS Pain subscale, 0-100",
    "score.hoos-symptoms": "HOOS Symptoms subscale, 0-100",
    "score.hoos-adl": "HOOS Activities of daily living subscale, 0-100",
    "score.hoos-sport": "HOOS Sport and recreation subscale, 0-100",
    "score.hoos-qol": "HOOS Hip-related quality of life subscale, 0-100",
    # Which pain an NPRS observation is (a second coding beside LOINC 72514-3).
    "pain.now": "Pain now",
    "pain.worst-7d": "Worst pain in the last 7 days",
    "pain.worst-week": "Worst pain this week",
    "pain.during-run": "Pain during a run",
    "pain.after-run": "Pain the evening after a run",
    "pain.next-morning": "Pain the morning after a run",
    "pain.rest": "Pain at rest (clinician recorded)",
    "pain.provocative": "Pain with the most provocative test",
    "pain.during-test": "Pain during the test",
    "pain.familiar": "The patient's familiar pain reproduced",
    "pain.provoked": "Pain provoked by the test",
    # Examination findings.
    "exam.gait": "Observation, posture and gait",
    "exam.posture": "Posture",
    "exam.barefoot-in-shorts": "Observed barefoot in shorts",
    "exam.leg-length-difference": "Leg length difference",
    "exam.leg-length-shorter-side": "Shorter leg",
    "exam.leg-length-method": "Leg length method",
    "exam.c-sign": "C-sign",
    "exam.overstriding": "Overstriding",
    "exam.crossover-gait": "Crossover gait",
    "exam.pelvic-drop": "Pelvic drop",
    "exam.trunk-lean": "Trunk lean",
    "exam.foot-strike": "Foot strike",
    "exam.cadence": "Running cadence",
    "exam.double-leg-squat": "Double-leg squat",
    "exam.squat-depth": "Squat depth",
    "exam.compensation": "Squat compensation seen",
    "exam.sls-eyes-open": "Single-leg stance, eyes open (best time)",
    "exam.sls-eyes-closed": "Single-leg stance, eyes closed (best time)",
    "exam.sls-time-cap": "Single-leg stance time cap",
    "exam.trendelenburg": "Trendelenburg sign",
    "exam.wobble": "Wobble",
    "exam.single-leg-squat": "Single-leg squat, criteria rated poor (0-5)",
    "exam.squat-criterion": "Single-leg squat criterion",
    "exam.trendelenburg-during-squat": "Trendelenburg during the squat",
    "exam.mmt-grade": "Manual muscle test grade (Oxford/MRC)",
    "exam.hhd-position": "Dynamometry position",
    "exam.hhd-stabilisation": "Dynamometry stabilisation",
    "exam.lever-arm": "Lever arm",
    "exam.torque": "Torque",
    "exam.torque-per-kg": "Torque per body weight",
    "exam.end-range-pain": "Pain at end of range",
    "exam.rom-position": "Position of the range-of-motion test",
    "exam.hops-completed": "Hops completed",
    "exam.distance": "Hop distance (best)",
    "exam.completed": "Done in full",
    "exam.pain-site": "Site of pain",
    "exam.stretch-pain": "Pain on stretch",
    "exam.lsi": "Limb symmetry index",
    "trial.1": "Trial 1",
    "trial.2": "Trial 2",
    "trial.3": "Trial 3",
    "laterality": "Laterality (side of the body)",
    **_labelled("exam.strength-", MuscleGroup, "Strength"),
    **_labelled("exam.rom-", RomMovement, "Range of motion"),
    **_labelled("exam.muscle-length-", MuscleLengthTest, "Muscle length"),
    **_labelled("exam.test-", SpecialTestCode, "Special test"),
    **_labelled("exam.palpation-", PalpationSite, "Palpation"),
    **_labelled("hhd-position.", HhdPosition, "Position"),
    **{f"exam.compensation-{name}": f"Squat compensation: {label}" for name, label in SQUAT_COMPENSATIONS},
    **{f"exam.squat-{name}": f"Single-leg squat: {label}" for name, label in SINGLE_LEG_SQUAT_CRITERIA},
    # Answers.
    "result.positive": "Positive",
    "result.negative": "Negative",
    "rating.good": "Good",
    "rating.poor": "Poor",
    "length.normal": "Normal",
    "length.reduced": "Reduced",
    "tenderness.none": "No tenderness",
    "tenderness.mild": "Mild tenderness",
    "tenderness.moderate": "Moderate tenderness",
    "tenderness.severe": "Severe tenderness",
    # Activity and adherence (the training log).
    "activity.run": "Run (training log)",
    "activity.run-distance": "Run distance",
    "activity.run-duration": "Run duration",
    "activity.run-surface": "Run surface",
    "activity.run-shoes": "Shoes worn",
    "activity.run-session-type": "Run session type",
    "activity.run-elevation-gain": "Elevation gained in the run",
    "activity.run-cadence": "Average cadence",
    "activity.run-pain-during": "Hip pain during the run (0-10)",
    "activity.run-pain-onset-distance": "Distance into the run when the pain began",
    "activity.run-pain-onset-time": "Time into the run when the pain began",
    "activity.run-pain-evening": "Hip pain that evening (0-10)",
    "activity.run-pain-next-morning": "Hip pain the next morning (0-10)",
    "activity.session": "Strength or cross-training session (training log)",
    "activity.session-kind": "Session kind",
    "activity.body-checkin": "Daily body check-in (training log)",
    "activity.hip-feel": "How the hip feels today (0-10)",
    "activity.sleep-hours": "Hours slept",
    "activity.sleep-quality": "Sleep quality (1-5)",
    "activity.stress": "Stress (0-10)",
    "activity.illness": "Unwell",
    "activity.weekly-distance": "Running distance in the week",
    "activity.runs-in-week": "Runs in the week",
    "activity.exercise-adherence": "Home exercise adherence",
    "activity.sessions-done": "Exercise sessions done",
    "activity.sessions-prescribed": "Exercise sessions prescribed",
    # Clinical impressions, red flags, imaging, programme.
    **_labelled("impression.", ImpressionCode, "Impression"),
    **_labelled("red-flag.", RedFlagCode, "Red flag"),
    "exam.contributing-factor": "Contributing factor named in the clinical impression",
    **_labelled("factor.", ContributingFactor, "Contributing factor"),
    "red-flag.referral": "Onward referral for a red flag",
    "imaging.report-finding": "What the imaging report found",
    "imaging.XR": "X-ray",
    "imaging.MRI": "MRI",
    "imaging.US": "Ultrasound",
    "imaging.bone_scan": "Bone scan",
    "careplan.programme": "Running hip rehabilitation programme (4-8 weeks)",
    "exam.readiness": "Readiness-to-run checklist passed",
    **{f"readiness.{item.code}": f"Readiness: {item.label}" for item in READINESS_CHECKLIST},
    **{f"ladder.{stage.code}": f"Return-to-run stage: {stage.label}" for stage in RUN_LADDER},
    **_labelled("phase.", PhaseKind, "Phase"),
    "goal.run-pain": "Pain on runs at most the target",
    "goal.lsi": "Strength limb symmetry index at least the target",
    "goal.continuous-run": "Continuous running for the target time",
    "goal.patient": "The patient's own goals",
    "goal.race": "Goal race",
}
