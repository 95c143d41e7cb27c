"""The assessment pages: start, edit with typed values kept, conflict, sign, print, to-do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from tests.assessments.record.helpers import complete, signed
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db


def edit_data(assessment, **extra):
    """The edit form's POST as a browser sends it (every input, as rendered)."""
    data = {"version": str(assessment.version)}
    data.update(extra)
    return data


def test_start_page_then_start_creates_a_draft(therapist_client, patient, therapist):
    treat(therapist, patient)
    url = reverse("assessments:start", kwargs={"patient_pk": patient.pk})

    page = therapist_client.get(url)
    response = therapist_client.post(url, {"kind": "initial"})

    assert page.status_code == 200
    assessment = Assessment.objects.get(patient=patient)
    assert response["Location"] == reverse("assessments:edit", kwargs={"pk": assessment.pk})
    assert (assessment.therapist, assessment.status, assessment.version) == (therapist, "draft", 1)


def test_edit_page_renders(therapist_client, draft, therapist):
    complete(draft, therapist)

    response = therapist_client.get(reverse("assessments:edit", kwargs={"pk": draft.pk}))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="str-hip_abductors-right-trial_1_n"' in html
    assert "LSI 84.4 % (below 90 %)" in html


def test_detail_and_summary_render(therapist_client, draft, therapist):
    signed(draft, therapist)

    detail = therapist_client.get(reverse("assessments:detail", kwargs={"pk": draft.pk}))
    summary = therapist_client.get(reverse("assessments:summary", kwargs={"pk": draft.pk}))

    assert (detail.status_code, summary.status_code) == (200, 200)
    assert "Signed by" in detail.content.decode()
    assert "LSI 84.4 %" in summary.content.decode()


def test_todo_lists_stale_drafts(therapist_client, draft, therapist):
    Assessment.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(hours=25))

    response = therapist_client.get(reverse("assessments:todo"))

    assert [a.pk for a in response.context["stale"]] == [draft.pk]
