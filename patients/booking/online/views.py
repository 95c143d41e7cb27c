"""The public booking pages (/book/…): location, visit type, a free time, details, code, confirm.

Server-rendered, every step a plain GET link or POST form (no JavaScript
needed). Nothing identifies a patient in a URL: the chosen slot and the
attempt live in the session. Before the emailed code is right the pages show
only what the visitor typed, and a known and an unknown email get the same
answer. Each page is never cached.
"""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.audit.models import AccessActor
from clinic.audit.services import access_record, client_ip
from clinic.patient_language import chosen_language
from clinic.staff.access import public_view
from clinic.staff.models import Location, TherapistProfile
from patients.booking.choices import AppointmentStatus, HoldState
from patients.booking.online import verification as codes
from patients.booking.online.forms import CodeForm, DetailsForm
from patients.booking.online.services import (
    TAKEN,
    HoldLapsedError,
    online_confirm,
    online_hold,
    online_identify,
)
from patients.booking.online.slots import (
    online_locations,
    online_slots,
    online_therapists,
    online_types,
    slot_offered,
    window_now,
)
from patients.booking.services import BookingError
from patients.booking.waitlist.views import join_url, waitlist_session_bind
from patients.links import core as links
from patients.links.devices import CodeResult, mask_email
from patients.links.language import language_to_record
from patients.models import Appointment, AppointmentType, BookingVerification

SESSION_KEY = "online_booking"
# A verified attempt may hold another time (after a clash or a lapsed hold) for this long.
VERIFIED_MINUTES = 30
DAYS_PER_PAGE = 7

LIMIT_MESSAGES = {
    codes.Limit.ADDRESS: _("We've had a lot of booking attempts from this connection in the last hour."),
    codes.Limit.EMAIL: _("We've sent several codes to this email address recently."),
    codes.Limit.SITE: _("Online booking is very busy today."),
}
CODE_ERRORS = {
    CodeResult.WRONG: _("That code is not right. Check the email and try again ({left} left)."),
    CodeResult.EXPIRED: _("That code has expired (codes work for {minutes} minutes). Send a new code."),
    CodeResult.ENDED: _("That code no longer works. Send a new code."),
}


# --- Session state ---------------------------------------------------------------------------


def _state(request: HttpRequest) -> dict[str, Any]:
    data = request.session.get(SESSION_KEY)
    return data if isinstance(data, dict) else {}


def _save_state(request: HttpRequest, **changes: Any) -> None:
    data = {**_state(request), **changes}
    request.session[SESSION_KEY] = {k: v for k, v in data.items() if v is not None}


def _chosen(request: HttpRequest) -> dict[str, Any] | None:
    """The slot chosen in this browser: location, type, therapist and start, or None."""
    slot = _state(request).get("slot")
    if not isinstance(slot, dict):
        return None
    try:
        if slot.get("waitlist"):
            # Joining the waitlist: a visit type at a location, no time.
            return {
                "location": Location.objects.get(pk=slot["location"], is_active=True),
                "appointment_type": AppointmentType.objects.get(pk=slot["type"]),
                "therapist": None,
                "starts_at": None,
            }
        return {
            "location": Location.objects.get(pk=slot["location"], is_active=True),
            "appointment_type": AppointmentType.objects.get(pk=slot["type"]),
            "therapist": TherapistProfile.objects.get(pk=slot["therapist"]),
            "starts_at": datetime.fromisoformat(slot["starts_at"]),
        }
    except (
        KeyError,
        ValueError,
        Location.DoesNotExist,
        AppointmentType.DoesNotExist,
        TherapistProfile.DoesNotExist,
    ):
        return None


def _verification(request: HttpRequest) -> BookingVerification | None:
    pk = _state(request).get("verification")
    if not isinstance(pk, int):
        return None
    return (
        BookingVerification.objects.select_related("location", "appointment_type", "therapist")
        .filter(pk=pk)
        .first()
    )


