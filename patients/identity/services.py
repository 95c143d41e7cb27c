"""Operations on patients' non-clinical records."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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


@transaction.atomic
def patient_register(**fields: object) -> Patient:
    """Create a patient record after full validation."""
    patient = Patient(**{name: fields[name] for name in PATIENT_FIELDS if name in fields})
    if patient.email:
        patient.email = patient.email.lower()
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, **fields: object) -> Patient:
    """Change a patient's demographics after full validation."""
    for name in PATIENT_FIELDS:
        if name in fields:
            setattr(patient, name, fields[name])
    if patient.email:
        patient.email = patient.email.lower()
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_archive(*, patient: Patient, by: User) -> Patient:
    """Archive (soft-delete) a patient: hidden from search, lists and booking; kept in full.

    Side effects: sets archived_at/archived_by (recorded in the change history).
    Archiving twice keeps the first time and person. Nothing is ever deleted.
    """
    locked = Patient.all_objects.select_for_update().get(pk=patient.pk)
    if locked.appointments.filter(status=AppointmentStatus.BOOKED, starts_at__gte=timezone.now()).exists():
        # Archiving would leave visits in the diary and reminders going out.
        raise ValidationError("Cancel the patient's upcoming appointments before archiving the record.")
    if locked.archived_at is None:
        locked.archived_at = timezone.now()
        locked.archived_by = by
        locked.save(update_fields=["archived_at", "archived_by", "updated_at"])
    patient.archived_at, patient.archived_by = locked.archived_at, locked.archived_by
    return patient
