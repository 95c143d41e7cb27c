"""A front-desk user books an evaluation for a new patient from the calendar."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clinic.staff.choices import Role
from patients.models import Appointment
from tests.browser.support import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_front_desk_books_new_patient_from_calendar(page, live_server, physio, location, evaluation):
    UserFactory(role=Role.FRONT_DESK, email="desk@stride.test")
    day = (timezone.now().astimezone(ZoneInfo(location.time_zone)) + timedelta(days=1)).date()

    sign_in(page, live_server, "desk@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/patients/calendar/?location={location.pk}&date={day.isoformat()}&view=day")
    page.get_by_role("link", name="Book Sam Physio at 10:00").click()

    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Strider")
    page.get_by_label("Date of birth").fill("1990-05-17")
    page.get_by_label("Sex").select_option("female")
    page.locator("#id_email").fill("robin.strider@example.com")
    page.get_by_label("Phone").fill("07700 900321")
    page.get_by_label("Notes for the therapist").fill("Outer hip pain on long runs")
    page.get_by_role("button", name="Confirm booking").click()

    page.get_by_text("Booked initial evaluation for Robin Strider.").wait_for()
    assert page.get_by_text("Intake: Sent").is_visible()
    appointment = Appointment.objects.get(patient__last_name="Strider")
    local = appointment.starts_at.astimezone(ZoneInfo(location.time_zone))
    assert (local.date(), local.hour, local.minute) == (day, 10, 0)

    # The new visit is on the calendar where the free slot was.
    page.goto(f"{live_server.url}/patients/calendar/?location={location.pk}&date={day.isoformat()}&view=day")
    assert page.get_by_role("link", name="10:00 Robin Strider").is_visible()
