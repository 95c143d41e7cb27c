"""The waitlist: joining, matching freed times to waiting patients, and claiming an offer.

Matching runs when a visit is cancelled (on commit, as a task) and every
minute (beat), so times freed by new working hours, removed time off or
lapsed online holds are offered too. Each run holds the location's row lock,
so two runs never offer one entry two times at once. Offers go to the active
entries in order of joining, at most WAITLIST_OFFERS_PER_SLOT at once for one
time and one open offer per entry; an entry is offered a given time once, ever
(the offer's unique constraint, and the email's idempotency key).

The first claim books the time through the booking service under its locks;
PostgreSQL's exclusion constraint is the last guard. Later claims of the
same time find it taken and their entries stay on the list.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from clinic.dates import format_date
from clinic.messaging.services import About, messages_cancel, schedule_message
from clinic.staff.models import Location, TherapistProfile, User
from patients.booking.choices import AppointmentStatus, BookingSource, HoldState
from patients.booking.scheduling import Slot
from patients.booking.services import (
    BookingError,
    appointment_confirmed,
    appointment_create,
    appointment_reschedule,
)
from patients.booking.waitlist.choices import OfferStatus, WaitlistStatus
from patients.booking.waitlist.rules import Wish, offer_expiry, suits
from patients.booking.waitlist.slots import min_notice, online_window, slots_between
from patients.messages import PatientMessageKind
from patients.models import Appointment, AppointmentType, Patient, WaitlistEntry, WaitlistOffer


class WaitlistError(ValidationError):
    """A waitlist request that cannot be accepted (the message says why)."""


def offer_key(offer: WaitlistOffer) -> str:
    # One email per entry and time, whatever runs twice.
    return f"waitlist:{offer.entry_id}:offer:{offer.therapist_id}:{offer.starts_at:%Y%m%dT%H%MZ}"


@transaction.atomic
def waitlist_join(
    *,
    patient: Patient,
    location: Location,
    appointment_type: AppointmentType,
    until: date,
    therapist: TherapistProfile | None = None,
    weekdays: int,
    parts_of_day: int = 0,
    earliest: time | None = None,
    latest: time | None = None,
    appointment: Appointment | None = None,
) -> WaitlistEntry:
    """Put the patient on the waitlist, or update their waiting entry for that visit.

    The patient must be verified by the caller (the booking's emailed code, or
    the manage link of `appointment`, whose earlier times are then sought).
    A patient joining again for the same location and type keeps their place
    in the queue with the new wishes. Raises WaitlistError for an end date in
    the past or beyond the online booking horizon, or a therapist not at the
    location; ValidationError for wishes the constraints refuse.
    Side effects: the WaitlistEntry (created or changed); nothing is emailed
    until a time frees.
    """
    now = timezone.now()
    zone = ZoneInfo(location.time_zone)
    _, last_day = online_window(location=location, now=now)
    if until < now.astimezone(zone).date():
        raise WaitlistError({"until": ["Choose a date from today on."]})
    if until > last_day:
        raise WaitlistError(
            {"until": [f"We book up to {format_date(last_day, 'day_long')}: choose a date up to then."]}
        )
    if therapist is not None and not therapist.locations.filter(pk=location.pk).exists():
        raise WaitlistError({"therapist": [f"{therapist} does not work at {location}."]})
    if parts_of_day:
        earliest = latest = None
    # Serialise joins of one patient: the second finds the first's entry.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    entry = (
        WaitlistEntry.objects.select_for_update()
        .filter(
            patient=patient,
            location=location,
            appointment_type=appointment_type,
            status=WaitlistStatus.ACTIVE,
        )
        .first()
    ) or WaitlistEntry(patient=patient, location=location, appointment_type=appointment_type)
    entry.therapist = therapist
    entry.appointment = appointment
    entry.weekdays = weekdays
    entry.parts_of_day = parts_of_day
    entry.earliest = earliest
    entry.latest = latest
    entry.until = until
    entry.full_clean()
    entry.save()
    return entry


def _close_offers(offers: "list[WaitlistOffer]", status: str) -> None:
    for offer in offers:
        offer.status = status
        offer.save(update_fields=["status"])
        messages_cancel(about=About.of(offer))


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry) -> WaitlistEntry:
    """Take the entry off the waitlist; its open offers close and their unsent emails stop."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != WaitlistStatus.ACTIVE:
        return entry
    entry.status = WaitlistStatus.LEFT
    entry.save(update_fields=["status", "updated_at"])
    _close_offers(
        list(entry.offers.select_for_update().filter(status=OfferStatus.OFFERED)), OfferStatus.EXPIRED
    )
    return entry


