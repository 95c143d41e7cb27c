import re
from datetime import date, datetime

from django.db.models import Q, QuerySet, Value

from patients.identity.search import Fold, Unindexed, patient_search_text
from patients.models import Patient

# The list's order, a total one for keyset pages (index patients_patient_name).
PATIENT_ORDER = ("last_name", "first_name", "pk")
# The same order over values no index serves: a search that an index narrows sorts its matches.
_MATCHES_ORDER = (Unindexed("last_name"), Unindexed("first_name"), Unindexed("pk", number=True))
# Trigrams need three characters: a shorter word cannot narrow the search through the index.
_INDEXED_WORD = 3
# Part of a phone number narrows only when long: every mobile shares its first few digits.
_INDEXED_DIGITS = 7

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y")


def _parse_date(token: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(token, fmt).date()  # noqa: DTZ007 -- a calendar date, no time
        except ValueError:
            continue
    return None


def patient_search(*, query: str, archived: bool = False) -> QuerySet[Patient]:
    """Patients matching every word of `query`, in name order.

    A word may be part of a name or an email address (on PostgreSQL regardless
    of case and accents: "zoe" finds Zoë), a date of birth (31/12/1990 or
    1990-12-31), or part of a phone number (digits only). Each word is one
    trigram-index lookup (patients_patient_search, and patients_patient_phone_digits
    for a number). `archived` includes archived records (the audit log's search).

    When a word the indexes can narrow on is given (a date, three characters or
    more of a name or address, seven digits or more of a number), the matches
    are fetched through the index and sorted; shorter words match many rows,
    found soonest by walking the name order.
    """
    base = Patient.all_objects if archived else Patient.objects
    patients = base.alias(search_text=patient_search_text())
    narrowed = False
    for token in query.split():
        born = _parse_date(token)
        if born is not None:
            patients = patients.filter(date_of_birth=born)
            narrowed = True
            continue
        digits = re.sub(r"\D", "", token)
        is_number = len(digits) >= 4 and len(digits) >= len(token) - 2
        narrowed = narrowed or (len(digits) >= _INDEXED_DIGITS if is_number else len(token) >= _INDEXED_WORD)
        # The word is folded by the database too, with the very function the index holds.
        condition = Q(search_text__contains=Fold(Value(token)))
        if is_number:
            condition |= Q(phone_digits__contains=digits)
        patients = patients.filter(condition)
    return patients.order_by(*(_MATCHES_ORDER if narrowed else PATIENT_ORDER))
