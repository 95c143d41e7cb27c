"""Creating, rotating and revoking API clients; finding the client a token belongs to.

A token is `stride_` and 43 random URL-safe characters (256 bits), shown to the
clinic admin once and never stored: the database keeps its SHA-256 digest,
like the patient links' tokens, and its first characters to tell tokens apart.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.fhir.api.scopes import scope_problems
from assessments.fhir.bundle import RESOURCE_TYPES
from assessments.models import FhirClient
from clinic.staff.models import User

TOKEN_PREFIX = "stride_"  # noqa: S105 -- the public start of every token, not a secret  # nosec B105
# How many characters of a token the staff pages show (the prefix and a few more).
SHOWN_CHARS = len(TOKEN_PREFIX) + 6
# last_used_at is written at most this often, so a busy client does not write on every call.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A client with the token just issued to it: the only moment the token exists in clear."""

    client: FhirClient
    token: str


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_digest(token), token[:SHOWN_CHARS]


@transaction.atomic
def fhir_client_create(*, name: str, contact: str, scopes: list[str], by: User) -> IssuedToken:
    """A new client with its first token. Raises ValidationError for a taken name or a bad scope."""
    problems = scope_problems(scopes, RESOURCE_TYPES)
    if problems:
        raise ValidationError({"scopes": problems})
    name = name.strip()
    if FhirClient.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A client of that name exists: the audit trail must tell them apart."})
    token, digest, shown = _new_token()
    client = FhirClient(
        name=name,
        contact=contact.strip(),
        scopes=sorted(set(scopes)),
        token_hash=digest,
        token_prefix=shown,
        created_by=by,
    )
    client.full_clean(validate_constraints=False)
    client.save()
    return IssuedToken(client=client, token=token)


@transaction.atomic
def fhir_client_rotate(*, client: FhirClient, grace: timedelta, by: User) -> IssuedToken:
    """Issue a new token; the current one keeps working for `grace` (none: it stops now).

    A token from an earlier rotation that is still in its grace stops at once:
    only the token just replaced is kept. Raises ValidationError for a revoked client.
    """
    client = FhirClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ValidationError("A revoked client gets no new token; create a new client instead.")
    if grace < timedelta(0):
        raise ValueError("grace cannot be negative")
    now = timezone.now()
    token, digest, shown = _new_token()
    if grace:
        client.previous_token_hash = client.token_hash
        client.previous_token_expires_at = now + grace
    else:
        client.previous_token_hash = ""
        client.previous_token_expires_at = None
    client.token_hash = digest
    client.token_prefix = shown
    client.rotated_at = now
    client.save(
        update_fields=[
            "previous_token_hash",
            "previous_token_expires_at",
            "token_hash",
            "token_prefix",
            "rotated_at",
        ]
    )
    return IssuedToken(client=client, token=token)


@transaction.atomic
def fhir_client_revoke(*, client: FhirClient, by: User) -> FhirClient:
    """Stop every token of the client now, for good. Revoking twice changes nothing."""
    client = FhirClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.previous_token_hash = ""
        client.previous_token_expires_at = None
        client.save(update_fields=["revoked_at", "previous_token_hash", "previous_token_expires_at"])
    return client


def client_for_token(token: str) -> FhirClient | None:
    """The active client `token` belongs to (its current token, or the previous one within its grace)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = token_digest(token)
    now = timezone.now()
    return (
        FhirClient.objects.filter(revoked_at__isnull=True)
        .filter(Q(token_hash=digest) | Q(previous_token_hash=digest, previous_token_expires_at__gt=now))
        .first()
    )


def api_is_on() -> bool:
    """The API answers only while at least one client is active (docs/fhir-api.md)."""
    return FhirClient.objects.filter(revoked_at__isnull=True).exists()


def client_used(*, client: FhirClient) -> None:
    """Note that the client called the API now (at most one write a minute)."""
    now = timezone.now()
    FhirClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
