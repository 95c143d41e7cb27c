"""An exercise's image or video: checked by its content, never by its name or the browser's type.

Images are opened by Pillow (`Image.open` + `verify`, then opened again),
limited in bytes and pixels (decompression bombs), turned upright from
their EXIF orientation, scaled to fit `EXERCISE_MEDIA_IMAGE_MAX_EDGE` and
re-encoded in their own format: every byte of metadata (EXIF with its GPS,
XMP, ICC, PNG text chunks) is left behind. Videos cannot be re-encoded here
(no ffmpeg): their container is checked (an MP4/QuickTime file is a
well-formed run of ISO boxes starting with `ftyp` of a known brand and
holding a `moov`; a WebM file is EBML with the "webm" doc type) and they are
stored as uploaded, metadata included.
"""

import base64
import io
import struct
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from assessments.exercises.choices import IMAGE_TYPES, MediaType

NOT_MEDIA = "This file is not a JPEG, PNG or WebP image, nor an MP4, MOV or WebM video."

EXTENSIONS = {
    MediaType.JPEG: ".jpg",
    MediaType.PNG: ".png",
    MediaType.WEBP: ".webp",
    MediaType.MP4: ".mp4",
    MediaType.QUICKTIME: ".mov",
    MediaType.WEBM: ".webm",
}
_PILLOW_FORMATS = {"JPEG": MediaType.JPEG, "PNG": MediaType.PNG, "WEBP": MediaType.WEBP}

# ISO base media brands (the `ftyp` box) of ordinary MP4 and QuickTime files.
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV", b"dash"}
)
QUICKTIME_BRAND = b"qt  "
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_EBML_DOCTYPE = b"\x42\x82"


@dataclass(frozen=True)
class CheckedMedia:
    """An upload that passed the checks: the bytes to store, their type and extension."""

    file: File
    media_type: MediaType
    width: int | None = None
    height: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGE_TYPES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_upload(upload: File) -> CheckedMedia:
    """The upload as something safe to store; ValidationError (the message for the field) if it is not.

    A video is recognised by its container signature; anything else must be
    an image Pillow reads as JPEG, PNG or WebP, whatever the file is called.
    """
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    video_type = _video_type(head)
    if video_type is not None:
        return _checked_video(upload, video_type)
    return _checked_image(upload)


# --- Videos -----------------------------------------------------------------------------------------


def _video_type(head: bytes) -> MediaType | None:
    if head[:4] == EBML_MAGIC:
        return MediaType.WEBM
    if len(head) >= 16 and head[4:8] == b"ftyp":
        return MediaType.QUICKTIME if head[8:12] == QUICKTIME_BRAND else MediaType.MP4
    return None


def _checked_video(upload: File, media_type: MediaType) -> CheckedMedia:
    limit = settings.EXERCISE_MEDIA_MAX_VIDEO_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            f"Videos are at most {_megabytes(limit)}; this one is {_megabytes(upload.size or 0)}."
        )
    upload.seek(0)
    if media_type == MediaType.WEBM:
        _check_webm(upload)
    else:
        _check_iso_boxes(upload, upload.size)
    upload.seek(0)
    return CheckedMedia(file=upload, media_type=media_type)


def _check_webm(stream: IO[bytes]) -> None:
    """EBML's magic, then a DocType element saying "webm" within the header."""
    header = stream.read(64)
    at = header.find(_EBML_DOCTYPE, 4)
    if at < 0 or at + 3 > len(header):
        raise ValidationError(NOT_MEDIA)
    size_byte = header[at + 2]
    if not size_byte & 0x80:  # a one-byte EBML size, as every muxer writes for "webm"
        raise ValidationError(NOT_MEDIA)
    length = size_byte & 0x7F
    if header[at + 3 : at + 3 + length] != b"webm":
        raise ValidationError(NOT_MEDIA)


def _check_iso_boxes(stream: IO[bytes], size: int) -> None:
    """The top-level boxes tile the file exactly: `ftyp` of a known brand first, a `moov` among them."""
    offset = 0
    types: list[bytes] = []
    while offset < size:
        stream.seek(offset)
        header = stream.read(16)
        if len(header) < 8:
            raise ValidationError(NOT_MEDIA)
        box_size, box_type = struct.unpack(">I4s", header[:8])
        if box_size == 1:  # a 64-bit size follows the type
            if len(header) < 16:
                raise ValidationError(NOT_MEDIA)
            (box_size,) = struct.unpack(">Q", header[8:16])
        elif box_size == 0:  # the last box runs to the end of the file
            box_size = size - offset
        if box_size < 8 or offset + box_size > size or not all(32 <= c < 127 for c in box_type):
            raise ValidationError(NOT_MEDIA)
        if not types and (box_type != b"ftyp" or not _brand_known(stream, offset, box_size)):
            raise ValidationError(NOT_MEDIA)
        types.append(box_type)
        offset += box_size
    if b"moov" not in types:
        raise ValidationError(NOT_MEDIA)


def _brand_known(stream: IO[bytes], offset: int, box_size: int) -> bool:
    """The major brand or one of the compatible brands is an MP4 or QuickTime brand."""
    stream.seek(offset + 8)
    body = stream.read(min(box_size - 8, 256))
    brands = [body[:4]] + [body[i : i + 4] for i in range(8, len(body) - 3, 4)]
    return any(b in MP4_BRANDS or b == QUICKTIME_BRAND for b in brands)


# --- Images -----------------------------------------------------------------------------------------


def _checked_image(upload: File) -> CheckedMedia:
    limit = settings.EXERCISE_MEDIA_MAX_IMAGE_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            f"Images are at most {_megabytes(limit)}; this file is {_megabytes(upload.size or 0)}."
        )
    data = upload.read()
    media_type = _verified_type(data)
    try:
        content, size = _reencoded(data, media_type)
    except (OSError, ValueError, SyntaxError) as exc:  # verify() passed but the pixels do not decode
        raise ValidationError(NOT_MEDIA) from exc
    return CheckedMedia(file=ContentFile(content), media_type=media_type, width=size[0], height=size[1])


def _reencoded(data: bytes, media_type: MediaType) -> tuple[bytes, tuple[int, int]]:
    """Upright, scaled to fit the edge, saved afresh: only the pixels (and palette transparency) survive."""
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    edge = settings.EXERCISE_MEDIA_IMAGE_MAX_EDGE
    image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    # Pillow writes some of `info` back (an ICC profile, for one): keep nothing but transparency.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = io.BytesIO()
    if media_type == MediaType.JPEG:
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif media_type == MediaType.PNG:
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
        image.convert("RGBA" if has_alpha else "RGB").save(out, "WEBP", quality=85)
    return out.getvalue(), image.size


def _verified_type(data: bytes) -> MediaType:
    """The image's type after Pillow's verify; refuses other formats and too many pixels before decoding."""
    max_pixels = settings.EXERCISE_MEDIA_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow warns (or raises) on huge images; the explicit limit below is ours.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                media_type = _PILLOW_FORMATS.get(image.format or "")
                if media_type is None:
                    raise ValidationError(NOT_MEDIA)
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"Images are at most {max_pixels:,} pixels; this one is {width} × {height}."
                    )
                image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(f"Images are at most {max_pixels:,} pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ValidationError(NOT_MEDIA) from exc
    return media_type


def data_uri(content: bytes, media_type: str) -> str:
    """An image as a data: URL (the PDF sheet embeds it: letters fetch nothing else)."""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"