def _verified(request: HttpRequest) -> BookingVerification | None:
    """This browser's attempt if its code was right, recently enough to hold another time."""
    verification = _verification(request)
    if (
        verification is None
        or verification.verified_at is None
        or verification.verified_at < timezone.now() - timedelta(minutes=VERIFIED_MINUTES)
    ):
        return None
    return verification


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return links.private(render(request, f"patients/booking/online/{template}", context, status=status))


def _slots_url(location: Location, appointment_type: AppointmentType, **query: str) -> str:
    url = reverse("book:slots", args=[location.pk, appointment_type.pk])
    params = "&".join(f"{k}={v}" for k, v in query.items() if v)
    return f"{url}?{params}" if params else url


def _visit(
    location: Location, appointment_type: AppointmentType, therapist: TherapistProfile, starts_at: datetime
) -> dict[str, Any]:
    zone = ZoneInfo(location.time_zone)
    return {
        "visit_name": appointment_type.name,
        "starts_at": starts_at.astimezone(zone),
        "ends_at": (starts_at + timedelta(minutes=appointment_type.duration_minutes)).astimezone(zone),
        "location": location,
        "therapist_name": therapist.display_name,
        "time_zone": location.time_zone,
    }


# --- Choosing a time -------------------------------------------------------------------------


@public_view
@require_GET
def locations(request: HttpRequest) -> HttpResponse:
    places = list(online_locations())
    if len(places) == 1:
        return redirect("book:types", location_id=places[0].pk)
    return _page(request, "locations.html", {"locations": places})


def _online_location(location_id: int) -> Location:
    location = online_locations().filter(pk=location_id).first()
    if location is None:
        raise Http404("No online booking at this location.")
    return location


@public_view
@require_GET
def types(request: HttpRequest, location_id: int) -> HttpResponse:
    location = _online_location(location_id)
    return _page(
        request,
        "types.html",
        {
            "location": location,
            "types": online_types(location=location),
            "several": online_locations().count() > 1,
        },
    )


@public_view
@require_GET
def slots(request: HttpRequest, location_id: int, type_id: int) -> HttpResponse:
    location = _online_location(location_id)
    appointment_type = get_object_or_404(online_types(location=location), pk=type_id)
    therapists = list(online_therapists(location=location))
    therapist = next((t for t in therapists if str(t.pk) == request.GET.get("therapist", "")), None)
    now = timezone.now()
    zone = ZoneInfo(location.time_zone)
    window = window_now(location=location, now=now)
    first_day = window.earliest.astimezone(zone).date()
    try:
        start_day = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start_day = first_day
    start_day = min(max(start_day, first_day), window.last_day)
    found = online_slots(
        location=location,
        appointment_type=appointment_type,
        therapist=therapist,
        start_day=start_day,
        days=DAYS_PER_PAGE,
        now=now,
    )
    days: dict[date, list[dict[str, Any]]] = {}
    for slot in found:
        local = slot.starts_at.astimezone(zone)
        days.setdefault(local.date(), []).append(
            {
                "value": f"{slot.therapist.pk}@{slot.starts_at.isoformat()}",
                "starts_at": local,
                "therapist": slot.therapist,
            }
        )
    chosen = str(therapist.pk) if therapist else ""
    earlier = start_day - timedelta(days=DAYS_PER_PAGE)
    later = start_day + timedelta(days=DAYS_PER_PAGE)
    return _page(
        request,
        "slots.html",
        {
            "location": location,
            "appointment_type": appointment_type,
            "therapists": therapists,
            "therapist": therapist,
            "days": sorted(days.items()),
            "start_day": start_day,
            "end_day": min(start_day + timedelta(days=DAYS_PER_PAGE - 1), window.last_day),
            "earlier_url": (
                _slots_url(
                    location,
                    appointment_type,
                    therapist=chosen,
                    **{"from": max(earlier, first_day).isoformat()},
                )
                if start_day > first_day
                else None
            ),
            "later_url": (
                _slots_url(location, appointment_type, therapist=chosen, **{"from": later.isoformat()})
                if later <= window.last_day
                else None
            ),
            "weeks_ahead": settings.ONLINE_BOOKING_WEEKS_AHEAD,
            "min_notice_hours": settings.ONLINE_BOOKING_MIN_NOTICE_HOURS,
            "same_day": settings.ONLINE_BOOKING_SAME_DAY,
            "time_zone": location.time_zone,
        },
    )


