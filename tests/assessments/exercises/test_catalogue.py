import dataclasses
import re

import pytest

from assessments.exercises.catalogue import (
    BONE_STRESS,
    CATALOGUE,
    CATEGORIES,
    CONTRAINDICATION_CODES,
    FAI_LABRAL,
    HIP_OA,
    ExerciseSpec,
    contraindication_clashes,
    exercise_by_code,
    exercises_in_category,
)

# Every exercise the clinic names and the seed articles name, as a name fragment.
NAMED_EXERCISES = [
    "clamshell",
    "glute bridge",
    "single-leg bridge",
    "side-lying leg raise",
    "side-lying hip abduction",
    "single-leg deadlift",
    "monster walk",
    "lateral band walk",
    "crab walk",
    "side plank",
    "plank",
    "bird dog",
    "pallof",
    "anti-rotation",
    "squat",
    "deep squat",
    "single-leg squat",
    "step-down",
    "split squat",
    "lunge",
    "walking lunge",
    "slow-lowering lunge",
    "step-up",
    "hip thrust",
    "deadlift progression",
    "slider",
    "calf raise (straight and bent knee)",
    "nordic hamstring curl",
    "sled push",
    "hops",
    "bounding",
    "plyometric",
    "hill sprint",
    "hip flexor stretch",
    "figure-4",
    "piriformis",
    "standing crossover",
    "itb",
    "happy baby",
    "child's pose",
    "pigeon pose",
    "knees-to-chest",
    "leg swings",
    "hip circles",
    "foam rolling",
    "sciatic nerve glide",
    "single-leg balance",
    "cycling",
    "swimming",
    "pool running",
    "pilates",
    "rowing",
    "yoga",
]

# domain.md §8.5 codes; its XTRAIN row is split into XTRAIN_* entries.
DOMAIN_CODES = [
    "BRIDGE",
    "SL_BRIDGE",
    "CLAM",
    "SL_ABD",
    "BAND_WALK",
    "PLANK",
    "SIDE_PLANK",
    "BIRD_DOG",
    "ANTI_ROT",
    "SQUAT",
    "SL_SQUAT",
    "STEP_DOWN",
    "SPLIT_SQUAT",
    "LUNGE",
    "STEP_UP",
    "SL_RDL",
    "HIP_THRUST",
    "DEADLIFT",
    "SLIDERS",
    "CALF_RAISE",
    "NORDIC",
    "SLED",
    "PLYO",
    "STR_HIP_FLEX",
    "STR_PIRI",
    "STR_ITB",
    "HAPPY_BABY",
    "CHILDS_POSE",
    "DYN_WARMUP",
    "FOAM_ROLL",
    "NERVE_GLIDE",
]

FAI = set(FAI_LABRAL)
BSI = set(BONE_STRESS)
OA = set(HIP_OA)

# §8.5 contraindication defaults: FAI/labral → deep squat, pigeon pose,
# knees-to-chest, deep lunges, hill sprints; BSI → impact and PLYO; OA → deep
# lunges and painful yoga poses. Every other exercise has none.
EXPECTED_CONTRAINDICATIONS = {
    "DEEP_SQUAT": FAI,
    "PIGEON_POSE": FAI | OA,
    "KNEES_TO_CHEST": FAI,
    "DEEP_LUNGE": FAI | OA,
    "HILL_SPRINT": FAI | BSI,
    "PLYO": BSI,
}

VALID_SPEC = {
    "code": "TEST_EX",
    "name": "Test exercise",
    "category": "strength",
    "target_area": "Glutes",
    "default_sets": 3,
    "default_reps": 10,
    "load_note": "Bodyweight.",
    "frequency_per_week": 2,
    "instructions": "Do this. Then do that.",
    "source": "[S3]",
    "kind_note": "strength",
}


def _names():
    return [spec.name.lower() for spec in CATALOGUE]


def test_catalogue_codes_unique():
    codes = [spec.code for spec in CATALOGUE]
    assert len(codes) == len(set(codes))


