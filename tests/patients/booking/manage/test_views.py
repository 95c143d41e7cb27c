"""The manage link: the patient cancels or moves their own visit, outside the late-cancellation window only."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from clinic.audit.models import AccessActor, AccessEvent
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from patients.booking.actors import online_booking_user
from patients.booking.choices import AppointmentAction, AppointmentStatus, CancelledBy
from patients.booking.services import appointment_book
from patients.booking.waitlist.choices import OfferStatus
from patients.models import Appointment, AppointmentEvent, WaitlistOffer
from tests.factories import PatientFactory
from tests.patients.booking.links import emailed_path
from tests.patients.booking.waitlist.support import WEDNESDAY_10, fill_wednesday, join

pytestmark = pytest.mark.usefixtures("frozen_monday", "clean_cache")

FRIDAY_10 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
THURSDAY_14 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def book(patient, physio, location, appointment_type, starts_at, front_desk):
    return appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        booked_by=front_desk,
        notes="Suspected femoral neck stress reaction",
    )


@pytest.fixture
def visit(physio, location, online_follow_up, front_desk):
    """Robin's follow-up on Friday 27 November, 10:00 (booked Monday 07:00: 75 hours away)."""
    patient = PatientFactory(first_name="Robin", last_name="Strider", email="robin@example.com")
    return book(patient, physio, location, online_follow_up, FRIDAY_10, front_desk)


@pytest.fixture
def manage_path(visit, mailoutbox):
    return emailed_path(mailoutbox, "manage", to="robin@example.com")


def test_the_confirmation_links_to_a_page_with_the_visit_and_nothing_clinical(client, visit, manage_path):
    response = client.get(manage_path)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Friday 27 November 2026, 10:00–10:30" in page
    assert "Europe/London" in page
    assert "Sam Physio" in page
    assert "Riverside" in page
    assert "femoral" not in page
    assert 'action="' + manage_path + 'cancel/"' in page
    assert "no-store" in response["Cache-Control"]
    event = AccessEvent.objects.get(view_name="manage:manage")
    assert (event.patient_id, event.actor, event.object_pk) == (
        visit.patient_id,
        AccessActor.PATIENT,
        str(visit.pk),
    )


def test_the_rescheduled_email_carries_a_new_link_and_the_old_one_still_works(
    client, visit, manage_path, mailoutbox, physio
):
    client.post(manage_path + "reschedule/", {"day": "2026-11-26", "slot": f"{physio.pk}@2026-11-26T14:00Z"})

    new_path = emailed_path(mailoutbox, "manage", to="robin@example.com")

    assert new_path != manage_path
    assert client.get(new_path).status_code == 200
    assert client.get(manage_path).status_code == 200


def test_cancelling_outside_the_window_frees_the_time_and_offers_it_to_the_waitlist(
    client,
    physio,
    location,
    online_follow_up,
    front_desk,
    mailoutbox,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    cara = fill_wednesday(physio, location, online_follow_up, front_desk)
    waiting = join(PatientFactory(last_name="Waiting"), location, online_follow_up)
    path = emailed_path(mailoutbox, "manage", to=cara.patient.email)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path + "cancel/", {"reason": ""})

    assert response.status_code == 302
    cara.refresh_from_db()
    assert (cara.status, cara.cancelled_by, cara.late_cancellation) == (
        AppointmentStatus.CANCELLED,
        CancelledBy.PATIENT,
        False,
    )
    event = AppointmentEvent.objects.get(appointment=cara, action=AppointmentAction.CANCELLED)
    assert (event.by_patient, event.by) == (True, online_booking_user())
    assert "the patient" in str(event)
    offer = WaitlistOffer.objects.get()
    assert (offer.entry, offer.starts_at, offer.status) == (waiting, WEDNESDAY_10, OfferStatus.OFFERED)
    assert ScheduledMessage.objects.filter(kind="waitlist_offer", to_email=waiting.patient.email).count() == 1
    # The time is free again: the desk can book it.
    again = book(PatientFactory(), physio, location, online_follow_up, WEDNESDAY_10, front_desk)
    assert again.status == AppointmentStatus.BOOKED
    page = client.get(path).content.decode()
    assert "Your appointment is cancelled" in page
    assert "cancel/" not in page


def test_inside_the_window_there_are_no_buttons_and_the_phone_number_is_shown(
    client, visit, manage_path, time_machine
):
    time_machine.move_to(datetime(2026, 11, 26, 11, 0, tzinfo=UTC), tick=False)  # 23 hours before

    page = client.get(manage_path).content.decode()
    refused = client.post(manage_path + "cancel/", {"reason": "Busy"})
    moved = client.post(manage_path + "reschedule/", {"day": "2026-11-30", "slot": "x"})

    assert settings.CLINIC_PHONE in page
    assert "can no longer be changed online" in page
    assert "cancel/" not in page and "reschedule/" not in page
    assert (refused.status_code, moved.status_code) == (409, 409)
    assert settings.CLINIC_PHONE in refused.content.decode()
    visit.refresh_from_db()
    assert (visit.status, visit.starts_at) == (AppointmentStatus.BOOKED, FRIDAY_10)


