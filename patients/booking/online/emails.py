"""Online booking's message kinds, registered with the outbox at start-up.

The code email carries the code and how long it works, nothing else (the
attempt's address may not be a patient's); the code is made as the email is
rendered (verification_code_issue). A declined request names the visit asked
for and the clinic's reason.
"""

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from patients.booking.emails import _appointment, _visit_context
from patients.booking.online.verification import CODE_MINUTES, verification_code_issue
from patients.links.devices import CodeError
from patients.messages import PatientMessageKind
from patients.models import BookingVerification


def _code_context(message: ScheduledMessage) -> dict[str, object]:
    verification = BookingVerification.objects.filter(pk=message.about_pk).first()
    if verification is None:
        raise MessageObsolete
    try:
        plain = verification_code_issue(verification=verification)
    except CodeError:
        raise MessageObsolete from None
    return {"code": plain, "minutes": CODE_MINUTES}


def _code_language(message: ScheduledMessage) -> str:
    """The language of the booking pages that asked for the code (no patient is known yet)."""
    return (
        BookingVerification.objects.filter(pk=message.about_pk).values_list("language", flat=True).first()
        or ""
    )


def _declined_context(message: ScheduledMessage) -> dict[str, object]:
    appointment = _appointment(message)
    return {**_visit_context(appointment), "reason": appointment.cancel_reason}


for kind in (
    MessageKind.of(PatientMessageKind.BOOKING_CODE, _code_context, language=_code_language),
    MessageKind.of(PatientMessageKind.BOOKING_DECLINED, _declined_context),
):
    register_kind(kind)