def _parse_slot(value: str, location: Location) -> tuple[TherapistProfile, datetime] | None:
    therapist_pk, _, iso = value.partition("@")
    try:
        starts_at = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if starts_at.tzinfo is None or not therapist_pk.isdigit():
        return None
    therapist = online_therapists(location=location).filter(pk=int(therapist_pk)).first()
    return (therapist, starts_at) if therapist is not None else None


@public_view
@require_POST
def choose(request: HttpRequest, location_id: int, type_id: int) -> HttpResponse:
    """A time chosen on the slots page: remembered, then details (or, once verified, the hold)."""
    location = _online_location(location_id)
    appointment_type = get_object_or_404(online_types(location=location), pk=type_id)
    parsed = _parse_slot(request.POST.get("slot", ""), location)
    if parsed is None or not slot_offered(
        location=location,
        appointment_type=appointment_type,
        therapist=parsed[0],
        starts_at=parsed[1],
        now=timezone.now(),
    ):
        messages.error(request, TAKEN)
        return redirect(_slots_url(location, appointment_type, therapist=request.POST.get("therapist", "")))
    therapist, starts_at = parsed
    _save_state(
        request,
        slot={
            "location": location.pk,
            "type": appointment_type.pk,
            "therapist": therapist.pk,
            "starts_at": starts_at.isoformat(),
        },
    )
    verification = _verified(request)
    if verification is None:
        return redirect("book:details")
    # Proved already in this browser (a clash or a lapsed hold sent them back): hold the new time.
    BookingVerification.objects.filter(pk=verification.pk).update(
        location=location,
        appointment_type=appointment_type,
        therapist=therapist,
        starts_at=starts_at,
        purpose="booking",
    )
    verification.refresh_from_db()
    return _hold(request, verification)


@public_view
@require_POST
def waitlist_start(request: HttpRequest, location_id: int, type_id: int) -> HttpResponse:
    """ "None of these times suit": the same details and emailed code, then the waitlist's own page."""
    location = _online_location(location_id)
    appointment_type = get_object_or_404(online_types(location=location), pk=type_id)
    _save_state(request, slot={"location": location.pk, "type": appointment_type.pk, "waitlist": True})
    verification = _verified(request)
    if verification is None:
        return redirect("book:details")
    return _waitlist(request, verification, location=location, appointment_type=appointment_type)


def _waitlist(
    request: HttpRequest,
    verification: BookingVerification,
    *,
    location: Location | None = None,
    appointment_type: AppointmentType | None = None,
) -> HttpResponse:
    try:
        patient = online_identify(verification=verification)
    except ValidationError:
        return _page(request, "call_us.html", {}, status=400)
    access_record(request=request, patient_id=patient.pk, actor=AccessActor.PATIENT)
    language_to_record(request, patient_id=patient.pk, always=True)
    waitlist_session_bind(request, patient=patient)
    return redirect(
        join_url(
            location=location or verification.location,
            appointment_type=appointment_type or verification.appointment_type,
        )
    )


def _after_code(request: HttpRequest, verification: BookingVerification) -> HttpResponse:
    if verification.purpose == "waitlist":
        return _waitlist(request, verification)
    return _hold(request, verification)


