from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.staff.access import CLINICAL, staff_view


@staff_view(*CLINICAL)
def programme_list(request: HttpRequest) -> HttpResponse:
    """Active programmes (arrive with the programme module)."""
    return render(request, "assessments/programme_list.html", {})
