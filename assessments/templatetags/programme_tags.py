"""Template helpers of the programme pages: charts, numbers, weekdays."""

from django import template
from django.utils.safestring import SafeString

from assessments.programmes.charts import Chart, chart_svg, number

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
