"""When patient emails go: exact offsets and quiet hours (pure).

"N hours before" is N × 3600 s of elapsed time, computed in UTC, so the
answer does not depend on the time zone of the value passed in and a
reminder 24 h before a visit is 24 real hours before it across a DST change.
Quiet hours are local wall-clock times in the clinic's zone.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def hours_before(moment: datetime, hours: int) -> datetime:
    """The instant `hours` × 3600 s before an aware `moment`, in UTC."""
    if moment.tzinfo is None:
        raise ValueError("hours_before needs an aware datetime.")
    return moment.astimezone(UTC) - timedelta(hours=hours)


def parse_quiet_hours(value: str) -> tuple[time, time]:
    """ "21:00-07:00" → (21:00, 07:00); the period may wrap past midnight."""
    start, _, end = value.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def in_quiet_hours(moment: datetime, *, zone: str, quiet: tuple[time, time]) -> bool:
    start, end = quiet
    local = moment.astimezone(ZoneInfo(zone)).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_adjust(
    due_at: datetime, *, zone: str, quiet: tuple[time, time], deadline: datetime | None = None
) -> datetime:
    """Move a due time out of quiet hours.

    Inside quiet hours the message waits for their end (07:00 local), unless
    that is at or after `deadline` (the visit it is about): then it goes just
    before quiet hours began (20:59 local the evening before). A result in
    UTC.
    """
    if not in_quiet_hours(due_at, zone=zone, quiet=quiet):
        return due_at.astimezone(UTC)
    tz = ZoneInfo(zone)
    start, end = quiet
    local = due_at.astimezone(tz)
    end_day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    after = datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)
    if deadline is None or after < deadline:
        return after
    start_day = local.date() if local.time() >= start else local.date() - timedelta(days=1)
    before = datetime.combine(start_day, start, tzinfo=tz).astimezone(UTC) - timedelta(minutes=1)
    return before
