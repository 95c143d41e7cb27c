"""Intake nudges: scheduled with the invitation, moved, cancelled, sent with a fresh link."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import About
from patients.booking.choices import CancelledBy
from patients.booking.services import appointment_book, appointment_cancel, appointment_reschedule
from patients.intake.services.invitations import intake_resend
from patients.models import IntakeInvitation
from tests.clinic.messaging.support import deliver_due
from tests.factories import PatientFactory
from tests.patients.intake.support import VISIT, check, complete_steps, sign_in_to_intake, version
from tests.patients.links.support import pass_code_step

pytestmark = pytest.mark.usefixtures("clean_cache")

NUDGE = "intake_not_completed"


def _nudges(invitation: IntakeInvitation) -> list[tuple[datetime, str]]:
    rows = ScheduledMessage.objects.filter(
        kind=NUDGE, about_label="patients.intakeinvitation", about_pk=str(invitation.pk)
    )
    return sorted(rows.values_list("due_at", "status"))


def test_booking_an_evaluation_queues_nudges_72_and_24_hours_ahead(invitation):
    assert _nudges(invitation) == [
        (VISIT - timedelta(hours=72), MessageStatus.PENDING),
        (VISIT - timedelta(hours=24), MessageStatus.PENDING),
    ]
    row = ScheduledMessage.objects.filter(kind=NUDGE).first()
    assert (row.expires_at, row.to_email, row.patient_id, About.of(invitation).pk) == (
        VISIT,
        "rosa.quill@example.com",
        invitation.patient_id,
        row.about_pk,
    )


def test_a_visit_booked_soon_gets_no_nagging_nudge(frozen_monday, physio, location, evaluation, front_desk):
    soon = datetime(
        2026, 11, 24, 10, tzinfo=UTC
    )  # 27 hours ahead: the 24 h nudge would come 3 h after the invite
    appointment = appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=soon,
        booked_by=front_desk,
    )

    assert _nudges(appointment.intake_invitations.get()) == []


def test_rescheduling_moves_the_nudges(visit, invitation, front_desk):
    later = VISIT + timedelta(days=2)

    appointment_reschedule(appointment=visit, starts_at=later, by=front_desk)

    assert _nudges(invitation) == [
        (VISIT - timedelta(hours=72), MessageStatus.CANCELLED),
        (VISIT - timedelta(hours=24), MessageStatus.CANCELLED),
        (later - timedelta(hours=72), MessageStatus.PENDING),
        (later - timedelta(hours=24), MessageStatus.PENDING),
    ]


def test_a_nudge_already_sent_for_the_old_time_does_not_stop_one_for_the_new_time(
    visit, invitation, front_desk
):
    later = VISIT + timedelta(days=7)
    first = ScheduledMessage.objects.get(kind=NUDGE, due_at=VISIT - timedelta(hours=72))
    ScheduledMessage.objects.filter(pk=first.pk).update(status=MessageStatus.SENT, sent_at=timezone.now())

    appointment_reschedule(appointment=visit, starts_at=later, by=front_desk)

    assert _nudges(invitation) == [
        (VISIT - timedelta(hours=72), MessageStatus.SENT),
        (VISIT - timedelta(hours=24), MessageStatus.CANCELLED),
        (later - timedelta(hours=72), MessageStatus.PENDING),
        (later - timedelta(hours=24), MessageStatus.PENDING),
    ]


def test_moving_the_visit_closer_drops_nudges_now_too_soon(visit, invitation, front_desk):
    closer = datetime(
        2026, 11, 24, 14, tzinfo=UTC
    )  # Tuesday afternoon: both nudges would be past or imminent

    appointment_reschedule(appointment=visit, starts_at=closer, by=front_desk)

    assert {status for _, status in _nudges(invitation)} == {MessageStatus.CANCELLED}


def test_cancelling_the_visit_cancels_the_nudges(visit, invitation, front_desk):
    appointment_cancel(
        appointment=visit, by=front_desk, cancelled_by=CancelledBy.PATIENT, reason="Feeling better"
    )

    assert {status for _, status in _nudges(invitation)} == {MessageStatus.CANCELLED}


def test_submitting_cancels_the_nudges(client, token, invitation):
    sign_in_to_intake(client, token)
    complete_steps(client, invitation)

    client.post(reverse("patients:intake_submit"), {"version": version(invitation)})

    assert {status for _, status in _nudges(invitation)} == {MessageStatus.CANCELLED}


def test_resending_keeps_the_invitation_and_its_nudges(invitation, front_desk):
    resent = intake_resend(invitation=invitation, by=front_desk)

    assert resent == invitation
    assert [status for _, status in _nudges(invitation)] == [MessageStatus.PENDING] * 2


def test_the_nudge_carries_a_fresh_working_link_and_no_clinical_detail(client, token, invitation, mailoutbox):
    sign_in_to_intake(client, token)
    complete_steps(client, invitation, steps=["about", "running"])

    deliver_due(VISIT - timedelta(hours=72) + timedelta(minutes=1))

    nudge = next(m for m in mailoutbox if m.subject.startswith("Reminder: your"))
    html = nudge.alternatives[0][0]
    for body in (nudge.body, html):
        assert "Hello Rosa" in body
        assert "haven't received your questionnaire" in body or "haven&#x27;t received" in body
        assert "hip" not in body.lower().replace("physiotherapist", "")
        assert "marathon" not in body.lower()
    link = re.search(r"https?://\S+/patients/intake/\S+/", nudge.body).group(0)
    # The old link keeps working; the fresh one leads to the check and on to where the patient left off.
    assert Client().get(reverse("patients:intake_start", args=[token]))["Location"] == reverse(
        "patients:intake_check"
    )
    laptop = Client()
    laptop.get(urlsplit(link).path)
    resumed = laptop.get(pass_code_step(laptop, check(laptop), "patients:intake_code")["Location"])
    assert resumed["Location"] == reverse("patients:intake_step", args=["pain"])


def test_a_locked_invitation_gets_no_nudge(client, invitation, mailoutbox):
    deliver_due(timezone.now())  # confirmation and invitation
    link = re.search(r"https?://\S+/patients/intake/\S+/", mailoutbox[-1].body).group(0)
    client.get(urlsplit(link).path)
    for _ in range(5):
        check(client, last_name="Wrong")
    mailoutbox.clear()

    deliver_due(VISIT - timedelta(hours=72) + timedelta(minutes=1))

    assert [m.subject for m in mailoutbox] == []
    invitation.refresh_from_db()
    assert invitation.locked_at is not None  # the nudge did not unlock it
    assert MessageStatus.CANCELLED in {status for _, status in _nudges(invitation)}


@pytest.mark.parametrize("hours", [72, 24])
def test_nudges_expire_with_the_visit(invitation, hours):
    row = ScheduledMessage.objects.get(
        kind=NUDGE, key=f"intake:{invitation.pk}:nudge:{hours}h:{invitation.appointment.sequence}"
    )

    assert row.expires_at == invitation.appointment.starts_at
    assert row.due_at < row.expires_at
    assert timezone.now() < row.due_at
