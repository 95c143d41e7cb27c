"""Demo email states: one refused address, one patient who unsubscribed from home-exercise reminders by link."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinic.messaging.choices import UNSENT_STATUSES
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.optout import optout_wanted
from patients.demo.email_status import REFUSED_REASON
from patients.models import Patient, ReminderPreference

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _state() -> tuple[list[tuple[str, str]], list[tuple[int, str, bool]]]:
    refused = list(
        Patient.all_objects.filter(email_undeliverable_at__isnull=False).values_list(
            "email", "email_undeliverable_reason"
        )
    )
    unsubscribed = list(
        ReminderPreference.objects.filter(source="unsubscribe-link").values_list(
            "patient_id", "category", "opted_in"
        )
    )
    return refused, unsubscribed


def test_demo_has_a_refused_address_and_an_unsubscribed_patient_and_loads_them_once(
    settings, front_desk_client
):
    settings.DEBUG = True
    call_command("demo_load", stdout=io.StringIO())
    first = _state()
    call_command("demo_load", stdout=io.StringIO())

    refused, unsubscribed = _state()
    assert (refused, unsubscribed) == first
    [(email, reason)] = refused
    assert reason == REFUSED_REASON
    [(patient_id, category, opted_in)] = unsubscribed
    assert (category, opted_in) == ("home_exercise", False)
    # The reminders already queued are dropped when due; the other categories keep going.
    assert ScheduledMessage.objects.filter(
        patient_id=patient_id, kind="home_exercise", status__in=UNSENT_STATUSES
    ).exists()
    assert (optout_wanted(patient_id, "home_exercise"), optout_wanted(patient_id, "weekly_checkin")) == (
        False,
        True,
    )
    # The front desk sees the refused address on the patient's page.
    patient = Patient.all_objects.get(email=email)
    page = front_desk_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert f"Emails to {email} are being refused by their mail server" in page
    # The Outbox page has the matching failure (code kept) and a retry waiting after a 451.
    failed = ScheduledMessage.objects.get(key=f"demo:refused:{patient.pk}")
    assert (failed.status, failed.to_email, failed.attempts) == ("failed", email, 1)
    assert failed.last_error.startswith("550 SMTPRecipientsRefused: 5.1.1 ")
    [retry] = ScheduledMessage.objects.filter(key__startswith="demo:retry:")
    assert (retry.status, retry.attempts) == ("pending", 1)
    assert retry.last_error.startswith("451 ") and retry.next_attempt_at > retry.due_at
