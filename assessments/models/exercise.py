"""The exercise catalogue (domain.md §8.5): seeded from assessments.exercises.catalogue, edited by clinic admins."""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import translation

from assessments.exercises.catalogue import MAX_DISTANCE_M, MAX_HOLD_S, MAX_REPS, MAX_SETS
from assessments.exercises.choices import IMAGE_TYPES, ExerciseCategory, MediaType
from assessments.models.base import choice_valid, in_range
from clinic.audit.tracking import audit_tracked

CODE_PATTERN = r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$"
# The texts with a Spanish version (`<field>_es`) for patients who read Spanish.
TRANSLATED_FIELDS = ("name", "load_note", "instructions", "media_description")


def exercise_media_storage() -> Storage:
    """The private storage of exercise images and videos (settings.STORAGES["exercise_media"]: no URL)."""
    return storages["exercise_media"]


def exercise_media_name(instance: models.Model, filename: str) -> str:
    """A random file name with the checked type's extension: nothing of the upload's own name is kept."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"exercises/{secrets.token_hex(16)}{suffix}"


@audit_tracked
class Exercise(models.Model):
    """One exercise a therapist can prescribe, with its † default dose and plain instructions.

    The dose is `default_sets` × one of reps, hold seconds or metres; with none
    of them the dose is described in `load_note` (cross-training minutes, foot
    contacts). Retired exercises stay (programmes refer to them) but are not
    offered for new prescriptions.
    """

    code = models.CharField(
        max_length=40, unique=True, help_text="Upper case with underscores, e.g. SL_BRIDGE."
    )
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=24, choices=ExerciseCategory.choices)
    target_area = models.CharField(max_length=200)
    default_sets = models.PositiveSmallIntegerField(null=True, blank=True)
    default_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    default_hold_s = models.PositiveSmallIntegerField("default hold (s)", null=True, blank=True)
    default_distance_m = models.PositiveSmallIntegerField("default distance (m)", null=True, blank=True)
    per_side = models.BooleanField(default=False, help_text="The dose is done on each side.")
    load_note = models.CharField(max_length=300, help_text="Load and how to progress it, in plain words.")
    frequency_per_week = models.PositiveSmallIntegerField(default=2)
    instructions = models.TextField(max_length=2000, help_text="What the patient reads: plain language.")
    # The Spanish a patient who reads Spanish is shown (blank: they see the English). Seeded from
    # catalogue_es while the English is the catalogue's own; the clinic keeps it in step with its edits.
    name_es = models.CharField("name in Spanish", max_length=120, blank=True)
    load_note_es = models.CharField("load note in Spanish", max_length=300, blank=True)
    instructions_es = models.TextField(
        "instructions in Spanish",
        max_length=2000,
        blank=True,
        help_text="Shown to patients who read Spanish; leave blank and they see the English.",
    )
    # Impression codes (domain.md §6) the exercise is contraindicated for: a warning, never a block.
    contraindicated_for = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=100, blank=True)
    kind_note = models.CharField("domain.md kind", max_length=100, blank=True)
    is_active = models.BooleanField("offered for new prescriptions", default=True)
    # An image or short video shown with the instructions: re-encoded (images) or
    # container-checked (videos) by assessments.exercises.media, served only
    # through the authorised media views (never a public URL).
    media = models.FileField(
        "image or video",
        storage=exercise_media_storage,
        upload_to=exercise_media_name,
        max_length=100,
        blank=True,
    )
    media_type = models.CharField(max_length=20, choices=MediaType.choices, blank=True)
    media_description = models.CharField(
        "description of the image or video",
        max_length=300,
        blank=True,
        help_text="What it shows, in plain words: read out to patients who cannot see it (required for images).",
    )
    media_description_es = models.CharField(
        "description in Spanish", max_length=300, blank=True, help_text="For patients who read Spanish."
    )
    # Optimistic lock of the catalogue's edit page: every saved edit bumps it; a save naming an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="assessments_exercise_code_format",
                violation_error_message="Codes are upper case letters, digits and underscores, e.g. SL_BRIDGE.",
            ),
            choice_valid(
                "assessments_exercise_category_valid", "category", ExerciseCategory.values, blank=False
            ),
            in_range(
                "assessments_exercise_sets_range", "default_sets", 1, MAX_SETS, f"Sets are 1–{MAX_SETS}."
            ),
            in_range(
                "assessments_exercise_reps_range", "default_reps", 1, MAX_REPS, f"Reps are 1–{MAX_REPS}."
            ),
            in_range(
                "assessments_exercise_hold_range",
                "default_hold_s",
                1,
                MAX_HOLD_S,
                f"Holds are 1–{MAX_HOLD_S} s.",
            ),
            in_range(
                "assessments_exercise_distance_range",
                "default_distance_m",
                1,
                MAX_DISTANCE_M,
                f"Distances are 1–{MAX_DISTANCE_M} m.",
            ),
            models.CheckConstraint(
                condition=Q(frequency_per_week__gte=1, frequency_per_week__lte=7),
                name="assessments_exercise_frequency_range",
                violation_error_message="Frequency is 1–7 times a week.",
            ),
            models.CheckConstraint(
                # At most one amount: reps, a hold or a distance.
                condition=Q(default_reps__isnull=True, default_hold_s__isnull=True)
                | Q(default_reps__isnull=True, default_distance_m__isnull=True)
                | Q(default_hold_s__isnull=True, default_distance_m__isnull=True),
                name="assessments_exercise_one_amount",
                violation_error_message="Give reps, a hold or a distance: only one of them.",
            ),
            models.CheckConstraint(
                condition=Q(default_sets__isnull=True)
                | Q(default_reps__isnull=False)
                | Q(default_hold_s__isnull=False)
                | Q(default_distance_m__isnull=False),
                name="assessments_exercise_sets_need_amount",
                violation_error_message="Sets need reps, a hold or a distance.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessments_exercise_version_positive"),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(instructions="") & ~Q(load_note=""),
                name="assessments_exercise_has_text",
                violation_error_message="Give a name, a load note and instructions.",
            ),
            choice_valid("assessments_exercise_media_type_valid", "media_type", MediaType.values),
            models.CheckConstraint(
                condition=Q(media="", media_type="") | (~Q(media="") & ~Q(media_type="")),
                name="assessments_exercise_media_has_type",
                violation_error_message="A stored image or video has its checked type.",
            ),
            models.CheckConstraint(
                condition=~Q(media_type__startswith="image/") | ~Q(media_description=""),
                name="assessments_exercise_image_described",
                violation_error_message="Describe the image: patients who cannot see it hear the description.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_language(self, field: str, language: str | None = None) -> str:
        """`field` (one of TRANSLATED_FIELDS) as a patient reading `language` is shown it.

        The Spanish version when the language (by default the active one) is Spanish
        and it is filled in, else the English: never a machine translation.
        """
        if field not in TRANSLATED_FIELDS:
            raise ValueError(f"{field!r} has no translations")
        language = language or translation.get_language() or ""
        if language.split("-")[0] == "es":
            return getattr(self, f"{field}_es") or getattr(self, field)
        return getattr(self, field)

    @property
    def shown_name(self) -> str:
        """The name in the active language (patient pages and the exercise sheet)."""
        return self.in_language("name")

    @property
    def shown_instructions(self) -> str:
        """The instructions in the active language (patient pages and the exercise sheet)."""
        return self.in_language("instructions")

    @property
    def shown_media_description(self) -> str:
        """The image's or video's description in the active language."""
        return self.in_language("media_description")

    @property
    def media_is_image(self) -> bool:
        """The stored media is an image (else a video, or none when `media` is empty)."""
        return bool(self.media) and self.media_type in IMAGE_TYPES

    @property
    def dose_text(self) -> str:
        """The default dose as the patient reads it ("3 × 15 per side", "2 × 30 s")."""
        return dose_text(
            sets=self.default_sets,
            reps=self.default_reps,
            hold_s=self.default_hold_s,
            distance_m=self.default_distance_m,
            per_side=self.per_side,
            load_note=self.load_note,
        )


def dose_text(
    *,
    sets: int | None,
    reps: int | None,
    hold_s: int | None,
    distance_m: int | None,
    per_side: bool,
    load_note: str,
    per_side_format: str = "%(dose)s per side",
) -> str:
    """A dose in words, as catalogue.ExerciseSpec.dose_text writes it.

    `per_side_format` words a per-side dose (a translated "%(dose)s per side" on patient pages).
    """
    if reps is not None:
        amount = str(reps)
    elif hold_s is not None:
        amount = f"{hold_s} s"
    elif distance_m is not None:
        amount = f"{distance_m} m"
    else:
        return load_note
    text = f"{sets} × {amount}" if sets is not None else amount
    return per_side_format % {"dose": text} if per_side else text
