"""Outcome measures recorded at the programme's review points (domain.md §7, §8.6)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments.models.base import NPRS_VALIDATORS, choice_valid, in_range
from assessments.programmes.choices import OutcomeSource, OutcomeTimepoint
from clinic.audit.tracking import audit_tracked

HOOS_SUBSCALE_FIELDS = ("hoos_pain", "hoos_symptoms", "hoos_adl", "hoos_sport", "hoos_qol")


def _hoos(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


@audit_tracked
class ProgrammeOutcome(models.Model):
    """Outcome measures at baseline, week 4 and the end (domain.md §7): item answers, scores computed.

    `psfs` lists {"id", "activity", "rating"}; follow-ups re-rate the baseline's
    activities (same ids). Scores come from patients.outcomes.scoring, never typed.
    """

    programme = models.ForeignKey("assessments.Programme", on_delete=models.CASCADE, related_name="outcomes")
    timepoint = models.CharField(max_length=10, choices=OutcomeTimepoint.choices)
    source = models.CharField(max_length=10, choices=OutcomeSource.choices)
    lefs_items = models.JSONField(default=list, blank=True)
    lefs_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(80)])
    psfs = models.JSONField(default=list, blank=True)
    psfs_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    nprs_worst = models.PositiveSmallIntegerField(
        "worst pain, last 7 days", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    # HOOS (§7.5): answers by subscale (None = skipped), scores 0–100 from scoring.score_hoos.
    hoos_items = models.JSONField(default=dict, blank=True)
    hoos_pain = _hoos("HOOS pain")
    hoos_symptoms = _hoos("HOOS symptoms")
    hoos_adl = _hoos("HOOS daily living")
    hoos_sport = _hoos("HOOS sport and recreation")
    hoos_qol = _hoos("HOOS quality of life")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "timepoint"], name="assessments_programmeoutcome_one_per_timepoint"
            ),
            choice_valid(
                "assessments_programmeoutcome_timepoint_valid",
                "timepoint",
                OutcomeTimepoint.values,
                blank=False,
            ),
            choice_valid(
                "assessments_programmeoutcome_source_valid", "source", OutcomeSource.values, blank=False
            ),
            in_range("assessments_programmeoutcome_lefs_range", "lefs_score", 0, 80, "LEFS is 0–80."),
            in_range("assessments_programmeoutcome_psfs_range", "psfs_score", 0, 10, "PSFS is 0–10."),
            in_range("assessments_programmeoutcome_nprs_range", "nprs_worst", 0, 10, "Pain is 0 to 10."),
            *(
                in_range(f"assessments_programmeoutcome_{f}_range", f, 0, 100, "HOOS scores are 0–100.")
                for f in HOOS_SUBSCALE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_timepoint_display()} outcomes"
