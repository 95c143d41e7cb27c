"""Privacy safety nets at the frame: response headers and log redaction.

Neither replaces care in the code (views decide what to show, tasks take ids
only); they limit the damage when something slips.
"""

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class PrivacyHeadersMiddleware:
    """Permissions-Policy and `Cache-Control: no-store` on every response Django makes.

    Pages show health data (staff pages) or reach a patient's own forms (patient
    links), so no browser or proxy cache may keep them. Static files are served
    by WhiteNoise, which sits above this middleware and keeps its caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        patch_cache_control(response, no_store=True)
        return response


_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Dates as they are typed or stored: 1990-12-31, 31/12/1990, 31.12.1990, 31-12-1990.
_DATE = re.compile(r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})(?!\d)")


TOKEN_MASK = "[token]"  # noqa: S105 -- the mask itself, not a secret
# Any URL-safe path segment of 20 characters or more: link tokens are 43, reset tokens
# about 39; the app's own ids are numbers and its fixed paths short words.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{20,}(?=[/?#\s]|$)")
_TOKEN_QUERY = re.compile(r"(?P<key>(?:^|[?&;])[^=&;\s]*token[^=&;\s]*=)[^&;\s]*", re.IGNORECASE)


def mask_tokens(text: str) -> str:
    """The text (a request line, path, query or URL) with every link token replaced.

    Used by the app's log filter and by gunicorn's access log (compose/gunicorn.conf.py):
    anyone who read a log could otherwise open the patient's link.
    """
    return _TOKEN_QUERY.sub(lambda m: m.group("key") + TOKEN_MASK, _TOKEN_SEGMENT.sub(TOKEN_MASK, text))


def redact(text: str) -> str:
    """Mask email addresses, date-like strings (dates of birth) and link tokens in `text`."""
    return mask_tokens(_DATE.sub("[date]", _EMAIL.sub("[email]", text)))


class RedactPHIFilter(logging.Filter):
    """A logging filter that masks email addresses, dates and link tokens in messages and tracebacks.

    A safety net for the handlers: no log line should carry a patient's
    contact details or date of birth even if a message or an exception
    (e.g. an IntegrityError detail) happens to include them. Timestamps that
    the formatter adds are not touched; dates inside messages are.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 -- a broken format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
