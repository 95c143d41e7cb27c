"""Coded values of the documents slice (stored on rows: never change a value)."""

from django.db import models


class RequestChannel(models.TextChoices):
    """How a patient's access request reached the clinic."""

    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person at the desk"
    PHONE = "phone", "Phone (confirmed in writing)"
    OTHER = "other", "Other"


class DocumentKind(models.TextChoices):
    """A document that can be emailed from the record."""

    DISCHARGE_REPORT = "discharge_report", "Discharge report"


class RecipientKind(models.TextChoices):
    PATIENT = "patient", "The patient"
    REFERRER = "referrer", "The referrer"
