"""Receivers connected in StaffConfig.ready()."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from clinic.staff.lockout import lockout_notify
from clinic.staff.models import User
from clinic.staff.sessions import session_start


def start_session_clocks(sender: type, request: HttpRequest, user: User, **kwargs: object) -> None:
    """Every sign-in (staff login page, admin login) starts the idle and absolute clocks.

    A receiver rather than a LoginView hook because login() runs from several
    places and a re-login by the same user keeps the session's old data.
    """
    if request is not None and hasattr(request, "session"):
        session_start(request.session)


def connect() -> None:
    user_logged_in.connect(start_session_clocks, dispatch_uid="stride_start_session_clocks")
    # Each new sign-in lockout emails the clinic admins.
    user_locked_out.connect(lockout_notify, dispatch_uid="stride_lockout_notify")
