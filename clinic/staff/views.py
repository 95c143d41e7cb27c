import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff.access import ALL_STAFF, staff_view
from clinic.staff.choices import Role
from clinic.staff.forms import StaffPasswordResetForm, TokenForm
from clinic.staff.lockout import reset_request_allowed
from clinic.staff.services import (
    signin_unlock,
    twofactor_device_confirm,
    twofactor_device_pending,
)
from clinic.staff.services import twofactor_verify as twofactor_verify_code
from clinic.staff.sessions import duration_text, session_times, session_touch, wants_json
from clinic.staff.twofactor import (
    allow_unverified,
    confirmed_device,
    policy_requires_twofactor,
    qr_code_svg,
    secret_for_display,
)

logger = logging.getLogger(__name__)


@staff_view(*ALL_STAFF)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its landing page."""
    user = request.user
    if Role.CLINIC_ADMIN in user.roles or user.is_superuser:
        return redirect("messaging:outbox")
    if Role.THERAPIST in user.roles:
        return redirect("patients:my_day")
    return redirect("patients:today")


def _next_url(request: HttpRequest) -> str:
    """The `next` page if it is a path on this site, else home.

    Only a path ("/…"): redirect() would take any other bare word for a view name.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _complete_second_factor(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    # A new session key once the user is fully signed in (session fixation).
    request.session.cycle_key()


@staff_view(*ALL_STAFF)
@allow_unverified
@never_cache
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if confirmed_device(user) is not None:
        if user.is_verified():
            messages.info(request, "Two-factor authentication is already set up.")
            return redirect(_next_url(request))
        # Already enrolled: the code is asked for, never a second app.
        return redirect(f"{reverse('twofactor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = twofactor_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor_device_confirm(user=user, token=form.cleaned_data["otp_token"])
        except ValidationError as error:
            form.add_error("otp_token", error)
        else:
            _complete_second_factor(request, device)
            messages.success(
                request, "Two-factor authentication is on. You will be asked for a code at each sign-in."
            )
            return redirect(_next_url(request))
    return render(
        request,
        "staff/twofactor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device),
            "secret": secret_for_display(device),
            "next": _next_url(request),
            "required": policy_requires_twofactor(user),
        },
    )


@staff_view(*ALL_STAFF)
@allow_unverified
@never_cache
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step: a code from the user's authenticator app."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if confirmed_device(user) is None:
        if not policy_requires_twofactor(user):
            return redirect(_next_url(request))
        return redirect(f"{reverse('twofactor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor_verify_code(user=user, token=form.cleaned_data["otp_token"])
        except ValidationError as error:
            form.add_error("otp_token", error)
        else:
            _complete_second_factor(request, device)
            return redirect(_next_url(request))
    return render(request, "staff/twofactor_verify.html", {"form": form, "next": _next_url(request)})


@staff_view(*ALL_STAFF)
@allow_unverified
@never_cache
@require_http_methods(["GET", "POST"])
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """GET: time left in this session. POST: extend it (the request itself is the activity).

    Sign-out when time has run out happens in SessionTimeoutMiddleware, before
    this view. Without JavaScript the warning's button posts here and returns
    to the page.
    """
    if request.method == "POST":
        session_touch(request.session, force=True)
        if not wants_json(request):
            return redirect(_next_url(request))
    times = session_times(request.session)
    return JsonResponse(
        {
            "signed_in": True,
            "idle_remaining": max(0, times.idle_remaining),
            "absolute_remaining": max(0, times.absolute_remaining),
        }
    )


class StaffPasswordResetView(auth_views.PasswordResetView):
    """Email a single-use link (valid PASSWORD_RESET_TIMEOUT) to an active account.

    The page says the same whether or not the address has an account. Links use
    SITE_URL, not the request's Host header. The email names no patient and no
    clinical detail, only the link.
    """

    template_name = "staff/password_reset_form.html"
    form_class = StaffPasswordResetForm
    subject_template_name = "emails/password-reset-subject.txt"
    email_template_name = "emails/password-reset-body.txt"
    html_email_template_name = "emails/password-reset-body.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not reset_request_allowed(self.request, form.cleaned_data["email"]):
            # Past the hourly limit: the same page as ever, and no email.
            logger.warning("Password-reset request over the hourly limit; no email sent.")
            return redirect(self.get_success_url())
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "clinic_name": settings.CLINIC_NAME,
            "clinic_phone": settings.CLINIC_PHONE,
            "clinic_email": settings.CLINIC_EMAIL,
            "valid_for": duration_text(settings.PASSWORD_RESET_TIMEOUT),
        }
        return super().form_valid(form)


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link; ends every session and clears lockouts."""

    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # Proven control of the mailbox: failed sign-ins before the reset no longer count.
        signin_unlock(user=form.user)
        return response
