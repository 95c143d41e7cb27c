"""Run times as typed and shown, and distances in km or miles and back."""

from decimal import Decimal

import pytest

from assessments.training.durations import format_duration, format_pace, parse_duration
from assessments.training.load import from_unit, to_unit


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("45:30", 2730), ("1:05:00", 3900), ("45", 2700), ("45.30", 2730), ("1 05 00", 3900), (" 0:59 ", 59)],
)
def test_a_time_is_read_as_typed(typed, seconds):
    assert parse_duration(typed) == seconds


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "How long was the run?"),
        ("45:60", "Seconds go up to 59, like 45:30."),
        ("1:60:00", "Minutes and seconds go up to 59, like 1:05:00."),
        ("an hour", "Type the time as h:mm:ss or mm:ss, like 45:30 or 1:05:00."),
        ("1:2:3:4", "Type the time as h:mm:ss or mm:ss, like 45:30 or 1:05:00."),
        ("0:00", "The time must be more than zero."),
        ("４５", "Type the time as h:mm:ss or mm:ss, like 45:30 or 1:05:00."),
    ],
)
def test_a_time_that_cannot_be_read_says_why(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_duration(typed)


def test_times_and_paces_are_shown_as_runners_write_them():
    assert (format_duration(59), format_duration(2730), format_duration(3900)) == ("0:59", "45:30", "1:05:00")
    assert format_pace(distance_m=5000, duration_s=1650, unit="km") == "5:30 /km"
    assert format_pace(distance_m=1609, duration_s=480, unit="mi") == "8:00 /mi"


@pytest.mark.parametrize("unit", ["km", "mi"])
def test_a_distance_typed_in_either_unit_comes_back_as_typed(unit):
    for hundredths in range(1, 30_001, 7):
        typed = Decimal(hundredths) / 100
        assert to_unit(from_unit(typed, unit), unit) == typed


def test_metres_and_miles():
    assert (from_unit(Decimal("3.1"), "mi"), from_unit(Decimal("5"), "km")) == (4989, 5000)
    assert (to_unit(42_195, "km"), to_unit(42_195, "mi")) == (Decimal("42.20"), Decimal("26.22"))
