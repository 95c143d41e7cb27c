"""Two-factor authentication (TOTP, django-otp): who needs it, and the QR code.

Policy (OWASP ASVS V6.3): clinic admins, superusers and anyone with Django
admin access must use a second factor (STAFF_2FA_ENFORCE_FOR_ADMINS, on by
default); STAFF_2FA_REQUIRED=1 extends that to every role. Whoever has set up
an authenticator app uses it at every sign-in, required or not.

TwoFactorMiddleware sends a signed-in but unverified user who needs the second
factor to the verify page (or to set-up if they have no app yet) before any
other page opens. Views that must stay reachable in between are marked with
`allow_unverified`.
"""

from base64 import b32encode
from collections.abc import Callable
from typing import TypeVar

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff.choices import Role
from clinic.staff.models import User

V = TypeVar("V", bound=Callable[..., object])

ALLOW_UNVERIFIED_ATTR = "stride_allow_unverified"
DEVICE_NAME = "Authenticator app"


def allow_unverified(view: V) -> V:
    """Reachable after the password step, before the second factor."""
    setattr(view, ALLOW_UNVERIFIED_ATTR, True)
    return view


def view_allows_unverified(view: Callable[..., object]) -> bool:
    return getattr(view, ALLOW_UNVERIFIED_ATTR, False) is True


def policy_requires_twofactor(user: User) -> bool:
    """True when the clinic's policy demands a second factor of this user."""
    if settings.STAFF_2FA_REQUIRED:
        return True
    if not settings.STAFF_2FA_ENFORCE_FOR_ADMINS:
        return False
    return user.is_superuser or user.is_staff or Role.CLINIC_ADMIN in user.roles


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def twofactor_required(user: User) -> bool:
    """Policy demands it, or the user has set up an app (then it is always used)."""
    return policy_requires_twofactor(user) or confirmed_device(user) is not None


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (no script, no style)."""
    code = qrcode.QRCode(image_factory=qrcode.image.svg.SvgPathImage, border=4)
    code.add_data(device.config_url)
    image = code.make_image()
    svg = image.get_image()
    svg.set("width", "220")
    svg.set("height", "220")
    svg.set("role", "img")
    svg.set("aria-label", "QR code for your authenticator app")
    # qrcode builds the SVG from the URL we give it; nothing user-typed is in it
    # except the email address, which ElementTree escapes.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 -- generated SVG, escaped by ElementTree  # nosec B308, B703
