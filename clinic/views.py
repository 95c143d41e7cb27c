"""Frame-level views: the health checks."""

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from clinic.celery import app as celery_app
from clinic.messaging.health import OutboxHealth, outbox_health
from clinic.staff.access import public_view

logger = logging.getLogger(__name__)


@public_view
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and outbox, for load balancers and monitors.

    503 when the database or the broker is unreachable ("unavailable"), or
    when the outbox is past a threshold ("degraded": the dispatcher has not
    run lately, a message is long overdue, attempts are stuck, or too many
    failed). Names no host, setting or patient.
    """
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    reachable = all(checks.values())
    health = _outbox_health() if checks["database"] else None
    outbox_ok = health is not None and health.ok
    status = "ok" if outbox_ok else "degraded"
    if not reachable:
        status = "unavailable"
    return JsonResponse(
        {
            "status": status,
            **{k: "ok" if v else "down" for k, v in checks.items()},
            "outbox": "ok" if outbox_ok else "degraded",
        },
        status=200 if status == "ok" else 503,
    )


@public_view
@never_cache
def healthz_outbox(request: HttpRequest) -> JsonResponse:
    """The outbox's numbers as JSON (counts and times only); 503 when degraded."""
    health = _outbox_health()
    if health is None:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse(health.as_json(), status=200 if health.ok else 503)


def _outbox_health() -> OutboxHealth | None:
    try:
        return outbox_health()
    except Exception:
        # A failed read counts as degraded; its details go to the log only.
        logger.warning("Outbox health could not be read.", exc_info=True)
        return None


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 -- any failure means "down"; details stay out of the response
        return False
    return True


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 -- as above
        return False
    return True
