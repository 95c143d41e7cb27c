"""Systems the clinic trusts to read records over the FHIR API, and their tokens (assessments.fhir.api)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.audit.tracking import audit_tracked

# A SHA-256 digest in lower-case hex: what is stored of a token (the token itself is shown once).
SHA256_HEX = r"^[0-9a-f]{64}$"


@audit_tracked(exclude=["token_hash", "previous_token_hash", "last_used_at"])
class FhirClient(models.Model):
    """One trusted system (a GP practice's software, a sports physician's records) and its API token.

    Only the token's SHA-256 digest is kept (`token_hash`) with its first
    characters (`token_prefix`) to tell tokens apart on the staff pages. A
    rotation moves the current digest to `previous_token_hash`, which keeps
    working until `previous_token_expires_at` (the grace a clinic admin
    chose, possibly none). A revoked client is refused whatever token it
    shows; it is never deleted (the audit trail names it). `scopes` holds
    SMART-style read scopes (`patient/*.read`, `patient/Observation.read`);
    assessments.fhir.api.scopes reads them.
    """

    name = models.CharField(max_length=100, unique=True, help_text="The system, as the audit trail names it.")
    contact = models.CharField(
        max_length=200,
        help_text="Who to call about this system: a name and an email address or phone number.",
    )
    scopes = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(max_length=16, editable=False)
    previous_token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    previous_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # PROTECT: staff who created a client are deactivated, never deleted.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(token_hash__regex=SHA256_HEX), name="assessments_fhirclient_token_hashed"
            ),
            models.CheckConstraint(
                condition=Q(previous_token_hash="") | Q(previous_token_hash__regex=SHA256_HEX),
                name="assessments_fhirclient_previous_token_hashed",
            ),
            # A previous token works only for a grace that ends.
            models.CheckConstraint(
                condition=Q(previous_token_hash="", previous_token_expires_at__isnull=True)
                | (~Q(previous_token_hash="") & Q(previous_token_expires_at__isnull=False)),
                name="assessments_fhirclient_previous_token_expires",
            ),
            # The token lookup (assessments.fhir.api.auth) finds a previous token by its digest.
            models.UniqueConstraint(
                fields=["previous_token_hash"],
                condition=~Q(previous_token_hash=""),
                name="assessments_fhirclient_previous_token_unique",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="assessments_fhirclient_name_given"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
