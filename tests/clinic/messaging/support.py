"""Sending what the outbox holds, as the dispatcher does, for tests of the emails themselves."""

from datetime import datetime

from clinic.messaging.services import Delivery, message_deliver, messages_claim_due


def deliver_due(now: datetime | None = None) -> list[Delivery]:
    """Claim every message due at `now` (default: the current time) and send each on its last attempt."""
    return [message_deliver(message_id=message_id) for message_id in messages_claim_due(now=now)]
