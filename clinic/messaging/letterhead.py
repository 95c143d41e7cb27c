"""The clinic's letterhead on every HTML email: its name, logo, address, phone and email.

Every -body.html extends templates/emails/_letterhead.html: a table laid out
with inline styles (mail clients drop a <style> in the head), 600 px at most
and fluid below, readable with images off (the name is text; the logo is
decoration). The plain-text part goes with it as the first alternative.

The logo travels inside the email as an inline image named by Content-ID
(RFC 2392), not as a data: URI or a link: Gmail and Outlook show no data:
images, and a linked image waits for the reader to allow it and needs the
clinic's site up. The HTML and the logo form a multipart/related inside the
multipart/alternative, so attachments (the .ics, a PDF) stay attachments.
"""

import functools
import logging
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart

logger = logging.getLogger(__name__)

LOGO_CID = "clinic-logo@stride"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def logo_path() -> Path:
    """CLINIC_LOGO as a path: relative paths are under the project (static/img/…, var/…)."""
    path = Path(settings.CLINIC_LOGO)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


@functools.lru_cache(maxsize=4)
def _logo_bytes(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        logger.warning("CLINIC_LOGO %s cannot be read: emails go without a logo.", path)
        return None
    if not data.startswith(_PNG_SIGNATURE):
        logger.warning("CLINIC_LOGO %s is not a PNG: emails go without a logo.", path)
        return None
    return data


def logo_bytes() -> bytes | None:
    """The logo's PNG, or None when CLINIC_LOGO is empty, missing or not a PNG (the name stands alone)."""
    if not settings.CLINIC_LOGO:
        return None
    return _logo_bytes(logo_path())


def letterhead_context() -> dict[str, object]:
    """What _letterhead.html shows: the clinic's name and contact, and the logo's src."""
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_email": settings.CLINIC_EMAIL,
        "clinic_address": settings.CLINIC_ADDRESS,
        "site_url": settings.SITE_URL,
        "logo_src": f"cid:{LOGO_CID}" if logo_bytes() else "",
    }


class LetterheadEmail(EmailMultiAlternatives):
    """Text and HTML alternatives; the HTML with the logo beside it when the HTML names it.

    Django 5.2 builds the alternatives in _create_alternatives; this wraps the
    HTML alternative it made in a multipart/related with the logo.
    """

    def _create_alternatives(self, msg: Any) -> Any:
        msg = super()._create_alternatives(msg)
        logo = logo_bytes()
        if logo is None or not isinstance(msg, MIMEMultipart):
            return msg
        parts = msg.get_payload()
        for index, part in enumerate(parts):
            if part.get_content_type() != "text/html" or f"cid:{LOGO_CID}" not in part.get_payload(
                decode=True
            ).decode(part.get_content_charset() or "utf-8"):
                continue
            related = SafeMIMEMultipart(
                _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
            )
            related.attach(part)
            image = MIMEImage(logo, "png")
            image.add_header("Content-ID", f"<{LOGO_CID}>")
            image.add_header("Content-Disposition", "inline", filename="logo.png")
            related.attach(image)
            parts[index] = related
        return msg


def letterhead_email(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    from_email: str | None = None,
    connection: Any = None,
) -> LetterheadEmail:
    """One email with a plain-text body and the letterhead's HTML alternative (and its inline logo)."""
    email = LetterheadEmail(subject=subject, body=text, from_email=from_email, to=to, connection=connection)
    email.attach_alternative(html, "text/html")
    return email
