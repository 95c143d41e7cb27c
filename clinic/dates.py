"""Dates and times written as the reader's language writes them: one table for pages and emails.

`{{ starts_at|date_as:"long" }}` gives "Tuesday 24 November 2026" in the clinic's
British (or Australian) English, "Tuesday, November 24, 2026" in American English
and "martes, 24 de noviembre de 2026" in Spanish. The language is the active one:
LANGUAGE_CODE on staff pages (set by the clinic's country), the patient's on
patient pages and in their emails. Django's locale formats have no long date with
the weekday and write British dates with a.m./p.m., so the formats are here, by
name; day and month names come from Django's catalogues. Values are shown in the
current time zone, like `date`.

The filter is a template builtin (TEMPLATES OPTIONS "builtins"): every template,
page or email, can use it without `{% load %}`. Machine formats (Y-m-d in URLs and
form values, c in datetime attributes) stay with `date`, fixed.
"""

from datetime import date, datetime, time, tzinfo

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import get_language

register = template.Library()

# Each British format is what the pages wrote before the formats had names, so a
# British clinic's pages read exactly as they did.
_BRITISH = {
    "long": "l j F Y",  # Tuesday 24 November 2026
    "weekday": "l j F",  # Tuesday 24 November
    "weekday_time": "l j F, H:i",  # Tuesday 24 November, 10:00
    "weekday_month_short": "l j M",  # Tuesday 24 Nov
    "weekday_short": "D j M",  # Tue 24 Nov
    "weekday_short_time": "D j M H:i",  # Tue 24 Nov 10:00
    "weekday_short_time_zone": "D j M H:i T",  # Tue 24 Nov 10:00 GMT
    "weekday_short_year": "D j M Y",  # Tue 24 Nov 2026
    "weekday_short_year_time": "D j M Y H:i",  # Tue 24 Nov 2026 10:00
    "day": "j M Y",  # 24 Nov 2026
    "day_time": "j M Y H:i",  # 24 Nov 2026 10:00
    "day_long": "j F Y",  # 24 November 2026
    "date_time": "j F Y, H:i",  # 24 November 2026, 10:00
    "short": "j M",  # 24 Nov
    "short_time": "j M H:i",  # 24 Nov 10:00
    "day_month": "j F",  # 24 November
    "numeric": "d/m/Y",  # 24/11/2026
    "numeric_time": "d/m/Y H:i",  # 24/11/2026 10:00
    "numeric_seconds": "d/m/Y H:i:s",  # 24/11/2026 10:00:05
    "time": "H:i",  # 10:00
    "time_seconds": "H:i:s",  # 10:00:05
}
_AMERICAN = {
    "long": "l, F j, Y",  # Tuesday, November 24, 2026
    "weekday": "l, F j",
    "weekday_time": "l, F j, g:i A",
    "weekday_month_short": "l, M j",
    "weekday_short": "D, M j",
    "weekday_short_time": "D, M j, g:i A",
    "weekday_short_time_zone": "D, M j, g:i A T",
    "weekday_short_year": "D, M j, Y",
    "weekday_short_year_time": "D, M j, Y, g:i A",
    "day": "M j, Y",  # Nov 24, 2026
    "day_time": "M j, Y, g:i A",
    "day_long": "F j, Y",
    "date_time": "F j, Y, g:i A",
    "short": "M j",
    "short_time": "M j, g:i A",
    "day_month": "F j",
    "numeric": "m/d/Y",  # 11/24/2026
    "numeric_time": "m/d/Y g:i A",
    "numeric_seconds": "m/d/Y g:i:s A",
    "time": "g:i A",  # 10:00 AM
    "time_seconds": "g:i:s A",
}
_SPANISH = {
    "long": r"l, j \d\e F \d\e Y",  # martes, 24 de noviembre de 2026
    "weekday": r"l j \d\e F",
    "weekday_time": r"l j \d\e F, H:i",
    "weekday_month_short": r"l j \d\e F",
    "weekday_short": "D j b",  # mar 24 nov
    "weekday_short_time": "D j b H:i",
    "weekday_short_time_zone": "D j b H:i T",
    "weekday_short_year": "D j b Y",
    "weekday_short_year_time": "D j b Y H:i",
    "day": "j b Y",  # 24 nov 2026
    "day_time": "j b Y H:i",
    "day_long": r"j \d\e F \d\e Y",  # 24 de noviembre de 2026
    "date_time": r"j \d\e F \d\e Y, H:i",
    "short": r"j \d\e F",
    "short_time": r"j \d\e F, H:i",
    "day_month": r"j \d\e F",
    "numeric": "d/m/Y",
    "numeric_time": "d/m/Y H:i",
    "numeric_seconds": "d/m/Y H:i:s",
    "time": "H:i",
    "time_seconds": "H:i:s",
}
DATE_FORMATS: dict[str, dict[str, str]] = {
    "en-gb": _BRITISH,
    "en-au": _BRITISH,
    "en": _BRITISH,
    "en-us": _AMERICAN,
    "es": _SPANISH,
}
FORMAT_NAMES = tuple(_BRITISH)


def date_format_for(name: str, language: str | None = None) -> str:
    """The Django format `name` in `language` (the active one), its base language's, or British English's."""
    if name not in _BRITISH:
        raise ValueError(f"No date format named {name!r}: use one of {', '.join(FORMAT_NAMES)}.")
    code = (language or get_language() or "en-gb").lower()
    formats = DATE_FORMATS.get(code) or DATE_FORMATS.get(code.split("-")[0]) or _BRITISH
    return formats[name]


def format_date(
    value: date | datetime | time | None,
    name: str,
    language: str | None = None,
    *,
    zone: tzinfo | None = None,
) -> str:
    """`value` written the reader's way (for Python-side text); aware datetimes in `zone` or the current one.

    A datetime the `timezone` template filter has put in a zone (a location's) keeps it.
    """
    if value is None:
        return ""
    fmt = date_format_for(name, language)
    if isinstance(value, datetime):
        if timezone.is_aware(value) and zone is not None:
            value = value.astimezone(zone)
        elif timezone.is_aware(value) and getattr(value, "convert_to_local_time", True):
            value = timezone.localtime(value)
        return dateformat.format(value, fmt)
    if isinstance(value, time):
        return dateformat.time_format(value, fmt)
    return dateformat.format(value, fmt)


@register.filter(expects_localtime=True)
def date_as(value: date | datetime | time | None, name: str = "long") -> str:
    """`value` in the active language's format `name` (see DATE_FORMATS); "" for no value, like `date`."""
    if value in (None, ""):
        return ""
    try:
        return format_date(value, name)
    except (AttributeError, TypeError):
        return ""
