"""Demo assessments for the in-treatment demo patients (fictional; for `make run`).

Each demo patient with a completed initial evaluation gets a signed initial
assessment with findings that fit one of six typical pictures from the seed
articles. The first one is a suspected femoral neck bone stress injury with
an MRI order still pending; one patient has a signed re-assessment showing
the hip abductors' LSI improving (about 79 % → 92.0 %); one has a draft left for
two days, so it shows on the therapist's to-do. Idempotent: patients who
already have an assessment are left alone.
"""

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from assessments.imaging.services import imaging_order_create
from assessments.models import Assessment
from assessments.record.choices import AssessmentKind, AssessmentStatus
from assessments.record.services.assessment import (
    DraftChanges,
    assessment_save_draft,
    assessment_start,
    sign_problems,
)
from patients.booking.choices import AppointmentStatus, VisitKind
from patients.models import Appointment, Patient

D = Decimal


@dataclass(frozen=True)
class Picture:
    code: str
    side: str
    subjective: dict[str, object]
    findings: dict[str, dict[tuple[str, ...], dict[str, object] | None]]
    factors: tuple[str, ...]
    plan: str
    severity: str = "moderate"
    irritability: str = "moderate"
    certainty: str = "working"


def _other(side: str) -> str:
    return "left" if side == "right" else "right"


def _hhd(
    force: int, mmt: str = "", *, lever: str = "0.42", position: str = "side_lying", pain: int | None = None
):
    row = {
        "position": position,
        "stabilisation": "belt",
        "trial_1_n": D(force - 6),
        "trial_2_n": D(force),
        "lever_arm_m": D(lever),
    }
    if mmt:
        row["mmt_grade"] = mmt
    if pain:
        row["pain_nprs"] = pain
    return row


def _sls(best: str, trendelenburg: str, pain: int | None = None, *, closed: str = "6.0") -> dict[str, object]:
    """Eyes open then eyes closed on the same side, stopped at a 45 s cap."""
    best_time, closed_time = D(best), D(closed)
    row = {
        "max_s": 45,
        "trial_1_s": best_time - D(3),
        "trial_2_s": best_time,
        "closed_trial_1_s": closed_time - D("1.5"),
        "closed_trial_2_s": closed_time,
        "trendelenburg": trendelenburg,
    }
    if pain:
        row.update(pain_nprs=pain, familiar_pain=True)
    return row


def _squat(poor: tuple[str, ...]) -> dict[str, object]:
    criteria = (
        "overall_impression",
        "weight_transfer",
        "lumbopelvic_alignment",
        "leg_alignment",
        "foot_alignment",
    )
    return {c: "poor" if c in poor else "good" for c in criteria}


def _length(side: str, test: str, *, pain: bool = True) -> dict:
    """Muscle length reduced on the painful side (with pain on stretch if `pain`), normal on the other."""
    return {(test, side): {"rating": "reduced", "pain": pain}, (test, _other(side)): {"rating": "normal"}}


def _hop(side: str, involved: tuple[int, ...], uninvolved: tuple[int, ...]) -> dict:
    """Hop-for-distance trials (cm) for both sides."""
    names = ("distance_trial_1_cm", "distance_trial_2_cm", "distance_trial_3_cm")
    return {
        ("hop_distance", side): {n: D(v) for n, v in zip(names, involved, strict=False)},
        ("hop_distance", _other(side)): {n: D(v) for n, v in zip(names, uninvolved, strict=False)},
    }


def _rom(side: str, involved: dict[str, int], uninvolved: dict[str, int], pain: tuple[str, ...] = ()) -> dict:
    rows = {}
    for movement, degrees in involved.items():
        rows[(movement, side)] = {"degrees": degrees, "end_range_pain": movement in pain}
        rows[(movement, _other(side))] = {"degrees": uninvolved.get(movement, degrees)}
    return rows


