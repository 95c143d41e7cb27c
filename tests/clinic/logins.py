"""Signing staff in for tests of pages behind the second factor."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def password_login(client: Client, email: str, password: str = PASSWORD, **extra: object):
    """Post the sign-in form (the first step, before any second factor); returns the response."""
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def login_verified(client: Client, user: object) -> Client:
    """force_login, plus a confirmed authenticator in the session when django-otp is on.

    Clinic admins must give a second factor before any page opens; this is what
    a completed TOTP step leaves in the session (django_otp.login()).
    """
    client.force_login(user)
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Test authenticator", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
