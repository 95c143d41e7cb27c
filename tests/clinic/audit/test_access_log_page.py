"""The record-access log: found by patient name, pages by their titles, patients by name."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.selectors import PATIENT_MATCHES_MAX
from clinic.navigation import page_title
from tests.factories import AccessEventFactory, PatientFactory
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db


def _listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-event="(\d+)"', response.content.decode())]


@pytest.fixture
def two_robins(clinic_admin):
    robin = PatientFactory(first_name="Robin", last_name="Strider")
    archived = PatientFactory(first_name="Robin", last_name="Oldfield")
    other = PatientFactory(first_name="Jess", last_name="Marlow")
    events = {
        "robin": AccessEventFactory(
            user=clinic_admin, patient_id=robin.pk, view_name="assessments:programme_detail"
        ),
        "other": AccessEventFactory(user=clinic_admin, patient_id=other.pk, view_name="patients:detail"),
        "archived": AccessEventFactory(
            user=clinic_admin, patient_id=archived.pk, view_name="patients:detail"
        ),
    }
    archived.archived_at = timezone.now()
    archived.save(update_fields=["archived_at"])
    return events


def test_access_log_finds_the_access_of_patients_matching_a_name(clinic_admin_client, two_robins):
    response = clinic_admin_client.post(reverse("audit:access_log"), {"patient_name": "robin"})

    e = two_robins
    assert sorted(_listed(response)) == sorted([e["robin"].pk, e["archived"].pk])
    assert "2 patients match the search." in response.content.decode()


def test_access_log_name_search_stays_out_of_the_url(clinic_admin_client, two_robins):
    response = clinic_admin_client.post(reverse("audit:access_log"), {"patient_name": "Strider"})

    assert _listed(response) == [two_robins["robin"].pk]
    assert "patient_name=" not in response.content.decode()


def test_access_log_says_when_no_patient_matches(clinic_admin_client, two_robins):
    response = clinic_admin_client.post(reverse("audit:access_log"), {"patient_name": "Nobody"})

    assert _listed(response) == []
    assert "No patient matches the search." in response.content.decode()


def test_access_log_shows_page_titles_and_patient_names_not_codes(clinic_admin_client, two_robins):
    html = clinic_admin_client.get(reverse("audit:access_log")).content.decode()

    assert "assessments:programme_detail" not in html
    assert "patients:detail" not in html
    assert ">Programme <" in html or ">Programme</td>" in html
    assert "Robin Strider" in html


def test_access_log_caps_a_wide_name_search(clinic_admin_client, clinic_admin):
    for n in range(PATIENT_MATCHES_MAX + 2):
        patient = PatientFactory(last_name=f"Widesearch{n:03d}")
        AccessEventFactory(user=clinic_admin, patient_id=patient.pk)

    response = clinic_admin_client.post(reverse("audit:access_log"), {"patient_name": "widesearch"})

    assert len(_listed(response)) == PATIENT_MATCHES_MAX
    assert f"More than {PATIENT_MATCHES_MAX} patients match" in response.content.decode()


def test_every_route_has_a_title_in_words():
    for route in project_routes():
        title = page_title(route.name)
        assert not re.search(r"\w:\w|_", title), (route.name, title)
    assert page_title("assessments:programme_detail") == "Programme"
    assert page_title("patients:some_new_page") == "Some new page"