def _pictures(side: str, rng: random.Random) -> dict[str, Picture]:
    """Six typical presentations (domain.md §6), for the painful `side`."""
    other = _other(side)
    wobble = rng.randint(-4, 4)
    common_rom = {
        "flexion": 115,
        "extension": 12,
        "abduction": 40,
        "adduction": 25,
        "internal_rotation": 34,
        "external_rotation": 48,
    }
    return {
        "GTPS_GLUT_TEND": Picture(
            "GTPS_GLUT_TEND",
            side,
            {
                "pain_location": f"Outside of the {side} hip",
                "nprs_now": 3,
                "nprs_worst_7d": 6,
                "nprs_during_run": 4,
                "pain_pattern": "with_loading",
                "night_pain": "lying_on_side",
                "onset_mode": "gradual",
                "history": "Gradual lateral hip pain since adding hill reps; worse on stairs and lying on that side.",
                "aggravating": "Stairs; lying on the painful side; crossing legs",
                "easing": "Rest",
                "runs_per_week": 4,
                "weekly_km": D(42),
                "weekly_km_earlier": D(30),
                "goals": "Half marathon in spring",
                "red_flags_reviewed": True,
            },
            {
                "single_leg_stance": {
                    (side,): _sls("18.0", "drops_lt_2cm", pain=3, closed="4.5"),
                    (other,): _sls("39.0", "rises_or_level", closed="9.0"),
                },
                "muscle_length": _length(side, "ober", pain=False),
                "single_leg_squat": {
                    (side,): _squat(("weight_transfer", "lumbopelvic_alignment", "leg_alignment")),
                    (other,): _squat(()),
                },
                "strength": {
                    ("hip_abductors", side): _hhd(130 + wobble, "4-", pain=2),
                    ("hip_abductors", other): _hhd(165, "5"),
                    ("hip_extensors", side): {"mmt_grade": "4"},
                    ("hip_extensors", other): {"mmt_grade": "5"},
                },
                "rom": _rom(side, common_rom, common_rom),
                "special": {
                    ("faber", side): {"result": "positive", "pain_site": "lateral hip", "pain_nprs": 3},
                    ("faber", other): {"result": "negative"},
                    ("fadir", side): {"result": "negative"},
                    ("jog", side): {"completed": True, "pain_nprs": 2},
                    ("step_up", side): {"completed": True, "pain_nprs": 3, "familiar_pain": True},
                    ("step_up", other): {"completed": True, "pain_nprs": 0},
                    ("lunge", side): {"completed": True, "pain_nprs": 2},
                    **_hop(side, (118, 124, 121), (146, 150, 149)),
                },
                "palpation": {
                    ("greater_trochanter", side): {"tenderness": "moderate", "familiar_pain": True},
                    ("greater_trochanter", other): {"tenderness": "none"},
                },
                "observation": {
                    (): {
                        "posture": "leaning_back",
                        "leg_length_diff_cm": D("0.5"),
                        "leg_length_shorter_side": other,
                        "leg_length_method": "true",
                        "c_sign": "negative",
                        "crossover_gait": True,
                        "pelvic_drop": True,
                        "cadence_spm": 162,
                        "foot_strike": "rearfoot",
                        "barefoot_in_shorts": True,
                    }
                },
            },
            ("glutes_weak", "training_load", "running_form"),
            "Load management: keep easy runs, drop hills for 2 weeks. Isometric then isotonic abductor loading; "
            "avoid crossing legs and lying on the painful side. Review in 1 week.",
        ),
        "ITBS": Picture(
            "ITBS",
            side,
            {
                "pain_location": f"Outside of the {side} thigh and knee",
                "nprs_now": 1,
                "nprs_worst_7d": 5,
                "nprs_during_run": 5,
                "pain_pattern": "with_loading",
                "onset_mode": "gradual",
                "history": "Pain after 8 km on long runs, worse downhill and on cambered roads.",
                "aggravating": "Long runs; downhill",
                "runs_per_week": 5,
                "weekly_km": D(55),
                "weekly_km_earlier": D(40),
            },
            {
                "strength": {
                    ("hip_abductors", side): _hhd(142 + wobble, "4+"),
                    ("hip_abductors", other): _hhd(166, "5"),
                },
                "muscle_length": _length(side, "ober"),
                "special": {
                    ("jog", side): {"completed": True, "pain_nprs": 3},
                    ("jog", other): {"completed": True, "pain_nprs": 0},
                },
                "palpation": {("itb", side): {"tenderness": "moderate", "familiar_pain": True}},
                "single_leg_squat": {
                    (side,): _squat(("leg_alignment", "foot_alignment")),
                    (other,): _squat(()),
                },
            },
            ("training_load", "surface", "glutes_weak"),
            "Cut mileage 30–50 % for 2 weeks, flat routes; hip abductor strength; cadence +5 %.",
            severity="mild",
            irritability="low",
        ),
        "HIP_FLEXOR": Picture(
            "HIP_FLEXOR",
            side,
            {
                "pain_location": f"Front of the {side} hip",
                "nprs_now": 2,
                "nprs_worst_7d": 5,
                "onset_mode": "gradual",
                "history": "Front-of-hip pain lifting the knee, started with uphill sprints.",
                "aggravating": "Uphill; sprints",
                "runs_per_week": 3,
                "weekly_km": D(30),
            },
            {
                "strength": {
                    ("hip_flexors", side): _hhd(150 + wobble, "4", position="seated", lever="0.38", pain=3),
                    ("hip_flexors", other): _hhd(182, "5", position="seated", lever="0.38"),
                },
                "muscle_length": {**_length(side, "thomas"), **_length(side, "hamstring_90_90", pain=False)},
                "special": {
                    ("lunge", side): {"completed": True, "pain_nprs": 3, "familiar_pain": True},
                    ("resisted_slr", side): {"result": "positive", "pain_nprs": 4, "familiar_pain": True},
                },
                "palpation": {("iliopsoas", side): {"tenderness": "mild"}},
            },
            ("tight_hip_flexors", "prolonged_sitting"),
            "No sprints or hills for 3 weeks; hip flexor isometrics, stretch after desk days.",
        ),
        "FAI_CAM": Picture(
            "FAI_CAM",
            side,
            {
                "pain_location": f"Deep {side} groin",
                "nprs_now": 2,
                "nprs_worst_7d": 6,
                "onset_mode": "gradual",
                "history": "Pinching groin pain in deep squats and getting out of the car; occasional click.",
                "aggravating": "Deep squat; sitting low",
                "runs_per_week": 3,
                "weekly_km": D(25),
            },
            {
                "rom": _rom(
                    side,
                    {"flexion": 100, "internal_rotation": 18},
                    {"flexion": 118, "internal_rotation": 34},
                    pain=("flexion", "internal_rotation"),
                ),
                "special": {
                    ("fadir", side): {"result": "positive", "pain_nprs": 5, "familiar_pain": True},
                    ("fadir", other): {"result": "negative"},
                    ("log_roll", side): {"result": "negative"},
                },
                "double_leg_squat": {(): {"depth": "partial", "pelvic_tilt": True, "pain_nprs": 4}},
                "observation": {(): {"c_sign": "positive", "posture": "upright", "barefoot_in_shorts": True}},
            },
            ("running_form",),
            "Avoid deep flexion loading; hip strength in mid-range; X-ray if not settling in 6 weeks.",
            certainty="provisional",
        ),
        "HAMSTRING": Picture(
            "HAMSTRING",
            side,
            {
                "pain_location": f"Under the {side} sit bone",
                "nprs_now": 2,
                "nprs_worst_7d": 5,
                "onset_mode": "gradual",
                "history": "Buttock pain with speed work and long sitting.",
                "aggravating": "Speed work; sitting",
                "runs_per_week": 4,
                "weekly_km": D(38),
            },
            {
                "strength": {
                    ("hamstrings", side): _hhd(170 + wobble, "4", position="prone", lever="0.40", pain=2),
                    ("hamstrings", other): _hhd(205, "5", position="prone", lever="0.40"),
                },
                "palpation": {
                    ("ischial_tuberosity", side): {"tenderness": "moderate", "familiar_pain": True}
                },
                "muscle_length": _length(side, "hamstring_90_90"),
            },
            ("training_load", "prolonged_sitting"),
            "Isometric hamstring loading, no speed work for 4 weeks; cushion for sitting.",
        ),
        "BSI_FEM_NECK": Picture(
            "BSI_FEM_NECK",
            side,
            {
                "pain_location": f"Front of the {side} hip and groin",
                "nprs_now": 4,
                "nprs_worst_7d": 7,
                "nprs_during_run": 7,
                "pain_pattern": "with_loading",
                "night_pain": "wakes",
                "onset_mode": "gradual",
                "history": "Groin pain coming on earlier in each run over 3 weeks; now aches at night. Mileage up 40 %.",
                "aggravating": "Running; hopping",
                "runs_per_week": 6,
                "weekly_km": D(70),
                "weekly_km_earlier": D(50),
                "red_flags_reviewed": True,
                "red_flag_notes": "Bone stress screen positive: stop running, MRI.",
            },
            {
                "special": {
                    ("hop", side): {
                        "performed": False,
                        "not_performed_reason": "contraindicated",
                        "notes": "Bone stress suspected",
                    },
                    ("jump", side): {"performed": False, "not_performed_reason": "contraindicated"},
                    ("jog", side): {"performed": False, "not_performed_reason": "contraindicated"},
                    ("step_up", side): {"completed": True, "pain_nprs": 3},
                    ("fulcrum", side): {"result": "negative"},
                    ("fadir", side): {"result": "positive", "pain_nprs": 4},
                },
                "rom": _rom(
                    side, {"internal_rotation": 26}, {"internal_rotation": 36}, pain=("internal_rotation",)
                ),
                "observation": {(): {"posture": "upright", "barefoot_in_shorts": True, "cadence_spm": 158}},
            },
            ("training_load", "overtraining_reds"),
            "Stop running now; walking only if pain-free; crutches if limping. Urgent MRI via sports physician.",
            severity="severe",
            irritability="high",
            certainty="provisional",
        ),
    }


