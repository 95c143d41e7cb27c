"""The desk's list of online requests and possible duplicate records."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from patients.booking.online.selectors import open_identity_reviews, pending_requests
from patients.booking.online.services import booking_request_approve, booking_request_decline
from patients.booking.requests.forms import DeclineForm, ReviewForm
from patients.booking.requests.services import SAME_PERSON, identity_review_resolve
from patients.booking.services import BookingError
from patients.models import Appointment, IdentityReview


def _render(
    request: HttpRequest,
    *,
    decline_forms: dict[int, DeclineForm] | None = None,
    review_forms: dict[int, ReviewForm] | None = None,
) -> HttpResponse:
    review_forms = review_forms or {}
    reviews = [
        (review, review_forms.get(review.pk) or ReviewForm(auto_id=f"id_review_{review.pk}_%s"))
        for review in open_identity_reviews()
    ]
    under_review = {review.patient_id for review, _ in reviews}
    decline_forms = decline_forms or {}
    rows = [
        {
            "appointment": appointment,
            "under_review": appointment.patient_id in under_review,
            "decline_form": decline_forms.get(appointment.pk)
            or DeclineForm(auto_id=f"id_decline_{appointment.pk}_%s"),
        }
        for appointment in pending_requests()
    ]
    status = 400 if decline_forms or review_forms else 200
    return render(
        request, "patients/booking/requests/list.html", {"rows": rows, "reviews": reviews}, status=status
    )


@staff_view(Role.FRONT_DESK)
def online_requests(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _request(pk: int) -> Appointment:
    return get_object_or_404(Appointment.objects.select_related("patient", "appointment_type"), pk=pk)


@require_POST
@staff_view(Role.FRONT_DESK)
def online_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _request(pk)
    if open_identity_reviews().filter(patient=appointment.patient_id).exists():
        messages.error(request, "First decide whether this is an existing patient (below), then approve.")
        return redirect("patients:online_requests")
    try:
        booking_request_approve(appointment=appointment, by=request.user)
    except BookingError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Request approved: the patient has been sent the confirmation.")
    return redirect("patients:online_requests")


@require_POST
@staff_view(Role.FRONT_DESK)
def online_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _request(pk)
    form = DeclineForm(request.POST, auto_id=f"id_decline_{pk}_%s")
    if form.is_valid():
        try:
            booking_request_decline(
                appointment=appointment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except BookingError as exc:
            if exc.field == "reason":
                form.add_error("reason", exc.messages)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("patients:online_requests")
        else:
            messages.success(request, "Request declined: the patient has been emailed and the time is free.")
            return redirect("patients:online_requests")
    return _render(request, decline_forms={pk: form})


@require_POST
@staff_view(Role.FRONT_DESK)
def identity_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(IdentityReview, pk=pk)
    form = ReviewForm(request.POST, auto_id=f"id_review_{pk}_%s")
    if not form.is_valid():
        return _render(request, review_forms={pk: form})
    try:
        identity_review_resolve(review=review, decision=form.cleaned_data["decision"], by=request.user)
    except BookingError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "The booking is now on the existing record; the record made online is archived."
            if form.cleaned_data["decision"] == SAME_PERSON
            else "Both records kept.",
        )
    return redirect("patients:online_requests")
