"""The expressions patient search matches on, shared by the selector and the model's indexes.

On PostgreSQL a word is matched accent- and case-insensitively anywhere in
the patient's names and email address: both sides are folded by
`stride_fold` (lower(unaccent(…)), declared IMMUTABLE by migration
patients 0009 so an index can hold it), and a trigram GIN index on the
folded text serves LIKE '%word%'. SQLite (the embedded default) folds case
only, and reads every row.
"""

from django.db import models
from django.db.models import Func

# The separator keeps a word from matching across two fields (words hold no space).
_JOINER = " || ' ' || "


class Fold(Func):
    """Lower case without accents (PostgreSQL); lower case (SQLite)."""

    function = "stride_fold"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]  # Django's signature
        return super().as_sql(compiler, connection, function="LOWER", **extra_context)


class SearchText(Func):
    """The folded names and email of a patient, one space between fields."""

    template = "stride_fold(%(expressions)s)"
    arg_joiner = _JOINER
    output_field = models.TextField()

    def __init__(self, *fields: str) -> None:
        super().__init__(*fields)

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]  # Django's signature
        return super().as_sql(compiler, connection, template="LOWER(%(expressions)s)", **extra_context)


SEARCH_FIELDS = ("first_name", "last_name", "preferred_name", "email")


def patient_search_text() -> SearchText:
    """The expression patients_patient_search indexes; a query must use exactly this one."""
    return SearchText(*SEARCH_FIELDS)


class Unindexed(Func):
    """A column as a value no b-tree serves, in the column's own order (text: `x || ''`, numbers: `x + 0`).

    Ordering a selective search by these makes PostgreSQL fetch the matches
    through the trigram index and sort them, instead of walking the whole name
    index in order and testing every row on the way (200 ms at 100,000
    patients for a surname near the end of the alphabet, 4 ms this way).
    """

    def __init__(self, field: str, *, number: bool = False) -> None:
        super().__init__(
            models.F(field), template="(%(expressions)s + 0)" if number else "(%(expressions)s || '')"
        )
