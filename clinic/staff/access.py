"""The one access mechanism for staff pages.

Every view declares who may open it: `@staff_view(Role.X, ...)` for staff
pages, `@public_view` for the few pages reached without an account (patient
links, health check, login), `@token_view` for machine endpoints that check
an API token themselves (the FHIR API). RoleRequiredMiddleware enforces the
declaration and refuses (403) any view that declares nothing, so a forgotten
decorator fails closed and the URL-walking test names the view.
"""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.views.decorators.csrf import csrf_exempt

from clinic.staff.choices import Role

V = TypeVar("V", bound=Callable[..., object])

ROLES_ATTR = "stride_roles"
MACHINE_ATTR = "stride_token_authenticated"


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


def token_view(view: V) -> V:
    """A machine endpoint that authenticates each request by its own API token.

    Not a staff page and not a public one: no session sign-in, second factor or
    role applies (the staff middleware steps aside), no CSRF token (nothing
    rides on a cookie), and the view itself refuses a request without a valid
    token. Use only for the API clients a clinic admin creates.
    """
    wrapped = csrf_exempt(view)
    setattr(wrapped, MACHINE_ATTR, True)
    return login_not_required(wrapped)  # type: ignore[return-value]


def view_is_token_authenticated(view: Callable[..., object]) -> bool:
    return getattr(view, MACHINE_ATTR, False) is True


def view_roles(view: Callable[..., object]) -> frozenset[str] | None:
    return getattr(view, ROLES_ATTR, None)


def view_is_public(view: Callable[..., object]) -> bool:
    # Django marks login_not_required views (its own login and password-reset
    # views among them) with login_required = False; public_view uses the same.
    # Token views are exempt from the sign-in too, but they are not public.
    return getattr(view, "login_required", True) is False and not view_is_token_authenticated(view)


ALL_STAFF = (Role.CLINIC_ADMIN, Role.THERAPIST, Role.FRONT_DESK)
CLINICAL = (Role.CLINIC_ADMIN, Role.THERAPIST)


# --- Record access: rules above the role, checked where every staff read of a record passes ---

RecordGuard = Callable[[HttpRequest, int], None]
_RECORD_GUARDS: list[RecordGuard] = []


class RecordAccessRefused(PermissionDenied):
    """A role that may open the page, refused this patient's record by a rule (the care team).

    A PermissionDenied, so anything that does not know the rule still answers 403;
    the rule's own middleware turns it into the page that explains what to do.
    """

    def __init__(self, patient_id: int) -> None:
        super().__init__(f"Record {patient_id} is outside the care team.")
        self.patient_id = patient_id


def record_guard_register(guard: RecordGuard) -> None:
    """Add a rule that may refuse a staff read of a patient's record (raise RecordAccessRefused)."""
    if guard not in _RECORD_GUARDS:
        _RECORD_GUARDS.append(guard)


def record_access_check(request: HttpRequest, patient_id: int) -> None:
    """Run every registered rule for this request's read of patient `patient_id`'s record.

    Called by the audit before it records a staff read, so no read is
    recorded (or shown) that the rules refuse. Checked once per request.
    """
    checked: set[int] = getattr(request, "_stride_record_checked", set())
    if patient_id in checked:
        return
    for guard in _RECORD_GUARDS:
        guard(request, patient_id)
    checked.add(patient_id)
    request._stride_record_checked = checked  # type: ignore[attr-defined]
