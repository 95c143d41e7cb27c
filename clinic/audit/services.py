"""Recording reads of patient records (the AccessEvent half of the audit trail)."""

import uuid

from django.db import models
from django.http import HttpRequest

from clinic.audit.models import AccessActor, AccessEvent
from clinic.staff.access import record_access_check
from clinic.staff.models import User

# The one client address of every per-address limit and the audit trail (CLIENT_IP_META);
# patients.links imports it from here.
from clinic.web import client_ip

__all__ = ["PATIENT_LABEL", "access_record", "access_record_offline", "client_ip"]

# The patient's own record: what an access is about when no other object is given.
PATIENT_LABEL = "patients.patient"
_RECORDED_ATTR = "_audit_access_event"


def access_record(
    *,
    request: HttpRequest,
    patient_id: int,
    obj: models.Model | None = None,
    actor: str = AccessActor.STAFF,
    client_name: str = "",
) -> AccessEvent:
    """Record that this request showed patient `patient_id`'s record (or `obj` of it).

    At most one row per request: a second call in the same request returns
    the first row and writes nothing (and the table's unique request id makes
    the database refuse a second row anyway). Without `obj` the access is to
    the patient's own record. `actor` says whether staff or the patient (by
    link) or a trusted system (by API token, named by `client_name`) read it.
    """
    if (actor == AccessActor.API_CLIENT) != bool(client_name):
        raise ValueError("An API client's read names the client; no other read does.")
    recorded = getattr(request, _RECORDED_ATTR, None)
    if recorded is not None:
        return recorded
    if actor == AccessActor.STAFF:
        # Every staff read of a record passes here: the rules above the role (the
        # care team) are enforced at the point the read is recorded, so none escapes.
        record_access_check(request, int(patient_id))
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
        client_name=client_name,
        object_label=label,
        object_pk=pk,
        view_name=match.view_name if match is not None else request.path[:200],
        ip=client_ip(request),
        request_id=request_id,
    )
    setattr(request, _RECORDED_ATTR, event)
    return event


def access_record_offline(
    *,
    patient_id: int,
    view_name: str,
    user: User | None = None,
    obj: models.Model | None = None,
) -> AccessEvent:
    """Record that a process outside any request (a management command's export) read a record.

    One row per call, with no address; `view_name` names the process (e.g.
    "manage.py fhir_export") and `user` the member of staff it ran for, when
    given. The actor is staff: only someone with the clinic's server runs it.
    """
    if obj is None:
        label, pk = PATIENT_LABEL, str(patient_id)
    else:
        label, pk = obj._meta.label_lower, str(obj.pk)
    return AccessEvent.objects.create(
        user=user,
        patient_id=int(patient_id),
        actor=AccessActor.STAFF,
        object_label=label,
        object_pk=pk,
        view_name=view_name[:200],
        ip=None,
        request_id=uuid.uuid4(),
    )
