"""The private file storage of exercise media: files on disk with no URL at all."""

from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """A FileSystemStorage whose files have no URL (FileSystemStorage would fall back to MEDIA_URL).

    Its files are read only through views that check who asks.
    """

    def url(self, name: str | None) -> str:
        raise ValueError(f"{name!r} is private: it is not accessible via a URL, only through its view.")
