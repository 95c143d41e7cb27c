"""Shared constants and input validation of the programme rules (no Django)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Self

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


# --- Sentences for the patient ----------------------------------------------


def _(text: str) -> str:
    """Marks an English message for the catalogue (makemessages); these modules import nothing from Django."""
    return text


# What a Sentence may fill in: words (a Sentence, translated in turn), numbers, dates, and
# tuples of these (written as a list "a, b").
Value = str | int | Decimal | date | tuple["Value", ...]


def _english(value: Value) -> str | int | Decimal:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(str(_english(v)) for v in value)
    return value


class Sentence(str):
    """An English sentence that keeps its message id and values, so a patient's page can translate it.

    It is the English text itself (equal to it, stored and joined as it), made
    from `template`, a message id with `{name}` placeholders marked with `_()`,
    and `values`; a value that is a Sentence is translated in turn, dates are
    written ISO in the English. assessments.programmes.wording.translated
    gives it in the reader's language.
    """

    template: str
    values: Mapping[str, Value]

    def __new__(cls, template: str, /, **values: Value) -> Self:
        self = super().__new__(cls, template.format(**{k: _english(v) for k, v in values.items()}))
        self.template = template
        self.values = values
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Value]]:
        # Copies and pickles are made from the template and values, not the finished text.
        return (self.template,), dict(self.values)


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
