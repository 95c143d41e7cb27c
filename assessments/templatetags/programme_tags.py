"""Template helpers of the programme pages: charts, numbers, weekdays."""

from django import template
from django.utils.safestring import SafeString

from assessments.programmes.charts import Chart, chart_svg, number
from assessments.programmes.choices import DashboardStatus
from assessments.programmes.phase_plans import weeks_text
from assessments.programmes.rules._common import DECISION_LABELS

register = template.Library()


@register.simple_tag
def chart(value: Chart) -> SafeString:
    """`{% chart c %}`: the chart as accessible inline SVG."""
    return chart_svg(value)


@register.filter(name="num")
def num(value: object) -> str:
    """A number as the charts print it ("–" for none, no trailing zeros)."""
    return number(value)


@register.filter
def pick(mapping: dict | None, key: object) -> object:
    """`{{ mapping|pick:key }}` (None when missing)."""
    return (mapping or {}).get(key)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@register.filter
def weekdays(value: str) -> str:
    """Weekday numbers to names: "0,2,4" → "Mon, Wed, Fri"."""
    return ", ".join(_DAYS[int(d)] for d in str(value).split(",") if d.strip().isdigit() and int(d) < 7)


@register.filter
def weekday_name(value: int) -> str:
    return _DAY_NAMES[int(value)] if str(value).isdigit() and int(value) < 7 else ""


@register.filter
def phase_weeks(phase: object, rows: list[dict[str, object]]) -> str:
    """`{{ row.phase|phase_weeks:phases }}`: the phase's weeks in words, saying where it overlaps an earlier phase."""
    start, end = getattr(phase, "start_week", None), getattr(phase, "end_week", None)
    if not start or not end:
        return ""
    earlier = []
    for row in rows:
        other = row["phase"]
        if other is phase:
            break
        if getattr(other, "start_week", None) and getattr(other, "end_week", None):
            earlier.append(other.end_week)  # type: ignore[attr-defined]  # a ProgrammePhase
    return weeks_text(start, end, earlier_ends=tuple(earlier))


@register.filter
def decision_label(action: object) -> str:
    """What the ladder rules say now, in words ("step_down" → "step down")."""
    return DECISION_LABELS.get(str(action), str(action).replace("_", " "))


@register.filter
def dashboard_status_label(status: object) -> str:
    """A programme's dashboard status in words ("on_track" → "On track")."""
    try:
        return DashboardStatus(str(status)).label
    except ValueError:
        return str(status).replace("_", " ").capitalize()
