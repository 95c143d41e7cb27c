"""Conditions for impressions, Flags (and Conditions) for red flags, imaging orders and their reports.

Impressions carry Stride's own codes: the model holds no ICD-10 code, and the
ICD-10 codes domain.md §6 quotes wait for a coder's check. An imaging order is
a ServiceRequest (intent order, category SNOMED CT 363679005 imaging, LOINC
code where domain.md §10 lists one) whose `reasonReference` names the
Conditions of the assessment that raised it; a reported order has a
DiagnosticReport based on it. A red flag's onward referral is a ServiceRequest.
"""

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.servicerequest import ServiceRequest

from assessments.fhir.base import day, instant, make, ref
from assessments.fhir.codes import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    DIAGNOSTIC_SERVICE,
    FLAG_CATEGORY,
    IMAGING_CATEGORY,
    IMAGING_LOINC,
    LOINC,
    SNOMED,
    concept,
    hip_body_site,
    local,
    text_only,
)
from assessments.fhir.scheduling import encounter_ref
from assessments.imaging.choices import ImagingRegion, ImagingStatus, Urgency
from assessments.models import Assessment, ImagingOrder, Impression
from assessments.programmes.choices import ProgrammeStatus
from assessments.record.choices import Certainty
from patients.models import Patient, RedFlag

VERIFICATION: dict[str, tuple[str, str]] = {
    Certainty.PROVISIONAL: ("provisional", "Provisional"),
    Certainty.WORKING: ("provisional", "Provisional"),
    Certainty.CONFIRMED: ("confirmed", "Confirmed"),
}
REQUEST_STATUS: dict[str, str] = {
    ImagingStatus.ORDERED: "active",
    ImagingStatus.BOOKED: "active",
    ImagingStatus.REPORTED: "completed",
    ImagingStatus.REVIEWED: "completed",
    ImagingStatus.CANCELLED: "revoked",
}
PRIORITY: dict[str, str] = {Urgency.ROUTINE: "routine", Urgency.URGENT: "urgent", Urgency.SAME_DAY: "asap"}


def impression_id(impression: Impression) -> str:
    return f"impression-{impression.pk}"