def _expire(*, now: datetime) -> None:
    """Close lapsed offers, and entries past their end date (in each location's zone)."""
    WaitlistOffer.objects.filter(status=OfferStatus.OFFERED, expires_at__lte=now).update(
        status=OfferStatus.EXPIRED
    )
    for entry in WaitlistEntry.objects.filter(
        status=WaitlistStatus.ACTIVE, until__lt=now.date()
    ).select_related("location"):
        if entry.until < now.astimezone(ZoneInfo(entry.location.time_zone)).date():
            waitlist_leave(entry=entry)
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.EXPIRED)
    # An entry whose visit to bring forward is no longer booked has nothing to move.
    for entry in WaitlistEntry.objects.filter(
        status=WaitlistStatus.ACTIVE, appointment__isnull=False
    ).exclude(appointment__status=AppointmentStatus.BOOKED):
        waitlist_leave(entry=entry)


def _wish(entry: WaitlistEntry) -> Wish:
    return Wish(
        weekdays=entry.weekdays,
        parts_of_day=entry.parts_of_day,
        earliest=entry.earliest,
        latest=entry.latest,
        until=entry.until,
        therapist_id=entry.therapist_id,
        before=entry.appointment.starts_at if entry.appointment is not None else None,
    )


@dataclass
class _Matcher:
    """One matching run at one location: each type and therapist's free times read once (five queries)."""

    location: Location
    now: datetime
    only_therapist: TherapistProfile | None = None
    only_day: date | None = None

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.location.time_zone)
        earliest, last_day = online_window(location=self.location, now=self.now)
        self.first_day = self.only_day or earliest.astimezone(self.zone).date()
        self.last_day = min(last_day, self.only_day) if self.only_day else last_day
        self._slots: dict[tuple[int, int | None], list[Slot]] = {}
        self.open_per_slot: dict[tuple[int, datetime], int] = {
            (row["therapist"], row["starts_at"]): row["n"]
            for row in WaitlistOffer.objects.filter(
                status=OfferStatus.OFFERED, entry__location=self.location, starts_at__gte=self.now
            )
            .values("therapist", "starts_at")
            .annotate(n=Count("pk"))
        }

    def slots(self, appointment_type: AppointmentType, therapist: TherapistProfile | None) -> list[Slot]:
        key = (appointment_type.pk, therapist.pk if therapist is not None else None)
        if key not in self._slots:
            self._slots[key] = slots_between(
                location=self.location,
                appointment_type=appointment_type,
                therapist=therapist,
                first_day=self.first_day,
                last_day=self.last_day,
                now=self.now,
            )
        return self._slots[key]

    def first_match(self, entry: WaitlistEntry, tried: set[tuple[int, datetime]]) -> Slot | None:
        therapist = entry.therapist
        if self.only_therapist is not None:
            if therapist is not None and therapist.pk != self.only_therapist.pk:
                return None
            therapist = self.only_therapist
        wish = _wish(entry)
        cap = settings.WAITLIST_OFFERS_PER_SLOT
        for slot in self.slots(entry.appointment_type, therapist):
            key = (slot.therapist.pk, slot.starts_at)
            if key in tried or self.open_per_slot.get(key, 0) >= cap:
                continue
            if suits(
                wish,
                therapist_id=slot.therapist.pk,
                starts_at=slot.starts_at.astimezone(self.zone),
                ends_at=slot.ends_at.astimezone(self.zone),
            ):
                return slot
        return None


