"""The upload handler of the import page: files stay in memory, never on disk, and are bounded.

Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a
temporary file; the import page never lets it. `MemoryUploads` keeps each
file's bytes in memory up to MAX_FILE_BYTES (20 MB) and stops keeping a file
past that (its size is still counted, so the page can say it was too big),
and stops keeping anything once the request's files pass MAX_UPLOAD_BYTES.
The bytes live only as long as the request: they are parsed and dropped.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from assessments.training.imports.activity import MAX_FILE_BYTES

MAX_FILES = 10
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)


class MemoryUploads(FileUploadHandler):
    """Keeps every uploaded file in memory, each up to MAX_FILE_BYTES, all up to MAX_UPLOAD_BYTES."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.total = 0
        self.over_total = False
        self._buffer = io.BytesIO()
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        self.total += len(raw_data)
        if self.total > MAX_UPLOAD_BYTES:
            self.over_total = True
        if self._size > MAX_FILE_BYTES or self.over_total:
            # Past the limit: keep nothing of this file (the page only says it was too big).
            if self._buffer.tell():
                self._buffer = io.BytesIO()
            return None
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
