"""The patient's intake link (no account)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.staff.access import public_view


@public_view
@never_cache
def intake_start(request: HttpRequest, token: str) -> HttpResponse:
    """Every link gets the same page until the identity check is built: no oracle."""
    response = render(request, "patients/intake/unavailable.html", status=200)
    response["Referrer-Policy"] = "no-referrer"
    return response
