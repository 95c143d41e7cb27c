"""Stored free text is always escaped on output.

Django escapes every variable; these tests make sure nothing switches that
off: no `|safe` or `autoescape off` in HTML templates, and mark_safe only in
the reviewed places that build markup from trusted parts.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Plain-text emails are not HTML: escaping there would show &amp; to the reader.
TEXT_TEMPLATE = re.compile(r"-(subject|body)\.txt$")
REVIEWED_MARK_SAFE = {
    "clinic/staff/twofactor.py",  # QR code SVG built by qrcode's ElementTree (escapes)
    "assessments/programmes/charts.py",  # progress charts: joins format_html parts (values escaped)
    "assessments/record/forms/html.py",  # the assessment's inputs, built from Django's widget context (escaped)
}


def test_no_html_template_switches_escaping_off():
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if not path.is_file() or TEXT_TEMPLATE.search(path.name):
            continue
        text = path.read_text()
        if re.search(r"\|\s*safe\b|autoescape\s+off|\|\s*safeseq\b", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_mark_safe_only_in_reviewed_modules():
    users = set()
    for package in ("clinic", "patients", "assessments"):
        for path in (ROOT / package).rglob("*.py"):
            if re.search(r"\bmark_safe\(|\bSafeString\(", path.read_text()):
                users.add(str(path.relative_to(ROOT)))
    assert users == REVIEWED_MARK_SAFE


def test_charts_escape_their_labels():
    from assessments.programmes.charts import Chart, Series, chart_svg

    hostile = '<script>alert("x")</script>'
    chart = Chart(
        key="pain",
        title=hostile,
        description=hostile,
        x_labels=(hostile, "W2"),
        series=(Series(key="worst", label=hostile, values=(3, 2)),),
    )

    svg = str(chart_svg(chart))

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
