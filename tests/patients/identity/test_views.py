"""Patient list (search, pages), create, edit and the patient hub."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.identity.views import PAGE_SIZE
from patients.models import Patient
from tests.factories import PatientFactory
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"
HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

FUTURE_DOB = "Date of birth cannot be in the future."
NO_CONTACT = "Give an email address or a phone number so we can reach the patient."
BAD_PHONE = "Enter a phone number of 7 to 15 digits, e.g. 07700 900123 or +44 7700 900123."


def patient_data(**overrides: str) -> dict[str, str]:
    """A complete, valid patient form as a browser posts it."""
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "preferred_name": "",
        "date_of_birth": "1990-12-31",
        "sex": "female",
        "email": "Ada.Lovelace@Example.com",
        "phone": "07700 900777",
        "preferred_contact": "email",
        "address_line1": "1 Analytical Row",
        "address_line2": "",
        "town": "Riverside",
        "postcode": "AB1 2CD",
        "emergency_contact_name": "Charles Babbage",
        "emergency_contact_phone": "07700 900778",
        "emergency_contact_relationship": "Friend",
        "referral_source": "self",
        "referral_detail": "",
        **overrides,
    }


def field_error(field: str, message: str) -> str:
    """A message as crispy-forms renders it under its field."""
    return f'<div id="id_{field}_error" class="invalid-feedback"> <span id="error_1_id_{field}"><strong>{message}</strong></span> </div>'


def listed(response) -> list[str]:
    return [patient.first_name for patient in response.context["page"]]


# --- list: search -------------------------------------------------------------------------


@pytest.fixture
def search_patients(db):
    PatientFactory(
        first_name="Alice",
        last_name="Ashworth",
        date_of_birth=date(1990, 12, 31),
        email="alice.runner@example.com",
        phone="07700 900123",
    )
    PatientFactory(
        first_name="Bruno",
        last_name="Brennan",
        date_of_birth=date(1985, 1, 2),
        email="bruno@trackclub.test",
        phone="+44 7700 900456",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alice", "Bruno"]),
        ("ashw", ["Alice"]),
        ("BRENN", ["Bruno"]),
        ("alice ashworth", ["Alice"]),
        ("31/12/1990", ["Alice"]),
        ("1990-12-31", ["Alice"]),
        ("02/01/1985", ["Bruno"]),
        ("trackclub", ["Bruno"]),
        ("alice.runner@", ["Alice"]),
        ("07700900123", ["Alice"]),
        ("900456", ["Bruno"]),
        ("nobody", []),
    ],
)
def test_patient_list_search(front_desk_client, search_patients, query, expected):
    response = front_desk_client.post(reverse("patients:list"), {"q": query})

    assert response.status_code == 200
    assert listed(response) == expected


def test_patient_list_search_without_match_says_so(front_desk_client, search_patients):
    response = front_desk_client.post(reverse("patients:list"), {"q": "nobody"})

    assert "No patient matches “nobody”." in response.content.decode()


def test_patient_list_paginates_by_25(front_desk_client):
    PatientFactory.create_batch(PAGE_SIZE + 1)

    first = front_desk_client.get(reverse("patients:list"))
    after = first.context["page"].next_after
    second = front_desk_client.get(reverse("patients:list"), {"after": after})

    assert PAGE_SIZE == 25
    assert len(listed(first)) == 25
    assert f'href="?after={after}"' in first.content.decode()
    assert len(listed(second)) == 1
    assert second.context["page"].next_after is None
    assert "First page" in second.content.decode()
    assert set(listed(first)).isdisjoint(listed(second))


@pytest.mark.parametrize("count", [1, 3])
def test_patient_list_query_count_does_not_grow(front_desk_client, django_assert_num_queries, count):
    PatientFactory.create_batch(count)
    front_desk_client.get(reverse("patients:list"))  # warm the session and role caches

    # No COUNT (the page reads one row more instead); the session is not rewritten within its minute.
    with django_assert_num_queries(3):
        response = front_desk_client.get(reverse("patients:list"))

    assert len(listed(response)) == count


# --- create and edit ----------------------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["front_desk_client", "therapist_client"])
def test_patient_create_by_front_desk_and_therapist(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.post(reverse("patients:create"), patient_data())

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])


def test_patient_create_valid_shows_the_hub(front_desk_client):
    response = front_desk_client.post(reverse("patients:create"), patient_data(), follow=True)

    patient = Patient.objects.get()
    content = response.content.decode()
    assert response.redirect_chain == [(reverse("patients:detail", args=[patient.pk]), 302)]
    assert (patient.full_name, patient.date_of_birth, patient.email, patient.phone) == (
        "Ada Lovelace",
        date(1990, 12, 31),
        "ada.lovelace@example.com",
        "07700 900777",
    )
    assert "Ada Lovelace added." in content
    assert "Born 31 Dec 1990" in content
    assert "ada.lovelace@example.com" in content
    assert "07700 900777" in content
    assert "Charles Babbage (Friend) · 07700 900778" in content


def test_patient_create_future_dob_and_no_contact_keeps_the_input(front_desk_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = patient_data(date_of_birth=tomorrow, email="", phone="", town="Ríverside & Co")

    response = front_desk_client.post(reverse("patients:create"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"date_of_birth": [FUTURE_DOB], "email": [NO_CONTACT]}
    # Each message sits under its own field.
    assert field_error("date_of_birth", FUTURE_DOB) in content
    assert field_error("email", NO_CONTACT) in content
    for value in ("Ada", "Lovelace", tomorrow, "1 Analytical Row", "Ríverside &amp; Co", "Charles Babbage"):
        assert f'value="{value}"' in content
    assert Patient.objects.count() == 0


def test_patient_create_invalid_phone_keeps_the_input(front_desk_client):
    data = patient_data(phone="call me maybe")

    response = front_desk_client.post(reverse("patients:create"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"phone": [BAD_PHONE]}
    assert field_error("phone", BAD_PHONE) in content
    for value in ("Ada", "Lovelace", "1990-12-31", "Ada.Lovelace@Example.com", "call me maybe"):
        assert f'value="{value}"' in content
    assert Patient.objects.count() == 0


def test_patient_edit_saves_the_change(therapist_client, therapist):
    patient = PatientFactory(first_name="Ada", last_name="Lovelace", town="Oldtown")
    treat(therapist, patient)
    page = therapist_client.get(reverse("patients:edit", args=[patient.pk]))

    response = therapist_client.post(
        reverse("patients:edit", args=[patient.pk]),
        patient_data(town="Newtown", phone="07700 900999", version=str(patient.version)),
    )

    patient.refresh_from_db()
    assert 'value="Oldtown"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    assert (patient.town, patient.phone) == ("Newtown", "07700 900999")


def test_patient_edit_invalid_input_changes_nothing(front_desk_client):
    patient = PatientFactory(phone="07700 900123")

    response = front_desk_client.post(
        reverse("patients:edit", args=[patient.pk]), patient_data(phone="12", version=str(patient.version))
    )

    patient.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {"phone": [BAD_PHONE]}
    assert 'value="12"' in response.content.decode()
    assert patient.phone == "07700 900123"


# --- hub ------------------------------------------------------------------------------------------


def test_patient_hub_hides_the_clinical_section_from_front_desk(front_desk_client):
    patient = PatientFactory()

    response = front_desk_client.get(reverse("patients:detail", args=[patient.pk]))

    assert response.status_code == 200
    assert 'id="clinical-heading"' not in response.content.decode()


def test_patient_hub_shows_the_clinical_section_to_a_therapist(therapist_client, therapist):
    patient = PatientFactory()
    treat(therapist, patient)

    response = therapist_client.get(reverse("patients:detail", args=[patient.pk]))

    assert response.status_code == 200
    assert 'id="clinical-heading"' in response.content.decode()


def test_patient_hostile_name_is_escaped_on_list_and_hub(front_desk_client):
    patient = PatientFactory(first_name=HOSTILE, last_name="Runner")

    listing = front_desk_client.get(reverse("patients:list")).content.decode()
    hub = front_desk_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()

    assert f"Runner, {HOSTILE_ESCAPED}" in listing
    assert f"{HOSTILE_ESCAPED} Runner" in hub
    assert HOSTILE not in listing
    assert HOSTILE not in hub


def test_patient_search_never_puts_the_query_in_a_url(front_desk_client):
    for index in range(30):
        PatientFactory(last_name="Quagmire", first_name=f"Zeb{index:02d}")

    first = front_desk_client.post(reverse("patients:list"), {"q": "Quagmire"})
    after = first.context["page"].next_after
    response = front_desk_client.post(reverse("patients:list"), {"q": "Quagmire", "after": after})

    page = response.content.decode()
    assert f'name="after" value="{after}"' in first.content.decode()
    assert [p.first_name for p in response.context["page"]] == ["Zeb25", "Zeb26", "Zeb27", "Zeb28", "Zeb29"]
    assert 'method="post"' in page
    assert "Quagmire&" not in page
    assert "q=" not in page
