"""Which free times suit a waitlist entry, and how long an offer stays open (pure: no database).

Times are compared as local wall-clock times in the location's zone, so a
morning stays a morning across a daylight-saving change.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from patients.booking.waitlist.choices import PartOfDay

# Local wall-clock bounds of each part of the day: a visit belongs to the part its start falls in.
PART_BOUNDS: dict[int, tuple[time, time]] = {
    PartOfDay.MORNING: (time(0), time(12)),
    PartOfDay.AFTERNOON: (time(12), time(17)),
    PartOfDay.EVENING: (time(17), time.max),
}


def bits_of(values: Iterable[int]) -> int:
    """Weekdays (Monday = 0) as a bit set: {0, 2} → 0b101."""
    result = 0
    for value in values:
        result |= 1 << int(value)
    return result


def values_of(bits: int, count: int = 7) -> list[int]:
    """The weekdays of a bit set: 0b101 → [0, 2]."""
    return [value for value in range(count) if bits & (1 << value)]


@dataclass(frozen=True)
class Wish:
    """What a waitlist entry asks for (weekdays and parts of the day as bit sets)."""

    weekdays: int
    parts_of_day: int
    earliest: time | None
    latest: time | None
    until: date
    therapist_id: int | None = None
    # Only times starting before this (the visit the patient wants to bring forward).
    before: datetime | None = None


def suits(wish: Wish, *, therapist_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether a free time (aware datetimes in the location's zone) is one the entry asked for."""
    if wish.therapist_id is not None and therapist_id != wish.therapist_id:
        return False
    if wish.before is not None and starts_at >= wish.before:
        return False
    day = starts_at.date()
    if day > wish.until or not wish.weekdays & (1 << day.weekday()):
        return False
    start = starts_at.time()
    if wish.parts_of_day:
        return any(
            low <= start < high for part, (low, high) in PART_BOUNDS.items() if wish.parts_of_day & part
        )
    if wish.earliest is None or wish.latest is None:
        return False
    return ends_at.date() == day and wish.earliest <= start and ends_at.time() <= wish.latest


def offer_expiry(
    *, now: datetime, starts_at: datetime, offer_minutes: int, min_notice: timedelta
) -> datetime | None:
    """When an offer made now closes: after `offer_minutes`, never after the booking cutoff.

    None when the cutoff (the visit's start less the minimum notice) has passed.
    """
    expires_at = min(now + timedelta(minutes=offer_minutes), starts_at - min_notice)
    return expires_at if expires_at > now else None
