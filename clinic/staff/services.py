"""Operations on staff accounts that change state: second factor and sign-in lockout."""

import math

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.choices import SecurityEventKind
from clinic.audit.security import security_event_record
from clinic.staff.models import User
from clinic.staff.twofactor import DEVICE_NAME

WRONG_CODE = "That code is not right. Enter the current 6-digit code from your authenticator app."


def twofactor_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the set-up page shows (created once).

    Side effects: creates an unconfirmed TOTPDevice on first call.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def twofactor_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the pending device with a code from the app; it is then the user's only device.

    Refused (ValidationError) if the user already has a confirmed device: a
    second device must never be addable by someone who knows only the password.
    Side effects: marks the device confirmed (and its code used), deletes any
    other unconfirmed devices.
    """
    with transaction.atomic():
        # Lock the user row so two confirmations cannot both succeed.
        User.objects.select_for_update().get(pk=user.pk)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError("Two-factor authentication is already set up for this account.")
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        )
        if device is None:
            raise ValidationError("Start set-up again: the set-up code has expired.")
        _check_allowed(device)
        verified = device.verify_token(token)
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    # Raised outside the transaction so the failure count (throttling) is kept.
    if not verified:
        raise ValidationError(WRONG_CODE, code="invalid")
    return device


def twofactor_verify(*, user: User, token: str) -> TOTPDevice:
    """Check a sign-in code against the user's confirmed device.

    TOTPDevice refuses a code from a time step at or before the last accepted
    one (last_t), so a code works once; the row is locked while checking so
    two requests cannot both use it. Wrong codes slow further attempts down
    (django-otp throttling: 1 s, 2 s, 4 s, ... after each failure).
    Side effects: updates last_t, drift and the throttle counters.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        )
        if device is None:
            raise ValidationError("Set up two-factor authentication first.")
        _check_allowed(device)
        verified = device.verify_token(token)
    # Raised outside the transaction so the failure count (throttling) is kept.
    if not verified:
        raise ValidationError(WRONG_CODE, code="invalid")
    return device


def twofactor_reset(*, user: User) -> int:
    """Remove the user's authenticator devices (lost phone); they set up again at next sign-in.

    Returns the number of devices removed.
    """
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    return count


def signin_unlock(*, user: User) -> int:
    """Clear failed sign-in attempts for the user's email (every IP address).

    Returns the number of lockout records removed. Clearing any is written to
    the security log (who unlocked whom, from the request being answered).
    """
    removed = axes_reset(username=user.email)
    if removed:
        security_event_record(
            kind=SecurityEventKind.UNLOCK, user=user, detail=f"{removed} failed-attempt record(s) cleared"
        )
    return removed


def _check_allowed(device: TOTPDevice) -> None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        wait = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        raise ValidationError(
            f"Too many wrong codes. Wait {wait} second{'' if wait == 1 else 's'}, then try again.",
            code="throttled",
        )
    raise ValidationError(WRONG_CODE, code="invalid")
