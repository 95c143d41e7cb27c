"""The therapist's progress view: bounded queries whatever the weeks, and the charts equal their tables."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.programmes.charts import Chart, Series, chart_svg
from assessments.programmes.services.discharge import outcome_record
from assessments.record.services.assessment import assessment_sign, assessment_start
from tests.assessments.programmes.support import START, at, run, send_week, start_programme
from tests.assessments.record.helpers import save

pytestmark = [pytest.mark.django_db]

POINT = re.compile(r'<circle[^>]*data-series="([^"]+)" data-x="([^"]+)" data-value="([^"]+)"')
CELL = re.compile(r'<td data-series="([^"]+)" data-x="([^"]+)">([^<]+)</td>')
LEFS_E2 = [4, 3, 3, 4, 3, 4, 4, 3, 2, 2, 1, 2, 3, 3, 4, 4, 3, 2, 3, 4]


def _programme_with_weeks(therapist, weeks: int):
    programme = start_programme(therapist)
    for week in range(1, weeks + 1):
        monday = START + timedelta(weeks=week - 1)
        send_week(
            programme,
            week,
            pain_worst=7 - week,
            pain_now=max(0, 4 - week),
            sessions_done=week % 4,
            runs=[run(monday + timedelta(days=1), f"{week}.5", 20 + week), run(monday + timedelta(days=3))],
            run_pain_during=1,
            pain_next_morning=1,
        )
    return programme


def _reassess(programme, therapist, force: int):
    with time_machine.travel(at(START + timedelta(days=27)), tick=False):
        later = assessment_start(patient=programme.patient, therapist=therapist, kind="reassessment")
        save(
            later,
            therapist,
            header={"index_side": "right", "body_weight_kg": Decimal(62)},
            subjective={"nprs_now": 1},
            findings={
                "strength": {
                    ("hip_abductors", "right"): {
                        "trial_1_n": Decimal(force),
                        "position": "side_lying",
                        "lever_arm_m": Decimal("0.42"),
                    },
                    ("hip_abductors", "left"): {
                        "trial_1_n": Decimal(160),
                        "position": "side_lying",
                        "lever_arm_m": Decimal("0.42"),
                    },
                }
            },
            impressions=[{"code": "GTPS_GLUT_TEND", "side": "right"}],
        )
        later.refresh_from_db()
        return assessment_sign(assessment=later, by=therapist)


def _count(client, programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:programme_progress", args=[programme.pk]))
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_1_and_6_weeks(client, therapist):
    client.force_login(therapist)
    one = _programme_with_weeks(therapist, 1)
    one_count = _count(client, one)
    from assessments.programmes.services.discharge import programme_discharge

    programme_discharge(programme=one, by=therapist, reason="plateau", notes="", home_plan="", maintenance=[])
    six = _programme_with_weeks(therapist, 6)
    _reassess(six, therapist, 150)
    outcome_record(
        programme=six,
        timepoint="week_4",
        lefs_items=LEFS_E2,
        psfs_ratings=[],
        nprs_worst=3,
        source="clinician",
        by=therapist,
    )
    assert _count(client, six) == one_count


def test_chart_numbers_equal_table_numbers(client, therapist):
    client.force_login(therapist)
    programme = _programme_with_weeks(therapist, 3)
    _reassess(programme, therapist, 150)
    outcome_record(
        programme=programme,
        timepoint="week_4",
        lefs_items=LEFS_E2,
        psfs_ratings=[],
        nprs_worst=3,
        source="clinician",
        by=therapist,
    )
    html = client.get(reverse("assessments:programme_progress", args=[programme.pk])).content.decode()
    sections = dict(re.findall(r'data-chart-section="(\w+)"(.*?)</section>', html, re.S))
    assert set(sections) == {"pain", "adherence", "distance", "lefs", "psfs", "lsi"}
    for key, body in sections.items():
        points = {(s, x): v for s, x, v in POINT.findall(body)}
        cells = {(s, x): v for s, x, v in CELL.findall(body) if v != "–"}
        assert points == cells, key
    pain = dict(((s, x), v) for s, x, v in CELL.findall(sections["pain"]))
    assert [pain[("worst", f"W{w}")] for w in (1, 2, 3)] == ["6", "5", "4"]
    assert pain[("worst", "W4")] == "–"
    distance = dict(((s, x), v) for s, x, v in CELL.findall(sections["distance"]))
    assert [distance[("km", f"W{w}")] for w in (1, 2, 3)] == ["6.5", "7.5", "8.5"]
    adherence = dict(((s, x), v) for s, x, v in CELL.findall(sections["adherence"]))
    assert [adherence[("adherence", f"W{w}")] for w in (1, 2, 3)] == ["33.3", "66.7", "100"]
    lefs = dict(((s, x), v) for s, x, v in CELL.findall(sections["lefs"]))
    assert lefs[("lefs", "Week 4")] == "61"
    lsi = CELL.findall(sections["lsi"])
    assert [v for s, x, v in lsi if s == "hip_abductors"] == ["84.4", "93.8"]


def test_the_svg_is_accessible_and_escaped():
    chart = Chart(
        "t", "Pain <by> week", 'A "test" chart', ("W1", "W2"), (Series("a", "A & B", (1, None)),), y_max=10
    )
    svg = str(chart_svg(chart))
    assert svg.startswith('<svg class="progress-chart"') and 'role="img"' in svg
    assert 'aria-labelledby="chart-t-title chart-t-desc"' in svg
    assert '<title id="chart-t-title">Pain &lt;by&gt; week</title>' in svg
    assert '<desc id="chart-t-desc">A &quot;test&quot; chart</desc>' in svg
    assert svg.count("<circle") == 1  # a week without a value draws no point
    assert "A &amp; B, W1: 1" in svg


def test_chart_refuses_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="1 values for 2 labels"):
        Chart("t", "T", "D", ("W1", "W2"), (Series("a", "A", (1,)),))