def _offer(entry: WaitlistEntry, slot: Slot, *, now: datetime) -> WaitlistOffer | None:
    expires_at = offer_expiry(
        now=now,
        starts_at=slot.starts_at,
        offer_minutes=settings.WAITLIST_OFFER_MINUTES,
        min_notice=min_notice(),
    )
    if expires_at is None:
        return None
    try:
        with transaction.atomic():
            offer = WaitlistOffer.objects.create(
                entry=entry,
                therapist=slot.therapist,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                created_at=now,
                expires_at=expires_at,
            )
    except IntegrityError:  # offered once already (another run got there first)
        return None
    schedule_message(
        kind=PatientMessageKind.WAITLIST_OFFER,
        to=entry.patient.email,
        due_at=now,
        key=offer_key(offer),
        about=About.of(offer),
        patient_id=entry.patient_id,
        expires_at=expires_at,
        time_zone=entry.location.time_zone,
    )
    return offer


@transaction.atomic
def waitlist_match(
    *,
    location: Location,
    therapist: TherapistProfile | None = None,
    day: date | None = None,
    now: datetime | None = None,
) -> list[WaitlistOffer]:
    """Offer the location's free times to its waiting entries, in order of joining.

    `therapist` and `day` narrow the search (a cancelled visit's own time).
    Each active entry without an open offer gets its earliest suitable free
    time not yet offered to it, while that time has fewer than
    WAITLIST_OFFERS_PER_SLOT open offers. Lapsed offers and entries past
    their end date close first. Side effects: WaitlistOffer rows and one
    waitlist-offer email each, due now (expiring with the offer).
    """
    now = now or timezone.now()
    Location.objects.select_for_update().filter(pk=location.pk).first()
    _expire(now=now)
    matcher = _Matcher(location=location, now=now, only_therapist=therapist, only_day=day)
    entries = (
        WaitlistEntry.objects.filter(location=location, status=WaitlistStatus.ACTIVE)
        .exclude(patient__email="")
        .exclude(offers__status=OfferStatus.OFFERED)
        .select_related("patient", "appointment_type", "therapist", "appointment")
        .order_by("created_at", "pk")
    )
    if therapist is not None:
        entries = entries.filter(Q(therapist__isnull=True) | Q(therapist=therapist))
    made = []
    for entry in entries:
        tried = set(entry.offers.values_list("therapist_id", "starts_at"))
        slot = matcher.first_match(entry, tried)
        if slot is None:
            continue
        offer = _offer(entry, slot, now=now)
        if offer is not None:
            key = (slot.therapist.pk, slot.starts_at)
            matcher.open_per_slot[key] = matcher.open_per_slot.get(key, 0) + 1
            made.append(offer)
    return made


def waitlist_match_all(*, now: datetime | None = None) -> int:
    """Every location with waiting entries (the minute's beat task); each location in its own transaction."""
    location_ids = (
        WaitlistEntry.objects.filter(status=WaitlistStatus.ACTIVE)
        .values_list("location_id", flat=True)
        .distinct()
    )
    made = 0
    for location in Location.objects.filter(pk__in=list(location_ids)):
        made += len(waitlist_match(location=location, now=now))
    if not location_ids:
        with transaction.atomic():
            _expire(now=now or timezone.now())
    return made


def waitlist_match_freed(*, appointment_id: int) -> int:
    """Offer a cancelled visit's time (its therapist's day) to the waitlist."""
    appointment = (
        Appointment.objects.select_related("location", "therapist").filter(pk=appointment_id).first()
    )
    if appointment is None or appointment.status != AppointmentStatus.CANCELLED:
        return 0
    day = appointment.starts_at.astimezone(ZoneInfo(appointment.location.time_zone)).date()
    return len(waitlist_match(location=appointment.location, therapist=appointment.therapist, day=day))


