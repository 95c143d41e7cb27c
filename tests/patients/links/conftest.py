"""A working patient link for each portal, built through the services (`portal`, parametrised).

The intake: an evaluation booked for Rosa Quill (its invitation's token from
intake_issue_token), on Monday 23 November 2026. The programme pages: a 6-week
programme for Robin O'Strider and a link from link_issue, on the Sunday of its
first week. Each test gets a LinkCase that knows the portal's URLs, its right
details and where its failed checks are counted.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.exercises.services import catalogue_sync
from assessments.models import ProgrammeLink
from assessments.programmes.services.links import link_issue
from patients.intake.services.invitations import intake_issue_token, intake_resend
from patients.models import IntakeInvitation
from tests.assessments.programmes.support import START, at, start_programme
from tests.factories import PatientFactory
from tests.patients.links.support import pass_code_step

DOB = date(1988, 4, 12)
IP = "203.0.113.7"
CHECK_ERROR = "Those details don&#x27;t match our records."


@dataclass
class LinkCase:
    """One portal's link, and how a test drives it."""

    name: str
    token: str
    traveller: object  # the frozen clock (time_machine)
    start_name: str
    check_name: str
    code_name: str
    home_url: str  # where a passed check goes
    page_url: str  # a page of the bound session (200 while it lasts)
    last_name: str
    unavailable: str  # the heading of the one page for unusable links
    left: str  # what the page says after "leave" / "finish later"
    leave: Callable[[Client], object]
    counts: Callable[[], tuple[int, bool]]  # (failed checks, locked) as stored
    expires_at: Callable[[], datetime]
    expire: Callable[[], object]  # the link's expiry moved into the past (the clock stays)
    new_link: Callable[[], str]  # what staff do after a lock: a link that works again
    phi: tuple[str, ...]  # what the pages before the check must never show

    def start_url(self, token: str | None = None) -> str:
        return reverse(self.start_name, args=[token or self.token])

    @property
    def check_url(self) -> str:
        return reverse(self.check_name)

    def open(self, client: Client, token: str | None = None):
        return client.get(self.start_url(token))

    def check(self, client: Client, *, last_name: str | None = None, dob: date = DOB, ip: str = IP):
        data = {
            "last_name": self.last_name if last_name is None else last_name,
            "dob_day": dob.day,
            "dob_month": dob.month,
            "dob_year": dob.year,
        }
        return client.post(self.check_url, data, REMOTE_ADDR=ip)

    @property
    def code_url(self) -> str:
        return reverse(self.code_name)

    def pass_code(self, client: Client, response, *, ip: str = IP):
        """After a passed check: the code step, with the code from the email (a known browser skips it)."""
        return pass_code_step(client, response, self.code_name, ip=ip)

    def sign_in(self, client: Client, token: str | None = None):
        """Open the link, pass the identity check and, on a browser new to the patient, the emailed code."""
        self.open(client, token)
        response = pass_code_step(client, self.check(client), self.code_name)
        assert response.status_code == 302, response.content.decode()[:1500]
        return response


def page_text(response) -> str:
    """The page without the CSRF token and what the visitor typed (echoed back)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r' value="[^"]*"', "", html)


def _intake(request: pytest.FixtureRequest) -> LinkCase:
    traveller = request.getfixturevalue("frozen_monday")
    invitation = request.getfixturevalue("invitation")  # booking the evaluation made it
    desk = request.getfixturevalue("front_desk")
    token = intake_issue_token(invitation=invitation, sent=True)

    def counts() -> tuple[int, bool]:
        # The visit's newest invitation: a resend after a lock replaces the invitation.
        row = IntakeInvitation.objects.filter(appointment=invitation.appointment).latest("pk")
        return row.failed_checks, row.locked_at is not None

    def new_link() -> str:
        fresh = intake_resend(invitation=IntakeInvitation.objects.get(pk=invitation.pk), by=desk)
        return intake_issue_token(invitation=fresh, sent=True)

    def leave(client: Client):
        # "Finish later" on a step: the draft is kept and the intake session ends.
        return client.post(
            reverse("patients:intake_step", args=["about"]), {"version": "0", "action": "later"}
        )

    return LinkCase(
        name="intake",
        token=token,
        traveller=traveller,
        start_name="patients:intake_start",
        check_name="patients:intake_check",
        code_name="patients:intake_code",
        home_url=reverse("patients:intake_resume"),
        page_url=reverse("patients:intake_step", args=["about"]),
        last_name="Quill",
        unavailable="This link has been used or has expired",
        left="Your answers are saved",
        leave=leave,
        counts=counts,
        expires_at=lambda: IntakeInvitation.objects.get(pk=invitation.pk).expires_at,
        expire=lambda: IntakeInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        ),
        new_link=new_link,
        phi=("Quill", "Rosa", "rosa.quill", "1988", "12/04", "12 Apr", "Sam Physio", "27 Nov", "Friday"),
    )


def _programme(request: pytest.FixtureRequest) -> LinkCase:
    therapist = request.getfixturevalue("therapist")
    catalogue_sync()  # the seeded catalogue (a transactional test elsewhere may have flushed it)
    travel = time_machine.travel(at(START + timedelta(days=6), 19), tick=False)  # week 1's Sunday evening
    traveller = travel.start()
    request.addfinalizer(travel.stop)
    patient = PatientFactory(
        first_name="Robin", last_name="O'Strider", date_of_birth=DOB, email="robin@example.com"
    )
    programme = start_programme(therapist, patient=patient)
    token = link_issue(programme=programme, by=therapist, emailed=False)
    link = ProgrammeLink.objects.get(programme=programme)

    def counts() -> tuple[int, bool]:
        programme.refresh_from_db()
        return programme.link_failed_checks, programme.link_locked_at is not None

    return LinkCase(
        name="programme",
        token=token,
        traveller=traveller,
        start_name="assessments:checkin_start",
        check_name="assessments:checkin_check",
        code_name="assessments:checkin_code",
        home_url=reverse("assessments:checkin_home"),
        page_url=reverse("assessments:checkin_home"),
        last_name="o strider",
        unavailable="This link has expired or can't be used",
        left="You've left your programme page",
        leave=lambda client: client.post(reverse("assessments:checkin_leave")),
        counts=counts,
        expires_at=lambda: ProgrammeLink.objects.get(pk=link.pk).expires_at,
        expire=lambda: ProgrammeLink.objects.filter(pk=link.pk).update(
            issued_at=timezone.now() - timedelta(days=15), expires_at=timezone.now() - timedelta(minutes=1)
        ),
        new_link=lambda: link_issue(programme=programme, by=therapist, emailed=False),
        phi=("Strider", "Robin", "robin@", "1988", "Terry Therapist"),
    )


@pytest.fixture(params=["intake", "programme"])
def portal(request: pytest.FixtureRequest, db) -> LinkCase:
    """A fresh, working link of each portal (the per-address limit's cache cleared around it)."""
    cache.clear()
    request.addfinalizer(cache.clear)
    return _intake(request) if request.param == "intake" else _programme(request)
