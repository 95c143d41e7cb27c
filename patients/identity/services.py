"""Operations on patients' non-clinical records."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.locking import check_version
from clinic.messaging.choices import UNSENT_STATUSES, MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.staff.models import User
from patients.booking.choices import AppointmentStatus
from patients.models import Patient

PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "preferred_contact",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
    "referral_source",
    "referral_detail",
)


# Set by patients.identity.undeliverable when a mail server refuses the address.
UNDELIVERABLE_FIELDS = ("email_undeliverable_at", "email_undeliverable_reason")


@transaction.atomic
def patient_register(**fields: object) -> Patient:
    """Create a patient record after full validation."""
    patient = Patient(**{name: fields[name] for name in PATIENT_FIELDS if name in fields})
    if patient.email:
        patient.email = patient.email.lower()
    patient.full_clean()
    patient.save()
    return patient


def _emails_readdress(*, patient_id: int, old: str, new: str) -> int:
    """Send the patient's emails not yet sent to the new address (none when it was removed).

    Only rows addressed to the old address move: a therapist's alert about the
    patient keeps its own recipient. A row already being sent is left alone.
    """
    unsent = ScheduledMessage.objects.filter(
        patient_id=patient_id, to_email__iexact=old, status__in=UNSENT_STATUSES
    )
    if not new:
        return unsent.update(status=MessageStatus.CANCELLED, updated_at=timezone.now())
    return unsent.update(to_email=new, updated_at=timezone.now())


@transaction.atomic
def patient_update(*, patient: Patient, expected_version: int | None = None, **fields: object) -> Patient:
    """Change a patient's demographics after full validation.

    Locks the row first. Refused with StaleVersionError, changing nothing,
    when the record changed since `expected_version` (the version the form
    was loaded with; None only for callers that have just read the row under
    this transaction). Side effects: bumps `version` when anything changed; a changed email moves
    the patient's unsent emails (reminders, nudges) to the new address.
    Returns the saved row; `patient` gets the same values.
    """
    locked = Patient.all_objects.select_for_update().get(pk=patient.pk)
    check_version(locked, expected_version)
    before = {name: getattr(locked, name) for name in PATIENT_FIELDS}
    for name in PATIENT_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    if locked.email:
        locked.email = locked.email.lower()
    if locked.email != before["email"]:
        # A refusal was of the old address; the new one has not been tried.
        locked.email_undeliverable_at, locked.email_undeliverable_reason = None, ""
    locked.full_clean()
    if any(getattr(locked, name) != value for name, value in before.items()):
        # A save that changes nothing leaves the version, so other open forms stay current.
        locked.version += 1
        locked.save()
    old_email = before["email"]
    if locked.email != old_email and old_email:
        _emails_readdress(patient_id=locked.pk, old=old_email, new=locked.email)
    for name in (*PATIENT_FIELDS, "version", "updated_at", *UNDELIVERABLE_FIELDS):
        setattr(patient, name, getattr(locked, name))
    return locked


@transaction.atomic
def patient_archive(*, patient: Patient, by: User) -> Patient:
    """Archive (soft-delete) a patient: hidden from search, lists and booking; kept in full.

    Side effects: sets archived_at/archived_by (recorded in the change history)
    and bumps `version`, so an edit form opened before is refused. Archiving
    twice keeps the first time and person. Nothing is ever deleted.
    """
    locked = Patient.all_objects.select_for_update().get(pk=patient.pk)
    if locked.appointments.filter(status=AppointmentStatus.BOOKED, starts_at__gte=timezone.now()).exists():
        # Archiving would leave visits in the diary and reminders going out.
        raise ValidationError("Cancel the patient's upcoming appointments before archiving the record.")
    if locked.archived_at is None:
        locked.archived_at = timezone.now()
        locked.archived_by = by
        locked.version += 1
        locked.save(update_fields=["archived_at", "archived_by", "version", "updated_at"])
    patient.archived_at, patient.archived_by = locked.archived_at, locked.archived_by
    patient.version = locked.version
    return patient
