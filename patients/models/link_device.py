"""The one-time code of a patient link on a new browser, and the browsers it verified.

A code row is about one link row of a portal ("intake": IntakeLinkToken,
"programme": assessments' ProgrammeLink), referred to by (portal, link_pk) so
this app needs no import of the app above it. Neither table holds a secret:
the code is kept as an HMAC, a browser as the SHA-256 of its random id.
"""

from django.db import models
from django.db.models import Q


class LinkCode(models.Model):
    """A 6-digit code emailed after a passed identity check on a browser not yet verified.

    The code itself is made when its email is rendered (`code_hash` empty
    until then) and works LINK_CODE_MINUTES from then; LINK_CODE_MAX_TRIES
    wrong codes end it (`ended_at`), as does a newer code or its use.
    """

    portal = models.CharField(max_length=20)
    link_pk = models.BigIntegerField()
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(failed_tries__lte=50), name="patients_linkcode_tries_bounded"),
            models.CheckConstraint(
                condition=Q(code_hash="") | Q(issued_at__isnull=False, expires_at__isnull=False),
                name="patients_linkcode_code_has_times",
            ),
        ]
        indexes = [
            # The resend limit: the codes of one link in the last hour.
            models.Index(fields=["portal", "link_pk", "created_at"], name="patients_linkcode_link"),
        ]

    def __str__(self) -> str:
        return f"Link code {self.pk}"


class LinkDevice(models.Model):
    """A browser that proved, by a one-time code, that it is the patient's (until `expires_at`).

    The browser keeps a random id in a signed, HttpOnly cookie; only its
    SHA-256 is stored, per patient, so later openings of any of the patient's
    links on that browser skip the code.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    device_hash = models.CharField(max_length=64)
    verified_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-verified_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "device_hash"], name="patients_linkdevice_one_per_browser"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("verified_at")),
                name="patients_linkdevice_expires_after_verification",
            ),
        ]

    def __str__(self) -> str:
        return f"Link device {self.pk}"
