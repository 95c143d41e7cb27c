import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from clinic.staff.access import view_is_public, view_is_token_authenticated, view_roles
from clinic.staff.access_snapshot import AccessSnapshot, snapshot_read, snapshot_store
from clinic.staff.models import User
from clinic.staff.sessions import is_passive, session_end_reason, session_touch, wants_json
from clinic.staff.twofactor import policy_requires_twofactor, view_allows_unverified


class RoleRequiredMiddleware:
    """Default-deny: a view opens only to the roles it declares (see access.py).

    Runs after LoginRequiredMiddleware, so anonymous users have already been
    sent to the login page; here a signed-in user without the role gets 403.
    The Django admin keeps its own staff check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., object], view_args: object, view_kwargs: object
    ) -> None:
        if view_is_public(view_func) or view_is_token_authenticated(view_func):
            # A token view refuses a request without a valid token itself (access.token_view).
            return None
        if getattr(view_func, "admin_site", None) is not None or _is_admin_view(request):
            return None
        roles = view_roles(view_func)
        if roles is None:
            raise PermissionDenied("This page declares no role.")
        user = request.user
        if not user.is_authenticated or not user.has_role(*roles):
            raise PermissionDenied("Your role does not give access to this page.")
        return None


def _is_admin_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.app_name == "admin"


class ClinicTimezoneMiddleware:
    """Show times in the clinic's local zone; storage stays UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.CLINIC_TIME_ZONE)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(self.zone):
            return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, the second factor: nothing else opens until it is given.

    Runs after LoginRequiredMiddleware (anonymous users are already on their
    way to the login page) and before RoleRequiredMiddleware. A signed-in user
    who needs a second factor (see twofactor.py) and has not given one in this
    session is sent to the verify page, or to set-up if they have no app yet.
    Public views and views marked `allow_unverified` (set-up, verify, session
    keep-alive) stay open; the Django admin does not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., object], view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if (
            view_is_public(view_func)
            or view_is_token_authenticated(view_func)
            or view_allows_unverified(view_func)
        ):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        has_device = user.has_twofactor_device
        if not has_device and not policy_requires_twofactor(user):
            return None
        target = reverse("twofactor_verify" if has_device else "twofactor_setup")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SessionTimeoutMiddleware:
    """Idle and absolute session limits (see sessions.py).

    Placed after MessageMiddleware so the sign-out message can be stored; its
    work happens before any view middleware runs. A session past either limit
    is ended here, and the request goes on as an anonymous one: protected
    pages then go to the login page (LoginRequiredMiddleware), public ones
    still open. Every request of a signed-in user counts as activity unless it
    carries the passive header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = session_end_reason(request.session)
            if reason is not None:
                logout(request)
                messages.info(request, reason)
                if wants_json(request):
                    # The page script asked; it sends the browser to the login page.
                    return JsonResponse(
                        {"signed_in": False, "login_url": reverse(settings.LOGIN_URL)}, status=401
                    )
            elif not is_passive(request):
                session_touch(request.session)
        return self.get_response(request)


class SnapshotOTPMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`), fed by the session.

    While the session's access snapshot is current (access_snapshot.py), the
    user's roles, "has an authenticator" and the verifying device come from it:
    the device is then loaded only if something reads it. Otherwise django-otp
    checks the device as usual and a new snapshot is kept.
    """

    def _verify_user_sync(self, request: HttpRequest, user: User) -> User:  # type: ignore[override]
        self._init_user_fields(user)
        if not user.is_authenticated:
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) or ""
        snapshot = snapshot_read(request.session, user)
        if snapshot is not None:
            # Plain attributes take the place of the cached properties (through the lazy user).
            user.roles = snapshot.roles
            user.has_twofactor_device = snapshot.has_device
            if persistent_id and persistent_id == snapshot.verified_with:
                user.otp_device = SimpleLazyObject(lambda: self._device_from_persistent_id(persistent_id))
                return user
        device = self._device_from_persistent_id(persistent_id) if persistent_id else None
        user.otp_device = self._finalize_device(request, user, device)
        if user.otp_device is not None:
            user.has_twofactor_device = True
        snapshot_store(
            request.session,
            user,
            AccessSnapshot(
                roles=user.roles,
                has_device=user.has_twofactor_device,
                verified_with=persistent_id if user.otp_device is not None else "",
            ),
        )
        return user
