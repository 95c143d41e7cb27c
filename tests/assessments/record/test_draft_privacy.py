"""A draft is its author's: another therapist neither opens nor sees it; clinic admins do; a signed record is everyone's."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.record.selectors import draft_visible_to, patient_assessments
from clinic.audit.models import AccessEvent
from clinic.staff.choices import Role
from tests.factories import AssessmentFactory, PatientFactory, SignedAssessmentFactory
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(make_user):
    return make_user(Role.THERAPIST, full_name="Ada Author")


@pytest.fixture
def colleague(make_user):
    return make_user(Role.THERAPIST, full_name="Cole League")


@pytest.fixture
def record(author):
    patient = PatientFactory(first_name="Dana", last_name="Draft")
    signed = SignedAssessmentFactory(patient=patient, therapist=author)
    draft = AssessmentFactory(patient=patient, therapist=author, kind="reassessment")
    return patient, signed, draft


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_therapist_cannot_open_a_draft_by_any_of_its_urls(colleague, record):
    _patient, _signed, draft = record
    client = _client(colleague)

    responses = [
        client.get(reverse("assessments:detail", args=[draft.pk])),
        client.get(reverse("assessments:edit", args=[draft.pk])),
        client.get(reverse("assessments:summary", args=[draft.pk])),
        client.post(reverse("assessments:autosave", args=[draft.pk]), {"version": draft.version}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert AccessEvent.objects.filter(object_pk=str(draft.pk)).count() == 0


def test_the_author_and_a_clinic_admin_open_the_draft(author, clinic_admin_client, record):
    _patient, _signed, draft = record

    mine = _client(author).get(reverse("assessments:detail", args=[draft.pk]))
    admin = clinic_admin_client.get(reverse("assessments:detail", args=[draft.pk]))

    assert (mine.status_code, admin.status_code) == (200, 200)


def test_a_signed_assessment_is_open_to_every_therapist_of_the_care_team(colleague, record):
    patient, signed, _draft = record
    url = reverse("assessments:detail", args=[signed.pk])

    outside = _client(colleague).get(url)
    treat(colleague, patient)
    inside = _client(colleague).get(url)

    # Outside the care team: the break-the-glass page (tests/patients/careteam).
    assert (outside.status_code, inside.status_code) == (403, 200)


def test_the_patient_hub_lists_a_colleagues_draft_only_to_its_author_and_admins(
    author, colleague, clinic_admin, record
):
    patient, signed, draft = record
    own_draft = AssessmentFactory(patient=patient, therapist=colleague, kind="reassessment")

    seen = {
        name: [a.pk for a in patient_assessments(patient, viewer=user)]
        for name, user in (("author", author), ("colleague", colleague), ("admin", clinic_admin))
    }
    page = _client(colleague).get(reverse("patients:detail", args=[patient.pk])).content.decode()

    assert sorted(seen["author"]) == sorted([signed.pk, draft.pk])
    assert sorted(seen["colleague"]) == sorted([signed.pk, own_draft.pk])
    assert sorted(seen["admin"]) == sorted([signed.pk, draft.pk, own_draft.pk])
    assert reverse("assessments:detail", args=[draft.pk]) not in page
    assert reverse("assessments:detail", args=[signed.pk]) in page
    assert (draft_visible_to(draft, colleague), draft_visible_to(signed, colleague)) == (False, True)