def _hold(request: HttpRequest, verification: BookingVerification) -> HttpResponse:
    try:
        hold = online_hold(verification=verification)
    except BookingError as exc:
        messages.error(request, exc.messages[0] if exc.field != "starts_at" else TAKEN)
        return redirect(_slots_url(verification.location, verification.appointment_type))
    except ValidationError:
        # Details the record refuses (checked by the form already): the desk books it instead.
        return _page(request, "call_us.html", {}, status=400)
    access_record(request=request, patient_id=hold.patient_id, obj=hold, actor=AccessActor.PATIENT)
    language_to_record(request, patient_id=hold.patient_id, always=True)
    _save_state(request, appointment=hold.pk)
    return redirect("book:confirm")


# --- Who is booking, and the code ------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    chosen = _chosen(request)
    if chosen is None:
        return redirect("book:locations")
    waitlist = chosen["starts_at"] is None
    visit = None if waitlist else _visit(**chosen)
    # Back from the code page ("change your details"): what was typed, to correct.
    previous = _verification(request)
    initial = (
        {
            name: getattr(previous, name)
            for name in ("first_name", "last_name", "date_of_birth", "email", "phone")
        }
        if previous is not None and previous.verified_at is None
        else {}
    )
    form = DetailsForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": form, "visit": visit, "waitlist": waitlist, **chosen}
    if request.method != "POST" or not form.is_valid():
        return _page(request, "details.html", context, status=200 if request.method == "GET" else 400)
    if form.is_robot:
        # Pretend: the same page follows, and nothing is stored or sent.
        _save_state(request, verification=None, decoy=mask_email(form.cleaned_data["email"]))
        return redirect("book:code")
    limit = codes.Limit.ADDRESS if codes.ADDRESS_LIMIT.exceeded(request) else None
    if limit is None:
        codes.ADDRESS_LIMIT.count(request)
        result = codes.verification_start(
            **form.typed(),
            **chosen,
            purpose="waitlist" if waitlist else "booking",
            network=codes.network_hash(client_ip(request)),
            replaces=_verification(request),
            language=chosen_language(request),
        )
        if isinstance(result, codes.Limit):
            limit = result
        else:
            _save_state(request, verification=result.pk, decoy=None, appointment=None)
            return redirect("book:code")
    return _page(request, "details.html", {**context, "limit": LIMIT_MESSAGES[limit]}, status=429)


@public_view
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    verification = _verification(request)
    decoy = _state(request).get("decoy")
    if verification is None and not isinstance(decoy, str):
        return redirect("book:locations")
    if verification is not None and verification.verified_at is not None:
        return (
            _after_code(request, verification)
            if _state(request).get("appointment") is None
            else redirect("book:confirm")
        )
    form = CodeForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "email": decoy if verification is None else mask_email(verification.email),
        "minutes": codes.CODE_MINUTES,
    }
    if request.method != "POST":
        return _page(request, "code.html", context)
    if request.POST.get("action") == "resend":
        return _resend(request, verification, context)
    if not form.is_valid():
        return _page(request, "code.html", {**context, "error": form.errors["code"][0]}, status=400)
    if verification is None:  # the honeypot's pretend attempt: no code works
        return _page(
            request,
            "code.html",
            {**context, "error": _code_error(CodeResult.WRONG, codes.CODE_MAX_TRIES)},
            status=400,
        )
    result = codes.verification_check(verification=verification, typed=form.cleaned_data["code"])
    if result is not CodeResult.OK:
        verification.refresh_from_db()
        return _page(
            request,
            "code.html",
            {
                **context,
                "error": _code_error(result, codes.tries_left(verification)),
                "ended": result is not CodeResult.WRONG,
            },
            status=400,
        )
    request.session.cycle_key()
    verification.refresh_from_db()
    return _after_code(request, verification)


def _code_error(result: CodeResult, left: int) -> str:
    return CODE_ERRORS[result].format(
        left=f"{left} {'try' if left == 1 else 'tries'}", minutes=codes.CODE_MINUTES
    )


