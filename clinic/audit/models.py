import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AccessActor(models.TextChoices):
    """Who read the record: a member of staff, or the patient through one of their links."""

    STAFF = "staff", "Staff"
    PATIENT = "patient", "Patient (emailed link)"
    PATIENT_STAFF_LINK = "patient_staff_link", "Patient (link issued by staff)"


class AccessEvent(models.Model):
    """One staff request that showed (or exported) a patient's record.

    Append-only: the database refuses UPDATE and DELETE on this table. The
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
        ]
        indexes = [
            # A patient's access report, newest first.
            models.Index(fields=["patient_id", "-occurred_at"], name="audit_accessevent_patient"),
            # The audit screen filtered by user, newest first.
            models.Index(fields=["user", "-occurred_at"], name="audit_accessevent_user"),
            # The audit screen unfiltered or by date range.
            models.Index(fields=["-occurred_at"], name="audit_accessevent_occurred"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.view_name} patient {self.patient_id} by user {self.user_id} at {self.occurred_at:%Y-%m-%d %H:%M}"
