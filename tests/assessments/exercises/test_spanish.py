"""The catalogue's Spanish: written for every seed exercise, seeded beside the English, kept in step by the clinic."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.exercises.catalogue import CATALOGUE
from assessments.exercises.catalogue_es import SPANISH
from assessments.exercises.services import catalogue_sync, exercise_save
from assessments.models import Exercise
from tests.assessments.exercises.test_locking import edit_data

NUMBERS = re.compile(r"\d+")


def test_every_seed_exercise_has_its_spanish_with_the_same_numbers():
    assert set(SPANISH) == {spec.code for spec in CATALOGUE}
    for spec in CATALOGUE:
        spanish = SPANISH[spec.code]
        for english, translated in (
            (spec.name, spanish.name),
            (spec.load_note, spanish.load_note),
            (spec.instructions, spanish.instructions),
        ):
            assert translated.strip()
            assert translated != english or english == "Pilates"  # a name that is the same in Spanish
            # Doses, times and heights say exactly what the English says.
            assert sorted(NUMBERS.findall(translated)) == sorted(NUMBERS.findall(english)), spec.code
        assert (
            len(spanish.name) <= 120 and len(spanish.load_note) <= 300 and len(spanish.instructions) <= 2000
        )


@pytest.mark.django_db
def test_the_migration_seeds_the_spanish_beside_the_catalogue_s_english():
    for exercise in Exercise.objects.filter(code__in=SPANISH):
        spanish = SPANISH[exercise.code]
        assert (exercise.name_es, exercise.load_note_es, exercise.instructions_es) == (
            spanish.name,
            spanish.load_note,
            spanish.instructions,
        )
    assert Exercise.objects.filter(code__in=SPANISH).count() == len(SPANISH)


@pytest.mark.django_db
def test_catalogue_sync_adds_a_missing_exercise_with_its_spanish():
    Exercise.objects.filter(code="NORDIC").delete()

    assert catalogue_sync() == 1

    nordic = Exercise.objects.get(code="NORDIC")
    assert nordic.name_es == "Curl nórdico de isquiotibiales"
    assert nordic.instructions_es == SPANISH["NORDIC"].instructions


@pytest.mark.django_db
def test_a_patient_reading_spanish_gets_the_english_where_no_spanish_is_written():
    bridge = Exercise.objects.get(code="BRIDGE")
    bridge.instructions_es = ""

    assert bridge.in_language("name", "es") == "Puente de glúteos"
    assert bridge.in_language("instructions", "es") == bridge.instructions
    assert bridge.in_language("name", "en-gb") == "Glute bridge"
    with pytest.raises(ValueError):
        bridge.in_language("code", "es")


@pytest.mark.django_db
def test_changing_the_english_without_the_spanish_is_refused(clinic_admin):
    bridge = Exercise.objects.get(code="BRIDGE")
    changed = "Lie on your back with your knees bent. Lift your hips for 3 seconds, then lower slowly."

    with pytest.raises(ValidationError) as refused:
        exercise_save(
            exercise=bridge,
            values={"instructions": changed},
            by=clinic_admin,
            expected_version=bridge.version,
        )
    assert "instructions_es" in refused.value.message_dict
    assert Exercise.objects.get(pk=bridge.pk).instructions != changed

    # Emptied: patients who read Spanish see the new English until the clinic writes the Spanish.
    saved = exercise_save(
        exercise=bridge,
        values={"instructions": changed, "instructions_es": ""},
        by=clinic_admin,
        expected_version=bridge.version,
    )
    assert saved.instructions == changed and saved.in_language("instructions", "es") == changed


@pytest.mark.django_db
def test_the_edit_page_edits_the_spanish_beside_the_english(clinic_admin_client):
    clam = Exercise.objects.get(code="CLAM")
    page = clinic_admin_client.get(reverse("assessments:exercise_edit", args=[clam.pk])).content.decode()
    assert "Instructions in Spanish" in page and "Almeja" in page

    spanish = {name: getattr(clam, name) for name in ("name_es", "load_note_es", "instructions_es")}
    stale = edit_data(clam, instructions="Lie on your side. Lift your top knee 10 times.", **spanish)
    refused = clinic_admin_client.post(reverse("assessments:exercise_edit", args=[clam.pk]), stale)
    assert refused.status_code == 400
    assert "The English changed: change the Spanish to match" in refused.content.decode()

    both = edit_data(
        clam,
        instructions="Lie on your side. Lift your top knee 10 times.",
        **{**spanish, "instructions_es": "Acuéstese de lado. Levante la rodilla de arriba 10 veces."},
    )
    assert (
        clinic_admin_client.post(reverse("assessments:exercise_edit", args=[clam.pk]), both).status_code
        == 302
    )
    clam.refresh_from_db()
    assert clam.instructions_es == "Acuéstese de lado. Levante la rodilla de arriba 10 veces."
    assert clam.name_es == "Almeja"


def test_the_demo_s_drawings_are_described_in_spanish_too():
    from assessments.demo.exercise_media import DRAWINGS

    for drawing in DRAWINGS.values():
        assert drawing.description_es.startswith("Dibujo de líneas:") and len(drawing.description_es) <= 300