def _resend(
    request: HttpRequest, verification: BookingVerification | None, context: dict[str, Any]
) -> HttpResponse:
    if verification is None:
        return _page(request, "code.html", {**context, "notice": _("We've sent a new code.")})
    limit = codes.Limit.ADDRESS if codes.ADDRESS_LIMIT.exceeded(request) else None
    if limit is None:
        codes.ADDRESS_LIMIT.count(request)
        result = codes.verification_start(
            email=verification.email,
            first_name=verification.first_name,
            last_name=verification.last_name,
            date_of_birth=verification.date_of_birth,
            phone=verification.phone,
            location=verification.location,
            appointment_type=verification.appointment_type,
            therapist=verification.therapist,
            starts_at=verification.starts_at,
            purpose=verification.purpose,
            network=codes.network_hash(client_ip(request)),
            replaces=verification,
            language=chosen_language(request),
        )
        if not isinstance(result, codes.Limit):
            _save_state(request, verification=result.pk)
            return _page(request, "code.html", {**context, "notice": _("We've sent a new code.")})
        limit = result
    return _page(request, "code.html", {**context, "limit": LIMIT_MESSAGES[limit]}, status=429)


# --- The hold and its confirmation -----------------------------------------------------------


def _held(request: HttpRequest) -> Appointment | None:
    """The appointment this browser's verified attempt made, whatever its state now."""
    verification = _verification(request)
    pk = _state(request).get("appointment")
    if verification is None or verification.verified_at is None or not isinstance(pk, int):
        return None
    if verification.appointment_id != pk:
        return None
    return (
        Appointment.objects.select_related("patient", "therapist", "location", "appointment_type")
        .filter(pk=pk)
        .first()
    )


def _lapsed(request: HttpRequest, appointment: Appointment | None) -> HttpResponse:
    messages.error(request, HoldLapsedError().messages[0])
    chosen = _chosen(request)
    if chosen is None:
        return redirect("book:locations")
    return redirect(_slots_url(chosen["location"], chosen["appointment_type"]))


@public_view
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    appointment = _held(request)
    if appointment is None:
        return redirect("book:locations")
    if appointment.hold != HoldState.HELD:
        return redirect("book:done")
    if appointment.hold_expires_at is None or appointment.hold_expires_at <= timezone.now():
        return _lapsed(request, appointment)
    access_record(
        request=request, patient_id=appointment.patient_id, obj=appointment, actor=AccessActor.PATIENT
    )
    if request.method == "POST":
        try:
            online_confirm(appointment=appointment)
        except HoldLapsedError:
            return _lapsed(request, appointment)
        return redirect("book:done")
    zone = ZoneInfo(appointment.location.time_zone)
    return _page(
        request,
        "confirm.html",
        {
            "visit": _visit(
                appointment.location,
                appointment.appointment_type,
                appointment.therapist,
                appointment.starts_at,
            ),
            "held_until": appointment.hold_expires_at.astimezone(zone),
            "needs_approval": appointment.appointment_type.needs_approval,
        },
    )


@public_view
@require_GET
def done(request: HttpRequest) -> HttpResponse:
    appointment = _held(request)
    if appointment is None or appointment.hold == HoldState.HELD:
        return redirect("book:locations")
    access_record(
        request=request, patient_id=appointment.patient_id, obj=appointment, actor=AccessActor.PATIENT
    )
    return _page(
        request,
        "done.html",
        {
            "visit": _visit(
                appointment.location,
                appointment.appointment_type,
                appointment.therapist,
                appointment.starts_at,
            ),
            "requested": appointment.hold == HoldState.REQUESTED,
            "cancelled": appointment.status == AppointmentStatus.CANCELLED,
            "intake": appointment.appointment_type.requires_intake,
            "email": mask_email(appointment.patient.email),
        },
    )