class ClaimOutcome(Enum):
    CLAIMED = "claimed"  # booked for this patient (now or by an earlier click)
    TAKEN = "taken"  # someone else has the time; still on the waitlist
    EXPIRED = "expired"  # the offer lapsed
    CLOSED = "closed"  # the entry is no longer waiting (left, expired, booked otherwise)


@dataclass(frozen=True)
class ClaimResult:
    outcome: ClaimOutcome
    appointment: Appointment | None = None


@transaction.atomic
def waitlist_offer_claim(*, offer: WaitlistOffer, by: User) -> ClaimResult:
    """The patient takes the offered time: the first claim books it, later ones find it taken.

    `by` is the system user recorded as acting for the patient. A booking
    refused (the time taken meanwhile, by another claim, the desk or an online
    booking) marks this offer taken; the entry stays active. A successful
    claim books the visit (or moves the entry's visit to this earlier time)
    with the booking service's emails, marks the entry booked, and closes
    every other open offer of the time (taken) and of the entry (expired),
    with their unsent emails.
    """
    now = timezone.now()
    # The therapist first, as every booking does: a second claim of the time waits
    # here, before it holds any offer the first claim closes (no deadlock).
    therapist = TherapistProfile.objects.select_for_update().get(pk=offer.therapist_id)
    offer = WaitlistOffer.objects.select_for_update().get(pk=offer.pk)
    entry = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("patient", "location", "appointment_type", "appointment")
        .get(pk=offer.entry_id)
    )
    if offer.status == OfferStatus.CLAIMED:
        return ClaimResult(ClaimOutcome.CLAIMED, offer.appointment)
    if offer.status == OfferStatus.TAKEN:
        return ClaimResult(ClaimOutcome.TAKEN)
    if offer.status == OfferStatus.EXPIRED or offer.expires_at <= now:
        _close_offers([offer], OfferStatus.EXPIRED)
        return ClaimResult(ClaimOutcome.EXPIRED)
    if entry.status != WaitlistStatus.ACTIVE:
        _close_offers([offer], OfferStatus.EXPIRED)
        return ClaimResult(ClaimOutcome.CLOSED)
    try:
        moving = entry.appointment
        if (
            moving is not None
            and moving.status == AppointmentStatus.BOOKED
            and moving.hold == HoldState.CONFIRMED
        ):
            appointment = appointment_reschedule(
                appointment=moving, starts_at=offer.starts_at, therapist=therapist, by=by, by_patient=True
            )
        else:
            with transaction.atomic():
                appointment = appointment_create(
                    patient=entry.patient,
                    therapist=therapist,
                    location=entry.location,
                    appointment_type=entry.appointment_type,
                    starts_at=offer.starts_at,
                    created_by=by,
                    source=BookingSource.ONLINE,
                )
                appointment_confirmed(appointment, by=by, by_patient=True)
    except BookingError:
        _close_offers([offer], OfferStatus.TAKEN)
        return ClaimResult(ClaimOutcome.TAKEN)
    offer.status = OfferStatus.CLAIMED
    offer.claimed_at = now
    offer.appointment = appointment
    offer.save(update_fields=["status", "claimed_at", "appointment"])
    entry.status = WaitlistStatus.BOOKED
    entry.save(update_fields=["status", "updated_at"])
    _close_offers(
        list(
            WaitlistOffer.objects.select_for_update()
            .filter(
                status=OfferStatus.OFFERED,
                therapist=therapist,
                starts_at__lt=offer.ends_at,
                ends_at__gt=offer.starts_at,
            )
            .exclude(entry=entry)
        ),
        OfferStatus.TAKEN,
    )
    _close_offers(
        list(entry.offers.select_for_update().filter(status=OfferStatus.OFFERED).exclude(pk=offer.pk)),
        OfferStatus.EXPIRED,
    )
    return ClaimResult(ClaimOutcome.CLAIMED, appointment)
