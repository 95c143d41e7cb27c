"""Sign-in and password-reset abuse limits: django-axes hooks named in settings, and the reset limits.

Two sign-in limits, both counted by django-axes in its AccessAttempt table over
the last AXES_COOLOFF_TIME:
- AXES_FAILURE_LIMIT failures for one account from one address lock that pair
  (axes' own rule, AXES_LOCKOUT_PARAMETERS);
- SIGNIN_ADDRESS_FAILURE_LIMIT failures from one address over any accounts lock
  the address (LockoutHandler), so guessing across many accounts is stopped too.

The address is clinic.web.client_ip (CLIENT_IP_META): behind a proxy, the
header the proxy sets, so two clients behind one proxy are counted apart.
Each new lockout emails the clinic admins (lockout_notify).
"""

import hashlib
import logging
import smtplib

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from clinic.dates import format_date
from clinic.staff.roles import clinic_admin_emails
from clinic.web import client_ip

logger = logging.getLogger(__name__)


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The email address as it is stored (trimmed, lower case).

    Emails are stored in lower case, so "Ada@clinic" and "ada@clinic" are the
    same account and must share one failure count (AXES_USERNAME_CALLABLE).
    """
    value = credentials.get("username") if credentials else getattr(request, "POST", {}).get("username")
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from this request's address over every account, within the cool-off."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler plus the address-only limit (AXES_HANDLER)."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(
        self, sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
    ) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_locked(request):
            # What axes does when the pair reaches its limit: the middleware turns
            # this into the lockout page, and the signal tells the clinic admins.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            user_locked_out.send(
                "axes",
                request=request,
                username=lockout_username(request, credentials),
                ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            )


def lockout_notify(
    sender: object,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: object,
) -> None:
    """Email every active clinic admin once per lockout (user_locked_out receiver).

    axes sends the signal again on each attempt during a lockout; the first one
    per address (address lockout) or per account and address within the
    cool-off sends the email. The email names the staff account (only if it
    exists) and the address; never a patient.
    """
    by_address = request is not None and address_locked(request)
    key = f"lockout-notified:{ip_address}" + ("" if by_address else f":{username}")
    if not cache.add(key, 1, timeout=int(settings.AXES_COOLOFF_TIME.total_seconds())):
        return
    user_model = get_user_model()
    recipients = clinic_admin_emails()
    if not recipients:
        return
    known = username is not None and user_model.objects.filter(email=username).exists()
    account = username if known else "an email address that is not a staff account"
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    now = timezone.now()
    at = f"{format_date(now, 'time')} on {format_date(now, 'day_long')}"
    if by_address:
        what = (
            f"Sign-in from address {ip_address or 'unknown'} is paused for {minutes} minutes after "
            f"{settings.SIGNIN_ADDRESS_FAILURE_LIMIT} or more failed sign-ins over several accounts "
            f"(the last for {account})."
        )
        unlock = f"manage.py axes_reset_ip {ip_address}"
    else:
        what = (
            f"Sign-in for {account} from address {ip_address or 'unknown'} is paused for {minutes} "
            f"minutes after {settings.AXES_FAILURE_LIMIT} failed sign-ins."
        )
        unlock = "the “Unlock sign-in” action on Users in the Django admin"
    body = (
        f"{what}\n\nThis happened at {at} ({settings.CLINIC_TIME_ZONE}).\n\n"
        f"If it was a member of staff who forgot their password, they can reset it from the sign-in "
        f"page, or you can unlock sooner with {unlock}. If nobody at the clinic recognises it, "
        f"someone may be guessing passwords: check the failed sign-ins in the Django admin "
        f"(Axes › Access attempts).\n\n{settings.CLINIC_NAME}\n"
    )
    try:
        send_mail(f"{settings.CLINIC_NAME}: sign-in locked", body, None, recipients)
    except (smtplib.SMTPException, OSError):
        # The lockout itself stands; only the notice is lost.
        logger.exception("Could not email the clinic admins about a sign-in lockout.")


# --- Password-reset requests ----------------------------------------------------------------


def _count(key: str) -> int:
    """Add one to an hourly counter in the cache (the first request starts the hour)."""
    cache.add(key, 0, timeout=60 * 60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        return 1


def reset_request_allowed(request: HttpRequest, email: str) -> bool:
    """Count one reset request; False past PASSWORD_RESET_PER_IP_PER_HOUR or _PER_EMAIL_PER_HOUR.

    Both counts go up on every request, whether or not an account has the
    email, so the answer tells nothing about accounts.
    """
    address = client_ip(request) or "unknown"
    mailbox = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_address = _count(f"password-reset:ip:{address}")
    by_email = _count(f"password-reset:email:{mailbox}")
    return (
        by_address <= settings.PASSWORD_RESET_PER_IP_PER_HOUR
        and by_email <= settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR
    )
