"""Red flags from any source (intake, check-in, examination, clinician), with an action level."""

from django.db import models
from django.db.models import Q

from clinic.audit.tracking import audit_tracked
from patients.intake.choices import ActionLevel, FlagSource, RedFlagCode
from patients.models.intake_response import IntakeResponse


@audit_tracked
class RedFlag(models.Model):
    """A red flag (domain.md §3); needs a clinician's sign-off before treatment.

    Raised and cleared only through patients.flags.services. `intake_response`
    links an intake's flags; a check-in's or an examination's flag names what
    raised it by (about_label, about_pk), since patients cannot point at
    assessments' models. `raised_by` is the clinician (examination, manual);
    None when the patient's answers raised it.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="red_flags")
    intake_response = models.ForeignKey(
        IntakeResponse, null=True, blank=True, on_delete=models.PROTECT, related_name="red_flags"
    )
    flag_code = models.CharField(max_length=30, choices=RedFlagCode.choices)
    source = models.CharField(max_length=12, choices=FlagSource.choices, default=FlagSource.PATIENT)
    action_level = models.CharField(max_length=30, choices=ActionLevel.choices)
    about_label = models.CharField(max_length=60, blank=True)
    about_pk = models.CharField(max_length=40, blank=True)
    note = models.TextField("what raised it", blank=True, max_length=2000)
    detected_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action_taken = models.TextField(blank=True, max_length=2000)
    referred_to = models.CharField(max_length=200, blank=True)
    cleared_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["detected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flag_code__in=RedFlagCode.values), name="patients_redflag_flag_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(action_level__in=ActionLevel.values), name="patients_redflag_action_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=FlagSource.values), name="patients_redflag_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(cleared_at__isnull=True, cleared_by__isnull=True)
                | Q(cleared_at__isnull=False, cleared_by__isnull=False) & ~Q(action_taken=""),
                name="patients_redflag_cleared_with_note",
                violation_error_message="Clearing a red flag needs who, when and a note of the action taken.",
            ),
            models.UniqueConstraint(
                fields=["intake_response", "flag_code"],
                name="patients_redflag_once_per_intake",
                violation_error_message="This intake already has that red flag.",
            ),
            models.CheckConstraint(
                condition=Q(about_label="", about_pk="") | (~Q(about_label="") & ~Q(about_pk="")),
                name="patients_redflag_about_complete",
                violation_error_message="What raised the flag needs both its kind and its id.",
            ),
            models.CheckConstraint(
                condition=Q(intake_response__isnull=True) | Q(source=FlagSource.PATIENT),
                name="patients_redflag_intake_only_from_patient",
                violation_error_message="Only an intake's flags link to the intake.",
            ),
            # Re-signing, addenda or a resent check-in never raise the same flag twice.
            models.UniqueConstraint(
                fields=["about_label", "about_pk", "flag_code"],
                condition=~Q(about_pk=""),
                name="patients_redflag_once_per_about",
                violation_error_message="This record already raised that red flag.",
            ),
        ]
        indexes = [
            # Day lists and the patient hub: a patient's open flags.
            models.Index(
                fields=["patient"], name="patients_redflag_open", condition=Q(cleared_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_flag_code_display()} ({'cleared' if self.cleared_at else 'open'})"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