DEMO_INTERNAL_NOTE = "Clinic only: anxious about body weight; watch for RED-S before raising it."


def _changes(picture: Picture, *, weight: Decimal) -> DraftChanges:
    return DraftChanges(
        header={
            "index_side": picture.side,
            "body_weight_kg": weight,
            "severity": picture.severity,
            "irritability": picture.irritability,
            "plan": picture.plan,
            "pain_rest_nprs": 1,
            "pain_provocative_nprs": 5,
            # For the clinic only: the letters and the patient's sheet never print it.
            "internal_notes": DEMO_INTERNAL_NOTE,
        },
        subjective=picture.subjective,
        factors=list(picture.factors),
        impressions=[{"code": picture.code, "side": picture.side, "certainty": picture.certainty}],
        findings=picture.findings,
    )


def _record(appointment: Appointment, kind: str, changes: DraftChanges, *, sign: bool) -> Assessment:
    therapist = appointment.therapist.user
    assessment = assessment_start(
        patient=appointment.patient, therapist=therapist, appointment=appointment, kind=kind
    )
    assessment = assessment_save_draft(
        assessment=assessment,
        by=therapist,
        expected_version=assessment.version,
        changes=changes,
        now=appointment.ends_at,
    )
    at = {"created_at": appointment.starts_at, "updated_at": appointment.ends_at}
    if sign:
        problems = sign_problems(assessment)
        if problems:
            raise ValueError(f"demo assessment incomplete: {problems}")
        # Signed when the visit ended (the service would stamp "now"); allowed while still a draft.
        at.update(
            status=AssessmentStatus.SIGNED,
            signed_by=therapist,
            signed_at=appointment.ends_at,
            version=assessment.version + 1,
        )
    Assessment.objects.filter(pk=assessment.pk).update(**at)
    assessment.refresh_from_db()
    return assessment


