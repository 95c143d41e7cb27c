"""The demo training logs: the mileage–pain pattern, onset getting earlier, worn shoes; loaded once, quickly."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.demo import assessments as demo
from assessments.demo import programmes as demo_programmes
from assessments.demo import training as demo_training
from assessments.models import Programme, Run
from assessments.training.load import onset_getting_earlier, weekly_load
from assessments.training.patterns import find_patterns
from assessments.training.selectors import preferences_of, shoe_rows, training_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def runners(demo_diary):
    demo_diary(patients=7, weeks_ago=8)
    demo.load()
    demo_programmes.load()
    started = time.monotonic()
    made = demo_training.load()
    elapsed = time.monotonic() - started
    patients = [p.patient for p in Programme.objects.filter(patient__runs__isnull=False).distinct()]
    by_unit = {preferences_of(p).distance_unit: p for p in patients}
    return made, elapsed, patients, by_unit


def _weeks(patient):
    runs, sessions, body, shoes = training_entries(patient)
    first = min(r.day for r in runs)
    last = max(r.day for r in runs)
    weeks = weekly_load(
        runs=runs,
        sessions=sessions,
        first_week=first - timedelta(days=first.weekday()),
        last_week=last - timedelta(days=last.weekday()),
    )
    return weeks, runs, body, {s.id: s for s in shoes}


def test_three_runners_get_fourteen_weeks_each_quickly(runners):
    made, elapsed, patients, _ = runners

    assert made == 3 and len(patients) == 3
    for patient in patients:
        days = Run.objects.filter(patient=patient).values_list("day", flat=True)
        assert (max(days) - min(days)).days >= 12 * 7
    assert elapsed < 10


def test_the_mileage_runner_shows_a_distance_pattern_with_its_counts(runners):
    mileage = runners[3]["mi"]
    weeks, runs, body, shoes = _weeks(mileage)

    patterns = find_patterns(weeks=weeks, runs=runs, body=body, shoes=shoes, unit="mi")

    distance = next(p for p in patterns if p.code == "distance")
    assert (distance.hits, distance.total, distance.contrast_hits) == (4, 5, 0)
    assert onset_getting_earlier(runs) is None


def test_one_runner_s_pain_comes_on_earlier_and_one_runs_in_worn_shoes(runners):
    _, _, patients, _ = runners
    trends = {p.pk: onset_getting_earlier(training_entries(p)[0]) for p in patients}
    worn = {p.pk: [row for row in shoe_rows(p) if row.due] for p in patients}

    (onset_pk,) = [pk for pk, trend in trends.items() if trend is not None]
    assert trends[onset_pk].runs >= 3
    (worn_pk,) = [pk for pk, rows in worn.items() if rows]
    assert worn_pk != onset_pk
    assert worn[worn_pk][0].distance_m > settings.SHOE_REPLACEMENT_KM * 1000


def test_the_demo_logs_load_once(runners):
    count = Run.objects.count()

    assert demo_training.load(now=timezone.now()) == 0
    assert Run.objects.count() == count
