"""Patient: who the patient is and how the clinic reaches them (no address: reminders need none)."""

from fhir.resources.R4B.patient import Patient as FhirPatient

from assessments.fhir.base import day, make
from assessments.fhir.codes import patient_identifier_system
from patients.identity.choices import ContactMethod, Sex
from patients.models import Patient

# Stride's sex field is the administrative gender FHIR asks for (domain.md §1).
GENDER: dict[str, str] = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "unknown"}


def patient_id(patient: Patient) -> str:
    return str(patient.pk)


def build_patient(patient: Patient) -> FhirPatient:
    telecom = []
    if patient.email:
        email_rank = 1 if patient.preferred_contact == ContactMethod.EMAIL else 2
        telecom.append({"system": "email", "value": patient.email, "use": "home", "rank": email_rank})
    if patient.phone:
        phone_rank = 1 if patient.preferred_contact != ContactMethod.EMAIL else 2
        telecom.append({"system": "phone", "value": patient.phone, "use": "mobile", "rank": phone_rank})
    names = [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}]
    if patient.preferred_name and patient.preferred_name != patient.first_name:
        names.append({"use": "usual", "family": patient.last_name, "given": [patient.preferred_name]})
    return make(
        FhirPatient,
        {
            "id": patient_id(patient),
            "identifier": [{"use": "usual", "system": patient_identifier_system(), "value": str(patient.pk)}],
            "active": not patient.is_archived,
            "name": names,
            "telecom": telecom,
            "gender": GENDER.get(patient.sex, "unknown"),
            "birthDate": day(patient.date_of_birth),
        },
    )
