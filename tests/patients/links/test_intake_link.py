"""The intake link's own behaviour; what every patient link shares is tested for both portals beside it."""

import hashlib
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.intake.choices import IntakeStatus
from patients.intake.services.invitations import intake_issue_token, intake_resend
from patients.models import IntakeInvitation, IntakeLinkToken, IntakeResponse
from tests.clinic.messaging.support import deliver_due
from tests.factories import PatientFactory
from tests.patients.intake.support import check, complete_steps, open_link, sign_in_to_intake
from tests.patients.links.support import pass_code_step

pytestmark = pytest.mark.usefixtures("clean_cache")

UNAVAILABLE = "This link has been used or has expired"


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _assert_no_phi(html: str) -> None:
    for secret in (
        "Quill",
        "Rosa",
        "rosa.quill",
        "1988",
        "12/04",
        "12 Apr",
        "Sam Physio",
        "27 Nov",
        "Friday",
    ):
        assert secret not in html, secret


def test_right_details_open_the_form_on_a_tokenless_url(client, token, invitation):
    open_link(client, token)

    response = pass_code_step(client, check(client, last_name="  quill "), "patients:intake_code")
    followed = client.get(response["Location"], follow=True)

    assert response.status_code == 302
    assert response["Location"] == reverse("patients:intake_resume")
    final_url = followed.redirect_chain[-1][0]
    assert final_url == reverse("patients:intake_step", args=["about"])
    assert token not in final_url
    assert "no-store" in followed["Cache-Control"]
    assert "Quill" not in final_url
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    assert invitation.status == IntakeStatus.OPENED


def test_five_failures_lock_the_invitation(client, token, invitation):
    open_link(client, token)
    for _ in range(4):
        assert check(client, last_name="Wrong").status_code == 400

    fifth = check(client, last_name="Wrong")

    assert UNAVAILABLE in fifth.content.decode()
    invitation.refresh_from_db()
    assert invitation.locked_at is not None
    assert invitation.status == IntakeStatus.LOCKED
    # Even the right answers no longer open it.
    fresh = Client()
    assert UNAVAILABLE in fresh.get(reverse("patients:intake_start", args=[token])).content.decode()


def test_resend_after_a_lock_gives_a_working_link_that_keeps_the_answers(
    client, token, invitation, front_desk
):
    sign_in_to_intake(client, token)
    complete_steps(client, invitation, steps=["about"])
    stranger = Client()
    open_link(stranger, token)
    for _ in range(5):
        check(stranger, last_name="Wrong")

    # The stranger had the link: the front desk also stops the links sent earlier.
    resent = intake_resend(invitation=invitation, by=front_desk, stop_earlier=True)
    new_token = intake_issue_token(invitation=resent, sent=True, by=front_desk)
    patient = Client()
    sign_in_to_intake(patient, new_token)

    response = patient.get(reverse("patients:intake_resume"))
    assert response["Location"] == reverse("patients:intake_step", args=["running"])
    assert resent == invitation
    assert IntakeResponse.objects.get().invitation == invitation
    assert UNAVAILABLE in Client().get(reverse("patients:intake_start", args=[token])).content.decode()


def _expired(invitation):
    IntakeInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def _revoked(invitation):
    IntakeInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())


def _locked(invitation):
    IntakeInvitation.objects.filter(pk=invitation.pk).update(locked_at=timezone.now(), failed_checks=5)


def _submitted(invitation):
    IntakeInvitation.objects.filter(pk=invitation.pk).update(submitted_at=timezone.now())


@pytest.mark.parametrize(
    "spoil", [_expired, _revoked, _locked, _submitted], ids=lambda f: f.__name__.strip("_")
)
def test_unusable_links_all_get_the_same_friendly_page(client, token, invitation, spoil):
    unknown = Client().get(reverse("patients:intake_start", args=["x" * 43]))
    spoil(invitation)

    response = client.get(reverse("patients:intake_start", args=[token]))

    html = response.content.decode()
    assert response.status_code == unknown.status_code == 200
    assert _without_csrf(html) == _without_csrf(unknown.content.decode())
    assert UNAVAILABLE in html
    assert "01632 960 000" in html  # the clinic's phone
    assert response["Referrer-Policy"] == "no-referrer"
    _assert_no_phi(html)


def test_other_patients_link_cannot_reach_this_patients_answers(
    client, token, invitation, physio, location, evaluation, front_desk
):
    from patients.booking.services import appointment_book

    other_visit = appointment_book(
        patient=PatientFactory(
            first_name="Otto", last_name="Brandt", date_of_birth=date(1975, 6, 1), phone="07700 900999"
        ),
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=visit_start_later(invitation),
        booked_by=front_desk,
    )
    other_token = intake_issue_token(invitation=other_visit.intake_invitations.get(), sent=True)
    sign_in_to_intake(client, token)
    complete_steps(client, invitation, steps=["about"])

    # Opening the other link drops this patient's intake session at once.
    open_link(client, other_token)
    response = client.get(reverse("patients:intake_step", args=["about"]))

    assert response.status_code == 403
    assert "07700 900123" not in response.content.decode()
    # Passing the other patient's check shows only the other patient's record.
    pass_code_step(client, check(client, last_name="Brandt", dob=date(1975, 6, 1)), "patients:intake_code")
    html = client.get(reverse("patients:intake_step", args=["about"])).content.decode()
    assert "07700 900999" in html
    assert "Kim Quill" not in html


def visit_start_later(invitation):
    return invitation.appointment.starts_at + timedelta(hours=2)


def test_form_pages_need_the_identity_check(client, token):
    open_link(client, token)  # link opened, check not passed

    for url in (
        reverse("patients:intake_resume"),
        reverse("patients:intake_step", args=["about"]),
        reverse("patients:intake_review"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        _assert_no_phi(response.content.decode())
    assert client.post(reverse("patients:intake_autosave", args=["about"]), {"phone": "1"}).status_code == 403


def test_only_the_tokens_hash_is_stored(token, invitation):
    link = IntakeLinkToken.objects.get(invitation=invitation)

    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for rows in (
        IntakeInvitation.objects.filter(pk=invitation.pk),
        IntakeLinkToken.objects.filter(pk=link.pk),
    ):
        stored = [str(v) for v in rows.values().get().values()]
        assert not any(token in value for value in stored)


def test_the_emailed_link_opens_the_check(client, visit, mailoutbox):
    deliver_due()
    email = next(m for m in mailoutbox if "questionnaire" in m.subject)
    link = re.search(r"https?://\S+/patients/intake/\S+/", email.body).group(0)

    response = client.get(urlsplit(link).path)

    assert response.status_code == 302
    assert response["Location"] == reverse("patients:intake_check")
