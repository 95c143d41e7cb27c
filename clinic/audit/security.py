"""Security events: sign-ins, failures, lockouts, unlocks, passwords, two-factor, roles, exports.

`security_event_record()` writes one SecurityEvent row (append-only and
hash-chained, clinic.audit.chain). The receivers below call it from Django's,
django-axes' and django-otp's signals, connected in AuditConfig.ready(), so
every path that changes these things is recorded (the staff pages, the admin
site, management commands). Rows hold no password, token or patient detail.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit.choices import SecurityEventKind
from clinic.audit.middleware import current_request
from clinic.audit.models import SecurityEvent
from clinic.audit.services import client_ip

# The password-reset link's page (clinic.staff urls): a password saved there is a reset.
PASSWORD_RESET_VIEW = "password_reset_confirm"  # noqa: S105 -- a URL name, not a password

_FROM_REQUEST: Any = object()


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def acting_user(request: HttpRequest | None) -> AbstractBaseUser | None:
    user = getattr(request, "user", None) if request is not None else None
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return user


def security_event_record(
    *,
    kind: str,
    user: AbstractBaseUser | None = None,
    actor: AbstractBaseUser | None = _FROM_REQUEST,
    username: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Record one security event about account `user`, done by `actor`.

    `request` defaults to the request being answered (none in a task or a
    management command); it gives the address and request id, and the actor
    when none is given (the signed-in member of staff, else nobody).
    """
    request = request if request is not None else current_request()
    if actor is _FROM_REQUEST:
        actor = acting_user(request)
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        username=username[:254],
        detail=detail[:200],
        ip=client_ip(request) if request is not None else None,
        request_id=getattr(request, "request_id", None) if request is not None else None,
    )


def typed_username(value: object) -> str:
    """The sign-in name as typed, kept only when it looks like an email address.

    A password typed into the wrong box must never reach the log, so anything
    with spaces, without an @ or overly long is left out.
    """
    if not isinstance(value, str):
        return ""
    value = value.strip().lower()
    if "@" not in value or any(c.isspace() for c in value) or len(value) > 254:
        return ""
    return value


def _account(username: str) -> AbstractBaseUser | None:
    if not username:
        return None
    return get_user_model()._default_manager.filter(email=username).first()


# --- Receivers --------------------------------------------------------------------------------


def on_signed_in(sender: type, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: object) -> None:
    security_event_record(kind=SecurityEventKind.SIGN_IN, user=user, actor=user, request=request)


