"""Request helpers shared by the views of every app (the frame: imports no app)."""

import ipaddress
from typing import overload

from django.conf import settings
from django.http import HttpRequest

# No stored version is negative: a form posted without its version compares as out of date.
STALE_VERSION = -1


@overload
def posted_version(request: HttpRequest) -> int | None: ...
@overload
def posted_version(request: HttpRequest, *, missing: int) -> int: ...


def posted_version(request: HttpRequest, *, missing: int | None = None) -> int | None:
    """The `version` field a form was loaded with, as an int; `missing` when absent or not a number.

    Every caller says what a missing version means: a view saving a versioned
    row passes `missing=STALE_VERSION`, so the save is refused as a conflict
    instead of overwriting changes the form never saw.
    """
    value = request.POST.get("version", "")
    # ASCII digits only ("²".isdigit() is true too), and short enough for an integer column.
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        return missing
    return int(value)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, from the META key named by CLIENT_IP_META; None when it is not an address.

    REMOTE_ADDR unless a proxy stands in front: then the key of a header that proxy
    overwrites on every request (e.g. HTTP_X_REAL_IP), never one a client can supply.
    For a list (X-Forwarded-For) the last entry counts, the one the nearest proxy
    added. Every per-address limit (sign-in, password reset, patient links) and the
    audit trail use this one answer.
    """
    value = request.META.get(settings.CLIENT_IP_META, "")
    if not isinstance(value, str):
        return None
    try:
        return str(ipaddress.ip_address(value.split(",")[-1].strip()))
    except ValueError:
        return None