def _impression(impression: Impression, assessment: Assessment, resolved: bool) -> Condition:
    verification, verification_display = VERIFICATION[impression.certainty]
    clinical, clinical_display = ("resolved", "Resolved") if resolved else ("active", "Active")
    side = impression.side if impression.side != "not_applicable" else None
    notes = [impression.notes, "Primary impression" if impression.is_primary else ""]
    return make(
        Condition,
        {
            "id": impression_id(impression),
            "clinicalStatus": concept(CONDITION_CLINICAL, clinical, clinical_display),
            "verificationStatus": concept(
                CONDITION_VERIFICATION,
                verification,
                verification_display,
                text=impression.get_certainty_display(),
            ),
            "category": [concept(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")],
            "code": local(f"impression.{impression.code}", text=impression.get_code_display()),
            "bodySite": [hip_body_site(side)] if side else None,
            "subject": ref("Patient", assessment.patient_id),
            "encounter": encounter_ref(assessment.appointment),
            "onsetDateTime": day(impression.onset_date),
            "recordedDate": instant(assessment.signed_at or assessment.created_at),
            "recorder": {"display": assessment.therapist.get_full_name()},
            "note": [{"text": note} for note in notes if note],
        },
    )


def _red_flag(flag: RedFlag) -> list[Resource]:
    is_open = flag.is_open
    condition = make(
        Condition,
        {
            "id": f"red-flag-{flag.pk}",
            "clinicalStatus": concept(
                CONDITION_CLINICAL, *(("active", "Active") if is_open else ("inactive", "Inactive"))
            ),
            "verificationStatus": concept(CONDITION_VERIFICATION, "unconfirmed", "Unconfirmed"),
            "category": [concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
            "severity": text_only(flag.get_action_level_display()),
            "code": local(f"red-flag.{flag.flag_code}", text=flag.get_flag_code_display()),
            "subject": ref("Patient", flag.patient_id),
            "onsetDateTime": instant(flag.detected_at),
            "abatementDateTime": instant(flag.cleared_at),
            "recordedDate": instant(flag.detected_at),
            "note": [{"text": text} for text in (flag.note, flag.action_taken) if text],
        },
    )
    resources: list[Resource] = [
        make(
            Flag,
            {
                "id": str(flag.pk),
                "status": "active" if is_open else "inactive",
                "category": [concept(FLAG_CATEGORY, "clinical", "Clinical")],
                "code": local(
                    f"red-flag.{flag.flag_code}",
                    text=f"{flag.get_flag_code_display()}: {flag.get_action_level_display()}",
                ),
                "subject": ref("Patient", flag.patient_id),
                "period": {"start": instant(flag.detected_at), "end": instant(flag.cleared_at)},
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/flag-detail",
                        "valueReference": ref("Condition", f"red-flag-{flag.pk}"),
                    }
                ],
            },
        ),
        condition,
    ]
    if flag.referred_to:
        resources.append(
            make(
                ServiceRequest,
                {
                    "id": f"red-flag-referral-{flag.pk}",
                    "status": "completed",
                    "intent": "order",
                    "code": local("red-flag.referral"),
                    "subject": ref("Patient", flag.patient_id),
                    "authoredOn": instant(flag.cleared_at or flag.detected_at),
                    "performer": [{"display": flag.referred_to}],
                    "reasonReference": [ref("Condition", f"red-flag-{flag.pk}")],
                },
            )
        )
    return resources


def _imaging_code(order: ImagingOrder) -> dict[str, object]:
    label = f"{order.get_modality_display()} {order.get_region_display().lower()}"
    loinc = IMAGING_LOINC.get((order.modality, order.region))
    if loinc is not None:
        return concept(LOINC, loinc[0], loinc[1], text=label)
    return local(f"imaging.{order.modality}", text=label)


def _imaging(order: ImagingOrder, reasons: list[str]) -> list[Resource]:
    code = _imaging_code(order)
    site = (
        hip_body_site(order.side)
        if order.region != ImagingRegion.FEMUR
        else text_only(f"{order.get_side_display()} femur")
    )
    notes = [order.question and f"Question: {order.question}", order.cancel_reason]
    request = make(
        ServiceRequest,
        {
            "id": str(order.pk),
            "status": REQUEST_STATUS[order.status],
            "intent": "order",
            "category": [concept(SNOMED, IMAGING_CATEGORY, "Imaging")],
            "priority": PRIORITY[order.urgency],
            "code": code,
            "subject": ref("Patient", order.patient_id),
            "encounter": encounter_ref(order.assessment.appointment),
            "occurrenceDateTime": day(order.booked_for),
            "authoredOn": instant(order.ordered_at),
            "requester": {"display": order.ordered_by.get_full_name()},
            "performerType": text_only(order.get_route_display()),
            "reasonCode": [text_only(f"{order.get_indication_display()}: {order.indication_detail}")],
            "reasonReference": [ref("Condition", reason) for reason in reasons],
            "bodySite": [site],
            "note": [{"text": note} for note in notes if note],
        },
    )
    resources: list[Resource] = [request]
    if order.status in (ImagingStatus.REPORTED, ImagingStatus.REVIEWED):
        resources.append(
            make(
                DiagnosticReport,
                {
                    "id": str(order.pk),
                    "basedOn": [ref("ServiceRequest", order.pk)],
                    "status": "final",
                    "category": [concept(DIAGNOSTIC_SERVICE, "RAD", "Radiology")],
                    "code": code,
                    "subject": ref("Patient", order.patient_id),
                    "effectiveDateTime": day(order.reported_on),
                    "issued": instant(order.reviewed_at) if order.reviewed_at else None,
                    "conclusion": order.report_summary,
                    "conclusionCode": (
                        [local("imaging.report-finding", text=order.get_report_finding_display())]
                        if order.report_finding
                        else None
                    ),
                },
            )
        )
    return resources


def condition_resources(patient: Patient) -> list[Resource]:
    resources: list[Resource] = []
    discharged = patient.programmes.filter(status=ProgrammeStatus.DISCHARGED).values_list(
        "assessment_id", flat=True
    )
    resolved_assessments = set(discharged)
    reasons: dict[int, list[str]] = {}
    assessments = (
        Assessment.objects.filter(patient=patient)
        .select_related("appointment", "therapist")
        .prefetch_related("impressions")
        .order_by("created_at", "pk")
    )
    for assessment in assessments:
        impressions = list(assessment.impressions.all())
        reasons[assessment.pk] = [impression_id(i) for i in impressions]
        resolved = assessment.pk in resolved_assessments
        resources += [_impression(i, assessment, resolved) for i in impressions]
    for flag in RedFlag.objects.filter(patient=patient).order_by("detected_at", "pk"):
        resources += _red_flag(flag)
    orders = (
        ImagingOrder.objects.filter(patient=patient)
        .select_related("assessment__appointment", "ordered_by")
        .order_by("ordered_at", "pk")
    )
    for order in orders:
        resources += _imaging(order, reasons.get(order.assessment_id, []))
    return resources
