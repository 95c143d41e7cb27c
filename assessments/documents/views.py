"""The PDF letters, the access-request pack and the emailed discharge report (staff pages).

Each download is read through the audit trail like the pages it comes from
(care-team rules applied, one access event) and, being a copy of the record
leaving the screen, is also written to the security log as an export.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from assessments.documents import presenters
from assessments.documents.emails import discharge_report_filename, discharge_report_pdf
from assessments.documents.forms import AccessRequestForm, DischargeEmailForm
from assessments.documents.render import render_pdf
from assessments.documents.services import access_request_answer, discharge_report_send
from assessments.models import AccessRequest, Assessment, Programme
from assessments.programmes.choices import ProgrammeStatus
from assessments.programmes.portal.views import FLOW
from assessments.programmes.selectors import programme_for_page
from assessments.programmes.views.plan import local_today
from assessments.record.selectors import assessment_for_page, draft_visible_to
from clinic.audit.choices import SecurityEventKind
from clinic.audit.security import acting_user, security_event_record
from clinic.audit.services import access_record
from clinic.patient_language import patient_django_language
from clinic.staff.access import public_view, record_access_check, staff_view
from clinic.staff.choices import Role
from patients.links.core import private
from patients.models import Patient


def _download(
    request: HttpRequest, *, patient_id: int, obj: object, content: bytes, filename: str, content_type: str
) -> HttpResponse:
    """The file as an attachment, its read recorded once (access event) and logged as an export."""
    event = access_record(request=request, patient_id=patient_id, obj=obj)
    security_event_record(
        kind=SecurityEventKind.EXPORT,
        user=acting_user(request),
        request=request,
        detail=f"{event.view_name} patient {patient_id}",
    )
    response = HttpResponse(content, content_type=content_type)
    # No patient name in the file name: it lands in download folders and mail clients.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _signed_assessment(request: HttpRequest, pk: int) -> Assessment:
    try:
        assessment = assessment_for_page(pk)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    if not draft_visible_to(assessment, request.user):
        raise Http404("No such assessment.")
    # The care-team rule before anything else is said about the record; the read is recorded with the file.
    record_access_check(request, assessment.patient_id)
    if not assessment.is_signed:
        raise Http404("Only a signed assessment has a summary.")
    return assessment


def _programme(request: HttpRequest, pk: int) -> Programme:
    """The programme with its page's data, or 404; the care-team rule is checked (the read is recorded later)."""
    try:
        programme = programme_for_page(pk)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None
    record_access_check(request, programme.patient_id)
    return programme


@staff_view(Role.THERAPIST)
def assessment_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The referrer's summary of a signed assessment as a PDF (no internal notes)."""
    assessment = _signed_assessment(request, pk)
    content = render_pdf(
        "assessments/documents/assessment_summary.html", presenters.assessment_summary(assessment)
    )
    return _download(
        request,
        patient_id=assessment.patient_id,
        obj=assessment,
        content=content,
        filename=f"assessment-summary-{assessment.pk}.pdf",
        content_type="application/pdf",
    )


@staff_view(Role.THERAPIST)
def discharge_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The discharge report of a discharged programme as a PDF."""
    programme = _programme(request, pk)
    if programme.status != ProgrammeStatus.DISCHARGED:
        raise Http404("The programme has not been discharged.")
    return _download(
        request,
        patient_id=programme.patient_id,
        obj=programme,
        content=discharge_report_pdf(programme.pk),
        filename=discharge_report_filename(programme.pk),
        content_type="application/pdf",
    )


@staff_view(Role.THERAPIST)
def exercise_sheet_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient's home-exercise sheet (this week's exercises and limits, or the maintenance plan) as a PDF.

    In the patient's language (Patient.language), as the patient's own download from their programme pages is.
    """
    programme = _programme(request, pk)
    # Printed for the patient to take home: in the patient's language, not the clinic's.
    with translation.override(patient_django_language(programme.patient.language)):
        context = presenters.exercise_sheet(programme, today=local_today(programme))
        content = render_pdf("assessments/documents/exercise_sheet.html", context)
    return _download(
        request,
        patient_id=programme.patient_id,
        obj=programme,
        content=content,
        filename=f"exercise-sheet-{programme.pk}.pdf",
        content_type="application/pdf",
    )


@public_view
@require_GET
def exercise_sheet_portal(request: HttpRequest) -> HttpResponse:
    """The patient's own exercise sheet, from their programme pages (the link's session; the read is audited)."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    programme = programme_for_page(programme.pk)
    content = render_pdf(
        "assessments/documents/exercise_sheet.html",
        presenters.exercise_sheet(programme, today=local_today(programme)),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="exercise-sheet.pdf"'
    return private(response)


@staff_view(Role.CLINIC_ADMIN)
def access_request_pack(request: HttpRequest, patient_pk: int) -> HttpResponse:
    """Answer a patient's access request: the form, then the zip (FHIR bundle, readable record, JSON export)."""
    patient = get_object_or_404(Patient.all_objects, pk=patient_pk)
    access_record(request=request, patient_id=patient.pk)
    form = AccessRequestForm(
        request.POST if request.method == "POST" else None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            pack = access_request_answer(patient=patient, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _download(
                request,
                patient_id=patient.pk,
                obj=None,
                content=pack.content,
                filename=f"access-request-{pack.request.pk}.zip",
                content_type="application/zip",
            )
    context = {
        "patient": patient,
        "form": form,
        "answered": AccessRequest.objects.filter(patient=patient).select_related("produced_by")[:20],
    }
    return render(
        request, "assessments/documents/access_request.html", context, status=400 if form.errors else 200
    )


@staff_view(Role.THERAPIST)
def discharge_report_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the discharge report: choose recipients, confirm them on a second step, then queue the emails."""
    programme = _programme(request, pk)
    access_record(request=request, patient_id=programme.patient_id, obj=programme)
    if programme.status != ProgrammeStatus.DISCHARGED:
        messages.info(request, "The discharge report can be emailed once the programme is discharged.")
        return redirect("assessments:programme_detail", pk=pk)
    patient = programme.patient
    form = DischargeEmailForm(request.POST if request.method == "POST" else None, patient=patient)
    context = {
        "programme": programme,
        "patient": patient,
        "form": form,
        "sent": programme.sends.select_related("sent_by")[:20],
    }
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "assessments/documents/email_form.html", context, status=400 if form.errors else 200
        )
    if not form.cleaned_data["confirmed"]:
        return render(
            request, "assessments/documents/email_confirm.html", {**context, "recipients": form.recipients()}
        )
    try:
        sends = discharge_report_send(programme=programme, recipients=form.recipients(), by=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "assessments/documents/email_form.html", context, status=400)
    messages.success(
        request, "Discharge report queued for " + " and ".join(send.to_email for send in sends) + "."
    )
    return redirect("assessments:programme_discharge", pk=pk)
