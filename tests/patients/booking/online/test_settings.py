"""The online booking policy read from the environment, checked at start-up (each case in a fresh process)."""

import json
from pathlib import Path

import pytest

from tests.settings_process import run_python

SHOW = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps([s.ONLINE_BOOKING_MIN_NOTICE_HOURS, s.ONLINE_BOOKING_SAME_DAY,
                  s.ONLINE_BOOKING_WEEKS_AHEAD, s.ONLINE_BOOKING_HOLD_MINUTES]))
"""


def run(tmp_path: Path, **env: str):
    base = {
        "HOME": str(Path.home()),
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DEBUG": "1",
    }
    return run_python(["-c", SHOW], {**base, **env})


def test_the_defaults(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [4, True, 8, 10]


def test_the_environment_sets_them(tmp_path):
    result = run(
        tmp_path,
        ONLINE_BOOKING_MIN_NOTICE_HOURS="24",
        ONLINE_BOOKING_SAME_DAY="0",
        ONLINE_BOOKING_WEEKS_AHEAD="12",
        ONLINE_BOOKING_HOLD_MINUTES="15",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [24, False, 12, 15]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ONLINE_BOOKING_MIN_NOTICE_HOURS", "-1"),
        ("ONLINE_BOOKING_WEEKS_AHEAD", "0"),
        ("ONLINE_BOOKING_HOLD_MINUTES", "0"),
        ("ONLINE_BOOKING_HOLD_MINUTES", "120"),
        ("ONLINE_BOOKING_CODES_PER_IP_PER_HOUR", "0"),
        ("ONLINE_BOOKING_CODES_PER_EMAIL_PER_DAY", "2"),  # fewer than the hourly 3
    ],
)
def test_a_value_that_switches_a_protection_off_stops_the_start(tmp_path, variable, value):
    result = run(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert f"{variable} is {value}" in result.stderr
