"""The edit page shows the chosen tests only; "Add test" and "Remove" work without the script; fixed queries."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, RangeOfMotion
from assessments.record.forms.bundle import TEST_GROUPS
from tests.assessments.record.forms_data import browser_post
from tests.assessments.record.full_record import full_reassessment
from tests.assessments.record.test_queries import EDIT_QUERIES

pytestmark = pytest.mark.django_db

FIELD = re.compile(r"<(?:input|select|textarea)\b")


def _live_fields(page: str) -> int:
    """Inputs on the page itself (a <template>'s content is not part of the form until added)."""
    return len(FIELD.findall(re.sub(r"<template\b.*?</template>", "", page, flags=re.DOTALL)))


def _edit(pk: int) -> str:
    return reverse("assessments:edit", kwargs={"pk": pk})


def _posted_page(data: dict) -> dict:
    """What the page posts: the inputs it shows (not those of the tests it does not show)."""
    shown = {f"{group}:{item}" for group in TEST_GROUPS for item in TEST_GROUPS[group].core}
    prefixes = {
        "strength": "str",
        "rom": "rom",
        "muscle_length": "ml",
        "special": "sp",
        "impact": "sp",
        "palpation": "pal",
    }
    hidden = {
        f"{prefixes[group]}-{item}-"
        for group, tests in TEST_GROUPS.items()
        for item in tests.items
        if f"{group}:{item}" not in shown
    }
    return {name: value for name, value in data.items() if not any(name.startswith(p) for p in hidden)}


def test_a_new_draft_shows_the_core_tests_with_far_fewer_fields(therapist_client, draft):
    page = therapist_client.get(_edit(draft.pk)).content.decode()

    assert _live_fields(page) < 250  # every test of the catalogue is over 580
    assert len(FIELD.findall(page)) > 580  # the others wait in their <template>, ready to add
    for group in TEST_GROUPS.values():
        for item in group.core:
            assert f'data-test="{group.name}:{item}"' in page
    assert 'name="add-strength"' in page


def test_add_test_without_the_script_saves_and_shows_the_test(therapist_client, draft):
    data = _posted_page(browser_post(draft, **{"a-plan": "Typed before adding"}))
    data.update({"action": "add:rom", "add-rom": "flexion"})

    response = therapist_client.post(_edit(draft.pk), data)

    assert response.status_code == 200
    page = re.sub(r"<template\b.*?</template>", "", response.content.decode(), flags=re.DOTALL)
    assert 'name="rom-flexion-left-degrees"' in page
    assert "Typed before adding" in page
    assert Assessment.objects.get(pk=draft.pk).plan == "Typed before adding"
    # Its value saves with the next save, and the redirect keeps an added test still empty.
    again = _posted_page(browser_post(draft))
    again.update(
        {"rom-flexion-left-degrees": "115", "rom-flexion-left-not_tested": "", "rom-flexion-position": ""}
    )
    again.update({"sp-hop-left-not_tested": "", "action": "save"})
    response = therapist_client.post(_edit(draft.pk), again)
    assert response.status_code == 302
    assert "impact:hop" in response["Location"].partition("?show=")[2].split(",")
    assert RangeOfMotion.objects.get(assessment=draft, movement="flexion", side="left").degrees == 115
    shown = therapist_client.get(response["Location"]).content.decode()
    assert 'name="sp-hop-left-not_tested"' in re.sub(r"<template\b.*?</template>", "", shown, flags=re.DOTALL)


def test_remove_takes_an_empty_test_off_the_page(therapist_client, draft):
    data = _posted_page(browser_post(draft))
    data.update({"sp-hop-left-not_tested": "", "sp-hop-right-not_tested": "", "action": "remove:impact:hop"})

    response = therapist_client.post(_edit(draft.pk), data)

    page = re.sub(r"<template\b.*?</template>", "", response.content.decode(), flags=re.DOTALL)
    assert response.status_code == 200
    assert 'name="sp-hop-left-not_tested"' not in page
    assert '<option value="hop">' in page


def test_a_test_with_values_is_always_shown(therapist_client, patient, therapist):
    assessment = full_reassessment(patient, therapist)

    page = therapist_client.get(_edit(assessment.pk)).content.decode()

    assert "<template" not in page  # every test holds a value: none is left to add
    assert 'value="remove:' not in page  # and none can be removed while it has one


def test_edit_page_of_a_full_reassessment_in_fixed_queries(
    therapist_client, django_assert_max_num_queries, patient, therapist
):
    assessment = full_reassessment(patient, therapist)

    with django_assert_max_num_queries(EDIT_QUERIES):
        response = therapist_client.get(_edit(assessment.pk))

    assert response.status_code == 200
    assert "Compared with the initial assessment" in response.content.decode()
