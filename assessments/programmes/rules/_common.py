"""Shared constants and input validation of the programme rules (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Number = int | float | Decimal
Action = Literal["start", "advance", "hold", "step_down", "stop", "not_ready"]
# What each decision says on the programme and ladder pages.
DECISION_LABELS: dict[str, str] = {
    "start": "start",
    "advance": "advance",
    "hold": "hold",
    "step_down": "step down",
    "stop": "stop",
    "not_ready": "not ready",
}
Status = Literal["on_track", "behind", "attention"]

ONE_DP = Decimal("0.1")

RUN_PAIN_SAFE_MAX = 3  # §8.3: up to 3/10 during a run is fine if settled by next morning
RUN_PAIN_ACCEPTABLE_MAX = 5  # §8.3 [R28]: 4–5 acceptable, > 5 not acceptable
READINESS_PAIN_MAX = 2  # §8.4 [R29]: every readiness test with pain ≤ 2/10
NO_CHECKIN_ATTENTION_DAYS = 10  # the clinic's status rule
ADHERENCE_BEHIND_BELOW = Decimal(50)  # the clinic's status rule, percent
LEFS_MCID = 9  # §7.3
LEFS_DISCHARGE_SCORE = 70  # §8.6 †
LEFS_MAX = 80
PSFS_MDC = Decimal(2)  # §7.4, mean change
NPRS_MUCH_BETTER = 2  # §7.2, points
SLS_POOR_MAX = 1  # §8.6 †
SLS_CRITERIA_COUNT = 5


# --- Validation helpers ----------------------------------------------------
# Wrong types raise ValueError too, so callers catch one exception only.


def _int(value: object, name: str, low: int, high: int) -> int:
    # bool is an int subclass; True must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _pain(value: object, name: str) -> int:
    return _int(value, name, 0, 10)


def _optional_pain(value: object, name: str) -> int | None:
    return None if value is None else _pain(value, name)


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def _optional_bool(value: object, name: str) -> bool | None:
    return None if value is None else _bool(value, name)


def _date(value: object, name: str) -> date:
    # datetime is a date subclass; a timestamp is not a calendar day.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a date, got {value!r}")
    return value


def _decimal(value: object, name: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, got {value!r}")
    # str() keeps the float's shortest repr, so 0.1 becomes Decimal("0.1").
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be finite, got {value!r}")
    if (low is not None and result < low) or (high is not None and result > high):
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return result + 0  # + 0 turns -0 into 0


def _sequence(value: object, name: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{name} must be a sequence, got {value!r}")
    return value


def _fmt(value: Decimal) -> str:
    """Format a Decimal without exponent or trailing zeros after the point."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
