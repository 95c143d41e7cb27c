"""No typed value is lost on save: one invalid value keeps every valid one in its row and the form.

Parametrised over the form's own rows (every kind of finding, every item, both sides), so a new
test added to the form is covered without touching this file.
"""

import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from assessments.models import Assessment, StrengthTest
from assessments.record.forms.bundle import PREFIXES, AssessmentForms, cell_prefix
from assessments.record.forms.findings import CELL_FORMS, SETTINGS_FORMS
from assessments.record.forms.html import cell_html
from assessments.record.selectors import assessment_for_page
from assessments.record.services.assessment import assessment_save_draft
from assessments.record.services.findings import FINDING_KINDS, existing_rows
from tests.assessments.record.forms_data import browser_post
from tests.assessments.record.full_record import every_finding

pytestmark = pytest.mark.django_db

SETTINGS = {name: tuple(form.base_fields) for name, form in SETTINGS_FORMS.items()}


def _rows() -> list[tuple[str, str]]:
    """(kind, item) of every multi-value row: a left/right item, or a one-cell test with several fields."""
    rows = []
    for kind in FINDING_KINDS.values():
        items = dict.fromkeys(key[0] for key in kind.keys if len(key) == 2)
        if items:
            rows.extend((kind.name, item) for item in items)
        else:
            rows.append((kind.name, ""))
    return rows


def _keys(kind: str, item: str) -> list[tuple[str, ...]]:
    return [key for key in FINDING_KINDS[kind].keys if (key[0] == item if len(key) == 2 else True)]


