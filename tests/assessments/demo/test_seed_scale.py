"""`manage.py seed_scale`: the demo clinic grown to a clinic group, in proportion, once."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from assessments.demo.scale.people import DOMAIN
from assessments.models import Assessment, CheckIn, Programme, StrengthTest
from clinic.audit.models import AccessEvent
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.staff.models import Location, TherapistProfile, User
from patients.models import Appointment, Patient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

N = 300


def _scale_counts() -> dict[str, int]:
    scale = {"patient__email__endswith": f"@{DOMAIN}"}
    return {
        "patients": Patient.all_objects.filter(email__endswith=f"@{DOMAIN}").count(),
        "appointments": Appointment.objects.filter(**scale).count(),
        "assessments": Assessment.objects.filter(**scale).count(),
        "programmes": Programme.objects.filter(**scale).count(),
        "checkins": CheckIn.objects.filter(programme__patient__email__endswith=f"@{DOMAIN}").count(),
        "messages": ScheduledMessage.objects.filter(to_email__endswith=f"@{DOMAIN}").count(),
        "access_events": AccessEvent.objects.filter(
            patient_id__in=Patient.all_objects.filter(email__endswith=f"@{DOMAIN}").values("pk")
        ).count(),
    }


def _overlaps(column: str) -> int:
    """Pairs of occupying visits of one therapist (or patient) that overlap: the exclusion constraints' rule."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM patients_appointment a JOIN patients_appointment b "  # noqa: S608 -- fixed column names
            f"ON a.{column} = b.{column} AND a.id < b.id "
            "AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at) "
            "WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def demo_clinic(demo_module):
    """The demo clinic, loaded once for this module."""


def test_seed_scale_grows_the_demo_clinic_in_proportion_once(demo_clinic):
    call_command("seed_scale", patients=100, stdout=io.StringIO())
    first = set(Patient.all_objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", flat=True))
    out = io.StringIO()

    call_command("seed_scale", patients=N, stdout=out)

    counts = _scale_counts()
    assert counts["patients"] == N
    assert 2.5 * N <= counts["appointments"] <= 3.5 * N
    assert 1.0 * N <= counts["assessments"] <= 1.5 * N
    assert 0.25 * N <= counts["programmes"] <= 0.55 * N
    assert 4 * counts["programmes"] <= counts["checkins"] <= 9 * counts["programmes"]
    assert 8 * N <= counts["messages"] <= 12 * N
    assert 8 * N <= counts["access_events"] <= 12 * N
    assert TherapistProfile.objects.count() == 25
    assert Location.objects.count() == 5
    # A larger N adds the difference, keeping the patients already made.
    assert "+200 patients" in out.getvalue()
    assert first <= set(
        Patient.all_objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", flat=True)
    )
    # Every signed copy has its findings, and some messages are due for the dispatcher.
    assert StrengthTest.objects.filter(assessment__patient__email__endswith=f"@{DOMAIN}").exists()
    assert ScheduledMessage.objects.filter(
        to_email__endswith=f"@{DOMAIN}", status=MessageStatus.PENDING, due_at__lte=timezone.now()
    ).exists()
    assert Appointment.objects.filter(patient__email__endswith=f"@{DOMAIN}", status="booked").exists()

    call_command("seed_scale", patients=N, stdout=io.StringIO())

    assert _scale_counts() == counts


def test_seed_scale_keeps_every_rule_and_the_main_pages_answer(demo_clinic):
    call_command("seed_scale", patients=N, stdout=io.StringIO())

    assert _overlaps("therapist_id") == 0
    assert _overlaps("patient_id") == 0
    call_command("audit_verify", stdout=io.StringIO())  # raises CommandError on a broken chain
    scale = f"@{DOMAIN}"
    for row in (
        *Patient.all_objects.filter(email__endswith=scale).order_by("?")[:20],
        *Appointment.objects.filter(patient__email__endswith=scale).order_by("?")[:20],
        *Assessment.objects.filter(patient__email__endswith=scale).order_by("?")[:20],
        *Programme.objects.filter(patient__email__endswith=scale).order_by("?")[:20],
        *ScheduledMessage.objects.filter(to_email__endswith=scale).order_by("?")[:20],
    ):
        row.full_clean()
    client = Client()
    client.force_login(User.objects.get(email="desk@stride.example"))
    patient = Patient.objects.filter(email__endswith=scale).order_by("pk").first()

    pages = ["/patients/today/", "/patients/", f"/patients/{patient.pk}/"]

    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
