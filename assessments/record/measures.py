"""Derived-value rules of the objective examination (domain.md §4): single-leg
stance norms, single-leg squat scoring, muscle test grades, dynamometry torque,
limb symmetry index, range-of-motion bounds, unit conversion and the weekly
10 % load rule (§8.3). Results are Decimal; bad input raises ValueError. Pure
functions with no Django or database access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

Number = int | float | Decimal

ONE_DP = Decimal("0.1")
TWO_DP = Decimal("0.01")

# Plausibility bounds (domain.md §0: validation ranges, not clinical norms).
FORCE_MAX_N = Decimal(1500)
LEVER_ARM_MIN_M = Decimal("0.10")
LEVER_ARM_MAX_M = Decimal("1.20")
WEIGHT_MIN_KG = Decimal(30)
WEIGHT_MAX_KG = Decimal(250)
SLS_TIME_MAX_S = Decimal(60)
SLS_CAPS: tuple[int, ...] = (30, 45, 60)
HOP_DISTANCE_MAX_CM = Decimal(400)
MAX_TRIALS = 3

NEWTONS_PER_KGF = Decimal("9.80665")
NEWTONS_PER_LBF = Decimal("4.44822")
KM_PER_MILE = Decimal("1.609344")

LSI_PASS_PERCENT = Decimal(90)
LOAD_RISE_LIMIT = Decimal("0.10")

# Eyes-open best-of-3 norms by age band, (min_age, max_age, seconds) [R13].
SLS_NORMS: tuple[tuple[int, int, Decimal], ...] = (
    (18, 39, Decimal(44)),
    (40, 49, Decimal(41)),
    (50, 59, Decimal(41)),
    (60, 69, Decimal(32)),
    (70, 79, Decimal(21)),
    (80, 99, Decimal(9)),
)

SLS_CRITERIA: tuple[str, ...] = (
    "overall_impression",
    "weight_transfer",
    "lumbopelvic_alignment",
    "leg_alignment",
    "foot_alignment",
)
SLS_RATINGS: tuple[str, ...] = ("good", "poor")

MMT_GRADES: tuple[str, ...] = ("0", "1", "2", "3-", "3", "3+", "4-", "4", "4+", "5")

ROM_LIMITS: dict[str, tuple[int, int]] = {
    "flexion": (0, 150),
    "extension": (-30, 50),
    "abduction": (0, 80),
    "adduction": (0, 50),
    "internal_rotation": (0, 70),
    "external_rotation": (0, 90),
}

# Typical normal ranges, for display beside the measurement only [R18].
ROM_TYPICAL: dict[str, tuple[int, int]] = {
    "flexion": (110, 120),
    "extension": (10, 15),
    "abduction": (30, 50),
    "adduction": (20, 30),
    "internal_rotation": (30, 40),
    "external_rotation": (40, 60),
}


# Wrong types raise ValueError, not TypeError (hence the TRY004 waivers), so
# callers validating user input need to catch one exception only.


def _to_decimal(value: Number, name: str) -> Decimal:
    """Convert a non-negative finite number to Decimal or raise ValueError."""
    # bool is an int subclass; True must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, got {value!r}")
    # str() keeps the float's shortest repr, so 0.1 becomes Decimal("0.1").
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    if result < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    # abs() turns -0 into 0 so results never display as "-0.0".
    return abs(result)


def _in_range(value: Number, name: str, low: Decimal, high: Decimal) -> Decimal:
    result = _to_decimal(value, name)
    if not low <= result <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return result


def _trials(trials: Iterable[Number], name: str, high: Decimal) -> list[Decimal]:
    if isinstance(trials, str | bytes) or not isinstance(trials, Iterable):
        raise ValueError(f"{name} must be a sequence of numbers, got {trials!r}")
    values = [_in_range(t, name, Decimal(0), high) for t in trials]
    if not 1 <= len(values) <= MAX_TRIALS:
        raise ValueError(f"{name} needs 1 to {MAX_TRIALS} trials, got {len(values)}")
    return values


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _age(age: int) -> int:
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError(f"age must be an integer, got {age!r}")
    return age


# --- Strength (§4.5) -------------------------------------------------------


def limb_symmetry_index_exact(involved: Number, uninvolved: Number) -> Decimal:
    """Return involved ÷ uninvolved × 100 as a percent, unrounded (what the pass mark is applied to)."""
    inv = _to_decimal(involved, "involved")
    uninv = _to_decimal(uninvolved, "uninvolved")
    if uninv == 0:
        raise ValueError("uninvolved must be greater than 0")
    # Multiply before dividing so exact ties (e.g. 84.25) stay exact for rounding.
    return inv * 100 / uninv


def limb_symmetry_index(involved: Number, uninvolved: Number) -> Decimal:
    """Return involved ÷ uninvolved × 100 as a percent rounded to 1 dp (for display)."""
    return _round(limb_symmetry_index_exact(involved, uninvolved), ONE_DP)


def lsi_flagged(lsi: Number) -> bool:
    """Return True when the LSI percent is below the 90 % pass mark.

    Give the unrounded percent (limb_symmetry_index_exact): 89.95 % fails
    even though it displays as 90.0 %.
    """
    return _to_decimal(lsi, "lsi") < LSI_PASS_PERCENT


def lsi_below_pass_mark(involved: Number, uninvolved: Number) -> bool:
    """Return True when involved ÷ uninvolved is under 90 %, compared before any rounding."""
    return lsi_flagged(limb_symmetry_index_exact(involved, uninvolved))


def peak_force(trials: Iterable[Number]) -> Decimal:
    """Return the highest of 1–3 trial forces (each 0–1500 N)."""
    return max(_trials(trials, "trial force", FORCE_MAX_N))


def _torque(force_n: Number, lever_arm_m: Number) -> Decimal:
    force = _in_range(force_n, "force_n", Decimal(0), FORCE_MAX_N)
    lever = _in_range(lever_arm_m, "lever_arm_m", LEVER_ARM_MIN_M, LEVER_ARM_MAX_M)
    return force * lever


def torque_nm(force_n: Number, lever_arm_m: Number) -> Decimal:
    """Return force × lever arm in N·m, rounded to 2 dp."""
    return _round(_torque(force_n, lever_arm_m), TWO_DP)


def torque_nm_per_kg(force_n: Number, lever_arm_m: Number, weight_kg: Number) -> Decimal:
    """Return torque normalised to body weight in N·m/kg, rounded to 2 dp."""
    weight = _in_range(weight_kg, "weight_kg", WEIGHT_MIN_KG, WEIGHT_MAX_KG)
    # Divide the unrounded torque so the 2 dp result is rounded only once.
    return _round(_torque(force_n, lever_arm_m) / weight, TWO_DP)


def mmt_grade_valid(grade: object) -> bool:
    """Return True when grade is one of the stored Oxford/MRC values."""
    return isinstance(grade, str) and grade in MMT_GRADES


def mmt_rank(grade: str) -> int:
    """Return the grade's position in MMT_GRADES so grades can be compared."""
    if not mmt_grade_valid(grade):
        raise ValueError(f"not a manual muscle test grade: {grade!r}")
    return MMT_GRADES.index(grade)


