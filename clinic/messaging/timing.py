"""When patient emails go: exact offsets, local wall times and quiet hours (pure).

Two kinds of time rule (docs/clinical-rules.md, "When reminders go"):

- "N hours before" is N × 3600 s of elapsed time, computed in UTC, so the
  answer does not depend on the time zone of the value passed in, and a
  reminder 24 h before a visit is 24 real hours before it across a DST change
  (its local clock time may then differ by the hour the clocks moved).
- "At a local wall time on a day" (08:00 on exercise days) is computed in the
  zone's calendar with zoneinfo, so it stays at 08:00 local across DST.

Quiet hours are local wall-clock times in the clinic's zone; a period whose
start is later than its end wraps past midnight (21:00-07:00).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Quiet hours with start == end are none at all ("off").
NO_QUIET_HOURS = (time(0), time(0))


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} needs an aware datetime.")


def hours_before(moment: datetime, hours: int) -> datetime:
    """The instant `hours` × 3600 s before an aware `moment`, in UTC."""
    _aware(moment, "hours_before")
    return moment.astimezone(UTC) - timedelta(hours=hours)


def local_moment(day: date, at: time, zone: str) -> datetime:
    """`at` o'clock on `day` in `zone`, in UTC.

    A wall time the clocks skip (01:30 on the spring-forward night in London)
    is read with the offset before the change, so it lands just after the
    gap (02:30 BST); a repeated one (01:30 on the autumn night) is its first
    occurrence.
    """
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_day_end(day: date, zone: str) -> datetime:
    """The end of `day` in `zone` (local midnight that starts the next day), in UTC."""
    return local_moment(day + timedelta(days=1), time(0), zone)


def parse_quiet_hours(value: str) -> tuple[time, time]:
    """ "21:00-07:00" → (21:00, 07:00); the period may wrap past midnight. "off" → none."""
    if value.strip().lower() in {"off", "none"}:
        return NO_QUIET_HOURS
    start, sep, end = value.partition("-")
    try:
        if not sep:
            raise ValueError
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ValueError(f"Quiet hours must read like 21:00-07:00 (or off), not {value!r}.") from None


def in_quiet_hours(moment: datetime, *, zone: str, quiet: tuple[time, time]) -> bool:
    """Is the aware `moment` inside quiet hours (start included, end excluded) in `zone`?"""
    _aware(moment, "in_quiet_hours")
    start, end = quiet
    local = moment.astimezone(ZoneInfo(zone)).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_adjust(
    due_at: datetime,
    *,
    zone: str,
    quiet: tuple[time, time],
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> datetime:
    """Move a due time out of quiet hours; the result is in UTC.

    Inside quiet hours the message waits for their end (07:00 local), unless
    that is at or after `deadline` (the visit it is about, its expiry): then it
    goes one minute before quiet hours began (20:59 local the evening before).
    When that evening slot is also gone (`now` is past it: a visit at 06:30
    booked at 22:00), the result is `now` if that is not quiet yet, else the
    deadline itself: no time outside quiet hours is left before it, and the
    dispatcher expires the row there rather than wake the patient. A due time already at or after the deadline
    is left alone (it expires anyway). Outside quiet hours nothing moves.
    """
    _aware(due_at, "quiet_hours_adjust")
    due_at = due_at.astimezone(UTC)
    if not in_quiet_hours(due_at, zone=zone, quiet=quiet):
        return due_at
    if deadline is not None and due_at >= deadline:
        return due_at
    tz = ZoneInfo(zone)
    start, end = quiet
    local = due_at.astimezone(tz)
    end_day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    after = local_moment(end_day, end, zone)
    if deadline is None or after < deadline:
        return after
    start_day = local.date() if local.time() >= start else local.date() - timedelta(days=1)
    before = local_moment(start_day, start, zone) - timedelta(minutes=1)
    if now is not None and before < now:
        # The evening slot has passed: now itself if it is not quiet yet, else the deadline.
        if now < deadline and not in_quiet_hours(now, zone=zone, quiet=quiet):
            return now.astimezone(UTC)
        return deadline.astimezone(UTC)
    return before
