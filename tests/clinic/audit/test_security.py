"""Security events: one row per sign-in, failure, lockout, unlock, password, two-factor, role and export event."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.choices import SecurityEventKind as Kind
from clinic.audit.models import SecurityEvent
from clinic.staff.choices import Role
from clinic.staff.roles import role_group
from clinic.staff.services import (
    signin_unlock,
    twofactor_device_confirm,
    twofactor_device_pending,
    twofactor_reset,
)
from tests.clinic.logins import login_verified, password_login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Vivid-Lantern-Orbit-2026"
CLINIC_ZONE = ZoneInfo(settings.CLINIC_TIME_ZONE)


def _events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


def _no_secret_anywhere(*secrets: str) -> None:
    for row in SecurityEvent.objects.values():
        for value in row.values():
            for secret in secrets:
                assert secret not in str(value)


def test_sign_in_is_recorded_with_address_and_request(client):
    user = UserFactory(email="lena@stride.test", role=Role.FRONT_DESK)

    response = password_login(client, "lena@stride.test")

    assert response.status_code == 302
    (event,) = _events(Kind.SIGN_IN)
    assert (event.user, event.actor, event.ip) == (user, user, "127.0.0.1")
    assert str(event.request_id) == response["X-Request-ID"]
    _no_secret_anywhere(PASSWORD)


def test_failed_sign_in_names_the_account_and_never_the_password(client):
    user = UserFactory(email="lena@stride.test", role=Role.FRONT_DESK)

    password_login(client, "Lena@Stride.test ", "wrong-password-123")
    # A password typed into the email box is not kept.
    password_login(client, "my secret passphrase", "wrong-password-123")

    first, second = _events(Kind.SIGN_IN_FAILED)
    assert (first.user, first.username, first.actor) == (user, "lena@stride.test", None)
    assert (second.user, second.username) == (None, "")
    _no_secret_anywhere("wrong-password-123", "my secret passphrase")


def test_lockout_is_recorded_once(client):
    user = UserFactory(email="lena@stride.test", role=Role.THERAPIST)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_login(client, "lena@stride.test", "wrong-password-123")

    (event,) = _events(Kind.LOCKOUT)
    assert (event.user, event.username, event.ip) == (user, "lena@stride.test", "127.0.0.1")
    assert len(_events(Kind.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT


def test_unlock_is_recorded_when_failures_are_cleared(client):
    user = UserFactory(email="lena@stride.test", role=Role.THERAPIST)
    password_login(client, "lena@stride.test", "wrong-password-123")

    signin_unlock(user=user)
    signin_unlock(user=user)  # nothing left to clear: no second row

    (event,) = _events(Kind.UNLOCK)
    assert (event.user, event.detail) == (user, "1 failed-attempt record(s) cleared")


def test_password_change_is_recorded_by_the_user(client):
    user = UserFactory(role=Role.FRONT_DESK)
    login_verified(client, user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    (event,) = _events(Kind.PASSWORD_CHANGE)
    assert (event.user, event.actor, event.detail) == (user, user, "password_change")
    assert _events(Kind.PASSWORD_RESET) == []
    user.refresh_from_db()
    _no_secret_anywhere(NEW_PASSWORD, user.password)


def test_password_reset_is_recorded_as_a_reset(client):
    user = UserFactory(role=Role.FRONT_DESK)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    (event,) = _events(Kind.PASSWORD_RESET)
    assert (event.user, event.actor, event.ip) == (user, user, "127.0.0.1")
    assert _events(Kind.PASSWORD_CHANGE) == []
    _no_secret_anywhere(NEW_PASSWORD, token)


def test_a_new_account_records_no_password_change():
    UserFactory()

    assert _events(Kind.PASSWORD_CHANGE) == []


def test_twofactor_enrolment_is_recorded():
    user = UserFactory(role=Role.CLINIC_ADMIN)
    device = twofactor_device_pending(user=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"

    twofactor_device_confirm(user=user, token=code)

    (event,) = _events(Kind.TWOFACTOR_ENROL)
    assert (event.user, event.actor, event.detail) == (user, user, "Authenticator app")
    _no_secret_anywhere(device.key, code)


def test_twofactor_reset_is_recorded_per_confirmed_device():
    user = UserFactory(role=Role.CLINIC_ADMIN)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    TOTPDevice.objects.create(user=user, name="Abandoned set-up", confirmed=False)

    twofactor_reset(user=user)

    (event,) = _events(Kind.TWOFACTOR_RESET)
    assert (event.user, event.actor, event.detail) == (user, None, "Phone")


def test_twofactor_reset_from_the_admin_names_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    login_verified(client, admin)
    member = UserFactory(role=Role.FRONT_DESK)
    TOTPDevice.objects.create(user=member, name="Phone", confirmed=True)

    client.post("/admin/staff/user/", {"action": "reset_twofactor", "_selected_action": [member.pk]})

    (event,) = _events(Kind.TWOFACTOR_RESET)
    assert (event.user, event.actor) == (member, admin)


def test_role_changes_are_recorded_from_either_side():
    user = UserFactory()
    desk, physio = role_group(Role.FRONT_DESK), role_group(Role.THERAPIST)

    user.groups.add(desk)
    physio.user_set.add(user)
    user.groups.remove(desk)
    user.groups.clear()

    rows = [(e.kind, e.user_id, e.detail) for e in SecurityEvent.objects.order_by("pk")]
    assert rows == [
        (Kind.ROLE_ADDED, user.pk, desk.name),
        (Kind.ROLE_ADDED, user.pk, physio.name),
        (Kind.ROLE_REMOVED, user.pk, desk.name),
        (Kind.ROLE_REMOVED, user.pk, physio.name),
    ]


def test_patient_export_is_recorded(clinic_admin_client, clinic_admin, patient):
    before = len(_events(Kind.EXPORT))

    response = clinic_admin_client.get(reverse("patients:export", args=[patient.pk]))

    assert response.status_code == 200
    events = _events(Kind.EXPORT)
    assert len(events) == before + 1
    assert (events[-1].user, events[-1].actor, events[-1].detail) == (
        clinic_admin,
        clinic_admin,
        f"patients:export patient {patient.pk}",
    )


def test_viewing_a_record_is_not_an_export(clinic_admin_client, patient):
    clinic_admin_client.get(reverse("patients:detail", args=[patient.pk]))

    assert _events(Kind.EXPORT) == []


# --- The security log page (/audit/security/) ----------------------------------------------------


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=CLINIC_ZONE)


@pytest.fixture
def logged(make_user):
    alice = make_user(Role.FRONT_DESK, full_name="Alice Desk")
    bob = make_user(Role.THERAPIST, full_name="Bob Physio")
    made = {
        "a_in": SecurityEvent.objects.create(kind=Kind.SIGN_IN, user=alice, actor=alice, occurred_at=_at(1)),
        "b_fail": SecurityEvent.objects.create(
            kind=Kind.SIGN_IN_FAILED, user=bob, username="bob@stride.test", occurred_at=_at(10, 23)
        ),
        "b_role": SecurityEvent.objects.create(
            kind=Kind.ROLE_ADDED, user=bob, actor=alice, detail="Therapist", occurred_at=_at(20)
        ),
    }
    return {**made, "alice": alice, "bob": bob}


def _listed(response, logged) -> list[int]:
    ours = {e.pk for e in logged.values() if isinstance(e, SecurityEvent)}
    return [event.pk for event in response.context["page"] if event.pk in ours]


def test_security_log_filters_by_kind(clinic_admin_client, logged):
    response = clinic_admin_client.get(reverse("audit:security_log"), {"kind": Kind.SIGN_IN_FAILED})

    assert response.status_code == 200
    assert [e.kind for e in response.context["page"]] == [Kind.SIGN_IN_FAILED]
    assert "Bob Physio" in response.content.decode()


def test_security_log_filters_by_account_or_actor(clinic_admin_client, logged):
    response = clinic_admin_client.get(reverse("audit:security_log"), {"user": logged["alice"].pk})

    assert _listed(response, logged) == [logged["b_role"].pk, logged["a_in"].pk]


def test_security_log_filters_by_whole_local_days(clinic_admin_client, logged):
    response = clinic_admin_client.get(
        reverse("audit:security_log"), {"date_from": "2026-03-10", "date_to": "2026-03-10"}
    )

    assert [e.pk for e in response.context["page"]] == [logged["b_fail"].pk]


def test_security_log_keeps_a_bad_filter_with_its_error(clinic_admin_client, logged):
    response = clinic_admin_client.get(
        reverse("audit:security_log"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )

    assert list(response.context["page"]) == []
    page = response.content.decode()
    assert "The end date is before the start date." in page
    assert 'value="2026-03-10"' in page


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST])
def test_security_log_is_for_clinic_admins_only(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("audit:security_log")).status_code == 403


def test_security_log_queries_do_not_grow_with_rows(clinic_admin_client, make_user):
    url = reverse("audit:security_log")

    def queries_with(rows: int) -> int:
        for n in range(rows):
            member = make_user(Role.FRONT_DESK, full_name=f"Member {rows}-{n}")
            SecurityEvent.objects.create(kind=Kind.SIGN_IN, user=member, actor=make_user(Role.CLINIC_ADMIN))
        with CaptureQueriesContext(connection) as captured:
            assert clinic_admin_client.get(url).status_code == 200
        return len(captured)

    clinic_admin_client.get(url)  # session and role caches warm
    one = queries_with(1)
    three_more = queries_with(3)

    assert three_more == one


def test_the_admin_lists_security_events_read_only(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    login_verified(client, admin)
    event = SecurityEvent.objects.create(kind=Kind.LOCKOUT, username="x@stride.test")

    listing = client.get(reverse("admin:audit_securityevent_changelist"))
    delete = client.post(reverse("admin:audit_securityevent_delete", args=[event.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert "x@stride.test" in listing.content.decode()
    assert delete.status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
