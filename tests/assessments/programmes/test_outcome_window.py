"""One window for the re-assessment questionnaire: its email is never due before its page opens."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from assessments.models import ProgrammeOutcome
from assessments.programmes.choices import OutcomeSource, OutcomeTimepoint
from assessments.programmes.services.links import link_issue
from assessments.programmes.services.reminders import (
    outcome_open,
    outcome_window,
    programme_reminders_sync,
)
from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import VisitKind
from patients.booking.services import appointment_book
from patients.models import AppointmentType
from tests.assessments.programmes.support import DOB
from tests.patients.links.support import pass_code_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

# The six-week programme from Monday 2 March 2026 plans its week-4 re-assessment on Sunday 29 March.
# A visit counts as that re-assessment from a week before noon (local) on the planned day.
A_WEEK_EARLY = datetime(2026, 3, 22, 12, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _book_reassessment(programme, physio, location, starts_at):
    kind = AppointmentType.objects.create(
        name="Re-assessment", kind=VisitKind.REASSESSMENT, duration_minutes=45
    )
    with time_machine.travel(utc(2026, 3, 10, 9), tick=False), transaction.atomic():
        appointment_book(
            patient=programme.patient,
            therapist=physio,
            location=location,
            appointment_type=kind,
            starts_at=starts_at,
            booked_by=programme.therapist,
        )
        programme_reminders_sync(programme=programme)


def _email(programme):
    return ScheduledMessage.objects.get(key=f"programme:{programme.pk}:outcome_due:week_4")


def test_outcome_window_without_a_visit_opens_three_days_before_the_planned_day(programme):
    window = outcome_window(programme=programme, timepoint=OutcomeTimepoint.WEEK_4)

    # London is on GMT until 29 March 01:00 and on BST (UTC+1) in April.
    assert (window.opens_at, window.due_at, window.visit_at, window.closes_at) == (
        utc(2026, 3, 26, 0),
        utc(2026, 3, 27, 9),
        utc(2026, 3, 29, 8),
        utc(2026, 4, 12, 23),
    )
    assert _email(programme).due_at == window.due_at


def test_outcome_email_for_a_visit_a_week_early_is_due_inside_the_page_window(
    client, programme, physio, location
):
    _book_reassessment(programme, physio, location, A_WEEK_EARLY)
    window = outcome_window(programme=programme, timepoint=OutcomeTimepoint.WEEK_4)
    email = _email(programme)

    # Due 48 h before the visit; it expires only when the page stops taking answers.
    assert (email.due_at, email.expires_at) == (A_WEEK_EARLY - timedelta(hours=48), window.closes_at)
    assert (window.opens_at, window.due_at, window.closes_at) == (
        utc(2026, 3, 19, 0),
        utc(2026, 3, 20, 12),
        utc(2026, 4, 12, 23),
    )
    assert window.opens_at <= email.due_at < window.closes_at
    # The patient follows the email's link the moment it is sent: the page takes the answers.
    with time_machine.travel(email.due_at, tick=False):
        client.get(
            reverse(
                "assessments:checkin_start", args=[link_issue(programme=programme, by=None, emailed=True)]
            )
        )
        checked = client.post(
            reverse("assessments:checkin_check"),
            {"last_name": "o'strider", "dob_day": DOB.day, "dob_month": DOB.month, "dob_year": DOB.year},
        )
        pass_code_step(client, checked, "assessments:checkin_code")
        page = client.get(reverse("assessments:checkin_outcome"))
    assert page.status_code == 200


def test_outcome_page_is_closed_before_the_window_and_after_it(programme, physio, location):
    _book_reassessment(programme, physio, location, A_WEEK_EARLY)
    window = outcome_window(programme=programme, timepoint=OutcomeTimepoint.WEEK_4)

    seen = [
        outcome_open(programme=programme, now=moment)
        for moment in (
            window.opens_at - timedelta(seconds=1),
            window.opens_at,
            window.closes_at - timedelta(seconds=1),
            window.closes_at,
        )
    ]

    # The end-of-programme questionnaire opens on 9 April, while week 4's is still open.
    assert seen == [None, OutcomeTimepoint.WEEK_4, OutcomeTimepoint.WEEK_4, OutcomeTimepoint.END]


def test_outcome_open_skips_an_answered_questionnaire(programme):
    window = outcome_window(programme=programme, timepoint=OutcomeTimepoint.WEEK_4)
    ProgrammeOutcome.objects.create(
        programme=programme,
        timepoint=OutcomeTimepoint.WEEK_4,
        source=OutcomeSource.PATIENT,
        nprs_worst=2,
        recorded_at=window.due_at,
    )

    assert outcome_open(programme=programme, now=window.due_at) is None


def test_outcome_window_of_an_unplanned_time_point_is_none(programme):
    programme.reassess_mid_on = None

    assert outcome_window(programme=programme, timepoint=OutcomeTimepoint.WEEK_4) is None
