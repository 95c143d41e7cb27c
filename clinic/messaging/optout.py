"""One-click opt-out of a category of non-essential email (RFC 8058 and a link in the footer).

The outbox knows no patients: an app registers each category it offers with
a label, an `apply(patient_id)` that records the opt-out in its own tables
and an `opted_out(patient_id)` that reads it. A message kind names its
category (MessageKind.category); message_render drops a message of that kind
to a patient who opted out (read when it is due, so opting back in before
then lets it go) and gives every other one a signed link scoped to one
patient and one category. The token is signed with SECRET_KEY (salted for
this use) and does not expire, since an old email's link must still work
(the same patient and category always give the same link); it carries the
patient's id and the category's name, nothing about their health.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

SALT = "clinic.messaging.optout"


@dataclass(frozen=True)
class OptOutCategory:
    name: str
    # Shown to the patient: "Stop <label> emails?" reads with the label in lower case
    # (a lazy translation: in the patient's language when the page is drawn).
    label: str | Promise
    apply: Callable[[int], None]
    opted_out: Callable[[int], bool]


@dataclass(frozen=True)
class OptOut:
    """A verified token: this patient wants no more emails of this category."""

    patient_id: int
    category: OptOutCategory


CATEGORIES: dict[str, OptOutCategory] = {}


def register_optout_category(
    category: str, label: str | Promise, apply: Callable[[int], None], *, opted_out: Callable[[int], bool]
) -> None:
    """Offer one-click opt-out for `category`: `apply(patient_id)` records it, `opted_out(patient_id)` reads it."""
    entry = OptOutCategory(category, label, apply, opted_out)
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


def optout_apply(optout: OptOut) -> None:
    """Record the patient's opt-out through the category's owner (applying twice changes nothing more).

    The owner's row (e.g. a reminder preference with its source and time) is
    the record of the patient's choice. Messages already queued stay queued
    and are dropped when they come due (message_render reads the choice then).
    """
    optout.category.apply(optout.patient_id)
    # The log names no one but by id.
    logger.info("Opt-out by email link: patient %s, category %s", optout.patient_id, optout.category.name)


def optout_wanted(patient_id: int | None, category: str) -> bool:
    """Whether a message of `category` may go to the patient: not when they opted out of it."""
    entry = CATEGORIES.get(category)
    return patient_id is None or entry is None or not entry.opted_out(patient_id)
