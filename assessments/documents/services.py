"""Producing documents that leave the clinic: the access-request pack and the emailed discharge report.

Each service is one transaction and records what was given: an AccessRequest
row (with each file's size and SHA-256) or a DocumentSend row per recipient
with the outbox row that carries the PDF.
"""

import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from assessments.documents.choices import DocumentKind, RecipientKind
from assessments.documents.record import record_context
from assessments.documents.render import render_pdf
from assessments.fhir.bundle import patient_bundle
from assessments.messages import AssessmentMessageKind
from assessments.models import AccessRequest, DocumentSend, Programme
from assessments.programmes.choices import ProgrammeStatus
from clinic.messaging.services import About, schedule_message
from clinic.staff.models import User
from patients.identity.export import patient_export
from patients.models import Patient

FHIR_BUNDLE = "fhir-bundle.json"
RECORD_PDF = "record.pdf"
EXPORT_JSON = "export.json"


def record_pdf(patient: Patient) -> bytes:
    """The whole record, readable (record.pdf of the pack)."""
    return render_pdf(
        "assessments/documents/record.html", {**record_context(patient), "printed_at": timezone.now()}
    )


def _json(document: object) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def pack_files(patient: Patient, *, now: datetime) -> list[tuple[str, bytes]]:
    """The three files of the pack: the FHIR R4 bundle, the readable record, the JSON export."""
    return [
        (FHIR_BUNDLE, _json(patient_bundle(patient))),
        (RECORD_PDF, record_pdf(patient)),
        (EXPORT_JSON, _json(patient_export(patient=patient, now=now))),
    ]


def zip_files(files: list[tuple[str, bytes]], *, now: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = timezone.localtime(now).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(
                zipfile.ZipInfo(name, date_time=stamp), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


@dataclass(frozen=True)
class Pack:
    request: AccessRequest
    content: bytes  # the zip


@transaction.atomic
def access_request_answer(
    *, patient: Patient, requested_by: str, channel: str, received_on: date, by: User
) -> Pack:
    """Produce the access-request pack for `patient` and record it.

    Side effects: one AccessRequest row (who asked, how, when it arrived,
    who produced it, and each file's name, size and SHA-256). The pack itself
    is returned, never stored.
    """
    now = timezone.now()
    if received_on > timezone.localdate(now):
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    files = pack_files(patient, now=now)
    row = AccessRequest(
        patient=patient,
        requested_by=requested_by.strip(),
        channel=channel,
        received_on=received_on,
        produced_by=by,
        produced_at=now,
        files=[
            {"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in files
        ],
    )
    row.full_clean()
    row.save()
    return Pack(row, zip_files(files, now=now))


@dataclass(frozen=True)
class Recipient:
    kind: str  # RecipientKind
    email: str
    typed: bool  # typed by the sender (twice), not taken from the patient's record


@transaction.atomic
def discharge_report_send(
    *, programme: Programme, recipients: list[Recipient], by: User
) -> list[DocumentSend]:
    """Email the discharge report as a PDF to each recipient through the outbox (due now).

    Side effects: per recipient one DocumentSend row and one outbox row of
    kind discharge_report (about the programme) that it names; the PDF is rendered when the row is sent.
    """
    if programme.status != ProgrammeStatus.DISCHARGED:
        raise ValidationError("Only a discharged programme has a discharge report to send.")
    if not recipients:
        raise ValidationError("Choose who receives the report.")
    patient_email = (programme.patient.email or "").strip().lower()
    now = timezone.now()
    sends = []
    for recipient in recipients:
        if (
            recipient.kind == RecipientKind.PATIENT
            and not recipient.typed
            and recipient.email.lower() != patient_email
        ):
            raise ValidationError("The patient's address must be the one on their record, or typed twice.")
        # The outbox row first: the append-only send row names it from the start.
        message = schedule_message(
            kind=AssessmentMessageKind.DISCHARGE_REPORT,
            to=recipient.email,
            due_at=now,
            key=f"{AssessmentMessageKind.DISCHARGE_REPORT}:{programme.pk}:{uuid.uuid4().hex}",
            about=About.of(programme),
            patient_id=programme.patient_id,
        )
        send = DocumentSend(
            programme=programme,
            document=DocumentKind.DISCHARGE_REPORT,
            recipient=recipient.kind,
            to_email=recipient.email,
            typed=recipient.typed,
            sent_by=by,
            created_at=now,
            message=message,
        )
        send.full_clean()
        send.save()
        sends.append(send)
    return sends
