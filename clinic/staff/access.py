"""The one access mechanism for staff pages.

Every view declares who may open it: `@staff_view(Role.X, ...)` for staff
pages, `@public_view` for the few pages reached without an account (patient
links, health check, login). RoleRequiredMiddleware enforces the declaration
and refuses (403) any view that declares nothing, so a forgotten decorator
fails closed and the URL-walking test names the view.
"""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_not_required

from clinic.staff.choices import Role

V = TypeVar("V", bound=Callable[..., object])

ROLES_ATTR = "stride_roles"


def staff_view(*roles: Role) -> Callable[[V], V]:
    """Allow signed-in staff holding any of `roles` (clinic admins hold all)."""
    if not roles:
        raise ValueError("staff_view needs at least one role.")

    def decorate(view: V) -> V:
        setattr(view, ROLES_ATTR, frozenset(roles))
        return view

    return decorate


def public_view(view: V) -> V:
    """Reachable without signing in. Use only for patient links, login and health."""
    return login_not_required(view)


def view_roles(view: Callable[..., object]) -> frozenset[str] | None:
    return getattr(view, ROLES_ATTR, None)


def view_is_public(view: Callable[..., object]) -> bool:
    # Django marks login_not_required views (its own login and password-reset
    # views among them) with login_required = False; public_view uses the same.
    return getattr(view, "login_required", True) is False


ALL_STAFF = (Role.CLINIC_ADMIN, Role.THERAPIST, Role.FRONT_DESK)
CLINICAL = (Role.CLINIC_ADMIN, Role.THERAPIST)
