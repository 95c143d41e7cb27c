"""Run times as the patient types and reads them: "45:30", "1:05:00", "45" (minutes). Pure: no Django.

A phone's number pad may have no colon, so a full stop, comma or space
separates the parts as well ("45.30", "1 05 00").
"""

import re
from decimal import Decimal

_SPLIT = re.compile(r"[:.,\s]+")
_MILE_M = Decimal("1609.344")


def parse_duration(text: str) -> int:
    """Seconds from "h:mm:ss", "mm:ss" or whole minutes; ValueError with the patient's message otherwise."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("How long was the run?")
    parts = _SPLIT.split(cleaned)
    if len(parts) > 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError("Type the time as h:mm:ss or mm:ss, like 45:30 or 1:05:00.")
    numbers = [int(p) for p in parts]
    if len(numbers) == 1:
        seconds = numbers[0] * 60
    elif len(numbers) == 2:
        minutes, secs = numbers
        if secs >= 60:
            raise ValueError("Seconds go up to 59, like 45:30.")
        seconds = minutes * 60 + secs
    else:
        hours, minutes, secs = numbers
        if minutes >= 60 or secs >= 60:
            raise ValueError("Minutes and seconds go up to 59, like 1:05:00.")
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds <= 0:
        raise ValueError("The time must be more than zero.")
    return seconds


def format_duration(seconds: int) -> str:
    """ "h:mm:ss" from an hour on, "mm:ss" below."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def pace_seconds(*, distance_m: int, duration_s: int, unit: str) -> int:
    """Seconds per km or per mile, to the nearest second."""
    per = Decimal(1000) if unit == "km" else _MILE_M
    return int((Decimal(duration_s) * per / Decimal(distance_m)).to_integral_value())


def format_pace(*, distance_m: int, duration_s: int, unit: str) -> str:
    """ "5:24 /km" or "8:42 /mi"."""
    return f"{format_duration(pace_seconds(distance_m=distance_m, duration_s=duration_s, unit=unit))} /{unit}"
