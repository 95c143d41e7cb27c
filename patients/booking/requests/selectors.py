"""What waits for the desk from online booking."""

from django.db.models import QuerySet

from patients.booking.choices import AppointmentStatus, HoldState
from patients.models import Appointment, IdentityReview


def pending_requests() -> QuerySet[Appointment]:
    """Online requests the desk has not answered, soonest first."""
    return (
        Appointment.objects.filter(hold=HoldState.REQUESTED, status=AppointmentStatus.BOOKED)
        .select_related("patient", "therapist", "location", "appointment_type")
        .order_by("starts_at", "pk")
    )


def open_identity_reviews() -> QuerySet[IdentityReview]:
    """Records created online that may be an existing patient, oldest first."""
    return (
        IdentityReview.objects.filter(resolved_at__isnull=True)
        .select_related("patient", "candidate", "appointment__appointment_type", "appointment__location")
        .order_by("created_at", "pk")
    )


def pending_count() -> int:
    """Requests plus reviews: the number on the desk's menu badge."""
    return pending_requests().count() + open_identity_reviews().count()
