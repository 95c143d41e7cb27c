"""The one-time code on a new browser, and the browsers that gave one (patients.links.flow uses them).

After a passed identity check, a browser this patient has not verified gets
a 6-digit code by email (`code_start`, queued in the outbox, due now). The
code is made when the email is rendered (`code_issue`: only an HMAC of it
is stored), works CODE_MINUTES, and CODE_MAX_TRIES wrong codes end it
(`code_verify`); the patient may ask for CODES_PER_LINK_PER_HOUR codes per
link an hour. A right code marks the browser (`device_remember`): a random
id in a signed, HttpOnly, SameSite=Lax cookie, its SHA-256 in LinkDevice for
LINK_DEVICE_DAYS, so later openings of the patient's links there skip it.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinic.messaging.services import About, schedule_message
from patients.messages import PatientMessageKind
from patients.models import LinkCode, LinkDevice, Patient

CODE_MINUTES = 10  # the email says so: change both together
CODE_MAX_TRIES = 5
CODES_PER_LINK_PER_HOUR = 5
CODE_DIGITS = 6

_CODE_SALT = "patients.links.code"
_COOKIE_SALT = "patients.links.device"


class CodeError(ValueError):
    """The code can no longer be issued (used, ended by a newer one, or too old to send)."""


class CodeResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    ENDED = "ended"  # too many wrong tries, a newer code, or already used


def mask_email(email: str) -> str:
    """j***@example.com: enough for the patient to recognise the address, not to learn it."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _code_hash(code: LinkCode, typed: str) -> str:
    # Keyed and per row: a copy of the table alone cannot be searched for the 10^6 codes.
    return salted_hmac(_CODE_SALT, f"{code.pk}:{typed}", algorithm="sha256").hexdigest()


@transaction.atomic
def code_start(*, portal: str, link_pk: int, patient: Patient) -> LinkCode | None:
    """A new code for one link of `patient`, its email queued (due now); None over the hourly limit.

    Side effects: any earlier open code of the link ends; a link_code email
    to the patient's address is queued, expiring with the code. Needs an
    email address (callers say "call us" without one).
    """
    # One patient's codes are made one at a time, so the hourly count holds.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    now = timezone.now()
    codes = LinkCode.objects.filter(portal=portal, link_pk=link_pk)
    if codes.filter(created_at__gte=now - timedelta(hours=1)).count() >= CODES_PER_LINK_PER_HOUR:
        return None
    codes.filter(used_at__isnull=True, ended_at__isnull=True).update(ended_at=now)
    code = LinkCode.objects.create(portal=portal, link_pk=link_pk, patient=patient, created_at=now)
    schedule_message(
        kind=PatientMessageKind.LINK_CODE,
        to=patient.email,
        due_at=now,
        key=f"link-code:{code.pk}",
        about=About.of(code),
        patient_id=patient.pk,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    return code


@transaction.atomic
def code_issue(*, code: LinkCode) -> str:
    """Make the code of a row as its email is rendered, and return it (shown only in that email).

    A second rendering (a retried send) makes a new code: only the last one
    emailed works. Raises CodeError for a row that was used or ended.
    """
    code = LinkCode.objects.select_for_update().get(pk=code.pk)
    now = timezone.now()
    if code.used_at or code.ended_at or now >= code.created_at + timedelta(minutes=CODE_MINUTES):
        raise CodeError("This code is no longer needed.")
    plain = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    code.code_hash = _code_hash(code, plain)
    code.issued_at = now
    code.expires_at = now + timedelta(minutes=CODE_MINUTES)
    code.save(update_fields=["code_hash", "issued_at", "expires_at"])
    return plain


@transaction.atomic
def code_verify(*, code: LinkCode, typed: str) -> CodeResult:
    """Compare the typed code (constant time); each wrong one counts, the CODE_MAX_TRIES-th ends it."""
    code = LinkCode.objects.select_for_update().get(pk=code.pk)
    now = timezone.now()
    if code.used_at or code.ended_at:
        return CodeResult.ENDED
    if code.expires_at is not None and code.expires_at <= now:
        return CodeResult.EXPIRED
    # Before its email is rendered a row has no code: nothing typed can match.
    if code.code_hash and hmac.compare_digest(_code_hash(code, typed), code.code_hash):
        code.used_at = now
        code.save(update_fields=["used_at"])
        return CodeResult.OK
    code.failed_tries += 1
    fields = ["failed_tries"]
    if code.failed_tries >= CODE_MAX_TRIES:
        code.ended_at = now
        fields.append("ended_at")
    code.save(update_fields=fields)
    return CodeResult.ENDED if code.ended_at else CodeResult.WRONG


def tries_left(code: LinkCode) -> int:
    return max(0, CODE_MAX_TRIES - code.failed_tries)


# --- The browser ------------------------------------------------------------------------------


def _device_id(request: HttpRequest) -> str | None:
    value = request.get_signed_cookie(
        settings.LINK_DEVICE_COOKIE_NAME,
        default=None,
        salt=_COOKIE_SALT,
        max_age=settings.LINK_DEVICE_DAYS * 24 * 60 * 60,
    )
    return value if isinstance(value, str) and value else None


def _device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def device_known(request: HttpRequest, *, patient_id: int) -> bool:
    """Did this browser give a code for this patient within LINK_DEVICE_DAYS?"""
    device_id = _device_id(request)
    if device_id is None:
        return False
    now = timezone.now()
    return bool(
        LinkDevice.objects.filter(
            patient_id=patient_id, device_hash=_device_hash(device_id), expires_at__gt=now
        ).update(last_used_at=now)
    )


def device_remember(request: HttpRequest, response: HttpResponse, *, patient_id: int) -> None:
    """Mark this browser as the patient's for LINK_DEVICE_DAYS (a row and the signed cookie on `response`)."""
    device_id = _device_id(request) or secrets.token_urlsafe(32)
    now = timezone.now()
    days = settings.LINK_DEVICE_DAYS
    LinkDevice.objects.update_or_create(
        patient_id=patient_id,
        device_hash=_device_hash(device_id),
        defaults={"verified_at": now, "expires_at": now + timedelta(days=days), "last_used_at": now},
    )
    response.set_signed_cookie(
        settings.LINK_DEVICE_COOKIE_NAME,
        device_id,
        salt=_COOKIE_SALT,
        max_age=days * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
