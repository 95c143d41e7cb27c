"""Tests for patients.outcomes.scoring: the worked examples and vectors of domain.md §7.2-7.5."""

import ast
import dataclasses
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from patients.outcomes import scoring as outcomes
from patients.outcomes.scoring import (
    HOOS_SUBSCALES,
    LEFS_ITEMS,
    LEFS_MCID,
    PSFS_MAX_ACTIVITIES,
    LefsChange,
    NprsChange,
    PsfsChange,
    lefs_change,
    nprs_change,
    psfs_change,
    score_hoos,
    score_lefs,
    score_psfs,
)

LEFS_E1 = [3, 2, 2, 3, 2, 3, 3, 2, 1, 1, 0, 1, 2, 2, 3, 3, 2, 2, 3, 3]
LEFS_E2 = [4, 3, 3, 4, 3, 4, 4, 3, 2, 2, 1, 2, 3, 3, 4, 4, 3, 2, 3, 4]

HOOS_E1 = {
    "pain": [1, 2, 1, 2, 1, 0, 1, 1, 2, 1],
    "symptoms": [1, 1, 2, 2, 1],
    "adl": [0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0],
    "sport": [2, 3, 2, 1],
    "qol": [3, 2, 2, 2],
}

NON_INTS = [True, False, 2.0, None, "2", Decimal(2)]


def _lefs_with_total(total: int) -> list[int]:
    """20 valid LEFS items summing to ``total`` (0-80)."""
    full, rest = divmod(total, 4)
    return [4] * full + ([rest] if rest else []) + [0] * (20 - full - bool(rest))


def _hoos_blank() -> dict[str, list[int | None]]:
    return {name: [None] * count for name, (count, _) in HOOS_SUBSCALES.items()}


def _pad(values: list[int], length: int) -> list[int | None]:
    return [*values, *([None] * (length - len(values)))]


# --- module shape -----------------------------------------------------------


def test_outcomes_imports_stdlib_only():
    tree = ast.parse(Path(outcomes.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported - set(sys.stdlib_module_names) == set()


def test_constants_match_spec():
    assert LEFS_ITEMS == 20
    assert LEFS_MCID == 9
    assert PSFS_MAX_ACTIVITIES == 5
    assert HOOS_SUBSCALES == {
        "pain": (10, 5),
        "symptoms": (5, 3),
        "adl": (17, 9),
        "sport": (4, 2),
        "qol": (4, 2),
    }


def test_change_results_are_frozen():
    result = nprs_change(7, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.change = 0  # type: ignore[misc]


# --- 7.2 NPRS ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "follow_up", "change", "percent", "classification"),
    [
        # E1 and E2 of §7.2.
        (7, 3, -4, Decimal("-57.1"), "much_better"),
        (4, 3, -1, Decimal("-25.0"), "minimal"),
        # A 1-point drop from 3 is -33.3 %, which is >= 33 % -> much better.
        (3, 2, -1, Decimal("-33.3"), "much_better"),
        (2, 1, -1, Decimal("-50.0"), "much_better"),
        (1, 0, -1, Decimal("-100.0"), "much_better"),
        (6, 5, -1, Decimal("-16.7"), "minimal"),
        # 10 % is below 15 %, but 1 point still counts as minimal.
        (10, 9, -1, Decimal("-10.0"), "minimal"),
        # 20 % is below 33 %, but 2 points count as much better.
        (10, 8, -2, Decimal("-20.0"), "much_better"),
        (10, 0, -10, Decimal("-100.0"), "much_better"),
        (5, 5, 0, Decimal("0.0"), "no_change_or_worse"),
        (3, 6, 3, Decimal("100.0"), "no_change_or_worse"),
        (0, 0, 0, None, "no_change_or_worse"),
        (0, 4, 4, None, "no_change_or_worse"),
    ],
)
def test_nprs_change_classifies(baseline, follow_up, change, percent, classification):
    assert nprs_change(baseline, follow_up) == NprsChange(
        change=change, percent=percent, classification=classification
    )


def test_nprs_change_percent_has_one_decimal_place():
    assert str(nprs_change(7, 3).percent) == "-57.1"
    assert str(nprs_change(4, 3).percent) == "-25.0"


@pytest.mark.parametrize("bad", [-1, 11, *NON_INTS])
def test_nprs_change_rejects_invalid_baseline(bad):
    with pytest.raises(ValueError):
        nprs_change(bad, 3)


@pytest.mark.parametrize("bad", [-1, 11, *NON_INTS])
def test_nprs_change_rejects_invalid_follow_up(bad):
    with pytest.raises(ValueError):
        nprs_change(7, bad)


# --- 7.3 LEFS ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "total"),
    [
        (LEFS_E1, 43),
        (LEFS_E2, 61),
        ([0] * 20, 0),
        ([4] * 20, 80),
        (tuple(LEFS_E1), 43),
    ],
)
def test_score_lefs_sums_items(items, total):
    assert score_lefs(items) == total


@pytest.mark.parametrize("length", [0, 19, 21])
def test_score_lefs_rejects_wrong_item_count(length):
    with pytest.raises(ValueError):
        score_lefs([2] * length)


@pytest.mark.parametrize("bad", [5, -1, *NON_INTS])
def test_score_lefs_rejects_invalid_item(bad):
    items = list(LEFS_E1)
    items[10] = bad
    with pytest.raises(ValueError):
        score_lefs(items)


@pytest.mark.parametrize("bad", [None, "3" * 20, 43])
def test_score_lefs_rejects_non_sequence(bad):
    with pytest.raises(ValueError):
        score_lefs(bad)


@pytest.mark.parametrize(
    ("baseline_total", "follow_up_total", "change", "classification"),
    [
        (43, 61, 18, "clinically_important_improvement"),
        (40, 49, 9, "clinically_important_improvement"),
        (40, 48, 8, "no_important_change"),
        (40, 40, 0, "no_important_change"),
        (40, 32, -8, "no_important_change"),
        (40, 31, -9, "clinically_important_worsening"),
        (0, 80, 80, "clinically_important_improvement"),
    ],
)
def test_lefs_change_classifies(baseline_total, follow_up_total, change, classification):
    result = lefs_change(_lefs_with_total(baseline_total), _lefs_with_total(follow_up_total))
    assert result == LefsChange(change=change, classification=classification)


def test_lefs_change_worked_example():
    assert lefs_change(LEFS_E1, LEFS_E2) == LefsChange(
        change=18, classification="clinically_important_improvement"
    )


@pytest.mark.parametrize(
    ("baseline", "follow_up"),
    [(LEFS_E1[:19], LEFS_E2), (LEFS_E1, LEFS_E2[:19]), (LEFS_E1, [5, *LEFS_E2[1:]])],
)
def test_lefs_change_rejects_invalid_items(baseline, follow_up):
    with pytest.raises(ValueError):
        lefs_change(baseline, follow_up)


# --- 7.4 PSFS ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([3, 5, 2], "3.33"),
        ([6, 7, 5], "6.00"),
        ([8, 6, 7, 9, 5], "7.00"),
        ([10], "10.00"),
        ([0], "0.00"),
        ([1, 1, 2], "1.33"),
        ([2, 2, 1], "1.67"),
        ([1, 2, 2, 2], "1.75"),
        ((4, 5), "4.50"),
    ],
)
def test_score_psfs_means_to_two_places(ratings, expected):
    result = score_psfs(ratings)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize("length", [0, 6])
