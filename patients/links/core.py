"""The security model of patient links, shared by every page a patient reaches without an account.

Used by the link flow (patients.links.flow) of the online intake
(patients/intake/views/portal.py, services/responses.py) and of the programme
pages (assessments/programmes/portal/views.py, services/links.py); the pieces:

- Tokens: `secrets.token_urlsafe(32)`, made when the email is rendered (or
  staff copy the link); only the SHA-256 hash is stored (`token_make`,
  `token_hash`, `token_plausible`, `token_find`).
- Identity check: last name (case, accents as typed, spaces and punctuation
  ignored) + date of birth, compared in constant time (`identity_matches`).
  Failures are counted on the record and lock it at INTAKE_MAX_FAILED_CHECKS
  (`identity_check`, `failed_check_record`); the answer (`CheckResult`) never
  says which part was wrong.
- Per-address limit: LINK_CHECKS_PER_IP_PER_HOUR identity checks an hour
  from one client address (`IpLimit`).
- Session binding: the token URL only remembers *pending* (the record's id)
  and redirects to a token-less URL; a passed check binds the session to
  that one record for a sliding SESSION minutes (`session_bind`,
  `session_bound`, `session_forget`).
- Responses: `no-store` always; `Referrer-Policy: no-referrer` on token URLs
  and pages without forms (`private`).
"""

import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from clinic.audit.services import client_ip

M = TypeVar("M", bound=models.Model)

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def token_make() -> tuple[str, str]:
    """A new link token and the hash to store (the token itself is shown or emailed once)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_plausible(token: str) -> bool:
    """Cheap shape check before any database look-up."""
    return bool(token) and bool(_TOKEN_RE.match(token))


def token_find(rows: models.QuerySet[M], token: str) -> M | None:
    """The row of `rows` (a model with a `token_hash` field) that a token belongs to, whatever its state."""
    if not token_plausible(token):
        return None
    return rows.filter(token_hash=token_hash(token)).first()


class CheckResult(Enum):
    """The outcome of an identity check; LOCKED and UNAVAILABLE show the patient the same page."""

    OK = "ok"
    MISMATCH = "mismatch"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"


def normalise_name(name: str) -> str:
    # Case, accents as typed, spaces, hyphens, apostrophes and dots do not matter.
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def identity_matches(
    *, last_name_on_record: str, date_of_birth_on_record: date, last_name: str, date_of_birth: date
) -> bool:
    """Last name and date of birth both match (the name compared in constant time)."""
    name_ok = hmac.compare_digest(
        normalise_name(last_name).encode(), normalise_name(last_name_on_record).encode()
    )
    return name_ok and date_of_birth == date_of_birth_on_record


def max_failed_checks() -> int:
    return settings.INTAKE_MAX_FAILED_CHECKS


def failed_check_record(obj: models.Model, *, count_field: str, locked_field: str) -> bool:
    """Count one failed identity check on a row locked by the caller; True when it is now locked."""
    count = getattr(obj, count_field) + 1
    setattr(obj, count_field, count)
    fields = [count_field]
    if count >= max_failed_checks() and getattr(obj, locked_field) is None:
        setattr(obj, locked_field, timezone.now())
        fields.append(locked_field)
    obj.save(update_fields=fields)
    return getattr(obj, locked_field) is not None


def identity_check(
    *,
    obj: models.Model,
    count_field: str,
    locked_field: str,
    last_name_on_record: str,
    date_of_birth_on_record: date,
    last_name: str,
    date_of_birth: date,
) -> CheckResult:
    """Match the typed details, counting failures on `obj` (a row locked by the caller).

    A match resets the count; a failure is counted and the max_failed_checks()-th
    locks `obj` (LOCKED). Callers check first that the link is usable at all.
    """
    if identity_matches(
        last_name_on_record=last_name_on_record,
        date_of_birth_on_record=date_of_birth_on_record,
        last_name=last_name,
        date_of_birth=date_of_birth,
    ):
        if getattr(obj, count_field):
            setattr(obj, count_field, 0)
            obj.save(update_fields=[count_field])
        return CheckResult.OK
    locked = failed_check_record(obj, count_field=count_field, locked_field=locked_field)
    return CheckResult.LOCKED if locked else CheckResult.MISMATCH


@dataclass(frozen=True)
class IpLimit:
    """Attempts per client address and hour (the first attempt starts the hour).

    The limit is the setting named by `setting` (identity checks by default).
    """

    prefix: str
    setting: str = "INTAKE_CHECKS_PER_IP_PER_HOUR"

    def _key(self, request: HttpRequest) -> str:
        return f"{self.prefix}:{client_ip(request) or 'unknown'}"

    def exceeded(self, request: HttpRequest) -> bool:
        return cache.get(self._key(request), 0) >= getattr(settings, self.setting)

    def count(self, request: HttpRequest) -> None:
        key = self._key(request)
        cache.add(key, 0, timeout=60 * 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=60 * 60)


def session_bind(request: HttpRequest, key: str, pk: int, *, seconds: int, new_session: bool = False) -> None:
    """Remember `pk` under `key` for `seconds`; `new_session` first changes the session id."""
    if new_session:
        request.session.cycle_key()
    request.session[key] = {"id": pk, "until": int(time.time()) + seconds}


def session_bound(request: HttpRequest, key: str, *, slide_seconds: int | None = None) -> int | None:
    """The id bound under `key`, or None when absent or expired; optionally extend it (sliding)."""
    data = request.session.get(key)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("id"), int)
        or data.get("until", 0) < time.time()
    ):
        return None
    if slide_seconds is not None:
        request.session[key] = {"id": data["id"], "until": int(time.time()) + slide_seconds}
    return data["id"]


def session_forget(request: HttpRequest, *keys: str) -> None:
    for key in keys:
        request.session.pop(key, None)


def private(response: HttpResponse, *, no_referrer: bool = False) -> HttpResponse:
    """Never cached; `no_referrer` for token URLs (forms keep same-origin, or CSRF sees Origin: null)."""
    add_never_cache_headers(response)
    if no_referrer:
        response["Referrer-Policy"] = "no-referrer"
    return response
