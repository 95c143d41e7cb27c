from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from clinic.staff.access import ALL_STAFF, staff_view
from clinic.staff.choices import Role


@staff_view(*ALL_STAFF)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its landing page."""
    user = request.user
    if Role.CLINIC_ADMIN in user.roles or user.is_superuser:
        return redirect("messaging:outbox")
    if Role.THERAPIST in user.roles:
        return redirect("patients:my_day")
    return redirect("patients:today")
