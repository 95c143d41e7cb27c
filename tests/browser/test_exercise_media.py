"""A clinic admin gives the clamshell a picture; the patient sees it with their exercises, on a phone."""

import io

import pytest
from PIL import Image

from assessments.exercises.services import catalogue_sync
from assessments.models import Exercise
from assessments.programmes.services.links import link_issue
from clinic.staff.choices import Role
from tests.browser.axe import assert_accessible
from tests.browser.support import give_emailed_code, sign_in
from tests.factories import PASSWORD, PatientFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Lying on one side, knees bent, the top knee lifting away from the bottom one."


@pytest.fixture
def media_dir(tmp_path, monkeypatch):
    storage = Exercise._meta.get_field("media").storage
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    for cached in ("base_location", "location"):
        monkeypatch.delitem(storage.__dict__, cached, raising=False)
    yield tmp_path
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


LOADED = """img => (img.complete && img.naturalWidth > 0) || new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth > 0));
    img.addEventListener("error", () => done(false));
})"""


def _loaded(page, alt: str) -> bool:
    """The image was fetched and decoded (its view answered with a picture); lazy, so scrolled to first."""
    image = page.get_by_alt_text(alt)
    image.scroll_into_view_if_needed()
    return image.evaluate(LOADED)


def test_an_uploaded_picture_reaches_the_patients_exercises(
    browser, page, live_server, mailoutbox, media_dir
):
    catalogue_sync()  # transactional tests flush the seeded catalogue between tests
    UserFactory(role=Role.CLINIC_ADMIN, email="ada.admin@stride.test")
    clam = Exercise.objects.get(code="CLAM")
    picture = io.BytesIO()
    Image.new("RGB", (800, 450), (13, 110, 253)).save(picture, "PNG")

    # The clinic admin uploads a picture with its description on the catalogue's edit page.
    sign_in(page, live_server, "ada.admin@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/clinical/exercises/{clam.pk}/")
    page.get_by_label("Image or video", exact=True).set_input_files(
        files=[{"name": "clam.png", "mimeType": "image/png", "buffer": picture.getvalue()}]
    )
    page.get_by_label("Description of the image or video").fill(DESCRIPTION)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Clamshell saved.").wait_for()
    page.goto(f"{live_server.url}/clinical/exercises/{clam.pk}/")
    page.get_by_alt_text(DESCRIPTION).wait_for()
    assert _loaded(page, DESCRIPTION)
    assert_accessible(page)

    # The patient opens their programme link on a phone: the clamshell shows its picture.
    patient = PatientFactory(first_name="Robin", last_name="Strider")
    programme = ProgrammeFactory(patient=patient)
    token = link_issue(programme=programme, by=programme.therapist, emailed=False)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    patient_page = phone.new_page()
    patient_page.set_default_timeout(10_000)
    patient_page.goto(f"{live_server.url}/clinical/p/{token}/")
    patient_page.get_by_label("Last name").fill("strider")
    patient_page.get_by_label("Day").fill("12")
    patient_page.get_by_label("Month").fill("4")
    patient_page.get_by_label("Year").fill("1988")
    patient_page.get_by_role("button", name="Continue").click()
    give_emailed_code(patient_page, mailoutbox)
    patient_page.get_by_role("heading", name="Clamshell").wait_for()
    patient_page.get_by_alt_text(DESCRIPTION).wait_for()
    assert _loaded(patient_page, DESCRIPTION)
    box = patient_page.get_by_alt_text(DESCRIPTION).bounding_box()
    assert box is not None and box["width"] <= 390  # fits the phone
    assert_accessible(patient_page)
    phone.close()
