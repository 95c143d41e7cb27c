"""The front desk's week calendar: visits on a time grid, booking from a free time, moving a visit."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.staff.choices import Role
from patients.booking.services import appointment_book
from patients.models import Appointment
from tests.browser.axe import assert_accessible
from tests.browser.support import sign_in
from tests.factories import PASSWORD, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = "desk@stride.test"


def _label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


@pytest.fixture
def next_week(location):
    """Tuesday and Wednesday of next week at the location (always ahead, whatever today is)."""
    today = timezone.now().astimezone(ZoneInfo(location.time_zone)).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    return monday + timedelta(days=1), monday + timedelta(days=2)


@pytest.fixture
def diary(physio, location, evaluation, follow_up, next_week):
    """An hour's evaluation at 10:00 and a half-hour follow-up at 12:00 next Tuesday with Sam."""
    desk = UserFactory(role=Role.FRONT_DESK, email=DESK)
    tuesday, _ = next_week
    zone = ZoneInfo(location.time_zone)

    def book(kind, at, first_name):
        return appointment_book(
            patient=PatientFactory(
                first_name=first_name, last_name="Runner", email=f"{first_name}@example.com"
            ),
            therapist=physio,
            location=location,
            appointment_type=kind,
            starts_at=datetime.combine(tuesday, at, tzinfo=zone),
            booked_by=desk,
        )

    return book(evaluation, time(10), "Ada"), book(follow_up, time(12), "Bea")


def _week_url(live_server, location, day: date) -> str:
    return f"{live_server.url}/patients/calendar/?location={location.pk}&date={day.isoformat()}&view=week"


def _drag(visit, slot) -> None:
    """Take the visit by its top edge and drop that edge on the slot (in steps, as a hand would)."""
    visit.drag_to(slot, source_position={"x": 6, "y": 3}, target_position={"x": 6, "y": 3}, steps=6)


def _local(appointment: Appointment) -> datetime:
    appointment.refresh_from_db()
    return appointment.starts_at.astimezone(ZoneInfo(appointment.location.time_zone))


@pytest.mark.parametrize("width", [1366, 1024], ids=["desktop", "tablet"])
def test_week_grid_places_visits_and_drag_moves_them_through_the_same_checks(
    page, live_server, location, physio, diary, next_week, width
):
    evaluation, follow_up = diary
    tuesday, wednesday = next_week
    # The desk's screen or a tablet, tall enough that both ends of each drag are on the screen at once.
    page.set_viewport_size({"width": width, "height": 1400})
    sign_in(page, live_server, DESK, PASSWORD)

    # This week: today's column is marked.
    page.goto(_week_url(live_server, location, timezone.now().date()))
    today = timezone.now().astimezone(ZoneInfo(location.time_zone)).date()
    marked = page.locator(".wk-day-head[aria-current='date']")
    assert marked.count() == 1
    assert marked.get_by_role("link").inner_text() == _label(today)
    assert marked.get_by_text("Today").is_visible()

    page.goto(_week_url(live_server, location, tuesday))
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    hour = page.get_by_role("link", name=f"{_label(tuesday)} 10:00 to 11:00, Ada Runner")
    half = page.get_by_role("link", name=f"{_label(tuesday)} 12:00 to 12:30, Bea Runner")
    assert "Initial evaluation" in hour.inner_text() and "Booked" in hour.inner_text()
    # Its top is where 10:00 starts (the 09:45 slot ends); its height is in proportion to its minutes.
    before = page.get_by_role("link", name=f"Book Sam Physio on {_label(tuesday)} at 09:45").bounding_box()
    hour_box, half_box = hour.bounding_box(), half.bounding_box()
    assert abs(hour_box["y"] - (before["y"] + before["height"])) <= 2
    assert abs(hour_box["height"] - 2 * half_box["height"]) <= 4
    assert_accessible(page)

    # Drag the evaluation to Wednesday 14:00, confirm: moved by the Move service, reminders with it.
    target = page.get_by_role("link", name=f"Book Sam Physio on {_label(wednesday)} at 14:00")
    _drag(hour, target)
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_text(f"Move Ada Runner to {_label(wednesday)} 14:00 with Sam Physio?").is_visible()
    dialog.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Appointment moved; the patient has been told.").wait_for()
    assert page.url == _week_url(live_server, location, tuesday)
    moved = _local(evaluation)
    assert (moved.date(), moved.time()) == (wednesday, time(14))
    reminders = ScheduledMessage.objects.filter(key__startswith=f"appointment:{evaluation.pk}:reminder:")
    pending = [r for r in reminders if r.status == MessageStatus.PENDING]
    assert pending
    assert {(r.expires_at, r.key.rsplit(":", 1)[1]) for r in pending} == {(evaluation.starts_at, "1")}
    assert {r.status for r in reminders if r.key.endswith(":0")} == {MessageStatus.CANCELLED}
    # Waits for the returned week to draw the block (is_visible would read the page at once).
    expect(page.get_by_role("link", name=f"{_label(wednesday)} 14:00 to 15:00, Ada Runner")).to_be_visible()

    # Onto 13:45 the follow-up would run into the evaluation: refused with the reason, nothing moved.
    half = page.get_by_role("link", name=f"{_label(tuesday)} 12:00 to 12:30, Bea Runner")
    target = page.get_by_role("link", name=f"Book Sam Physio on {_label(wednesday)} at 13:45")
    _drag(half, target)
    page.get_by_role("dialog").get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Sam Physio already has an appointment at that time.").wait_for()
    unmoved = _local(follow_up)
    assert (unmoved.date(), unmoved.time()) == (tuesday, time(12))


