"""The whole-clinic programme dashboard lists only the patients of the viewer's care team."""

import pytest
from django.urls import reverse

from clinic.staff.choices import Role
from tests.clinic.logins import login_verified
from tests.factories import ProgrammeFactory, UserFactory
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db


def test_all_programmes_means_those_of_the_care_team(client, clinic_admin):
    mine, covered, other = (ProgrammeFactory() for _ in range(3))
    viewer = mine.therapist
    treat(viewer, covered.patient)
    url = reverse("assessments:programme_list") + "?all=1"

    login_verified(client, viewer)
    shown = {row.programme.pk for row in client.get(url).context["rows"]}
    login_verified(client, clinic_admin)
    shown_to_admin = {row.programme.pk for row in client.get(url).context["rows"]}

    assert shown == {mine.pk, covered.pk}
    assert shown_to_admin == {mine.pk, covered.pk, other.pk}


def test_a_therapist_without_patients_sees_an_empty_dashboard(client):
    ProgrammeFactory()
    login_verified(client, UserFactory(role=Role.THERAPIST))
    response = client.get(reverse("assessments:programme_list") + "?all=1")
    assert list(response.context["rows"]) == []
