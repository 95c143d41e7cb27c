"""Two front-desk users edit one patient in two browsers: the second save meets the conflict page."""

import pytest

from clinic.staff.choices import Role
from patients.models import Patient
from tests.browser.support import sign_in
from tests.factories import PASSWORD, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser):
    """Another front-desk computer: its own browser context, cookies and session."""
    context = browser.new_context(viewport={"width": 1180, "height": 820})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_second_editor_sees_the_conflict_with_their_input(page, second_page, live_server):
    patient = PatientFactory(
        first_name="Ada", last_name="Lovelace", phone="07700 900123", email="ada@example.com"
    )
    UserFactory(role=Role.FRONT_DESK, email="fran@stride.test", full_name="Fran Desk")
    UserFactory(role=Role.FRONT_DESK, email="fred@stride.test", full_name="Fred Counter")
    edit_url = f"{live_server.url}/patients/{patient.pk}/edit/"
    sign_in(page, live_server, "fran@stride.test", PASSWORD)
    sign_in(second_page, live_server, "fred@stride.test", PASSWORD)
    page.goto(edit_url)
    second_page.goto(edit_url)

    page.get_by_label("Phone", exact=True).fill("07700 900999")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Patient details saved.").wait_for()
    second_page.locator("#id_email").fill("ada.new@example.com")
    second_page.get_by_role("button", name="Save changes").click()

    alert = second_page.get_by_role("alert").filter(has_text="Changed elsewhere: your input is not saved yet")
    alert.wait_for()
    assert "Fran Desk" in alert.inner_text()
    assert second_page.locator("#id_email").input_value() == "ada.new@example.com"
    row = alert.get_by_role("row", name="Phone")
    assert "07700 900999" in row.inner_text()
    current = Patient.objects.get(pk=patient.pk)
    assert (current.phone, current.email) == ("07700 900999", "ada@example.com")

    # Fred keeps Fran's phone number and saves his address on the current version.
    second_page.get_by_label("Phone", exact=True).fill("07700 900999")
    second_page.get_by_role("button", name="Save changes").click()
    second_page.get_by_text("Patient details saved.").wait_for()
    current.refresh_from_db()
    assert (current.phone, current.email, current.version) == ("07700 900999", "ada.new@example.com", 3)
