"""The waitlist's public pages: join (once verified), and an offer's claim link.

`book/offer/<token>/` shows the offered time; its POST claims it: the first
claim gets the time, later ones see "taken, you are still on the waitlist",
a lapsed offer says so. `book/waitlist/join/` is for a patient the booking
pages have verified (the emailed code): they call `waitlist_session_bind`
and send the patient here with `?location=&type=&therapist=`.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clinic.audit.models import AccessActor
from clinic.audit.services import access_record
from clinic.staff.access import public_view
from clinic.staff.models import Location
from patients.booking.actors import online_booking_user
from patients.booking.manage.limits import link_requests_exceeded
from patients.booking.waitlist.choices import OfferStatus
from patients.booking.waitlist.forms import WaitlistForm
from patients.booking.waitlist.services import (
    ClaimOutcome,
    WaitlistError,
    waitlist_join,
    waitlist_offer_claim,
)
from patients.booking.waitlist.slots import online_window
from patients.links import core as links
from patients.links.core import private
from patients.models import AppointmentType, Patient, WaitlistOffer

# The patient the booking pages verified: {"id": patient pk, "until": unix time}.
VERIFIED = "waitlist_patient"
VERIFIED_SECONDS = 30 * 60

# Status of the claim page for each outcome.
_CLAIM_STATUS = {
    ClaimOutcome.CLAIMED: 200,
    ClaimOutcome.TAKEN: 409,
    ClaimOutcome.EXPIRED: 410,
    ClaimOutcome.CLOSED: 410,
}


def waitlist_session_bind(request: HttpRequest, *, patient: Patient) -> None:
    """After the booking pages verified the visitor as `patient`: let them join the waitlist for a while."""
    links.session_bind(request, VERIFIED, patient.pk, seconds=VERIFIED_SECONDS)


def _page(
    request: HttpRequest, template: str, context: dict[str, object], *, status: int = 200, forms: bool = True
) -> HttpResponse:
    # Pages with a form keep the site's same-origin referrer policy (no-referrer would
    # make the browser post "Origin: null", which CSRF refuses).
    return private(render(request, template, context, status=status), no_referrer=not forms)


def _offer(request: HttpRequest, token: str) -> WaitlistOffer:
    offer = links.token_find(
        WaitlistOffer.objects.select_related(
            "entry__patient", "entry__location", "entry__appointment_type", "therapist", "appointment"
        ),
        token,
    )
    if offer is None:
        raise Http404("No such offer.")
    access_record(request=request, patient_id=offer.entry.patient_id, obj=offer, actor=AccessActor.PATIENT)
    return offer


def _offer_context(offer: WaitlistOffer, token: str) -> dict[str, object]:
    entry = offer.entry
    zone = ZoneInfo(entry.location.time_zone)
    lapsed = offer.status == OfferStatus.OFFERED and offer.expires_at <= timezone.now()
    return {
        "token": token,
        "visit": {
            "visit_name": entry.appointment_type.name,
            "starts_at": offer.starts_at.astimezone(zone),
            "ends_at": offer.ends_at.astimezone(zone),
            "time_zone": entry.location.time_zone,
            "location": entry.location,
            "therapist_name": offer.therapist.display_name,
        },
        "expires_at": offer.expires_at.astimezone(zone),
        "status": OfferStatus.EXPIRED if lapsed else offer.status,
        "moving": entry.appointment_id is not None,
    }


@public_view
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """The offered time and a button to take it (POST: the claim)."""
    if link_requests_exceeded(request):
        return _page(request, "patients/links/too_many.html", {}, status=429, forms=False)
    found = _offer(request, token)
    if request.method == "POST":
        result = waitlist_offer_claim(offer=found, by=online_booking_user())
        found.refresh_from_db()
        context = {**_offer_context(found, token), "outcome": result.outcome.value}
        return _page(
            request,
            "patients/booking/waitlist/offer.html",
            context,
            status=_CLAIM_STATUS[result.outcome],
            forms=False,
        )
    context = _offer_context(found, token)
    return _page(
        request, "patients/booking/waitlist/offer.html", context, forms=context["status"] == "offered"
    )


@public_view
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Join the waitlist for a location and type, as the patient the booking pages verified."""
    patient_id = links.session_bound(request, VERIFIED)
    patient = Patient.objects.filter(pk=patient_id).first() if patient_id is not None else None
    if patient is None:
        return _page(request, "patients/booking/waitlist/verify_first.html", {}, status=403, forms=False)
    source = request.POST if request.method == "POST" else request.GET
    location = get_object_or_404(Location, pk=source.get("location") or 0, is_active=True)
    appointment_type = get_object_or_404(
        AppointmentType, pk=source.get("type") or 0, is_active=True, online_bookable=True
    )
    access_record(request=request, patient_id=patient.pk, actor=AccessActor.PATIENT)
    status = 200
    if request.method == "POST":
        form = WaitlistForm(request.POST, location=location)
        if form.is_valid():
            try:
                entry = waitlist_join(
                    patient=patient, location=location, appointment_type=appointment_type, **form.wishes()
                )
            except WaitlistError as exc:
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
                status = 400
            else:
                links.session_forget(request, VERIFIED)
                context = {"entry": entry, "location": location, "appointment_type": appointment_type}
                return _page(request, "patients/booking/waitlist/joined.html", context, forms=False)
        else:
            status = 400
    else:
        _, last_day = online_window(location=location, now=timezone.now())
        therapist = location.therapists.filter(pk=source.get("therapist") or 0, online_bookable=True).first()
        form = WaitlistForm(
            initial=WaitlistForm.initial_for(until=last_day, therapist=therapist), location=location
        )
    context = {
        "form": form,
        "location": location,
        "appointment_type": appointment_type,
        "clinic_phone": settings.CLINIC_PHONE,
    }
    return _page(request, "patients/booking/waitlist/join.html", context, status=status)


def join_url(*, location: Location, appointment_type: AppointmentType) -> str:
    """Where the public slot list's "none of these suit?" sends a verified patient."""
    return reverse("waitlist:join") + f"?location={location.pk}&type={appointment_type.pk}"
