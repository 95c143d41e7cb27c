import re
from datetime import date, datetime

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from patients.models import Patient

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y")


def _parse_date(token: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(token, fmt).date()  # noqa: DTZ007 -- a calendar date, no time
        except ValueError:
            continue
    return None


def _digits_only(field: str) -> Replace:
    expression = F(field)
    for char in " -().":
        expression = Replace(expression, Value(char), Value(""))
    return expression


def patient_search(*, query: str) -> QuerySet[Patient]:
    """Patients matching every word of `query`.

    A word may be part of a name, a date of birth (31/12/1990 or 1990-12-31),
    part of an email address, or part of a phone number (digits only).
    """
    patients = Patient.objects.annotate(phone_digits=_digits_only("phone"))
    for token in query.split():
        born = _parse_date(token)
        if born is not None:
            patients = patients.filter(date_of_birth=born)
            continue
        condition = (
            Q(first_name__icontains=token)
            | Q(last_name__icontains=token)
            | Q(preferred_name__icontains=token)
            | Q(email__icontains=token)
        )
        digits = re.sub(r"\D", "", token)
        if len(digits) >= 4 and len(digits) >= len(token) - 2:
            condition |= Q(phone_digits__contains=digits)
        patients = patients.filter(condition)
    return patients.order_by("last_name", "first_name", "pk")
