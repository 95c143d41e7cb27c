"""Receivers connected in StaffConfig.ready()."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff.access_snapshot import access_changed
from clinic.staff.lockout import lockout_notify
from clinic.staff.models import TwoFactorDevice, User
from clinic.staff.sessions import session_start


def start_session_clocks(sender: type, request: HttpRequest, user: User, **kwargs: object) -> None:
    """Every sign-in (staff login page, admin login) starts the idle and absolute clocks.

    A receiver rather than a LoginView hook because login() runs from several
    places and a re-login by the same user keeps the session's old data.
    """
    if request is not None and hasattr(request, "session"):
        session_start(request.session)


def roles_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: object
) -> None:
    """A role granted or taken away, from either side of the relation: those sessions read afresh."""
    if action == "pre_clear":
        # clear() names no rows afterwards: bump now (a bump too many only costs a re-read).
        access_changed(instance.user_set.values_list("pk", flat=True) if reverse else [instance.pk])
    elif action in {"post_add", "post_remove"}:
        access_changed((pk_set or ()) if reverse else [instance.pk])


def role_group_changed(sender: type, instance: Group, **kwargs: object) -> None:
    """Roles are read by group name: renaming or deleting a group changes its members' roles."""
    if instance.pk is not None:
        access_changed(instance.user_set.values_list("pk", flat=True))


def device_changed(sender: type, instance: TOTPDevice, **kwargs: object) -> None:
    """An authenticator added, confirmed, used or removed: the user's sessions check it again."""
    access_changed([instance.user_id])


def connect() -> None:
    m2m_changed.connect(roles_changed, sender=User.groups.through, dispatch_uid="stride_roles_changed")
    post_save.connect(role_group_changed, sender=Group, dispatch_uid="stride_role_group_saved")
    pre_delete.connect(role_group_changed, sender=Group, dispatch_uid="stride_role_group_deleted")
    for device_model in (TOTPDevice, TwoFactorDevice):
        post_save.connect(
            device_changed, sender=device_model, dispatch_uid=f"stride_{device_model.__name__}_saved"
        )
        post_delete.connect(
            device_changed, sender=device_model, dispatch_uid=f"stride_{device_model.__name__}_deleted"
        )
    user_logged_in.connect(start_session_clocks, dispatch_uid="stride_start_session_clocks")
    # Each new sign-in lockout emails the clinic admins.
    user_locked_out.connect(lockout_notify, dispatch_uid="stride_lockout_notify")
