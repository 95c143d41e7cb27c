"""The desk's answers to online bookings: identity reviews.

A patient created online who looks like an existing record (same name and
date of birth, another email) waits here. "Same person" moves the online
booking onto the existing record and archives the new one, keeping the
existing record's email: the address typed online is unverified as theirs
until the desk has called the number on file. "Different people" keeps both.
Either way the request itself is then approved or declined as any other.
"""

from django.db import transaction
from django.utils import timezone

from clinic.staff.models import User
from patients.booking.choices import AppointmentAction
from patients.booking.services import BookingError
from patients.identity.services import patient_archive
from patients.models import Appointment, AppointmentEvent, IdentityReview, Patient, WaitlistEntry

SAME_PERSON = "same"
DIFFERENT_PEOPLE = "different"


@transaction.atomic
def identity_review_resolve(*, review: IdentityReview, decision: str, by: User) -> IdentityReview:
    """Close an identity review: merge the online record into the existing one, or keep both.

    Side effects for SAME_PERSON: every appointment of the online record moves
    to the existing patient (each with a history event naming the move), so do
    its waitlist entries, and the online record is archived by `by`. Raises BookingError for a review
    already resolved or an unknown decision.
    """
    row = IdentityReview.objects.select_for_update().filter(pk=review.pk).first()
    if row is None or row.resolved_at is not None:
        raise BookingError("This review has already been resolved.")
    if decision not in (SAME_PERSON, DIFFERENT_PEOPLE):
        raise BookingError("Choose whether these are the same person.", field="decision")
    online = Patient.all_objects.select_for_update().get(pk=row.patient_id)
    existing = Patient.all_objects.select_for_update().get(pk=row.candidate_id)
    if decision == SAME_PERSON:
        for appointment in Appointment.objects.select_for_update().filter(patient=online):
            appointment.patient = existing
            appointment.version += 1
            appointment.save(update_fields=["patient", "version", "updated_at"])
            AppointmentEvent.objects.create(
                appointment=appointment,
                action=AppointmentAction.NOTE,
                by=by,
                detail=f"Moved from a record created online (#{online.pk}) to the existing record.",
            )
        WaitlistEntry.objects.filter(patient=online).update(patient=existing)
        patient_archive(patient=online, by=by)
        row.resolution = f"Same person: booking moved to record #{existing.pk}; online record archived."
    else:
        row.resolution = "Different people: both records kept."
    row.resolved_at = timezone.now()
    row.resolved_by = by
    row.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    return row