def test_reschedule_moves_the_visit_its_reminders_and_says_the_patient_did_it(
    client, visit, manage_path, physio
):
    listing = client.get(manage_path + "reschedule/", {"day": "2026-11-26"})
    assert listing.status_code == 200
    assert f'value="{physio.pk}@2026-11-26T14:00Z"' in listing.content.decode()

    response = client.post(
        manage_path + "reschedule/", {"day": "2026-11-26", "slot": f"{physio.pk}@2026-11-26T14:00Z"}
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.starts_at, visit.sequence) == (THURSDAY_14, 1)
    event = AppointmentEvent.objects.get(appointment=visit, action=AppointmentAction.RESCHEDULED)
    assert (event.by_patient, event.previous_starts_at) == (True, FRIDAY_10)
    pending = ScheduledMessage.objects.filter(
        kind="appointment_reminder", about_pk=str(visit.pk), status=MessageStatus.PENDING
    )
    assert sorted(m.expires_at for m in pending) == [THURSDAY_14] * len(pending)
    assert pending.exists()
    assert (
        ScheduledMessage.objects.filter(kind="appointment_rescheduled", about_pk=str(visit.pk)).count() == 1
    )


def test_a_time_not_offered_cannot_be_posted(
    client, visit, manage_path, physio, location, online_follow_up, front_desk
):
    book(PatientFactory(), physio, location, online_follow_up, THURSDAY_14, front_desk)

    response = client.post(
        manage_path + "reschedule/", {"day": "2026-11-26", "slot": f"{physio.pk}@2026-11-26T14:00Z"}
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() or "invalid-feedback" in response.content.decode()
    visit.refresh_from_db()
    assert visit.starts_at == FRIDAY_10


def test_a_link_for_one_appointment_cannot_touch_another(
    client, visit, manage_path, physio, location, online_follow_up, front_desk
):
    other = book(PatientFactory(), physio, location, online_follow_up, THURSDAY_14, front_desk)
    token = manage_path.rstrip("/").rsplit("/", 1)[1]
    tampered = f"/book/manage/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/"
    before = list(Appointment.objects.order_by("pk").values("pk", "status", "starts_at", "version"))

    responses = [
        client.get(tampered),
        client.post(tampered + "cancel/", {"reason": ""}),
        client.post("/book/manage/not-a-token/cancel/", {"reason": ""}),
        client.post(
            tampered + "reschedule/", {"day": "2026-11-26", "slot": f"{physio.pk}@2026-11-26T15:00Z"}
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert list(Appointment.objects.order_by("pk").values("pk", "status", "starts_at", "version")) == before
    # The real token cancels its own visit, never the other.
    client.post(manage_path + "cancel/", {"reason": "Away"})
    assert Appointment.objects.get(pk=other.pk).status == AppointmentStatus.BOOKED
    assert Appointment.objects.get(pk=visit.pk).status == AppointmentStatus.CANCELLED


def test_many_requests_from_one_address_get_a_friendly_pause(client, visit, manage_path, settings):
    settings.MANAGE_LINK_REQUESTS_PER_IP_PER_HOUR = 2

    codes = [client.get(manage_path).status_code for _ in range(3)]
    paused = client.get(manage_path)

    assert codes == [200, 200, 429]
    assert "Please try again later" in paused.content.decode()
    assert settings.CLINIC_PHONE in paused.content.decode()


def test_waiting_for_an_earlier_time_moves_this_visit_when_one_is_claimed(
    client, visit, manage_path, physio, location, online_follow_up, front_desk
):
    from patients.booking.waitlist.services import waitlist_match, waitlist_offer_claim

    response = client.post(
        manage_path + "waitlist/",
        {"weekdays": ["3"], "parts_of_day": ["2"], "until": "2026-11-27"},  # Thursday afternoons
    )
    assert response.status_code == 302
    assert "You are on the waitlist for an earlier time" in client.get(manage_path).content.decode()

    offers = waitlist_match(location=location)

    assert [(o.starts_at, o.therapist) for o in offers] == [
        (datetime(2026, 11, 26, 12, 0, tzinfo=UTC), physio)
    ]
    result = waitlist_offer_claim(offer=offers[0], by=online_booking_user())
    visit.refresh_from_db()
    assert (result.appointment, visit.starts_at) == (visit, datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    assert Appointment.objects.filter(patient=visit.patient).count() == 1