def test_score_psfs_rejects_wrong_activity_count(length):
    with pytest.raises(ValueError):
        score_psfs([5] * length)


@pytest.mark.parametrize("bad", [11, -1, *NON_INTS])
def test_score_psfs_rejects_invalid_rating(bad):
    with pytest.raises(ValueError):
        score_psfs([8, bad, 7])


@pytest.mark.parametrize(
    ("baseline", "follow_up", "mean_change", "per_activity", "improved"),
    [
        # E1 of §7.4: mean +2.67 and activity 1 +3.
        ([3, 5, 2], [6, 7, 5], "2.67", (3, 2, 3), True),
        # Mean change exactly 2, no activity reaches 3.
        ([3, 5, 2], [5, 7, 4], "2.00", (2, 2, 2), True),
        # One activity +3 alone is enough.
        ([3, 5, 2], [6, 5, 2], "1.00", (3, 0, 0), True),
        ([3, 5, 2], [4, 6, 3], "1.00", (1, 1, 1), False),
        ([3, 5, 2], [5, 7, 3], "1.67", (2, 2, 1), False),
        ([3, 5, 2], [3, 5, 2], "0.00", (0, 0, 0), False),
        ([6, 7, 5], [3, 5, 2], "-2.67", (-3, -2, -3), False),
        ([8, 6, 7, 9, 5], [9, 7, 8, 10, 6], "1.00", (1, 1, 1, 1, 1), False),
        ([0], [10], "10.00", (10,), True),
    ],
)
def test_psfs_change_compares_same_activities(baseline, follow_up, mean_change, per_activity, improved):
    result = psfs_change(baseline, follow_up)
    assert result == PsfsChange(
        mean_change=Decimal(mean_change), per_activity=per_activity, improved=improved
    )
    assert str(result.mean_change) == mean_change


@pytest.mark.parametrize(
    ("baseline", "follow_up"),
    [
        ([3, 5, 2], [6, 7]),
        ([3, 5], [6, 7, 5]),
        ([3, 5, 2], [6, 7, 11]),
        ([3, 5, 2, 1, 1, 1], [6, 7, 5, 1, 1, 1]),
        ([3, True, 2], [6, 7, 5]),
        ([3, 5, 2], [6, 7.0, 5]),
        ([3, None, 2], [6, 7, 5]),
    ],
)
def test_psfs_change_rejects_invalid_ratings(baseline, follow_up):
    with pytest.raises(ValueError):
        psfs_change(baseline, follow_up)


# --- 7.5 HOOS ---------------------------------------------------------------


