"""Two patients claim the same freed time at the same moment: one gets it (real PostgreSQL, two connections)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from patients.booking.actors import online_booking_user
from patients.booking.choices import AppointmentStatus
from patients.booking.waitlist.choices import OfferStatus, WaitlistStatus
from patients.booking.waitlist.services import ClaimOutcome, waitlist_offer_claim
from patients.models import Appointment, WaitlistEntry, WaitlistOffer
from tests.factories import PatientFactory
from tests.patients.booking.waitlist.support import WEDNESDAY_10, cancel, join

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_offer_claimed_by_two_patients_at_once_goes_to_one(
    full_wednesday, frozen_monday, location, online_follow_up, front_desk, physio, eager_celery
):
    entries = []
    for last_name in ("First", "Second"):
        entries.append(join(PatientFactory(last_name=last_name), location, online_follow_up))
        frozen_monday.shift(timedelta(minutes=1))
    # Committed: the cancellation's task offers the time to both, in order of joining.
    cancel(full_wednesday, front_desk)
    offers = list(WaitlistOffer.objects.order_by("pk"))
    assert [o.entry_id for o in offers] == [e.pk for e in entries]
    by = online_booking_user()
    barrier = threading.Barrier(2)
    outcomes: dict[int, ClaimOutcome] = {}

    def claim(offer: WaitlistOffer) -> None:
        try:
            barrier.wait()
            outcomes[offer.pk] = waitlist_offer_claim(offer=offer, by=by).outcome
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(offer,)) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o.value for o in outcomes.values()) == ["claimed", "taken"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == ClaimOutcome.CLAIMED)
    loser = next(pk for pk, outcome in outcomes.items() if outcome == ClaimOutcome.TAKEN)
    booked = Appointment.objects.filter(therapist=physio, status=AppointmentStatus.BOOKED)
    assert [(a.starts_at, a.patient_id) for a in booked] == [
        (WEDNESDAY_10, WaitlistOffer.objects.get(pk=winner).entry.patient_id)
    ]
    assert WaitlistOffer.objects.get(pk=loser).status == OfferStatus.TAKEN
    assert WaitlistEntry.objects.get(offers__pk=loser).status == WaitlistStatus.ACTIVE
    assert WaitlistEntry.objects.get(offers__pk=winner).status == WaitlistStatus.BOOKED
