"""Data safety: stale versions get a conflict that keeps the input; errors keep typed values; author only."""

import json

import pytest
from django.urls import reverse

from assessments.models import Assessment, Observation, SingleLegStance
from assessments.record.services.errors import StaleVersionError
from clinic.audit.models import AccessEvent
from clinic.staff.choices import Role
from tests.assessments.record.forms_data import browser_post
from tests.assessments.record.helpers import complete, save, signed
from tests.clinic.logins import login_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _edit(pk):
    return reverse("assessments:edit", kwargs={"pk": pk})


def _autosave(pk):
    return reverse("assessments:autosave", kwargs={"pk": pk})


def test_service_refuses_a_stale_version(draft, therapist):
    save(draft, therapist, header={"plan": "first"})

    with pytest.raises(StaleVersionError) as caught:
        from assessments.record.services.assessment import DraftChanges, assessment_save_draft

        assessment_save_draft(
            assessment=draft,
            by=therapist,
            expected_version=1,
            changes=DraftChanges(header={"plan": "second"}),
        )

    assert caught.value.current_version == 2
    assert Assessment.objects.get(pk=draft.pk).plan == "first"


def test_stale_save_gets_a_conflict_page_that_keeps_the_input(therapist_client, draft, therapist):
    tab_a = browser_post(draft, **{"a-plan": "Plan typed in tab A", "obs-cadence_spm": "168"})
    save(draft, therapist, header={"plan": "Plan saved from the tablet"})

    response = therapist_client.post(_edit(draft.pk), tab_a)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Changed elsewhere: your input is not saved yet" in html
    assert "Plan typed in tab A" in html
    assert 'value="168"' in html
    assert Assessment.objects.get(pk=draft.pk).plan == "Plan saved from the tablet"
    assert not Observation.objects.filter(assessment=draft).exists()
    # Saving again from the conflict page (it carries the current version) keeps tab A's input.
    again = therapist_client.post(_edit(draft.pk), {**tab_a, "version": str(response.context["version"])})
    assert again.status_code == 302
    assert Assessment.objects.get(pk=draft.pk).plan == "Plan typed in tab A"
    assert Observation.objects.get(assessment=draft).cadence_spm == 168


def test_autosave_on_a_stale_version_reports_a_conflict(therapist_client, draft, therapist):
    tab_a = browser_post(draft, **{"a-plan": "from tab A"})
    save(draft, therapist, header={"plan": "elsewhere"})

    response = therapist_client.post(_autosave(draft.pk), tab_a)

    assert response.status_code == 409
    assert json.loads(response.content)["conflict"] is True
    assert Assessment.objects.get(pk=draft.pk).plan == "elsewhere"


def test_autosave_saves_and_answers_the_new_version_and_derived_values(therapist_client, draft):
    data = browser_post(
        draft,
        **{
            "a-index_side": "right",
            "str-hip_abductors-position": "side_lying",
            "str-hip_abductors-lever_arm_m": "0.42",
            "str-hip_abductors-right-trial_1_n": "135",
            "str-hip_abductors-left-trial_1_n": "160",
        },
    )

    answer = json.loads(therapist_client.post(_autosave(draft.pk), data).content)

    assert (answer["saved"], answer["version"], answer["errors"]) == (True, 2, {})
    assert answer["derived"]["lsi-hip_abductors"] == "LSI 84.4 % (below 90 %)"
    assert answer["flagged"] == ["lsi-hip_abductors"]