def test_catalogue_names_unique():
    names = _names()
    assert len(names) == len(set(names))


def test_catalogue_codes_uppercase_snake():
    bad = [spec.code for spec in CATALOGUE if not re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", spec.code)]
    assert bad == []


@pytest.mark.parametrize("term", NAMED_EXERCISES)
def test_catalogue_named_exercise_present(term):
    matches = [name for name in _names() if term in name]
    assert matches != []


@pytest.mark.parametrize("code", DOMAIN_CODES)
def test_catalogue_domain_code_present(code):
    assert exercise_by_code(code).code == code


def test_catalogue_xtrain_split_into_activities():
    codes = [spec.code for spec in CATALOGUE if spec.code.startswith("XTRAIN_")]
    assert codes == ["XTRAIN_CYCLE", "XTRAIN_SWIM", "XTRAIN_POOL_RUN", "XTRAIN_PILATES", "XTRAIN_ROW"]


def test_catalogue_categories_valid():
    assert {spec.category for spec in CATALOGUE} == set(CATEGORIES)


@pytest.mark.parametrize(
    ("code", "category", "kind_note"),
    [
        ("PLANK", "motor_control", "core"),
        ("SIDE_PLANK", "motor_control", "core"),
        ("BIRD_DOG", "motor_control", "core"),
        ("ANTI_ROT", "motor_control", "core"),
        ("NORDIC", "strength", "eccentric"),
        ("LUNGE_SLOW", "strength", "eccentric"),
        ("DYN_WARMUP", "mobility", "warm-up"),
        ("FOAM_ROLL", "mobility", "recovery"),
        ("NERVE_GLIDE", "mobility", "neural"),
        ("XTRAIN_CYCLE", "cardio_cross_training", "cross-training"),
        ("PLYO", "plyometric", "plyometric"),
        ("BRIDGE", "strength", "strength"),
        ("STR_HIP_FLEX", "mobility", "mobility"),
    ],
)
def test_catalogue_domain_kind_mapped_to_category(code, category, kind_note):
    spec = exercise_by_code(code)
    assert (spec.category, spec.kind_note) == (category, kind_note)


def test_catalogue_contraindications_reference_known_codes():
    used = {code for spec in CATALOGUE for code in spec.contraindicated_for}
    assert used == CONTRAINDICATION_CODES


def test_catalogue_contraindication_codes_are_domain_impressions():
    assert CONTRAINDICATION_CODES == {
        "FAI_CAM",
        "FAI_PINCER",
        "FAI_MIXED",
        "LABRAL",
        "BSI_FEM_NECK",
        "BSI_FEM_SHAFT",
        "BSI_PELVIS",
        "HIP_OA",
    }


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.code)
def test_catalogue_contraindications_follow_domain_defaults(spec):
    assert set(spec.contraindicated_for) == EXPECTED_CONTRAINDICATIONS.get(spec.code, set())


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.code)
def test_catalogue_defaults_sane(spec):
    amounts = [spec.default_reps, spec.default_hold_s, spec.default_distance_m]
    assert sum(a is not None for a in amounts) <= 1
    if spec.default_sets is not None:
        assert spec.default_sets in range(1, 7)
    if spec.default_reps is not None:
        assert 5 <= spec.default_reps <= 15
    if spec.default_hold_s is not None:
        assert 30 <= spec.default_hold_s <= 60
    if spec.default_distance_m is not None:
        assert 10 <= spec.default_distance_m <= 50
    assert spec.frequency_per_week in range(1, 6)
    assert spec.source.startswith("[S")


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.code)
def test_catalogue_instructions_two_to_four_sentences_in_second_person(spec):
    sentences = re.split(r"(?<=[.!?])\s+", spec.instructions.strip())
    assert 2 <= len(sentences) <= 4
    assert re.search(r"\byour?\b", spec.instructions, re.IGNORECASE) is not None
    assert spec.instructions.endswith(".")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("BRIDGE", "3 × 12"),
        ("CLAM", "3 × 15 per side"),
        ("PLANK", "3 × 30 s"),
        ("SIDE_PLANK", "3 × 30 s per side"),
        ("BAND_WALK", "3 × 10 m"),
        ("SLED", "4 × 20 m"),
        ("NORDIC", "3 × 5"),
        ("STR_HIP_FLEX", "2 × 60 s per side"),
        ("FOAM_ROLL", "60 s"),
        ("XTRAIN_CYCLE", "20–45 min at an easy, conversational effort."),
        ("PLYO", "Dose in foot contacts per session, starting low; only once cleared for impact."),
    ],
)
def test_exercise_dose_text_reads_as_prescribed(code, expected):
    assert exercise_by_code(code).dose_text == expected


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.code)
def test_exercise_by_code_returns_the_entry(spec):
    assert exercise_by_code(spec.code) is spec


