"""Emailing the patient a new programme link: one service, one transaction."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Programme, ProgrammeRevision
from assessments.programmes.choices import RevisionAction
from assessments.programmes.services.links import LinkError, programme_link_email
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from patients.models import Patient
from tests.assessments.programmes.support import START, at, start_programme

pytestmark = [pytest.mark.django_db]

ASKED_AT = at(START + timedelta(days=9), 14)


def _link_emails():
    return ScheduledMessage.objects.filter(kind="programme_link")


def test_programme_link_email_queues_one_email_due_now(therapist):
    programme = start_programme(therapist)

    with time_machine.travel(ASKED_AT, tick=False):
        message = programme_link_email(programme=programme, by=therapist)

    assert list(_link_emails()) == [message]
    assert (message.to_email, message.due_at, message.status, message.patient_id) == (
        programme.patient.email,
        ASKED_AT,
        MessageStatus.PENDING,
        programme.patient_id,
    )
    assert (message.about_label, message.about_pk, message.key) == (
        "assessments.programme",
        str(programme.pk),
        f"programme:{programme.pk}:link:20260311140000",
    )


def test_programme_link_email_double_click_queues_one_email(therapist):
    programme = start_programme(therapist)

    with time_machine.travel(ASKED_AT, tick=False):
        first = programme_link_email(programme=programme, by=therapist)
        second = programme_link_email(programme=programme, by=therapist)

    assert (first.pk, _link_emails().count()) == (second.pk, 1)


def test_programme_link_email_lifts_a_lock_with_a_revision(therapist):
    programme = start_programme(therapist)
    Programme.objects.filter(pk=programme.pk).update(link_failed_checks=5, link_locked_at=at(START))

    with time_machine.travel(ASKED_AT, tick=False):
        programme_link_email(programme=programme, by=therapist)

    programme.refresh_from_db()
    assert (programme.link_failed_checks, programme.link_locked_at) == (0, None)
    unlocked = ProgrammeRevision.objects.filter(programme=programme, action=RevisionAction.LINK_ISSUED)
    assert list(unlocked.values_list("summary", flat=True)) == [
        "Patient links unlocked after failed identity checks."
    ]


def test_programme_link_email_without_address_changes_nothing(therapist):
    programme = start_programme(therapist)
    Patient.objects.filter(pk=programme.patient_id).update(email="")
    Programme.objects.filter(pk=programme.pk).update(link_failed_checks=5, link_locked_at=at(START))
    programme = Programme.objects.select_related("patient").get(pk=programme.pk)

    with pytest.raises(LinkError) as error:
        programme_link_email(programme=programme, by=therapist)

    programme.refresh_from_db()
    assert str(error.value) == "The patient has no email address."
    assert (programme.link_failed_checks, _link_emails().count()) == (5, 0)


def test_programme_link_view_without_address_says_so(therapist_client, therapist):
    programme = start_programme(therapist)
    Patient.objects.filter(pk=programme.patient_id).update(email="")

    response = therapist_client.post(
        reverse("assessments:programme_link", args=[programme.pk]), {"action": "email"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["The patient has no email address."]
    assert _link_emails().count() == 0