def test_validation_errors_keep_every_typed_value_and_save_the_rest(therapist_client, draft):
    data = browser_post(
        draft,
        **{
            "obs-cadence_spm": "300",
            "sls-left-trial_1_s": "abc",
            "sls-right-trial_1_s": "22.46",
            "a-plan": "Keep running easy",
        },
    )

    response = therapist_client.post(_edit(draft.pk), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="300"' in html and 'value="abc"' in html
    assert "Ensure this value is less than or equal to 220." in html
    assert Assessment.objects.get(pk=draft.pk).plan == "Keep running easy"
    assert SingleLegStance.objects.get(assessment=draft).best_time_s == pytest.approx(22.5)
    assert not Observation.objects.filter(assessment=draft).exists()


def test_autosave_reports_errors_by_input_name(therapist_client, draft):
    data = browser_post(draft, **{"rom-flexion-left-degrees": "170"})

    answer = json.loads(therapist_client.post(_autosave(draft.pk), data).content)

    assert answer["errors"] == {
        "rom-flexion-left-degrees": ["Flexion must be between 0 and 150 degrees, got 170."]
    }


def test_not_tested_with_a_value_is_an_error(therapist_client, draft):
    data = browser_post(draft, **{"rom-flexion-left-degrees": "90", "rom-flexion-left-not_tested": "time"})

    answer = json.loads(therapist_client.post(_autosave(draft.pk), data).content)

    assert answer["errors"] == {
        "rom-flexion-left": ["Either record a result or mark it not tested, not both."]
    }


# Another therapist does not even see the draft (404); a clinic admin reads it but cannot edit it (403).
@pytest.mark.parametrize(("role", "status"), [(Role.THERAPIST, 404), (Role.CLINIC_ADMIN, 403)])
def test_only_the_author_edits_a_draft(client, draft, role, status):
    login_verified(client, UserFactory(role=role))

    assert client.get(_edit(draft.pk)).status_code == status
    assert client.post(_edit(draft.pk), browser_post(draft, **{"a-plan": "x"})).status_code == status
    assert client.post(_autosave(draft.pk), browser_post(draft, **{"a-plan": "x"})).status_code == status
    assert Assessment.objects.get(pk=draft.pk).plan == ""


def test_a_signed_assessment_is_not_editable_from_the_pages(therapist_client, draft, therapist):
    signed(draft, therapist)
    data = browser_post(draft, **{"a-plan": "changed"})

    page = therapist_client.get(_edit(draft.pk))
    post = therapist_client.post(_edit(draft.pk), data)
    autosave = therapist_client.post(_autosave(draft.pk), data)

    assert page["Location"] == reverse("assessments:detail", kwargs={"pk": draft.pk})
    assert post.status_code == 302
    assert (autosave.status_code, json.loads(autosave.content)["locked"]) == (409, True)
    assert Assessment.objects.get(pk=draft.pk).plan == ""


def test_sign_from_the_form_lists_what_is_missing(therapist_client, draft):
    response = therapist_client.post(_edit(draft.pk), browser_post(draft, **{"action": "sign"}))

    assert response.status_code == 400
    assert "Give a clinical impression (working diagnosis)." in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).status == "draft"


def test_sign_from_the_form(therapist_client, draft, therapist):
    complete(draft, therapist)

    response = therapist_client.post(_edit(draft.pk), browser_post(draft, **{"action": "sign"}))

    assert response["Location"] == reverse("assessments:detail", kwargs={"pk": draft.pk})
    assessment = Assessment.objects.get(pk=draft.pk)
    assert (assessment.status, assessment.signed_by) == ("signed", therapist)


def test_addendum_from_the_record_page(therapist_client, draft, therapist):
    signed(draft, therapist)

    response = therapist_client.post(
        reverse("assessments:detail", kwargs={"pk": draft.pk}),
        {"text": "Left and right swapped in palpation."},
    )

    assert response.status_code == 302
    page = therapist_client.get(reverse("assessments:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "Left and right swapped in palpation." in page
    assert "Terry Therapist" in page


def test_pages_showing_an_assessment_are_audited(therapist_client, draft, therapist, patient):
    for name in ("assessments:edit", "assessments:detail"):
        therapist_client.get(reverse(name, kwargs={"pk": draft.pk}))

    rows = AccessEvent.objects.filter(patient_id=patient.pk).order_by("pk")
    assert [(r.view_name, r.object_label, r.user) for r in rows] == [
        ("assessments:edit", "assessments.assessment", therapist),
        ("assessments:detail", "assessments.assessment", therapist),
    ]
