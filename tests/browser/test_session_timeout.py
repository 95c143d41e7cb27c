"""static/js/session.js in a real browser: the warning, "Stay signed in", the expiring event, sign-out."""

import pytest

from clinic.staff.choices import Role
from tests.browser.support import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT_EXPIRING_EVENTS = """() => {
  window.expiringEvents = [];
  document.addEventListener("stride:session-expiring", (event) => window.expiringEvents.push(event.detail));
}"""


def test_session_warning_stay_signed_in_refreshes_the_session(page, live_server, settings):
    # Warn at once (idle 40 s, warning 38 s ahead); the expiring event fires at 30 s left.
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 40
    settings.SESSION_EXPIRY_WARNING_SECONDS = 38
    UserFactory(role=Role.THERAPIST, email="sam@stride.test")
    sign_in(page, live_server, "sam@stride.test", PASSWORD)
    page.get_by_role("heading", name="My day").wait_for()
    page.evaluate(COUNT_EXPIRING_EVENTS)

    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible")
    page.wait_for_function("() => window.expiringEvents.length === 1", timeout=15_000)
    detail = page.evaluate("() => window.expiringEvents[0]")
    with page.expect_response(
        lambda r: r.url.endswith("/accounts/session/") and r.request.method == "POST"
    ) as sent:
        page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")

    assert sent.value.status == 200
    assert sent.value.json()["idle_remaining"] == 40
    assert detail["passiveHeader"] == "X-Stride-Session-Passive"
    assert 0 < detail["secondsLeft"] <= 30
    assert page.url == f"{live_server.url}/patients/my-day/"


def test_session_idle_limit_sends_the_page_to_login_with_the_message(page, live_server, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 6
    settings.SESSION_EXPIRY_WARNING_SECONDS = 4
    UserFactory(role=Role.THERAPIST, email="sam@stride.test")
    sign_in(page, live_server, "sam@stride.test", PASSWORD)
    page.get_by_role("heading", name="My day").wait_for()

    page.wait_for_url(f"{live_server.url}/accounts/login/?next=%2Fpatients%2Fmy-day%2F", timeout=20_000)

    assert page.get_by_text(
        "You were signed out after 6 seconds of inactivity. Please sign in again."
    ).is_visible()
