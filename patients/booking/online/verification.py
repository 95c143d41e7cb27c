"""The 6-digit code that proves a typed email address before a slot is held.

Nothing about any patient is looked up here: a visitor's attempt
(BookingVerification) keeps what they typed and the slot they chose, and a
code goes to the typed address whether or not a patient has it, so the
answer never tells who is on the books. The code is made when its email is
rendered (`verification_code_issue`; only an HMAC of it is stored, keyed
and per row), works CODE_MINUTES, and CODE_MAX_TRIES wrong codes end the
attempt (`verification_check`). Limits: codes per email address an hour and
a day and for the whole site a day (`verification_start`); per client address
an hour (`ADDRESS_LIMIT`, counted by the view in the cache).
"""

import hmac
import secrets
from datetime import date, datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinic.messaging.services import About, schedule_message
from clinic.staff.models import Location, TherapistProfile
from patients.links.core import IpLimit
from patients.links.devices import CodeError, CodeResult
from patients.messages import PatientMessageKind
from patients.models import AppointmentType, BookingVerification

CODE_MINUTES = 10  # the email and the page say so: change them together
CODE_MAX_TRIES = 5
CODE_DIGITS = 6
# What a visitor typed is kept this long, unless the attempt led to a booking (the limits
# need one day of attempts; the rest is for looking into abuse).
VERIFICATION_KEEP_DAYS = 7

_CODE_SALT = "patients.booking.online.code"
_NETWORK_SALT = "patients.booking.online.network"

ADDRESS_LIMIT = IpLimit("book-code", setting="ONLINE_BOOKING_CODES_PER_IP_PER_HOUR")


class Limit(Enum):
    """Why no code was sent: the visitor sees a friendly page that says to try later or call."""

    ADDRESS = "address"  # this client address, this hour
    EMAIL = "email"  # this email address, this hour or day
    SITE = "site"  # the whole site, today


def network_hash(ip: str | None) -> str:
    """A keyed hash of the client address: the attempts of one network can be told apart, not read."""
    return salted_hmac(_NETWORK_SALT, ip or "", algorithm="sha256").hexdigest()


def _code_hash(verification: BookingVerification, typed: str) -> str:
    return salted_hmac(_CODE_SALT, f"{verification.pk}:{typed}", algorithm="sha256").hexdigest()


@transaction.atomic
def verification_start(
    *,
    email: str,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    phone: str,
    location: Location,
    appointment_type: AppointmentType,
    therapist: TherapistProfile | None,
    starts_at: datetime | None,
    network: str,
    purpose: str = "booking",
    replaces: BookingVerification | None = None,
    language: str = "",
) -> BookingVerification | Limit:
    """Record an attempt and queue its code email (due now), or say which limit stops it.

    `language` is the booking pages' language (a PATIENT_LANGUAGES code, "" for
    the clinic's own): the code email is written in it, and a patient the
    booking registers takes it. Side effects: `replaces` (the browser's previous
    attempt, if any) ends; a booking_code email to `email` is queued, expiring
    with the code.
    """
    email = email.strip().lower()
    now = timezone.now()
    attempts = BookingVerification.objects.filter(email=email)
    if (
        attempts.filter(created_at__gte=now - timedelta(hours=1)).count()
        >= settings.ONLINE_BOOKING_CODES_PER_EMAIL_PER_HOUR
        or attempts.filter(created_at__gte=now - timedelta(days=1)).count()
        >= settings.ONLINE_BOOKING_CODES_PER_EMAIL_PER_DAY
    ):
        return Limit.EMAIL
    if (
        BookingVerification.objects.filter(created_at__gte=now - timedelta(days=1)).count()
        >= settings.ONLINE_BOOKING_CODES_PER_DAY
    ):
        return Limit.SITE
    if replaces is not None:
        BookingVerification.objects.filter(pk=replaces.pk, ended_at__isnull=True).update(ended_at=now)
    verification = BookingVerification.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        phone=phone.strip(),
        location=location,
        appointment_type=appointment_type,
        therapist=therapist,
        starts_at=starts_at,
        purpose=purpose,
        network_hash=network,
        language=language,
        created_at=now,
    )
    schedule_message(
        kind=PatientMessageKind.BOOKING_CODE,
        to=email,
        due_at=now,
        key=f"booking-code:{verification.pk}",
        about=About.of(verification),
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    return verification


@transaction.atomic
def verification_code_issue(*, verification: BookingVerification) -> str:
    """Make the attempt's code as its email is rendered, and return it (shown only in that email).

    A second rendering (a retried send) makes a new code: only the last one
    emailed works. Raises CodeError for an attempt verified, ended or too old.
    """
    verification = BookingVerification.objects.select_for_update().get(pk=verification.pk)
    now = timezone.now()
    if (
        verification.verified_at
        or verification.ended_at
        or now >= verification.created_at + timedelta(minutes=CODE_MINUTES)
    ):
        raise CodeError("This code is no longer needed.")
    plain = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    verification.code_hash = _code_hash(verification, plain)
    verification.issued_at = now
    verification.expires_at = now + timedelta(minutes=CODE_MINUTES)
    verification.save(update_fields=["code_hash", "issued_at", "expires_at"])
    return plain


@transaction.atomic
def verification_check(*, verification: BookingVerification, typed: str) -> CodeResult:
    """Compare the typed code (constant time); each wrong one counts, the CODE_MAX_TRIES-th ends it.

    A right code marks the attempt verified (`verified_at`): the address is proved.
    """
    verification = BookingVerification.objects.select_for_update().get(pk=verification.pk)
    now = timezone.now()
    if verification.verified_at or verification.ended_at:
        return CodeResult.ENDED
    if verification.expires_at is not None and verification.expires_at <= now:
        return CodeResult.EXPIRED
    typed = "".join(typed.split())
    # Before its email is rendered an attempt has no code: nothing typed can match.
    if verification.code_hash and hmac.compare_digest(
        _code_hash(verification, typed), verification.code_hash
    ):
        verification.verified_at = now
        verification.save(update_fields=["verified_at"])
        return CodeResult.OK
    verification.failed_tries += 1
    fields = ["failed_tries"]
    if verification.failed_tries >= CODE_MAX_TRIES:
        verification.ended_at = now
        fields.append("ended_at")
    verification.save(update_fields=fields)
    return CodeResult.ENDED if verification.ended_at else CodeResult.WRONG


def tries_left(verification: BookingVerification) -> int:
    return max(0, CODE_MAX_TRIES - verification.failed_tries)


def verifications_purge() -> int:
    """Delete attempts older than VERIFICATION_KEEP_DAYS that hold no booking; returns how many.

    Their history (kept) names no one: it never copies what was typed.
    """
    cutoff = timezone.now() - timedelta(days=VERIFICATION_KEEP_DAYS)
    deleted, _ = BookingVerification.objects.filter(created_at__lt=cutoff, appointment__isnull=True).delete()
    return deleted
