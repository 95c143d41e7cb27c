"""Distances, times and paces of the training log in the patient's unit."""

from django import template

from assessments.training.durations import format_duration, format_pace
from assessments.training.load import to_unit

register = template.Library()


@register.filter
def in_unit(distance_m: int | None, unit: str) -> str:
    """Metres as "5.2 km" / "3.23 mi" (trailing zeros dropped)."""
    if distance_m is None:
        return ""
    value = to_unit(int(distance_m), unit)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


@register.filter
def hms(seconds: int | None) -> str:
    return "" if seconds is None else format_duration(int(seconds))


@register.simple_tag
def pace(distance_m: int, duration_s: int, unit: str) -> str:
    return format_pace(distance_m=distance_m, duration_s=duration_s, unit=unit) if distance_m else ""
