"""The exercise catalogue in the database: clinic admins add and edit; the seed comes from catalogue.py."""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.exercises.catalogue import CATALOGUE, CONTRAINDICATION_CODES
from assessments.exercises.catalogue_es import spanish_of
from assessments.exercises.media import CheckedMedia
from assessments.models import Exercise
from assessments.models.exercise import TRANSLATED_FIELDS
from assessments.record.services.findings import save_checked
from clinic.locking import check_version
from clinic.staff.models import User

EDITABLE = (
    "code",
    "name",
    "category",
    "target_area",
    "default_sets",
    "default_reps",
    "default_hold_s",
    "default_distance_m",
    "per_side",
    "load_note",
    "frequency_per_week",
    "instructions",
    "name_es",
    "load_note_es",
    "instructions_es",
    "contraindicated_for",
    "source",
    "is_active",
    "media_description",
    "media_description_es",
)


@transaction.atomic
def exercise_save(
    *,
    exercise: Exercise | None,
    values: dict[str, object],
    by: User,
    expected_version: int | None = None,
    media: CheckedMedia | None = None,
    remove_media: bool = False,
) -> Exercise:
    """Add (exercise None) or change a catalogue exercise; the database constraints are the rules.

    `media` (checked by assessments.exercises.media) replaces the exercise's
    image or video; `remove_media` takes it away. The new file is written
    under a random name before the row is saved (and deleted again if the
    save fails); the file it replaces is deleted once the change commits.

    A code cannot change once the exercise exists (programmes and the seed
    refer to it). Contraindications are impression codes that carry §8.5
    defaults. Raises ValidationError with the rule's message, and
    StaleVersionError (nothing saved) when the exercise changed since
    `expected_version`, the version its edit page was loaded with. A change
    bumps `version`.
    """
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"exercise does not take {sorted(unknown)}")
    if exercise is None:
        exercise = Exercise(kind_note="clinic")
    else:
        exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
        check_version(exercise, expected_version)
        values = {k: v for k, v in values.items() if k != "code"}
        exercise.version += 1
    _spanish_kept_in_step(exercise, values)
    for name, value in values.items():
        setattr(exercise, name, value)
    exercise.contraindicated_for = sorted(set(exercise.contraindicated_for or []) & CONTRAINDICATION_CODES)
    replaced = (exercise.media.name or "") if (media is not None or remove_media) else ""
    written = ""
    if remove_media and media is None:
        exercise.media = ""
        exercise.media_type = ""
    if media is not None:
        exercise.media.save(f"upload{media.extension}", media.file, save=False)
        exercise.media_type = media.media_type
        written = exercise.media.name or ""
    try:
        exercise.full_clean(validate_constraints=False)
        save_checked(exercise)
    except Exception:
        if written:
            exercise.media.storage.delete(written)
        raise
    if replaced:
        storage = exercise.media.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return exercise


def _spanish_kept_in_step(exercise: Exercise, values: dict[str, object]) -> None:
    """Refuse a change to an English text whose Spanish version stays as it was.

    Patients who read Spanish would otherwise follow instructions the clinic has
    since changed. Update the Spanish with it, or empty it (they then see the English).
    """
    if exercise.pk is None:
        return
    stale = {}
    for field in TRANSLATED_FIELDS:
        english = values.get(field, getattr(exercise, field))
        spanish = values.get(f"{field}_es", getattr(exercise, f"{field}_es"))
        if english != getattr(exercise, field) and spanish and spanish == getattr(exercise, f"{field}_es"):
            stale[f"{field}_es"] = (
                "The English changed: change the Spanish to match, or empty it so that patients who "
                "read Spanish see the English."
            )
    if stale:
        raise ValidationError(stale)


@transaction.atomic
def catalogue_sync() -> int:
    """Add the catalogue.py exercises missing from the database (never overwrites edits); returns how many."""
    existing = set(Exercise.objects.values_list("code", flat=True))
    added = 0
    for spec in CATALOGUE:
        if spec.code in existing:
            continue
        spanish = spanish_of(spec.code)
        Exercise.objects.create(
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
            name_es=spanish.name if spanish else "",
            load_note_es=spanish.load_note if spanish else "",
            instructions_es=spanish.instructions if spanish else "",
        )
        added += 1
    return added
