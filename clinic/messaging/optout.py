"""One-click opt-out of a category of non-essential email (RFC 8058 and a link in the footer).

The outbox knows no patients: an app registers each category it offers with
a label and an `apply(patient_id)` that records the opt-out in its own
tables. A message kind names its category (MessageKind.category), and
message_render gives each such email a signed link scoped to one patient and
one category. The token is signed with SECRET_KEY (salted for this use) and
does not expire, since an old email's link must still work (the same patient
and category always give the same link); it carries the patient's id and the
category's name, nothing about their health.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic.messaging.choices import UNSENT_STATUSES, MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import KINDS

logger = logging.getLogger(__name__)

SALT = "clinic.messaging.optout"


@dataclass(frozen=True)
class OptOutCategory:
    name: str
    # Shown to the patient: "Stop <label> emails?" reads with the label in lower case.
    label: str
    apply: Callable[[int], None]


@dataclass(frozen=True)
class OptOut:
    """A verified token: this patient wants no more emails of this category."""

    patient_id: int
    category: OptOutCategory


CATEGORIES: dict[str, OptOutCategory] = {}


def register_optout_category(category: str, label: str, apply: Callable[[int], None]) -> None:
    """Offer one-click opt-out for `category`; `apply(patient_id)` records it."""
    entry = OptOutCategory(category, label, apply)
    existing = CATEGORIES.get(category)
    if existing is not None and existing != entry:
        raise ValueError(f"Opt-out category {category!r} is registered twice.")
    CATEGORIES[category] = entry


def optout_token(patient_id: int, category: str) -> str:
    """A token that opts `patient_id` out of `category` and nothing else."""
    if category not in CATEGORIES:
        raise ValueError(f"Unknown opt-out category {category!r}.")
    return signing.Signer(salt=SALT).sign_object({"p": int(patient_id), "c": str(category)})


def optout_verify(token: str) -> OptOut | None:
    """The opt-out a token stands for, or None when it is forged, altered or unknown."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):  # ValueError: signed, but not an object we made
        return None
    if not isinstance(payload, dict):
        return None
    patient_id, name = payload.get("p"), payload.get("c")
    category = CATEGORIES.get(name) if isinstance(name, str) else None
    if not isinstance(patient_id, int) or isinstance(patient_id, bool) or category is None:
        return None
    return OptOut(patient_id, category)


def optout_url(patient_id: int, category: str) -> str:
    """The absolute unsubscribe link (SITE_URL) for one patient and category."""
    token = optout_token(patient_id, category)
    return settings.SITE_URL + reverse("messaging:unsubscribe", kwargs={"token": token})


@transaction.atomic
def optout_apply(optout: OptOut) -> int:
    """Record the patient's opt-out through the category's owner, and cancel what is already queued.

    Side effects: the owner's `apply` (e.g. a reminder preference with its
    source and time, the record of the patient's choice); the patient's
    unsent messages of the category's kinds cancelled, so none goes out after
    the confirmation page. Applying twice changes nothing more. Returns how
    many messages were cancelled.
    """
    optout.category.apply(optout.patient_id)
    kinds = [kind.name for kind in KINDS.values() if kind.category == optout.category.name]
    cancelled = ScheduledMessage.objects.filter(
        patient_id=optout.patient_id, kind__in=kinds, status__in=UNSENT_STATUSES
    ).update(status=MessageStatus.CANCELLED, updated_at=timezone.now())
    # The log names no one but by id.
    logger.info("Opt-out by email link: patient %s, category %s", optout.patient_id, optout.category.name)
    return cancelled
