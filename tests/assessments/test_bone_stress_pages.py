"""The pages of a patient with suspected bone stress name it in words, never by its code."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.imaging.services import imaging_order_advance, imaging_order_create
from tests.assessments.programmes.support import start_programme

pytestmark = pytest.mark.django_db

RAW = re.compile(r"BSI_[A-Z_]+|stress_reaction|stress_fracture|bone_stress")


def _text(response):
    """What the reader sees: the page without its tags (option values and ids are not shown)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_bone_stress_patient_pages_show_labels_not_codes(therapist_client, therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK", runs_per_week=2)
    order = imaging_order_create(
        assessment=programme.assessment,
        by=therapist,
        modality="MRI",
        region="hip",
        side="right",
        indication="suspected_bsi",
        indication_detail="Groin pain on impact.",
    )
    imaging_order_advance(
        order=order,
        by=therapist,
        status="reported",
        expected_version=1,
        reported_on=timezone.localdate(),
        report_summary="Femoral neck oedema.",
        report_finding="stress_reaction",
    )
    phase = programme.phases.get(kind="heavy_functional")
    urls = [
        reverse("assessments:programme_detail", args=[programme.pk]),
        reverse("assessments:programme_ladder", args=[programme.pk]),
        reverse("assessments:programme_phase", args=[programme.pk, phase.pk]),
        reverse("assessments:detail", args=[programme.assessment.pk]),
        reverse("assessments:imaging_detail", args=[order.pk]),
        reverse("assessments:imaging_new", args=[programme.assessment.pk]),
    ]

    pages = {url: therapist_client.get(url) for url in urls}

    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(urls, 200)
    assert {url: RAW.findall(_text(page)) for url, page in pages.items()} == {url: [] for url in urls}
    assert "Bone stress injury: femoral neck" in _text(pages[urls[3]])
    assert "Stress reaction (bone stress injury)" in _text(pages[urls[4]])
