from decimal import Decimal

import pytest

from assessments.record.measures import (
    LSI_PASS_PERCENT,
    MMT_GRADES,
    ROM_LIMITS,
    ROM_TYPICAL,
    SLS_CRITERIA,
    kgf_to_newtons,
    lbf_to_newtons,
    limb_symmetry_index,
    load_rise_flagged,
    lsi_flagged,
    miles_to_km,
    mmt_grade_valid,
    mmt_rank,
    peak_force,
    single_leg_squat_poor_count,
    sls_below_norm,
    sls_best_time,
    sls_norm_seconds,
    torque_nm,
    torque_nm_per_kg,
    validate_rom,
    weekly_load_change_percent,
)

NAN = float("nan")
INF = float("inf")

# Inputs every numeric argument must refuse (domain.md §0; bool is an int subclass).
BAD_NUMBERS = [
    True,
    False,
    -1,
    -0.1,
    Decimal("-0.1"),
    NAN,
    INF,
    -INF,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    "10",
    None,
]


# --- Limb symmetry index (§4.5) ---------------------------------------------


@pytest.mark.parametrize(
    ("involved", "uninvolved", "expected"),
    [
        (135, 160, Decimal("84.4")),  # §4.5 abduction, from raw forces
        (142, 150, Decimal("94.7")),  # §4.5 hop distance
        (150, 150, Decimal("100.0")),
        (160, 135, Decimal("118.5")),
        (0, 160, Decimal("0.0")),
        (Decimal("0.91"), Decimal("1.08"), Decimal("84.3")),  # rounded torques differ
        (337, 400, Decimal("84.3")),  # exact tie 84.25 rounds half-up
        (1799, 2000, Decimal("90.0")),  # exact tie 89.95 rounds up to a pass
        (Decimal("89.949"), 100, Decimal("89.9")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (135.5, 160.0, Decimal("84.7")),
        (0.1, 0.3, Decimal("33.3")),
        (-0.0, 160, Decimal("0.0")),
    ],
)
def test_limb_symmetry_index_returns_rounded_percent(involved, uninvolved, expected):
    result = limb_symmetry_index(involved, uninvolved)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize("uninvolved", [0, 0.0, Decimal(0), Decimal("0.00")])
def test_limb_symmetry_index_rejects_zero_uninvolved(uninvolved):
    with pytest.raises(ValueError, match="greater than 0"):
        limb_symmetry_index(100, uninvolved)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_limb_symmetry_index_rejects_bad_involved(bad):
    with pytest.raises(ValueError):
        limb_symmetry_index(bad, 100)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_limb_symmetry_index_rejects_bad_uninvolved(bad):
    with pytest.raises(ValueError):
        limb_symmetry_index(100, bad)


def test_lsi_pass_percent_is_ninety():
    assert LSI_PASS_PERCENT == Decimal(90)


@pytest.mark.parametrize(
    ("lsi", "expected"),
    [
        (Decimal("84.4"), True),  # §4.5 abduction example flags
        (Decimal("94.7"), False),  # §4.5 hop example passes
        (Decimal("89.9"), True),
        (Decimal("90.0"), False),
        (Decimal(90), False),
        (89.9, True),
        (90.0, False),
        (89, True),
        (90, False),
        (0, True),
        (Decimal("120.0"), False),
    ],
)
def test_lsi_flagged_below_ninety(lsi, expected):
    assert lsi_flagged(lsi) is expected


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_lsi_flagged_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        lsi_flagged(bad)


# --- Hand-held dynamometry (§4.5) -------------------------------------------


@pytest.mark.parametrize(
    ("trials", "expected"),
    [
        ([135], Decimal(135)),
        ([120, 135, 128], Decimal(135)),
        ((Decimal("150.5"), Decimal("150.4")), Decimal("150.5")),
        ([0, 0], Decimal(0)),
        ([1500, 1499.9], Decimal(1500)),
        ([140.2, 139], Decimal("140.2")),
        (iter([10, 20]), Decimal(20)),
    ],
)
def test_peak_force_returns_max(trials, expected):
    assert peak_force(trials) == expected


@pytest.mark.parametrize(
    "trials",
    [
        [],
        [100, 110, 120, 130],
        [1500.1],
        [100, -1],
        [100, True],
        [100, NAN],
        [INF],
        ["100"],
        "135",
        135,
        None,
    ],
)
def test_peak_force_rejects_bad_trials(trials):
    with pytest.raises(ValueError):
        peak_force(trials)


@pytest.mark.parametrize(
    ("force_n", "lever_arm_m", "expected"),
    [
        (135, Decimal("0.42"), Decimal("56.70")),
        (160, 0.42, Decimal("67.20")),
        (0, 0.42, Decimal("0.00")),
        (1500, Decimal("1.20"), Decimal("1800.00")),
        (100, Decimal("0.10"), Decimal("10.00")),
        (Decimal("100.05"), Decimal("0.10"), Decimal("10.01")),  # 10.005 half-up
        (Decimal("100.04"), Decimal("0.10"), Decimal("10.00")),
    ],
)
def test_torque_nm_returns_two_dp(force_n, lever_arm_m, expected):
    result = torque_nm(force_n, lever_arm_m)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("force_n", "lever_arm_m"),
    [
        (1500.1, 0.42),
        (-1, 0.42),
        (135, 0.09),
        (135, 1.21),
        (135, 0),
        (True, 0.42),
        (135, NAN),
        (INF, 0.42),
    ],
)
def test_torque_nm_rejects_out_of_range(force_n, lever_arm_m):
    with pytest.raises(ValueError):
        torque_nm(force_n, lever_arm_m)


