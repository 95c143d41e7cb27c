import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.audit.decorators import audits_patient
from clinic.audit.selectors import access_events, change_history
from clinic.locking import StaleVersionError, conflict_for
from clinic.paging import keyset_page, parse_cursor
from clinic.staff.access import ALL_STAFF, staff_view
from clinic.staff.choices import Role
from clinic.web import STALE_VERSION, posted_version
from patients.careteam.selectors import care_team_applies
from patients.careteam.services import care_assign
from patients.identity.export import patient_export
from patients.identity.forms import PatientForm, PatientSearchForm
from patients.identity.hub import hub_sections_shown
from patients.identity.selectors import PATIENT_ORDER, patient_search
from patients.identity.services import patient_archive, patient_register, patient_update
from patients.models import Patient

PAGE_SIZE = 25


@staff_view(*ALL_STAFF)
def patient_list(request: HttpRequest) -> HttpResponse:
    """All patients in name order, or those matching a search, a page at a time.

    The search is POSTed, never put in the URL: names and dates of birth must
    not land in browser history, proxy or server logs. A search's next page
    posts the query again with the cursor (the last patient's id); the plain
    list pages by GET. No page counts rows (clinic.paging).
    """
    data = request.POST if request.method == "POST" else None
    form = PatientSearchForm(data)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    after = parse_cursor((data or request.GET).get("after"))
    page = keyset_page(
        patient_search(query=query), order=PATIENT_ORDER, after=after, size=PAGE_SIZE, ordered=True
    )
    return render(
        request, "patients/identity/patient_list.html", {"form": form, "page": page, "query": query}
    )


def _get_patient_for_user(request: HttpRequest, pk: int) -> Patient:
    """The patient, or 404; archived records are found for clinic admins only."""
    if request.user.has_role(Role.CLINIC_ADMIN):
        return get_object_or_404(Patient.all_objects, pk=pk)
    return get_object_or_404(Patient, pk=pk)


@staff_view(*ALL_STAFF)
@audits_patient("pk")
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient hub: contact details and every app's registered sections the user may see."""
    patient = _get_patient_for_user(request, pk)
    return render(
        request,
        "patients/identity/patient_detail.html",
        {
            "patient": patient,
            "is_clinic_admin": request.user.has_role(Role.CLINIC_ADMIN),
            "hub_sections": hub_sections_shown(request=request, patient=patient),
        },
    )


@staff_view(Role.FRONT_DESK, Role.THERAPIST)
def patient_create(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, submit_label="Add patient")
    if request.method == "POST" and form.is_valid():
        try:
            patient = patient_register(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if care_team_applies(request.user):
                # The therapist who registers a patient is treating them.
                care_assign(
                    patient=patient, therapist=request.user, by=request.user, reason="Registered the patient"
                )
            messages.success(request, f"{patient.full_name} added.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/identity/patient_form.html", {"form": form, "title": "New patient"})


@staff_view(Role.FRONT_DESK, Role.THERAPIST)
@audits_patient("pk")
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the patient's details; a save from a form loaded before someone else's is refused."""
    patient = get_object_or_404(Patient, pk=pk)  # archived records are read-only
    form = PatientForm(request.POST or None, instance=patient, submit_label="Save changes")
    context = {"title": f"Edit {patient.full_name}", "patient": patient}
    if request.method == "POST" and form.is_valid():
        try:
            patient_update(
                patient=patient,
                expected_version=posted_version(request, missing=STALE_VERSION),
                **form.cleaned_data,
            )
        except StaleVersionError as exc:
            # The typed values stay in the form, which now names the current version:
            # saving again applies them to the record as it is now.
            current = get_object_or_404(Patient.all_objects, pk=pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = PatientForm(data, instance=current, submit_label="Save changes")
            conflict = conflict_for(exc, current=Patient.all_objects.get(pk=pk), form=form)
            context.update(form=form, conflict=conflict, patient=current)
            return render(request, "patients/identity/patient_form.html", context, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Patient details saved.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/identity/patient_form.html", {**context, "form": form})


@require_POST
@staff_view(Role.CLINIC_ADMIN)
def patient_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a patient (the only way a record leaves the lists; nothing is deleted)."""
    patient = get_object_or_404(Patient, pk=pk)
    try:
        patient_archive(patient=patient, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("patients:detail", pk=pk)
    messages.success(request, f"{patient.full_name} archived. Clinic admins can still open the record.")
    return redirect("patients:list")


@staff_view(Role.CLINIC_ADMIN)
@audits_patient("pk")
def patient_access_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Who viewed this record and when, and every change made to it."""
    patient = get_object_or_404(Patient.all_objects, pk=pk)
    page = keyset_page(
        access_events(patient_id=patient.pk),
        order=("-occurred_at", "-pk"),
        after=parse_cursor(request.GET.get("after")),
        size=50,
    )
    return render(
        request,
        "patients/identity/patient_access_report.html",
        {"patient": patient, "page": page, "changes": change_history(obj=patient)},
    )


@staff_view(Role.CLINIC_ADMIN)
@audits_patient("pk")
def patient_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient's full record as a JSON download (recorded as an access)."""
    patient = get_object_or_404(Patient.all_objects, pk=pk)
    document = patient_export(patient=patient)
    filename = f"patient-{patient.pk}-record-{timezone.now():%Y%m%d}.json"
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
