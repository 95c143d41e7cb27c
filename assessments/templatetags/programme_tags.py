"""Template helpers of the programme pages: charts, numbers, the patient hub's programme line."""

from django import template
from django.utils.safestring import SafeString

from assessments.programmes.charts import Chart, chart_svg, number
from assessments.programmes.selectors import programmes_of_patient

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


@register.inclusion_tag("assessments/programmes/_patient_programmes.html", takes_context=True)
def patient_programmes(context: template.Context, patient: object) -> dict[str, object]:
    """The patient hub's programme lines (one query)."""
    return {"programmes": list(programmes_of_patient(patient.pk)), "user": context.get("user")}


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@register.filter
def weekdays(value: str) -> str:
    """Weekday numbers to names: "0,2,4" → "Mon, Wed, Fri"."""
    return ", ".join(_DAYS[int(d)] for d in str(value).split(",") if d.strip().isdigit() and int(d) < 7)


@register.filter
def weekday_name(value: int) -> str:
    return _DAY_NAMES[int(value)] if str(value).isdigit() and int(value) < 7 else ""
