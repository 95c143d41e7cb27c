"""What the front desk answers: online requests waiting for approval, records waiting for review."""

from django.db.models import QuerySet

from clinic.staff.models import Location
from patients.booking.choices import AppointmentStatus, HoldState
from patients.models import Appointment, IdentityReview


def pending_requests(*, location: Location | None = None) -> QuerySet[Appointment]:
    """Online requests the desk has not answered, soonest visit first (a request holds its time)."""
    requests = Appointment.objects.filter(hold=HoldState.REQUESTED, status=AppointmentStatus.BOOKED)
    if location is not None:
        requests = requests.filter(location=location)
    return requests.select_related("patient", "therapist", "location", "appointment_type").order_by(
        "starts_at", "pk"
    )


def open_identity_reviews() -> QuerySet[IdentityReview]:
    """Records made online that look like existing ones, oldest first."""
    return (
        IdentityReview.objects.filter(resolved_at__isnull=True)
        .select_related("patient", "candidate", "appointment__appointment_type", "appointment__location")
        .order_by("created_at", "pk")
    )