# --- Unit conversion (§0: store SI) ----------------------------------------


def kgf_to_newtons(kgf: Number) -> Decimal:
    """Convert kilogram-force to newtons, rounded to 1 dp."""
    return _round(_to_decimal(kgf, "kgf") * NEWTONS_PER_KGF, ONE_DP)


def lbf_to_newtons(lbf: Number) -> Decimal:
    """Convert pound-force to newtons, rounded to 1 dp."""
    return _round(_to_decimal(lbf, "lbf") * NEWTONS_PER_LBF, ONE_DP)


def miles_to_km(mi: Number) -> Decimal:
    """Convert miles to kilometres, rounded to 2 dp."""
    return _round(_to_decimal(mi, "miles") * KM_PER_MILE, TWO_DP)


# --- Single-leg stance (§4.2) ----------------------------------------------


def sls_norm_seconds(age: int) -> Decimal:
    """Return the eyes-open single-leg stance norm for an adult aged 18–99."""
    age = _age(age)
    for low, high, seconds in SLS_NORMS:
        if low <= age <= high:
            return seconds
    raise ValueError(f"no single-leg stance norm for age {age}; the table covers ages 18 to 99")


def sls_best_time(trials: Iterable[Number]) -> Decimal:
    """Return the best (longest) of 1–3 stance times (each 0–60 s), 1 dp."""
    return _round(max(_trials(trials, "stance time", SLS_TIME_MAX_S)), ONE_DP)


def sls_below_norm(best_time_s: Number, age: int) -> bool:
    """Return True when the best stance time is under the age-band norm (no time cap)."""
    best = _in_range(best_time_s, "best_time_s", Decimal(0), SLS_TIME_MAX_S)
    return best < sls_norm_seconds(age)


SLS_BELOW = "below"
SLS_MEETS = "meets"
SLS_NOT_COMPARABLE = "not_comparable"


