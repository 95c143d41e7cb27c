"""Two clinic admins editing one catalogue exercise: the second save from an old page is refused (409)."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.exercises.services import exercise_save
from assessments.models import Exercise
from clinic.locking import StaleVersionError
from clinic.staff.choices import Role
from tests.clinic.logins import login_verified

pytestmark = pytest.mark.django_db


def edit_data(exercise: Exercise, **overrides: object) -> dict[str, object]:
    """The edit page's form as loaded from `exercise`, with its version."""
    data: dict[str, object] = {
        "code": exercise.code,
        "name": exercise.name,
        "category": exercise.category,
        "target_area": exercise.target_area,
        "load_note": exercise.load_note,
        "frequency_per_week": str(exercise.frequency_per_week),
        "instructions": exercise.instructions,
        "contraindicated_for": list(exercise.contraindicated_for),
        "source": exercise.source,
        "version": str(exercise.version),
    }
    for name in ("default_sets", "default_reps", "default_hold_s", "default_distance_m"):
        value = getattr(exercise, name)
        data[name] = "" if value is None else str(value)
    for name in ("per_side", "is_active"):
        if getattr(exercise, name):
            data[name] = "on"
    data.update(overrides)
    return data


@pytest.fixture
def admins(clinic_admin, make_user):
    clients = []
    for user in (clinic_admin, make_user(Role.CLINIC_ADMIN, full_name="Abe Admin")):
        clients.append(login_verified(Client(), user))
    return clients


def test_two_edits_from_one_version_second_gets_the_conflict(admins):
    first, second = admins
    clam = Exercise.objects.get(code="CLAM")
    url = reverse("assessments:exercise_edit", args=[clam.pk])
    assert first.get(url).status_code == second.get(url).status_code == 200

    saved = first.post(url, edit_data(clam, default_reps="20"))
    refused = second.post(url, edit_data(clam, load_note="Add a loop band above the knees"))

    assert (saved.status_code, refused.status_code) == (302, 409)
    current = Exercise.objects.get(pk=clam.pk)
    assert (current.default_reps, current.load_note, current.version) == (20, clam.load_note, 2)
    page = refused.content.decode()
    assert 'role="alert" id="conflict"' in page
    assert 'value="Add a loop band above the knees"' in page
    assert 'name="version" value="2"' in page
    differences = {d.label: (d.saved, d.typed) for d in refused.context["conflict"].differences}
    assert differences == {
        "Default reps": ("20", "15"),
        "Load note": (clam.load_note, "Add a loop band above the knees"),
    }


def test_a_stale_save_raises_and_changes_nothing(clinic_admin):
    clam = Exercise.objects.get(code="CLAM")
    exercise_save(exercise=clam, values={"default_reps": 12}, by=clinic_admin, expected_version=1)
    before = Exercise.objects.filter(pk=clam.pk).values().get()

    with pytest.raises(StaleVersionError):
        exercise_save(exercise=clam, values={"name": "Side-lying clam"}, by=clinic_admin, expected_version=1)

    assert Exercise.objects.filter(pk=clam.pk).values().get() == before
