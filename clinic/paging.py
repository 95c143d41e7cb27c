"""Keyset pagination for the long lists (outbox, audit logs, patients).

A page is the rows after the last one shown, in a total order that ends with
the primary key, so no OFFSET skips over earlier rows and no COUNT runs: the
page reads one row more than it shows to know whether there is a next one.
The cursor is that last row's primary key (a plain integer, never a name);
its sort values are read back from the row, so a list ordered by name puts
no name in the URL. A cursor whose row has gone starts again at the top.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

M = TypeVar("M", bound=models.Model)


@dataclass
class KeysetPage(Generic[M]):
    rows: list[M]
    # The cursor of the next page (the last row's primary key), None on the last page.
    next_after: int | None
    # The cursor this page followed; None on the first page (so "First page" is offered only later).
    after: int | None = None
    size: int = 0

    def __iter__(self) -> Iterator[M]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_next(self) -> bool:
        return self.next_after is not None

    @property
    def is_first(self) -> bool:
        return self.after is None


def parse_cursor(value: object) -> int | None:
    """A cursor from a query string or form: a positive integer, or None."""
    text = str(value or "")
    return int(text) if text.isdigit() and 0 < len(text) <= 18 else None


def _after(keys: list[tuple[str, bool]], anchor: dict[str, Any]) -> Q:
    """Rows strictly after `anchor` in the order `keys` ((field, descending) pairs).

    Expanded as a >= x AND (a > x OR (a = x AND (b > y OR …))): the leading
    bound is a plain range on the first column, which the index serves.
    """

    def beyond(name: str, descending: bool) -> Q:
        return Q(**{f"{name}__{'lt' if descending else 'gt'}": anchor[name]})

    *leading, (last, last_descending) = keys
    condition = beyond(last, last_descending)
    for name, descending in reversed(leading):
        condition = beyond(name, descending) | (Q(**{name: anchor[name]}) & condition)
    first, descending = keys[0]
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": anchor[first]}) & condition


def keyset_page(
    rows: QuerySet[M], *, order: tuple[str, ...], after: int | None, size: int, ordered: bool = False
) -> KeysetPage[M]:
    """One page of `rows` in `order` (field names, "-" for descending, ending with "pk").

    One query for the page, plus one (by primary key) to read the cursor's
    sort values. The order's fields must be non-null. `ordered` keeps the
    ORDER BY `rows` already has, which must sort exactly as `order` does
    (expressions over the same columns that lead the planner to a better plan).
    """
    if not order or order[-1].lstrip("-") not in {"pk", "id"}:
        raise ValueError("A keyset order ends with the primary key.")
    keys = [(name.lstrip("-"), name.startswith("-")) for name in order]
    sorted_rows = rows if ordered else rows.order_by(*order)
    if after is not None:
        # The anchor row is read without the list's filters: a row that left the
        # filter (an outbox row sent since) still marks the place.
        anchor = rows.model._base_manager.filter(pk=after).values(*(name for name, _ in keys)).first()
        if anchor is None:
            after = None
        else:
            sorted_rows = sorted_rows.filter(_after(keys, anchor))
    found = list(sorted_rows[: size + 1])
    shown = found[:size]
    next_after = shown[-1].pk if len(found) > size else None
    return KeysetPage(rows=shown, next_after=next_after, after=after, size=size)
