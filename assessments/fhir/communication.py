"""Communication for each email sent to the patient: when, what kind, to whom. No body, no address.

Reminders and nudges have category `reminder`, the other emails (confirmations,
links, codes) `notification`. Emails to staff about a patient are the clinic's
own work, not communications with the patient, and are left out.
"""

from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.resource import Resource

from assessments.fhir.base import instant, make, ref
from assessments.fhir.codes import COMMUNICATION_CATEGORY, PARTICIPATION_MODE, concept, text_only
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import KINDS
from patients.models import Patient

NUDGES = frozenset({"intake_not_completed"})
# What a message is about (its about_label) → the resource type it is exported as.
ABOUT_TYPES = {"patients.appointment": "Appointment", "assessments.programme": "CarePlan"}


def _category(kind: str) -> dict[str, object]:
    registered = KINDS.get(kind)
    if kind in NUDGES or (registered is not None and registered.category):
        return concept(COMMUNICATION_CATEGORY, "reminder", "Reminder")
    return concept(COMMUNICATION_CATEGORY, "notification", "Notification")


def communication_resources(patient: Patient) -> list[Resource]:
    messages = ScheduledMessage.objects.filter(patient_id=patient.pk, status=MessageStatus.SENT).order_by(
        "sent_at", "pk"
    )
    owned = {
        "patients.appointment": {str(pk) for pk in patient.appointments.values_list("pk", flat=True)},
        "assessments.programme": {str(pk) for pk in patient.programmes.values_list("pk", flat=True)},
    }
    resources: list[Resource] = []
    for message in messages:
        kind = KINDS.get(message.kind)
        if kind is None or not kind.patient_facing:
            continue
        about = None
        if message.about_label in ABOUT_TYPES and message.about_pk in owned[message.about_label]:
            about = [ref(ABOUT_TYPES[message.about_label], message.about_pk)]
        resources.append(
            make(
                Communication,
                {
                    "id": str(message.pk),
                    "status": "completed",
                    "category": [_category(message.kind)],
                    "medium": [concept(PARTICIPATION_MODE, "EMAILWRIT", "email")],
                    "subject": ref("Patient", patient.pk),
                    "recipient": [ref("Patient", patient.pk)],
                    "topic": text_only(kind.label),
                    "about": about,
                    "sent": instant(message.sent_at),
                },
            )
        )
    return resources
