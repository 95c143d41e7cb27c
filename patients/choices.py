from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other_undisclosed", "Other / prefer not to say"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"


class ReferralSource(models.TextChoices):
    SELF = "self", "Self-referred"
    GP = "gp", "GP"
    CONSULTANT = "consultant", "Consultant / sports physician"
    COACH = "coach", "Coach or running club"
    FRIEND = "friend", "Friend or family"
    ONLINE = "online", "Online search"
    INSURER = "insurer", "Insurer"
    OTHER = "other", "Other"


class VisitKind(models.TextChoices):
    INITIAL_EVALUATION = "initial_evaluation", "Initial evaluation"
    FOLLOW_UP = "follow_up", "Follow-up"
    REASSESSMENT = "reassessment", "Re-assessment"
    DISCHARGE = "discharge", "Discharge"


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


class IntakeStatus(models.TextChoices):
    NOT_SENT = "not_sent", "Not sent"
    SENT = "sent", "Sent"
    OPENED = "opened", "Opened"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    LOCKED = "locked", "Locked"
