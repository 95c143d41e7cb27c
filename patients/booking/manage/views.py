"""The manage link's pages (no account): see the visit, cancel it, move it, or wait for an earlier time.

`book/manage/<token>/` shows the visit (type, time with the time zone, place,
therapist: nothing clinical) with Cancel and Reschedule while the visit is
outside the late-cancellation window; inside it, or once started or
cancelled, only "please call us". A token for one appointment reaches only
that one (any other token: 404). Changes are POSTs with CSRF; responses are
never cached. Pages with a form keep the site's same-origin referrer policy
(with no-referrer a browser posts "Origin: null", which CSRF refuses); the
others send none. Every page records the patient's access in the audit trail.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.audit.models import AccessActor
from clinic.audit.services import access_record
from clinic.staff.access import public_view
from clinic.staff.models import TherapistProfile
from patients.booking.manage.forms import PatientCancelForm, SlotChoiceForm, SlotDayForm
from patients.booking.manage.limits import link_requests_exceeded
from patients.booking.manage.rules import ManageState
from patients.booking.manage.services import (
    ManageClosedError,
    appointment_cancel_by_patient,
    appointment_manage_state,
    appointment_reschedule_by_patient,
    manage_link_find,
)
from patients.booking.scheduling import Slot
from patients.booking.services import BookingError
from patients.booking.waitlist.choices import WaitlistStatus
from patients.booking.waitlist.forms import WaitlistForm
from patients.booking.waitlist.services import WaitlistError, waitlist_join
from patients.booking.waitlist.slots import online_window, slots_between
from patients.links.core import private
from patients.models import Appointment, AppointmentLink, WaitlistEntry

# How many days ahead the reschedule page looks for the first day with a free time.
FIRST_DAY_SEARCH = 21


def _page(
    request: HttpRequest, template: str, context: dict[str, object], *, status: int = 200, forms: bool = True
) -> HttpResponse:
    return private(render(request, template, context, status=status), no_referrer=not forms)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _page(request, "patients/links/too_many.html", {}, status=429, forms=False)


def _link(request: HttpRequest, token: str) -> AppointmentLink:
    link = manage_link_find(token)
    if link is None:
        raise Http404("No such link.")
    appointment = link.appointment
    access_record(
        request=request, patient_id=appointment.patient_id, obj=appointment, actor=AccessActor.PATIENT
    )
    return link


def _visit(appointment: Appointment) -> dict[str, object]:
    zone = ZoneInfo(appointment.location.time_zone)
    return {
        "visit_name": appointment.appointment_type.name,
        "starts_at": appointment.starts_at.astimezone(zone),
        "ends_at": appointment.ends_at.astimezone(zone),
        "time_zone": appointment.location.time_zone,
        "location": appointment.location,
        "therapist_name": appointment.therapist.display_name,
        "status": appointment.status,
    }


def _manage_context(link: AppointmentLink, token: str, **extra: object) -> dict[str, object]:
    appointment = link.appointment
    waiting = WaitlistEntry.objects.filter(appointment=appointment, status=WaitlistStatus.ACTIVE).first()
    return {
        "token": token,
        "visit": _visit(appointment),
        "state": appointment_manage_state(appointment).value,
        "late_cancellation_hours": settings.LATE_CANCELLATION_HOURS,
        "waiting": waiting,
        "cancel_form": PatientCancelForm(),
        **extra,
    }


@public_view
@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The visit, and what the patient may still do about it."""
    if link_requests_exceeded(request):
        return _too_many(request)
    link = _link(request, token)
    context = _manage_context(link, token)
    return _page(request, "patients/booking/manage/manage.html", context, forms=context["state"] == "open")


@public_view
@require_POST
def manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    if link_requests_exceeded(request):
        return _too_many(request)
    link = _link(request, token)
    form = PatientCancelForm(request.POST)
    if form.is_valid():
        try:
            appointment_cancel_by_patient(link=link, reason=form.cleaned_data["reason"])
        except ManageClosedError:
            link.appointment.refresh_from_db()
            return _page(
                request, "patients/booking/manage/manage.html", _manage_context(link, token), status=409
            )
        return private(redirect("manage:manage", token=token))
    link.appointment.refresh_from_db()
    context = _manage_context(link, token, cancel_form=form)
    return _page(request, "patients/booking/manage/manage.html", context, status=400)


