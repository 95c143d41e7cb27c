"""Django admin pages that show a patient write an access event, like the staff pages do."""

from typing import Any

from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpRequest, HttpResponse

from clinic.audit.services import access_record


class PatientAccessAdminMixin:
    """For a ModelAdmin of rows about one patient: its change (view) and history pages are recorded.

    `access_patient_id(obj)` says whose record a row is (None: nobody's, nothing is
    recorded). Refused and missing pages (a 4xx response) record nothing. List
    pages must not show who the patients are: one request records one access,
    so a list of many patients could not be recorded truthfully.
    """

    def access_patient_id(self, obj: models.Model) -> int | None:
        raise NotImplementedError

    def _record_access(self, request: HttpRequest, object_id: str, response: HttpResponse) -> None:
        if response.status_code >= 400:
            return
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is None:
            return
        patient_id = self.access_patient_id(obj)
        if patient_id is not None:
            access_record(request=request, patient_id=patient_id, obj=obj)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        self._record_access(request, object_id, response)
        return response

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        self._record_access(request, object_id, response)
        return response