@pytest.mark.parametrize("code", ["XTRAIN", "bridge", "", None, 3])
def test_exercise_by_code_rejects_unknown(code):
    with pytest.raises(ValueError, match="unknown exercise code"):
        exercise_by_code(code)


def test_exercises_in_category_keeps_catalogue_order():
    codes = [spec.code for spec in exercises_in_category("motor_control")]
    assert codes == ["PLANK", "SIDE_PLANK", "BIRD_DOG", "ANTI_ROT", "SL_BALANCE"]


def test_exercises_in_category_rejects_unknown():
    with pytest.raises(ValueError, match="unknown category"):
        exercises_in_category("core")


@pytest.mark.parametrize(
    ("code", "impressions", "expected"),
    [
        ("DEEP_SQUAT", ["FAI_CAM"], ("FAI_CAM",)),
        ("DEEP_SQUAT", ["ITBS", "LABRAL"], ("LABRAL",)),
        ("DEEP_SQUAT", ["HIP_OA"], ()),
        ("PLYO", {"BSI_FEM_NECK"}, ("BSI_FEM_NECK",)),
        ("PLYO", ("GTPS_GLUT_TEND",), ()),
        ("HILL_SPRINT", ["BSI_PELVIS", "FAI_PINCER"], ("FAI_PINCER", "BSI_PELVIS")),
        ("DEEP_LUNGE", ["HIP_OA"], ("HIP_OA",)),
        ("BRIDGE", ["FAI_CAM", "BSI_FEM_NECK", "HIP_OA"], ()),
        ("PIGEON_POSE", [], ()),
    ],
)
def test_contraindication_clashes_returns_matching_impressions(code, impressions, expected):
    assert contraindication_clashes(code, impressions) == expected


@pytest.mark.parametrize("impressions", ["FAI_CAM", None, 3, [None]])
def test_contraindication_clashes_rejects_bad_impressions(impressions):
    with pytest.raises(ValueError):
        contraindication_clashes("DEEP_SQUAT", impressions)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "test_ex"}, "uppercase snake"),
        ({"code": "TEST__EX"}, "uppercase snake"),
        ({"category": "core"}, "unknown category"),
        ({"name": " "}, "name must be non-empty"),
        ({"default_hold_s": 30}, "set only one"),
        ({"default_reps": 0}, "default_reps must be a whole number"),
        ({"default_reps": True}, "default_reps must be a whole number"),
        ({"default_sets": 11}, "default_sets must be a whole number"),
        ({"default_reps": None}, "needs reps, a hold or a distance"),
        ({"frequency_per_week": 8}, "frequency_per_week must be a whole number"),
        ({"contraindicated_for": ("ITBS",)}, "unknown impression codes"),
        ({"contraindicated_for": ["FAI_CAM"]}, "must be a tuple"),
        ({"contraindicated_for": ("FAI_CAM", "FAI_CAM")}, "twice"),
        ({"per_side": 1}, "per_side must be a bool"),
    ],
)
def test_exercise_spec_rejects_invalid(changes, message):
    with pytest.raises(ValueError, match=message):
        ExerciseSpec(**{**VALID_SPEC, **changes})


def test_exercise_spec_is_frozen():
    spec = exercise_by_code("BRIDGE")
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.default_reps = 20
