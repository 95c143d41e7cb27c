"""A per-address limit on the pages reached by emailed booking links (manage, waitlist offer).

Every request from one client address counts for an hour (the first starts
it); past MANAGE_LINK_REQUESTS_PER_IP_PER_HOUR the pages answer with a
friendly "try later or call us" (429). Counted in the shared cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from clinic.audit.services import client_ip

_PREFIX = "booking-links"
_HOUR = 60 * 60


def _key(request: HttpRequest) -> str:
    return f"{_PREFIX}:{client_ip(request) or 'unknown'}"


def link_requests_exceeded(request: HttpRequest) -> bool:
    """Count this request; True when the address is past the hour's allowance."""
    key = _key(request)
    cache.add(key, 0, timeout=_HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_HOUR)
        count = 1
    return count > settings.MANAGE_LINK_REQUESTS_PER_IP_PER_HOUR
