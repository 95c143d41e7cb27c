"""Accessible server-side SVG line charts, drawn from the same series as the table beside them.

A Chart holds its x labels and series; `chart_svg` draws it (role="img",
<title> and <desc>, one <title> per point so screen readers and hover show
the number) and `Chart.rows` gives the table, so the chart and the table can
never disagree. No JavaScript, no inline style: colours come from CSS
classes (static/css/programme.css). Pure Python: no database.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

Value = Decimal | int | None

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 52


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Chart:
    """A line chart over weeks (or time points): the single source of its SVG and its table."""

    key: str
    title: str
    description: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    y_max: Decimal | int | None = None

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.x_labels):
                raise ValueError(
                    f"{self.key}/{s.key}: {len(s.values)} values for {len(self.x_labels)} labels"
                )

    @property
    def rows(self) -> list[tuple[str, tuple[Value, ...]]]:
        """The table: one row per x label, one cell per series (None: no value)."""
        return [(label, tuple(s.values[i] for s in self.series)) for i, label in enumerate(self.x_labels)]

    @property
    def cells(self) -> list[tuple[str, tuple[tuple[str, Value], ...]]]:
        """The table with each cell's series key: [(x label, ((series key, value), …))]."""
        return [
            (label, tuple((s.key, s.values[i]) for s in self.series)) for i, label in enumerate(self.x_labels)
        ]

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)

    @property
    def top(self) -> Decimal:
        """The y-axis maximum: y_max, or the largest value rounded up to a tidy step."""
        if self.y_max is not None:
            return Decimal(self.y_max)
        largest = max(
            (Decimal(v) for s in self.series for v in s.values if v is not None), default=Decimal(0)
        )
        step = Decimal(5) if largest <= 20 else Decimal(10) if largest <= 100 else Decimal(50)
        return max(step, (largest / step).to_integral_value(rounding=ROUND_CEILING) * step)


def number(value: Value) -> str:
    """A value as the table and the chart print it (no exponent, no trailing zeros)."""
    if value is None:
        return "–"
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def x_at(chart: Chart, index: int) -> Decimal:
    """The x coordinate of the chart's `index`-th label (evenly spaced; one label sits in the middle)."""
    span = Decimal(WIDTH - LEFT - RIGHT)
    count = len(chart.x_labels)
    if count == 1:
        return Decimal(LEFT) + span / 2
    return Decimal(LEFT) + span * index / (count - 1)


def y_at(chart: Chart, value: Value) -> Decimal:
    """The y coordinate of `value` (clipped to 0 and the chart's top)."""
    span = Decimal(HEIGHT - TOP - BOTTOM)
    top = chart.top or Decimal(1)
    clipped = min(max(Decimal(value), Decimal(0)), top)
    return Decimal(HEIGHT - BOTTOM) - span * clipped / top


def coordinate(value: Decimal) -> str:
    return f"{value:.1f}"


# The names the line chart's code has always used.
_x, _y, _fmt = x_at, y_at, coordinate


def svg_open(chart: Chart, *, css: str = "progress-chart") -> list[SafeString]:
    """The <svg> element's opening, its <title> and <desc> (the chart's accessible name and description)."""
    title_id, desc_id = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    return [
        format_html(
            '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
            'data-chart="{}" xmlns="http://www.w3.org/2000/svg">',
            css,
            WIDTH,
            HEIGHT,
            title_id,
            desc_id,
            chart.key,
        ),
        format_html('<title id="{}">{}</title>', title_id, chart.title),
        format_html('<desc id="{}">{}</desc>', desc_id, chart.description),
    ]


def svg_axes(chart: Chart, *, label_every: int = 1) -> list[SafeString]:
    """Five horizontal grid lines with their values, and the x labels (every `label_every`-th, from the last)."""
    parts = []
    top = chart.top
    for step in range(5):
        value = top * step / 4
        y = _y(chart, value)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                LEFT,
                WIDTH - RIGHT,
                _fmt(y),
                _fmt(y),
            )
        )
        parts.append(
            format_html(
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT - 6,
                _fmt(y + 4),
                number(value.quantize(Decimal("0.1"))),
            )
        )
    last = len(chart.x_labels) - 1
    for index, label in enumerate(chart.x_labels):
        if (last - index) % label_every:
            continue
        parts.append(
            format_html(
                '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                _fmt(_x(chart, index)),
                HEIGHT - BOTTOM + 18,
                label,
            )
        )
    return parts


def svg_lines(chart: Chart, series: tuple[Series, ...] | None = None, *, first: int = 0) -> list[SafeString]:
    """Each series as a line through its points, one <title> per point (`first`: the colour of the first)."""
    parts = []
    for position, line in enumerate(chart.series if series is None else series, start=first):
        css = f"chart-series chart-series-{position}"
        # Lines join neighbouring weeks that both have a value; gaps stay gaps.
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(line.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_fmt(_x(chart, index))},{_fmt(_y(chart, value))}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(format_html('<polyline class="{}" points="{}"/>', css, " ".join(points)))
        for index, value in enumerate(line.values):
            if value is None:
                continue
            unit = f" {chart.unit}" if chart.unit else ""
            parts.append(
                format_html(
                    '<circle class="{} chart-point" cx="{}" cy="{}" r="4" data-series="{}" data-x="{}" data-value="{}">'
                    "<title>{}, {}: {}{}</title></circle>",
                    css,
                    _fmt(_x(chart, index)),
                    _fmt(_y(chart, value)),
                    line.key,
                    chart.x_labels[index],
                    number(value),
                    line.label,
                    chart.x_labels[index],
                    number(value),
                    unit,
                )
            )
    return parts


def svg_legend(chart: Chart) -> list[SafeString]:
    parts = []
    for position, series in enumerate(chart.series):
        x = LEFT + position * 150
        parts.append(
            format_html(
                '<rect class="chart-series-{} chart-swatch" x="{}" y="{}" width="12" height="12"/>'
                '<text class="chart-legend" x="{}" y="{}">{}</text>',
                position,
                x,
                HEIGHT - 14,
                x + 16,
                HEIGHT - 4,
                series.label,
            )
        )
    return parts


def svg_close(parts: list[SafeString]) -> SafeString:
    """The parts joined and the <svg> closed."""
    # Every part was built with format_html (its values escaped); the closing tag is fixed.
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 -- every part built by format_html  # nosec B308, B703


def chart_svg(chart: Chart) -> SafeString:
    """The chart as inline SVG markup (escaped text; safe to insert in a page)."""
    return svg_close([*svg_open(chart), *svg_axes(chart), *svg_lines(chart), *svg_legend(chart)])
