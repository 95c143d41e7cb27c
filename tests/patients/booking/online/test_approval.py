"""Types that need approval: the request holds the time until the desk approves or declines."""

from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentAction, AppointmentStatus, CancelledBy, HoldState
from patients.booking.online.services import booking_request_approve, booking_request_decline
from patients.booking.online.slots import online_slots
from patients.booking.services import BookingError
from patients.messages import PatientMessageKind
from patients.models import Appointment, IntakeInvitation
from tests.patients.booking.online.support import book_to_hold

pytestmark = [pytest.mark.usefixtures("frozen_monday"), pytest.mark.django_db]

TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
MONDAY_0700 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def approval_evaluation(online_evaluation):
    online_evaluation.needs_approval = True
    online_evaluation.save()
    return online_evaluation


@pytest.fixture
def request_made(client, location, physio, approval_evaluation):
    response = book_to_hold(client, location, approval_evaluation, physio, TUESDAY_10)
    assert "Send my request" in client.get(response["Location"]).content.decode()
    client.post(reverse("book:confirm"))
    assert "Request received" in client.get(reverse("book:done")).content.decode()
    return Appointment.objects.get()


def _free(location, appointment_type) -> set[datetime]:
    return {
        s.starts_at
        for s in online_slots(
            location=location,
            appointment_type=appointment_type,
            start_day=date(2026, 11, 24),
            days=1,
            now=MONDAY_0700,
        )
    }


def _sent_kinds() -> set[str]:
    return set(ScheduledMessage.objects.values_list("kind", flat=True))


def test_a_request_holds_the_time_and_sends_nothing_yet(request_made, location, approval_evaluation):
    assert (request_made.hold, request_made.hold_expires_at, request_made.status) == (
        HoldState.REQUESTED,
        None,
        AppointmentStatus.BOOKED,
    )
    assert TUESDAY_10 not in _free(location, approval_evaluation)
    assert _sent_kinds() == {PatientMessageKind.BOOKING_CODE}
    event = request_made.events.get()
    assert (event.action, event.by_patient) == (AppointmentAction.REQUESTED, True)


def test_approve_confirms_and_queues_the_confirmation_and_the_intake(request_made, front_desk):
    booking_request_approve(appointment=request_made, by=front_desk)

    request_made.refresh_from_db()
    assert request_made.hold == HoldState.CONFIRMED
    assert {
        PatientMessageKind.APPOINTMENT_CONFIRMATION,
        PatientMessageKind.INTAKE_INVITATION,
    } <= _sent_kinds()
    assert IntakeInvitation.objects.filter(appointment=request_made).exists()
    event = request_made.events.last()
    assert (event.action, event.by, event.by_patient) == (AppointmentAction.APPROVED, front_desk, False)
    with pytest.raises(BookingError):
        booking_request_approve(appointment=request_made, by=front_desk)


def test_decline_frees_the_time_and_emails_the_patient(
    request_made, front_desk, location, approval_evaluation
):
    booking_request_decline(appointment=request_made, by=front_desk, reason="Sam is at a course that week")

    request_made.refresh_from_db()
    assert (request_made.status, request_made.cancelled_by, request_made.hold) == (
        AppointmentStatus.CANCELLED,
        CancelledBy.CLINIC,
        HoldState.CONFIRMED,
    )
    assert TUESDAY_10 in _free(location, approval_evaluation)
    message = ScheduledMessage.objects.get(kind=PatientMessageKind.BOOKING_DECLINED)
    assert message.to_email == "rosa.quill@example.com"
    body = message_render(message).body
    assert "couldn't confirm" in body and "Sam is at a course that week" in body
    assert PatientMessageKind.APPOINTMENT_CONFIRMATION not in _sent_kinds()
    assert request_made.events.last().action == AppointmentAction.DECLINED


def test_decline_needs_a_reason(request_made, front_desk):
    with pytest.raises(BookingError):
        booking_request_decline(appointment=request_made, by=front_desk, reason="  ")
    request_made.refresh_from_db()
    assert request_made.hold == HoldState.REQUESTED


def test_the_desk_lists_pending_requests_until_answered(request_made, front_desk, location):
    from patients.booking.online.selectors import pending_requests
    from tests.factories import LocationFactory

    assert list(pending_requests()) == [request_made]
    assert list(pending_requests(location=location)) == [request_made]
    assert list(pending_requests(location=LocationFactory(name="Hillside"))) == []

    booking_request_approve(appointment=request_made, by=front_desk)

    assert list(pending_requests()) == []
