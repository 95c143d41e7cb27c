"""Appointment per booking, and an Encounter for each completed visit."""

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.encounter import Encounter

from assessments.fhir.base import instant, make, ref
from assessments.fhir.codes import ACT_CODE, coding, text_only
from patients.booking.choices import AppointmentStatus
from patients.models import Appointment, Patient

STATUS: dict[str, str] = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.ARRIVED: "arrived",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
}


def appointments_of(patient: Patient) -> list[Appointment]:
    return list(
        patient.appointments.select_related("appointment_type", "therapist", "location").order_by(
            "starts_at", "pk"
        )
    )


def has_encounter(appointment: Appointment) -> bool:
    return appointment.status == AppointmentStatus.COMPLETED


def encounter_ref(appointment: Appointment | None) -> dict[str, object] | None:
    """The Encounter of a completed visit, else None (no Encounter is exported for it)."""
    if appointment is None or not has_encounter(appointment):
        return None
    return ref("Encounter", appointment.pk)


def build_appointment(appointment: Appointment) -> FhirAppointment:
    patient_ref = ref("Patient", appointment.patient_id)
    return make(
        FhirAppointment,
        {
            "id": str(appointment.pk),
            "status": STATUS[appointment.status],
            "appointmentType": text_only(appointment.appointment_type.name),
            "serviceType": [text_only(appointment.appointment_type.get_kind_display())],
            "cancelationReason": (
                text_only(appointment.cancel_reason or "Cancelled")
                if appointment.status == AppointmentStatus.CANCELLED
                else None
            ),
            "start": instant(appointment.starts_at),
            "end": instant(appointment.ends_at),
            "minutesDuration": int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
            "created": instant(appointment.created_at),
            "participant": [
                {"actor": patient_ref, "required": "required", "status": "accepted"},
                {
                    "actor": {"display": appointment.therapist.display_name},
                    "required": "required",
                    "status": "accepted",
                },
                {"actor": {"display": appointment.location.name}, "status": "accepted"},
            ],
        },
    )


def build_encounter(appointment: Appointment) -> Encounter:
    return make(
        Encounter,
        {
            "id": str(appointment.pk),
            "status": "finished",
            "class": coding(ACT_CODE, "AMB", "ambulatory"),
            "type": [text_only(appointment.appointment_type.name)],
            "subject": ref("Patient", appointment.patient_id),
            "appointment": [ref("Appointment", appointment.pk)],
            "period": {"start": instant(appointment.starts_at), "end": instant(appointment.ends_at)},
            "participant": [{"individual": {"display": appointment.therapist.display_name}}],
        },
    )


def scheduling_resources(patient: Patient) -> list:
    resources: list = []
    for appointment in appointments_of(patient):
        resources.append(build_appointment(appointment))
        if has_encounter(appointment):
            resources.append(build_encounter(appointment))
    return resources
