import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from pghistory.middleware import HistoryMiddleware

REQUEST_ID_HEADER = "X-Request-ID"

# The request being answered, for audit receivers of signals that carry none
# (a password saved, a role granted, a device removed): who acted, from where.
_current_request: ContextVar[HttpRequest | None] = ContextVar("stride_audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread is answering, or None (a Celery task, a management command)."""
    return _current_request.get()


class RequestIdMiddleware:
    """Give each request a fresh UUID (`request.request_id`) and echo it in X-Request-ID.

    The id ties a request's AccessEvent row, its change-history context and
    the logs together. It is always generated here: a client-supplied header
    is not trusted, since access rows are unique per request id.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4()
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = str(request.request_id)
        return response


class AuditHistoryMiddleware(HistoryMiddleware):
    """pghistory's middleware (user and URL on every change event), plus the request id.

    On SQLite (the embedded `make run` default) it steps aside: pghistory
    prefixes each write with PostgreSQL's set_config(), and there are no
    triggers to read it anyway.
    """

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        request_id = getattr(request, "request_id", None)
        context["request_id"] = str(request_id) if request_id else None
        return context

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
