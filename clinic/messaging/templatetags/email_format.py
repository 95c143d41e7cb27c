"""Dates and times in emails, written as the reader's language writes them.

`{{ starts_at|email_date:"long" }}` gives "Tuesday 24 November 2026" in the
clinic's British English, "Tuesday, November 24, 2026" in American English and
"martes, 24 de noviembre de 2026" in Spanish. Django's locale formats have no
long date with the weekday, so the formats are here, by language (the active
one: message_render activates the patient's); day and month names come from
Django's catalogues. Values are shown in the current time zone, like `date`.
"""

from datetime import date, datetime

from django import template
from django.utils import dateformat
from django.utils.translation import get_language

register = template.Library()

_BRITISH = {
    "long": "l j F Y",  # Tuesday 24 November 2026
    "weekday": "l j M",  # Tuesday 24 Nov
    "short": "j M",  # 24 Nov
    "day_month": "j F",  # 24 November
    "date_time": "j F Y, H:i",  # 24 November 2026, 10:00
    "time": "H:i",  # 10:00
}
EMAIL_DATE_FORMATS: dict[str, dict[str, str]] = {
    "en-gb": _BRITISH,
    "en-au": _BRITISH,
    "en": _BRITISH,
    "en-us": {
        "long": "l, F j, Y",
        "weekday": "l, M j",
        "short": "M j",
        "day_month": "F j",
        "date_time": "F j, Y, g:i A",
        "time": "g:i A",
    },
    "es": {
        "long": r"l, j \d\e F \d\e Y",
        "weekday": r"l j \d\e F",
        "short": r"j \d\e F",
        "day_month": r"j \d\e F",
        "date_time": r"j \d\e F \d\e Y, H:i",
        "time": "H:i",
    },
}


def email_date_format(name: str, language: str | None = None) -> str:
    """The format `name` in `language` (the active one), its base language's, or British English's."""
    code = (language or get_language() or "en-gb").lower()
    formats = EMAIL_DATE_FORMATS.get(code) or EMAIL_DATE_FORMATS.get(code.split("-")[0]) or _BRITISH
    return formats[name]


@register.filter(expects_localtime=True)
def email_date(value: date | datetime | None, name: str = "long") -> str:
    """`value` in the active language's email format `name` (long, weekday, short, day_month, date_time, time)."""
    if value in (None, ""):
        return ""
    return dateformat.format(value, email_date_format(name))
