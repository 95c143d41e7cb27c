"""Pace typed as minutes and seconds and shown back as m:ss; numbers shown without a trailing ".0"."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from patients.intake.forms.fields import pace_field
from patients.intake.numbers import PaceError, format_pace, pace_from_parts, parse_pace, plain_number


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("5:45", Decimal("5.75")),
        ("05:45", Decimal("5.75")),
        (" 5 : 45 ", Decimal("5.75")),
        ("10:00", Decimal("10.00")),
        ("5:40", Decimal("5.67")),
        ("5.5", Decimal("5.50")),  # decimal minutes, as older pages sent
        ("", None),
        ("   ", None),
    ],
)
def test_a_typed_pace_is_read_as_decimal_minutes(typed, stored):
    assert parse_pace(typed) == stored


@pytest.mark.parametrize("typed", ["4:5", "5:75", "5:", ":30", "5:30:10", "fast", "5 min"])
def test_a_pace_that_is_not_m_ss_is_refused(typed):
    with pytest.raises(PaceError):
        parse_pace(typed)


@pytest.mark.parametrize(
    ("minutes", "seconds", "stored"),
    [
        ("5", "45", Decimal("5.75")),
        ("05", "45", Decimal("5.75")),
        ("4", "5", Decimal("4.08")),  # the seconds box: 5 seconds, 4:05
        ("10", "00", Decimal("10.00")),
        ("6", "", Decimal("6.00")),  # whole minutes
        ("", "", None),
    ],
)
def test_the_two_boxes_are_read_as_minutes_and_seconds(minutes, seconds, stored):
    assert pace_from_parts(minutes, seconds) == stored


@pytest.mark.parametrize(("minutes", "seconds"), [("5", "60"), ("", "30"), ("5", "x"), ("five", "30")])
def test_boxes_that_are_not_a_pace_are_refused(minutes, seconds):
    with pytest.raises(PaceError):
        pace_from_parts(minutes, seconds)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("5.75"), "5:45"),
        (Decimal("5.50"), "5:30"),
        (Decimal("10"), "10:00"),
        (Decimal("4.08"), "4:05"),
        (None, ""),
    ],
)
def test_a_stored_pace_is_shown_as_m_ss(stored, shown):
    assert format_pace(stored) == shown


def test_every_whole_second_comes_back_as_typed():
    for total in range(150, 901):
        minutes, seconds = divmod(total, 60)
        assert format_pace(pace_from_parts(str(minutes), str(seconds))) == f"{minutes}:{seconds:02d}"


def test_the_pace_field_reads_both_boxes_a_plain_text_and_keeps_the_range():
    field = pace_field("Your usual easy pace")
    assert field.clean(["5", "45"]) == Decimal("5.75")
    assert field.clean(["5:45"]) == Decimal("5.75")
    assert field.clean(["5:45", ""]) == Decimal("5.75")  # typed with a colon into the minutes box
    assert field.clean(["", ""]) is None
    for bad in (["2", "00"], ["16", "00"], ["5", "75"], ["4:5"]):
        with pytest.raises(Exception, match="Enter a pace from 2:30 to 15:00"):
            field.clean(bad)


def test_the_pace_boxes_are_number_pads_with_their_own_labels():
    html = pace_field("Your usual easy pace").widget.render("pace", Decimal("5.75"), {"id": "id_pace"})
    assert 'name="pace_min"' in html and 'name="pace_sec"' in html
    assert 'value="5"' in html and 'value="45"' in html
    assert html.count('inputmode="numeric"') == 2
    assert '<label class="form-label small mb-1" for="id_pace_min">Minutes</label>' in html
    assert '<label class="form-label small mb-1" for="id_pace_sec">Seconds</label>' in html


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("8.0"), "8"),
        (Decimal("168.0"), "168"),
        (Decimal("61.50"), "61.5"),
        (Decimal("100"), "100"),
        (Decimal("0.0"), "0"),
        (7, "7"),
        ("650.0", "650"),
        (None, ""),
    ],
)
def test_numbers_are_shown_without_a_trailing_zero(value, shown):
    assert plain_number(value) == shown


def test_the_template_filters_show_pace_and_plain_numbers():
    template = Template("{% load intake_tags %}{{ pace|pace }} · {{ km|plain }} · {{ none|plain }}")
    html = template.render(Context({"pace": Decimal("5.75"), "km": Decimal("8.0"), "none": None}))
    assert html == "5:45 /km · 8 · —"
