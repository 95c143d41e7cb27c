"""Holds: a real row the exclusion constraints protect, one winner at a time, freed when it lapses."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import BookingSource, HoldState
from patients.booking.online.services import TAKEN, HoldLapsedError, online_confirm, online_hold
from patients.booking.online.slots import online_slots
from patients.booking.services import BookingError, appointment_book
from patients.booking.tasks import holds_release_task
from patients.models import Appointment, BookingVerification
from tests.factories import PatientFactory
from tests.patients.booking.online.support import choose, code_messages, enter_code, give_details

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def verified(location, appointment_type, therapist, starts_at, *, email: str, first_name: str):
    """An attempt whose emailed code was right just now."""
    return BookingVerification.objects.create(
        email=email,
        first_name=first_name,
        last_name="Runner",
        date_of_birth=date(1990, 1, 1),
        phone="07700 900111",
        location=location,
        appointment_type=appointment_type,
        therapist=therapist,
        starts_at=starts_at,
        created_at=MONDAY_MORNING,
        verified_at=MONDAY_MORNING,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_patients_verified_at_once_holding_one_slot_make_one_hold(
    frozen_monday, location, physio, online_follow_up
):
    attempts = [
        verified(
            location, online_follow_up, physio, TUESDAY_10, email=f"runner{i}@example.com", first_name=name
        )
        for i, name in enumerate(["Ada", "Bea"])
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            online_hold(verification=attempts[index])
            outcomes.append("held")
        except BookingError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == sorted([TAKEN, "held"])
    hold = Appointment.objects.get(therapist=physio)
    assert (hold.hold, hold.source, hold.status) == (HoldState.HELD, BookingSource.ONLINE, "booked")
    # The loser's new record was rolled back with their failed hold: no patient without a visit.
    assert BookingVerification.objects.filter(appointment__isnull=False).count() == 1
    assert hold.patient.first_name in {"Ada", "Bea"}
    from patients.models import Patient

    assert Patient.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_refuses_a_second_row_over_a_live_hold(
    frozen_monday, location, physio, online_follow_up
):
    from django.db import IntegrityError, transaction

    hold = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            patient=PatientFactory(),
            therapist=physio,
            location=location,
            appointment_type=online_follow_up,
            starts_at=hold.starts_at,
            ends_at=hold.ends_at,
            created_by=hold.created_by,
        )


@pytest.mark.django_db
def test_a_live_hold_is_not_offered_and_the_desk_cannot_book_over_it(
    frozen_monday, location, physio, online_follow_up, front_desk
):
    online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    starts = _starts(location, online_follow_up)
    assert TUESDAY_10 not in starts and TUESDAY_10 + timedelta(minutes=30) in starts

    with pytest.raises(BookingError):
        appointment_book(
            patient=PatientFactory(),
            therapist=physio,
            location=location,
            appointment_type=online_follow_up,
            starts_at=TUESDAY_10,
            booked_by=front_desk,
        )


def _starts(location, appointment_type) -> set[datetime]:
    return {
        s.starts_at
        for s in online_slots(
            location=location,
            appointment_type=appointment_type,
            start_day=date(2026, 11, 24),
            days=1,
            now=datetime.now(UTC),
        )
    }


@pytest.mark.django_db
def test_a_lapsed_hold_is_free_again_online_and_for_the_desk(
    frozen_monday, location, physio, online_follow_up, front_desk
):
    hold = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    frozen_monday.shift(timedelta(minutes=settings.ONLINE_BOOKING_HOLD_MINUTES, seconds=1))

    # Online: offered again before anything releases the row.
    assert TUESDAY_10 in _starts(location, online_follow_up)
    with pytest.raises(HoldLapsedError):
        online_confirm(appointment=hold)
    # The desk books it: the lapsed row gives way under the booking locks.
    booked = appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=online_follow_up,
        starts_at=TUESDAY_10,
        booked_by=front_desk,
    )
    assert list(Appointment.objects.filter(therapist=physio)) == [booked]


@pytest.mark.django_db
def test_a_lapsed_hold_is_taken_by_the_next_online_patient(frozen_monday, location, physio, online_follow_up):
    first = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    frozen_monday.shift(timedelta(minutes=settings.ONLINE_BOOKING_HOLD_MINUTES))

    second = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="b@example.com", first_name="Bea"
        )
    )

    assert not Appointment.objects.filter(pk=first.pk).exists()
    assert Appointment.objects.get(therapist=physio) == second


@pytest.mark.django_db
def test_the_minute_task_releases_lapsed_holds_only(frozen_monday, location, physio, online_follow_up):
    early = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    frozen_monday.shift(timedelta(minutes=5))
    late = online_hold(
        verification=verified(
            location,
            online_follow_up,
            physio,
            TUESDAY_10 + timedelta(hours=1),
            email="b@example.com",
            first_name="Bea",
        )
    )
    frozen_monday.shift(timedelta(minutes=6))

    assert holds_release_task() == 1

    assert list(Appointment.objects.all()) == [late]
    assert not Appointment.objects.filter(pk=early.pk).exists()
    assert "patients-booking-holds-release" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.django_db
def test_a_hold_sends_nothing_until_it_is_confirmed(frozen_monday, location, physio, online_evaluation):
    online_hold(
        verification=verified(
            location, online_evaluation, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    assert not ScheduledMessage.objects.filter(to_email="a@example.com").exists()


@pytest.mark.django_db
def test_after_a_clash_the_verified_browser_holds_another_time_without_a_new_code(
    client, frozen_monday, location, physio, online_follow_up
):
    assert choose(client, location, online_follow_up, physio, TUESDAY_10).status_code == 302
    give_details(client)
    # Meanwhile someone else, verified first, holds that time.
    other = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="b@example.com", first_name="Bea"
        )
    )

    response = enter_code(client)

    assert response["Location"].startswith(reverse("book:slots", args=[location.pk, online_follow_up.pk]))
    assert "Someone has just taken that time" in client.get(response["Location"]).content.decode()
    codes_sent = code_messages().count()

    response = choose(client, location, online_follow_up, physio, TUESDAY_10 + timedelta(minutes=30))

    assert response["Location"] == reverse("book:confirm")
    mine = Appointment.objects.exclude(pk=other.pk).get()
    assert (mine.starts_at, mine.hold) == (TUESDAY_10 + timedelta(minutes=30), HoldState.HELD)
    assert code_messages().count() == codes_sent


@pytest.mark.django_db
def test_the_desk_cannot_move_mark_or_cancel_a_hold_or_a_request(
    frozen_monday, location, physio, online_follow_up, front_desk
):
    from patients.booking.choices import AppointmentAction, CancelledBy, HoldState
    from patients.booking.services import (
        BookingError,
        appointment_cancel,
        appointment_mark,
        appointment_reschedule,
    )

    hold = online_hold(
        verification=verified(
            location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada"
        )
    )
    for held in (True, False):
        if not held:
            Appointment.objects.filter(pk=hold.pk).update(hold=HoldState.REQUESTED, hold_expires_at=None)
        with pytest.raises(BookingError):
            appointment_reschedule(
                appointment=hold, starts_at=TUESDAY_10 + timedelta(minutes=15), by=front_desk
            )
        with pytest.raises(BookingError):
            appointment_mark(appointment=hold, action=AppointmentAction.ARRIVED, by=front_desk)
        with pytest.raises(BookingError):
            appointment_cancel(appointment=hold, by=front_desk, cancelled_by=CancelledBy.CLINIC, reason="x")
        row = Appointment.objects.get()
        assert (row.starts_at, row.status, row.version) == (TUESDAY_10, hold.status, hold.version)


@pytest.mark.django_db
def test_the_minute_task_forgets_old_attempts_that_booked_nothing(
    frozen_monday, location, physio, online_follow_up
):
    booked = verified(location, online_follow_up, physio, TUESDAY_10, email="a@example.com", first_name="Ada")
    online_confirm(appointment=online_hold(verification=booked))
    # Bea's code was right but her hold lapsed: her attempt booked nothing.
    lapsed = verified(
        location,
        online_follow_up,
        physio,
        TUESDAY_10 + timedelta(hours=1),
        email="b@example.com",
        first_name="Bea",
    )
    online_hold(verification=lapsed)
    frozen_monday.shift(timedelta(days=7, seconds=1))
    recent = verified(location, online_follow_up, physio, TUESDAY_10, email="c@example.com", first_name="Cy")
    BookingVerification.objects.filter(pk=recent.pk).update(created_at=datetime.now(UTC))

    holds_release_task()

    assert set(BookingVerification.objects.values_list("email", flat=True)) == {
        "a@example.com",
        "c@example.com",
    }
