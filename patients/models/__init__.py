from patients.models.appointment import Appointment, AppointmentEvent, AppointmentType
from patients.models.intake import IntakeInvitation
from patients.models.intake_response import IntakeResponse, RedFlag, ReminderPreference
from patients.models.patient import Patient

__all__ = [
    "Appointment",
    "AppointmentEvent",
    "AppointmentType",
    "IntakeInvitation",
    "IntakeResponse",
    "Patient",
    "RedFlag",
    "ReminderPreference",
]
