"""Front desk and therapist pages: calendar, day lists, booking, one visit."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinic.audit.services import access_record
from clinic.dates import format_date
from clinic.locking import StaleVersionError, conflict_for
from clinic.staff.access import record_access_check, staff_view
from clinic.staff.choices import Role
from clinic.staff.models import Location, TherapistProfile
from clinic.web import STALE_VERSION, posted_version
from patients.booking.choices import AppointmentAction, AppointmentStatus
from patients.booking.forms import BookingForm, CalendarForm, CancelForm, IntakeResendForm, RescheduleForm
from patients.booking.selectors import appointments_between, calendar_day, calendar_week_grid, day_bounds
from patients.booking.services import (
    BookingError,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    evaluation_book,
)
from patients.identity.selectors import patient_search
from patients.intake.services.invitations import IntakeError, intake_resend
from patients.models import Appointment, AppointmentType, IntakeInvitation, Patient

BOOKERS = (Role.FRONT_DESK, Role.THERAPIST)
# The buttons that post each status change, as the conflict page names them.
MARK_BUTTONS = {
    AppointmentAction.ARRIVED: "Mark arrived",
    AppointmentAction.COMPLETED: "Complete",
    AppointmentAction.NO_SHOW: "Mark no-show",
}


def _add_booking_error(form: object, exc: BookingError) -> None:
    # The service speaks of starts_at; the forms split it into date and time.
    field = "time" if exc.field == "starts_at" else exc.field
    form.add_error(field if field in form.fields else None, exc.messages)


def _add_validation_error(form: object, exc: ValidationError) -> None:
    """A service's errors next to the form's fields; errors of fields the form lacks go on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _default_location(request: HttpRequest) -> Location | None:
    profile = getattr(request.user, "therapist_profile", None)
    if profile is not None:
        location = profile.locations.filter(is_active=True).first()
        if location is not None:
            return location
    return Location.objects.filter(is_active=True).first()


def _short_name(therapist: TherapistProfile) -> str:
    """A therapist's first name for a narrow column heading ("Sam" of "Sam Okafor, MCSP")."""
    return therapist.display_name.split(",")[0].split(" ")[0] or therapist.display_name


