"""The emailed discharge report: an outbox kind whose context renders the PDF when the row is sent.

The body says only that a report is attached (no clinical detail); the PDF
is rendered from the record as it stands at send time, so a row retried
later still carries the discharge report, never a stale copy kept in the outbox.
"""

from django.conf import settings
from django.utils import translation

from assessments.documents.choices import RecipientKind
from assessments.documents.presenters import discharge_report
from assessments.documents.render import render_pdf
from assessments.messages import AssessmentMessageKind as Kind
from assessments.models import DocumentSend
from assessments.programmes.choices import ProgrammeStatus
from assessments.programmes.selectors import programme_for_page
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, patient_language, register_kind


def discharge_report_pdf(programme_pk: int) -> bytes:
    """The report, a clinical letter in the clinic's language whoever receives it (the email around it may not be)."""
    programme = programme_for_page(programme_pk)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("assessments/documents/discharge_report.html", discharge_report(programme))


def discharge_report_filename(programme_pk: int) -> str:
    return f"discharge-report-{programme_pk}.pdf"


def _discharge_report(message: ScheduledMessage) -> dict[str, object]:
    send = DocumentSend.objects.select_related("programme__patient").filter(message_id=message.pk).first()
    if send is None or send.programme.status != ProgrammeStatus.DISCHARGED:
        raise MessageObsolete
    patient = send.programme.patient
    return {
        "to_patient": send.recipient == RecipientKind.PATIENT,
        "first_name": patient.preferred_name or patient.first_name,
        "time_zone": send.programme.time_zone,
        "attachments": [
            (
                discharge_report_filename(send.programme_id),
                discharge_report_pdf(send.programme_id),
                "application/pdf",
            )
        ],
    }


def _discharge_report_language(message: ScheduledMessage) -> str:
    """The patient's own copy is in their language; the referrer's in the clinic's."""
    send = DocumentSend.objects.filter(message_id=message.pk).only("recipient").first()
    if send is None or send.recipient != RecipientKind.PATIENT or not message.patient_id:
        return ""
    return patient_language(message.patient_id)


# Sent once, on request: essential (no opt-out category), and due now, so quiet hours do not delay it.
register_kind(MessageKind.of(Kind.DISCHARGE_REPORT, _discharge_report, language=_discharge_report_language))
