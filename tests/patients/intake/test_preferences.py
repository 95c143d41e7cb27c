"""Reminder choices after the intake: stopped by the email link, shown on the hub, turned back on by staff."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clinic.messaging.optout import optout_wanted
from patients.intake.choices import ReminderCategory
from patients.intake.services.preferences import reminder_opt_out, reminder_opted_out
from patients.models import ReminderPreference
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 7, tzinfo=UTC)
HOME = ReminderCategory.HOME_EXERCISE


def _hub(client, patient) -> str:
    response = client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    return page.split('id="reminder-choices"')[1].split("</ul>")[0]


def _line(section: str, category: str) -> str:
    return section.split(f'data-category="{category}"')[1].split("</li>")[0]


def test_opt_out_records_the_choice_and_the_outbox_reads_it():
    patient = PatientFactory()
    assert (reminder_opted_out(patient.pk, HOME), optout_wanted(patient.pk, HOME)) == (False, True)

    reminder_opt_out(patient_id=patient.pk, category=HOME, now=NOW)

    assert (reminder_opted_out(patient.pk, HOME), optout_wanted(patient.pk, HOME)) == (True, False)
    assert optout_wanted(patient.pk, ReminderCategory.WEEKLY_CHECKIN) is True
    assert reminder_opt_out(patient_id=patient.pk + 1000, category=HOME) is None


def test_opt_out_of_an_unknown_category_is_refused():
    with pytest.raises(ValueError, match="not a valid ReminderCategory"):
        reminder_opt_out(patient_id=PatientFactory().pk, category="newsletters")


def test_hub_shows_each_category_and_how_it_was_stopped(front_desk_client):
    patient = PatientFactory()
    ReminderPreference.objects.create(
        patient=patient, category="weekly_checkin", opted_in=True, source="intake", recorded_at=NOW
    )
    reminder_opt_out(patient_id=patient.pk, category=HOME, now=NOW)

    section = _hub(front_desk_client, patient)

    home = _line(section, "home_exercise")
    assert "Home exercise reminders:" in home
    assert "stopped" in home
    assert "by the link in an email, 23 Nov 2026" in home
    assert reverse("patients:reminder_turn_on", args=[patient.pk, "home_exercise"]) in home
    assert ">on</span>" in _line(section, "weekly_checkin")
    assert "on (not asked yet)" in _line(section, "appointment")
    assert "Turn back on" not in _line(section, "weekly_checkin")


def test_front_desk_turns_a_stopped_category_back_on(front_desk_client):
    patient = PatientFactory()
    reminder_opt_out(patient_id=patient.pk, category=HOME, now=NOW)

    response = front_desk_client.post(
        reverse("patients:reminder_turn_on", args=[patient.pk, "home_exercise"])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    preference = ReminderPreference.objects.get(patient=patient, category=HOME)
    assert (preference.opted_in, preference.source) == (True, "staff")
    assert optout_wanted(patient.pk, HOME) is True
    section = _hub(front_desk_client, patient)
    assert "turned back on" in _line(section, "home_exercise")


def test_turning_on_needs_a_post_and_a_known_category(front_desk_client):
    patient = PatientFactory()

    assert (
        front_desk_client.get(
            reverse("patients:reminder_turn_on", args=[patient.pk, "home_exercise"])
        ).status_code
        == 405
    )
    assert (
        front_desk_client.post(
            reverse("patients:reminder_turn_on", args=[patient.pk, "newsletters"])
        ).status_code
        == 404
    )
    assert ReminderPreference.objects.count() == 0
