import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from pghistory.models import Context

from clinic.audit.chain import chain_trigger
from clinic.audit.choices import SecurityEventKind
from clinic.audit.tracking import no_truncate


class ChainedRow(models.Model):
    """The hash-chain columns (clinic.audit.chain), filled by a BEFORE INSERT trigger.

    Empty on SQLite, where there are no triggers.
    """

    seq = models.BigIntegerField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # NULL, not "": a row the chain trigger never saw (SQLite, or a bypassed trigger).
    row_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 -- see above

    class Meta:
        abstract = True


class AccessActor(models.TextChoices):
    """Who read the record: a member of staff, the patient through one of their links, or a trusted system."""

    STAFF = "staff", "Staff"
    PATIENT = "patient", "Patient (emailed link)"
    PATIENT_STAFF_LINK = "patient_staff_link", "Patient (link issued by staff)"
    # A system reading by API token (the FHIR API); `client_name` names it.
    API_CLIENT = "api_client", "Trusted system (API token)"


class AccessEvent(ChainedRow):
    """One staff request that showed (or exported) a patient's record.

    Append-only: the database refuses UPDATE, DELETE and TRUNCATE on this
    table, and each row is hash-chained to the one before it. The
    patient is referred to by id only (no foreign key: this app sits below
    `patients`), the object shown by model label and primary key.
    """

    occurred_at = models.DateTimeField(default=timezone.now)
    # PROTECT: a member of staff with audit history is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    patient_id = models.BigIntegerField()
    actor = models.CharField(max_length=20, choices=AccessActor.choices, default=AccessActor.STAFF)
    # The API client's name when `actor` is api_client (no foreign key: the clients live above this app).
    client_name = models.CharField(max_length=100, blank=True, default="")
    object_label = models.CharField(max_length=100, blank=True)
    object_pk = models.CharField(max_length=64, blank=True)
    view_name = models.CharField(max_length=200)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.UUIDField(default=uuid.uuid4)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            # One row per request, whatever a view does (see services.access_record).
            models.UniqueConstraint(fields=["request_id"], name="audit_accessevent_one_per_request"),
            models.CheckConstraint(
                condition=Q(object_pk="") | ~Q(object_label=""),
                name="audit_accessevent_object_has_label",
            ),
            models.CheckConstraint(
                condition=Q(actor__in=AccessActor.values), name="audit_accessevent_actor_valid"
            ),
            # A read by API token names its client; no other read does.
            models.CheckConstraint(
                condition=(Q(actor=AccessActor.API_CLIENT) & ~Q(client_name=""))
                | (~Q(actor=AccessActor.API_CLIENT) & Q(client_name="")),
                name="audit_accessevent_client_named",
            ),
            # The chain's order: one row per place (clinic.audit.chain).
            models.UniqueConstraint(fields=["seq"], name="audit_accessevent_seq_unique"),
        ]
        indexes = [
            # A patient's access report, newest first; the id ends the order, so a
            # page starts after the last row shown (clinic.paging) within the index.
            models.Index(fields=["patient_id", "-occurred_at", "-id"], name="audit_accessevent_patient"),
            # The audit screen filtered by user, newest first.
            models.Index(fields=["user", "-occurred_at", "-id"], name="audit_accessevent_user"),
            # The audit screen unfiltered or by date range.
            models.Index(fields=["-occurred_at", "-id"], name="audit_accessevent_occurred"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            no_truncate(),
            chain_trigger("audit_accessevent"),
        ]

    def __str__(self) -> str:
        return f"{self.view_name} patient {self.patient_id} by user {self.user_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


class SecurityEvent(ChainedRow):
    """One sign-in, failure, lockout, unlock, password, two-factor, role or export event.

    Append-only and hash-chained like AccessEvent. Holds no password, token or
    patient detail: `user` is the account concerned, `actor` who acted (the same
    person, an admin, or nobody for a management command), `username` the
    email address typed at a failed sign-in, `detail` a short note such as a
    role's name or the export's page.
    """

    occurred_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=SecurityEventKind.choices)
    # PROTECT: staff with security history are deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=254, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SecurityEventKind.values), name="audit_securityevent_kind_valid"
            ),
            models.UniqueConstraint(fields=["seq"], name="audit_securityevent_seq_unique"),
        ]
        indexes = [
            # The security log filtered by kind, newest first (the id ends the page order).
            models.Index(fields=["kind", "-occurred_at", "-id"], name="audit_securityevent_kind"),
            # The security log filtered by person: the account concerned, or whoever acted.
            models.Index(fields=["user", "-occurred_at", "-id"], name="audit_securityevent_user"),
            models.Index(fields=["actor", "-occurred_at", "-id"], name="audit_securityevent_actor"),
            # Unfiltered or by date range.
            models.Index(fields=["-occurred_at", "-id"], name="audit_securityevent_occurred"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            no_truncate(),
            chain_trigger("audit_securityevent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user_id or self.username or '-'}) at {self.occurred_at:%Y-%m-%d %H:%M}"


class HistoryContext(Context):
    """pghistory's context rows (who, which URL, which request), guarded in the database.

    pghistory writes a context by upsert: the first tracked change of a request
    inserts the row, and a later one updates its metadata when it has grown
    (a nested context added a key, or the request signed a user in). So UPDATE
    cannot be refused outright; the guard lets metadata gain keys and fill a
    null, and refuses any other change (a value replaced or removed, the id or
    creation time changed), every DELETE and TRUNCATE.
    """

    class Meta:
        proxy = True
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Delete),
            no_truncate(),
            pgtrigger.Trigger(
                name="metadata_grows_only",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                func=(
                    "IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN "
                    "RAISE EXCEPTION 'pghistory context %: id and creation time cannot change', OLD.id; "
                    "END IF; "
                    "IF EXISTS (SELECT 1 FROM jsonb_each(OLD.metadata) AS old_item "
                    "WHERE old_item.value <> 'null'::jsonb "
                    "AND (NEW.metadata -> old_item.key) IS DISTINCT FROM old_item.value) THEN "
                    "RAISE EXCEPTION 'pghistory context %: metadata may gain keys, never change or lose one', OLD.id; "
                    "END IF; "
                    "RETURN NEW;"
                ),
            ),
        ]