def _cap(cap_s: int | None) -> Decimal | None:
    if cap_s is None:
        return None
    if isinstance(cap_s, bool) or cap_s not in SLS_CAPS:
        raise ValueError(f"time cap must be one of {SLS_CAPS} s, got {cap_s!r}")
    return Decimal(cap_s)


def sls_reached_cap(best_time_s: Number, cap_s: int | None) -> bool:
    """Return True when the hold was stopped at the cap (it lasted at least the cap)."""
    cap = _cap(cap_s)
    best = _in_range(best_time_s, "best_time_s", Decimal(0), SLS_TIME_MAX_S)
    return cap is not None and best >= cap


def sls_norm_status(best_time_s: Number, age: int, cap_s: int | None = None) -> str:
    """Compare the best eyes-open time with the age norm, taking the time cap into account.

    A hold that reached the cap means "at least the cap": it meets the norm when
    the norm is within the cap, and is "not comparable" when the norm is longer
    (a capped 30 s screen against a 44 s norm). Returns SLS_BELOW, SLS_MEETS or
    SLS_NOT_COMPARABLE.
    """
    cap = _cap(cap_s)
    best = _in_range(best_time_s, "best_time_s", Decimal(0), SLS_TIME_MAX_S)
    norm = sls_norm_seconds(age)
    if cap is not None and best > cap:
        raise ValueError(f"best_time_s {best} is longer than the {cap} s cap")
    if cap is not None and best >= cap:
        return SLS_MEETS if norm <= cap else SLS_NOT_COMPARABLE
    return SLS_BELOW if best < norm else SLS_MEETS


# --- Hop for distance (§4.7) -----------------------------------------------


def hop_best_distance(trials: Iterable[Number]) -> Decimal:
    """Return the longest of 1–3 hop-for-distance trials (each 0–400 cm), 1 dp."""
    return _round(max(_trials(trials, "hop distance", HOP_DISTANCE_MAX_CM)), ONE_DP)


# --- Single-leg squat (§4.4) -----------------------------------------------


def single_leg_squat_poor_count(criteria: Mapping[str, str]) -> int:
    """Return how many of the five criteria are rated "poor" (0–5)."""
    if not isinstance(criteria, Mapping):
        raise ValueError(f"criteria must be a mapping, got {criteria!r}")
    missing = [key for key in SLS_CRITERIA if key not in criteria]
    extra = sorted(str(key) for key in criteria if key not in SLS_CRITERIA)
    if missing or extra:
        raise ValueError(f"single-leg squat criteria mismatch: missing {missing}, unexpected {extra}")
    bad = {key: value for key, value in criteria.items() if value not in SLS_RATINGS}
    if bad:
        raise ValueError(f"criteria must be rated 'good' or 'poor', got {bad}")
    return sum(1 for value in criteria.values() if value == "poor")


# --- Range of motion (§4.6) ------------------------------------------------


def validate_rom(movement: str, degrees: int) -> int:
    """Return degrees if it is a whole number within the movement's limits."""
    if movement not in ROM_LIMITS:
        raise ValueError(f"unknown movement {movement!r}; expected one of {sorted(ROM_LIMITS)}")
    if isinstance(degrees, bool) or not isinstance(degrees, int):
        msg = f"{movement} must be a whole number of degrees, got {degrees!r}"
        raise ValueError(msg)
    low, high = ROM_LIMITS[movement]
    if not low <= degrees <= high:
        raise ValueError(f"{movement} must be between {low} and {high} degrees, got {degrees}")
    return degrees


# --- Running load (§8.3) ---------------------------------------------------


def weekly_load_change_percent(this_week_km: Number, last_week_km: Number) -> Decimal | None:
    """Return the week-on-week change in percent (1 dp); None if last week was 0."""
    this_week = _to_decimal(this_week_km, "this_week_km")
    last_week = _to_decimal(last_week_km, "last_week_km")
    if last_week == 0:
        return None
    return _round((this_week - last_week) * 100 / last_week, ONE_DP)


def load_rise_flagged(this_week_km: Number, last_week_km: Number) -> bool:
    """Return True when this week's distance rose more than 10 % (§8.3 10 % rule)."""
    this_week = _to_decimal(this_week_km, "this_week_km")
    last_week = _to_decimal(last_week_km, "last_week_km")
    # The rule is a ratio to last week; with no running last week it is undefined.
    if last_week == 0:
        return False
    # Compare unrounded, without dividing, so exactly 10 % is never flagged.
    return this_week - last_week > last_week * LOAD_RISE_LIMIT
