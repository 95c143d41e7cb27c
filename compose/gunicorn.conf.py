"""gunicorn settings of the production image (the Dockerfile's CMD: gunicorn -c compose/gunicorn.conf.py).

The access log never holds a patient link's token: a token in a URL path
(/patients/intake/<token>/, /clinical/p/<token>/, /unsubscribe/<token>/, the
password-reset link) or in a `token=` query parameter is written as "[token]".
Anyone who read the log could otherwise open the link.
"""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

# The project's own rule for what a token looks like (clinic/privacy.py), shared with the
# app's log filter; the config is read before gunicorn puts the project on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from clinic.privacy import mask_tokens

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# Client, time, request line (masked), status, bytes, milliseconds, user agent and the
# request id that ties the line to the audit trail. No Referer: it can hold a link too.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'


class TokenMaskingLogger(Logger):
    """gunicorn's logger, with link tokens masked in every access-log value."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = TokenMaskingLogger
