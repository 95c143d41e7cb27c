from functools import partial

from celery import shared_task
from django.db import transaction

from clinic.messaging.services import Delivery, message_deliver, messages_claim_due

MAX_RETRIES = 5


@shared_task(name="messaging.dispatch_due")
def dispatch_due_task() -> int:
    """Beat, every minute: claim due outbox rows and enqueue one send each."""
    ids = messages_claim_due()
    for message_id in ids:
        # The claim has committed by now; on_commit also covers callers
        # that run this inside a transaction.
        transaction.on_commit(partial(send_message_task.delay, message_id=message_id))
    return len(ids)


@shared_task(
    bind=True,
    name="messaging.send_message",
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_message_task(self, message_id: int) -> str:
    """Send one claimed row; transient SMTP errors retry with backoff."""
    final = self.request.retries >= self.max_retries
    outcome = message_deliver(message_id=message_id, final_attempt=final)
    if outcome is Delivery.RETRY:
        raise self.retry(countdown=2 ** (self.request.retries * 2 + 1))
    return outcome.value
