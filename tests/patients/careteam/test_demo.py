import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinic.staff.models import User
from patients.careteam.selectors import care_team_q
from patients.models import AccessGrant, CareAssignment, Patient
from tests.clinic.logins import login_verified

pytestmark = pytest.mark.django_db


def test_the_demo_shows_an_assignment_and_a_grant_awaiting_review(client, settings):
    settings.DEBUG = True
    call_command("demo_load", stdout=io.StringIO())
    call_command("demo_load", stdout=io.StringIO())  # idempotent
    priya = User.objects.get(email="priya.raman@stride.example")
    assignment = CareAssignment.objects.get(therapist=priya)
    grant = AccessGrant.objects.get(user=priya, reviewed_at__isnull=True)

    login_verified(client, priya)
    assert client.get(reverse("patients:detail", kwargs={"pk": assignment.patient_id})).status_code == 200
    # Sam's other patients are outside Priya's care team.
    untreated = Patient.objects.exclude(care_team_q(priya, field="pk")).first()
    assert untreated is not None
    assert client.get(reverse("patients:detail", kwargs={"pk": untreated.pk})).status_code == 403

    login_verified(client, User.objects.get(email="admin@stride.example"))
    assert f'data-grant="{grant.pk}"' in client.get(reverse("patients:access_grants")).content.decode()
