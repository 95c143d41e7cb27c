"""A document emailed from the record (the discharge report to the patient or the referrer)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.documents.choices import DocumentKind, RecipientKind
from assessments.models.base import choice_valid
from clinic.audit.tracking import audit_tracked


@audit_tracked
class DocumentSend(models.Model):
    """A document emailed from the record: what, to which address, by whom (its outbox row sends it)."""

    programme = models.ForeignKey("assessments.Programme", on_delete=models.PROTECT, related_name="sends")
    document = models.CharField(max_length=20, choices=DocumentKind.choices)
    recipient = models.CharField(max_length=10, choices=RecipientKind.choices)
    to_email = models.EmailField("to")
    # The address was typed (twice) rather than taken from the patient's record.
    typed = models.BooleanField(default=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    message = models.ForeignKey(
        "messaging.ScheduledMessage", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            choice_valid(
                "assessments_documentsend_document_valid", "document", DocumentKind.values, blank=False
            ),
            choice_valid(
                "assessments_documentsend_recipient_valid", "recipient", RecipientKind.values, blank=False
            ),
        ]
        indexes = [models.Index(fields=["programme", "-created_at"], name="assessments_docsend_programme")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_document_display()} to {self.get_recipient_display().lower()}"
