"""The assessment visit: its header, subjective part, impression, factors and addenda."""

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models.base import (
    NPRS_VALIDATORS,
    choice_valid,
    decimal_range,
    in_range,
    signed_assessment_lock,
)
from assessments.record.choices import (
    INDEX_SIDES,
    AssessmentKind,
    AssessmentStatus,
    Certainty,
    ContributingFactor,
    ImpressionCode,
    Irritability,
    NightPain,
    OnsetMode,
    PainPattern,
    Severity,
    Side,
)
from clinic.audit.tracking import audit_tracked


@audit_tracked
class Assessment(models.Model):
    """One examination by one therapist: a draft until signed, then read-only.

    `version` is the optimistic lock: every saved change bumps it, and a save
    that names an older version is refused (services.assessment_save_draft).
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="assessments")
    appointment = models.ForeignKey(
        "patients.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    # The author: the only person who may edit the draft.
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices, default=AssessmentKind.INITIAL)
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    index_side = models.CharField(
        "painful (index) side",
        max_length=14,
        choices=[(s.value, s.label) for s in INDEX_SIDES],
        blank=True,
        help_text="The involved leg; limb symmetry compares it with the other one.",
    )
    body_weight_kg = models.DecimalField(
        "body weight (kg)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=decimal_range(30, 250),
    )
    pain_rest_nprs = models.PositiveSmallIntegerField(
        "pain at rest (NPRS)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    pain_provocative_nprs = models.PositiveSmallIntegerField(
        "pain with the most provocative test (NPRS)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    most_provocative_test = models.CharField(max_length=120, blank=True)
    not_examined_reason = models.TextField(
        "not examined because",
        blank=True,
        max_length=1000,
        help_text="Only when no objective test could be done.",
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    irritability = models.CharField(max_length=10, choices=Irritability.choices, blank=True)
    plan = models.TextField(blank=True, max_length=4000)
    internal_notes = models.TextField(
        blank=True, max_length=4000, help_text="For the clinic only: never printed for the GP or referrer."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            choice_valid("assessments_assessment_kind_valid", "kind", AssessmentKind.values, blank=False),
            choice_valid(
                "assessments_assessment_status_valid", "status", AssessmentStatus.values, blank=False
            ),
            choice_valid(
                "assessments_assessment_index_side_valid", "index_side", [s.value for s in INDEX_SIDES]
            ),
            choice_valid("assessments_assessment_severity_valid", "severity", Severity.values),
            choice_valid("assessments_assessment_irritability_valid", "irritability", Irritability.values),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="assessments_assessment_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT, signed_by__isnull=True, signed_at__isnull=True)
                | Q(status=AssessmentStatus.SIGNED, signed_by__isnull=False, signed_at__isnull=False),
                name="assessments_assessment_signed_has_signer",
                violation_error_message="A signed assessment records who signed it and when.",
            ),
            in_range(
                "assessments_assessment_weight_range", "body_weight_kg", 30, 250, "Body weight is 30–250 kg."
            ),
            in_range(
                "assessments_assessment_pain_rest_range", "pain_rest_nprs", 0, 10, "Pain is scored 0 to 10."
            ),
            in_range(
                "assessments_assessment_pain_provocative_range",
                "pain_provocative_nprs",
                0,
                10,
                "Pain is scored 0 to 10.",
            ),
            # One assessment per visit: "Start/continue assessment" finds it.
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(appointment__isnull=False),
                name="assessments_assessment_one_per_appointment",
                violation_error_message="This visit already has an assessment.",
            ),
        ]
        indexes = [
            # The patient hub and "previous signed assessment" (comparison).
            models.Index(fields=["patient", "-created_at"], name="assessments_assess_patient"),
            # The therapist's to-do: their drafts, oldest change first.
            models.Index(
                fields=["therapist", "updated_at"],
                name="assessments_assess_drafts",
                condition=Q(status=AssessmentStatus.DRAFT),
            ),
        ]
        triggers = [
            # Signed is final: no UPDATE or DELETE, whatever the application does.
            pgtrigger.Protect(
                name="signed_is_read_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status=AssessmentStatus.SIGNED.value),
            ),
            # ... and a draft can only become signed, never the other way round.
            pgtrigger.FSM(
                name="status_draft_to_signed",
                field="status",
                transitions=[(AssessmentStatus.DRAFT.value, AssessmentStatus.SIGNED.value)],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.patient} ({self.created_at:%Y-%m-%d})"

    @property
    def is_signed(self) -> bool:
        return self.status == AssessmentStatus.SIGNED

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


@audit_tracked
class Subjective(models.Model):
    """The history as the therapist noted it, beside what the patient said.

    `intake_snapshot` is the submitted intake's answers copied once, when the
    assessment started (source: patient). The therapist's fields start as the
    same values and are edited freely (source: clinician); both are kept.
    """

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="subjective")
    intake_snapshot = models.JSONField(default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder)
    pain_location = models.CharField(max_length=300, blank=True)
    nprs_now = models.PositiveSmallIntegerField(
        "pain now (NPRS)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    nprs_worst_7d = models.PositiveSmallIntegerField(
        "worst pain, last 7 days (NPRS)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    nprs_during_run = models.PositiveSmallIntegerField(
        "pain during a run (NPRS)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    pain_pattern = models.CharField(max_length=20, choices=PainPattern.choices, blank=True)
    night_pain = models.CharField(max_length=20, choices=NightPain.choices, blank=True)
    onset_date = models.DateField(null=True, blank=True)
    onset_mode = models.CharField(max_length=10, choices=OnsetMode.choices, blank=True)
    history = models.TextField("history of the complaint", blank=True, max_length=4000)
    aggravating = models.CharField(max_length=500, blank=True)
    easing = models.CharField(max_length=500, blank=True)
    runs_per_week = models.PositiveSmallIntegerField(null=True, blank=True, validators=decimal_range(0, 14))
    weekly_km = models.DecimalField(
        "weekly distance now (km)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=decimal_range(0, 300),
    )
    weekly_km_earlier = models.DecimalField(
        "weekly distance 4–6 weeks ago (km)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=decimal_range(0, 300),
    )
    training_changes = models.CharField("recent training changes", max_length=500, blank=True)
    previous_injuries = models.CharField(max_length=500, blank=True)
    treatments_tried = models.CharField(max_length=500, blank=True)
    goals = models.TextField(blank=True, max_length=2000)
    red_flags_reviewed = models.BooleanField("red-flag screen reviewed with the patient", default=False)
    red_flag_notes = models.TextField(blank=True, max_length=2000)

    # The therapist's fields that can be pre-filled from the intake, in form order.
    CLINICAL_FIELDS = (
        "pain_location",
        "nprs_now",
        "nprs_worst_7d",
        "nprs_during_run",
        "pain_pattern",
        "night_pain",
        "onset_date",
        "onset_mode",
        "history",
        "aggravating",
        "easing",
        "runs_per_week",
        "weekly_km",
        "weekly_km_earlier",
        "training_changes",
        "previous_injuries",
        "treatments_tried",
        "goals",
        "red_flags_reviewed",
        "red_flag_notes",
    )

    class Meta:
        constraints = [
            in_range("assessments_subjective_nprs_now_range", "nprs_now", 0, 10, "Pain is scored 0 to 10."),
            in_range(
                "assessments_subjective_nprs_worst_range", "nprs_worst_7d", 0, 10, "Pain is scored 0 to 10."
            ),
            in_range(
                "assessments_subjective_nprs_run_range", "nprs_during_run", 0, 10, "Pain is scored 0 to 10."
            ),
            in_range("assessments_subjective_runs_range", "runs_per_week", 0, 14, "Runs per week are 0–14."),
            in_range("assessments_subjective_km_range", "weekly_km", 0, 300, "Weekly distance is 0–300 km."),
            in_range(
                "assessments_subjective_km_earlier_range",
                "weekly_km_earlier",
                0,
                300,
                "Weekly distance is 0–300 km.",
            ),
            choice_valid("assessments_subjective_pattern_valid", "pain_pattern", PainPattern.values),
            choice_valid("assessments_subjective_night_pain_valid", "night_pain", NightPain.values),
            choice_valid("assessments_subjective_onset_mode_valid", "onset_mode", OnsetMode.values),
        ]
        triggers = [signed_assessment_lock()]

    def __str__(self) -> str:
        return f"Subjective of assessment {self.assessment_id}"

    @property
    def is_recorded(self) -> bool:
        """True once anything of the history is noted (needed to sign)."""
        for name in self.CLINICAL_FIELDS:
            value = getattr(self, name)
            if value not in (None, "", False):
                return True
        return False


@audit_tracked
class Impression(models.Model):
    """A working diagnosis (domain.md §6); exactly one is primary once any is given."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="impressions")
    code = models.CharField(max_length=20, choices=ImpressionCode.choices)
    side = models.CharField(max_length=14, choices=Side.choices, default=Side.NOT_APPLICABLE)
    certainty = models.CharField(max_length=12, choices=Certainty.choices, default=Certainty.WORKING)
    is_primary = models.BooleanField(default=False)
    onset_date = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-is_primary", "pk"]
        constraints = [
            choice_valid("assessments_impression_code_valid", "code", ImpressionCode.values, blank=False),
            choice_valid("assessments_impression_side_valid", "side", Side.values, blank=False),
            choice_valid(
                "assessments_impression_certainty_valid", "certainty", Certainty.values, blank=False
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(is_primary=True),
                name="assessments_impression_one_primary",
                violation_error_message="An assessment has one primary impression.",
            ),
            models.UniqueConstraint(
                fields=["assessment", "code", "side"],
                name="assessments_impression_unique",
                violation_error_message="This impression is already listed for that side.",
            ),
        ]
        triggers = [signed_assessment_lock()]

    def __str__(self) -> str:
        return self.get_code_display()


@audit_tracked
class AssessmentFactor(models.Model):
    """A contributing factor named in the clinical impression (multi-select)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    factor = models.CharField(max_length=24, choices=ContributingFactor.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            choice_valid("assessments_factor_valid", "factor", ContributingFactor.values, blank=False),
            models.UniqueConstraint(fields=["assessment", "factor"], name="assessments_factor_unique"),
        ]
        triggers = [signed_assessment_lock()]

    def __str__(self) -> str:
        return self.get_factor_display()


@audit_tracked
class Addendum(models.Model):
    """A correction or later note on a signed assessment (append-only)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=4000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "addenda"
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="assessments_addendum_has_text",
                violation_error_message="Write the addendum's text.",
            ),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Addendum by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"