@staff_view(*BOOKERS)
def calendar(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    default = _default_location(request)
    if not query.get("location") and default is not None:
        query["location"] = str(default.pk)
    form = CalendarForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    location = data.get("location") or default
    if location is None:
        return render(request, "patients/booking/calendar.html", {"form": form, "location": None})
    zone = ZoneInfo(location.time_zone)
    now = timezone.now()
    day = data.get("date") or now.astimezone(zone).date()
    view = data.get("view") or "day"
    if not query.get("date"):
        query["date"] = day.isoformat()
        form = CalendarForm(query)
        form.is_valid()
    chosen = data.get("therapist")
    context: dict[str, object] = {
        "form": form,
        "location": location,
        "day": day,
        "view": view,
        "zone": zone,
        "chosen_therapist": chosen,
        "here": request.get_full_path(),
    }
    if view == "week":
        monday = day - timedelta(days=day.weekday())
        everyone, grid = calendar_week_grid(location=location, monday=monday, now=now, therapist=chosen)
        therapists = [t for t in everyone if chosen is None or t.pk == chosen.pk]
        by_id = {t.pk: t for t in therapists}
        context.update(
            location_therapists=everyone,
            therapists=[(t, _short_name(t)) for t in therapists],
            grid=grid,
            days=[d.day for d in grid.days],
            week_days=[(d, [(by_id[c.therapist_id], c) for c in d.therapists]) for d in grid.days],
            monday=monday,
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
        )
    else:
        therapists, rows = calendar_day(location=location, day=day, now=now)
        context.update(
            therapists=therapists, rows=rows, previous=day - timedelta(days=1), next=day + timedelta(days=1)
        )
    return render(request, "patients/booking/calendar.html", context)


@staff_view(*BOOKERS)
def calendar_colours(request: HttpRequest) -> HttpResponse:
    """Each visit type's calendar colour as a class (the CSP allows no inline styles)."""
    rules = [
        f".type-{pk} {{ --type-colour: {colour}; }}"
        for pk, colour in AppointmentType.objects.order_by("pk").values_list("pk", "colour")
        # A check constraint keeps colours to #rrggbb; the test here keeps the stylesheet valid anyway.
        if re.fullmatch(r"#[0-9A-Fa-f]{6}", colour)
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")


# The session key of the location a front desk works at (chosen on Today).
DESK_LOCATION = "desk_location"


def _desk_location(request: HttpRequest) -> Location | None:
    """The desk's location: chosen on Today (?location=<id>) and remembered in the session.

    Staff accounts have no location of their own; until one is chosen, a
    therapist's first location, or else the clinic's first.
    """
    chosen = request.GET.get("location", "")
    remembered = request.session.get(DESK_LOCATION)
    for candidate in (chosen, remembered):
        if str(candidate or "").isdigit():
            location = Location.objects.filter(is_active=True, pk=int(candidate)).first()
            if location is not None:
                if location.pk != remembered:
                    request.session[DESK_LOCATION] = location.pk
                return location
    return _default_location(request)


def _day_list(
    request: HttpRequest, *, therapist: TherapistProfile | None, location: Location | None = None
) -> dict[str, object]:
    """Today's visits: of one therapist (anywhere), or at one location."""
    location = location or _default_location(request)
    zone = ZoneInfo(location.time_zone) if location else timezone.get_current_timezone()
    day = timezone.now().astimezone(zone).date()
    start, end = day_bounds(day, zone)
    visits = appointments_between(start=start, end=end)
    if therapist is not None:
        visits = visits.filter(therapist=therapist)
    elif location is not None:
        visits = visits.filter(location=location)
    return {"day": day, "appointments": list(visits), "location": location}


@staff_view(Role.FRONT_DESK)
def today(request: HttpRequest) -> HttpResponse:
    """The desk's day list: today's visits at its location (chosen here, remembered)."""
    location = _desk_location(request)
    context = _day_list(request, therapist=None, location=location)
    locations = list(Location.objects.filter(is_active=True).order_by("name"))
    return render(request, "patients/booking/today.html", {**context, "locations": locations})


@staff_view(Role.THERAPIST)
def my_day(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "therapist_profile", None)
    context = (
        _day_list(request, therapist=profile)
        if profile
        else {"appointments": [], "day": timezone.localdate()}
    )
    return render(request, "patients/booking/my_day.html", {**context, "has_profile": profile is not None})


def _initial_from_query(query: QueryDict) -> dict[str, object]:
    initial: dict[str, object] = {}
    for name in ("location", "therapist", "patient", "appointment_type"):
        if query.get(name, "").isdigit():
            initial[name] = int(query[name])
    start = query.get("start")
    if "location" not in initial:
        # One location: nothing to choose.
        only = list(Location.objects.filter(is_active=True)[:2])
        if len(only) == 1:
            initial["location"] = only[0].pk
    location = Location.objects.filter(pk=initial.get("location")).first()
    zone = ZoneInfo(location.time_zone) if location else timezone.get_current_timezone()
    initial["date"] = timezone.now().astimezone(zone).date()
    if start and location:
        try:
            local = datetime.fromisoformat(start).astimezone(ZoneInfo(location.time_zone))
        except ValueError:
            local = None
        if local is not None:
            initial["date"], initial["time"] = local.date(), local.time().replace(second=0, microsecond=0)
    if "appointment_type" not in initial:
        evaluation = AppointmentType.objects.filter(is_active=True, requires_intake=True).first()
        if evaluation:
            initial["appointment_type"] = evaluation.pk
    return initial


def _with_slot(data: QueryDict) -> QueryDict:
    """An offered alternative slot ("therapist|ISO time") replaces the chosen time."""
    therapist_pk, _, iso = data.get("slot", "").partition("|")
    location = Location.objects.filter(
        pk=data.get("location") if str(data.get("location", "")).isdigit() else None
    ).first()
    if not therapist_pk.isdigit() or not iso or location is None:
        return data
    try:
        local = datetime.fromisoformat(iso).astimezone(ZoneInfo(location.time_zone))
    except ValueError:
        return data
    data = data.copy()
    data["therapist"] = therapist_pk
    data["date"] = local.date().isoformat()
    data["time"] = local.strftime("%H:%M")
    return data


@staff_view(*BOOKERS)
def book(request: HttpRequest) -> HttpResponse:
    """Book a visit: find the patient (or add a new one), pick type, therapist and time."""
    alternatives: list = []
    # Searching for a patient, or choosing one found, posts the whole form: what was typed stays.
    searching = request.method == "POST" and ("search" in request.POST or "choose" in request.POST)
    if request.method == "POST" and not searching:
        form = BookingForm(_with_slot(request.POST))
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = evaluation_book(
                    patient=data["patient"],
                    therapist=data["therapist"],
                    location=data["location"],
                    appointment_type=data["appointment_type"],
                    starts_at=data["starts_at"],
                    booked_by=request.user,
                    notes=data["notes"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                    sex=data["sex"],
                    email=data["email"],
                    phone=data["phone"],
                )
            except BookingError as exc:
                _add_booking_error(form, exc)
                alternatives = exc.alternatives
            except ValidationError as exc:
                _add_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Booked {appointment.appointment_type.name.lower()} for {appointment.patient.full_name}."
                    + (" Intake form sent." if appointment.appointment_type.requires_intake else ""),
                )
                return redirect("patients:appointment", pk=appointment.pk)
    elif searching:
        typed = {name: request.POST.get(name) for name in BookingForm.base_fields if name in request.POST}
        if request.POST.get("choose", "").isdigit():
            typed["patient"] = request.POST["choose"]
        form = BookingForm(initial={**_initial_from_query(request.GET), **typed})
    else:
        form = BookingForm(initial=_initial_from_query(request.GET))
    selected = form["patient"].value()
    patient = Patient.objects.filter(pk=selected).first() if str(selected or "").isdigit() else None
    # The patient search is POSTed so names never appear in a URL.
    query = request.POST.get("q", "").strip()[:100] if searching else ""
    matches = list(patient_search(query=query)[:10]) if query and patient is None else []
    return render(
        request,
        "patients/booking/book.html",
        {
            "form": form,
            "patient": patient,
            "query": query,
            "matches": matches,
            "alternatives": alternatives,
            "keep": {
                k: v
                for k, v in request.GET.items()
                if k in {"location", "therapist", "start", "appointment_type"}
            },
        },
        status=400 if request.method == "POST" and not searching else 200,
    )


def _appointment(request: HttpRequest, pk: int) -> Appointment:
    """The appointment a page shows; opening it is a read of the patient's record."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("patient", "therapist", "location", "appointment_type"), pk=pk
    )
    access_record(request=request, patient_id=appointment.patient_id, obj=appointment)
    return appointment


def _render_detail(
    request: HttpRequest,
    appointment: Appointment,
    *,
    reschedule_form: RescheduleForm | None = None,
    cancel_form: CancelForm | None = None,
    alternatives: list | None = None,
    conflict: object | None = None,
    conflict_action: str = "",
) -> HttpResponse:
    """The appointment page; a failed move or cancel comes back with its form as typed.

    After a conflict (409) `appointment` is the visit as saved now, so its
    forms carry the current version and sending them again applies the input.
    """
    if reschedule_form is None:
        reschedule_form = RescheduleForm(location=appointment.location, initial=_slot_initial(appointment))
    failed = bool(reschedule_form.is_bound or (cancel_form is not None and cancel_form.is_bound))
    return render(
        request,
        "patients/booking/appointment_detail.html",
        {
            "appointment": appointment,
            "events": appointment.events.select_related("by", "previous_therapist"),
            "invitation": appointment.intake_invitations.order_by("-created_at").first(),
            "reschedule_form": reschedule_form,
            "cancel_form": cancel_form or CancelForm(),
            "alternatives": alternatives or [],
            "Status": AppointmentStatus,
            "conflict": conflict,
            "conflict_action": conflict_action,
        },
        status=409 if conflict else 400 if failed else 200,
    )


def _slot_initial(appointment: Appointment) -> dict[str, object]:
    local = appointment.starts_at.astimezone(ZoneInfo(appointment.location.time_zone))
    return {"date": local.date(), "time": local.time(), "therapist": appointment.therapist}


def _render_conflict(
    request: HttpRequest,
    exc: StaleVersionError,
    pk: int,
    *,
    form: RescheduleForm | CancelForm | None = None,
    action: str,
) -> HttpResponse:
    """The appointment as saved now, the user's input kept beside it (409)."""
    # Re-read without a second access record: this request has already logged one.
    current = get_object_or_404(
        Appointment.objects.select_related("patient", "therapist", "location", "appointment_type"), pk=pk
    )
    saved: dict[str, object] = {}
    if isinstance(form, RescheduleForm):
        saved = _slot_initial(current)
        form = RescheduleForm(form.data, location=current.location)
    elif isinstance(form, CancelForm):
        saved = {"cancelled_by": current.cancelled_by, "reason": current.cancel_reason}
    conflict = conflict_for(exc, current=current, form=form, saved=saved)
    return _render_detail(
        request,
        current,
        reschedule_form=form if isinstance(form, RescheduleForm) else None,
        cancel_form=form if isinstance(form, CancelForm) else None,
        conflict=conflict,
        conflict_action=action,
    )


@staff_view(*BOOKERS)
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _appointment(request, pk))


@require_POST
@staff_view(*BOOKERS)
def appointment_mark_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appointment = _appointment(request, pk)
    if action not in MARK_BUTTONS:
        messages.error(request, "Unknown action.")
    else:
        try:
            appointment_mark(
                appointment=appointment,
                action=action,
                by=request.user,
                expected_version=posted_version(request, missing=STALE_VERSION),
            )
        except StaleVersionError as exc:
            return _render_conflict(request, exc, pk, action=MARK_BUTTONS[action])
        except BookingError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"{appointment.patient.full_name}: {AppointmentAction(action).label.lower()}."
            )
    return redirect(
        request.POST.get("next")
        if request.POST.get("next", "").startswith("/")
        else reverse("patients:appointment", args=[pk])
    )


