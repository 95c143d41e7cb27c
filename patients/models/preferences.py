"""The patient's reminder choices: which non-essential emails they receive."""

from django.db import models
from django.db.models import Q

from clinic.audit.tracking import audit_tracked
from patients.intake.choices import ReminderCategory


@audit_tracked
class ReminderPreference(models.Model):
    """A patient's choice for one category of email reminders (domain.md §9).

    Recorded from the intake's consent step; the messaging layer reads them
    through patients.intake.selectors.patient_reminder_opt_ins().
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    category = models.CharField(max_length=30, choices=ReminderCategory.choices)
    opted_in = models.BooleanField()
    source = models.CharField(max_length=30, default="intake")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["patient", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "category"], name="patients_reminderpreference_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ReminderCategory.values),
                name="patients_reminderpreference_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {'yes' if self.opted_in else 'no'}"
