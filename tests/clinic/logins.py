"""Signing staff in for tests of pages behind the second factor."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def password_login(client: Client, email: str, password: str = PASSWORD, **extra: object):
    """Post the sign-in form (the first step, before any second factor); returns the response."""
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def mark_verified(client: Client, user: object) -> None:
    """Leave in the session what a completed TOTP step and a first page leave.

    That is django_otp.login()'s device id and the access snapshot the first
    signed-in page takes (clinic/staff/access_snapshot.py), so a test's first
    request costs what every later one does. Tests of the snapshot itself
    remove it first.
    """
    if "django_otp" not in settings.INSTALLED_APPS:
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.staff.access_snapshot import AccessSnapshot, snapshot_store
    from clinic.staff.models import User

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    fresh = User.objects.get(pk=device.user_id)
    snapshot_store(
        session, fresh, AccessSnapshot(roles=fresh.roles, has_device=True, verified_with=device.persistent_id)
    )
    session.save()


def login_verified(client: Client, user: object) -> Client:
    """force_login, past the second factor (every member of staff gives one by default).

    Under pytest every Client.force_login does this (tests/conftest.py): a forced
    login stands for a member of staff who has signed in fully. Tests of the
    sign-in steps themselves post the forms (password_login, the verify page).
    """
    client.force_login(user)
    mark_verified(client, user)
    return client


def install_verified_force_login() -> None:
    """Make Client.force_login also complete the second factor (called once from conftest)."""
    original = Client.force_login
    if getattr(original, "stride_verified", False):
        return

    def force_login(self: Client, user: object, backend: str | None = None) -> None:
        original(self, user, backend)
        mark_verified(self, user)

    force_login.stride_verified = True  # type: ignore[attr-defined]
    Client.force_login = force_login  # type: ignore[method-assign]