@require_POST
@staff_view(*BOOKERS)
def appointment_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    form = RescheduleForm(request.POST, location=appointment.location)
    alternatives: list = []
    back = _safe_next(request)
    if form.is_valid():
        try:
            appointment_reschedule(
                appointment=appointment,
                starts_at=form.cleaned_data["starts_at"],
                therapist=form.cleaned_data["therapist"],
                by=request.user,
                expected_version=posted_version(request, missing=STALE_VERSION),
            )
        except StaleVersionError as exc:
            return _render_conflict(request, exc, pk, form=form, action="Move appointment")
        except BookingError as exc:
            if back:
                # Moved from the calendar: refused there, with what is free instead.
                zone = ZoneInfo(appointment.location.time_zone)
                messages.error(request, " ".join([*exc.messages, *_free_instead(exc.alternatives, zone)]))
                return redirect(back)
            _add_booking_error(form, exc)
            alternatives = exc.alternatives
        else:
            messages.success(request, "Appointment moved; the patient has been told.")
            return redirect(back or reverse("patients:appointment", args=[pk]))
    elif back:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    return _render_detail(request, appointment, reschedule_form=form, alternatives=alternatives)


def _free_instead(slots: list, zone: ZoneInfo) -> list[str]:
    if not slots:
        return []
    times = ", ".join(
        f"{format_date(s.starts_at, 'weekday_short_time', zone=zone)} with {s.therapist.display_name}"
        for s in slots
    )
    return [f"Free instead: {times}."]


