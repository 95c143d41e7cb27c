from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from clinic.staff.access import ALL_STAFF, staff_view
from clinic.staff.choices import Role
from patients.forms import PatientForm, PatientSearchForm
from patients.models import Patient
from patients.selectors import patient_search
from patients.services import patient_register, patient_update

PAGE_SIZE = 25


@staff_view(*ALL_STAFF)
def patient_list(request: HttpRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(patient_search(query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "patients/patient_list.html", {"form": form, "page": page, "query": query})


@staff_view(*ALL_STAFF)
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    return render(request, "patients/patient_detail.html", {"patient": patient})


@staff_view(Role.FRONT_DESK, Role.THERAPIST)
def patient_create(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, submit_label="Add patient")
    if request.method == "POST" and form.is_valid():
        try:
            patient = patient_register(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{patient.full_name} added.")
            return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "title": "New patient"})


@staff_view(Role.FRONT_DESK, Role.THERAPIST)
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    form = PatientForm(request.POST or None, instance=patient, submit_label="Save changes")
    if request.method == "POST" and form.is_valid():
        try:
            patient_update(patient=patient, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Patient details saved.")
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request, "patients/patient_form.html", {"form": form, "title": f"Edit {patient.full_name}", "patient": patient}
    )


@staff_view(Role.FRONT_DESK)
def today(request: HttpRequest) -> HttpResponse:
    """The front desk's day list (appointments arrive with the booking module)."""
    return render(request, "patients/today.html", {})


@staff_view(Role.THERAPIST)
def my_day(request: HttpRequest) -> HttpResponse:
    """A therapist's own day list (appointments arrive with the booking module)."""
    return render(request, "patients/my_day.html", {})


@staff_view(Role.FRONT_DESK, Role.THERAPIST)
def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "patients/calendar.html", {})
