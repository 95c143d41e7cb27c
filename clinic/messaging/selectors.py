"""Read queries of the outbox page: what is due next first, filtered and searched, a page at a time."""

from dataclasses import dataclass
from typing import Literal

from django.db.models import QuerySet

from clinic.messaging.choices import WAITING_STATUSES
from clinic.messaging.models import ScheduledMessage
from clinic.paging import keyset_page

# The two parts of the outbox in its default order (no status chosen): first
# what is waiting (pending, queued, sending), soonest due first (index
# messaging_sm_list_waiting); then everything else, newest due first
# (messaging_sm_list walked backwards). Each order ends with the id, so both
# are total and a page starts after the last row shown (clinic.paging).
WAITING_ORDER = ("due_at", "pk")
DONE_ORDER = ("-due_at", "-pk")

Part = Literal["waiting", "done"]


@dataclass
class OutboxPage:
    """One page of the outbox, and where the next one starts.

    `next_part` and `next_after` are the next page's cursor: the part it is in
    and the id of the row it follows there (None: the start of that part).
    """

    rows: list[ScheduledMessage]
    has_next: bool
    next_part: Part
    next_after: int | None
    is_first: bool
    size: int

    def __iter__(self):  # type: ignore[no-untyped-def]  # an iterator of rows, for the template
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def outbox_rows(*, kind: str = "", status: str = "", recipient: str = "") -> QuerySet[ScheduledMessage]:
    """Outbox rows of one kind and status (blank: any) whose address is or starts with `recipient`.

    The address matches regardless of case, through messaging_sm_to_prefix.
    """
    rows = ScheduledMessage.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if recipient:
        rows = rows.filter(to_email__istartswith=recipient)
    return rows


def outbox_page(
    *,
    kind: str = "",
    status: str = "",
    recipient: str = "",
    part: Part = "waiting",
    after: int | None = None,
    size: int = 50,
) -> OutboxPage:
    """A page of the outbox in "due next" order.

    With a status chosen the page is of that status alone: soonest due first
    for a waiting status, newest due first for the others. Without one, the
    waiting rows come first and the rest follow on the same page when the
    waiting ones run out (at most two list queries and one for the cursor).
    """
    rows = outbox_rows(kind=kind, status=status, recipient=recipient)
    first = False
    if status:
        order = WAITING_ORDER if status in WAITING_STATUSES else DONE_ORDER
        page = keyset_page(rows, order=order, after=after, size=size)
        return OutboxPage(page.rows, page.has_next, part, page.next_after, page.is_first, size)
    found: list[ScheduledMessage] = []
    if part == "waiting":
        waiting = keyset_page(
            rows.filter(status__in=WAITING_STATUSES), order=WAITING_ORDER, after=after, size=size
        )
        # A cursor whose row has gone starts again at the top (clinic.paging).
        first = waiting.is_first
        if waiting.has_next:
            return OutboxPage(waiting.rows, True, "waiting", waiting.next_after, first, size)
        found, after = waiting.rows, None
    done_rows = rows.exclude(status__in=WAITING_STATUSES)
    room = size - len(found)
    if room == 0:
        # The page is full of waiting rows: the next one starts the rest, if there is any.
        return OutboxPage(found, done_rows.exists(), "done", None, first, size)
    done = keyset_page(done_rows, order=DONE_ORDER, after=after, size=room)
    return OutboxPage([*found, *done.rows], done.has_next, "done", done.next_after, first, size)
