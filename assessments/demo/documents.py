"""The demo clinic's documents (for `make run`): one answered access request and one emailed discharge report.

The patient of the discharged demo programme asked for their record by email
a week ago; the clinic admin produced the pack (its row shows on the patient
hub's "Access requests" section and the pack page), and the treating
therapist emailed the discharge report to the patient (the outbox sends it
with the PDF attached; the Outbox page shows it). Idempotent: a patient who
already has an access request is left alone.
"""

from datetime import timedelta

from django.utils import timezone

from assessments.documents.choices import RecipientKind, RequestChannel
from assessments.documents.services import Recipient, access_request_answer, discharge_report_send
from assessments.models import AccessRequest, Programme
from assessments.programmes.choices import ProgrammeStatus
from clinic.staff.models import User


def load() -> int:
    """Returns how many access requests were answered (0 or 1)."""
    programme = (
        Programme.objects.filter(status=ProgrammeStatus.DISCHARGED)
        .select_related("patient", "therapist")
        .order_by("pk")
        .first()
    )
    if programme is None or AccessRequest.objects.filter(patient=programme.patient).exists():
        return 0
    patient = programme.patient
    access_request_answer(
        patient=patient,
        requested_by=f"{patient.full_name} (the patient), by email",
        channel=RequestChannel.EMAIL,
        received_on=timezone.localdate() - timedelta(days=7),
        by=User.objects.get(email="admin@stride.example"),
    )
    if patient.email:
        discharge_report_send(
            programme=programme,
            recipients=[Recipient(RecipientKind.PATIENT, patient.email, typed=False)],
            by=programme.therapist,
        )
    return 1
