"""Transport and browser-side protections: headers, CSP-clean markup, CSRF and output escaping."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from clinic.staff.access import view_is_token_authenticated
from clinic.staff.choices import Role
from patients.identity.forms import PatientForm
from patients.identity.validators import validate_phone
from patients.models import Patient
from tests.clinic.logins import login_verified
from tests.factories import PatientFactory, UserFactory
from tests.urlwalk import Route, project_routes

pytestmark = pytest.mark.django_db

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


def assert_protective_headers(response) -> None:
    assert _directives(response["Content-Security-Policy"]) == _directives(EXPECTED_CSP)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


# --- Headers -------------------------------------------------------------------------------------


def test_headers_on_a_staff_page(front_desk_client):
    response = front_desk_client.get(reverse("patients:list"))

    assert response.status_code == 200
    assert_protective_headers(response)


def test_headers_on_a_patient_hub(front_desk_client):
    patient = PatientFactory()

    response = front_desk_client.get(reverse("patients:detail", args=[patient.pk]))

    assert_protective_headers(response)


def test_headers_on_the_login_page(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert_protective_headers(response)


@pytest.mark.parametrize("url", ["/patients/", "/no-such-page/"])
def test_headers_on_redirects_and_errors_too(client, url):
    response = client.get(url)

    assert response.status_code in {302, 404}
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "no-store" in response["Cache-Control"]


def test_no_store_is_added_to_a_views_own_cache_control(client):
    response = client.get(reverse("healthz"))

    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


# --- CSP-clean markup on every page --------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP (no 'unsafe-inline') would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, _ in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}> at line {self.getpos()[0]}")
        if tag == "a" and (names.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append(f"javascript: URL at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


# Routes whose `pk` is a patient's: walked with a real patient so the page renders.
PATIENT_PK_ROUTES = {"patients:detail", "patients:edit", "patients:access_report", "patients:export"}


def _url_for(route: Route, patient: Patient) -> str:
    if route.name in PATIENT_PK_ROUTES:
        return reverse(route.name, kwargs={"pk": patient.pk})
    return route.url


def test_finder_spots_inline_code():
    html = '<script>x()</script><p style="color:red" onclick="y()"><script src="/s.js"></script><style>p{}</style>'

    assert len(inline_code(html)) == 4


def test_no_inline_script_or_style_on_any_page(client, clinic_admin):
    patient = PatientFactory(
        preferred_name="Pip",
        address_line1="1 High Street",
        emergency_contact_name="Kim",
        emergency_contact_phone="07700 900999",
        referral_detail="Dr Who",
    )
    login_verified(client, clinic_admin)
    rendered, problems = [], {}

    for route in project_routes():
        if route.name == "logout":
            continue
        response = client.get(_url_for(route, patient))
        if not response["Content-Type"].startswith("text/html") or not response.content:
            continue
        rendered.append(route.name)
        found = inline_code(response.content.decode())
        if found:
            problems[route.name] = found

    assert problems == {}
    assert {"patients:list", "patients:detail", "patients:edit", "audit:access_log"} <= set(rendered)


def test_no_inline_code_on_the_login_page(client):
    assert inline_code(client.get(reverse("login")).content.decode()) == []


def test_no_inline_code_on_form_errors(front_desk_client):
    response = front_desk_client.post(reverse("patients:create"), {"first_name": ""})

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


# --- CSRF ----------------------------------------------------------------------------------------


def test_every_url_refuses_a_post_without_csrf_token(clinic_admin):
    patient = PatientFactory()
    client = login_verified(Client(enforce_csrf_checks=True), clinic_admin)
    accepted = {}

    for route in project_routes():
        response = client.post(_url_for(route, patient), {"anything": "1"})
        if view_is_token_authenticated(route.view):
            # A token view reads no cookie, so needs no CSRF token; the FHIR API refuses every POST (405).
            if response.status_code != 405:
                accepted[route.name] = response.status_code
            continue
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted[route.name] = response.status_code

    assert accepted == {}
    assert Patient.all_objects.get(pk=patient.pk).archived_at is None


def test_anonymous_post_without_token_is_refused_on_login(client):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "a@b.test", "password": "x"})

    assert response.status_code == 403


# --- XSS: free text is stored as typed and shown escaped ---------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "</td></tr><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
]


def _free_text_fields() -> list[str]:
    """PatientForm's plain text inputs (not email, not choices, not validated phone numbers)."""
    return [
        name
        for name, field in PatientForm().fields.items()
        if type(field) is forms.CharField and validate_phone not in Patient._meta.get_field(name).validators
    ]


def test_the_free_text_fields_are_the_expected_ones():
    assert set(_free_text_fields()) == {
        "first_name",
        "last_name",
        "preferred_name",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "emergency_contact_name",
        "emergency_contact_relationship",
        "referral_detail",
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_free_text_field_are_saved_and_escaped(client, patient_form_data, payload):
    fields = _free_text_fields()
    form = PatientForm()
    data = {
        **patient_form_data,
        "emergency_contact_phone": "07700 900789",
        **{name: payload[: form.fields[name].max_length] for name in fields},
    }
    client.force_login(UserFactory(role=Role.FRONT_DESK))

    created = client.post(reverse("patients:create"), data, follow=True)

    assert created.status_code == 200
    patient = Patient.objects.get(email=patient_form_data["email"])
    assert {name: getattr(patient, name) for name in fields} == {name: data[name] for name in fields}
    pages = {
        "hub": created.content.decode(),
        "list": client.get(reverse("patients:list")).content.decode(),
        "edit": client.get(reverse("patients:edit", args=[patient.pk])).content.decode(),
    }
    for page_name, html in pages.items():
        raw = {data[name] for name in fields if "<" in data[name] or '"' in data[name] or "'" in data[name]}
        leaked = [value for value in raw if value in html]
        assert leaked == [], page_name
        assert inline_code(html) == [], page_name
    assert escape(data["last_name"]) in pages["hub"]
    assert escape(data["last_name"]) in pages["list"]
    assert escape(data["referral_detail"]) in pages["hub"]
