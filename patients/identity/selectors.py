import re
from datetime import date, datetime

from django.db.models import Q, QuerySet, Value

from patients.identity.search import Fold, patient_search_text
from patients.models import Patient

# The list's order, a total one for keyset pages (index patients_patient_name).
PATIENT_ORDER = ("last_name", "first_name", "pk")

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
    """
    base = Patient.all_objects if archived else Patient.objects
    patients = base.alias(search_text=patient_search_text())
    for token in query.split():
        born = _parse_date(token)
        if born is not None:
            patients = patients.filter(date_of_birth=born)
            continue
        # The word is folded by the database too, with the very function the index holds.
        condition = Q(search_text__contains=Fold(Value(token)))
        digits = re.sub(r"\D", "", token)
        if len(digits) >= 4 and len(digits) >= len(token) - 2:
            condition |= Q(phone_digits__contains=digits)
        patients = patients.filter(condition)
    return patients.order_by(*PATIENT_ORDER)
