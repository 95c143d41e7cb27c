"""What may be booked online, by time: pure rules on the clinic's settings (no database)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class BookingWindow:
    """Starts from `earliest` on, on local days up to and including `last_day`."""

    earliest: datetime
    last_day: date

    def allows(self, starts_at: datetime, zone: ZoneInfo) -> bool:
        return starts_at >= self.earliest and starts_at.astimezone(zone).date() <= self.last_day


def booking_window(
    *, now: datetime, zone: ZoneInfo, min_notice_hours: int, same_day: bool, weeks_ahead: int
) -> BookingWindow:
    """The online booking window at `now` in the location's zone.

    Minimum notice is elapsed time (hours × 3600 s, whatever the clocks do);
    without same-day booking nothing starts before the next local midnight;
    `weeks_ahead` weeks of local days from today are offered.
    """
    earliest = now + timedelta(hours=min_notice_hours)
    today = now.astimezone(zone).date()
    if not same_day:
        earliest = max(earliest, datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone))
    return BookingWindow(earliest=earliest, last_day=today + timedelta(weeks=weeks_ahead))
