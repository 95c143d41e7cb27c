"""The accessibility gate on every key page, on a phone, a tablet and a desktop.

axe-core (tests.browser.axe) runs on each page of the demo clinic: the login
page, then each role signed in once per device, walking its pages, then a
patient by their emailed links (the weekly check-in and each intake step).
Any serious or critical violation on any device fails, in axe's own words,
after every page has been checked.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.demo import assessments as demo_assessments
from assessments.demo import programmes as demo_programmes
from assessments.models import Assessment, Programme
from clinic.staff import demo as demo_staff
from patients.demo import appointments as demo_appointments
from patients.demo import careteam as demo_careteam
from patients.demo import email_status as demo_email_status
from patients.demo import intake as demo_intake
from patients.demo import online_booking as demo_online_booking
from patients.demo import patients as demo_patients
from patients.intake.services.invitations import intake_issue_token, intake_link
from patients.intake.steps import STEPS
from patients.models import Appointment, IntakeInvitation
from tests.browser.axe import axe_violations
from tests.browser.conftest import VIEWPORTS
from tests.browser.support import emailed_programme_link, give_emailed_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "stride-demo-2026"


def _demo_clinic() -> None:
    """The demo clinic's patients, visits, intakes, assessments, programmes, outbox and online requests.

    As `manage.py demo_load` makes them, less the parts no page here shows
    (training logs, letters, exercise media, API clients, the waitlist),
    which keeps each device's run short.
    """
    staff = demo_staff.load()
    patients = demo_patients.load()
    demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
    demo_intake.load()
    demo_assessments.load()
    demo_programmes.load()
    demo_email_status.load(patients)
    demo_careteam.load()
    demo_online_booking.load()


def _sign_out(page) -> None:
    page.context.clear_cookies()


def _check(page, url: str, found: dict[str, list[str]]) -> None:
    """Open `url` and record axe's serious and critical violations there (all pages are checked before failing)."""
    response = page.goto(url)
    page.wait_for_load_state()
    if response is None or response.status != 200:
        found.setdefault(urlsplit(url).path, []).append(f"HTTP {response.status if response else '?'}")
        return
    _record(page, found)


def _record(page, found: dict[str, list[str]]) -> None:
    for v in axe_violations(page):
        targets = "; ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"])
        found.setdefault(urlsplit(page.url).path, []).append(
            f"[{v['impact']}] {v['id']}: {v['help']} -- {targets}"
        )


def _therapist_email() -> str:
    """The demo therapist with a draft assessment (the edit page) as well as programmes."""
    draft = (
        Assessment.objects.filter(signed_at__isnull=True).select_related("therapist").order_by("pk").first()
    )
    assert draft is not None
    return draft.therapist.email


def _staff_pages(live_server) -> dict[str, list[str]]:
    """The key staff pages of the demo clinic, by role."""
    base = live_server.url
    # The therapist's own patients: the care team decides who reads which record.
    mine = {"therapist__email": _therapist_email()}
    programme = Programme.objects.filter(discharged_at__isnull=True, **mine).order_by("pk").first()
    assert programme is not None
    phase = programme.phases.order_by("pk").first()
    signed = Assessment.objects.filter(signed_at__isnull=False, **mine).order_by("pk").first()
    draft = Assessment.objects.filter(signed_at__isnull=True, **mine).order_by("pk").first()
    assert signed is not None and draft is not None
    appointment = Appointment.objects.order_by("starts_at", "pk").first()
    today = timezone.localdate()

    def url(name: str, *args: object) -> str:
        return base + reverse(name, args=args)

    return {
        "therapist": [
            url("patients:my_day"),
            url("patients:calendar") + f"?date={today.isoformat()}",
            url("patients:calendar") + f"?date={today.isoformat()}&view=week",
            url("patients:list"),
            url("patients:detail", programme.patient_id),
            url("assessments:programme_list"),
            url("assessments:programme_detail", programme.pk),
            url("assessments:programme_phase", programme.pk, phase.pk),
            url("assessments:programme_progress", programme.pk),
            url("assessments:programme_ladder", programme.pk),
            url("assessments:detail", signed.pk),
            url("assessments:edit", draft.pk),
            url("assessments:todo"),
        ],
        "desk": [
            url("patients:today"),
            url("patients:calendar") + f"?date={today.isoformat()}",
            url("patients:book") + f"?patient={appointment.patient_id}",
            url("patients:online_requests"),
            url("patients:list"),
            url("patients:detail", appointment.patient_id),
            url("patients:appointment", appointment.pk),
        ],
        "admin": [
            url("messaging:outbox"),
            url("audit:access_log"),
            url("audit:security_log"),
        ],
    }


