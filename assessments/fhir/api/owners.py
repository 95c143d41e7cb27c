"""Whose record a resource belongs to, for a read by id (GET /fhir/<Type>/<id>).

A resource's id names the row it was built from (the export's ids:
`Appointment/41`, `Condition/impression-7`, `Goal/12-pain`). The id narrows the
read to one patient here; the view then builds that patient's resources of
the type and serves the one with the id, so a row that the export does not
turn into that resource is never served. Types whose ids join several rows
(Observation, QuestionnaireResponse) are read by search only.
"""

import re
from collections.abc import Callable

from django.db import models

from assessments.models import ImagingOrder, Impression, Programme
from clinic.messaging.models import ScheduledMessage
from patients.models import Appointment, RedFlag

Owner = Callable[[int], int | None]


def _patient_of(model: type[models.Model], path: str = "patient_id") -> Owner:
    def owner(pk: int) -> int | None:
        return model._default_manager.filter(pk=pk).values_list(path, flat=True).first()  # type: ignore[return-value]

    return owner


_PK = r"(\d{1,18})"
RULES: dict[str, tuple[tuple[re.Pattern[str], Owner], ...]] = {
    "Appointment": ((re.compile(rf"^{_PK}$"), _patient_of(Appointment)),),
    "Encounter": ((re.compile(rf"^{_PK}$"), _patient_of(Appointment)),),
    "Communication": ((re.compile(rf"^{_PK}$"), _patient_of(ScheduledMessage)),),
    "Flag": ((re.compile(rf"^{_PK}$"), _patient_of(RedFlag)),),
    "Condition": (
        (re.compile(rf"^impression-{_PK}$"), _patient_of(Impression, "assessment__patient_id")),
        (re.compile(rf"^red-flag-{_PK}$"), _patient_of(RedFlag)),
    ),
    "ServiceRequest": (
        (re.compile(rf"^{_PK}$"), _patient_of(ImagingOrder)),
        (re.compile(rf"^red-flag-referral-{_PK}$"), _patient_of(RedFlag)),
    ),
    "DiagnosticReport": ((re.compile(rf"^{_PK}$"), _patient_of(ImagingOrder)),),
    "CarePlan": ((re.compile(rf"^{_PK}$"), _patient_of(Programme)),),
    "Goal": ((re.compile(rf"^{_PK}-[a-z0-9-]+$"), _patient_of(Programme)),),
}
# Patient is read by its own id; these types by the rules above.
READABLE_BY_ID: tuple[str, ...] = ("Patient", *RULES)


def owner_patient_id(resource_type: str, resource_id: str) -> int | None:
    """The id of the patient whose `resource_type`/`resource_id` it would be, or None."""
    for pattern, owner in RULES.get(resource_type, ()):
        match = pattern.match(resource_id)
        if match is not None:
            return owner(int(match[1]))
    return None
