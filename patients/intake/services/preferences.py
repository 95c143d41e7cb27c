"""The patient's reminder choices after the intake: the opt-out link in an email, and turning one back on."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clinic.messaging.optout import register_optout_category
from patients.intake.choices import ReminderCategory
from patients.models import Patient, ReminderPreference

UNSUBSCRIBE_SOURCE = "unsubscribe-link"
# Turned back on by the clinic at the patient's request.
STAFF_SOURCE = "staff"


@transaction.atomic
def reminder_opt_out(
    *, patient_id: int, category: str, source: str = UNSUBSCRIBE_SOURCE, now: datetime | None = None
) -> ReminderPreference | None:
    """Record that the patient wants no more reminders of `category`.

    Side effects: the patient's ReminderPreference for the category says
    opted_in=False with this source and time. An opt-out already recorded is
    kept as it was (its first source and time). Unsent reminders of the
    category are dropped when they come due (message_render reads the choice
    at send time), and the programme plans no new ones. Returns None for an
    unknown patient (a link outliving its record).
    """
    ReminderCategory(category)  # raises ValueError for a category the patients app doesn't offer
    if not Patient.all_objects.filter(pk=patient_id).exists():
        return None
    preference, created = ReminderPreference.objects.select_for_update().get_or_create(
        patient_id=patient_id,
        category=category,
        defaults={"opted_in": False, "source": source, "recorded_at": now or timezone.now()},
    )
    if not created and preference.opted_in:
        preference.opted_in = False
        preference.source = source
        preference.recorded_at = now or timezone.now()
        preference.save(update_fields=["opted_in", "source", "recorded_at"])
    return preference


@transaction.atomic
def reminder_opt_in(*, patient: Patient, category: str, now: datetime | None = None) -> ReminderPreference:
    """Turn a category of reminders back on for the patient, at their request to the clinic.

    Side effects: the ReminderPreference says opted_in=True, source "staff",
    with this time (the change history of the choice is its source and time).
    Reminders already queued go when due again; the programme's daily top-up
    plans the ones it had dropped.
    """
    ReminderCategory(category)
    preference, _ = ReminderPreference.objects.update_or_create(
        patient=patient,
        category=category,
        defaults={"opted_in": True, "source": STAFF_SOURCE, "recorded_at": now or timezone.now()},
    )
    return preference


def reminder_opted_out(patient_id: int, category: str) -> bool:
    """Whether the patient said no to `category` (at the intake or by link); not asked counts as yes."""
    return ReminderPreference.objects.filter(
        patient_id=patient_id, category=category, opted_in=False
    ).exists()


def _opt_out_by_link(category: str) -> Callable[[int], None]:
    def apply(patient_id: int) -> None:
        reminder_opt_out(patient_id=patient_id, category=category)

    return apply


def _opted_out(category: str) -> Callable[[int], bool]:
    def opted_out(patient_id: int) -> bool:
        return reminder_opted_out(patient_id, category)

    return opted_out


# Made once, so registering again (a second ready()) registers the same entries.
_HOOKS = {
    category.value: (_opt_out_by_link(category.value), _opted_out(category.value))
    for category in ReminderCategory
}


def register_reminder_optouts() -> None:
    """Offer every reminder category for one-click opt-out (called from PatientsConfig.ready)."""
    for category in ReminderCategory:
        apply, opted_out = _HOOKS[category.value]
        register_optout_category(category.value, category.label, apply, opted_out=opted_out)
