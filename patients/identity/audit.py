"""The audit log's view of patients (clinic.audit.selectors.PatientDirectory), registered at start-up.

The audit trail refers to a patient by id only; these let a clinic admin find
a patient's access events by name and read each event's patient by name.
"""

from collections.abc import Iterable

from clinic.audit.selectors import PatientDirectory
from patients.identity.selectors import patient_search
from patients.models import Patient


def _search(query: str, limit: int) -> list[int]:
    # Archived records too: their access history is still part of the record.
    return list(patient_search(query=query, archived=True).values_list("pk", flat=True)[:limit])


def _names(ids: Iterable[int]) -> dict[int, str]:
    return {
        p.pk: p.display_name
        for p in Patient.all_objects.filter(pk__in=list(ids)).only(
            "first_name", "preferred_name", "last_name"
        )
    }


DIRECTORY = PatientDirectory(search=_search, names=_names)
