"""The timeline's charts: bars, markers and the ACWR band carry the same numbers as the chart's table."""

import re
from datetime import date, timedelta
from decimal import Decimal

from assessments.programmes.charts import Chart, Series
from assessments.training.alerts import ShoeInfo
from assessments.training.charts import Marker, band_svg, bars_svg
from assessments.training.load import BodyEntry, RunEntry, weekly_load
from assessments.training.timeline import timeline_events

BAR = re.compile(
    r'<rect class="chart-bar([^"]*)"[^>]*data-x="([^"]+)" data-value="([^"]+)"><title>([^<]+)</title>'
)
EVENT = re.compile(
    r'<g class="chart-event chart-event-(\w+)" data-event="\w+" data-x="([^"]+)"><title>([^<]+)</title>'
)
MONDAY = date(2026, 9, 7)


def _distance(values):
    labels = tuple(f"W{i + 1}" for i in range(len(values)))
    return Chart(
        "d", "Weekly <distance>", "Distance & events", labels, (Series("km", "Distance", values),), unit="km"
    )


def test_bars_match_the_table_and_gaps_stay_empty():
    chart = _distance((Decimal("12.5"), None, Decimal(0), Decimal(30)))
    svg = str(bars_svg(chart, marked=(False, False, True, False), marked_label="cutback week"))
    bars = [(css, x, value, title) for css, x, value, title in BAR.findall(svg)]
    assert bars == [
        ("", "W1", "12.5", "Distance, W1: 12.5 km"),
        (" chart-bar-marked", "W3", "0", "Distance, W3: 0 km (cutback week)"),
        ("", "W4", "30", "Distance, W4: 30 km"),
    ]
    assert [(x, str(v)) for x, (v,) in chart.rows] == [
        ("W1", "12.5"),
        ("W2", "None"),
        ("W3", "0"),
        ("W4", "30"),
    ]


def test_bars_are_an_accessible_image_with_escaped_text():
    svg = str(bars_svg(_distance((Decimal(5),))))
    assert svg.startswith('<svg class="progress-chart training-chart" viewBox="0 0 560 260" role="img" ')
    assert 'aria-labelledby="chart-d-title chart-d-desc"' in svg
    assert '<title id="chart-d-title">Weekly &lt;distance&gt;</title>' in svg
    assert '<desc id="chart-d-desc">Distance &amp; events</desc>' in svg
    assert svg.endswith("</svg>")


def test_a_taller_bar_is_drawn_taller():
    svg = str(bars_svg(_distance((Decimal(10), Decimal(20)))))
    heights = [Decimal(h) for h in re.findall(r'class="chart-bar"[^>]* height="([^"]+)"', svg)]
    assert heights[1] == heights[0] * 2


def test_markers_stack_in_their_week_with_their_text():
    chart = _distance((Decimal(10), Decimal(20)))
    markers = [
        Marker(1, "new_shoes", "S", "New shoes: Pegasus <41>"),
        Marker(1, "flare_up", "F", "Flare-up: worst pain 6/10"),
    ]
    svg = str(bars_svg(chart, markers=markers))
    assert EVENT.findall(svg) == [
        ("new_shoes", "W2", "W2: New shoes: Pegasus &lt;41&gt;"),
        ("flare_up", "W2", "W2: Flare-up: worst pain 6/10"),
    ]
    ys = re.findall(r'<circle cx="[^"]+" cy="([^"]+)" r="6"/>', svg)
    assert ys == ["24.0", "38.0"]


def test_band_shades_above_the_alert_level_and_points_carry_their_ratio():
    chart = Chart(
        "acwr",
        "Acute:chronic load",
        "ratio",
        ("W1", "W2", "W3"),
        (Series("acwr", "Ratio", (None, Decimal("1.20"), Decimal("1.80"))),),
        y_max=Decimal(2),
    )
    svg = str(
        band_svg(
            chart, band_from=Decimal("1.5"), band_label="Above 1.5: the alert level", reference=Decimal(1)
        )
    )
    # 200 px of plot for 0–2: the band spans 1.5 to 2 (y 16 to 66).
    assert (
        '<rect class="chart-band" x="48" y="16.0" width="496" height="48.0"><title>Above 1.5: the alert level</title></rect>'
        in svg
    )
    assert '<line class="chart-reference" x1="48" x2="544" y1="112.0" y2="112.0"/>' in svg
    points = re.findall(r'data-series="acwr" data-x="([^"]+)" data-value="([^"]+)"', svg)
    assert points == [("W2", "1.2"), ("W3", "1.8")]


def _run(day, km, **kwargs):
    return RunEntry(day=day, distance_m=km * 1000, duration_s=km * 360, **kwargs)


def test_events_new_shoes_speed_work_flare_up_and_life_stress():
    runs = [
        _run(MONDAY + timedelta(days=1), 8, pain_next_morning=1),
        _run(MONDAY + timedelta(days=8), 8, session_type="intervals", pain_next_morning=2),
        _run(MONDAY + timedelta(days=10), 8, session_type="tempo", pain_during=6),
        _run(MONDAY + timedelta(days=15), 8, session_type="tempo", pain_during=7),
    ]
    weeks = weekly_load(runs=runs, first_week=MONDAY, last_week=MONDAY + timedelta(days=20))
    body = [
        BodyEntry(day=MONDAY + timedelta(days=2), stress=8),
        BodyEntry(day=MONDAY + timedelta(days=3), stress=6),
        BodyEntry(day=MONDAY + timedelta(days=16), illness=True),
    ]
    shoes = [
        ShoeInfo(id=1, name="Pegasus", distance_m=100_000, first_run_on=MONDAY + timedelta(days=8)),
        ShoeInfo(id=2, name="Old pair", distance_m=600_000, first_run_on=MONDAY - timedelta(days=300)),
    ]
    events = timeline_events(weeks=weeks, runs=runs, body=body, shoes=shoes)
    assert [(e.day - MONDAY).days for e in events] == [2, 7, 8, 8, 16]
    assert [e.kind for e in events] == ["life_stress", "flare_up", "new_shoes", "speed_work", "life_stress"]
    assert events[1].text == "Flare-up: worst pain 6/10 in the week of 14 Sep (the week before: 1/10)."
    assert events[3].text == "Speed work added: 2 tempo, interval, hill or race runs in the week of 14 Sep."
    assert events[0].patient_text == "A stressful day (8/10)."


def test_past_eight_weeks_every_other_label_is_drawn_ending_with_the_last():
    values = tuple(Decimal(n) for n in range(16))
    svg = str(bars_svg(_distance(values)))
    labels = re.findall(
        r'<text class="chart-axis" x="[^"]+" y="226" text-anchor="middle">([^<]+)</text>', svg
    )
    assert labels == [f"W{n}" for n in range(2, 17, 2)]
    # Every bar still names its week.
    assert [x for _, x, _, _ in BAR.findall(svg)] == [f"W{n}" for n in range(1, 17)]
    short = str(bars_svg(_distance(values[:8])))
    assert len(re.findall(r'y="226" text-anchor="middle"', short)) == 8
