"""Print the one-time code a patient link has just emailed, read as the patient reads it: in the email.

Run with the owner's settings (`python -m bench.linkcode`): the code is made when
the queued email is rendered (only its HMAC is stored), exactly as the send task
would render it.
"""

import os
import re
import sys

CODE_RE = re.compile(r"^(\d{6})$", re.MULTILINE)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django  # noqa: PLC0415

    django.setup()
    from clinic.messaging.choices import MessageStatus  # noqa: PLC0415
    from clinic.messaging.emails import message_render  # noqa: PLC0415
    from clinic.messaging.models import ScheduledMessage  # noqa: PLC0415
    from patients.messages import PatientMessageKind  # noqa: PLC0415

    message = (
        ScheduledMessage.objects.filter(kind=PatientMessageKind.LINK_CODE, status=MessageStatus.PENDING)
        .order_by("-pk")
        .first()
    )
    if message is None:
        sys.exit("bench.linkcode: no one-time code email is queued")
    match = CODE_RE.search(message_render(message).body)
    if match is None:
        sys.exit("bench.linkcode: the code email holds no code")
    print(match.group(1))


if __name__ == "__main__":
    main()