def _completed(patient: Patient, kind: str) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(
            patient=patient, status=AppointmentStatus.COMPLETED, appointment_type__kind=kind
        )
        .select_related("therapist__user", "patient")
        .order_by("starts_at")
    )


def load(*, now: datetime | None = None) -> int:
    """Give the in-treatment demo patients their assessments; returns how many were made."""
    now = now or timezone.now()
    evaluations = (
        Appointment.objects.filter(
            status=AppointmentStatus.COMPLETED, appointment_type__kind=VisitKind.INITIAL_EVALUATION
        )
        .select_related("patient", "therapist__user")
        .order_by("patient__last_name", "patient_id")
    )
    made = 0
    reassessed = drafted = False
    order = ["BSI_FEM_NECK", "GTPS_GLUT_TEND", "ITBS", "HIP_FLEXOR", "FAI_CAM", "HAMSTRING"]
    for index, evaluation in enumerate(evaluations):
        patient = evaluation.patient
        if Assessment.objects.filter(patient=patient).exists():
            continue
        rng = random.Random(patient.pk)  # noqa: S311 -- deterministic fake data
        side = "right" if index % 3 else "left"
        code = order[index % len(order)]
        picture = _pictures(side, rng)[code]
        weight = D(52 + rng.randint(0, 30))
        initial = _record(evaluation, AssessmentKind.INITIAL, _changes(picture, weight=weight), sign=True)
        made += 1
        if code == "BSI_FEM_NECK":
            imaging_order_create(
                assessment=initial,
                by=evaluation.therapist.user,
                modality="MRI",
                region="hip",
                side=side,
                indication="suspected_bsi",
                urgency="urgent",
                route="referred_to_sports_physician",
                indication_detail="Groin pain with impact, earlier in each run, night pain; weekly km up 40 %.",
                question="Femoral neck bone stress injury? Grade if present.",
            )
            continue
        follow_ups = list(_completed(patient, VisitKind.FOLLOW_UP))
        if not reassessed and code == "GTPS_GLUT_TEND" and len(follow_ups) >= 3:
            better = _pictures(side, rng)["GTPS_GLUT_TEND"]
            findings = {
                **better.findings,
                "strength": {
                    ("hip_abductors", side): _hhd(150, "4+"),
                    ("hip_abductors", _other(side)): _hhd(163, "5"),
                },
                "single_leg_stance": {
                    (side,): _sls("31.0", "rises_or_level", closed="7.5"),
                    (_other(side),): _sls("40.0", "rises_or_level", closed="9.5"),
                },
                "muscle_length": {
                    ("ober", side): {"rating": "normal"},
                    ("ober", _other(side)): {"rating": "normal"},
                },
                "special": {
                    **better.findings["special"],
                    ("step_up", side): {"completed": True, "pain_nprs": 0},
                    ("lunge", side): {"completed": True, "pain_nprs": 1},
                    **_hop(side, (136, 140, 141), (148, 150, 147)),
                },
                "single_leg_squat": {(side,): _squat(("leg_alignment",)), (_other(side),): _squat(())},
            }
            better = replace(
                better,
                findings=findings,
                severity="mild",
                irritability="low",
                plan="Progress to heavy strength; start the walk-run ladder.",
            )
            changes = _changes(better, weight=weight)
            changes.subjective = {**better.subjective, "nprs_now": 1, "nprs_worst_7d": 3}
            changes.header["pain_provocative_nprs"] = 2
            _record(follow_ups[-1], AssessmentKind.REASSESSMENT, changes, sign=True)
            reassessed = True
            made += 1
        elif not drafted and follow_ups:
            changes = DraftChanges(
                header={"index_side": side},
                subjective={"nprs_now": 2},
                findings={"strength": {("hip_abductors", side): {"mmt_grade": "4"}}},
            )
            draft = _record(follow_ups[-1], AssessmentKind.REASSESSMENT, changes, sign=False)
            Assessment.objects.filter(pk=draft.pk).update(updated_at=now - timedelta(days=2))
            drafted = True
            made += 1
    return made
