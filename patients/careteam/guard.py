"""The care-team rule as a record guard (clinic.staff.access), registered in PatientsConfig.ready()."""

from django.http import HttpRequest

from clinic.staff.access import RecordAccessRefused
from patients.careteam.selectors import may_read_record
from patients.models import Patient


def care_team_guard(request: HttpRequest, patient_id: int) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if may_read_record(user, patient_id):
        return
    # A record that does not exist (or is archived, which only clinic admins open) is the
    # view's 404, not a reason to break the glass.
    if Patient.objects.filter(pk=patient_id).exists():
        raise RecordAccessRefused(patient_id)
