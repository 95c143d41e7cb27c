"""The rules' English sentences (rules.Sentence) in the reader's language, for the patient's pages."""

from datetime import date

from django.utils.translation import get_language, gettext

from assessments.programmes.rules import Sentence
from assessments.programmes.rules._common import Value
from clinic.dates import format_date


def _value(value: Value) -> object:
    if isinstance(value, Sentence):
        return translated(value)
    if isinstance(value, date):
        return format_date(value, "day")
    if isinstance(value, tuple):
        return ", ".join(str(_value(v)) for v in value)
    return value


def translated(sentence: str) -> str:
    """`sentence` in the active language; English readers get the English exactly as the rules wrote it.

    A plain string (not a Sentence) comes back as it is.
    """
    if not isinstance(sentence, Sentence) or (get_language() or "en").startswith("en"):
        return str(sentence)
    return gettext(sentence.template).format(**{name: _value(v) for name, v in sentence.values.items()})
