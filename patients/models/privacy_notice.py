"""The clinic's privacy notice, as patients read it before they consent.

The clinic admin writes a new version in the Django admin and publishes it
(sets `published_at`); the newest published one is in force from then on.
A published notice is never edited in place: the version a patient agreed to
is stored with their consent (IntakeResponse.privacy_notice_version), so its
text must stay what they read. With none published, the default shipped with
Stride is in force (patients.intake.selectors.privacy_notice_in_force).
"""

from django.db import models
from django.db.models import Q


class PrivacyNotice(models.Model):
    version = models.CharField(
        max_length=40,
        unique=True,
        help_text="A label patients and exports show, e.g. 2027-01. Use a new one for every change.",
    )
    text = models.TextField(
        help_text="What patients read before they consent. Blank lines start a new paragraph."
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="In force from this time (the newest published notice wins). Leave empty for a draft.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(version=""), name="patients_privacynotice_version_set"),
            models.CheckConstraint(condition=~Q(text=""), name="patients_privacynotice_text_set"),
        ]

    def __str__(self) -> str:
        return f"Privacy notice {self.version}"
