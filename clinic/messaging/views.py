import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.messaging.forms import OutboxFilterForm, TestEmailForm
from clinic.messaging.health import outbox_health
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import KINDS
from clinic.messaging.services import message_retry, schedule_message
from clinic.staff.access import staff_view
from clinic.staff.choices import Role


@staff_view(Role.CLINIC_ADMIN)
def outbox(request: HttpRequest) -> HttpResponse:
    filters = OutboxFilterForm(request.GET or None)
    rows = ScheduledMessage.objects.all()
    if filters.is_valid() and filters.cleaned_data["status"]:
        rows = rows.filter(status=filters.cleaned_data["status"])
    page = Paginator(rows.order_by("-due_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/outbox.html",
        {
            "page": page,
            "filters": filters,
            "test_form": TestEmailForm(),
            "kinds": KINDS,
            "health": outbox_health(),
        },
    )


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def test_email(request: HttpRequest) -> HttpResponse:
    form = TestEmailForm(request.POST)
    if not form.is_valid():
        rows = ScheduledMessage.objects.order_by("-due_at", "-pk")
        page = Paginator(rows, 50).get_page(1)
        return render(
            request,
            "messaging/outbox.html",
            {
                "page": page,
                "filters": OutboxFilterForm(),
                "test_form": form,
                "kinds": KINDS,
                "health": outbox_health(),
            },
            status=400,
        )
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
