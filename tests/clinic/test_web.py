"""The frame's request helpers (clinic.web)."""

import pytest
from django.test import RequestFactory

from clinic.web import STALE_VERSION, posted_version


def _post(data: dict[str, str]):
    return RequestFactory().post("/", data)


@pytest.mark.parametrize(
    ("value", "expected"), [("0", 0), ("1", 1), ("42", 42), ("007", 7), ("999999999", 999999999)]
)
def test_posted_version_reads_the_version_field_as_an_int(value, expected):
    assert posted_version(_post({"version": value})) == expected


@pytest.mark.parametrize(
    "value",
    ["", "abc", "-1", "+1", "1.5", " 3", "3 ", "1e3", "²", "٣", "1234567890"],
    ids=[
        "empty",
        "letters",
        "negative",
        "plus",
        "decimal",
        "leading-space",
        "trailing-space",
        "exponent",
        "superscript-two",
        "arabic-indic-three",
        "ten-digits",
    ],
)
def test_posted_version_is_none_when_the_field_is_not_a_plain_number(value):
    assert posted_version(_post({"version": value})) is None


def test_posted_version_is_none_when_the_field_is_missing():
    assert posted_version(_post({"other": "1"})) is None
    assert posted_version(RequestFactory().get("/", {"version": "3"})) is None  # only a posted form counts


def test_posted_version_gives_the_callers_value_for_a_missing_field():
    assert posted_version(_post({}), missing=STALE_VERSION) == STALE_VERSION == -1
    assert posted_version(_post({"version": "x"}), missing=STALE_VERSION) == -1
    assert posted_version(_post({"version": "5"}), missing=STALE_VERSION) == 5
