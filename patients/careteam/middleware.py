from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.staff.access import RecordAccessRefused
from patients.careteam.forms import BreakGlassForm
from patients.models import Patient


class CareTeamMiddleware:
    """Answer a read the care-team rule refused with the "break the glass" page (403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RecordAccessRefused):
            return None
        patient = Patient.all_objects.get(pk=exception.patient_id)
        # Back to the page asked for once access is granted; a POST cannot be replayed, so its page.
        form = BreakGlassForm(initial={"next": request.get_full_path() if request.method == "GET" else ""})
        return render(
            request,
            "patients/careteam/break_glass.html",
            {"patient": patient, "form": form, "grant_hours": settings.CARE_TEAM_GRANT_HOURS},
            status=403,
        )
