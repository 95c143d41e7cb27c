"""Adherence and the on track / behind / attention status of a programme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from assessments.programmes.rules._common import (
    ADHERENCE_BEHIND_BELOW,
    NO_CHECKIN_ATTENTION_DAYS,
    ONE_DP,
    Status,
    _date,
    _decimal,
    _int,
    _optional_pain,
    _sequence,
)

# --- Adherence and programme status ----------------------


def adherence_percent(done: int, prescribed: int) -> Decimal | None:
    """Return sessions done ÷ prescribed × 100 to 1 dp (half-up); None if none prescribed.

    More sessions than prescribed give more than 100 %; the value is not capped.
    """
    _int(done, "done", 0, 1000)
    _int(prescribed, "prescribed", 0, 1000)
    if prescribed == 0:
        return None
    # Multiply before dividing so exact ties round half-up.
    return (Decimal(done) * 100 / Decimal(prescribed)).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def worst_pain_rising(pains: Sequence[int]) -> tuple[int, int, int] | None:
    """The last three weekly worst pains when each is higher than the one before (two weeks in a row), else None.

    `pains` are the weeks with an answer, oldest first.
    """
    if len(pains) >= 3 and pains[-3] < pains[-2] < pains[-1]:
        return pains[-3], pains[-2], pains[-1]
    return None


@dataclass(frozen=True)
class StatusResult:
    """Programme status and the rules that set it (empty reasons when on track)."""

    status: Status
    reasons: tuple[str, ...]


def programme_status(
    *,
    today: date,
    last_checkin: date | None,
    start_date: date,
    worst_pain_by_week: Sequence[int | None],
    adherence_by_week: Sequence[Decimal | None],
    open_red_flags: int = 0,
    outstanding_imaging: int = 0,
) -> StatusResult:
    """Return on_track, behind or attention for the therapist's dashboard.

    Rules (attention wins over behind; every rule that fires adds a reason):
    - attention: the patient has an open red flag (any source), or an
      imaging order still outstanding (ordered, booked, or reported and not
      yet reviewed); these count even before start_date.
    - attention: 10 or more days without a check-in, counted from the last
      check-in, or from start_date if there is none yet (so never in week 1).
    - attention: worst pain rose two weeks in a row (the last three weeks with
      an answer, each higher than the one before).
    - behind: the latest week with sessions prescribed has adherence < 50 %.
    - on_track otherwise, and before start_date.
    Weeks are in order, oldest first; None means no answer / nothing prescribed.
    """
    _date(today, "today")
    _date(start_date, "start_date")
    if last_checkin is not None:
        _date(last_checkin, "last_checkin")
        if last_checkin < start_date:
            raise ValueError(f"last_checkin {last_checkin} is before start_date {start_date}")
        if last_checkin > today:
            raise ValueError(f"last_checkin {last_checkin} is after today {today}")
    pains = [
        _optional_pain(p, "worst_pain_by_week item")
        for p in _sequence(worst_pain_by_week, "worst_pain_by_week")
    ]
    adherence = [
        None if a is None else _decimal(a, "adherence_by_week item", Decimal(0))
        for a in _sequence(adherence_by_week, "adherence_by_week")
    ]
    flags = _int(open_red_flags, "open_red_flags", 0, 1000)
    imaging = _int(outstanding_imaging, "outstanding_imaging", 0, 1000)
    safety: list[str] = []
    if flags:
        safety.append(f"{flags} open red flag{'s' if flags > 1 else ''} to review.")
    if imaging:
        safety.append(f"{imaging} imaging order{'s' if imaging > 1 else ''} outstanding.")
    if today < start_date:
        return StatusResult("attention", tuple(safety)) if safety else StatusResult("on_track", ())

    attention: list[str] = list(safety)
    behind: list[str] = []

    since = last_checkin or start_date
    days = (today - since).days
    if days >= NO_CHECKIN_ATTENTION_DAYS:
        if last_checkin is None:
            attention.append(
                f"No check-in yet, {days} days after the programme started on {start_date.isoformat()}."
            )
        else:
            attention.append(f"No check-in for {days} days (last on {last_checkin.isoformat()}).")

    rising = worst_pain_rising([p for p in pains if p is not None])
    if rising is not None:
        a, b, c = rising
        attention.append(f"Worst pain has risen two weeks in a row ({a} → {b} → {c}/10).")

    recorded = [a for a in adherence if a is not None]
    if recorded and recorded[-1] < ADHERENCE_BEHIND_BELOW:
        behind.append(
            f"Exercise adherence in the latest week was {recorded[-1]} %, below {ADHERENCE_BEHIND_BELOW} %."
        )

    if attention:
        return StatusResult("attention", tuple(attention + behind))
    if behind:
        return StatusResult("behind", tuple(behind))
    return StatusResult("on_track", ())