@pytest.mark.parametrize(
    ("force_n", "lever_arm_m", "weight_kg", "expected"),
    [
        (135, Decimal("0.42"), 62, Decimal("0.91")),  # §4.5 involved side
        (160, Decimal("0.42"), 62, Decimal("1.08")),  # §4.5 uninvolved side
        (135, 0.42, 62.0, Decimal("0.91")),
        (0, 0.42, 62, Decimal("0.00")),
        (150, Decimal("0.10"), 30, Decimal("0.50")),
        (1500, Decimal("1.20"), 250, Decimal("7.20")),
        (45, Decimal("0.10"), 200, Decimal("0.02")),  # 0.0225 rounds down
        (25, Decimal("0.10"), 100, Decimal("0.03")),  # exact tie 0.025 rounds half-up
    ],
)
def test_torque_nm_per_kg_returns_two_dp(force_n, lever_arm_m, weight_kg, expected):
    result = torque_nm_per_kg(force_n, lever_arm_m, weight_kg)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("force_n", "lever_arm_m", "weight_kg"),
    [
        (135, 0.42, 29.9),
        (135, 0.42, 250.1),
        (135, 0.42, 0),
        (135, 0.42, True),
        (135, 0.42, NAN),
        (135, 0.42, -62),
        (1501, 0.42, 62),
        (135, 1.3, 62),
        (135, 0.05, 62),
    ],
)
def test_torque_nm_per_kg_rejects_out_of_range(force_n, lever_arm_m, weight_kg):
    with pytest.raises(ValueError):
        torque_nm_per_kg(force_n, lever_arm_m, weight_kg)


# --- Manual muscle test (§4.5) ----------------------------------------------


def test_mmt_grades_are_in_stored_order():
    assert MMT_GRADES == ("0", "1", "2", "3-", "3", "3+", "4-", "4", "4+", "5")


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("0", True),
        ("3-", True),
        ("3+", True),
        ("4-", True),
        ("5", True),
        ("5+", False),
        ("0-", False),
        ("6", False),
        ("", False),
        (" 4", False),
        (4, False),
        (None, False),
        (True, False),
    ],
)
def test_mmt_grade_valid_accepts_only_stored_values(grade, expected):
    assert mmt_grade_valid(grade) is expected


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("0", 0),
        ("1", 1),
        ("2", 2),
        ("3-", 3),
        ("3", 4),
        ("3+", 5),
        ("4-", 6),
        ("4", 7),
        ("4+", 8),
        ("5", 9),
    ],
)
def test_mmt_rank_returns_index(grade, expected):
    assert mmt_rank(grade) == expected


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("3-", "3"), ("3", "3+"), ("3+", "4-"), ("4-", "4"), ("4+", "5"), ("2", "3-")],
)
def test_mmt_rank_orders_modifiers(lower, higher):
    assert mmt_rank(lower) < mmt_rank(higher)


@pytest.mark.parametrize("grade", ["5+", "0-", "6", "", "four", 4, None, True])
def test_mmt_rank_rejects_non_grade(grade):
    with pytest.raises(ValueError, match="not a manual muscle test grade"):
        mmt_rank(grade)


# --- Unit conversion (§0) ---------------------------------------------------


