"""The role × URL matrix, generated from the URL conf so new views are covered."""

import pytest
from django.conf import settings
from django.urls import reverse

from clinic.staff.access import view_is_public, view_is_token_authenticated, view_roles
from clinic.staff.choices import Role
from tests.clinic.logins import login_verified
from tests.factories import UserFactory
from tests.urlwalk import project_routes

ROUTES = project_routes()
# The only pages reachable without an account. Adding one here is a privacy decision.
PUBLIC = {
    "healthz",
    "healthz_outbox",
    "login",
    "logout",
    "patients:intake_start",
    "patients:intake_check",
    "patients:intake_code",
    "patients:intake_resume",
    "patients:intake_review",
    "patients:intake_submit",
    "patients:intake_step",
    "patients:intake_autosave",
    "patients:intake_done",
    "assessments:checkin_start",
    "assessments:checkin_check",
    "assessments:checkin_code",
    "assessments:checkin_home",
    "assessments:checkin_week",
    "assessments:checkin_autosave",
    "assessments:checkin_outcome",
    "assessments:checkin_leave",
    "assessments:checkin_exercise_sheet",
    # An exercise's image or video, for the programme link's session (its exercises only).
    "assessments:checkin_exercise_media",
    # The patient's training log, on the programme link's session (its rows only).
    "assessments:training_log",
    "assessments:training_run",
    "assessments:training_run_edit",
    "assessments:training_run_delete",
    "assessments:training_session",
    "assessments:training_session_delete",
    "assessments:training_body",
    "assessments:training_shoes",
    "assessments:training_shoe_retire",
    "assessments:training_settings",
    # Importing runs from the watch: upload, preview and confirm on the same bound session.
    "assessments:training_import",
    "assessments:training_import_preview",
    "assessments:training_import_cancel",
    "assessments:training_timeline_patient",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The opt-out link of a non-essential email: one patient, one category, signed.
    "messaging:unsubscribe",
    # Online booking: free times are public; a patient's details are shown only after the
    # emailed code, to the browser that gave it.
    "book:locations",
    "book:types",
    "book:slots",
    "book:choose",
    "book:waitlist_start",
    "book:details",
    "book:code",
    "book:confirm",
    "book:done",
    # A patient's own visit by its emailed manage link (one token, one appointment; nothing clinical),
    # a waitlist offer by its emailed claim link, and joining the waitlist once the booking pages verified
    # the patient (the session says whom).
    "manage:manage",
    "manage:cancel",
    "manage:reschedule",
    "manage:waitlist",
    "waitlist:offer",
    "waitlist:join",
}
# Machine endpoints that check an API token themselves (access.token_view): neither staff pages nor public.
TOKEN = {
    "fhir:metadata",
    "fhir:patient_read",
    "fhir:patient_everything",
    "fhir:search",
    "fhir:read",
    "fhir:unknown",
}
ROLES = [Role.CLINIC_ADMIN, Role.THERAPIST, Role.FRONT_DESK]
STAFF_ROUTES = [r for r in ROUTES if r.name not in PUBLIC | TOKEN]


def test_every_view_declares_roles_or_is_public():
    undeclared = [
        r.name
        for r in ROUTES
        if view_roles(r.view) is None
        and not view_is_public(r.view)
        and not view_is_token_authenticated(r.view)
    ]
    assert undeclared == []


def test_public_views_are_exactly_the_expected_ones():
    assert {r.name for r in ROUTES if view_is_public(r.view)} == PUBLIC


def test_token_views_are_exactly_the_expected_ones():
    assert {r.name for r in ROUTES if view_is_token_authenticated(r.view)} == TOKEN
    assert all(view_roles(r.view) is None for r in ROUTES if r.name in TOKEN)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in TOKEN], ids=str)
def test_token_views_refuse_a_request_without_a_token(client, route, clinic_admin):
    from assessments.fhir.clients.services import fhir_client_create

    # With no client the API is off (404); with one, a request without its token is refused (401),
    # a signed-in clinic admin's session included. Never the sign-in page.
    assert client.get(route.url).status_code == 404
    fhir_client_create(name="A system", contact="it@example.test", scopes=["patient/*.read"], by=clinic_admin)
    expected = 200 if route.name == "fhir:metadata" else 401
    assert client.get(route.url).status_code == expected
    login_verified(client, clinic_admin)
    assert client.get(route.url).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=str)
def test_anonymous_is_sent_to_login(client, route):
    response = client.get(route.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


def _allowed(role: Role, route) -> bool:
    roles = view_roles(route.view)
    return role == Role.CLINIC_ADMIN or role in roles


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=str)
def test_role_matrix(client, role, route):
    login_verified(client, UserFactory(role=role))
    response = client.get(route.url)
    if _allowed(role, route):
        # Allowed: the page answers (404 for a sample id, 405 for POST-only), never 403,
        # and a redirect never goes to sign-in or the second-factor pages.
        assert response.status_code in {200, 302, 404, 405}
        if response.status_code == 302:
            assert "/accounts/" not in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=str)
def test_signed_in_user_without_role_is_refused(client, route):
    client.force_login(UserFactory(role=None))
    assert client.get(route.url).status_code == 403


@pytest.mark.django_db
def test_deactivated_user_loses_access(client):
    user = UserFactory(role=Role.FRONT_DESK)
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302


LANDING = {
    Role.CLINIC_ADMIN: "messaging:outbox",
    Role.THERAPIST: "patients:my_day",
    Role.FRONT_DESK: "patients:today",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_home_sends_each_role_to_its_landing_page(client, role):
    login_verified(client, UserFactory(role=role))
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(LANDING[role])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        (Role.FRONT_DESK, ["Today", "Calendar", "Patients"], ["My day", "Programmes", "Outbox"]),
        (Role.THERAPIST, ["My day", "Patients", "Programmes"], ["Today", "Outbox"]),
        (Role.CLINIC_ADMIN, ["Today", "My day", "Calendar", "Patients", "Programmes", "Outbox"], []),
    ],
    ids=["front_desk", "therapist", "clinic_admin"],
)
def test_navigation_per_role(client, role, visible, hidden):
    login_verified(client, UserFactory(role=role))
    response = client.get(reverse("patients:list"))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert [label for label in visible if label in labels] == visible
    assert [label for label in hidden if label in labels] == []


@pytest.mark.django_db
def test_login_with_email_and_password(client):
    UserFactory(email="runner.physio@stride.test", role=Role.THERAPIST)
    response = client.post(
        reverse("login"),
        {"username": "runner.physio@stride.test", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_admin_site_refuses_non_admin_staff(client):
    client.force_login(UserFactory(role=Role.THERAPIST))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
