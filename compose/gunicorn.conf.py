"""gunicorn settings of the production image (the Dockerfile's CMD: gunicorn -c compose/gunicorn.conf.py).

The access log never holds a patient link's token: a token in a URL path
(/patients/intake/<token>/, /clinical/p/<token>/, /unsubscribe/<token>/, the
password-reset link) or in a `token=` query parameter is written as "[token]".
Anyone who read the log could otherwise open the link.
"""

import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# Client, time, request line (masked), status, bytes, milliseconds, user agent and the
# request id that ties the line to the audit trail. No Referer: it can hold a link too.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'

MASK = "[token]"
# Any URL-safe path segment of 20 characters or more: link tokens are 43, reset tokens
# about 39; the app's own ids are numbers and its fixed paths short words.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{20,}(?=[/?#\s]|$)")
_TOKEN_QUERY = re.compile(r"(?P<key>(?:^|[?&;])[^=&;\s]*token[^=&;\s]*=)[^&;\s]*", re.IGNORECASE)


def mask_tokens(text: str) -> str:
    """The text (a request line, path, query or URL) with every link token replaced."""
    return _TOKEN_QUERY.sub(lambda m: m.group("key") + MASK, _TOKEN_SEGMENT.sub(MASK, text))


class TokenMaskingLogger(Logger):
    """gunicorn's logger, with link tokens masked in every access-log value."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = TokenMaskingLogger