def _day_slots(appointment: Appointment, day: date, therapist: TherapistProfile | None) -> list[Slot]:
    return slots_between(
        location=appointment.location,
        appointment_type=appointment.appointment_type,
        therapist=therapist,
        first_day=day,
        last_day=day,
        now=timezone.now(),
    )


def _first_day(appointment: Appointment, therapist: TherapistProfile | None) -> date:
    """The first day with a free time, within FIRST_DAY_SEARCH days of the earliest bookable one."""
    earliest, last_day = online_window(location=appointment.location, now=timezone.now())
    first = earliest.astimezone(ZoneInfo(appointment.location.time_zone)).date()
    found = slots_between(
        location=appointment.location,
        appointment_type=appointment.appointment_type,
        therapist=therapist,
        first_day=first,
        last_day=min(last_day, first + timedelta(days=FIRST_DAY_SEARCH - 1)),
        now=timezone.now(),
    )
    return found[0].starts_at.astimezone(ZoneInfo(appointment.location.time_zone)).date() if found else first


@public_view
@require_http_methods(["GET", "POST"])
def manage_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a day (and a therapist or any), then one of its free times."""
    if link_requests_exceeded(request):
        return _too_many(request)
    link = _link(request, token)
    appointment = link.appointment
    if appointment_manage_state(appointment) != ManageState.OPEN:
        return _page(request, "patients/booking/manage/manage.html", _manage_context(link, token), status=409)
    source = request.POST if request.method == "POST" else request.GET
    day_form = SlotDayForm(source, location=appointment.location)
    day_data = day_form.cleaned_data if day_form.is_valid() else {}
    therapist = day_data.get("therapist")
    day = day_data.get("day") or _first_day(appointment, therapist)
    slots = _day_slots(appointment, day, therapist)
    status = 200
    if request.method == "POST":
        form = SlotChoiceForm(request.POST, slots=slots, location=appointment.location, day=day)
        if form.is_valid():
            chosen_therapist, starts_at = form.chosen()
            try:
                appointment_reschedule_by_patient(link=link, therapist=chosen_therapist, starts_at=starts_at)
            except ManageClosedError:
                return _page(
                    request, "patients/booking/manage/manage.html", _manage_context(link, token), status=409
                )
            except BookingError as exc:
                form.add_error("slot", exc.messages)
                status = 409
            else:
                return private(redirect("manage:manage", token=token))
        else:
            status = 400
    else:
        form = SlotChoiceForm(slots=slots, location=appointment.location, day=day)
    _, last_day = online_window(location=appointment.location, now=timezone.now())
    context = {
        **_manage_context(link, token),
        "day_form": SlotDayForm(initial={"day": day, "therapist": therapist}, location=appointment.location),
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < last_day else None,
        "therapist": therapist,
        "form": form,
        "has_slots": bool(slots),
    }
    return _page(request, "patients/booking/manage/reschedule.html", context, status=status)


@public_view
@require_http_methods(["GET", "POST"])
def manage_waitlist(request: HttpRequest, token: str) -> HttpResponse:
    """Keep the visit, and be offered an earlier time if one frees."""
    if link_requests_exceeded(request):
        return _too_many(request)
    link = _link(request, token)
    appointment = link.appointment
    if appointment_manage_state(appointment) != ManageState.OPEN:
        return _page(request, "patients/booking/manage/manage.html", _manage_context(link, token), status=409)
    location = appointment.location
    visit_day = appointment.starts_at.astimezone(ZoneInfo(location.time_zone)).date()
    status = 200
    if request.method == "POST":
        form = WaitlistForm(request.POST, location=location)
        if form.is_valid():
            try:
                waitlist_join(
                    patient=appointment.patient,
                    location=location,
                    appointment_type=appointment.appointment_type,
                    appointment=appointment,
                    **{**form.wishes(), "until": min(form.cleaned_data["until"], visit_day)},
                )
            except WaitlistError as exc:
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
                status = 400
            else:
                return private(redirect("manage:manage", token=token))
        else:
            status = 400
    else:
        form = WaitlistForm(initial=WaitlistForm.initial_for(until=visit_day), location=location)
    context = {**_manage_context(link, token), "form": form}
    return _page(request, "patients/booking/manage/waitlist.html", context, status=status)