def test_score_hoos_worked_example_e1():
    assert score_hoos(HOOS_E1) == {
        "pain": Decimal("70.00"),
        "symptoms": Decimal("65.00"),
        "adl": Decimal("89.71"),
        "sport": Decimal("50.00"),
        "qol": Decimal("43.75"),
    }


def test_score_hoos_scores_have_two_decimal_places():
    scores = score_hoos(HOOS_E1)
    assert [str(s) for s in scores.values()] == [
        "70.00",
        "65.00",
        "89.71",
        "50.00",
        "43.75",
    ]


def test_score_hoos_worked_example_e2_missing_data():
    answers = _hoos_blank()
    answers["adl"] = _pad([1, 2, 1, 1, 0, 1, 1, 2, 1], 17)
    answers["pain"] = _pad([1, 2, 1, 2], 10)
    answers["symptoms"] = _pad([2, 2, 1], 5)
    assert score_hoos(answers) == {
        "pain": None,
        "symptoms": Decimal("58.33"),
        "adl": Decimal("72.22"),
        "sport": None,
        "qol": None,
    }


def test_score_hoos_worked_example_e2_adl_eight_answered_is_null():
    answers = _hoos_blank()
    answers["adl"] = _pad([1, 2, 1, 1, 0, 1, 1, 2], 17)
    assert score_hoos(answers)["adl"] is None


def test_score_hoos_skips_unanswered_items_anywhere_in_form():
    answers = _hoos_blank()
    answers["symptoms"] = [None, 2, None, 2, 1]
    assert score_hoos(answers)["symptoms"] == Decimal("58.33")


@pytest.mark.parametrize(
    ("name", "item_count", "min_answered"),
    [(name, count, minimum) for name, (count, minimum) in HOOS_SUBSCALES.items()],
)
def test_score_hoos_scores_at_minimum_answered(name, item_count, min_answered):
    answers = _hoos_blank()
    answers[name] = _pad([2] * min_answered, item_count)
    assert score_hoos(answers)[name] == Decimal("50.00")


@pytest.mark.parametrize(
    ("name", "item_count", "min_answered"),
    [(name, count, minimum) for name, (count, minimum) in HOOS_SUBSCALES.items()],
)
def test_score_hoos_nulls_below_minimum_answered(name, item_count, min_answered):
    answers = _hoos_blank()
    answers[name] = _pad([2] * (min_answered - 1), item_count)
    assert score_hoos(answers)[name] is None


@pytest.mark.parametrize(
    ("pain", "expected"),
    [
        ([0] * 10, Decimal("100.00")),
        ([4] * 10, Decimal("0.00")),
        # 8 answered, sum 3: 100 - 3/8/4*100 = 90.625 -> half up to 90.63.
        ([1, 1, 1, 0, 0, 0, 0, 0, None, None], Decimal("90.63")),
        # 8 answered, sum 1: 96.875 -> 96.88.
        ([1, 0, 0, 0, 0, 0, 0, 0, None, None], Decimal("96.88")),
    ],
)
def test_score_hoos_rounds_half_up(pain, expected):
    answers = _hoos_blank()
    answers["pain"] = pain
    assert score_hoos(answers)["pain"] == expected


def test_score_hoos_all_unanswered_is_null():
    assert score_hoos(_hoos_blank()) == dict.fromkeys(HOOS_SUBSCALES)


@pytest.mark.parametrize(
    "keys",
    [
        ["pain", "symptoms", "adl", "sport"],
        ["pain", "symptoms", "adl", "sport", "qol", "total"],
        ["pain", "symptoms", "adl", "sport_rec", "qol"],
        ["Pain", "symptoms", "adl", "sport", "qol"],
        [],
    ],
)
def test_score_hoos_rejects_wrong_keys(keys):
    answers = {key: HOOS_E1.get(key, [2] * 4) for key in keys}
    with pytest.raises(ValueError):
        score_hoos(answers)


@pytest.mark.parametrize("name", list(HOOS_SUBSCALES))
@pytest.mark.parametrize("delta", [-1, 1])
def test_score_hoos_rejects_wrong_length(name, delta):
    answers = dict(HOOS_E1)
    count = HOOS_SUBSCALES[name][0]
    answers[name] = [2] * (count + delta)
    with pytest.raises(ValueError):
        score_hoos(answers)


@pytest.mark.parametrize("bad", [5, -1, True, False, 2.0, "2", Decimal(2)])
def test_score_hoos_rejects_invalid_item(bad):
    answers = dict(HOOS_E1)
    answers["qol"] = [3, 2, bad, 2]
    with pytest.raises(ValueError):
        score_hoos(answers)


@pytest.mark.parametrize("bad", [None, "1212", 3])
def test_score_hoos_rejects_non_sequence_subscale(bad):
    answers = dict(HOOS_E1)
    answers["qol"] = bad
    with pytest.raises(ValueError):
        score_hoos(answers)


def test_score_hoos_rejects_non_mapping():
    with pytest.raises(ValueError):
        score_hoos(list(HOOS_E1.values()))
