"""Seed the exercise catalogue from assessments.catalogue (domain.md §8.5).

A data migration, so every environment (production, tests, `make run`) has
the catalogue. It only adds codes that are missing: clinic admins' edits are
never overwritten, and running it again adds nothing. Later additions to
catalogue.py reach existing databases through `assessments.services.catalogue_sync`.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from assessments.catalogue import CATALOGUE  # noqa: PLC0415 -- pure data module

    Exercise = apps.get_model("assessments", "Exercise")
    existing = set(Exercise.objects.values_list("code", flat=True))
    Exercise.objects.bulk_create(
        [
            Exercise(
                code=spec.code,
                name=spec.name,
                category=spec.category,
                target_area=spec.target_area,
                default_sets=spec.default_sets,
                default_reps=spec.default_reps,
                default_hold_s=spec.default_hold_s,
                default_distance_m=spec.default_distance_m,
                per_side=spec.per_side,
                load_note=spec.load_note,
                frequency_per_week=spec.frequency_per_week,
                instructions=spec.instructions,
                contraindicated_for=list(spec.contraindicated_for),
                source=spec.source,
                kind_note=spec.kind_note,
            )
            for spec in CATALOGUE
            if spec.code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_programme")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
