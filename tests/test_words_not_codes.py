"""Staff pages of the demo clinic say things in words: no stored code reaches the visible text.

The codes are collected from the project itself: every choice value of every
model field that is a code (snake_case like "not_ready", or ALL_CAPS like
"BSI_FEM_NECK"), every message kind, the ladder rules' decisions, and route
names ("assessments:programme_detail"). Each page's visible text (not its
attributes, scripts or styles) must contain none of them.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse

from assessments.models import Assessment, Programme
from assessments.programmes.rules._common import DECISION_LABELS
from clinic.messaging.registry import KINDS
from clinic.staff.models import User
from patients.models import Appointment
from tests.clinic.logins import login_verified

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")
CAPS = re.compile(r"^[A-Z]+(?:_[A-Z0-9]+)+$")
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
ROUTE = re.compile(r"\b[a-z_]+:[a-z]+_[a-z_]+\b")


def known_codes() -> set[str]:
    codes = set(KINDS) | set(DECISION_LABELS)
    for model in apps.get_models():
        if model._meta.app_label not in {"patients", "assessments", "messaging", "audit", "staff"}:
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str):
                    codes.add(value)
    return {c for c in codes if SNAKE.match(c) or CAPS.match(c)}


class _Visible(HTMLParser):
    """The text a reader sees: text nodes outside <script>, <style>, <template> and the <head>."""

    HIDDEN = {"script", "style", "template", "head"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_in(text: str, codes: set[str]) -> set[str]:
    return {t for t in TOKEN.findall(text) if t in codes} | set(ROUTE.findall(text))


def test_codes_are_found_in_text_and_not_in_attributes():
    codes = {"not_ready", "BSI_FEM_NECK"}
    html = '<p class="status-not_ready" data-x="BSI_FEM_NECK">Not ready</p><script>var a="not_ready"</script>'

    assert codes_in(visible_text(html), codes) == set()
    assert codes_in(visible_text("<td>not_ready · BSI_FEM_NECK</td>"), codes) == {"not_ready", "BSI_FEM_NECK"}
    assert codes_in("seen on assessments:programme_detail", codes) == {"assessments:programme_detail"}
    assert {"not_ready", "weekly_checkin", "BSI_FEM_NECK", "step_down"} <= known_codes()


@pytest.fixture
def demo(demo_module):
    """The demo clinic, loaded once for this module."""


def _pages() -> dict[str, list[str]]:
    programmes = list(Programme.objects.order_by("pk"))
    assessments = list(Assessment.objects.order_by("pk"))
    appointments = list(Appointment.objects.order_by("starts_at", "pk")[:5])
    clinical = []
    for programme in programmes:
        clinical += [
            reverse("assessments:programme_detail", args=[programme.pk]),
            reverse("assessments:programme_ladder", args=[programme.pk]),
            reverse("assessments:programme_progress", args=[programme.pk]),
            reverse("assessments:training_timeline", args=[programme.pk]),
        ]
        clinical += [
            reverse("assessments:programme_phase", args=[programme.pk, p.pk]) for p in programme.phases.all()
        ]
    clinical += [reverse("assessments:detail", args=[a.pk]) for a in assessments]
    patients = sorted({p.patient_id for p in programmes} | {a.patient_id for a in appointments})
    return {
        "admin@stride.example": [
            reverse("messaging:outbox"),
            reverse("audit:access_log"),
            reverse("audit:security_log"),
            reverse("assessments:programme_list"),
            reverse("assessments:todo"),
            reverse("patients:my_day"),
            *clinical,
            *[reverse("patients:detail", args=[pk]) for pk in patients],
        ],
        "desk@stride.example": [
            reverse("patients:today"),
            reverse("patients:calendar"),
            reverse("patients:calendar") + "?view=week",
            reverse("patients:online_requests"),
            reverse("patients:list"),
            *[reverse("patients:appointment", args=[a.pk]) for a in appointments],
        ],
    }


def test_staff_pages_of_the_demo_show_no_codes(client, demo):
    codes = known_codes()
    found: dict[str, set[str]] = {}
    for email, urls in _pages().items():
        login_verified(client, User.objects.get(email=email))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (email, url, response.status_code)
            seen = codes_in(visible_text(response.content.decode()), codes)
            if seen:
                found[url] = seen
        client.logout()

    assert found == {}


def test_phase_weeks_are_ranges_in_words_and_say_where_they_overlap():
    from assessments.programmes.phase_plans import default_phases, weeks_text

    assert weeks_text(1, 1) == "week 1"
    assert weeks_text(2, 4, earlier_ends=(1,)) == "weeks 2–4"
    # The eight-week plan starts return to run in the last week of heavy strength work.
    plan = default_phases(8, bone_stress=False)
    spans = [(p.start_week, p.end_week) for p in plan]
    texts = [
        weeks_text(s, e, earlier_ends=tuple(end for _, end in spans[:i])) for i, (s, e) in enumerate(spans)
    ]
    assert texts == ["week 1", "weeks 2–4", "weeks 5–7", "weeks 7–8 (overlaps week 7)"]


def test_labels_of_codes_read_as_words():
    from assessments.templatetags.programme_tags import dashboard_status_label, decision_label
    from clinic.messaging.templatetags.messaging_tags import kind_label

    assert decision_label("step_down") == "step down"
    assert decision_label("not_ready") == "not ready"
    assert dashboard_status_label("on_track") == "On track"
    assert kind_label("weekly_checkin") == "Weekly check-in request"
    assert kind_label("some_old_kind") == "Some old kind"
