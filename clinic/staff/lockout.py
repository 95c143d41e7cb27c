"""Sign-in lockout (django-axes) hooks named in settings."""

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The email address as it is stored (trimmed, lower case).

    Emails are stored in lower case, so "Ada@clinic" and "ada@clinic" are the
    same account and must share one failure count (AXES_USERNAME_CALLABLE).
    """
    value = credentials.get("username") if credentials else getattr(request, "POST", {}).get("username")
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None
