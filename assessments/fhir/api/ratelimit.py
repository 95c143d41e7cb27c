"""Calls per API client per minute (FHIR_API_RATE_PER_MINUTE), counted in the shared cache.

A fixed window of one clock minute: the count's key names the client and the
minute, and lapses with it. A client past the limit is told how many seconds
remain until the next minute (Retry-After).
"""

import time

from django.conf import settings
from django.core.cache import cache


def rate_check(client_id: int, *, now: float | None = None) -> int | None:
    """Count one call of client `client_id`; None when allowed, else the seconds to wait."""
    now = time.time() if now is None else now
    minute = int(now // 60)
    key = f"fhir-api-rate:{client_id}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the key lapsed between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= settings.FHIR_API_RATE_PER_MINUTE:
        return None
    return max(1, 60 - int(now % 60))