def _safe_next(request: HttpRequest) -> str:
    """The page to go back to after a move posted from the calendar (this site's paths only)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_POST
@staff_view(*BOOKERS)
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            appointment_cancel(
                appointment=appointment,
                by=request.user,
                cancelled_by=form.cleaned_data["cancelled_by"],
                reason=form.cleaned_data["reason"],
                expected_version=posted_version(request, missing=STALE_VERSION),
            )
        except StaleVersionError as exc:
            return _render_conflict(request, exc, pk, form=form, action="Cancel appointment")
        except BookingError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Appointment cancelled; the patient has been told.")
            return redirect("patients:appointment", pk=pk)
    return _render_detail(request, appointment, cancel_form=form)


@require_POST
@staff_view(*BOOKERS)
def intake_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(IntakeInvitation, pk=pk)
    record_access_check(request, invitation.patient_id)
    form = IntakeResendForm(request.POST)
    stop_earlier = form.is_valid() and form.cleaned_data["stop_earlier"]
    try:
        intake_resend(invitation=invitation, by=request.user, stop_earlier=stop_earlier)
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "A new intake link has been emailed; the links sent earlier no longer work."
            if stop_earlier
            else "A new intake link has been emailed; the links sent earlier still work.",
        )
    if invitation.appointment_id:
        return redirect("patients:appointment", pk=invitation.appointment_id)
    return redirect("patients:detail", pk=invitation.patient_id)