def on_sign_in_failed(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    username = typed_username((credentials or {}).get("username"))
    security_event_record(
        kind=SecurityEventKind.SIGN_IN_FAILED,
        user=_account(username),
        actor=None,
        username=username,
        request=request,
    )


def on_locked_out(
    sender: object,
    request: HttpRequest | None,
    username: str | None,
    ip_address: str | None,
    **kwargs: object,
) -> None:
    username = typed_username(username)
    security_event_record(
        kind=SecurityEventKind.LOCKOUT,
        user=_account(username),
        actor=None,
        username=username,
        request=request,
    )


def on_user_pre_save(
    sender: type, instance: AbstractBaseUser, update_fields: Any = None, **kwargs: object
) -> None:
    """Note whether this save stores a new password (compared with the saved one)."""
    instance._audit_password_changed = False  # type: ignore[attr-defined]
    if instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    saved = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._audit_password_changed = saved is not None and saved != instance.password  # type: ignore[attr-defined]


def on_user_saved(sender: type, instance: AbstractBaseUser, created: bool, **kwargs: object) -> None:
    if created or not getattr(instance, "_audit_password_changed", False):
        return
    instance._audit_password_changed = False  # type: ignore[attr-defined]
    request = current_request()
    match = getattr(request, "resolver_match", None)
    is_reset = match is not None and match.view_name == PASSWORD_RESET_VIEW
    actor = acting_user(request) or (instance if is_reset else None)
    security_event_record(
        kind=SecurityEventKind.PASSWORD_RESET if is_reset else SecurityEventKind.PASSWORD_CHANGE,
        user=instance,
        actor=actor,
        detail="" if match is None else match.view_name[:200],
    )


def on_groups_changed(
    sender: type,
    instance: Any,
    action: str,
    reverse: bool,
    model: type,
    pk_set: set[int] | None,
    **kwargs: object,
) -> None:
    """One event per account and role granted or taken away (either side of the relation)."""
    if action == "pre_clear":
        # clear() names no rows afterwards: remember them now.
        related = instance.user_set if reverse else instance.groups
        instance._audit_cleared = set(related.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    pks = instance.__dict__.pop("_audit_cleared", set()) if action == "post_clear" else set(pk_set or ())
    if not pks:
        return
    kind = SecurityEventKind.ROLE_ADDED if action == "post_add" else SecurityEventKind.ROLE_REMOVED
    others = model._default_manager.filter(pk__in=pks).order_by("pk")
    for other in others:
        user, group = (other, instance) if reverse else (instance, other)
        security_event_record(kind=kind, user=user, detail=group.name)


def on_device_pre_save(sender: type, instance: Any, **kwargs: object) -> None:
    """Note whether this save confirms the device (a finished set-up)."""
    was_confirmed = False
    if instance.pk is not None:
        was_confirmed = bool(
            sender._default_manager.filter(pk=instance.pk).values_list("confirmed", flat=True).first()
        )
    instance._audit_enrolled = bool(instance.confirmed) and not was_confirmed


def on_device_saved(sender: type, instance: Any, **kwargs: object) -> None:
    if getattr(instance, "_audit_enrolled", False):
        instance._audit_enrolled = False
        security_event_record(
            kind=SecurityEventKind.TWOFACTOR_ENROL,
            user=instance.user,
            actor=instance.user,
            detail=str(instance.name)[:200],
        )


def on_device_deleted(sender: type, instance: Any, **kwargs: object) -> None:
    # Unconfirmed devices are abandoned set-ups, not a reset.
    if instance.confirmed:
        security_event_record(
            kind=SecurityEventKind.TWOFACTOR_RESET, user=instance.user, detail=str(instance.name)[:200]
        )


def connect() -> None:
    from axes.signals import user_locked_out  # noqa: PLC0415 -- needs the app registry
    from django.contrib.auth.signals import user_logged_in, user_login_failed  # noqa: PLC0415
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save  # noqa: PLC0415
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415 -- needs the app registry

    user_model = get_user_model()
    user_logged_in.connect(on_signed_in, dispatch_uid="audit_security_sign_in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="audit_security_sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_security_lockout")
    pre_save.connect(on_user_pre_save, sender=user_model, dispatch_uid="audit_security_user_pre_save")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="audit_security_user_saved")
    m2m_changed.connect(
        on_groups_changed, sender=user_model.groups.through, dispatch_uid="audit_security_groups"
    )
    pre_save.connect(on_device_pre_save, sender=TOTPDevice, dispatch_uid="audit_security_device_pre_save")
    post_save.connect(on_device_saved, sender=TOTPDevice, dispatch_uid="audit_security_device_saved")
    post_delete.connect(on_device_deleted, sender=TOTPDevice, dispatch_uid="audit_security_device_deleted")


# --- Reads ------------------------------------------------------------------------------------


def security_events(
    *,
    kind: str | None = None,
    user_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[SecurityEvent]:
    """Security rows, newest first; `user_id` matches the account or whoever acted; whole local days."""
    rows = SecurityEvent.objects.select_related("user", "actor")
    if kind:
        rows = rows.filter(kind=kind)
    if user_id is not None:
        rows = rows.filter(Q(user_id=user_id) | Q(actor_id=user_id))
    if date_from is not None:
        rows = rows.filter(occurred_at__gte=local_midnight(date_from))
    if date_to is not None:
        rows = rows.filter(occurred_at__lt=local_midnight(date_to + timedelta(days=1)))
    return rows.order_by("-occurred_at", "-pk")
