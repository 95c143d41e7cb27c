"""Request helpers shared by the views of every app (the frame: imports no app)."""

from typing import overload

from django.http import HttpRequest

# No stored version is negative: a form posted without its version compares as out of date.
STALE_VERSION = -1


@overload
def posted_version(request: HttpRequest) -> int | None: ...
@overload
def posted_version(request: HttpRequest, *, missing: int) -> int: ...


def posted_version(request: HttpRequest, *, missing: int | None = None) -> int | None:
    """The `version` field a form was loaded with, as an int; `missing` when absent or not a number.

    Every caller says what a missing version means: a view saving a versioned
    row passes `missing=STALE_VERSION`, so the save is refused as a conflict
    instead of overwriting changes the form never saw.
    """
    value = request.POST.get("version", "")
    # ASCII digits only ("²".isdigit() is true too), and short enough for an integer column.
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        return missing
    return int(value)
