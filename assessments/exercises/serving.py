"""Sending an exercise's stored image or video to a reader the view has already authorised.

Never a public URL: the files sit in private storage with no base URL, and
every response comes from a view that checked who asks (staff by role, a
patient by their bound programme session). A video answers a single byte
range with 206 (browsers seek and iOS Safari refuses to play a video
otherwise); several ranges in one request are answered with the whole file.
"""

import re
from typing import IO

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from assessments.exercises.media import data_uri
from assessments.models import Exercise

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single `bytes=` range within `size`; None to send the whole file."""
    match = _RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = min(int(last), size)
        return (size - length, size - 1) if length else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start > end:
        return (start, -1)  # unsatisfiable
    return start, end


class _Window:
    """`length` bytes of a file from `first`, read like a file (FileResponse streams and closes it)."""

    def __init__(self, stream: IO[bytes], first: int, length: int) -> None:
        stream.seek(first)
        self._stream = stream
        self._left = length

    def read(self, size: int = -1) -> bytes:
        wanted = self._left if size < 0 else min(size, self._left)
        data = self._stream.read(wanted) if wanted > 0 else b""
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._stream.close()


def media_response(request: HttpRequest, exercise: Exercise) -> HttpResponse:
    """The exercise's file inline, of its stored type, private to this reader; 404 without one."""
    if not exercise.media or not exercise.media_type:
        raise Http404("This exercise has no image or video.")
    storage = exercise.media.storage
    name = exercise.media.name
    if not storage.exists(name):
        raise Http404("This exercise's file is missing.")
    size = storage.size(name)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is not None and wanted[1] < wanted[0]:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is not None:
        first, last = wanted
        window = _Window(storage.open(name, "rb"), first, last - first + 1)
        response = FileResponse(window, status=206, content_type=exercise.media_type)
        response["Content-Length"] = str(last - first + 1)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=exercise.media_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # Only this reader's browser may keep it (the privacy middleware adds no-store, as on every page).
    response["Cache-Control"] = "private"
    # The file is a picture or a film, never a page: nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def image_data_uri(exercise: Exercise) -> str | None:
    """The exercise's image as a data: URL for the PDF sheet (letters fetch nothing else); None for none or a video."""
    if not exercise.media_is_image:
        return None
    storage = exercise.media.storage
    if not storage.exists(exercise.media.name):
        return None
    with storage.open(exercise.media.name, "rb") as stream:
        return data_uri(stream.read(), exercise.media_type)
