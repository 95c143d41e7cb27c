"""What every examination finding shares (domain.md §0), and the signed-record lock."""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from assessments.record.choices import LIMB_SIDES, NotPerformedReason, Side

NPRS_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


def decimal_range(low: str | int, high: str | int) -> list:
    return [MinValueValidator(Decimal(low)), MaxValueValidator(Decimal(high))]


def in_range(name: str, field: str, low: object, high: object, message: str) -> models.CheckConstraint:
    """`field` is empty or within [low, high] (plausibility bounds, domain.md §0)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
        violation_error_message=message,
    )


def choice_valid(name: str, field: str, values: list[str], *, blank: bool = True) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": ["", *values] if blank else list(values)}), name=name
    )


# The lock's function refuses writes to a finding of a signed assessment. A WHEN
# condition cannot hold a sub-query, so the check lives in the function body.
_LOCK_SQL = """
    IF TG_OP = 'INSERT' THEN
        old_parent := NEW.assessment_id;
        new_parent := NEW.assessment_id;
    ELSIF TG_OP = 'UPDATE' THEN
        old_parent := OLD.assessment_id;
        new_parent := NEW.assessment_id;
    ELSE
        old_parent := OLD.assessment_id;
        new_parent := OLD.assessment_id;
    END IF;
    IF EXISTS (
        SELECT 1 FROM assessments_assessment
        WHERE status = 'signed' AND id IN (old_parent, new_parent)
    ) THEN
        RAISE EXCEPTION 'assessments: % row belongs to a signed assessment, which is read-only (add an addendum)',
            TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
"""


def signed_assessment_lock() -> pgtrigger.Trigger:
    """PostgreSQL refuses INSERT, UPDATE and DELETE of a signed assessment's part.

    The service refuses first with a clear message; this guard also stops raw
    SQL, bulk updates and the admin. pgtrigger installs nothing on SQLite.
    """
    return pgtrigger.Trigger(
        name="signed_assessment_read_only",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("old_parent", "BIGINT"), ("new_parent", "BIGINT")],
        func=_LOCK_SQL,
    )


class Finding(models.Model):
    """One examination test record (domain.md §0).

    No row means "not recorded"; a row with performed=False and a reason means
    "not tested" and carries no values, so a zero is always a measured zero.
    """

    performed = models.BooleanField(default=True)
    not_performed_reason = models.CharField(max_length=20, choices=NotPerformedReason.choices, blank=True)
    pain_provoked = models.BooleanField(default=False)
    pain_nprs = models.PositiveSmallIntegerField(
        "pain (NPRS 0–10)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    familiar_pain = models.BooleanField(default=False, help_text="The patient's usual pain.")
    notes = models.CharField(max_length=500, blank=True)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    performed_at = models.DateTimeField(null=True, blank=True)

    # Columns that hold the result (set per model); empty when not tested.
    result_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def finding_constraints(cls, name: str, empty: dict[str, object]) -> list[models.BaseConstraint]:
        """The §0 rules as named constraints; `empty` maps each result column to its empty value."""
        prefix = f"assessments_{name}"
        nothing = Q(pain_nprs__isnull=True, pain_provoked=False, familiar_pain=False)
        for field, value in empty.items():
            nothing &= Q(**{f"{field}__isnull": True}) if value is None else Q(**{field: value})
        return [
            choice_valid(f"{prefix}_reason_valid", "not_performed_reason", NotPerformedReason.values),
            models.CheckConstraint(
                condition=Q(performed=True, not_performed_reason="")
                | (Q(performed=False) & ~Q(not_performed_reason="")),
                name=f"{prefix}_reason_iff_not_tested",
                violation_error_message="A test that was not done needs a reason; a done test has none.",
            ),
            models.CheckConstraint(
                condition=Q(performed=True) | nothing,
                name=f"{prefix}_not_tested_is_empty",
                violation_error_message="A test marked not tested cannot have results.",
            ),
            in_range(f"{prefix}_pain_nprs_range", "pain_nprs", 0, 10, "Pain is scored 0 to 10."),
            models.CheckConstraint(
                condition=Q(pain_provoked=True) | Q(pain_nprs__isnull=True) | Q(pain_nprs=0),
                name=f"{prefix}_pain_score_needs_pain",
                violation_error_message="A pain score above 0 means the test provoked pain.",
            ),
        ]

    @staticmethod
    def side_constraint(name: str) -> models.CheckConstraint:
        # One row per side (domain.md §0): a sided test is left or right.
        return models.CheckConstraint(
            condition=Q(side__in=[s.value for s in LIMB_SIDES]),
            name=f"assessments_{name}_side_is_a_limb",
            violation_error_message="Record a sided test for the left or the right leg.",
        )


def limb_side_field() -> models.CharField:
    return models.CharField(max_length=14, choices=[(s.value, s.label) for s in LIMB_SIDES])


__all__ = [
    "NPRS_VALIDATORS",
    "Finding",
    "Side",
    "choice_valid",
    "decimal_range",
    "in_range",
    "limb_side_field",
]
