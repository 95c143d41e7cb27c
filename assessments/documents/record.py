"""The patient's whole record as one readable document (record.pdf of the access-request pack).

It reuses the letters' parts (each assessment as the referrer's summary shows
it, each programme's discharge review) and adds what only the record holds:
identity, appointments, the intake's answers, outcome measures, check-ins and
the messages sent. Unlike the letters it shows the clinic's internal notes:
the patient has a right to them, and the JSON export beside it holds them.
"""

from django.db.models import Prefetch

from assessments.documents.presenters import assessment_parts, chart_trend, stage_text
from assessments.models import Assessment, CheckIn, Programme
from assessments.programmes.choices import CheckInStatus
from assessments.programmes.selectors import progress, stage_info
from assessments.record.selectors import assessment_for_page
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import KINDS
from patients.intake.display import step_rows
from patients.intake.steps import STEPS
from patients.models import Patient


def _intakes(patient: Patient) -> list[dict[str, object]]:
    rows = []
    for invitation in patient.intake_invitations.select_related("response").order_by("created_at", "pk"):
        response = getattr(invitation, "response", None)
        if response is None:
            continue
        steps = [(form.title, step_rows(form, response)) for form in STEPS.values()]
        rows.append({"invitation": invitation, "response": response, "steps": steps})
    return rows


def _programmes(patient: Patient) -> list[dict[str, object]]:
    programmes = (
        Programme.objects.filter(patient=patient)
        .select_related("therapist", "discharged_by")
        .prefetch_related(
            "phases__exercises__exercise",
            "outcomes",
            Prefetch(
                "checkins",
                queryset=CheckIn.objects.filter(status=CheckInStatus.SUBMITTED)
                .prefetch_related("runs")
                .order_by("week"),
                to_attr="sent",
            ),
            "visit_notes__author",
        )
        .order_by("start_date", "pk")
    )
    rows = []
    for programme in programmes:
        lsi = next(c for c in progress(programme.pk).charts if c.key == "lsi")
        rows.append(
            {
                "programme": programme,
                "summary": programme.discharge_summary or {},
                "stage_text": stage_text(stage_info(programme)),
                "lsi_trend": chart_trend(lsi),
            }
        )
    return rows


def _messages(patient: Patient) -> list[dict[str, object]]:
    """The emails sent about the patient (to them, or a report to their referrer): kind, address, time; no bodies are kept."""
    rows = []
    for message in ScheduledMessage.objects.filter(patient_id=patient.pk, sent_at__isnull=False).order_by(
        "sent_at", "pk"
    ):
        kind = KINDS.get(message.kind)
        rows.append(
            {
                "label": kind.label if kind else message.kind,
                "to": message.to_email,
                "sent_at": message.sent_at,
            }
        )
    return rows


def record_context(patient: Patient) -> dict[str, object]:
    assessments = [
        assessment_parts(assessment_for_page(pk))
        for pk in Assessment.objects.filter(patient=patient)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    ]
    return {
        "patient": patient,
        "appointments": patient.appointments.select_related(
            "appointment_type", "therapist", "location"
        ).order_by("starts_at", "pk"),
        "intakes": _intakes(patient),
        "assessments": assessments,
        "programmes": _programmes(patient),
        "red_flags": patient.red_flags.order_by("detected_at", "pk"),
        "messages": _messages(patient),
    }
