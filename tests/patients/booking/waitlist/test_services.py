"""Waitlist matching and claims against the real booking services and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.staff.models import WorkingHours
from patients.booking.actors import online_booking_user
from patients.booking.choices import AppointmentAction, AppointmentStatus
from patients.booking.services import appointment_book
from patients.booking.waitlist.choices import OfferStatus, PartOfDay, WaitlistStatus
from patients.booking.waitlist.rules import bits_of
from patients.booking.waitlist.services import (
    ClaimOutcome,
    WaitlistError,
    waitlist_join,
    waitlist_leave,
    waitlist_match,
    waitlist_match_all,
    waitlist_offer_claim,
)
from patients.booking.waitlist.tasks import waitlist_slot_freed_enqueue, waitlist_slot_freed_task
from patients.models import Appointment, AppointmentEvent, WaitlistEntry, WaitlistOffer
from tests.factories import AppointmentTypeFactory, PatientFactory
from tests.patients.booking.waitlist.support import UNTIL, WEDNESDAY_10, at, cancel, join

WEDNESDAY = 2


def offers_made():
    return list(WaitlistOffer.objects.order_by("pk").values_list("entry__patient__last_name", "starts_at"))


def test_a_cancellation_offers_the_time_to_matching_entries_in_order_of_joining(
    full_wednesday,
    frozen_monday,
    location,
    online_follow_up,
    front_desk,
    physio,
    django_capture_on_commit_callbacks,
):
    other_type = AppointmentTypeFactory(name="Re-assessment", duration_minutes=60, online_bookable=True)
    for last_name in ("First", "Second"):
        join(PatientFactory(last_name=last_name), location, online_follow_up)
        frozen_monday.shift(timedelta(minutes=1))
    join(PatientFactory(last_name="OtherType"), location, other_type)
    join(PatientFactory(last_name="Third"), location, online_follow_up)
    # Nothing is free before the cancellation.
    assert waitlist_match_all() == 0

    with django_capture_on_commit_callbacks() as callbacks:
        cancel(full_wednesday, front_desk)
    queued = [c for c in callbacks if getattr(c, "func", None) is waitlist_slot_freed_enqueue]
    assert [c.keywords for c in queued] == [{"appointment_id": full_wednesday.pk}]
    made = waitlist_slot_freed_task.apply(kwargs=queued[0].keywords).get()

    assert made == 3
    assert offers_made() == [("First", WEDNESDAY_10), ("Second", WEDNESDAY_10), ("Third", WEDNESDAY_10)]
    emails = ScheduledMessage.objects.filter(kind="waitlist_offer").order_by("pk")
    assert [m.to_email for m in emails] == [
        o.entry.patient.email for o in WaitlistOffer.objects.select_related("entry__patient").order_by("pk")
    ]
    offer = WaitlistOffer.objects.order_by("pk").first()
    assert offer.expires_at == timezone.now() + timedelta(minutes=settings.WAITLIST_OFFER_MINUTES)
    assert {m.due_at for m in emails} == {timezone.now()}


def test_offers_per_time_are_capped_and_the_next_in_line_gets_it_when_they_lapse(
    full_wednesday, frozen_monday, location, online_follow_up, front_desk, settings
):
    settings.WAITLIST_OFFERS_PER_SLOT = 2
    for last_name in ("First", "Second", "Third"):
        join(PatientFactory(last_name=last_name), location, online_follow_up)
        frozen_monday.shift(timedelta(minutes=1))
    cancel(full_wednesday, front_desk)

    waitlist_match(location=location)
    assert [name for name, _ in offers_made()] == ["First", "Second"]

    frozen_monday.shift(timedelta(minutes=settings.WAITLIST_OFFER_MINUTES))
    waitlist_match(location=location)

    assert [name for name, _ in offers_made()] == ["First", "Second", "Third"]
    assert list(WaitlistOffer.objects.order_by("pk").values_list("status", flat=True)) == [
        OfferStatus.EXPIRED,
        OfferStatus.EXPIRED,
        OfferStatus.OFFERED,
    ]


def test_matching_twice_sends_one_email_per_entry_and_time(
    full_wednesday, location, online_follow_up, front_desk
):
    join(PatientFactory(), location, online_follow_up)
    cancel(full_wednesday, front_desk)

    first = waitlist_match(location=location)
    again = waitlist_match(location=location)
    # Even with the open offer closed early, the same entry is never offered the same time again.
    WaitlistOffer.objects.update(status=OfferStatus.EXPIRED)
    third = waitlist_match(location=location)

    assert (len(first), again, third) == (1, [], [])
    assert ScheduledMessage.objects.filter(kind="waitlist_offer").count() == 1
    assert WaitlistOffer.objects.count() == 1


@pytest.mark.parametrize(
    ("wishes", "offered"),
    [
        ({}, True),
        ({"therapist": "colleague"}, False),
        ({"therapist": "physio"}, True),
        ({"weekdays": bits_of([0, 1, 3, 4])}, False),  # not Wednesday
        ({"weekdays": bits_of([WEDNESDAY])}, True),
        ({"parts_of_day": PartOfDay.AFTERNOON | PartOfDay.EVENING}, False),
        ({"parts_of_day": PartOfDay.MORNING}, True),
        ({"parts_of_day": 0, "earliest": at(9, 30), "latest": at(11)}, True),
        ({"parts_of_day": 0, "earliest": at(10, 15), "latest": at(11)}, False),
        ({"parts_of_day": 0, "earliest": at(9), "latest": at(10, 15)}, False),  # ends after 10:15
        ({"until": date(2026, 11, 24)}, False),
        ({"until": date(2026, 11, 25)}, True),
        ({"type": "other"}, False),
    ],
    ids=lambda value: str(value) if not isinstance(value, dict) else ",".join(value) or "any",
)
def test_only_matching_entries_are_offered(
    full_wednesday, location, online_follow_up, front_desk, physio, make_physio, wishes, offered
):
    colleague = make_physio("Priya Physio")
    # Priya works at Riverside but has no hours this week: only Sam's freed time is on offer.
    WorkingHours.objects.filter(therapist=colleague).delete()
    wishes = dict(wishes)
    if "therapist" in wishes:
        wishes["therapist"] = {"physio": physio, "colleague": colleague}[wishes["therapist"]]
    appointment_type = online_follow_up
    if wishes.pop("type", None):
        appointment_type = AppointmentTypeFactory(
            name="Re-assessment", duration_minutes=60, online_bookable=True
        )
    join(PatientFactory(last_name="Waiting"), location, appointment_type, **wishes)
    cancel(full_wednesday, front_desk)

    made = waitlist_match(location=location)

    assert [(o.therapist, o.starts_at) for o in made] == ([(physio, WEDNESDAY_10)] if offered else [])


def test_the_first_claim_books_the_time_and_closes_the_other_offers(
    full_wednesday, frozen_monday, location, online_follow_up, front_desk, physio
):
    first = join(PatientFactory(last_name="First"), location, online_follow_up)
    frozen_monday.shift(timedelta(minutes=1))
    second = join(PatientFactory(last_name="Second"), location, online_follow_up)
    cancel(full_wednesday, front_desk)
    offer_first, offer_second = waitlist_match(location=location)

    won = waitlist_offer_claim(offer=offer_second, by=online_booking_user())
    lost = waitlist_offer_claim(offer=offer_first, by=online_booking_user())

    assert (won.outcome, lost.outcome) == (ClaimOutcome.CLAIMED, ClaimOutcome.TAKEN)
    booked = Appointment.objects.get(therapist=physio, status=AppointmentStatus.BOOKED)
    assert (booked.patient, booked.starts_at, booked.source) == (second.patient, WEDNESDAY_10, "online")
    event = AppointmentEvent.objects.get(appointment=booked)
    assert (event.action, event.by_patient, event.by) == (
        AppointmentAction.BOOKED,
        True,
        online_booking_user(),
    )
    assert WaitlistEntry.objects.get(pk=second.pk).status == WaitlistStatus.BOOKED
    assert WaitlistEntry.objects.get(pk=first.pk).status == WaitlistStatus.ACTIVE
    assert WaitlistOffer.objects.get(pk=offer_first.pk).status == OfferStatus.TAKEN
    assert (
        ScheduledMessage.objects.get(key__startswith=f"waitlist:{first.pk}:").status
        == MessageStatus.CANCELLED
    )
    assert ScheduledMessage.objects.filter(kind="appointment_confirmation", about_pk=str(booked.pk)).exists()
    # A second click on the winning link changes nothing.
    again = waitlist_offer_claim(offer=offer_second, by=online_booking_user())
    assert (again.outcome, again.appointment) == (ClaimOutcome.CLAIMED, booked)


def test_a_time_booked_by_the_desk_meanwhile_is_taken_and_the_entry_waits_on(
    full_wednesday, location, online_follow_up, front_desk, physio
):
    entry = join(PatientFactory(), location, online_follow_up)
    cancel(full_wednesday, front_desk)
    (offer,) = waitlist_match(location=location)
    appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=online_follow_up,
        starts_at=WEDNESDAY_10,
        booked_by=front_desk,
    )

    result = waitlist_offer_claim(offer=offer, by=online_booking_user())

    assert result.outcome == ClaimOutcome.TAKEN
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.ACTIVE
    assert WaitlistOffer.objects.get(pk=offer.pk).status == OfferStatus.TAKEN


def test_an_expired_offer_is_refused(
    full_wednesday, frozen_monday, location, online_follow_up, front_desk, physio
):
    entry = join(PatientFactory(), location, online_follow_up)
    cancel(full_wednesday, front_desk)
    (offer,) = waitlist_match(location=location)
    frozen_monday.shift(timedelta(minutes=settings.WAITLIST_OFFER_MINUTES, seconds=1))

    result = waitlist_offer_claim(offer=offer, by=online_booking_user())

    assert result.outcome == ClaimOutcome.EXPIRED
    assert WaitlistOffer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.ACTIVE
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED, therapist=physio).exists()


def test_an_offer_never_outlives_the_booking_cutoff(
    frozen_monday, full_wednesday, location, online_follow_up, front_desk, settings
):
    # Tuesday 22:00: Wednesday 10:00 is 12 hours away; with 11 hours' notice the offer closes at 23:00.
    settings.ONLINE_BOOKING_MIN_NOTICE_HOURS = 11
    join(PatientFactory(), location, online_follow_up)
    cancel(full_wednesday, front_desk)
    frozen_monday.move_to(datetime(2026, 11, 24, 22, tzinfo=UTC), tick=False)

    (offer,) = waitlist_match(location=location)

    assert offer.expires_at == datetime(2026, 11, 24, 23, tzinfo=UTC)


def test_joining_again_keeps_the_place_and_takes_the_new_wishes(
    frozen_monday, location, online_follow_up, physio
):
    patient = PatientFactory()
    first = join(patient, location, online_follow_up)
    frozen_monday.shift(timedelta(hours=1))

    again = join(patient, location, online_follow_up, parts_of_day=PartOfDay.EVENING, therapist=physio)

    assert again.pk == first.pk
    assert (again.created_at, again.parts_of_day, again.therapist) == (
        first.created_at,
        PartOfDay.EVENING,
        physio,
    )
    assert WaitlistEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("until", "field"),
    [(date(2026, 11, 22), "until"), (date(2026, 11, 23) + timedelta(weeks=9), "until")],
    ids=["past", "beyond-horizon"],
)
def test_joining_refuses_an_end_date_outside_the_booking_window(
    frozen_monday, location, online_follow_up, until, field
):
    with pytest.raises(WaitlistError) as caught:
        join(PatientFactory(), location, online_follow_up, until=until)

    assert list(caught.value.error_dict) == [field]
    assert not WaitlistEntry.objects.exists()


def test_leaving_closes_open_offers_and_stops_their_emails(
    full_wednesday, location, online_follow_up, front_desk
):
    entry = join(PatientFactory(), location, online_follow_up)
    cancel(full_wednesday, front_desk)
    (offer,) = waitlist_match(location=location)

    waitlist_leave(entry=entry)

    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.LEFT
    assert WaitlistOffer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED
    assert ScheduledMessage.objects.get(kind="waitlist_offer").status == MessageStatus.CANCELLED


def test_entries_past_their_end_date_expire(frozen_monday, location, online_follow_up):
    entry = join(PatientFactory(), location, online_follow_up, until=UNTIL)
    frozen_monday.move_to(datetime(2026, 12, 1, 8, tzinfo=UTC), tick=False)

    waitlist_match_all()

    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.EXPIRED


def test_a_parts_and_times_mix_is_refused_by_the_database(frozen_monday, location, online_follow_up):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        waitlist_join(
            patient=PatientFactory(),
            location=location,
            appointment_type=online_follow_up,
            weekdays=0,
            parts_of_day=PartOfDay.MORNING,
            until=UNTIL,
        )
