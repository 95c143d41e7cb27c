from patients.models.appointment import Appointment, AppointmentEvent, AppointmentType
from patients.models.intake_response import IntakeResponse
from patients.models.invitation import IntakeInvitation
from patients.models.patient import Patient
from patients.models.preferences import ReminderPreference
from patients.models.red_flag import RedFlag

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
