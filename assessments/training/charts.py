"""The training timeline's charts, drawn with the progress charts' pieces (assessments.programmes.charts).

- `bars_svg`: weekly distance as bars (cutback weeks marked), with the
  week's events as markers above them;
- `band_svg`: a line chart with a shaded band (the acute:chronic ratio above
  its alert level) and a reference line;
- `lines_svg`: the progress charts' line chart, x labels thinned like the others.

Each chart is a `Chart`, so its table (`Chart.rows`) and its SVG come from
the same numbers; every bar, point and marker has a <title> with its
number. No JavaScript, no inline style (classes in static/css/programme.css).
Pure Python: no database.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString

from assessments.programmes.charts import (
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    Chart,
    coordinate,
    number,
    svg_axes,
    svg_close,
    svg_legend,
    svg_lines,
    svg_open,
    x_at,
    y_at,
)

BAR_MAX_WIDTH = Decimal(28)
MARKER_STEP = 14  # px between the markers of one week
LABELS_MAX = 8  # more weeks than this: every other x label (the table and each <title> name every week)


def _label_every(chart: Chart) -> int:
    return 1 if len(chart.x_labels) <= LABELS_MAX else 2


@dataclass(frozen=True)
class Marker:
    """An event drawn above a week's bar: `index` of the week, a one-letter `symbol` and its text."""

    index: int
    kind: str
    symbol: str
    text: str


def _bar_width(chart: Chart) -> Decimal:
    count = max(len(chart.x_labels), 1)
    return min(BAR_MAX_WIDTH, Decimal(WIDTH - LEFT - RIGHT) / count * Decimal("0.6"))


def bars_svg(
    chart: Chart, *, markers: Sequence[Marker] = (), marked: Sequence[bool] = (), marked_label: str = ""
) -> SafeString:
    """The chart's first series as bars; `marked` weeks (e.g. cutback weeks) get their own class and note."""
    series = chart.series[0]
    width = _bar_width(chart)
    base = y_at(chart, 0)
    parts = [
        *svg_open(chart, css="progress-chart training-chart"),
        *svg_axes(chart, label_every=_label_every(chart)),
    ]
    unit = f" {chart.unit}" if chart.unit else ""
    for index, value in enumerate(series.values):
        if value is None:
            continue
        top = y_at(chart, value)
        is_marked = index < len(marked) and marked[index]
        note = f" ({marked_label})" if is_marked and marked_label else ""
        parts.append(
            format_html(
                '<rect class="chart-bar{}" x="{}" y="{}" width="{}" height="{}" data-series="{}" data-x="{}" '
                'data-value="{}"><title>{}, {}: {}{}{}</title></rect>',
                " chart-bar-marked" if is_marked else "",
                coordinate(x_at(chart, index) - width / 2),
                coordinate(top),
                coordinate(width),
                coordinate(base - top),
                series.key,
                chart.x_labels[index],
                number(value),
                series.label,
                chart.x_labels[index],
                number(value),
                unit,
                note,
            )
        )
    stacked: dict[int, int] = {}
    for marker in markers:
        row = stacked.get(marker.index, 0)
        stacked[marker.index] = row + 1
        x, y = x_at(chart, marker.index), Decimal(TOP + 8 + row * MARKER_STEP)
        parts.append(
            format_html(
                '<g class="chart-event chart-event-{}" data-event="{}" data-x="{}"><title>{}: {}</title>'
                '<circle cx="{}" cy="{}" r="6"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
                marker.kind,
                marker.kind,
                chart.x_labels[marker.index],
                chart.x_labels[marker.index],
                marker.text,
                coordinate(x),
                coordinate(y),
                coordinate(x),
                coordinate(y + 4),
                marker.symbol,
            )
        )
    parts.extend(svg_legend(chart))
    return svg_close(parts)


def band_svg(
    chart: Chart, *, band_from: Decimal, band_label: str, reference: Decimal | None = None
) -> SafeString:
    """A line chart with the range above `band_from` shaded (its label in a <title>) and a reference line."""
    top = chart.top
    parts = [*svg_open(chart, css="progress-chart training-chart")]
    if band_from < top:
        upper, lower = y_at(chart, top), y_at(chart, band_from)
        parts.append(
            format_html(
                '<rect class="chart-band" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
                LEFT,
                coordinate(upper),
                WIDTH - LEFT - RIGHT,
                coordinate(lower - upper),
                band_label,
            )
        )
    parts.extend(svg_axes(chart, label_every=_label_every(chart)))
    if reference is not None and reference <= top:
        y = coordinate(y_at(chart, reference))
        parts.append(
            format_html(
                '<line class="chart-reference" x1="{}" x2="{}" y1="{}" y2="{}"/>', LEFT, WIDTH - RIGHT, y, y
            )
        )
    parts.extend(svg_lines(chart))
    parts.extend(svg_legend(chart))
    return svg_close(parts)


def lines_svg(chart: Chart) -> SafeString:
    """The progress charts' line chart, with every other x label past LABELS_MAX weeks."""
    return svg_close(
        [
            *svg_open(chart, css="progress-chart training-chart"),
            *svg_axes(chart, label_every=_label_every(chart)),
            *svg_lines(chart),
            *svg_legend(chart),
        ]
    )