def _posted(value: object) -> str:
    return {True: "true", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _values(kind: str, key: tuple[str, ...]) -> dict[str, str]:
    """The valid values of one cell as posted (shared settings under the row's own prefix)."""
    posted = {}
    for name, value in every_finding()[kind][key].items():
        if name in SETTINGS.get(kind, ()):
            posted[f"{cell_prefix(kind, key[:1])}-{name}"] = _posted(value)
        else:
            posted[f"{cell_prefix(kind, key)}-{name}"] = _posted(value)
    return posted


def _invalid_field(kind: str, key: tuple[str, ...]) -> tuple[str, str]:
    """A field of the cell and a value it refuses: the pain score when the cell has one."""
    form = CELL_FORMS[kind](key=key, prefix=cell_prefix(kind, key))
    if "pain_nprs" in form.fields:
        return "pain_nprs", "11"
    first = next(name for name in form.entry_fields if name in form.fields)
    return first, "not-a-value"


def _stored(assessment: Assessment, kind: str) -> dict:
    return existing_rows(Assessment.objects.get(pk=assessment.pk), FINDING_KINDS[kind])


def _matches(row, kind: str, key: tuple[str, ...]) -> bool:
    for name, value in every_finding()[kind][key].items():
        stored = getattr(row, name)
        if stored != value and not (isinstance(value, Decimal) and Decimal(stored) == value):
            return False
    return True


@pytest.mark.parametrize(("kind", "item"), _rows(), ids=lambda v: v or "one")
def test_one_invalid_cell_keeps_the_valid_values_of_its_row(draft, therapist, kind, item):
    keys = _keys(kind, item)
    bad_key = keys[0]
    bad_name, bad_value = _invalid_field(kind, bad_key)
    bad_input = f"{cell_prefix(kind, bad_key)}-{bad_name}"
    typed: dict[str, str] = {"a-plan": "Keep running easy"}
    for key in keys:
        typed.update(_values(kind, key))
    typed[bad_input] = bad_value
    data = QueryDict(mutable=True)
    for name, value in browser_post(draft, **typed).items():
        data.setlist(name, value if isinstance(value, list) else [value])

    forms = AssessmentForms(assessment_for_page(draft.pk), data)
    assessment_save_draft(assessment=draft, by=therapist, expected_version=1, changes=forms.changes())

    # Saved: the form's other parts and every valid cell of the row.
    assert forms.has_errors
    assert Assessment.objects.get(pk=draft.pk).plan == "Keep running easy"
    stored = _stored(draft, kind)
    for key in keys[1:]:
        assert key in stored and _matches(stored[key], kind, key), key
    if bad_name == "pain_nprs":
        # The invalid cell keeps its valid result; the refused pain score is not stored.
        assert bad_key in stored and _matches(stored[bad_key], kind, bad_key)
        assert stored[bad_key].pain_nprs is None
    # Shown again: the invalid raw text in its input, marked and described by its message.
    cell = str(cell_html(forms.cells[kind][bad_key]))
    tag = re.search(rf'<(?:input|select)[^>]*name="{re.escape(bad_input)}"[^>]*>', cell).group(0)
    assert 'aria-invalid="true"' in tag
    assert f'aria-describedby="id_{bad_input}_error"' in tag
    assert f'id="id_{bad_input}_error"' in cell
    if bad_name == "pain_nprs":
        assert f'value="{bad_value}"' in tag
    # After a reload (the record as stored) every valid value is on the page.
    shown = browser_post(draft)
    for key in keys[1:]:
        for name, value in _values(kind, key).items():
            assert _same(shown[name], value), (name, shown[name], value)


def _same(shown: str, typed: str) -> bool:
    try:
        return Decimal(shown) == Decimal(typed)
    except ArithmeticError:
        return shown == typed


def test_an_invalid_shared_setting_keeps_both_forces(therapist_client, draft):
    """The 141 N / 139 N of a muscle group survive a lever arm out of range (and the stance times an error)."""
    typed = {
        "sls-left-trial_1_s": "9",
        "sls-right-trial_1_s": "14",
        "sls-right-trial_2_s": "75",
        "str-hip_abductors-position": "side_lying",
        "str-hip_abductors-lever_arm_m": "5",
        "str-hip_abductors-left-trial_1_n": "141",
        "str-hip_abductors-right-trial_1_n": "139",
    }

    response = therapist_client.post(
        reverse("assessments:edit", kwargs={"pk": draft.pk}), browser_post(draft, **typed)
    )

    assert response.status_code == 400
    forces = dict(StrengthTest.objects.filter(assessment=draft).values_list("side", "trial_1_n"))
    assert forces == {"left": Decimal(141), "right": Decimal(139)}
    times = {key[0]: row.trial_1_s for key, row in _stored(draft, "single_leg_stance").items()}
    assert times == {"left": Decimal(9), "right": Decimal(14)}
    page = response.content.decode()
    assert 'value="5"' in page and 'value="75"' in page
    assert 'id="id_str-hip_abductors-lever_arm_m_error"' in page


def test_an_invalid_header_field_keeps_the_others(therapist_client, draft):
    typed = {"a-body_weight_kg": "900", "a-plan": "Easy runs only", "s-nprs_now": "4"}

    response = therapist_client.post(
        reverse("assessments:edit", kwargs={"pk": draft.pk}), browser_post(draft, **typed)
    )

    assert response.status_code == 400
    saved = Assessment.objects.get(pk=draft.pk)
    assert (saved.plan, saved.subjective.nprs_now) == ("Easy runs only", 4)
    assert 'value="900"' in response.content.decode()


def test_a_test_the_page_did_not_show_keeps_what_the_record_holds(therapist_client, draft, therapist):
    from tests.assessments.record.helpers import save

    save(draft, therapist, findings={"rom": {("flexion", "left"): {"degrees": 100}}})
    data = {
        name: value
        for name, value in browser_post(draft).items()
        if not name.startswith(f"{PREFIXES['rom']}-flexion")
    }

    response = therapist_client.post(reverse("assessments:edit", kwargs={"pk": draft.pk}), data)

    assert response.status_code == 302
    assert _stored(draft, "rom")[("flexion", "left")].degrees == 100


def test_an_invalid_impression_field_keeps_the_impressions(therapist_client, draft):
    typed = {
        "imp-0-code": "GTPS_GLUT_TEND",
        "imp-0-side": "right",
        "imp-0-onset_date": "31/31/2026",
        "imp-1-code": "WEAKNESS_IMBALANCE",
    }

    response = therapist_client.post(
        reverse("assessments:edit", kwargs={"pk": draft.pk}), browser_post(draft, **typed)
    )

    assert response.status_code == 400
    codes = list(draft.impressions.order_by("-is_primary", "pk").values_list("code", "side"))
    assert [code for code, _side in codes] == ["GTPS_GLUT_TEND", "WEAKNESS_IMBALANCE"]
    assert codes[0][1] == "right"
    assert 'value="31/31/2026"' in response.content.decode()
