from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from clinic.audit.forms import AccessEventFilterForm, SecurityEventFilterForm
from clinic.audit.security import security_events
from clinic.audit.selectors import PATIENT_MATCHES_MAX, access_events, patient_names, patients_matching
from clinic.paging import keyset_page, parse_cursor
from clinic.staff.access import staff_view
from clinic.staff.choices import Role

PAGE_SIZE = 50
# Newest first; the id makes the order total (the tables' *_occurred indexes and their filtered kin).
EVENT_ORDER = ("-occurred_at", "-pk")
FILTER_FIELDS = ("patient_name", "patient", "user", "date_from", "date_to")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.CLINIC_ADMIN)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed which patient's record, filtered by patient (name or id), staff member and dates.

    A patient name search is POSTed, never put in the URL (names must not land
    in browser history or server logs), and its pages post the form again with
    the cursor; the other filters page by GET. The audit trail keeps only
    patient ids: the patients app finds the ids of a name and names each row's
    patient (clinic.audit.selectors.PatientDirectory).
    """
    posted = request.method == "POST"
    data = request.POST if posted else request.GET
    form = AccessEventFilterForm(data if any(data.get(f) for f in FILTER_FIELDS) else None)
    matches: list[int] | None = None
    too_many = False
    if form.is_bound and not form.is_valid():
        rows = access_events().none()
    else:
        chosen = form.cleaned_data if form.is_bound else {}
        user = chosen.get("user")
        if chosen.get("patient_name"):
            matches = patients_matching(chosen["patient_name"])
            too_many = len(matches) > PATIENT_MATCHES_MAX
            matches = matches[:PATIENT_MATCHES_MAX]
        rows = access_events(
            patient_ids=matches,
            patient_id=chosen.get("patient"),
            user_id=user.pk if user else None,
            date_from=chosen.get("date_from"),
            date_to=chosen.get("date_to"),
        )
    page = keyset_page(rows, order=EVENT_ORDER, after=parse_cursor(data.get("after")), size=PAGE_SIZE)
    names = patient_names(event.patient_id for event in page)
    for event in page:
        event.patient_name = names.get(event.patient_id, "")  # type: ignore[attr-defined]  # for the table
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "page": page,
            "posted": posted,
            "matched_patients": None if matches is None else len(matches),
            "too_many": too_many,
        },
    )


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
