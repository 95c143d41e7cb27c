from patients.models.appointment import Appointment, AppointmentEvent, AppointmentType
from patients.models.appointment_link import AppointmentLink
from patients.models.careteam import AccessGrant, CareAssignment
from patients.models.intake_response import IntakeResponse
from patients.models.invitation import IntakeInvitation, IntakeLinkToken
from patients.models.link_device import LinkCode, LinkDevice
from patients.models.online_booking import BookingVerification, IdentityReview
from patients.models.patient import Patient
from patients.models.preferences import ReminderPreference
from patients.models.privacy_notice import PrivacyNotice
from patients.models.red_flag import RedFlag
from patients.models.waitlist import WaitlistEntry, WaitlistOffer

__all__ = [
    "AccessGrant",
    "Appointment",
    "AppointmentEvent",
    "AppointmentLink",
    "AppointmentType",
    "BookingVerification",
    "CareAssignment",
    "IdentityReview",
    "IntakeInvitation",
    "IntakeLinkToken",
    "IntakeResponse",
    "LinkCode",
    "LinkDevice",
    "Patient",
    "PrivacyNotice",
    "RedFlag",
    "ReminderPreference",
    "WaitlistEntry",
    "WaitlistOffer",
]
