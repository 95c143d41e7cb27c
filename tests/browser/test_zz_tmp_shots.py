import pytest
from clinic.staff.choices import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_shots(page, live_server, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 40
    settings.SESSION_EXPIRY_WARNING_SECONDS = 38
    UserFactory(role=Role.THERAPIST, email="sam@stride.test")
    sign_in(page, live_server, "sam@stride.test", PASSWORD)
    page.get_by_role("alertdialog").wait_for(state="visible")
    page.screenshot(path="/tmp/warn.png")
    UserFactory(role=Role.CLINIC_ADMIN, email="ada@stride.test")
    ctx = page.context.browser.new_context(viewport={"width": 1180, "height": 1100})
    p2 = ctx.new_page()
    sign_in(p2, live_server, "ada@stride.test", PASSWORD)
    p2.get_by_role("heading", name="Set up two-factor authentication").wait_for()
    p2.screenshot(path="/tmp/setup.png", full_page=True)
    for _ in range(5):
        p3 = ctx.browser.new_page()
    p3.goto(f"{live_server.url}/accounts/login/")
    for i in range(5):
        p3.get_by_label("Email address").fill("nobody@stride.test")
        p3.get_by_label("Password").fill("wrong-password-1")
        p3.get_by_role("button", name="Sign in").click()
        p3.wait_for_load_state()
        if i < 4:
            p3.goto(f"{live_server.url}/accounts/login/")
    p3.screenshot(path="/tmp/locked.png")
