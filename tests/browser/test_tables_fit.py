"""The day lists, the patient list and the programmes fit a phone, a tablet and the desk's screen.

No sideways scroll of the page, and each row's buttons on the screen, with
long names, red-flag and intake badges and online marks in the rows.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clinic.staff.choices import Role
from clinic.staff.roles import role_group
from patients.booking.choices import AppointmentStatus, BookingSource
from patients.models import RedFlag
from tests.browser.axe import assert_accessible
from tests.browser.support import sign_in
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    AppointmentTypeFactory,
    IntakeInvitationFactory,
    PatientFactory,
    ProgrammeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Alexandrina-Konstantinopoulou"


@pytest.fixture
def busy_day(physio, location):
    """Today two visits with Sam (who also works the desk): one booked with every badge, one arrived."""
    physio.user.groups.add(role_group(Role.FRONT_DESK))
    zone = ZoneInfo(location.time_zone)
    today = timezone.now().astimezone(zone).date()
    evaluation = AppointmentTypeFactory(
        name="Initial evaluation (extended, with gait video)", evaluation=True
    )
    flagged = PatientFactory(first_name="Maximiliana", last_name=LONG, email="maximiliana.long@example.com")
    booked = AppointmentFactory(
        patient=flagged,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=datetime.combine(today, time(10), tzinfo=zone),
        ends_at=datetime.combine(today, time(11), tzinfo=zone),
        source=BookingSource.ONLINE,
    )
    IntakeInvitationFactory(patient=flagged, appointment=booked)
    RedFlag.objects.create(
        patient=flagged,
        flag_code="night_constant",
        source="clinician",
        action_level="urgent_medical",
        detected_at=timezone.now(),
    )
    AppointmentFactory(
        patient=PatientFactory(first_name="Bartholomew", last_name=LONG),
        therapist=physio,
        location=location,
        starts_at=datetime.combine(today, time(11, 30), tzinfo=zone),
        ends_at=datetime.combine(today, time(12), tzinfo=zone),
        status=AppointmentStatus.ARRIVED,
    )
    undeliverable = PatientFactory(first_name="Constance", last_name=LONG, email="constance.long@example.com")
    undeliverable.email_undeliverable_at = timezone.now() - timedelta(days=1)
    undeliverable.email_undeliverable_reason = "550 mailbox unavailable"
    undeliverable.save()
    ProgrammeFactory(patient=flagged, therapist=physio.user)
    return physio


def _width(page) -> int:
    # The device's width: on a phone window.innerWidth grows with a page that is too wide.
    return page.viewport_size["width"]


def _fits(page) -> None:
    assert page.evaluate("window.innerWidth") == _width(page), page.url
    assert page.evaluate("document.scrollingElement.scrollWidth") <= _width(page), page.url


def _on_screen(page, locator) -> None:
    width = _width(page)
    assert locator.count() > 0
    for index in range(locator.count()):
        box = locator.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            page.url,
            locator.nth(index).inner_text(),
            box,
            width,
        )


def test_lists_fit_without_sideways_scroll_with_their_buttons_on_screen(device_page, live_server, busy_day):
    page = device_page
    sign_in(page, live_server, busy_day.user.email, PASSWORD)

    for path in ("/patients/my-day/", "/patients/today/"):
        page.goto(f"{live_server.url}{path}")
        _fits(page)
        _on_screen(page, page.get_by_role("button", name="Mark arrived"))
        _on_screen(page, page.get_by_role("button", name="Complete"))
        _on_screen(
            page, page.get_by_role("link", name=f"Start or continue the assessment of Bartholomew {LONG}")
        )
        assert page.get_by_text("Red flag:").first.is_visible()
        assert_accessible(page)

    page.goto(f"{live_server.url}/patients/")
    _fits(page)
    _on_screen(page, page.get_by_role("link", name=f"{LONG}, Constance"))
    _on_screen(page, page.get_by_role("button", name="Search"))
    assert_accessible(page)

    page.goto(f"{live_server.url}/clinical/programmes/")
    _fits(page)
    _on_screen(page, page.get_by_role("link", name="Progress"))
    assert_accessible(page)
