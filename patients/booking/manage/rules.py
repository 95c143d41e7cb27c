"""When a patient may still change a visit themselves (pure: no database)."""

from datetime import datetime, timedelta
from enum import Enum


class ManageState(Enum):
    OPEN = "open"  # cancel or move it here
    LATE = "late"  # inside the late-cancellation window: call the clinic
    CLOSED = "closed"  # started, cancelled, done, or not yet confirmed


def manage_state(
    *, status: str, hold: str, starts_at: datetime, now: datetime, late_cancellation_hours: int
) -> ManageState:
    """OPEN for a confirmed booked visit more than `late_cancellation_hours` away."""
    if status != "booked" or hold != "" or starts_at <= now:
        return ManageState.CLOSED
    if starts_at - now < timedelta(hours=late_cancellation_hours):
        return ManageState.LATE
    return ManageState.OPEN
