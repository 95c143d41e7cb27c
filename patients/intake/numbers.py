"""How the patient's numbers are read and shown back: pace as m:ss, no trailing ".0".

Pure (no Django): the intake's pace field, its review, the therapist's
summary and the assessment's pre-fill all read and write pace through
these functions, so "5:45" typed comes back as 5:45 everywhere.
Pace is stored as decimal minutes per km with two places (5:45 → 5.75).
"""

import re
from decimal import Decimal, InvalidOperation

# "5:45", "05:45", "10:00": seconds always two digits ("4:5" is refused: 4:05 or 4:50?).
_MM_SS = re.compile(r"^\s*(\d{1,2})\s*:\s*(\d{2})\s*$")
_WHOLE = re.compile(r"^\s*\d{1,2}\s*$")
PLACES = Decimal("0.01")


class PaceError(ValueError):
    """The text is not a pace (m:ss, or whole minutes and seconds)."""


def pace_from_parts(minutes: str, seconds: str) -> Decimal | None:
    """Minutes and seconds as typed in two boxes ("5", "45") → 5.75; both empty → None.

    Empty seconds mean whole minutes ("6", "" → 6.00); seconds are 0–59.
    """
    minutes, seconds = (minutes or "").strip(), (seconds or "").strip()
    if not minutes and not seconds:
        return None
    if not _WHOLE.match(minutes or "x") or (seconds and not _WHOLE.match(seconds)):
        raise PaceError("not whole minutes and seconds")
    whole_seconds = int(seconds or 0)
    if whole_seconds >= 60:
        raise PaceError("seconds past 59")
    return (Decimal(int(minutes)) + Decimal(whole_seconds) / 60).quantize(PLACES)


def parse_pace(text: str) -> Decimal | None:
    """A pace typed as one text ("5:45", "05:45", "10:00"), or decimal minutes ("5.5"); blank → None."""
    text = (text or "").strip()
    if not text:
        return None
    match = _MM_SS.match(text)
    if match:
        return pace_from_parts(match.group(1), match.group(2))
    if ":" in text:
        raise PaceError("not m:ss")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise PaceError("not a number") from exc
    if not value.is_finite():
        raise PaceError("not a number")
    return value.quantize(PLACES)


def pace_parts(value: Decimal | float | int | str | None) -> tuple[str, str]:
    """Decimal minutes → ("5", "45") for the two boxes; ("", "") when there is none."""
    if value in (None, ""):
        return "", ""
    total = int((Decimal(str(value)) * 60).quantize(Decimal(1)))
    return str(total // 60), f"{total % 60:02d}"


def format_pace(value: Decimal | float | int | str | None) -> str:
    """Decimal minutes per km as m:ss (5.75 → "5:45"); "" when there is none."""
    minutes, seconds = pace_parts(value)
    return f"{minutes}:{seconds}" if minutes else ""


def plain_number(value: object) -> str:
    """A number as a person writes it: 8.0 → "8", 168.0 → "168", 61.50 → "61.5", 100 → "100"."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text
