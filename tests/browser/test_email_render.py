"""Every email's HTML read on a phone (390 px) in Chromium: no sideways scroll, the letterhead in view, text ≥ 14 px, axe clean."""

import base64

import pytest
from django.conf import settings
from django.utils import translation

from clinic.messaging.emails import render_email_parts
from clinic.messaging.letterhead import LOGO_CID, logo_bytes
from tests.browser.axe import assert_accessible
from tests.clinic.messaging.test_letterhead import email_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The smallest computed font size of any element that holds text of its own, in px.
SMALLEST_TEXT = """() => {
    let smallest = Infinity;
    for (const element of document.body.querySelectorAll('*')) {
        const own = [...element.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (own) smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
    }
    return smallest;
}"""


def test_every_email_reads_on_a_phone_in_english_and_spanish(phone_page):
    samples = email_samples()
    # What a mail client does with the inline logo: shows the attached PNG where the HTML names its Content-ID.
    logo = "data:image/png;base64," + base64.b64encode(logo_bytes() or b"").decode()
    checked = []
    for language in (settings.LANGUAGE_CODE, "es"):
        for template, context in samples.items():
            with translation.override(language):
                _subject, _text, html = render_email_parts(template, context)
            phone_page.set_content(html.replace(f"cid:{LOGO_CID}", logo))

            widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (template, language, widths)
            assert phone_page.locator("img").evaluate("img => img.naturalWidth") == 96
            name = phone_page.locator(".lh-name")
            assert name.is_visible() and name.inner_text() == settings.CLINIC_NAME
            assert phone_page.get_by_role("link", name=settings.CLINIC_PHONE).is_visible()
            assert phone_page.evaluate(SMALLEST_TEXT) >= 14, (template, language)
            assert_accessible(phone_page)
            checked.append((language, template))

    assert len(checked) == 2 * len(samples)
