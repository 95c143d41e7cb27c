"""Appointment emails: .ics attachments in local time, no clinical detail."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from patients.booking.choices import CancelledBy
from patients.booking.ics import appointment_ics
from patients.booking.services import appointment_book, appointment_cancel, appointment_reschedule
from tests.clinic.messaging.support import deliver_due
from tests.factories import PatientFactory

LONDON = ZoneInfo("Europe/London")


def _book(physio, location, kind, starts_at, front_desk, **patient):
    return appointment_book(
        patient=PatientFactory(**patient),
        therapist=physio,
        location=location,
        appointment_type=kind,
        starts_at=starts_at,
        booked_by=front_desk,
        notes="Suspected femoral neck stress reaction",
    )


def _event(content):
    calendar = Calendar.from_ical(content)
    return calendar, next(iter(calendar.walk("VEVENT")))


def _ics(email):
    """The email's calendar attachment: its Content-Type and its bytes as sent."""
    (part,) = [
        a for a in email.attachments if not isinstance(a, tuple) and a.get_filename() == "appointment.ics"
    ]
    return part["Content-Type"], part.get_payload(decode=True)


@pytest.mark.parametrize(
    ("local_start", "utc_offset"),
    [
        (datetime(2027, 3, 26, 9, 0, tzinfo=LONDON), timedelta(0)),  # Friday before the clocks go forward
        (datetime(2027, 3, 29, 9, 0, tzinfo=LONDON), timedelta(hours=1)),  # Monday after: BST
    ],
    ids=["gmt", "bst"],
)
def test_ics_has_local_start_across_daylight_saving(
    physio, location, follow_up, front_desk, local_start, utc_offset, time_machine
):
    time_machine.move_to(datetime(2027, 3, 20, 8, tzinfo=UTC), tick=False)
    appointment = _book(physio, location, follow_up, local_start, front_desk)

    calendar, event = _event(appointment_ics(appointment))

    assert event["dtstart"].dt == local_start
    assert event["dtstart"].dt.utcoffset() == utc_offset
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event["dtend"].dt == local_start + timedelta(minutes=30)
    assert str(event["uid"]) == f"appointment-{appointment.pk}@stride"
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_confirmation_email_carries_ics_and_no_clinical_detail(
    physio, location, evaluation, front_desk, mailoutbox, time_machine
):
    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    starts_at = datetime(2026, 11, 24, 10, tzinfo=UTC)
    _book(
        physio,
        location,
        evaluation,
        starts_at,
        front_desk,
        first_name="Zebedee",
        date_of_birth=date(1911, 11, 11),
    )

    deliver_due(datetime(2026, 11, 23, 7, 1, tzinfo=UTC))

    confirmation = next(
        m for m in mailoutbox if "appointment" in m.subject.lower() and "questionnaire" not in m.subject
    )
    html = confirmation.alternatives[0][0]
    for body in (confirmation.body, html):
        assert "Hello Zebedee" in body
        assert "Tuesday 24 November 2026, 10:00" in body
        assert "stress" not in body.lower()
        assert "1911" not in body
    content_type, content = _ics(confirmation)
    calendar, event = _event(content)
    assert content_type == "text/calendar; method=PUBLISH; charset=UTF-8"
    assert str(calendar["method"]) == "PUBLISH"
    assert event["dtstart"].dt == starts_at.astimezone(LONDON)


def test_intake_invitation_email_has_working_link_and_stores_only_hash(
    physio, location, evaluation, front_desk, mailoutbox, time_machine
):
    from patients.intake.services.invitations import intake_invitation_find
    from patients.models import IntakeInvitation

    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    appointment = _book(physio, location, evaluation, datetime(2026, 11, 24, 10, tzinfo=UTC), front_desk)

    deliver_due(datetime(2026, 11, 23, 7, 1, tzinfo=UTC))

    invitation_mail = next(m for m in mailoutbox if "questionnaire" in m.subject)
    link = next(line for line in invitation_mail.body.splitlines() if "/patients/intake/" in line).strip()
    token = link.rsplit("/", 2)[-2]
    invitation = IntakeInvitation.objects.get(appointment=appointment)
    assert intake_invitation_find(token) == invitation
    assert [token in link.token_hash for link in invitation.tokens.all()] == [False]
    assert len(token) >= 43
    assert invitation.expires_at == appointment.starts_at
    assert invitation.sent_at is not None


def test_reminder_says_what_to_bring(physio, location, follow_up, front_desk, mailoutbox, time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    _book(physio, location, follow_up, datetime(2026, 11, 25, 10, tzinfo=UTC), front_desk)

    deliver_due(datetime(2026, 11, 24, 10, 1, tzinfo=UTC))

    reminder = next(m for m in mailoutbox if m.subject.startswith("Reminder"))
    assert "shorts and your running shoes" in reminder.body
    assert "shorts and your running shoes" in reminder.alternatives[0][0]


def test_moved_and_cancelled_emails_update_the_same_calendar_entry(
    physio, location, follow_up, front_desk, mailoutbox, time_machine
):
    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    appointment = _book(physio, location, follow_up, datetime(2026, 11, 25, 10, tzinfo=UTC), front_desk)
    appointment_reschedule(
        appointment=appointment, starts_at=datetime(2026, 11, 26, 11, tzinfo=UTC), by=front_desk
    )
    appointment.refresh_from_db()
    appointment_cancel(
        appointment=appointment, by=front_desk, cancelled_by=CancelledBy.PATIENT, reason="Injured knee"
    )

    deliver_due(datetime(2026, 11, 23, 7, 1, tzinfo=UTC))

    subjects = sorted(m.subject for m in mailoutbox)
    assert len(subjects) == 1  # confirmation and move emails are obsolete once cancelled
    cancelled = mailoutbox[0]
    assert "cancelled" in cancelled.subject
    calendar, event = _event(_ics(cancelled)[1])
    assert (str(calendar["method"]), str(event["status"]), int(event["sequence"])) == (
        "PUBLISH",
        "CANCELLED",
        2,
    )
    assert str(event["uid"]) == f"appointment-{appointment.pk}@stride"
    assert "knee" not in cancelled.body.lower()
