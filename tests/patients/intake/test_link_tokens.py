"""An intake invitation's links: one row per emailed token, a resend adds one and keeps the others
unless the front desk stops them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import AccessActor, AccessEvent
from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from patients.models import IntakeInvitation, IntakeLinkToken
from tests.patients.intake.support import sign_in_to_intake

pytestmark = pytest.mark.usefixtures("clean_cache")

UNAVAILABLE = "This link has been used or has expired"
LINK = re.compile(r"https?://\S+/patients/intake/([A-Za-z0-9_-]+)/")


def _resend(client, invitation, *, stop_earlier: bool = False) -> str:
    """The front desk's "Resend by email", then the token of the email it queued (as the patient reads it)."""
    data = {"stop_earlier": "on"} if stop_earlier else {}
    response = client.post(reverse("patients:intake_resend", args=[invitation.pk]), data)
    assert response.status_code == 302
    message = ScheduledMessage.objects.filter(key__contains=":resend:").latest("pk")
    return LINK.search(message_render(message).body).group(1)


def _bound_invitation(client) -> int:
    return client.session["intake"]["id"]


def test_a_resend_keeps_the_earlier_link_working(token, invitation, front_desk_client):
    new_token = _resend(front_desk_client, invitation)

    earlier, newer = Client(), Client()
    sign_in_to_intake(earlier, token)
    sign_in_to_intake(newer, new_token)

    assert earlier.get(reverse("patients:intake_step", args=["about"])).status_code == 200
    assert newer.get(reverse("patients:intake_step", args=["about"])).status_code == 200
    assert _bound_invitation(earlier) == _bound_invitation(newer) == invitation.pk
    assert IntakeLinkToken.objects.filter(invitation=invitation, revoked_at__isnull=True).count() == 2


def test_a_resend_with_the_box_ticked_stops_the_earlier_links(token, invitation, front_desk_client):
    new_token = _resend(front_desk_client, invitation, stop_earlier=True)

    stopped = Client().get(reverse("patients:intake_start", args=[token]))
    patient = Client()
    sign_in_to_intake(patient, new_token)

    assert UNAVAILABLE in stopped.content.decode()
    assert _bound_invitation(patient) == invitation.pk
    assert IntakeLinkToken.objects.get(invitation=invitation, revoked_at__isnull=False).issued_by is None


def test_a_patient_in_the_earlier_link_is_stopped_by_the_ticked_box(token, invitation, front_desk_client):
    patient = Client()
    sign_in_to_intake(patient, token)
    open_before = Client()
    open_before.get(reverse("patients:intake_start", args=[token]))

    _resend(front_desk_client, invitation, stop_earlier=True)
    checked = open_before.post(
        reverse("patients:intake_check"),
        {"last_name": "Quill", "dob_day": 12, "dob_month": 4, "dob_year": 1988},
    )

    assert UNAVAILABLE in checked.content.decode()


def test_the_invitations_expiry_lock_and_submission_close_every_link(token, invitation, front_desk_client):
    new_token = _resend(front_desk_client, invitation)

    IntakeInvitation.objects.filter(pk=invitation.pk).update(locked_at=timezone.now(), failed_checks=5)

    for each in (token, new_token):
        assert UNAVAILABLE in Client().get(reverse("patients:intake_start", args=[each])).content.decode()


def test_a_token_past_its_own_expiry_stops_while_a_newer_one_works(token, invitation, front_desk_client):
    new_token = _resend(front_desk_client, invitation)
    IntakeLinkToken.objects.filter(invitation=invitation, issued_by__isnull=True).update(
        issued_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert UNAVAILABLE in Client().get(reverse("patients:intake_start", args=[token])).content.decode()
    sign_in_to_intake(Client(), new_token)


def test_a_resend_lifts_a_lock_from_failed_checks(token, invitation, front_desk_client):
    IntakeInvitation.objects.filter(pk=invitation.pk).update(locked_at=timezone.now(), failed_checks=5)

    new_token = _resend(front_desk_client, invitation)

    invitation.refresh_from_db()
    assert (invitation.locked_at, invitation.failed_checks) == (None, 0)
    sign_in_to_intake(Client(), new_token)


def test_the_resends_link_is_marked_staff_issued_in_the_audit(
    token, invitation, front_desk_client, front_desk
):
    new_token = _resend(front_desk_client, invitation)
    by_email, by_resend = Client(), Client()
    sign_in_to_intake(by_email, token)
    sign_in_to_intake(by_resend, new_token)

    by_email.get(reverse("patients:intake_step", args=["about"]))
    by_resend.get(reverse("patients:intake_step", args=["about"]))

    row = IntakeLinkToken.objects.get(invitation=invitation, staff_issued=True)
    assert row.issued_by == front_desk
    patient_actors = [AccessActor.PATIENT, AccessActor.PATIENT_STAFF_LINK]
    events = AccessEvent.objects.filter(actor__in=patient_actors).order_by("pk")
    assert list(events.values_list("actor", flat=True)) == [
        AccessActor.PATIENT,
        AccessActor.PATIENT_STAFF_LINK,
    ]


def test_the_front_desk_never_sees_a_token_of_the_resend(invitation, front_desk_client):
    followed = front_desk_client.post(
        reverse("patients:intake_resend", args=[invitation.pk]), {"stop_earlier": "on"}, follow=True
    )
    page = front_desk_client.get(reverse("patients:appointment", args=[invitation.appointment_id]))

    for response in (followed, page):
        assert response.status_code == 200
        assert LINK.search(response.content.decode()) is None
    # The token is made only when the email is rendered: none exists for the resend yet.
    assert IntakeLinkToken.objects.filter(invitation=invitation, staff_issued=True).count() == 0
