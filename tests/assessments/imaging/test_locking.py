"""Two therapists moving one imaging order from the same page: the second step is refused (409)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.imaging.services import imaging_order_create
from assessments.models import ImagingOrder
from clinic.staff.choices import Role
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db

MRI = {
    "modality": "MRI",
    "region": "hip",
    "side": "right",
    "indication": "suspected_bsi",
    "urgency": "urgent",
    "route": "referred_to_sports_physician",
    "indication_detail": "Groin pain on impact, night pain.",
    "question": "Femoral neck stress fracture?",
}


@pytest.fixture
def order(draft, therapist):
    return imaging_order_create(assessment=draft, by=therapist, **MRI)


@pytest.fixture
def therapists(therapist, make_user, draft):
    """The ordering therapist and a colleague covering (assigned to the patient)."""
    colleague = make_user(Role.THERAPIST, full_name="Cora Colleague")
    treat(colleague, draft.patient)
    clients = []
    for user in (therapist, colleague):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def book(client, order, *, days: int, version: int):
    return client.post(
        reverse("assessments:imaging_detail", args=[order.pk]),
        {
            "step": "booked",
            "step-booked-status": "booked",
            "step-booked-version": str(version),
            "step-booked-booked_for": (timezone.localdate() + timedelta(days=days)).isoformat(),
        },
    )


def cancel(client, order, *, reason: str, version: int | None):
    data = {"step": "cancelled", "step-cancelled-status": "cancelled", "step-cancelled-cancel_reason": reason}
    if version is not None:
        data["step-cancelled-version"] = str(version)
    return client.post(reverse("assessments:imaging_detail", args=[order.pk]), data)


def test_book_then_a_stale_cancel_gets_the_conflict_with_the_reason_kept(therapists, order):
    first, second = therapists

    booked = book(first, order, days=3, version=1)
    refused = cancel(second, order, reason="Patient declined the scan", version=1)

    assert (booked.status_code, refused.status_code) == (302, 409)
    current = ImagingOrder.objects.get(pk=order.pk)
    assert (current.status, current.cancel_reason, current.version) == ("booked", "", 2)
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert 'value="Patient declined the scan"' in page
    assert (
        'name="step-cancelled-version" value="2"' in page
    )  # sending it again applies it to the booked order
    differences = {d.label: (d.saved, d.typed) for d in refused.context["conflict"].differences}
    assert differences == {"Reason for cancelling": ("", "Patient declined the scan")}


def test_a_step_no_longer_offered_is_refused_with_what_was_typed(therapists, order):
    first, second = therapists

    book(first, order, days=3, version=1)
    refused = book(second, order, days=10, version=1)

    assert refused.status_code == 409
    current = ImagingOrder.objects.get(pk=order.pk)
    assert current.booked_for == timezone.localdate() + timedelta(days=3)
    differences = {d.label: (d.saved, d.typed) for d in refused.context["conflict"].differences}
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert differences == {"Scan date": ((timezone.localdate() + timedelta(days=3)).isoformat(), later)}
    assert "The step you chose is no longer offered" in refused.content.decode()


def test_a_step_posted_without_its_version_is_refused(therapists, order):
    refused = cancel(therapists[0], order, reason="Not needed", version=None)

    assert refused.status_code == 409
    assert ImagingOrder.objects.get(pk=order.pk).status == "ordered"
