"""Recording reads of patient records (the AccessEvent half of the audit trail)."""

import ipaddress
import uuid

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from clinic.audit.models import AccessActor, AccessEvent

# The patient's own record: what an access is about when no other object is given.
PATIENT_LABEL = "patients.patient"
_RECORDED_ATTR = "_audit_access_event"


def access_record(
    *,
    request: HttpRequest,
    patient_id: int,
    obj: models.Model | None = None,
    actor: str = AccessActor.STAFF,
) -> AccessEvent:
    """Record that this request showed patient `patient_id`'s record (or `obj` of it).

    At most one row per request: a second call in the same request returns
    the first row and writes nothing (and the table's unique request id makes
    the database refuse a second row anyway). Without `obj` the access is to
    the patient's own record. `actor` says whether staff or the patient (by
    link) read it.
    """
    recorded = getattr(request, _RECORDED_ATTR, None)
    if recorded is not None:
        return recorded
    if obj is None:
        label, pk = PATIENT_LABEL, str(patient_id)
    else:
        label, pk = obj._meta.label_lower, str(obj.pk)
    request_id = getattr(request, "request_id", None)
    if request_id is None:  # outside RequestIdMiddleware (e.g. a RequestFactory request)
        request_id = uuid.uuid4()
        request.request_id = request_id  # type: ignore[attr-defined]  # what RequestIdMiddleware sets
    user = getattr(request, "user", None)
    match = request.resolver_match
    event = AccessEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        patient_id=int(patient_id),
        actor=actor,
        object_label=label,
        object_pk=pk,
        view_name=match.view_name if match is not None else request.path[:200],
        ip=client_ip(request),
        request_id=request_id,
    )
    setattr(request, _RECORDED_ATTR, event)
    return event


def client_ip(request: HttpRequest) -> str | None:
    """The client's address from AUDIT_CLIENT_IP_META (REMOTE_ADDR unless a proxy sets another).

    Behind a reverse proxy, set AUDIT_CLIENT_IP_META to the META key of a header
    the proxy overwrites (e.g. HTTP_X_REAL_IP), never one a client can supply.
    """
    key = getattr(settings, "AUDIT_CLIENT_IP_META", "REMOTE_ADDR")
    value = request.META.get(key, "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
