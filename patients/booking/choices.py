from datetime import timedelta

from django.db import models

# The longest visit (AppointmentType's duration check, and Appointment's own): a
# visit overlapping a moment started at most this long before it, which bounds
# the calendar's and day lists' range queries below.
LONGEST_VISIT = timedelta(minutes=180)


class VisitKind(models.TextChoices):
    INITIAL_EVALUATION = "initial_evaluation", "Initial evaluation"
    FOLLOW_UP = "follow_up", "Follow-up"
    REASSESSMENT = "reassessment", "Re-assessment"
    DISCHARGE = "discharge", "Discharge"
    DISCOVERY = "discovery", "Free discovery visit"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# Statuses that hold the therapist's and the patient's time.
OCCUPYING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)


class CancelledBy(models.TextChoices):
    CLINIC = "clinic", "Clinic"
    PATIENT = "patient", "Patient"


class AppointmentAction(models.TextChoices):
    BOOKED = "booked", "Booked"
    RESCHEDULED = "rescheduled", "Rescheduled"
    ARRIVED = "arrived", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "Marked no-show"
    NOTE = "note", "Notes changed"
    REQUESTED = "requested", "Requested online"
    APPROVED = "approved", "Request approved"
    DECLINED = "declined", "Request declined"


class HoldState(models.TextChoices):
    """An online booking not yet final; the row still occupies its time (status booked)."""

    CONFIRMED = "", "Confirmed"
    HELD = "held", "Held for the patient's confirmation"
    REQUESTED = "requested", "Awaiting the clinic's approval"


class BookingSource(models.TextChoices):
    DESK = "desk", "Front desk"
    ONLINE = "online", "Online booking"
