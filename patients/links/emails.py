"""The one-time code's message kind, registered with the outbox at start-up.

The email carries the code and how long it works, nothing about the patient's
health or visits; the code is made as the email is rendered (devices.code_issue).
"""

from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from patients.links.devices import CODE_MINUTES, CodeError, code_issue
from patients.messages import PatientMessageKind
from patients.models import LinkCode


def _code_context(message: ScheduledMessage) -> dict[str, object]:
    code = LinkCode.objects.filter(pk=message.about_pk).first()
    if code is None:
        raise MessageObsolete
    try:
        plain = code_issue(code=code)
    except CodeError:
        raise MessageObsolete from None
    return {"code": plain, "minutes": CODE_MINUTES}


register_kind(MessageKind.of(PatientMessageKind.LINK_CODE, _code_context))
