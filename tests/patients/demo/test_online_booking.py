"""The demo shows online booking working: free times on the public page, and what waits for the desk."""

import pytest
from django.urls import reverse

from patients.booking.choices import BookingSource, HoldState
from patients.models import Appointment, IdentityReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_module):
    """The demo clinic, loaded once for this module."""


def test_the_public_page_offers_real_free_times(demo, client):
    types = client.get(reverse("book:locations"), follow=True)
    assert types.status_code == 200
    page = types.content.decode()
    for name in ("Initial evaluation", "Follow-up", "Free discovery visit"):
        assert name in page
    location_id = types.context["location"].pk
    evaluation = next(t for t in types.context["types"] if t.name == "Initial evaluation")
    slots = client.get(reverse("book:slots", args=[location_id, evaluation.pk]))
    assert slots.status_code == 200
    assert slots.content.decode().count('name="slot"') >= 5


def test_the_desk_sees_online_bookings_a_request_and_a_review(demo, front_desk_client):
    online = Appointment.objects.filter(source=BookingSource.ONLINE)
    assert online.filter(hold=HoldState.CONFIRMED, appointment_type__name="Initial evaluation").count() == 1
    assert online.filter(hold=HoldState.REQUESTED).count() == 2
    assert IdentityReview.objects.filter(resolved_at__isnull=True).count() == 1
    page = front_desk_client.get(reverse("patients:online_requests")).content.decode()
    assert "Free discovery visit" in page
    # A review's own buttons, not the section's heading (which shows with no review too).
    assert "Same person: move the booking to the existing record" in page