def test_week_calendar_by_keyboard_books_and_moves(page, live_server, location, physio, diary, next_week):
    evaluation, _ = diary
    tuesday, wednesday = next_week
    sign_in(page, live_server, DESK, PASSWORD)
    page.goto(_week_url(live_server, location, tuesday))

    # A free time is a plain link to the booking form, filled in with therapist, date and time.
    page.get_by_role("link", name=f"Book Sam Physio on {_label(wednesday)} at 09:30").click()
    assert page.locator("#id_therapist").input_value() == str(physio.pk)
    assert page.locator("#id_date").input_value() == wednesday.isoformat()
    assert page.locator("#id_time").input_value() == "09:30"
    page.go_back()

    # Focus the visit, M, go to a free time, Enter, confirm.
    page.get_by_role("link", name=f"{_label(tuesday)} 10:00 to 11:00, Ada Runner").focus()
    page.keyboard.press("m")
    assert page.get_by_role("status").filter(has_text="Moving Ada Runner").count() == 1
    page.get_by_role("link", name=f"Book Sam Physio on {_label(wednesday)} at 11:00").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_text(f"Move Ada Runner to {_label(wednesday)} 11:00 with Sam Physio?").is_visible()
    # Escape closes the question and leaves the visit where it was.
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert _local(evaluation).time() == time(10)
    page.keyboard.press("m")
    page.get_by_role("link", name=f"Book Sam Physio on {_label(wednesday)} at 11:00").focus()
    page.keyboard.press("Enter")
    dialog.get_by_role("button", name="Move", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_text("Appointment moved; the patient has been told.").wait_for()
    moved = _local(evaluation)
    assert (moved.date(), moved.time()) == (wednesday, time(11))

    # The day view passes the same accessibility gate.
    page.goto(
        f"{live_server.url}/patients/calendar/?location={location.pk}&date={wednesday.isoformat()}&view=day"
    )
    assert page.get_by_role("link", name="11:00 Ada Runner").is_visible()
    assert_accessible(page)


def test_move_form_works_without_javascript(browser, live_server, location, physio, diary, next_week):
    evaluation, _ = diary
    _, wednesday = next_week
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, DESK, PASSWORD)
        page.goto(f"{live_server.url}/patients/appointments/{evaluation.pk}/")
        move = page.locator("form", has=page.get_by_role("button", name="Move appointment"))
        move.get_by_label("Date").fill(wednesday.isoformat())
        move.get_by_label("Time").fill("15:30")
        move.get_by_role("button", name="Move appointment").click()
        page.get_by_text("Appointment moved; the patient has been told.").wait_for()
    finally:
        context.close()
    moved = _local(evaluation)
    assert (moved.date(), moved.time()) == (wednesday, time(15, 30))


def test_week_calendar_on_a_phone_scrolls_only_inside_the_grid_and_books_by_tap(
    phone_page, live_server, location, physio, diary, next_week
):
    page = phone_page
    tuesday, wednesday = next_week
    sign_in(page, live_server, DESK, PASSWORD)
    page.goto(_week_url(live_server, location, tuesday))

    # The page itself never scrolls sideways; the grid scrolls within its own box.
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    visit = page.get_by_role("link", name=f"{_label(tuesday)} 10:00 to 11:00, Ada Runner")
    visit.scroll_into_view_if_needed()
    assert visit.is_visible()
    assert_accessible(page)

    # A tap on a free time opens the booking form filled in with therapist, date and time.
    free = page.get_by_role("link", name=f"Book Sam Physio on {_label(wednesday)} at 09:30")
    free.scroll_into_view_if_needed()
    free.tap()
    page.locator("#id_time").wait_for()
    assert page.locator("#id_therapist").input_value() == str(physio.pk)
    assert page.locator("#id_date").input_value() == wednesday.isoformat()
    assert page.locator("#id_time").input_value() == "09:30"
