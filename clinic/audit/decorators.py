import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from clinic.audit.choices import SecurityEventKind
from clinic.audit.security import acting_user, security_event_record
from clinic.audit.services import access_record
from clinic.staff.access import record_access_check

PatientIdSource = str | Callable[..., int | None]


def audits_patient(
    patient: PatientIdSource = "pk",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Record one AccessEvent for each request the view answers (status below 400).

    `patient` names the URL kwarg holding the patient id, or is a function
    `(request, *args, **kwargs) -> patient id`. The record-access rules
    (clinic.staff.access) are checked before the view runs. Refused and missing pages (an
    exception or a 4xx response) record nothing. The row is written once per
    request, however often the view also calls access_record(). A response
    sent as a download (Content-Disposition: attachment) is an export of the
    record and is also written to the security log.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            patient_id = kwargs[patient] if isinstance(patient, str) else patient(request, *args, **kwargs)
            if patient_id is not None:
                # Before the view runs: a refused read must not save anything either.
                record_access_check(request, int(patient_id))
            response = view(request, *args, **kwargs)
            if response.status_code < 400 and patient_id is not None:
                event = access_record(request=request, patient_id=int(patient_id))
                if response.get("Content-Disposition", "").startswith("attachment"):
                    security_event_record(
                        kind=SecurityEventKind.EXPORT,
                        user=acting_user(request),
                        request=request,
                        detail=f"{event.view_name} patient {event.patient_id}",
                    )
            return response

        return wrapper

    return decorate