EMAILS = {
    "desk": "desk@stride.example",
    "admin": "admin@stride.example",
}


def _lists_fit_the_device(page, live_server) -> None:
    """The outbox and the audit log: cards on a phone; on a tablet or desktop every action button on screen."""
    width = page.viewport_size["width"]
    for name in ("messaging:outbox", "audit:access_log", "audit:security_log"):
        page.goto(live_server.url + reverse(name))
        row = page.locator("table.table-cards tbody tr").first
        header = page.locator("table.table-cards thead").first
        if page.device == "phone":
            assert row.evaluate("r => getComputedStyle(r).display") == "block", name
            assert header.bounding_box()["width"] <= 1, name
        else:
            assert row.evaluate("r => getComputedStyle(r).display") == "table-row", name
    page.goto(live_server.url + reverse("messaging:outbox") + "?status=failed")
    retry = page.get_by_role("button", name=re.compile(r"^Retry"))
    assert retry.count() >= 1
    box = retry.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _intake_invitation() -> IntakeInvitation:
    return (
        IntakeInvitation.objects.filter(
            submitted_at__isnull=True, revoked_at__isnull=True, locked_at__isnull=True
        )
        .select_related("patient")
        .order_by("pk")
        .first()
    )


def _walk(page, live_server, mailoutbox, settings) -> dict[str, list[str]]:
    """Every key page on one device: what axe found on each, by path."""
    cache.clear()  # the sign-in and link rate limits count per address, and every device signs in again
    found: dict[str, list[str]] = {}

    _check(page, f"{live_server.url}/accounts/login/", found)

    emails = {**EMAILS, "therapist": _therapist_email()}
    for role, urls in _staff_pages(live_server).items():
        sign_in(page, live_server, emails[role], DEMO_PASSWORD)
        for address in urls:
            _check(page, address, found)
        if role == "admin":
            _lists_fit_the_device(page, live_server)
        if role == "therapist":
            # The weekly check-in, as the patient opens it from the emailed link.
            programme = Programme.objects.filter(
                discharged_at__isnull=True, therapist__email=emails[role]
            ).first()
            page.goto(live_server.url + reverse("assessments:programme_detail", args=[programme.pk]))
            link = emailed_programme_link(page, mailoutbox)
        _sign_out(page)

    # The patient's weekly check-in by link.
    patient = programme.patient
    page.goto(live_server.url + urlsplit(link).path)
    page.get_by_label("Last name").fill(patient.last_name)
    page.get_by_label("Day").fill(str(patient.date_of_birth.day))
    page.get_by_label("Month").fill(str(patient.date_of_birth.month))
    page.get_by_label("Year").fill(str(patient.date_of_birth.year))
    page.get_by_role("button", name="Continue").click()
    give_emailed_code(page, mailoutbox)
    page.get_by_role("heading", name=re.compile(r"^Hello")).wait_for()
    _record(page, found)
    week = min(max(programme.week_of(timezone.localdate()) or 1, 1), programme.planned_weeks)
    _check(page, live_server.url + reverse("assessments:checkin_week", args=[week]), found)
    _sign_out(page)

    # The intake, step by step, from a fresh link.
    invitation = _intake_invitation()
    assert invitation is not None
    token = intake_issue_token(invitation=invitation, sent=False)
    page.goto(intake_link(token).replace(settings.SITE_URL, live_server.url))
    _record(page, found)
    patient = invitation.patient
    page.get_by_label("Last name").fill(patient.last_name)
    page.get_by_label("Day").fill(str(patient.date_of_birth.day))
    page.get_by_label("Month").fill(str(patient.date_of_birth.month))
    page.get_by_label("Year").fill(str(patient.date_of_birth.year))
    page.get_by_role("button", name="Continue").click()
    give_emailed_code(page, mailoutbox)
    page.wait_for_load_state()
    for slug in STEPS:
        _check(page, f"{live_server.url}/patients/intake/form/{slug}/", found)

    return found


def test_key_pages_are_accessible_on_a_phone_a_tablet_and_a_desktop(
    browser, live_server, mailoutbox, settings
):
    # One test for the three devices: the demo clinic is loaded once (about a minute), and
    # each device signs in once per role and walks every page.
    settings.SITE_URL = live_server.url
    _demo_clinic()
    failures = {}
    for device, options in VIEWPORTS.items():
        context = browser.new_context(**options)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.device = device
        try:
            found = _walk(page, live_server, mailoutbox, settings)
        finally:
            context.close()
        if found:
            failures[device] = found

    assert not failures, "\n".join(
        f"axe on the {device}:\n"
        + "\n".join(f"{path}\n  " + "\n  ".join(items) for path, items in found.items())
        for device, found in failures.items()
    )
