"""The imaging report's coded finding, and a reported stress reaction or fracture as suspected bone stress."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.imaging.services import imaging_order_advance, imaging_order_create
from assessments.models import ImagingOrder
from assessments.record.selectors import assessment_for_page, has_bone_stress
from assessments.record.services.errors import AssessmentError
from tests.assessments.record.helpers import signed

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


def _reported(assessment, by, finding, *, days_ago=0, **order):
    created = imaging_order_create(assessment=assessment, by=by, **{**MRI, **order})
    return imaging_order_advance(
        order=created,
        by=by,
        status="reported",
        expected_version=1,
        reported_on=timezone.localdate() - timedelta(days=days_ago),
        report_summary="Report summary.",
        report_finding=finding,
    )


def _page(assessment):
    return assessment_for_page(assessment.pk)


def test_has_bone_stress_with_a_reported_stress_reaction(draft, therapist):
    signed(draft, therapist)
    before = has_bone_stress(assessment=_page(draft))

    order = _reported(draft, therapist, "stress_reaction")

    assert (before, order.report_finding, has_bone_stress(assessment=_page(draft))) == (
        False,
        "stress_reaction",
        True,
    )


def test_has_bone_stress_with_a_reported_stress_fracture_without_the_annotation(draft, therapist):
    signed(draft, therapist)
    _reported(draft, therapist, "stress_fracture", modality="XR")
    plain = type(draft).objects.get(pk=draft.pk)

    assert (hasattr(plain, "imaging_bone_stress"), has_bone_stress(assessment=plain)) == (False, True)


@pytest.mark.parametrize("finding", ["normal", "other"])
def test_a_report_without_bone_stress_is_not_suspected(draft, therapist, finding):
    signed(draft, therapist)
    _reported(draft, therapist, finding)

    assert has_bone_stress(assessment=_page(draft)) is False


def test_a_later_normal_mri_of_the_same_region_rules_the_stress_reaction_out(draft, therapist):
    signed(draft, therapist)
    _reported(draft, therapist, "stress_reaction", days_ago=50)
    _reported(draft, therapist, "normal", days_ago=1)

    assert has_bone_stress(assessment=_page(draft)) is False


@pytest.mark.parametrize(
    ("later", "why"),
    [
        ({"modality": "XR"}, "an X-ray misses early stress fractures"),
        ({"region": "femur"}, "another region"),
        ({"side": "left"}, "the other side"),
    ],
)
def test_a_later_normal_report_that_cannot_rule_it_out_leaves_it_standing(draft, therapist, later, why):
    signed(draft, therapist)
    _reported(draft, therapist, "stress_fracture", days_ago=50)
    _reported(draft, therapist, "normal", days_ago=1, **later)

    assert has_bone_stress(assessment=_page(draft)) is True, why


def test_a_normal_report_dated_before_the_stress_reaction_does_not_rule_it_out(draft, therapist):
    signed(draft, therapist)
    _reported(draft, therapist, "normal", days_ago=60)
    _reported(draft, therapist, "stress_reaction", days_ago=2)

    assert has_bone_stress(assessment=_page(draft)) is True


def test_reporting_needs_the_finding(draft, therapist):
    order = imaging_order_create(assessment=draft, by=therapist, **MRI)

    with pytest.raises(AssessmentError) as caught:
        imaging_order_advance(
            order=order,
            by=therapist,
            status="reported",
            expected_version=1,
            reported_on=timezone.localdate(),
            report_summary="Oedema at the femoral neck.",
        )

    assert caught.value.messages == ["Say what the report found."]
    assert ImagingOrder.objects.get(pk=order.pk).status == "ordered"


def test_report_form_needs_the_finding_and_keeps_what_was_typed(therapist_client, draft, therapist):
    order = imaging_order_create(assessment=draft, by=therapist, **MRI)
    url = reverse("assessments:imaging_detail", args=[order.pk])
    data = {
        "step": "reported",
        "step-reported-status": "reported",
        "step-reported-version": "1",
        "step-reported-reported_on": timezone.localdate().isoformat(),
        "step-reported-report_summary": "Oedema at the femoral neck.",
        "step-reported-report_finding": "",
    }

    response = therapist_client.post(url, data)
    form = next(f for f in response.context["steps"] if f.step == "reported")

    assert response.status_code == 400
    assert form.errors["report_finding"] == ["Say what the report found."]
    assert "Oedema at the femoral neck." in response.content.decode()


def test_reported_finding_shows_its_label_on_the_order_page(therapist_client, draft, therapist):
    signed(draft, therapist)
    order = _reported(draft, therapist, "stress_reaction")

    page = therapist_client.get(reverse("assessments:imaging_detail", args=[order.pk])).content.decode()

    assert "Stress reaction (bone stress injury)" in page
    assert "stress_reaction" not in page
    assert 'id="bone-stress-note"' in page
