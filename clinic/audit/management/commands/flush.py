"""`manage.py flush`, able to empty the audit and history tables it is asked to empty.

Those tables refuse TRUNCATE (a statement-level trigger, clinic.audit.tracking.
no_truncate), so a stray TRUNCATE cannot wipe the audit trail. flush empties the
whole database on purpose: it is how the test runner resets between
transactional tests, and an operator running it means it. This override lets
exactly the no_truncate triggers through for its own statements (pgtrigger's
per-transaction ignore) and changes nothing else.
"""

from typing import Any

import pgtrigger
from django.core.management.commands import flush


def _no_truncate_uris() -> list[str]:
    return [
        trigger.get_uri(model) for model, trigger in pgtrigger.registered() if trigger.name == "no_truncate"
    ]


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        uris = _no_truncate_uris()
        if not uris:
            super().handle(**options)
            return
        with pgtrigger.ignore(*uris, databases=[options["database"]]):
            super().handle(**options)
