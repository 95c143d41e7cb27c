import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clinic.staff.access import view_is_public, view_roles


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
        if view_is_public(view_func):
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
