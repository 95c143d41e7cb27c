import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from clinic.audit.models import AccessActor
from clinic.audit.services import access_record
from clinic.messaging.forms import OutboxFilterForm, TestEmailForm
from clinic.messaging.health import outbox_health
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.optout import optout_apply, optout_verify
from clinic.messaging.selectors import outbox_page
from clinic.messaging.services import message_retry, schedule_message
from clinic.paging import parse_cursor
from clinic.staff.access import public_view, staff_view
from clinic.staff.choices import Role

PAGE_SIZE = 50


def _outbox_context(request: HttpRequest, *, test_form: TestEmailForm | None = None) -> dict[str, object]:
    """The outbox page: filters and search from a POST (or GET filters from a link), one page of rows.

    A recipient search is POSTed, never put in the URL, so addresses stay out
    of browser history and server logs; its pages post the form again with
    the cursor. Filters without a search page by GET.
    """
    posted = request.method == "POST" and test_form is None
    data = request.POST if posted else request.GET
    filters = OutboxFilterForm(data if any(data.get(f) for f in ("recipient", "kind", "status")) else None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    # The part of the list a page is in rides in the URL of both kinds of page link.
    part = "done" if request.GET.get("part") == "done" else "waiting"
    page = outbox_page(
        kind=chosen.get("kind", ""),
        status=chosen.get("status", ""),
        recipient=chosen.get("recipient", ""),
        part=part,
        after=parse_cursor(data.get("after")),
        size=PAGE_SIZE,
    )
    return {
        "page": page,
        "filters": filters,
        "searched": bool(chosen.get("recipient")),
        "posted": posted,
        "test_form": test_form or TestEmailForm(),
        "health": outbox_health(),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.CLINIC_ADMIN)
def outbox(request: HttpRequest) -> HttpResponse:
    """Every message, what is due next first; filtered by kind and status, searched by recipient."""
    return render(request, "messaging/outbox.html", _outbox_context(request))


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def test_email(request: HttpRequest) -> HttpResponse:
    form = TestEmailForm(request.POST)
    if not form.is_valid():
        return render(request, "messaging/outbox.html", _outbox_context(request, test_form=form), status=400)
    schedule_message(
        kind="test", to=form.cleaned_data["to"], due_at=timezone.now(), key=f"test:{uuid.uuid4()}"
    )
    messages.success(request, "Test email queued: it goes out within a minute.")
    return redirect("messaging:outbox")


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(ScheduledMessage, pk=pk)
    try:
        message_retry(message=message)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Message queued again.")
    return redirect("messaging:outbox")


def _unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    optout = optout_verify(token)
    if optout is None:
        return render(request, "messaging/unsubscribe.html", {"state": "invalid"}, status=404)
    if request.method != "POST":
        return render(request, "messaging/unsubscribe.html", {"state": "ask", "category": optout.category})
    optout_apply(optout)
    # In the patient's access report: they changed their own record by link.
    access_record(request=request, patient_id=optout.patient_id, actor=AccessActor.PATIENT)
    return render(request, "messaging/unsubscribe.html", {"state": "done", "category": optout.category})


@csrf_protect
def _unsubscribe_form(request: HttpRequest, token: str) -> HttpResponse:
    return _unsubscribe(request, token)


@public_view
@csrf_exempt  # only the RFC 8058 one-click POST; any other POST is CSRF-checked below
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The opt-out link of a non-essential email: GET asks, POST unsubscribes.

    GET never changes anything, since mail scanners open links before the
    patient does. A mail client's one-click POST (body
    List-Unsubscribe=One-Click, RFC 8058) carries no CSRF token and needs none:
    the signed token is the only authority, for one patient and one category.
    The page's own button posts with its CSRF token like every other form.
    """
    if request.method == "POST" and request.POST.get("List-Unsubscribe") != "One-Click":
        return _unsubscribe_form(request, token)
    return _unsubscribe(request, token)