@pytest.mark.parametrize(
    ("kgf", "expected"),
    [
        (1, Decimal("9.8")),
        (10, Decimal("98.1")),  # 98.0665
        (Decimal("13.77"), Decimal("135.0")),  # 135.0375...
        (0, Decimal("0.0")),
        (20.5, Decimal("201.0")),  # 201.036325
    ],
)
def test_kgf_to_newtons_returns_one_dp(kgf, expected):
    result = kgf_to_newtons(kgf)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("lbf", "expected"),
    [
        (1, Decimal("4.4")),
        (10, Decimal("44.5")),  # 44.4822
        (Decimal("30.35"), Decimal("135.0")),  # 135.003477
        (0, Decimal("0.0")),
        (36, Decimal("160.1")),  # 160.13592
    ],
)
def test_lbf_to_newtons_returns_one_dp(lbf, expected):
    result = lbf_to_newtons(lbf)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("mi", "expected"),
    [
        (1, Decimal("1.61")),
        (Decimal("26.2"), Decimal("42.16")),  # 42.1648128
        (10, Decimal("16.09")),  # 16.09344
        (0, Decimal("0.00")),
        (3.1, Decimal("4.99")),  # 4.9889664
    ],
)
def test_miles_to_km_returns_two_dp(mi, expected):
    result = miles_to_km(mi)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize("convert", [kgf_to_newtons, lbf_to_newtons, miles_to_km])
@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_unit_conversion_rejects_bad_input(convert, bad):
    with pytest.raises(ValueError):
        convert(bad)


# --- Single-leg stance (§4.2) -----------------------------------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (18, Decimal(44)),
        (39, Decimal(44)),
        (40, Decimal(41)),
        (49, Decimal(41)),
        (50, Decimal(41)),
        (59, Decimal(41)),
        (60, Decimal(32)),
        (69, Decimal(32)),
        (70, Decimal(21)),
        (79, Decimal(21)),
        (80, Decimal(9)),
        (99, Decimal(9)),
    ],
)
def test_sls_norm_seconds_matches_age_band(age, expected):
    assert sls_norm_seconds(age) == expected


@pytest.mark.parametrize("age", [17, 100, 0, -1])
def test_sls_norm_seconds_rejects_age_outside_table(age):
    with pytest.raises(ValueError, match="ages 18 to 99"):
        sls_norm_seconds(age)


@pytest.mark.parametrize("age", [True, 40.0, "40", None, Decimal(40)])
def test_sls_norm_seconds_rejects_non_int_age(age):
    with pytest.raises(ValueError, match="integer"):
        sls_norm_seconds(age)


@pytest.mark.parametrize(
    ("trials", "expected"),
    [
        ([30], Decimal("30.0")),
        ([12.3, 44.1, 40], Decimal("44.1")),
        ((Decimal("8.25"), Decimal("8.2")), Decimal("8.3")),  # half-up to 1 dp
        ([0, 0, 0], Decimal("0.0")),
        ([60, 59.9], Decimal("60.0")),
    ],
)
def test_sls_best_time_returns_max_one_dp(trials, expected):
    result = sls_best_time(trials)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    "trials",
    [[], [10, 20, 30, 40], [60.1], [-0.1], [10, True], [NAN], [INF], "30", None],
)
def test_sls_best_time_rejects_bad_trials(trials):
    with pytest.raises(ValueError):
        sls_best_time(trials)


@pytest.mark.parametrize(
    ("best_time_s", "age", "expected"),
    [
        (Decimal("43.9"), 30, True),
        (Decimal("44.0"), 30, False),
        (Decimal("40.9"), 45, True),
        (41, 55, False),
        (Decimal("31.9"), 65, True),
        (32, 69, False),
        (20.9, 70, True),
        (Decimal("9.0"), 80, False),
        (Decimal("8.9"), 99, True),
        (60, 18, False),
        (0, 99, True),
    ],
)
def test_sls_below_norm_compares_with_age_band(best_time_s, age, expected):
    assert sls_below_norm(best_time_s, age) is expected


@pytest.mark.parametrize(
    ("best_time_s", "age"),
    [(30, 17), (30, 100), (60.1, 30), (-1, 30), (True, 30), (NAN, 30), (30, True)],
)
def test_sls_below_norm_rejects_bad_input(best_time_s, age):
    with pytest.raises(ValueError):
        sls_below_norm(best_time_s, age)


# --- Single-leg squat (§4.4) ------------------------------------------------


def test_sls_criteria_are_the_five_keys():
    assert SLS_CRITERIA == (
        "overall_impression",
        "weight_transfer",
        "lumbopelvic_alignment",
        "leg_alignment",
        "foot_alignment",
    )


def _ratings(poor: int) -> dict[str, str]:
    return {key: "poor" if i < poor else "good" for i, key in enumerate(SLS_CRITERIA)}


@pytest.mark.parametrize(("criteria", "expected"), [(_ratings(n), n) for n in range(6)])
def test_single_leg_squat_poor_count_counts_poor(criteria, expected):
    assert single_leg_squat_poor_count(criteria) == expected


def test_single_leg_squat_poor_count_ignores_key_order():
    criteria = dict(reversed(list(_ratings(2).items())))
    assert single_leg_squat_poor_count(criteria) == 2


