"""Message kinds: each app registers its own in AppConfig.ready().

The outbox knows nothing of appointments or programmes; a kind brings its
templates (templates/emails/<template>-subject.txt, -body.txt, -body.html) and
a function that builds the template context from the row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from clinic.messaging.models import ScheduledMessage


class KindChoices(models.TextChoices):
    """Base of each app's message kinds (one TextChoices per app).

    A member's value is the kind stored on outbox rows; its name, in lower
    case with hyphens, names its templates: APPOINTMENT_REMINDER is
    emails/appointment-reminder-subject.txt, -body.txt and -body.html.
    """

    @property
    def template(self) -> str:
        return self.name.lower().replace("_", "-")


class MessageObsolete(Exception):  # noqa: N818 -- reads as a state, not an error
    """Raised by a context builder when the message should no longer go out."""


@dataclass(frozen=True)
class MessageKind:
    name: str
    label: str
    template: str
    build_context: Callable[["ScheduledMessage"], dict[str, object]]
    # Essential messages (appointment changes, intake links) ignore opt-outs.
    essential: bool = True
    # Patient emails keep quiet hours; staff messages (test, alerts) do not.
    patient_facing: bool = True
    # The opt-out category (clinic.messaging.optout) of a non-essential kind: its
    # emails carry a one-click unsubscribe link and List-Unsubscribe headers.
    category: str = ""
    # The language a row is written in (a code, or "" for the clinic's own), when the
    # recipient is not simply its patient; by default a patient-facing row is in its
    # patient's language (patient_language) and every other one in the clinic's.
    language: Callable[["ScheduledMessage"], str] | None = None

    @classmethod
    def of(
        cls,
        kind: KindChoices,
        build_context: Callable[["ScheduledMessage"], dict[str, object]],
        *,
        essential: bool = True,
        category: str = "",
        patient_facing: bool = True,
        language: Callable[["ScheduledMessage"], str] | None = None,
    ) -> "MessageKind":
        """The kind of an app's KindChoices member: its value, label and templates."""
        return cls(
            kind.value,
            kind.label,
            kind.template,
            build_context,
            essential,
            patient_facing=patient_facing,
            category=category,
            language=language,
        )


KINDS: dict[str, MessageKind] = {}


def register_kind(kind: MessageKind) -> None:
    existing = KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Message kind {kind.name!r} is registered twice.")
    KINDS[kind.name] = kind


def get_kind(name: str) -> MessageKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"Unknown message kind {name!r}.") from None


# Called when a mail server refuses a row's recipient for good (a 5xx reply), with
# the row and the server's code and text; the patients app flags the address.
RefusalHandler = Callable[["ScheduledMessage", int, str], None]
REFUSAL_HANDLERS: list[RefusalHandler] = []


def register_refusal_handler(handler: RefusalHandler) -> None:
    if handler not in REFUSAL_HANDLERS:
        REFUSAL_HANDLERS.append(handler)


def address_refused(message: "ScheduledMessage", code: int, text: str) -> None:
    for handler in REFUSAL_HANDLERS:
        handler(message, code, text)


# The language a patient chose for their emails (a code of settings.PATIENT_LANGUAGES,
# or "" for the clinic's own), by patient id; the patients app registers it.
LanguageResolver = Callable[[int], str]
LANGUAGE_RESOLVERS: list[LanguageResolver] = []


def register_language_resolver(resolver: LanguageResolver) -> None:
    if resolver not in LANGUAGE_RESOLVERS:
        LANGUAGE_RESOLVERS.append(resolver)


def patient_language(patient_id: int) -> str:
    """The patient's language code, or "" (the clinic's own) when no app knows it."""
    for resolver in LANGUAGE_RESOLVERS:
        code = resolver(patient_id)
        if code:
            return code
    return ""
