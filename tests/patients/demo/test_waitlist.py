"""The demo shows the waitlist and the manage link on realistic patients."""

import re

import pytest

from clinic.messaging.emails import message_render
from clinic.messaging.models import ScheduledMessage
from patients.booking.waitlist.choices import PartOfDay, WaitlistStatus
from patients.booking.waitlist.services import waitlist_match_all
from patients.models import Appointment, WaitlistEntry, WaitlistOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_module):
    """The demo clinic, loaded once for this module."""


def test_a_runner_waits_for_an_earlier_evening_and_the_match_offers_one(demo):
    entry = WaitlistEntry.objects.select_related("appointment").get()

    assert (entry.status, entry.parts_of_day) == (WaitlistStatus.ACTIVE, PartOfDay.EVENING)
    assert entry.appointment is not None and entry.appointment.patient_id == entry.patient_id
    waitlist_match_all()
    offer = WaitlistOffer.objects.get(entry=entry)
    assert offer.starts_at < entry.appointment.starts_at
    assert ScheduledMessage.objects.filter(kind="waitlist_offer", patient_id=entry.patient_id).count() == 1


def test_an_online_visits_confirmation_carries_a_manage_link_that_opens(demo, client):
    message = ScheduledMessage.objects.filter(
        kind="appointment_confirmation",
        about_pk__in=[
            str(pk)
            for pk in Appointment.objects.filter(source="online", hold="").values_list("pk", flat=True)
        ],
    ).first()
    assert message is not None

    email = message_render(message)
    path = re.search(r"https?://[^/\s]+(/book/manage/[A-Za-z0-9_-]+/)", email.body).group(1)

    page = client.get(path)
    assert page.status_code == 200
    assert "Initial evaluation" in page.content.decode()
