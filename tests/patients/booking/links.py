"""The links patients get by email, as they would click them (the outbox delivered, the body read)."""

import re

from tests.clinic.messaging.support import deliver_due


def emailed_path(mailoutbox, kind_path: str, *, to: str) -> str:
    """Deliver what is due, then the path of the last `/book/<kind_path>/<token>/` link emailed to `to`."""
    deliver_due()
    pattern = re.compile(rf"https?://[^/\s]+(/book/{kind_path}/[A-Za-z0-9_-]+/)")
    found = [m for mail in mailoutbox if to in mail.to for m in pattern.findall(mail.body)]
    assert found, f"no /book/{kind_path}/ link emailed to {to}"
    return found[-1]