@pytest.mark.parametrize(
    "criteria",
    [
        {key: "good" for key in SLS_CRITERIA[:4]},  # missing foot_alignment
        {},
        {**_ratings(0), "trendelenburg": "good"},  # extra key
        {**_ratings(0), "overall_impression": "fair"},
        {**_ratings(0), "leg_alignment": "Poor"},
        {**_ratings(0), "foot_alignment": ""},
        {**_ratings(0), "weight_transfer": None},
        {**_ratings(0), "weight_transfer": True},
        list(SLS_CRITERIA),
        None,
    ],
)
def test_single_leg_squat_poor_count_rejects_bad_criteria(criteria):
    with pytest.raises(ValueError):
        single_leg_squat_poor_count(criteria)


# --- Range of motion (§4.6) -------------------------------------------------


def test_rom_limits_match_spec():
    assert ROM_LIMITS == {
        "flexion": (0, 150),
        "extension": (-30, 50),
        "abduction": (0, 80),
        "adduction": (0, 50),
        "internal_rotation": (0, 70),
        "external_rotation": (0, 90),
    }


def test_rom_typical_match_spec():
    assert ROM_TYPICAL == {
        "flexion": (110, 120),
        "extension": (10, 15),
        "abduction": (30, 50),
        "adduction": (20, 30),
        "internal_rotation": (30, 40),
        "external_rotation": (40, 60),
    }


@pytest.mark.parametrize(
    ("movement", "degrees"),
    [
        ("flexion", 0),
        ("flexion", 150),
        ("extension", -30),
        ("extension", 50),
        ("abduction", 0),
        ("abduction", 80),
        ("adduction", 0),
        ("adduction", 50),
        ("internal_rotation", 0),
        ("internal_rotation", 70),
        ("external_rotation", 0),
        ("external_rotation", 90),
    ],
)
def test_validate_rom_accepts_limits(movement, degrees):
    assert validate_rom(movement, degrees) == degrees


@pytest.mark.parametrize(
    ("movement", "degrees"),
    [
        ("flexion", -1),
        ("flexion", 151),
        ("extension", -31),
        ("extension", 51),
        ("abduction", -1),
        ("abduction", 81),
        ("adduction", -1),
        ("adduction", 51),
        ("internal_rotation", -1),
        ("internal_rotation", 71),
        ("external_rotation", -1),
        ("external_rotation", 91),
    ],
)
def test_validate_rom_rejects_outside_limits(movement, degrees):
    with pytest.raises(ValueError, match="between"):
        validate_rom(movement, degrees)


@pytest.mark.parametrize("degrees", [45.0, 45.5, Decimal(45), "45", None, True, False])
def test_validate_rom_rejects_non_int(degrees):
    with pytest.raises(ValueError, match="whole number"):
        validate_rom("flexion", degrees)


@pytest.mark.parametrize("movement", ["Flexion", "rotation", "", "internal rotation"])
def test_validate_rom_rejects_unknown_movement(movement):
    with pytest.raises(ValueError, match="unknown movement"):
        validate_rom(movement, 10)


# --- Weekly running load (§8.3) ---------------------------------------------


@pytest.mark.parametrize(
    ("this_week_km", "last_week_km", "expected"),
    [
        (22, 20, Decimal("10.0")),
        (Decimal("22.02"), 20, Decimal("10.1")),
        (11, 10, Decimal("10.0")),
        (20, 20, Decimal("0.0")),
        (15, 20, Decimal("-25.0")),
        (0, 20, Decimal("-100.0")),
        (40, 20, Decimal("100.0")),
        (Decimal("33.1"), 30, Decimal("10.3")),
        (10, 3, Decimal("233.3")),
        (Decimal("20.01"), 20, Decimal("0.1")),  # exact 0.05 rounds half-up
        (30, 0, None),
        (0, 0, None),
    ],
)
def test_weekly_load_change_percent_returns_one_dp(this_week_km, last_week_km, expected):
    result = weekly_load_change_percent(this_week_km, last_week_km)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("this_week_km", "last_week_km", "expected"),
    [
        (22, 20, False),  # exactly 10 %
        (Decimal("22.02"), 20, True),  # 10.1 %
        (11, 10, False),
        (11.0, 10.0, False),
        (Decimal("11.01"), 10, True),
        (Decimal("22.001"), 20, True),  # 10.005 %: shown as 10.0, still flagged
        (20, 20, False),
        (10, 20, False),
        (30, 0, False),  # no baseline week, rule undefined
        (0, 0, False),
    ],
)
def test_load_rise_flagged_over_ten_percent(this_week_km, last_week_km, expected):
    assert load_rise_flagged(this_week_km, last_week_km) is expected


@pytest.mark.parametrize("check", [weekly_load_change_percent, load_rise_flagged])
@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_weekly_load_rejects_bad_input(check, bad):
    with pytest.raises(ValueError):
        check(bad, 20)
    with pytest.raises(ValueError):
        check(20, bad)
