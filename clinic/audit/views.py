from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.audit.forms import AccessEventFilterForm, SecurityEventFilterForm
from clinic.audit.security import security_events
from clinic.audit.selectors import access_events
from clinic.paging import keyset_page, parse_cursor
from clinic.staff.access import staff_view
from clinic.staff.choices import Role

PAGE_SIZE = 50
# Newest first; the id makes the order total (the tables' *_occurred indexes and their filtered kin).
EVENT_ORDER = ("-occurred_at", "-pk")


@staff_view(Role.CLINIC_ADMIN)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed which patient's record, filtered by patient id, staff member and dates."""
    form = AccessEventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        rows = access_events().none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        user = data.get("user")
        rows = access_events(
            patient_id=data.get("patient"),
            user_id=user.pk if user else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    page = keyset_page(rows, order=EVENT_ORDER, after=parse_cursor(request.GET.get("after")), size=PAGE_SIZE)
    return render(request, "audit/access_log.html", {"form": form, "page": page})


@staff_view(Role.CLINIC_ADMIN)
def security_log(request: HttpRequest) -> HttpResponse:
    """Sign-ins, failures, lockouts, unlocks, password, two-factor, role and export events, filtered."""
    form = SecurityEventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        rows = security_events().none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        user = data.get("user")
        rows = security_events(
            kind=data.get("kind") or None,
            user_id=user.pk if user else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    page = keyset_page(rows, order=EVENT_ORDER, after=parse_cursor(request.GET.get("after")), size=PAGE_SIZE)
    return render(request, "audit/security_log.html", {"form": form, "page": page})
