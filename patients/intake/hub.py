"""The patient hub's email-reminder section: each category's choice, and turning one back on."""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest

from patients.identity.hub import HubSection
from patients.intake.choices import ReminderCategory
from patients.models import Patient, ReminderPreference


@dataclass(frozen=True)
class ReminderChoice:
    category: str
    label: str
    # None: not asked yet (reminders go).
    opted_in: bool | None
    source: str
    recorded_at: datetime | None


def reminder_choices(patient: Patient) -> list[ReminderChoice]:
    """Every reminder category with the patient's choice, in the intake's order."""
    recorded = {p.category: p for p in ReminderPreference.objects.filter(patient=patient)}
    choices = []
    for category in ReminderCategory:
        preference = recorded.get(category.value)
        choices.append(
            ReminderChoice(
                category.value,
                category.label,
                preference.opted_in if preference else None,
                preference.source if preference else "",
                preference.recorded_at if preference else None,
            )
        )
    return choices


def _context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    return {"reminder_choices": reminder_choices(patient)}


SECTIONS = (
    HubSection(
        name="reminders",
        title="Email reminders",
        order=25,
        template="patients/intake/reminders_hub_section.html",
        context=_context,
    ),
)
