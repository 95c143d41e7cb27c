"""The patients app's message kinds (appointments, the intake, the patient links' one-time code) and their language.

Values are the kinds stored on outbox rows (never change one: queued rows
and their idempotency keys carry it); names give the email templates.
"""

from clinic.messaging.registry import KindChoices
from patients.models import Patient


class PatientMessageKind(KindChoices):
    APPOINTMENT_CONFIRMATION = "appointment_confirmation", "Appointment confirmation"
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled", "Appointment moved"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
    INTAKE_INVITATION = "intake_invitation", "Intake form invitation"
    INTAKE_NUDGE = "intake_not_completed", "Intake nudge"
    LINK_CODE = "link_code", "One-time code for a patient link"
    BOOKING_CODE = "booking_code", "One-time code for online booking"
    BOOKING_DECLINED = "booking_declined", "Online booking request declined"
    WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"


def patient_email_language(patient_id: int) -> str:
    """The language the patient chose for their emails, or "" for the clinic's own (message_render asks)."""
    return Patient.objects.filter(pk=patient_id).values_list("language", flat=True).first() or ""
