"""Imaging orders: raised from an assessment, the lifecycle, outstanding lists, the bone-stress prompt."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.imaging.services import imaging_order_advance, imaging_order_create
from assessments.models import ImagingOrder
from assessments.record.selectors import outstanding_orders
from assessments.record.services.errors import AssessmentError, StaleVersionError
from tests.assessments.record.helpers import save, signed
from tests.factories import UserFactory

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


def _order(draft, therapist, **changes):
    return imaging_order_create(assessment=draft, by=therapist, **{**MRI, **changes})


def test_an_order_needs_its_clinical_indication(draft, therapist):
    with pytest.raises(ValidationError):
        _order(draft, therapist, indication_detail="   ")

    assert ImagingOrder.objects.count() == 0


def test_an_order_records_who_ordered_it_for_which_patient(draft, therapist, patient):
    order = _order(draft, therapist)

    assert (order.status, order.ordered_by, order.patient, order.assessment) == (
        "ordered",
        therapist,
        patient,
        draft,
    )


def test_lifecycle_ordered_booked_reported_reviewed(draft, therapist):
    order = _order(draft, therapist)
    colleague = UserFactory(full_name="Priya Physio")

    order = imaging_order_advance(
        order=order, by=therapist, status="booked", expected_version=1, booked_for=date(2026, 12, 2)
    )
    order = imaging_order_advance(
        order=order,
        by=colleague,
        status="reported",
        expected_version=2,
        reported_on=timezone.localdate(),
        report_summary="Grade 2 femoral neck BSI.",
        report_finding="stress_reaction",
    )
    order = imaging_order_advance(order=order, by=therapist, status="reviewed", expected_version=3)

    assert (order.status, order.booked_for, order.report_summary, order.reviewed_by) == (
        "reviewed",
        date(2026, 12, 2),
        "Grade 2 femoral neck BSI.",
        therapist,
    )
    assert order.reviewed_at is not None


@pytest.mark.parametrize(
    ("step", "kwargs", "message"),
    [
        ("reviewed", {}, "An order that is ordered cannot become reviewed."),
        ("reported", {}, "Enter the report date and a summary of the report."),
        (
            "reported",
            {"reported_on": date(2099, 1, 1), "report_summary": "x"},
            "The report date cannot be in the future.",
        ),
        ("cancelled", {}, "Give a reason for cancelling the order."),
    ],
)
def test_steps_that_are_refused(draft, therapist, step, kwargs, message):
    order = _order(draft, therapist)

    with pytest.raises(AssessmentError) as caught:
        imaging_order_advance(order=order, by=therapist, status=step, expected_version=1, **kwargs)

    assert caught.value.messages == [message]
    assert ImagingOrder.objects.get(pk=order.pk).status == "ordered"


def test_a_stale_order_form_is_refused(draft, therapist):
    order = _order(draft, therapist)
    imaging_order_advance(order=order, by=therapist, status="booked", expected_version=1)

    with pytest.raises(StaleVersionError):
        imaging_order_advance(
            order=order, by=therapist, status="cancelled", expected_version=1, cancel_reason="x"
        )


@pytest.mark.postgres
def test_database_enforces_the_lifecycle(draft, therapist):
    order = _order(draft, therapist)

    with (
        pytest.raises(DatabaseError, match="Invalid transition"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE assessments_imagingorder SET status = 'reviewed', reviewed_by_id = %s, reviewed_at = now(),"
            " reported_on = now(), report_summary = 'x' WHERE id = %s",
            [therapist.pk, order.pk],
        )


def test_orders_may_follow_a_signed_assessment(draft, therapist):
    signed(draft, therapist)

    order = _order(draft, therapist)

    assert order.status == "ordered"


def test_outstanding_orders_per_therapist(draft, therapist):
    other = UserFactory()
    mine = _order(draft, therapist)
    done = _order(draft, therapist, modality="XR")
    imaging_order_advance(
        order=done, by=therapist, status="cancelled", expected_version=1, cancel_reason="Not needed"
    )
    theirs = _order(draft, other)

    assert list(outstanding_orders(ordered_by=therapist)) == [mine]
    assert list(outstanding_orders()) == [mine, theirs]


def test_outstanding_list_and_order_pages(therapist_client, draft, therapist):
    order = _order(draft, therapist)

    listing = therapist_client.get(reverse("assessments:imaging_list"))
    page = therapist_client.get(reverse("assessments:imaging_detail", kwargs={"pk": order.pk}))
    booked = therapist_client.post(
        reverse("assessments:imaging_detail", kwargs={"pk": order.pk}),
        {
            "step": "booked",
            "step-booked-status": "booked",
            "step-booked-version": "1",
            "step-booked-booked_for": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )

    assert [o.pk for _, orders in listing.context["groups"] for o in orders] == [order.pk]
    assert page.status_code == 200
    assert booked.status_code == 302
    assert ImagingOrder.objects.get(pk=order.pk).status == "booked"


def test_suspected_bone_stress_prompts_mri_and_stop_running(therapist_client, draft, therapist):
    save(
        draft,
        therapist,
        header={"index_side": "left"},
        impressions=[{"code": "BSI_FEM_NECK", "side": "left", "certainty": "provisional"}],
    )

    edit = therapist_client.get(reverse("assessments:edit", kwargs={"pk": draft.pk})).content.decode()
    order_page = therapist_client.get(reverse("assessments:imaging_new", kwargs={"pk": draft.pk}))

    assert "advise the patient to stop running" in edit
    assert "Save and raise MRI order" in edit
    initial = order_page.context["form"].initial
    assert (initial["modality"], initial["side"], initial["indication"], initial["urgency"]) == (
        "MRI",
        "left",
        "suspected_bsi",
        "urgent",
    )


def test_raise_an_order_from_the_page(therapist_client, draft, therapist):
    response = therapist_client.post(reverse("assessments:imaging_new", kwargs={"pk": draft.pk}), MRI)

    assert response["Location"] == reverse("assessments:edit", kwargs={"pk": draft.pk})
    assert ImagingOrder.objects.get().indication_detail == MRI["indication_detail"]
