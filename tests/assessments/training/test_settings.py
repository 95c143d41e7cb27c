"""The training log's settings: the shoe replacement distance (480–800 km) and the clinic's unit."""

import json

import pytest

from tests.test_settings import run

SHOW = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps([s.SHOE_REPLACEMENT_KM, s.TRAINING_DISTANCE_UNIT]))
"""


@pytest.fixture
def var_dir(tmp_path):
    return tmp_path / "var"


def test_the_defaults_are_480_km_and_kilometres(var_dir):
    result = run(["-c", SHOW], var_dir, DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [480, "km"]


def test_the_clinic_may_set_up_to_800_km_and_miles(var_dir):
    result = run(["-c", SHOW], var_dir, DEBUG="1", SHOE_REPLACEMENT_KM="800", TRAINING_DISTANCE_UNIT="mi")

    assert json.loads(result.stdout) == [800, "mi"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SHOE_REPLACEMENT_KM": "479"},
            "SHOE_REPLACEMENT_KM is 479: it must be between 480 and 800 (shoes are replaced between 300 and 500 miles).",
        ),
        (
            {"SHOE_REPLACEMENT_KM": "801"},
            "SHOE_REPLACEMENT_KM is 801: it must be between 480 and 800 (shoes are replaced between 300 and 500 miles).",
        ),
        ({"TRAINING_DISTANCE_UNIT": "yards"}, "TRAINING_DISTANCE_UNIT is 'yards': it must be km or mi."),
    ],
)
def test_a_setting_out_of_range_stops_the_start(var_dir, env, message):
    result = run(["-c", SHOW], var_dir, DEBUG="1", **env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
