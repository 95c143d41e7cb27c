"""A patient's request for their record, and what the clinic gave in answer (the access-request pack)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.documents.choices import RequestChannel
from assessments.models.base import choice_valid
from clinic.audit.tracking import audit_tracked


@audit_tracked
class AccessRequest(models.Model):
    """One answered access request: who asked, how and when it arrived, who produced the pack, and its files.

    `files` lists each file given as {"name", "size", "sha256"}, so the clinic can
    later prove what it handed over without keeping a copy of the record.
    Append-only: an answered request is never edited or deleted.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="access_requests")
    requested_by = models.CharField(
        "requested by",
        max_length=200,
        help_text="The patient, or who asked on their behalf and in what role.",
    )
    channel = models.CharField("received by", max_length=12, choices=RequestChannel.choices)
    received_on = models.DateField("date received")
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)
    files = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-produced_at", "-pk"]
        constraints = [
            choice_valid(
                "assessments_accessrequest_channel_valid", "channel", RequestChannel.values, blank=False
            ),
            models.CheckConstraint(
                condition=~Q(requested_by=""),
                name="assessments_accessrequest_has_requester",
                violation_error_message="Say who asked for the record.",
            ),
        ]
        indexes = [
            # The patient's answered requests, newest first (the hub's pack section).
            models.Index(fields=["patient", "-produced_at"], name="assessments_accreq_patient"),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Access request {self.pk} ({self.received_on:%Y-%m-%d})"
