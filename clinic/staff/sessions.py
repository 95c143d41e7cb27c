"""Session lifetime: an idle limit and an absolute limit (OWASP ASVS V7.3).

Two timestamps (Unix seconds) live in the session: when the user signed in
and when they were last active. SessionTimeoutMiddleware checks them on every
request and signs the user out once either limit has passed; the page script
(static/js/session.js) warns before the idle limit and offers to extend.

A request that carries the header `X-Stride-Session-Passive: 1` does not count
as activity: the page script's status checks and drafts saved because the
session is about to expire use it, so they cannot keep an idle session alive.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

SIGNED_IN_AT = "stride_signed_in_at"
ACTIVE_AT = "stride_active_at"
PASSIVE_HEADER = "X-Stride-Session-Passive"


@dataclass(frozen=True)
class SessionTimes:
    idle_remaining: int
    absolute_remaining: int

    @property
    def remaining(self) -> int:
        return max(0, min(self.idle_remaining, self.absolute_remaining))


def now_seconds() -> int:
    return int(time.time())


def session_start(session: SessionBase) -> None:
    """Start both clocks (called at sign-in)."""
    now = now_seconds()
    session[SIGNED_IN_AT] = now
    session[ACTIVE_AT] = now


# Activity is recorded at most this often: a page a second would otherwise write the session
# row on every request. The idle limit is then kept to within this many seconds, erring towards
# an earlier sign-out, never a later one. "Stay signed in" always restarts the clock.
TOUCH_EVERY_SECONDS = 60


def session_touch(session: SessionBase, *, force: bool = False) -> None:
    """Record activity: the idle clock starts again (written at most once a TOUCH_EVERY_SECONDS)."""
    now = now_seconds()
    if force or now - session.get(ACTIVE_AT, 0) >= TOUCH_EVERY_SECONDS:
        session[ACTIVE_AT] = now


def session_times(session: SessionBase) -> SessionTimes:
    now = now_seconds()
    # A session from before these keys existed counts from now.
    signed_in_at = session.get(SIGNED_IN_AT, now)
    active_at = session.get(ACTIVE_AT, now)
    return SessionTimes(
        idle_remaining=settings.SESSION_IDLE_TIMEOUT_SECONDS - (now - active_at),
        absolute_remaining=settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS - (now - signed_in_at),
    )


def session_end_reason(session: SessionBase) -> str | None:
    """The message to show if the session has run out, else None."""
    times = session_times(session)
    if times.absolute_remaining <= 0:
        return (
            "You were signed out because you had been signed in for "
            f"{duration_text(settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS)}. Please sign in again."
        )
    if times.idle_remaining <= 0:
        return (
            f"You were signed out after {duration_text(settings.SESSION_IDLE_TIMEOUT_SECONDS)} "
            "of inactivity. Please sign in again."
        )
    return None


def is_passive(request: HttpRequest) -> bool:
    return request.headers.get(PASSIVE_HEADER) == "1"


def wants_json(request: HttpRequest) -> bool:
    """The page script asks with `Accept: application/json`; browsers also accept HTML."""
    return request.accepts("application/json") and not request.accepts("text/html")


def duration_text(seconds: int) -> str:
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"
