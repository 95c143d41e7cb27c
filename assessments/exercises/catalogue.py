"""The seed exercise catalogue (domain.md §8.5) as data.

Every exercise named in domain.md §8.5 and the seed articles S0–S4.
Doses are † clinic defaults that the therapist edits per patient; the
instructions are our own plain-language wording of the seeds' descriptions.

Categories are the clinic's own. domain.md §8.5 uses a few more kinds, mapped here
and kept in `kind_note`: core → motor_control, eccentric → strength, warm-up,
recovery and neural → mobility, cross-training → cardio_cross_training.

Rows that domain.md lumps together but a patient does as different movements
get one entry each: "monster / lateral band walk" is MONSTER_WALK and
BAND_WALK; the lunge variants are LUNGE, LUNGE_WALKING and LUNGE_SLOW; XTRAIN
is split into XTRAIN_CYCLE, XTRAIN_SWIM, XTRAIN_POOL_RUN, XTRAIN_PILATES and
XTRAIN_ROW. DEEP_SQUAT, DEEP_LUNGE, PIGEON_POSE, KNEES_TO_CHEST and HILL_SPRINT
are here mainly so the §8.5 contraindication defaults have something to warn
on when a therapist prescribes them.

Pure data and lookups: no Django, no database. Bad input raises ValueError.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from assessments.record.bone_stress import BONE_STRESS_CODES

Category = Literal["strength", "mobility", "motor_control", "plyometric", "cardio_cross_training"]

CATEGORIES: tuple[Category, ...] = (
    "strength",
    "mobility",
    "motor_control",
    "plyometric",
    "cardio_cross_training",
)

# Impression codes of domain.md §6 that carry contraindication defaults (§8.5).
FAI_LABRAL: tuple[str, ...] = ("FAI_CAM", "FAI_PINCER", "FAI_MIXED", "LABRAL")
BONE_STRESS: tuple[str, ...] = BONE_STRESS_CODES
HIP_OA: tuple[str, ...] = ("HIP_OA",)
CONTRAINDICATION_CODES: frozenset[str] = frozenset(FAI_LABRAL + BONE_STRESS + HIP_OA)

_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")

# Plausibility bounds for the default dose (validation, not clinical norms).
MAX_SETS = 10
MAX_REPS = 50
MAX_HOLD_S = 300
MAX_DISTANCE_M = 200


def _positive_int(value: object, name: str, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise ValueError(f"{name} must be a whole number from 1 to {high}, got {value!r}")


@dataclass(frozen=True, kw_only=True)
class ExerciseSpec:
    """One catalogue exercise with its † default dose.

    The dose is `default_sets` × one of `default_reps`, `default_hold_s` or
    `default_distance_m` (at most one is set); when none is set the dose is
    described in `load_note` alone (cross-training minutes, plyometric foot
    contacts). `per_side` means the dose is done on each side.
    """

    code: str
    name: str
    category: Category
    target_area: str
    default_sets: int | None
    default_reps: int | None = None
    default_hold_s: int | None = None
    default_distance_m: int | None = None
    per_side: bool = False
    load_note: str
    frequency_per_week: int
    instructions: str
    contraindicated_for: tuple[str, ...] = ()
    source: str
    kind_note: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _CODE_RE.match(self.code):
            raise ValueError(f"code must be uppercase snake case, got {self.code!r}")
        for field in ("name", "target_area", "load_note", "instructions", "source", "kind_note"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{self.code}: {field} must be non-empty text")
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.code}: unknown category {self.category!r}")
        amounts = {
            "default_reps": (self.default_reps, MAX_REPS),
            "default_hold_s": (self.default_hold_s, MAX_HOLD_S),
            "default_distance_m": (self.default_distance_m, MAX_DISTANCE_M),
        }
        given = [name for name, (value, _) in amounts.items() if value is not None]
        if len(given) > 1:
            raise ValueError(f"{self.code}: set only one of {given}")
        for name, (value, high) in amounts.items():
            if value is not None:
                _positive_int(value, f"{self.code}: {name}", high)
        if self.default_sets is not None:
            _positive_int(self.default_sets, f"{self.code}: default_sets", MAX_SETS)
            if not given:
                raise ValueError(f"{self.code}: default_sets needs reps, a hold or a distance")
        if not isinstance(self.per_side, bool):
            raise ValueError(f"{self.code}: per_side must be a bool")
        _positive_int(self.frequency_per_week, f"{self.code}: frequency_per_week", 7)
        if not isinstance(self.contraindicated_for, tuple):
            raise ValueError(f"{self.code}: contraindicated_for must be a tuple")
        unknown = [c for c in self.contraindicated_for if c not in CONTRAINDICATION_CODES]
        if unknown:
            raise ValueError(f"{self.code}: unknown impression codes {unknown}")
        if len(set(self.contraindicated_for)) != len(self.contraindicated_for):
            raise ValueError(f"{self.code}: contraindicated_for lists a code twice")

    @property
    def dose_text(self) -> str:
        """Return the default dose as the patient reads it: "3 × 15 per side", "2 × 30 s"."""
        if self.default_reps is not None:
            amount = str(self.default_reps)
        elif self.default_hold_s is not None:
            amount = f"{self.default_hold_s} s"
        elif self.default_distance_m is not None:
            amount = f"{self.default_distance_m} m"
        else:
            return self.load_note
        text = f"{self.default_sets} × {amount}" if self.default_sets is not None else amount
        return f"{text} per side" if self.per_side else text


CATALOGUE: tuple[ExerciseSpec, ...] = (
    # --- Strength: foundation (phase 2) -----------------------------------
    ExerciseSpec(
        code="BRIDGE",
        name="Glute bridge",
        category="strength",
        target_area="Glute max, hamstrings",
        default_sets=3,
        default_reps=12,
        load_note="Bodyweight; add a band above the knees or a weight on the hips when easy.",
        frequency_per_week=2,
        instructions=(
            "Lie on your back with your knees bent and feet flat, hip-width apart. "
            "Squeeze your buttocks and lift your hips until your shoulders, hips and knees form a "
            "straight line, without arching your lower back. "
            "Pause for a second at the top, then lower slowly."
        ),
        source="[S2][S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="SL_BRIDGE",
        name="Single-leg bridge",
        category="strength",
        target_area="Glute max, hamstrings (one side at a time)",
        default_sets=3,
        default_reps=12,
        per_side=True,
        load_note="Bodyweight; progress from the two-leg glute bridge.",
        frequency_per_week=2,
        instructions=(
            "Set up as for a glute bridge, then straighten one leg or hold that knee toward your chest. "
            "Push through the heel of the bent leg to lift your hips, keeping your pelvis level so "
            "neither side drops. "
            "Lower slowly and finish all the reps before you swap legs."
        ),
        source="[S2][S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="CLAM",
        name="Clamshell",
        category="strength",
        target_area="Glute med, deep hip rotators",
        default_sets=3,
        default_reps=15,
        per_side=True,
        load_note="Bodyweight; loop a band just above the knees for more load.",
        frequency_per_week=2,
        instructions=(
            "Lie on your side with your hips and knees bent, feet together and hips stacked. "
            "Keeping your feet touching, lift your top knee like a shell opening, without letting "
            "your top hip roll backward. "
            "Lower slowly, and add a band above your knees when it feels easy."
        ),
        source="[S2][S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="SL_ABD",
        name="Side-lying hip abduction (side-lying leg raise)",
        category="strength",
        target_area="Glute med and min (lateral hip)",
        default_sets=3,
        default_reps=12,
        per_side=True,
        load_note="Bodyweight; ankle weight or band when easy.",
        frequency_per_week=2,
        instructions=(
            "Lie on your side with the bottom knee bent for balance and the top leg straight in line "
            "with your body. "
            "Lift the top leg toward the ceiling, leading with your heel and keeping your toes "
            "pointing forward, then lower it slowly. "
            "Keep your hips stacked and the leg slightly behind your body rather than drifting forward."
        ),
        source="[S2][S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="BAND_WALK",
        name="Lateral band walk (crab walk)",
        category="strength",
        target_area="Glute med (lateral hip)",
        default_sets=3,
        default_distance_m=10,
        load_note="Band above the knees; move it to the ankles for more load.",
        frequency_per_week=2,
        instructions=(
            "Put a band around your legs just above the knees, stand with your feet hip-width apart "
            "and bend your hips and knees slightly. "
            "Step sideways while keeping tension on the band, your toes pointing forward and your "
            "pelvis level. "
            "Cover the distance one way, then lead with the other leg on the way back."
        ),
        source="[S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="MONSTER_WALK",
        name="Monster walk",
        category="strength",
        target_area="Glute med and max",
        default_sets=3,
        default_distance_m=10,
        load_note="Band above the knees; move it to the ankles for more load.",
        frequency_per_week=2,
        instructions=(
            "With a band around your legs above the knees, sit back into a shallow half-squat. "
            "Walk forward with wide diagonal steps, keeping tension on the band and your knees in "
            "line with your toes. "
            "Keep your trunk steady and do not let your knees fall inward."
        ),
        source="[S4]",
        kind_note="strength",
    ),
    # --- Strength: heavy and functional (phase 3) --------------------------
    ExerciseSpec(
        code="SQUAT",
        name="Squat (bodyweight to weighted)",
        category="strength",
        target_area="Quads, glutes",
        default_sets=3,
        default_reps=10,
        load_note="Bodyweight first; the therapist adds a dumbbell or barbell as it gets easy.",
        frequency_per_week=2,
        instructions=(
            "Stand with your feet about shoulder-width apart and your toes turned slightly out. "
            "Sit your hips back and down as if onto a chair, keeping your chest up and your knees "
            "over your toes, then push through your whole foot to stand. "
            "Only go as deep as feels comfortable in your hip."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="DEEP_SQUAT",
        name="Deep squat",
        category="strength",
        target_area="Quads, glutes, hip mobility",
        default_sets=3,
        default_reps=10,
        load_note="Bodyweight; hold a support if needed. Avoid with impingement or a labral tear.",
        frequency_per_week=2,
        instructions=(
            "Stand with your feet a little wider than shoulder-width and lower your hips below knee "
            "height, keeping your heels down and your chest up. "
            "Hold a support if you need to, and push back up through your whole foot. "
            "Skip this one if it causes a pinch at the front of your hip."
        ),
        contraindicated_for=FAI_LABRAL,
        source="[S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="SL_SQUAT",
        name="Single-leg squat",
        category="strength",
        target_area="Glutes, quads, hip control",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Bodyweight; hold a support at first.",
        frequency_per_week=2,
        instructions=(
            "Stand on one leg near a wall or chair, with the other foot just off the floor. "
            "Bend your standing hip and knee to lower slowly, keeping the knee in line with your "
            "second toe and your pelvis level, then push back up. "
            "Only go as low as you can keep that alignment."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="STEP_DOWN",
        name="Step-down",
        category="strength",
        target_area="Quads, glute med, knee and hip control",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Start on a low step and raise the height as control improves.",
        frequency_per_week=2,
        instructions=(
            "Stand on one leg on the edge of a low step, with the other leg hanging off the front. "
            "Bend your standing knee slowly to lower the free heel until it lightly touches the "
            "floor, keeping the knee over your toes and your hips level. "
            "Push back up through the standing leg."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="SPLIT_SQUAT",
        name="Split squat",
        category="strength",
        target_area="Quads, glutes",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Bodyweight, then dumbbells in each hand.",
        frequency_per_week=2,
        instructions=(
            "Stand in a long stride with one foot forward and the back heel lifted. "
            "Lower straight down until the back knee nearly touches the floor, keeping your front "
            "knee over your ankle and your trunk upright, then push up through the front foot. "
            "Do all the reps on one side before you swap."
        ),
        source="[S3]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="LUNGE",
        name="Lunge",
        category="strength",
        target_area="Quads, glutes, hip flexors",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Bodyweight, then dumbbells. Keep the depth comfortable.",
        frequency_per_week=2,
        instructions=(
            "From standing, take a long step forward and lower your back knee toward the floor, "
            "keeping the front knee over your ankle. "
            "Push through the front heel to come back to standing. "
            "Keep your trunk tall and only go as deep as feels comfortable in your hip."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="LUNGE_WALKING",
        name="Walking lunge",
        category="strength",
        target_area="Quads, glutes, hip flexors",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Bodyweight; a few easy ones also make a pre-run warm-up.",
        frequency_per_week=2,
        instructions=(
            "Step forward into a lunge, then drive up and bring the back leg straight through into "
            "the next lunge. "
            "Keep your steps in line, your trunk upright and your front knee over your toes. "
            "Done lightly, this also makes a good warm-up before a run."
        ),
        source="[S3]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="LUNGE_SLOW",
        name="Slow-lowering lunge",
        category="strength",
        target_area="Hip flexors, quads (eccentric)",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Take 3–4 s to lower; start once pain has settled.",
        frequency_per_week=2,
        instructions=(
            "Step into a lunge position and take three to four seconds to lower your back knee "
            "toward the floor. "
            "Push back up at normal speed, keeping your trunk upright and your front knee over your toes. "
            "The slow lowering is what strengthens the hip flexor tendon, so do not rush it."
        ),
        source="[S4]",
        kind_note="eccentric",
    ),
    ExerciseSpec(
        code="STEP_UP",
        name="Step-up (forward, side, backward)",
        category="strength",
        target_area="Quads, glutes",
        default_sets=3,
        default_reps=10,
        per_side=True,
        load_note="Low step first; raise the height or hold dumbbells to progress.",
        frequency_per_week=2,
        instructions=(
            "Place one foot on a step and push through that heel to stand up onto it, keeping the "
            "knee in line with your toes and your pelvis level. "
            "Lower yourself back down slowly. "
            "As it gets easier, step up from the front, from the side and backward."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="SL_RDL",
        name="Single-leg deadlift",
        category="strength",
        target_area="Glute max, hamstrings, balance",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="Bodyweight with a support, then a dumbbell in the opposite hand.",
        frequency_per_week=2,
        instructions=(
            "Stand on one leg with a soft knee, holding a wall or chair if you need to. "
            "Hinge forward at the hip and let the free leg reach back, keeping your back flat and "
            "your hips square, until you feel a stretch behind the thigh. "
            "Squeeze your buttock to return to standing."
        ),
        source="[S2][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="HIP_THRUST",
        name="Hip thrust (to single-leg)",
        category="strength",
        target_area="Glute max",
        default_sets=3,
        default_reps=10,
        load_note="Bodyweight, then a weight on the hips, then single-leg.",
        frequency_per_week=2,
        instructions=(
            "Sit on the floor with your upper back against a bench or sofa, knees bent and feet flat. "
            "Drive through your heels to lift your hips until your thighs line up with your body, "
            "squeezing your buttocks without arching your back. "
            "Lower slowly; progress with a weight on your hips or by using one leg."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="DEADLIFT",
        name="Deadlift progression",
        category="strength",
        target_area="Glutes, hamstrings, back",
        default_sets=3,
        default_reps=8,
        load_note="Light Romanian deadlift first; the therapist progresses the load.",
        frequency_per_week=2,
        instructions=(
            "Stand with your feet hip-width apart holding a weight in front of your thighs. "
            "Push your hips back and lower the weight along your legs with a flat back and soft "
            "knees, then drive your hips forward to stand tall. "
            "Your therapist will progress the weight and the version as you get stronger."
        ),
        source="[S3][S4]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="SLIDERS",
        name="Slider lunge",
        category="strength",
        target_area="Glutes, quads, adductors",
        default_sets=3,
        default_reps=8,
        per_side=True,
        load_note="A slider, towel or paper plate on a smooth floor.",
        frequency_per_week=2,
        instructions=(
            "Stand with one foot on a slider or towel on a smooth floor. "
            "Slide that foot back into a reverse lunge while bending the front knee and keeping your "
            "weight on the front foot, then pull the foot back in to stand. "
            "Keep the front knee over your toes and move smoothly."
        ),
        source="[S3]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="CALF_RAISE",
        name="Calf raise (straight and bent knee)",
        category="strength",
        target_area="Calf (gastrocnemius and soleus)",
        default_sets=3,
        default_reps=15,
        load_note="The dose is for each position, straight knee and bent knee; add weight, then go single-leg.",
        frequency_per_week=2,
        instructions=(
            "Stand on the edge of a step holding a support, rise onto your toes, then lower your heels "
            "slowly below the step. "
            "Do your sets with straight knees, then the same with your knees bent to work the deeper "
            "calf muscle. "
            "Hold a weight or use one leg when it gets easy."
        ),
        source="[S3]",
        kind_note="strength",
    ),
    ExerciseSpec(
        code="NORDIC",
        name="Nordic hamstring curl",
        category="strength",
        target_area="Hamstrings (eccentric)",
        default_sets=3,
        default_reps=5,
        load_note="Start with a small range; progress only with no pain the next day.",
        frequency_per_week=2,
        instructions=(
            "Kneel on a soft mat with your ankles held under a heavy sofa or by a partner. "
            "Keeping your body straight from knees to head, lean forward as slowly as you can while "
            "your hamstrings resist, and catch yourself on your hands. "
            "Push back up with your hands and keep the range small at first."
        ),
        source="[S4]",
        kind_note="eccentric",
    ),
    ExerciseSpec(
        code="SLED",
        name="Sled push and pull",
        category="strength",
        target_area="Glutes, quads, calves (resisted running)",
        default_sets=4,
        default_distance_m=20,
        load_note="Gym sled; start light.",
        frequency_per_week=1,
        instructions=(
            "Lean into a weighted sled with straight arms and drive it forward in short, strong steps, "
            "keeping your trunk in a straight line. "
            "For the pull, face the sled holding its straps and walk backward with small steps. "
            "Start light and stop if your hip pain rises."
        ),
        source="[S3]",
        kind_note="strength",
    ),
    # --- Motor control (domain.md "core") ---------------------------------
    ExerciseSpec(
        code="PLANK",
        name="Plank",
        category="motor_control",
        target_area="Core, glutes",
        default_sets=3,
        default_hold_s=30,
        load_note="From the knees first if needed; progress the hold time.",
        frequency_per_week=2,
        instructions=(
            "Rest on your forearms and toes with your elbows under your shoulders. "
            "Brace your stomach and squeeze your buttocks so your body is a straight line from head "
            "to heels, without your hips sagging or lifting. "
            "Breathe normally, and drop to your knees if you cannot keep the line."
        ),
        source="[S2][S3][S4]",
        kind_note="core",
    ),
    ExerciseSpec(
        code="SIDE_PLANK",
        name="Side plank",
        category="motor_control",
        target_area="Lateral core, glute med",
        default_sets=3,
        default_hold_s=30,
        per_side=True,
        load_note="Knees bent to make it easier; feet stacked to progress.",
        frequency_per_week=2,
        instructions=(
            "Lie on your side with your elbow under your shoulder and your legs straight. "
            "Lift your hips so your body is a straight line from head to feet, and hold without "
            "letting your hips drop or roll. "
            "Bend your knees to make it easier."
        ),
        source="[S2][S3][S4]",
        kind_note="core",
    ),
    ExerciseSpec(
        code="BIRD_DOG",
        name="Bird dog",
        category="motor_control",
        target_area="Core, glutes, lower back",
        default_sets=3,
        default_reps=10,
        per_side=True,
        load_note="Bodyweight; slow and controlled.",
        frequency_per_week=2,
        instructions=(
            "Start on your hands and knees with your hands under your shoulders and knees under your hips. "
            "Slowly reach one arm forward and the opposite leg back until both are level with your "
            "body, keeping your back flat and your hips level. "
            "Pause, come back, and swap sides."
        ),
        source="[S2][S4]",
        kind_note="core",
    ),
    ExerciseSpec(
        code="ANTI_ROT",
        name="Pallof press (anti-rotation press)",
        category="motor_control",
        target_area="Core (anti-rotation), hip stability",
        default_sets=3,
        default_reps=10,
        per_side=True,
        load_note="Light band or cable; increase the tension as control improves.",
        frequency_per_week=2,
        instructions=(
            "Stand side-on to a band or cable fixed at chest height, holding the handle at your "
            "chest with both hands. "
            "Press your hands straight out and hold for a moment, resisting the pull so your trunk "
            "and hips do not twist. "
            "Bring your hands back to your chest with control."
        ),
        source="[S2]",
        kind_note="core",
    ),
    ExerciseSpec(
        code="SL_BALANCE",
        name="Single-leg balance (single-leg stand)",
        category="motor_control",
        target_area="Hip and pelvic stability, balance",
        default_sets=3,
        default_hold_s=30,
        per_side=True,
        load_note="Eyes open, then eyes closed or on a cushion.",
        frequency_per_week=5,
        instructions=(
            "Stand on one leg near a wall or counter, with the other foot just off the floor. "
            "Keep your pelvis level and your knee soft and in line with your toes, and hold steady. "
            "Make it harder by closing your eyes or standing on a cushion when your therapist says so."
        ),
        source="[S0][S4]",
        kind_note="balance",
    ),
    # --- Plyometric ---------------------------------------------------------
    ExerciseSpec(
        code="PLYO",
        name="Hops, bounding and jump squats (plyometrics)",
        category="plyometric",
        target_area="Impact tolerance, calves, quads, glutes",
        default_sets=None,
        load_note="Dose in foot contacts per session, starting low; only once cleared for impact.",
        frequency_per_week=2,
        instructions=(
            "Only start these when your therapist has cleared you for impact. "
            "Begin with small two-footed hops on the spot, then progress to jump squats, bounding "
            "strides and single-leg hops, landing softly with your knees over your toes. "
            "Count your foot contacts and stop if you feel pain in your hip."
        ),
        contraindicated_for=BONE_STRESS,
        source="[S3][S4]",
        kind_note="plyometric",
    ),
    ExerciseSpec(
        code="HILL_SPRINT",
        name="Hill sprints",
        category="plyometric",
        target_area="Running power, glutes, hip flexors",
        default_sets=6,
        default_distance_m=50,
        load_note="Walk back down to recover; only in the hills stage of the return-to-run ladder.",
        frequency_per_week=1,
        instructions=(
            "Only do these once your therapist has cleared you for hills in your return to running. "
            "Warm up well, then run uphill fast but relaxed for the set distance and walk back down "
            "to recover. "
            "Stop if you feel hip pain."
        ),
        contraindicated_for=FAI_LABRAL + BONE_STRESS,
        source="[S4]",
        kind_note="running drill",
    ),
    # --- Mobility -----------------------------------------------------------
    ExerciseSpec(
        code="STR_HIP_FLEX",
        name="Hip flexor stretch",
        category="mobility",
        target_area="Hip flexors (iliopsoas), quads",
        default_sets=2,
        default_hold_s=60,
        per_side=True,
        load_note="Hold up to 60 s, ideally after a run.",
        frequency_per_week=5,
        instructions=(
            "Kneel on one knee on a cushion with the other foot flat in front of you. "
            "Tuck your tailbone under and gently shift your hips forward until you feel a stretch at "
            "the front of the kneeling hip, without arching your lower back. "
            "Hold and breathe slowly."
        ),
        source="[S2][S3]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="STR_PIRI",
        name="Figure-4 stretch (piriformis stretch)",
        category="mobility",
        target_area="Piriformis, deep gluteal muscles",
        default_sets=2,
        default_hold_s=30,
        per_side=True,
        load_note="Gentle stretch only.",
        frequency_per_week=5,
        instructions=(
            "Lie on your back with both knees bent and rest one ankle across the other knee to make "
            "a figure 4. "
            "Hold behind the thigh of the bottom leg and draw it gently toward your chest until you "
            "feel a stretch deep in the buttock of the crossed leg. "
            "Ease off if you feel tingling down the leg."
        ),
        source="[S2][S4]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="STR_ITB",
        name="Standing crossover stretch (ITB / outer hip)",
        category="mobility",
        target_area="Outer hip, TFL, ITB region",
        default_sets=2,
        default_hold_s=30,
        per_side=True,
        load_note="Gentle stretch only.",
        frequency_per_week=5,
        instructions=(
            "Stand side-on to a wall and cross the leg nearest the wall behind your other leg. "
            "Lean your hips gently toward the wall until you feel a stretch along the outside of "
            "that hip. "
            "Hold, then turn around and do the other side."
        ),
        source="[S4]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="HAPPY_BABY",
        name="Happy Baby",
        category="mobility",
        target_area="Hips, inner thighs, lower back",
        default_sets=2,
        default_hold_s=30,
        load_note="Ease off if it pinches at the front of the hip.",
        frequency_per_week=5,
        instructions=(
            "Lie on your back, bring your knees toward your armpits and hold the outside of your "
            "feet or your ankles, soles facing the ceiling. "
            "Gently draw your knees down toward the floor and let your lower back relax. "
            "Ease off if you feel a pinch at the front of your hip."
        ),
        source="[S0]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="CHILDS_POSE",
        name="Child's Pose",
        category="mobility",
        target_area="Hips, lower back",
        default_sets=2,
        default_hold_s=30,
        load_note="A cushion under the hips if sitting back is uncomfortable.",
        frequency_per_week=5,
        instructions=(
            "Kneel with your big toes together and your knees apart, then sit back toward your heels. "
            "Walk your hands forward and let your chest sink toward the floor, breathing slowly into "
            "your lower back and hips. "
            "Put a cushion under your hips if you cannot sit back comfortably."
        ),
        source="[S0]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="PIGEON_POSE",
        name="Pigeon pose",
        category="mobility",
        target_area="Glutes, deep hip rotators",
        default_sets=2,
        default_hold_s=30,
        per_side=True,
        load_note="Not for impingement, labral tear or hip OA unless the therapist says so.",
        frequency_per_week=3,
        instructions=(
            "From your hands and knees, bring one knee forward behind your wrist with the shin "
            "angled across your body, and slide the other leg straight back. "
            "Lower your hips gently until you feel a stretch in the buttock of the front leg, "
            "taking your weight on your hands. "
            "Stop if you feel a pinch in the front of your hip."
        ),
        contraindicated_for=FAI_LABRAL + HIP_OA,
        source="[S4]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="KNEES_TO_CHEST",
        name="Knees-to-chest stretch",
        category="mobility",
        target_area="Lower back, glutes",
        default_sets=2,
        default_hold_s=30,
        load_note="Not for impingement or labral tear: it takes the hip into the pinch position.",
        frequency_per_week=5,
        instructions=(
            "Lie on your back and hug both knees toward your chest with your hands behind your thighs. "
            "Hold gently while your lower back relaxes into the floor. "
            "Stop if you feel a pinch in the front of your hip."
        ),
        contraindicated_for=FAI_LABRAL,
        source="[S4]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="DEEP_LUNGE",
        name="Deep lunge stretch",
        category="mobility",
        target_area="Hip flexors, groin",
        default_sets=2,
        default_hold_s=30,
        per_side=True,
        load_note="Not for impingement, labral tear or hip OA: the deep position can irritate the joint.",
        frequency_per_week=3,
        instructions=(
            "Step one foot far forward, lower your back knee onto a cushion and sink your hips "
            "forward and down until you feel a stretch at the front of the back hip. "
            "Keep your front knee over your ankle and your trunk upright. "
            "Stop if you feel a pinch in the front of your hip."
        ),
        contraindicated_for=FAI_LABRAL + HIP_OA,
        source="[S4]",
        kind_note="mobility",
    ),
    ExerciseSpec(
        code="YOGA",
        name="Gentle yoga",
        category="mobility",
        target_area="Hips, hamstrings, trunk",
        default_sets=None,
        load_note="20–30 min class or routine; leave out deep hip-bending poses such as pigeon.",
        frequency_per_week=2,
        instructions=(
            "Follow a gentle yoga class or routine that works the hips, hamstrings and trunk. "
            "Move slowly into each pose and stay only where it feels like a comfortable stretch. "
            "Leave out deep hip-bending poses such as pigeon if your hip pinches."
        ),
        source="[S4]",
        kind_note="cross-training (flexibility)",
    ),
    ExerciseSpec(
        code="DYN_WARMUP",
        name="Leg swings and hip circles (dynamic warm-up)",
        category="mobility",
        target_area="Hip flexors, hamstrings, adductors, glutes",
        default_sets=1,
        default_reps=10,
        per_side=True,
        load_note="10 swings or circles per direction, before each run.",
        frequency_per_week=3,
        instructions=(
            "Before a run, hold a wall and swing one leg forward and back, then across your body and "
            "out to the side, in a smooth, relaxed arc. "
            "Then make slow, big circles with your knee, opening the hip outward and then inward. "
            "Start small and let the movement grow within a comfortable range."
        ),
        source="[S2][S3][S4]",
        kind_note="warm-up",
    ),
    ExerciseSpec(
        code="FOAM_ROLL",
        name="Foam rolling (quads, glutes, outer thigh)",
        category="mobility",
        target_area="Quads, glutes, outer thigh",
        default_sets=None,
        default_hold_s=60,
        load_note="About 60 s per area; a massage ball works for the glutes.",
        frequency_per_week=3,
        instructions=(
            "Lie with the roller under the front of your thigh, then your buttock, then the outside "
            "of your thigh, and roll slowly for about a minute on each area. "
            "Use your arms and other leg to control how much weight goes through it. "
            "Avoid rolling straight over the bony point at the side of your hip."
        ),
        source="[S2][S3][S4]",
        kind_note="recovery",
    ),
    ExerciseSpec(
        code="NERVE_GLIDE",
        name="Sciatic nerve glide",
        category="mobility",
        target_area="Sciatic nerve",
        default_sets=2,
        default_reps=10,
        load_note="Affected leg; gentle and rhythmic, never a hard stretch.",
        frequency_per_week=5,
        instructions=(
            "Lie on your back and hold behind the thigh of the affected leg with the hip bent to about "
            "a right angle. "
            "Slowly straighten the knee while pulling your toes toward you, then bend the knee and "
            "point your toes again, in a smooth rhythm. "
            "Keep it gentle and stop if the tingling increases."
        ),
        source="[S4]",
        kind_note="neural",
    ),
    # --- Cardio cross-training ---------------------------------------------
    ExerciseSpec(
        code="XTRAIN_CYCLE",
        name="Cycling",
        category="cardio_cross_training",
        target_area="Aerobic fitness",
        default_sets=None,
        load_note="20–45 min at an easy, conversational effort.",
        frequency_per_week=2,
        instructions=(
            "Ride an indoor or outdoor bike at an easy, conversational effort. "
            "Set the saddle so your knee is almost straight at the bottom of the pedal stroke, which "
            "keeps your hip out of a deep bend. "
            "Keep it flat and steady at first."
        ),
        source="[S0][S2][S3][S4]",
        kind_note="cross-training",
    ),
    ExerciseSpec(
        code="XTRAIN_SWIM",
        name="Swimming",
        category="cardio_cross_training",
        target_area="Aerobic fitness",
        default_sets=None,
        load_note="20–40 min at a steady, easy effort.",
        frequency_per_week=2,
        instructions=(
            "Swim at a steady, easy effort using any stroke that does not hurt your hip. "
            "Use a pull buoy between your thighs if kicking aggravates it. "
            "Build up the time gradually."
        ),
        source="[S2][S3][S4]",
        kind_note="cross-training",
    ),
    ExerciseSpec(
        code="XTRAIN_POOL_RUN",
        name="Pool running (deep-water running)",
        category="cardio_cross_training",
        target_area="Running-specific aerobic fitness without impact",
        default_sets=None,
        load_note="20–40 min; suitable while impact is off limits.",
        frequency_per_week=2,
        instructions=(
            "In deep water with a flotation belt, copy your running action without touching the bottom. "
            "Stay upright, drive your knees and arms as if you were running, and keep a steady, easy effort. "
            "It keeps up your running fitness with no impact on the hip."
        ),
        source="[S4]",
        kind_note="cross-training",
    ),
    ExerciseSpec(
        code="XTRAIN_PILATES",
        name="Pilates",
        category="cardio_cross_training",
        target_area="Core, pelvic and hip control",
        default_sets=None,
        load_note="One 45–60 min class or home routine.",
        frequency_per_week=1,
        instructions=(
            "Join a Pilates class or follow your therapist's routine to build control of your core, "
            "pelvis and hips. "
            "Focus on slow, precise movement and steady breathing rather than how far you can stretch. "
            "Tell the instructor about your hip and skip any position that pinches."
        ),
        source="[S3]",
        kind_note="cross-training (core and pelvic control)",
    ),
    ExerciseSpec(
        code="XTRAIN_ROW",
        name="Rowing",
        category="cardio_cross_training",
        target_area="Aerobic fitness",
        default_sets=None,
        load_note="15–30 min at an easy, steady effort.",
        frequency_per_week=2,
        instructions=(
            "Row on a machine at an easy, steady effort, pushing with your legs first and then "
            "pulling with your arms. "
            "Shorten the slide so your knees do not come right up to your chest if that pinches your hip. "
            "Build up the time gradually."
        ),
        source="[S4]",
        kind_note="cross-training",
    ),
)

_BY_CODE: dict[str, ExerciseSpec] = {spec.code: spec for spec in CATALOGUE}
if len(_BY_CODE) != len(CATALOGUE):
    raise ValueError("CATALOGUE has duplicate exercise codes")


def exercise_by_code(code: str) -> ExerciseSpec:
    """Return the catalogue exercise with this code; ValueError if there is none."""
    if not isinstance(code, str) or code not in _BY_CODE:
        raise ValueError(f"unknown exercise code {code!r}")
    return _BY_CODE[code]


def exercises_in_category(category: str) -> tuple[ExerciseSpec, ...]:
    """Return the exercises of one category, in catalogue order."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {CATEGORIES}")
    return tuple(spec for spec in CATALOGUE if spec.category == category)


def contraindication_clashes(code: str, impressions: Iterable[str]) -> tuple[str, ...]:
    """Return the patient's impression codes that the exercise is contraindicated for.

    Impression codes without catalogue defaults (GTPS_GLUT_TEND, ITBS, …) are
    accepted and never clash. The result keeps the exercise's own order, so
    an empty tuple means no warning.
    """
    spec = exercise_by_code(code)
    if isinstance(impressions, str) or not isinstance(impressions, Iterable):
        raise ValueError(f"impressions must be a collection of codes, got {impressions!r}")
    given: set[str] = set()
    for impression in impressions:
        if not isinstance(impression, str):
            raise ValueError(f"impression codes must be strings, got {impression!r}")
        given.add(impression)
    return tuple(c for c in spec.contraindicated_for if c in given)
