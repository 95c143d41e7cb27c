"""HTML templates to PDF bytes with WeasyPrint: local stylesheets and system fonts only, tagged for accessibility.

WeasyPrint fetches every stylesheet and image a document names. The fetcher
here serves files of the project's `static/` directory and `data:` URLs and
refuses everything else, so a letter never reaches the network (a value a
user typed cannot make the server fetch a URL) and reads the same offline.
Fonts come from the system (fontconfig: DejaVu Sans on Debian). WeasyPrint
is imported on first use: it takes most of a second, which every process
start would otherwise pay.
"""

import functools
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def local_only(url: str, root: Path = STATIC_DIR) -> str:
    """`url` when a letter may load it (a file under `root`, or data:); else ValueError."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not Path(unquote(parts.path)).resolve().is_relative_to(root.resolve()):
            raise ValueError(f"Letters load only the clinic's own static files, not {url!r}.")
    elif parts.scheme != "data":
        raise ValueError(f"Letters load no network resources ({parts.scheme or 'relative'} URL refused).")
    return url


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 -- slow import, first PDF only

    class LocalOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, limited to what `local_only` allows."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

        def fetch(self, url: str, headers: object = None) -> object:
            return super().fetch(local_only(url), headers)

    return LocalOnlyFetcher


def html_to_pdf(html: str) -> bytes:
    """A rendered page as a tagged PDF (PDF/UA-1: structure and reading order for screen readers)."""
    from weasyprint import HTML  # noqa: PLC0415 -- slow import, first PDF only

    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher_class()())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def letterhead() -> dict[str, str]:
    return {
        "clinic_name": settings.CLINIC_NAME,
        "clinic_address": settings.CLINIC_ADDRESS,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_email": settings.CLINIC_EMAIL,
    }


def language_tag(code: str) -> str:
    """A Django language code as the PDF's language tag: "en-gb" → "en-GB", "es" → "es"."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    """Render `template` (it extends assessments/documents/base.html) with the letterhead, as PDF bytes.

    In the active language, which the document declares as its own.
    """
    language = language_tag(translation.get_language() or settings.LANGUAGE_CODE)
    return html_to_pdf(render_to_string(template, {**letterhead(), "document_language": language, **context}))
